import { Role } from "../src/auth/auth.types";
import { startHarness, type Harness } from "./support/harness";

/** `periods`: what a dashboard's period picker offers, built from the plans each caller can see. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const PERIODS = `query Periods { periods { code type start end hasReports } }`;
type PeriodRow = { code: string; type: string; start: string; end: string; hasReports: boolean };

async function periodsOf(token: string): Promise<PeriodRow[]> {
  const result = await h.gql(PERIODS, {}, token);
  expect(result.errors).toBeUndefined();
  expect(result.statements).toBe(1);
  return result.data.periods;
}

/** Every period of the years from..to, newest first as `periods` orders them (year, halves, quarters). */
function periodCodes(from: number, to: number): string[] {
  const codes: string[] = [];
  for (let y = to; y >= from; y--) codes.push(`${y}`, `${y}-H2`, `${y}-H1`, `${y}-Q4`, `${y}-Q3`, `${y}-Q2`, `${y}-Q1`);
  return codes;
}

/** The years of the seed's plans in force or closed (drafts are no periods yet), as the owner reads them (no year hard-coded). */
async function planYears(where = "true"): Promise<{ from: number; to: number }> {
  const [row] = await h.dataSource.query(
    `SELECT extract(year FROM min(period_start))::int AS "from", extract(year FROM max(period_end))::int AS "to" FROM plan
      WHERE status <> 'draft' AND (${where})`,
  );
  return row;
}

const ministry = () => h.token("VN", [Role.VIEWER], "ministry-viewer");
/** Phường Bãi Cháy of today's Quảng Ninh (two-tier tree) */
const baiChay = () => h.token("06673", [Role.VIEWER, Role.REPORTER], "bai-chay");

it("offers the ministry every year, half-year and quarter of all the plans, newest first", async () => {
  const periods = await periodsOf(ministry());
  const years = await planYears();
  expect(periods.map((p) => p.code)).toEqual(periodCodes(years.from, years.to));
  // the seed's 2021-2025 program is in it (and the 2016-2020 provincial plans the seed also holds)
  for (const code of ["2025", "2025-H1", "2025-Q3", "2023-Q2", "2021", "2021-Q1"]) expect(periods.map((p) => p.code)).toContain(code);
  expect(periods[0]).toEqual({ code: `${years.to}`, type: "YEAR", start: `${years.to}-01-01`, end: `${years.to}-12-31`, hasReports: false });
  expect(periods.find((p) => p.code === "2025-Q3")).toEqual({ code: "2025-Q3", type: "QUARTER", start: "2025-07-01", end: "2025-09-30", hasReports: false });
  expect(periods.find((p) => p.code === "2024-H2")).toMatchObject({ type: "HALF_YEAR", start: "2024-07-01", end: "2024-12-31" });
  expect(periods.find((p) => p.code === "2024-Q1")).toMatchObject({ start: "2024-01-01", end: "2024-03-31" });
});

it("offers a commune the periods of the plans in its scope only (its own, its ancestors', across the reform)", async () => {
  // Bãi Cháy sees the national and Quảng Ninh plans (2021-2025), not Kiên Giang's or Nghệ An's of 2016-2020
  const codes = (await periodsOf(baiChay())).map((p) => p.code);
  const framing = await planYears(`unit_path IN ('/1/', (SELECT path FROM org_unit WHERE code = '22' AND valid_to IS NULL))`);
  expect(codes).toEqual(periodCodes(framing.from, framing.to));
  expect(codes).toContain("2021-Q1");
  expect(codes).not.toContain("2020");
  // Xã An Biên of today's An Giang continues communes of Huyện An Biên (Kiên Giang), whose plans of 2016-2020 it sees
  const anBien = (await periodsOf(h.token("30985", [Role.VIEWER], "an-bien"))).map((p) => p.code);
  expect(anBien).toContain("2020");
  expect(anBien).toContain("2016-Q1");
  expect(anBien).toContain("2025");
});

it("follows the data: a 2026 plan of a commune adds 2026 for it and those above it, not for its neighbours", async () => {
  await h.dataSource.query(
    `INSERT INTO plan (program_id, unit_id, title, period_start, period_end, created_by)
     SELECT 1, u.id, 'Kế hoạch năm 2026 của phường Bãi Cháy (thử)', DATE '2026-01-01', DATE '2026-12-31', 'test'
       FROM org_unit u WHERE u.code = '06673' AND u.valid_to IS NULL`,
  );
  try {
    const own = await periodsOf(baiChay());
    expect(own.slice(0, 7).map((p) => p.code)).toEqual(["2026", "2026-H2", "2026-H1", "2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1"]);
    expect((await periodsOf(ministry()))[0]!.code).toBe("2026");
    expect((await periodsOf(h.token("22", [Role.VIEWER], "qn")))[0]!.code).toBe("2026");
    const neighbour = await periodsOf(h.token("06676", [Role.VIEWER], "ha-lam")); // Phường Hà Lầm, also of Quảng Ninh
    expect(neighbour.map((p) => p.code)).not.toContain("2026");
  } finally {
    await h.dataSource.query(`DELETE FROM plan WHERE title = 'Kế hoạch năm 2026 của phường Bãi Cháy (thử)'`);
  }
});

it("says which periods the caller's own unit has reports for", async () => {
  const submitted = await h.gql(
    `mutation($input: SubmitReportsInput!) { submitReports(input: $input) { inserted } }`,
    { input: { rows: [{ unitCode: "06673", indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2025-Q3", value: 1 }] } },
    baiChay(),
  );
  expect(submitted.errors).toBeUndefined();
  const reported = (periods: PeriodRow[]) => periods.filter((p) => p.hasReports).map((p) => p.code);
  // the quarter and the half-year and year containing it, for the commune and for every unit above it
  expect(reported(await periodsOf(baiChay()))).toEqual(["2025", "2025-H2", "2025-Q3"]);
  expect(reported(await periodsOf(ministry()))).toEqual(["2025", "2025-H2", "2025-Q3"]);
  // a neighbour has none of its own
  expect(reported(await periodsOf(h.token("06676", [Role.VIEWER], "ha-lam")))).toEqual([]);

  // before the reform the code named the old Phường Bãi Cháy (of Hạ Long), an earlier unit of today's: its reports count
  const old = await h.gql(
    `mutation($input: SubmitReportsInput!) { submitReports(input: $input) { inserted } }`,
    { input: { rows: [{ unitCode: "06673", indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2024-Q2", value: 1 }] } },
    h.token("VN", [Role.REPORTER, Role.VIEWER], "ministry-reporter"),
  );
  expect(old.errors).toBeUndefined();
  expect(reported(await periodsOf(baiChay()))).toEqual(["2025", "2025-H2", "2025-Q3", "2024", "2024-H1", "2024-Q2"]);
  // Quảng Ninh is one unit on both trees (its territory did not change); another province has none
  expect(reported(await periodsOf(h.token("22", [Role.VIEWER], "qn")))).toEqual(["2025", "2025-H2", "2025-Q3", "2024", "2024-H1", "2024-Q2"]);
  expect(reported(await periodsOf(h.token("12", [Role.VIEWER], "lai-chau")))).toEqual([]);
});

it("offers the periods the caller's subtree has reports for even when no plan covers them", async () => {
  const framing = await planYears(`unit_path IN ('/1/', (SELECT path FROM org_unit WHERE code = '22' AND valid_to IS NULL))`);
  expect(framing.to).toBe(2025); // no plan in Bãi Cháy's scope reaches 2026
  // a report needs a plan when written: a 2026 plan takes a report of 2026-Q1, then is taken back (the report stays)
  const [plan] = await h.dataSource.query(
    `INSERT INTO plan (program_id, unit_id, title, period_start, period_end, created_by)
     SELECT 1, u.id, 'Kế hoạch năm 2026 rút lại (thử)', DATE '2026-01-01', DATE '2026-12-31', 'test'
       FROM org_unit u WHERE u.code = '06673' AND u.valid_to IS NULL RETURNING id`,
  );
  const submitted = await h.gql(
    `mutation($input: SubmitReportsInput!) { submitReports(input: $input) { inserted } }`,
    { input: { rows: [{ unitCode: "06673", indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2026-Q1", value: 1 }] } },
    baiChay(),
  );
  await h.dataSource.query(`DELETE FROM plan WHERE id = $1`, [plan.id]);
  expect(submitted.errors).toBeUndefined();
  const of2026 = (periods: PeriodRow[]) => periods.filter((p) => p.code.startsWith("2026")).map((p) => [p.code, p.hasReports]);
  // the quarter and the half-year and year containing it, reported; no other period of 2026 (nothing covers them)
  const expected = [["2026", true], ["2026-H1", true], ["2026-Q1", true]];
  expect(of2026(await periodsOf(baiChay()))).toEqual(expected);
  expect(of2026(await periodsOf(h.token("22", [Role.VIEWER], "qn")))).toEqual(expected);
  const own = await periodsOf(baiChay());
  expect(own.find((p) => p.code === "2026-Q1")).toEqual({ code: "2026-Q1", type: "QUARTER", start: "2026-01-01", end: "2026-03-31", hasReports: true });
  // the periods of the plans stay, after (newest first)
  expect(own.map((p) => p.code).slice(3)).toEqual(periodCodes(framing.from, framing.to));
  // a neighbour (Hà Lầm) and another province (Lai Châu) see nothing of Bãi Cháy's reports
  expect(of2026(await periodsOf(h.token("06676", [Role.VIEWER], "ha-lam")))).toEqual([]);
  expect((await periodsOf(h.token("12", [Role.VIEWER], "lai-chau"))).map((p) => p.code)).not.toContain("2026-Q1");
});

it("needs a token", async () => {
  const result = await h.gql(PERIODS, {});
  expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
});

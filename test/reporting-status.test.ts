import { Role } from "../src/auth/auth.types";
import { dueDate } from "../src/reporting-status/reporting-status.rules";
import { errorCode, startHarness, type GqlResult, type Harness } from "./support/harness";
import { parseCsv } from "./support/csv";

/**
 * reportingStatus, reportingStatusCsv, GET /csv/reporting-status and setReportingDeadlines over the seed data (issue
 * 14, items 3 and 5). Reports go in through submitReports as Quảng Ninh's reporter; their times are then set as the
 * owner to days around the deadline (a report's time is when it was written, and the tests run long after 2024).
 * The server runs on the real day (late 2026: every 2024 and 2025 deadline has passed), except in the last block,
 * which runs as on 5/10/2025 (before 2025-Q3's due day).
 */

let h: Harness;
let base: string;
const reporter = () => h.token("22", [Role.REPORTER], "qn-reporter");
const planner = () => h.token("22", [Role.VIEWER, Role.PLANNER], "qn-planner");
const viewer = () => h.token("22", [Role.VIEWER], "qn-viewer");

const STATUS = `query($u: String!, $p: String!, $i: [String!], $d: Date, $first: Int, $after: String) {
  reportingStatus(unitCode: $u, period: $p, indicators: $i, asOf: $d, first: $first, after: $after) {
    period asOf today unit { code name }
    indicators { indicatorCode reportingLevel deadline
      deadlineRule { periodType daysAfterEnd monthsAfterEnd day text sourceText inherited sourcePlanId sourcePlanDocument sourceUnitCode }
      unitsExpected unitsReported unitsNotReported unitsLate unitsMissing completeness lastReportedAt
      notReported { totalCount hasNextPage endCursor nodes { unit { code name level } parent { code name level } status reportedAt lastReportedAt deadline } }
      reported { totalCount hasNextPage endCursor nodes { unit { code name level } parent { code name level } status reportedAt lastReportedAt deadline } } } } }`;

type Node = { unit: { code: string; name: string; level: string }; parent: { code: string; name: string; level: string } | null; status: string; reportedAt: string | null; lastReportedAt: string | null; deadline: string | null };
type Page = { totalCount: number; hasNextPage: boolean; endCursor: string | null; nodes: Node[] };
type IndicatorStatus = {
  indicatorCode: string;
  reportingLevel: string | null;
  deadline: string | null;
  deadlineRule: Record<string, unknown> | null;
  unitsExpected: number;
  unitsReported: number;
  unitsNotReported: number;
  unitsLate: number;
  unitsMissing: number;
  completeness: number | null;
  lastReportedAt: string | null;
  notReported: Page;
  reported: Page;
};

async function status(vars: { u: string; p: string; i?: string[]; d?: string; first?: number; after?: string }, token = viewer()) {
  return h.gql<{ reportingStatus: { period: string; asOf: string; today: string; unit: { code: string }; indicators: IndicatorStatus[] } }>(STATUS, vars, token);
}
function ok<T>(r: GqlResult<T>): T {
  expect(r.errors).toBeUndefined();
  return r.data!;
}
const one = async (vars: Parameters<typeof status>[0], token?: string) => ok(await status(vars, token)).reportingStatus.indicators[0]!;

/** The units a code names on a date under a unit, at a level (the owner's look-up). */
async function unitsUnder(parentCode: string, level: string, from: string, to: string): Promise<Array<{ id: number; code: string; name: string; parent_code: string; parent_name: string }>> {
  return h.dataSource.query(
    `SELECT c.id, c.code, c.name, p.code AS parent_code, p.name AS parent_name
       FROM org_unit c JOIN org_unit p ON p.id = c.parent_id JOIN org_unit r ON c.path LIKE r.path || '%'
      WHERE r.code = $1 AND r.valid_from <= $3::date AND (r.valid_to IS NULL OR r.valid_to > $4::date)
        AND c.level = $2 AND c.valid_from <= $3::date AND (c.valid_to IS NULL OR c.valid_to > $4::date)
      ORDER BY c.code`,
    [parentCode, level, from, to],
  );
}

async function submit(rows: Array<Record<string, unknown>>) {
  const r = await h.gql(`mutation($input: SubmitReportsInput!) { submitReports(input: $input) { inserted updated } }`, { input: { rows } }, reporter());
  expect(r.errors).toBeUndefined();
}

/** Sets, as the owner, when reports were written (Vietnam's time: +07:00). */
async function reportedAt(codes: string[], indicator: string, period: string, at: string) {
  const [{ n }] = await h.dataSource.query(
    `WITH changed AS (
       UPDATE report r SET submitted_at = $4::timestamptz FROM org_unit u, indicator i
        WHERE u.id = r.unit_id AND i.id = r.indicator_id AND u.code = ANY($1) AND i.code = $2 AND r.period_code = $3 RETURNING 1)
     SELECT count(*)::int AS n FROM changed`,
    [codes, indicator, period, at],
  );
  expect(n).toBe(codes.length);
}

async function planOf(code: string, on: string): Promise<{ id: string; version: number }> {
  const [p] = await h.dataSource.query(
    `SELECT p.id, p.version FROM plan p JOIN org_unit u ON u.id = p.unit_id
      WHERE u.code = $1 AND u.valid_from <= $2::date AND (u.valid_to IS NULL OR u.valid_to > $2::date) ORDER BY p.period_start LIMIT 1`,
    [code, on],
  );
  return p;
}

const SET = `mutation($i: SetReportingDeadlinesInput!) { setReportingDeadlines(input: $i) {
  plan { id version reportingDeadlines { periodType daysAfterEnd inherited } }
  deadlines { periodType daysAfterEnd monthsAfterEnd day text sourceText inherited sourcePlanDocument sourceUnitCode setBy } } }`;

async function setDeadlines(planId: string, deadlines: Array<Record<string, unknown>>, token = planner(), reason = "hạn báo cáo quý") {
  const [{ version }] = await h.dataSource.query(`SELECT version FROM plan WHERE id = $1`, [planId]);
  return h.gql(SET, { i: { planId, version, reason, deadlines } }, token);
}

/** 2024-Q2 on the three-tier tree: Quảng Ninh's 177 communes under 13 districts. */
let old: Awaited<ReturnType<typeof unitsUnder>>;
/** 2025-Q3 on the two-tier tree: its 54 communes, straight under the province. */
let now: Awaited<ReturnType<typeof unitsUnder>>;
let qnPlan: string;
let haLongPlan: string;

beforeAll(async () => {
  h = await startHarness();
  base = `http://127.0.0.1:${await h.server.listen(0)}`;
  old = await unitsUnder("22", "commune", "2024-04-01", "2024-06-30");
  now = await unitsUnder("22", "commune", "2025-07-01", "2025-09-30");
  expect([old.length, now.length]).toEqual([177, 54]);
  qnPlan = (await planOf("22", "2024-06-30")).id;

  // Quảng Ninh's planner sets quarter reports due 15 days after the quarter (the seed has none for quarters)
  const set = await setDeadlines(qnPlan, [{ periodType: "QUARTER", daysAfterEnd: 15 }]);
  expect(set.errors).toBeUndefined();

  // Hạ Long (193) plans 2024 under Quảng Ninh's plan and wants its quarters 5 days after the quarter (a nearer rule)
  const created = await h.gql(
    `mutation($i: CreatePlanInput!) { createPlan(input: $i) { id version } }`,
    { i: { parentPlanId: qnPlan, unitCode: "193", title: "Kế hoạch phòng, chống mại dâm năm 2024 của thành phố Hạ Long", periodStart: "2024-01-01", periodEnd: "2024-12-31", reason: "kế hoạch năm" } },
    planner(),
  );
  haLongPlan = ok(created).createPlan.id;
  const activated = await h.gql(
    `mutation($i: ActivatePlanInput!) { activatePlan(input: $i) { __typename } }`,
    { i: { planId: haLongPlan, version: ok(created).createPlan.version, reason: "phê duyệt" } },
    planner(),
  );
  expect(ok(activated).activatePlan.__typename).toBe("PlanActivated");
  expect((await setDeadlines(haLongPlan, [{ periodType: "QUARTER", daysAfterEnd: 5, sourceText: "báo cáo quý trước ngày 05 tháng đầu quý sau" }])).errors).toBeUndefined();

  // 2024-Q2: five communes (two of Hạ Long) report activity, two of them their risky workers too
  const [haKhanh, haPhong] = old.filter((c) => c.parent_code === "193");
  const others = old.filter((c) => c.parent_code !== "193").slice(0, 3);
  const reported2024 = [haKhanh!, haPhong!, ...others].map((c) => c.code);
  await submit([
    ...reported2024.map((code) => ({ unitCode: code, indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2024-Q2", value: 1 })),
    ...reported2024.slice(2, 4).map((code) => ({ unitCode: code, indicatorCode: "AWR_RISKY_WORKERS_INFORMED", period: "2024-Q2", numerator: 40, denominator: 50 })),
  ]);
  // Hạ Khánh by Hạ Long's 5/7 (on time), Hà Phong on 10/7 (late for Hạ Long's rule); the others by Quảng Ninh's
  // 15/7: one on the due day's last half hour (on time), one half an hour into 16/7 in Vietnam (still 15/7 in UTC: late)
  await reportedAt([reported2024[0]!], "AWR_COMMUNE_ACTIVITY", "2024-Q2", "2024-07-05T16:00:00+07:00");
  await reportedAt([reported2024[1]!, reported2024[2]!], "AWR_COMMUNE_ACTIVITY", "2024-Q2", "2024-07-10T09:00:00+07:00");
  await reportedAt([reported2024[3]!], "AWR_COMMUNE_ACTIVITY", "2024-Q2", "2024-07-15T23:30:00+07:00");
  await reportedAt([reported2024[4]!], "AWR_COMMUNE_ACTIVITY", "2024-Q2", "2024-07-16T00:30:00+07:00");
  await reportedAt(reported2024.slice(2, 4), "AWR_RISKY_WORKERS_INFORMED", "2024-Q2", "2024-07-20T08:00:00+07:00");
  reported = { y2024: reported2024 };

  // 2025-Q3: four of the new communes report activity, three of them crimes handled (a district's indicator, the commune's from 1/7/2025)
  const reported2025 = now.slice(0, 4).map((c) => c.code);
  await submit([
    ...reported2025.map((code) => ({ unitCode: code, indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2025-Q3", value: 1 })),
    ...reported2025.slice(0, 3).map((code) => ({ unitCode: code, indicatorCode: "ENF_CRIMES_HANDLED", period: "2025-Q3", value: 2 })),
  ]);
  await reportedAt(reported2025.slice(0, 3), "AWR_COMMUNE_ACTIVITY", "2025-Q3", "2025-10-14T10:00:00+07:00");
  await reportedAt([reported2025[3]!], "AWR_COMMUNE_ACTIVITY", "2025-Q3", "2025-10-20T10:00:00+07:00");
  await reportedAt(reported2025.slice(0, 3), "ENF_CRIMES_HANDLED", "2025-Q3", "2025-10-01T10:00:00+07:00");
  reported.y2025 = reported2025;
});
afterAll(() => h?.close());

let reported: { y2024: string[]; y2025?: string[] };

describe("reportingStatus on the three-tier tree (2024-Q2)", () => {
  it("counts the communes expected, reported, late and missing, each against the deadline of its own plan chain", async () => {
    const r = ok(await status({ u: "22", p: "2024-Q2", i: ["AWR_COMMUNE_ACTIVITY"], first: 200 }));
    expect(r.reportingStatus).toMatchObject({ period: "2024-Q2", asOf: "2024-06-30", unit: { code: "22" } });
    const s = r.reportingStatus.indicators[0]!;
    expect(s).toMatchObject({
      indicatorCode: "AWR_COMMUNE_ACTIVITY",
      reportingLevel: "COMMUNE",
      // Quảng Ninh's own rule: 30/6 + 15 days
      deadline: "2024-07-15",
      deadlineRule: { periodType: "QUARTER", daysAfterEnd: 15, inherited: false, sourceUnitCode: "22", sourcePlanId: qnPlan, text: "a quarter's reports are due 15 days after it ends" },
      unitsExpected: 177,
      unitsReported: 5,
      unitsNotReported: 172,
      // Hà Phong (Hạ Long's 5/7) and the one half an hour into 16/7
      unitsLate: 2,
      unitsMissing: 172,
    });
    expect(s.completeness).toBeCloseTo(5 / 177, 6);
    expect(s.lastReportedAt).toBe("2024-07-15T17:30:00.000Z");

    const byCode = new Map(s.reported.nodes.map((n) => [n.unit.code, n] as const));
    expect(s.reported.totalCount).toBe(5);
    expect([...byCode.keys()]).toEqual([...reported.y2024].sort());
    const [haKhanh, haPhong, a, b, c] = reported.y2024.map((code) => byCode.get(code)!);
    expect(haKhanh).toMatchObject({ status: "REPORTED", deadline: "2024-07-05", reportedAt: "2024-07-05T09:00:00.000Z", parent: { code: "193", name: "Thành phố Hạ Long", level: "DISTRICT" } });
    expect(haPhong).toMatchObject({ status: "LATE", deadline: "2024-07-05", reportedAt: "2024-07-10T02:00:00.000Z" });
    expect(a).toMatchObject({ status: "REPORTED", deadline: "2024-07-15" });
    // the due day counts whole, in Vietnam's time
    expect(b).toMatchObject({ status: "REPORTED", deadline: "2024-07-15", reportedAt: "2024-07-15T16:30:00.000Z" });
    expect(c).toMatchObject({ status: "LATE", deadline: "2024-07-15", reportedAt: "2024-07-15T17:30:00.000Z" });
    // the unit's latest report for the period, any indicator: the risky workers' of 20/7 for the two that sent it
    expect(b!.lastReportedAt).toBe("2024-07-20T01:00:00.000Z");
    expect(a!.lastReportedAt).toBe("2024-07-20T01:00:00.000Z");
    expect(c!.lastReportedAt).toBe(c!.reportedAt);
    for (const n of s.reported.nodes) {
      const unit = old.find((u) => u.code === n.unit.code)!;
      expect(n.parent).toEqual({ code: unit.parent_code, name: unit.parent_name, level: "DISTRICT" });
    }

    // not reported: every other commune, each with its district, MISSING (its due day is long past), in code order
    expect(s.notReported.totalCount).toBe(172);
    expect(s.notReported.hasNextPage).toBe(false);
    const missing = old.filter((u) => !reported.y2024.includes(u.code));
    expect(s.notReported.nodes.map((n) => [n.unit.code, n.unit.name, n.parent!.code, n.parent!.name])).toEqual(
      missing.map((u) => [u.code, u.name, u.parent_code, u.parent_name]),
    );
    expect(new Set(s.notReported.nodes.map((n) => n.status))).toEqual(new Set(["MISSING"]));
    expect(s.notReported.nodes.every((n) => n.reportedAt === null && n.lastReportedAt === null)).toBe(true);
    // Hạ Long's communes are due on 5/7 (its own plan), the others on 15/7 (Quảng Ninh's)
    for (const n of s.notReported.nodes) expect({ code: n.unit.code, deadline: n.deadline }).toEqual({ code: n.unit.code, deadline: n.parent!.code === "193" ? "2024-07-05" : "2024-07-15" });
  });

  it("pages each list with unit-code cursors", async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const s = await one({ u: "22", p: "2024-Q2", i: ["AWR_COMMUNE_ACTIVITY"], first: 50, after });
      expect(s.notReported.totalCount).toBe(172);
      expect(s.notReported.nodes.length).toBeLessThanOrEqual(50);
      seen.push(...s.notReported.nodes.map((n) => n.unit.code));
      if (!s.notReported.hasNextPage) break;
      after = s.notReported.endCursor!;
    }
    expect(seen).toHaveLength(172);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(172);
    // pages of 2 on the reported list
    const first = await one({ u: "22", p: "2024-Q2", i: ["AWR_COMMUNE_ACTIVITY"], first: 2 });
    expect(first.reported).toMatchObject({ totalCount: 5, hasNextPage: true });
    const second = await one({ u: "22", p: "2024-Q2", i: ["AWR_COMMUNE_ACTIVITY"], first: 2, after: first.reported.endCursor! });
    const third = await one({ u: "22", p: "2024-Q2", i: ["AWR_COMMUNE_ACTIVITY"], first: 2, after: second.reported.endCursor! });
    expect(third.reported.hasNextPage).toBe(false);
    expect([...first.reported.nodes, ...second.reported.nodes, ...third.reported.nodes].map((n) => n.unit.code)).toEqual([...reported.y2024].sort());
    // the counts do not move with the page
    expect(third).toMatchObject({ unitsExpected: 177, unitsReported: 5, unitsLate: 2 });
  });

  it("expects every indicator at its level of the period: districts report theirs in 2024, the province its own", async () => {
    const r = ok(await status({ u: "22", p: "2024-Q2", first: 1 })).reportingStatus.indicators;
    const by = new Map(r.map((i) => [i.indicatorCode, i] as const));
    // every quarterly indicator of the catalog, none of another period type
    expect(by.has("PRV_DISTRICT_OWN_PLAN")).toBe(false);
    expect(by.get("AWR_RISKY_WORKERS_INFORMED")).toMatchObject({ reportingLevel: "COMMUNE", unitsExpected: 177, unitsReported: 2, unitsLate: 2 });
    expect(by.get("ENF_CRIMES_HANDLED")).toMatchObject({ reportingLevel: "DISTRICT", unitsExpected: 13, unitsReported: 0, unitsMissing: 13 });
    expect(by.get("ENF_CRIMES_HANDLED")!.notReported.nodes[0]).toMatchObject({ unit: { code: "193", level: "DISTRICT" }, parent: { code: "22" }, deadline: "2024-07-05" });
    expect(by.get("AWR_PRESS_FREQUENCY")).toMatchObject({ reportingLevel: "PROVINCE", unitsExpected: 1, unitsMissing: 1 });
    expect(by.get("AWR_PRESS_FREQUENCY")!.notReported.nodes[0]).toMatchObject({ unit: { code: "22" }, parent: { code: "VN" } });
  });

  it("agrees with the roll-up's units expected and reported, and with the report template's rows", async () => {
    const indicators = ["AWR_COMMUNE_ACTIVITY", "AWR_RISKY_WORKERS_INFORMED", "ENF_CRIMES_HANDLED"];
    for (const [u, p] of [["22", "2024-Q2"], ["193", "2024-Q2"], ["22", "2025-Q3"]] as const) {
      const cells = ok(await h.gql(`query($u: String!, $p: String!, $i: [String!]) { rollup(unitCode: $u, period: $p, indicators: $i) { cells { indicatorCode unitsExpected unitsReported } } }`, { u, p, i: indicators }, viewer())).rollup.cells;
      const st = ok(await status({ u, p, i: indicators, first: 1 })).reportingStatus.indicators;
      expect(st.map((s) => [s.indicatorCode, s.unitsExpected, s.unitsReported])).toEqual(
        cells.map((c: { indicatorCode: string; unitsExpected: number; unitsReported: number }) => [c.indicatorCode, c.unitsExpected, c.unitsReported]),
      );
      for (const s of st) {
        const response = await fetch(`${base}/reports/template?period=${p}&unitCode=${u}&indicatorCode=${s.indicatorCode}&format=csv`, { headers: { authorization: `Bearer ${reporter()}` } });
        const lines = (await response.text()).trim().split(/\r\n/).length - 1;
        expect({ u, p, code: s.indicatorCode, lines }).toEqual({ u, p, code: s.indicatorCode, lines: s.unitsExpected });
      }
    }
  });

  it("answers a district's subtree, and costs one statement whatever the size of the subtree", async () => {
    const haLong = await status({ u: "193", p: "2024-Q2", i: ["AWR_COMMUNE_ACTIVITY"], first: 5 });
    const s = ok(haLong).reportingStatus.indicators[0]!;
    const expected = old.filter((c) => c.parent_code === "193").length;
    // Hạ Long's own rule
    expect(s).toMatchObject({ unitsExpected: expected, unitsReported: 2, unitsLate: 1, deadline: "2024-07-05", deadlineRule: { daysAfterEnd: 5, inherited: false, sourceUnitCode: "193", sourceText: "báo cáo quý trước ngày 05 tháng đầu quý sau" } });
    const commune = await status({ u: reported.y2024[0]!, p: "2024-Q2", first: 5 }, h.token("22", [Role.VIEWER]));
    const nation = await status({ u: "VN", p: "2024-Q2", first: 50 }, h.token("VN", [Role.VIEWER]));
    const province = await status({ u: "22", p: "2024-Q2", first: 50 });
    for (const r of [haLong, commune, nation, province]) expect(r.errors).toBeUndefined();
    expect(ok(nation).reportingStatus.indicators.find((i) => i.indicatorCode === "AWR_COMMUNE_ACTIVITY")!.unitsExpected).toBeGreaterThan(10_000);
    expect(new Set([haLong, commune, nation, province].map((r) => r.statements))).toEqual(new Set([1]));
  });

  it("reads the tree of asOf: Quảng Ninh's 2024-Q2 on a day of 2025 has no commune of 2024 left", async () => {
    const s = await one({ u: "22", p: "2024-Q2", i: ["AWR_COMMUNE_ACTIVITY"], d: "2025-08-01" });
    expect(s).toMatchObject({ unitsExpected: 0, unitsReported: 0, completeness: null });
  });
});

describe("reportingStatus on the two-tier tree (2025-Q3)", () => {
  it("expects the new communes, straight under the province, a district's indicator too", async () => {
    const r = ok(await status({ u: "22", p: "2025-Q3", i: ["AWR_COMMUNE_ACTIVITY", "ENF_CRIMES_HANDLED"], first: 100 }));
    expect(r.reportingStatus.asOf).toBe("2025-09-30");
    const [activity, crimes] = r.reportingStatus.indicators;
    expect(activity).toMatchObject({ reportingLevel: "COMMUNE", deadline: "2025-10-15", unitsExpected: 54, unitsReported: 4, unitsLate: 1, unitsMissing: 50, unitsNotReported: 50 });
    expect(crimes).toMatchObject({ reportingLevel: "COMMUNE", deadline: "2025-10-15", unitsExpected: 54, unitsReported: 3, unitsLate: 0, unitsMissing: 51 });
    expect(activity!.reported.nodes.map((n) => [n.unit.code, n.status])).toEqual(reported.y2025!.map((code, k) => [code, k < 3 ? "REPORTED" : "LATE"]));
    for (const n of [...activity!.reported.nodes, ...activity!.notReported.nodes]) {
      expect(n.parent).toEqual({ code: "22", name: "Tỉnh Quảng Ninh", level: "PROVINCE" });
      expect(n.deadline).toBe("2025-10-15");
    }
    // the three that reported crimes did so on 1/10; their latest report for the period is the activity's of 14/10
    const crimesNode = crimes!.reported.nodes[0]!;
    expect(crimesNode).toMatchObject({ status: "REPORTED", reportedAt: "2025-10-01T03:00:00.000Z", lastReportedAt: "2025-10-14T03:00:00.000Z" });
    // a commune that reported nothing of crimes but reported its activity
    const fourth = crimes!.notReported.nodes.find((n) => n.unit.code === reported.y2025![3])!;
    expect(fourth).toMatchObject({ status: "MISSING", reportedAt: null, lastReportedAt: "2025-10-20T03:00:00.000Z" });
    expect(activity!.notReported.nodes.map((n) => n.unit.code)).toEqual(now.map((u) => u.code).filter((c) => !reported.y2025!.includes(c)));
  });

  it("gives the seeded half-year and year deadlines (15/6 and 15/12), and no level over a year that straddles the reform", async () => {
    // Quảng Ninh's 2024: the year's reports by 15/12 (its plan's words); 13 districts, none reported
    const y2024 = await one({ u: "22", p: "2024", i: ["PRV_DISTRICT_OWN_PLAN"] });
    expect(y2024).toMatchObject({
      reportingLevel: "DISTRICT",
      deadline: "2024-12-15",
      deadlineRule: { periodType: "YEAR", monthsAfterEnd: 0, day: 15, inherited: false, sourceUnitCode: "22", sourceText: "trước ngày 15/12 (đối với báo cáo tổng kết năm)" },
      unitsExpected: 13,
      unitsMissing: 13,
    });
    // Lai Châu's 2025 (434/KH-UBND): due 15/12/2025; but a district's indicator over 2025 has no level that reports all of it
    const laiChau = await one({ u: "12", p: "2025", i: ["PRV_DISTRICT_OWN_PLAN"] }, h.token("12", [Role.VIEWER]));
    expect(laiChau).toMatchObject({
      reportingLevel: null,
      deadline: "2025-12-15",
      deadlineRule: { periodType: "YEAR", day: 15, sourcePlanDocument: "434/KH-UBND", sourceUnitCode: "12" },
      unitsExpected: 0,
    });
    // the plans say so too: Quảng Ninh's own half-year and year rules and the quarter rule set above, inherited by Hạ Long's plan
    const plans = ok(
      await h.gql(
        `query($a: ID!, $b: ID!) { a: plan(id: $a) { reportingDeadlines { periodType monthsAfterEnd day daysAfterEnd inherited text sourceText } }
                                   b: plan(id: $b) { reportingDeadlines { periodType daysAfterEnd inherited sourceUnitCode } } }`,
        { a: qnPlan, b: haLongPlan },
        viewer(),
      ),
    );
    expect(plans.a.reportingDeadlines).toEqual([
      { periodType: "QUARTER", monthsAfterEnd: null, day: null, daysAfterEnd: 15, inherited: false, text: "a quarter's reports are due 15 days after it ends", sourceText: null },
      { periodType: "HALF_YEAR", monthsAfterEnd: 0, day: 15, daysAfterEnd: null, inherited: false, text: "a half-year's reports are due on day 15 of its last month", sourceText: "trước ngày 15/6 (đối với báo cáo 6 tháng)" },
      { periodType: "YEAR", monthsAfterEnd: 0, day: 15, daysAfterEnd: null, inherited: false, text: "a year's reports are due on day 15 of its last month", sourceText: "trước ngày 15/12 (đối với báo cáo tổng kết năm)" },
    ]);
    expect(plans.b.reportingDeadlines).toEqual([
      { periodType: "QUARTER", daysAfterEnd: 5, inherited: false, sourceUnitCode: "193" },
      { periodType: "HALF_YEAR", daysAfterEnd: null, inherited: true, sourceUnitCode: "22" },
      { periodType: "YEAR", daysAfterEnd: null, inherited: true, sourceUnitCode: "22" },
    ]);
    // the seeded plans without dated reports have none
    const hcmc = await planOf("79", "2024-06-30");
    expect(ok(await h.gql(`query($id: ID!) { plan(id: $id) { reportingDeadlines { periodType } } }`, { id: hcmc.id }, h.token("79", [Role.VIEWER]))).plan.reportingDeadlines).toEqual([]);
  });

  it("computes due days in the database as the rules do", async () => {
    const cases: Array<[string, { daysAfterEnd: number } | { monthsAfterEnd: number; day: number }]> = [
      ["2024-06-30", { monthsAfterEnd: 0, day: 15 }],
      ["2024-12-31", { monthsAfterEnd: 2, day: 31 }],
      ["2023-12-31", { monthsAfterEnd: 2, day: 30 }],
      ["2025-03-31", { monthsAfterEnd: -3, day: 31 }],
      ["2025-12-31", { monthsAfterEnd: 12, day: 31 }],
      ["2025-09-30", { daysAfterEnd: 15 }],
      ["2024-03-31", { daysAfterEnd: -31 }],
      ["2024-12-31", { daysAfterEnd: 366 }],
    ];
    await h.dataSource.query(`SET TimeZone = 'Pacific/Kiritimati'`);
    for (const [end, rule] of cases) {
      const [{ due }] = await h.dataSource.query(`SELECT to_char(reporting_due_date($1::date, $2, $3, $4), 'YYYY-MM-DD') AS due`, [
        end,
        "daysAfterEnd" in rule ? rule.daysAfterEnd : null,
        "monthsAfterEnd" in rule ? rule.monthsAfterEnd : null,
        "day" in rule ? rule.day : null,
      ]);
      expect({ end, rule, due }).toEqual({ end, rule, due: dueDate(end, rule) });
    }
  });
});

describe("GET /csv/reporting-status", () => {
  async function get(path: string, token?: string) {
    const response = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const bytes = Buffer.from(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, bytes, text: bytes.toString("utf8") };
  }

  it("exports one line per indicator and unit expected: UTF-8 with BOM, reported yes/no, report time, late and missing flags", async () => {
    const { status: code, headers, bytes, text } = await get("/csv/reporting-status?unit=22&period=2024-Q2&indicators=AWR_COMMUNE_ACTIVITY", viewer());
    expect(code).toBe(200);
    expect(headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(headers.get("content-disposition")).toBe('attachment; filename="reporting-status-22-2024-Q2.csv"');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...lines] = parseCsv(text.slice(1));
    expect(header).toEqual([
      "period", "indicator_code", "indicator_name_vi", "unit_code", "unit_name", "unit_level", "parent_code", "parent_name",
      "reported", "reported_at", "status", "status_text", "late", "missing", "deadline", "unit_last_reported_at",
    ]);
    expect(lines).toHaveLength(177);
    const line = (code: string) => Object.fromEntries(header!.map((k, i) => [k, lines.find((l) => l[3] === code)![i]]));
    expect(line(reported.y2024[4]!)).toMatchObject({
      period: "2024-Q2", indicator_code: "AWR_COMMUNE_ACTIVITY", unit_level: "COMMUNE", reported: "yes", reported_at: "2024-07-16T00:30:00+07:00",
      status: "LATE", status_text: "Late", late: "yes", missing: "no", deadline: "2024-07-15",
    });
    expect(line(reported.y2024[0]!)).toMatchObject({ parent_code: "193", parent_name: "Thành phố Hạ Long", status: "REPORTED", late: "no", deadline: "2024-07-05" });
    const silent = old.find((u) => !reported.y2024.includes(u.code))!;
    expect(line(silent.code)).toMatchObject({ unit_name: silent.name, parent_name: silent.parent_name, reported: "no", reported_at: "", status: "MISSING", status_text: "Missing", missing: "yes", unit_last_reported_at: "" });
    expect(line(reported.y2024[3]!).unit_last_reported_at).toBe("2024-07-20T08:00:00+07:00");
    expect(lines.map((l) => l[3])).toEqual(old.map((u) => u.code));

    // every quarterly indicator when none is named, each at its level; the same text as the query's
    const all = await get("/csv/reporting-status?unit=22&period=2025-Q3", viewer());
    const st = ok(await status({ u: "22", p: "2025-Q3", first: 1 })).reportingStatus.indicators;
    expect(parseCsv(all.text.slice(1)).slice(1)).toHaveLength(st.reduce((n, s) => n + s.unitsExpected, 0));
    const csv = ok(await h.gql(`{ reportingStatusCsv(unitCode: "22", period: "2025-Q3") }`, {}, viewer())).reportingStatusCsv;
    expect(all.text.slice(1)).toBe(csv);
  });

  it("answers errors with their HTTP status: no token, another province, a bad period, an indicator of another period type", async () => {
    expect((await get("/csv/reporting-status?unit=22&period=2024-Q2")).status).toBe(401);
    const other = await get("/csv/reporting-status?unit=22&period=2024-Q2", h.token("79", [Role.VIEWER]));
    expect(other.status).toBe(404);
    expect(JSON.parse(other.text).error).toMatchObject({ code: "NOT_FOUND", requestId: other.headers.get("x-request-id") });
    expect((await get("/csv/reporting-status?unit=22&period=2024-Q5", viewer())).status).toBe(400);
    const wrongType = await get("/csv/reporting-status?unit=22&period=2024-Q2&indicators=PRV_DISTRICT_OWN_PLAN", viewer());
    expect(wrongType.status).toBe(400);
    expect(JSON.parse(wrongType.text).error.message).toMatch(/per year, not per quarter/);
  });
});

describe("who may see it, and bad input", () => {
  it("another province's token, a commune's on its province, a district's sibling: NOT_FOUND (and nothing of Quảng Ninh in the answer)", async () => {
    for (const [token, u] of [
      [h.token("79", [Role.VIEWER, Role.REPORTER]), "22"],
      [h.token("79", [Role.VIEWER]), reported.y2024[0]!],
      [h.token(now[0]!.code, [Role.VIEWER]), "22"],
      [h.token(now[0]!.code, [Role.VIEWER]), now[1]!.code],
    ] as const) {
      for (const p of ["2024-Q2", "2025-Q3"]) {
        const r = await status({ u, p, first: 5 }, token);
        expect({ u, p, code: errorCode(r) }).toEqual({ u, p, code: "NOT_FOUND" });
        expect(r.data?.reportingStatus ?? null).toBeNull();
        expect(JSON.stringify(r.errors)).not.toMatch(/Quảng Ninh|Hạ Long/);
      }
      const csv = await h.gql(`query($u: String!) { reportingStatusCsv(unitCode: $u, period: "2024-Q2") }`, { u }, token);
      expect(errorCode(csv)).toBe("NOT_FOUND");
    }
    // a commune's own status: itself only
    const own = await one({ u: now[0]!.code, p: "2025-Q3", i: ["AWR_COMMUNE_ACTIVITY"] }, h.token(now[0]!.code, [Role.VIEWER]));
    expect(own).toMatchObject({ unitsExpected: 1, unitsReported: 1, reported: { nodes: [{ unit: { code: now[0]!.code } }] } });
  });

  it.each([
    ["a malformed period", { u: "22", p: "2024-Q5" }, "period"],
    ["a year out of range", { u: "22", p: "1999" }, "period"],
    ["an unknown indicator", { u: "22", p: "2024-Q2", i: ["AWR_COMMUNE_ACTIVITY", "NO_SUCH_INDICATOR"] }, "indicators.1"],
    ["an indicator of another period type", { u: "22", p: "2024-Q2", i: ["PRV_DISTRICT_OWN_PLAN"] }, "indicators.0"],
    ["asOf not a date", { u: "22", p: "2024-Q2", d: "2024-02-30" }, "asOf"],
    ["asOf not a date at all", { u: "22", p: "2024-Q2", d: "yesterday" }, "asOf"],
    ["a malformed unit code", { u: "22; DROP", p: "2024-Q2" }, "unitCode"],
    ["a cursor the API did not make", { u: "22", p: "2024-Q2", after: "bm90LWEtY3Vyc29y" }, "after"],
  ])("%s is BAD_USER_INPUT naming the field", async (_name, vars, field) => {
    const r = await status(vars as Parameters<typeof status>[0]);
    expect({ code: errorCode(r), field: r.errors?.[0]?.extensions?.field }).toEqual({ code: "BAD_USER_INPUT", field });
  });

  it("a code that names no unit on asOf is NOT_FOUND saying when it did", async () => {
    const r = await status({ u: "193", p: "2025-Q3" });
    expect(errorCode(r)).toBe("NOT_FOUND");
    expect(r.errors![0]!.message).toMatch(/until 2025-07-01/);
  });
});

describe("setReportingDeadlines", () => {
  const deadlineRows = () => h.dataSource.query(`SELECT period_type, days_after_end, months_after_end, due_day, source_text, set_by FROM reporting_deadline WHERE plan_id = $1 ORDER BY period_type`, [qnPlan]);
  const versionOf = async (id: string) => (await h.dataSource.query(`SELECT version FROM plan WHERE id = $1`, [id]))[0].version as number;

  it.each([
    ["an unknown period type", [{ periodType: "MONTH", daysAfterEnd: 10 }], "input.deadlines.0.periodType", /Unknown period type "MONTH"/],
    ["a period type given twice", [{ periodType: "QUARTER", daysAfterEnd: 10 }, { periodType: "quarter", day: 5 }], "input.deadlines.1.periodType", /twice/],
    ["a quarter due before it starts", [{ periodType: "QUARTER", daysAfterEnd: -100 }], "input.deadlines.0.daysAfterEnd", /2021-Q1 would be due on 2020-12-21, before it starts on 2021-01-01/],
    ["a half-year due before it starts", [{ periodType: "HALF_YEAR", monthsAfterEnd: -6, day: 30 }], "input.deadlines.0.monthsAfterEnd", /2021-H1 would be due on 2020-12-30/],
    ["both forms", [{ periodType: "YEAR", daysAfterEnd: 10, day: 15 }], "input.deadlines.0.day", /either/],
    ["a month without a day", [{ periodType: "YEAR", monthsAfterEnd: 1 }], "input.deadlines.0.day", /needs the day/],
    ["a day out of range", [{ periodType: "YEAR", day: 32 }], "input.deadlines.0.day", /1 to 31/],
    ["words without a rule", [{ periodType: "YEAR", sourceText: "trước ngày 15/12" }], "input.deadlines.0.sourceText", /give the rule too/],
  ])("refuses %s (BAD_USER_INPUT naming the field), writing nothing", async (_name, deadlines, field, message) => {
    const before = { rows: await deadlineRows(), version: await versionOf(qnPlan), audit: (await h.dataSource.query(`SELECT count(*)::int AS n FROM audit_log`))[0].n };
    const r = await setDeadlines(qnPlan, deadlines);
    expect({ code: errorCode(r), field: r.errors?.[0]?.extensions?.field }).toEqual({ code: "BAD_USER_INPUT", field });
    expect(r.errors![0]!.message).toMatch(message);
    expect({ rows: await deadlineRows(), version: await versionOf(qnPlan), audit: (await h.dataSource.query(`SELECT count(*)::int AS n FROM audit_log`))[0].n }).toEqual(before);
  });

  it("is the plan's planners': a viewer is FORBIDDEN, another province's planner gets NOT_FOUND, a commune's planner FORBIDDEN; a stale version is a CONFLICT", async () => {
    const before = await deadlineRows();
    expect(errorCode(await setDeadlines(qnPlan, [{ periodType: "QUARTER", daysAfterEnd: 20 }], viewer()))).toBe("FORBIDDEN");
    expect(errorCode(await setDeadlines(qnPlan, [{ periodType: "QUARTER", daysAfterEnd: 20 }], h.token("79", [Role.PLANNER])))).toBe("NOT_FOUND");
    expect(errorCode(await setDeadlines(qnPlan, [{ periodType: "QUARTER", daysAfterEnd: 20 }], h.token(now[0]!.code, [Role.PLANNER])))).toBe("FORBIDDEN");
    const stale = await h.gql(SET, { i: { planId: qnPlan, version: (await versionOf(qnPlan)) - 1, reason: "bản cũ", deadlines: [{ periodType: "QUARTER", daysAfterEnd: 20 }] } }, planner());
    expect({ code: errorCode(stale), field: stale.errors?.[0]?.extensions?.field }).toEqual({ code: "CONFLICT", field: "input.version" });
    expect(await deadlineRows()).toEqual(before);
  });

  it("sets, changes and removes a plan's own rules under its version, audited, and the units' deadlines follow", async () => {
    const version = await versionOf(qnPlan);
    const set = ok(await setDeadlines(qnPlan, [{ periodType: "QUARTER", monthsAfterEnd: 1, day: 10, sourceText: "trước ngày 10 tháng đầu quý sau" }], planner(), "hạn mới"));
    expect(set.setReportingDeadlines.plan.version).toBe(version + 1);
    expect(set.setReportingDeadlines.deadlines.map((d: { periodType: string }) => d.periodType)).toEqual(["QUARTER", "HALF_YEAR", "YEAR"]);
    expect(set.setReportingDeadlines.deadlines[0]).toMatchObject({ monthsAfterEnd: 1, day: 10, daysAfterEnd: null, sourceText: "trước ngày 10 tháng đầu quý sau", setBy: "qn-planner", text: "a quarter's reports are due on day 10 of the month after it" });
    const [audit] = await h.dataSource.query(
      `SELECT actor, entity_id, plan_id, old_value, new_value, reason FROM audit_log WHERE action = 'plan.deadlines' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit).toMatchObject({
      actor: "qn-planner",
      entity_id: `${qnPlan}:quarter`,
      plan_id: qnPlan,
      old_value: { periodType: "quarter", rule: { daysAfterEnd: 15, monthsAfterEnd: null, day: null, sourceText: null }, planVersion: version },
      new_value: { periodType: "quarter", rule: { daysAfterEnd: null, monthsAfterEnd: 1, day: 10, sourceText: "trước ngày 10 tháng đầu quý sau" }, planVersion: version + 1 },
      reason: "hạn mới",
    });
    // 2025-Q3 is now due 10/10: the three that reported on 14/10 are late too
    expect(await one({ u: "22", p: "2025-Q3", i: ["AWR_COMMUNE_ACTIVITY"] })).toMatchObject({ deadline: "2025-10-10", unitsLate: 4 });

    // removing the quarter rule: no deadline, nobody late or missing, the not-reported PENDING
    ok(await setDeadlines(qnPlan, [{ periodType: "QUARTER" }], planner(), "bỏ hạn quý"));
    expect((await deadlineRows()).map((r: { period_type: string }) => r.period_type)).toEqual(["half_year", "year"]);
    const none = await one({ u: "22", p: "2025-Q3", i: ["AWR_COMMUNE_ACTIVITY"], first: 3 });
    expect(none).toMatchObject({ deadline: null, deadlineRule: null, unitsLate: 0, unitsMissing: 0, unitsNotReported: 50 });
    expect(none.notReported.nodes.map((n) => n.status)).toEqual(["PENDING", "PENDING", "PENDING"]);
    expect(none.reported.nodes.map((n) => n.status)).toEqual(["REPORTED", "REPORTED", "REPORTED"]);
    // Hạ Long's communes keep their own plan's rule
    expect(await one({ u: "193", p: "2024-Q2", i: ["AWR_COMMUNE_ACTIVITY"] })).toMatchObject({ deadline: "2024-07-05", unitsLate: 1 });
    const [removal] = await h.dataSource.query(`SELECT old_value, new_value FROM audit_log WHERE action = 'plan.deadlines' ORDER BY id DESC LIMIT 1`);
    expect(removal.new_value.rule).toBeNull();
    expect(removal.old_value.rule).toMatchObject({ monthsAfterEnd: 1, day: 10 });
    // back as it was, for the blocks after this one
    ok(await setDeadlines(qnPlan, [{ periodType: "QUARTER", daysAfterEnd: 15 }], planner(), "hạn quý 15 ngày"));
  });
});

describe("before the due day (a server as on 5/10/2025)", () => {
  let g: Harness;
  beforeAll(async () => {
    g = await startHarness({ today: "2025-10-05" });
    const [{ id }] = await g.dataSource.query(`SELECT p.id FROM plan p JOIN org_unit u ON u.id = p.unit_id WHERE u.code = '22' ORDER BY p.period_start LIMIT 1`);
    const [{ version }] = await g.dataSource.query(`SELECT version FROM plan WHERE id = $1`, [id]);
    const set = await g.gql(SET, { i: { planId: id, version, reason: "hạn quý", deadlines: [{ periodType: "QUARTER", daysAfterEnd: 15 }] } }, g.token("22", [Role.PLANNER]));
    expect(set.errors).toBeUndefined();
    const codes: Array<{ code: string }> = await g.dataSource.query(
      `SELECT c.code FROM org_unit c JOIN org_unit p ON p.id = c.parent_id WHERE p.code = '22' AND c.valid_from = '2025-07-01' AND c.level = 'commune' ORDER BY c.code LIMIT 2`,
    );
    const r = await g.gql(
      `mutation($input: SubmitReportsInput!) { submitReports(input: $input) { inserted } }`,
      { input: { rows: codes.map((c) => ({ unitCode: c.code, indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2025-Q3", value: 1 })) } },
      g.token("22", [Role.REPORTER]),
    );
    expect(r.errors).toBeUndefined();
    await g.dataSource.query(`UPDATE report SET submitted_at = '2025-10-03T10:00:00+07:00' WHERE period_code = '2025-Q3'`);
  });
  afterAll(() => g?.close());

  it("units without a report are PENDING, none MISSING, until the due day has passed", async () => {
    const r = await g.gql(STATUS, { u: "22", p: "2025-Q3", i: ["AWR_COMMUNE_ACTIVITY"], first: 3 }, g.token("22", [Role.VIEWER]));
    expect(r.errors).toBeUndefined();
    expect(r.data.reportingStatus.today).toBe("2025-10-05");
    const s = r.data.reportingStatus.indicators[0];
    expect(s).toMatchObject({ deadline: "2025-10-15", unitsExpected: 54, unitsReported: 2, unitsLate: 0, unitsMissing: 0, unitsNotReported: 52 });
    expect(s.notReported.nodes.map((n: Node) => n.status)).toEqual(["PENDING", "PENDING", "PENDING"]);
  });
});

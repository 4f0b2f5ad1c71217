import { Role } from "../src/auth/auth.types";
import { loadAppRole } from "../src/db/app-role";
import { errorCode, startHarness, type Harness } from "./support/harness";

/**
 * Roll-ups restated across the reform (src/rollup/rollup.restate.rules.ts), on reports written through the API
 * by the ministry, every expected number worked out by hand in the comments. Facts of the seed's tree used:
 * - Old An Giang (89) had 156 communes and 11 districts in 2024, Kiên Giang (old 91) 144 and 15; both went
 *   wholly into the new An Giang (91) on 1/7/2025. Old HCMC (79), Bình Dương (74) and Bà Rịa - Vũng Tàu (77)
 *   went into the new HCMC (79). Lai Châu (12) kept its territory: 106 communes and 8 districts until 30/6/2025,
 *   38 communes after; its new Phường Đoàn Kết (03388) is the old 03386, 03388, 03389, 03391 and 03403, its new Xã
 *   Bình Lư (03390) the old 03390 (Thị trấn Tam Đường), 03412 and 03413.
 * - Quảng Ninh (22, 177 communes in 2024) kept its territory; its new Xã Bình Liêu (06838) is the old 06838 and
 *   06859 wholly and part of Xã Vô Ngại (06853), which was split with the new Xã Tiên Yên (06862); Tiên Yên is
 *   the old 06862, 06871 and 06889 wholly and parts of 06853, 06868, 06877 and 06880.
 * - Nghệ An's new Phường Cửa Lò (16732) is, through the mergers of 1/1/2025 (new rows then), the 2024 communes
 *   16717, 16720, 16723, 16726, 16729, 16732 and 16735: seven, each wholly, two successions each.
 * - Phường Mộc Lỵ (03980) opened on 1/1/2025 with no predecessor recorded.
 */
let h: Harness;
let ministry: string;

const SUBMIT = `mutation($rows: [ReportRowInput!]!) { submitReports(input: { rows: $rows }) { inserted } }`;
const CELL = `indicatorCode value numerator denominator sum previousSum unitsReported unitsExpected unitsMeeting completeness status required measured
  restated { exact unitsLeftOut leftOutReported parts subPeriods unitsReported unitsExpected }`;
const SOURCES = `restatedFrom { unit { code name validFrom validTo } period whole indicatorsReported }`;
const ROLLUP = `query($unit: String!, $period: String!, $ind: [String!], $asOf: Date) {
  rollup(unitCode: $unit, period: $period, indicators: $ind, asOf: $asOf) {
    period unit { code name asOf } cells { ${CELL} } ${SOURCES}
    children { unit { code name } cells { ${CELL} } ${SOURCES} }
  }
}`;
const COMPARISON = `query($period: String!, $ind: [String!], $asOf: Date) {
  nationalComparison(period: $period, indicators: $ind, asOf: $asOf) {
    period nation { cells { ${CELL} } } provinces { unit { code name } cells { ${CELL} rank } ${SOURCES} }
  }
}`;

type Row = { unitCode: string; indicatorCode: string; period: string; value?: number; numerator?: number; denominator?: number };
const ACTIVITY = "AWR_COMMUNE_ACTIVITY"; // yes/no, quarterly, ALL, share of units, communes
const PRESS = "AWR_PRESS_FREQUENCY"; // frequency, quarterly, SUM, sum, provinces
const WORKERS = "AWR_RISKY_WORKERS_INFORMED"; // ratio, quarterly, LATEST, ratio of sums, communes
const CRIMES = "ENF_CRIMES_HANDLED"; // count, quarterly, SUM, yearly change, districts then communes
const REPORTS = "ENF_REPORTS_HANDLED"; // ratio, quarterly, SUM, ratio of sums, districts then communes

const yes = (codes: string[], periods: string[], value = 1): Row[] =>
  periods.flatMap((period) => codes.map((unitCode) => ({ unitCode, indicatorCode: ACTIVITY, period, value })));
const Q2024 = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"];
const value = (unitCode: string, indicatorCode: string, period: string, v: number): Row => ({ unitCode, indicatorCode, period, value: v });
const ratio = (unitCode: string, indicatorCode: string, period: string, numerator: number, denominator: number): Row => ({
  unitCode,
  indicatorCode,
  period,
  numerator,
  denominator,
});

async function submit(rows: Row[]) {
  const r = await h.gql(SUBMIT, { rows }, ministry);
  expect(r.errors).toBeUndefined();
  expect(r.data.submitReports.inserted).toBe(rows.length);
}

async function rollup(unit: string, period: string, ind: string[] | null, asOf?: string, token = ministry) {
  const r = await h.gql(ROLLUP, { unit, period, ind, asOf }, token);
  expect(r.errors).toBeUndefined();
  return { page: r.data.rollup, statements: r.statements };
}
async function comparison(period: string, ind: string[] | null, asOf?: string) {
  const r = await h.gql(COMPARISON, { period, ind, asOf }, ministry);
  expect(r.errors).toBeUndefined();
  return { page: r.data.nationalComparison, statements: r.statements };
}
const cell = (row: any, code: string) => row.cells.find((c: any) => c.indicatorCode === code);
const child = (page: any, code: string) => page.children.find((c: any) => c.unit.code === code);
const province = (page: any, code: string) => page.provinces.find((p: any) => p.unit.code === code);
/** The figures that add up across units, to compare a restated cell with its sources. */
const sums = (c: any) => ({
  numerator: c.numerator,
  denominator: c.denominator,
  sum: c.sum,
  unitsReported: c.unitsReported,
  unitsMeeting: c.unitsMeeting,
  unitsExpected: c.unitsExpected,
});

beforeAll(async () => {
  h = await startHarness();
  ministry = h.token("VN", Object.values(Role), "ministry");
  // the fixtures restate a few units each: judge and rank them whatever the share reporting (the minimum
  // completeness, 50% by default, is tested in rollup-honest.test.ts)
  await h.dataSource.query(`UPDATE indicator SET min_completeness = 0`);
  await submit([
    // --- new An Giang's 2024, from old An Giang (89) and Kiên Giang (91) ---
    // activity, every quarter: 30280 and 30283 (89) yes all year, 30286 (89) no in Q3; 30733 (91) yes all year, 30736 (91)
    // no Q4 report: 3 communes meet of 5 that reported
    ...yes(["30280", "30283", "30733"], Q2024),
    ...yes(["30286", "30736"], ["2024-Q1", "2024-Q2"]),
    ...yes(["30286"], ["2024-Q3"], 0),
    ...yes(["30286"], ["2024-Q4"]),
    ...yes(["30736"], ["2024-Q3"]),
    // workers informed (LATEST: each commune's last report of the year): 30280 10/20 then 30/100; 30733 45/50
    ratio("30280", WORKERS, "2024-Q2", 10, 20),
    ratio("30280", WORKERS, "2024-Q4", 30, 100),
    ratio("30733", WORKERS, "2024-Q3", 45, 50),
    // press items (province level): 2 by old An Giang, 3 by Kiên Giang
    value("89", PRESS, "2024-Q1", 2),
    value("91", PRESS, "2024-Q1", 3),
    // crimes handled (districts until 30/6/2025): Long Xuyên (883, in 89) and Rạch Giá (899, in 91), 2023 and 2024
    value("883", CRIMES, "2023-Q1", 10),
    value("899", CRIMES, "2023-Q1", 5),
    value("883", CRIMES, "2024-Q1", 12),
    value("899", CRIMES, "2024-Q2", 6),
    // --- new HCMC's 2024: press items by old HCMC (79), Bình Dương (74), Bà Rịa - Vũng Tàu (77) ---
    value("79", PRESS, "2024-Q1", 2),
    value("74", PRESS, "2024-Q2", 1),
    value("77", PRESS, "2024-Q3", 3),
    // --- Lai Châu 2024: 03386 and 03388 yes all year, 03387 no Q4 report ---
    ...yes(["03386", "03388"], Q2024),
    ...yes(["03387"], ["2024-Q1", "2024-Q2", "2024-Q3"]),
    value("105", CRIMES, "2024-Q1", 3),
    // --- Quảng Ninh 2024, around the split Xã Vô Ngại (06853): 06838 and 06853 yes all year; 06859 no in Q2 ---
    ...yes(["06838", "06853"], Q2024),
    ...yes(["06859"], ["2024-Q1", "2024-Q3", "2024-Q4"]),
    ...yes(["06859"], ["2024-Q2"], 0),
    // --- Nghệ An 2024: two of the seven 2024 communes of the new Phường Cửa Lò ---
    ...yes(["16735"], Q2024),
    ...yes(["16723"], ["2024-Q1", "2024-Q2", "2024-Q3"]),
    ...yes(["16723"], ["2024-Q4"], 0),
    // --- Lai Châu 2025, straddling the reform: Q1-Q2 on the old communes and districts, Q3-Q4 on the new communes ---
    // activity: H1 03386 yes yes (meets), 03390 (Thị trấn Tam Đường) yes yes (meets), 03387 Q1 only (fails ALL);
    // H2 03388 (Đoàn Kết) yes yes (meets), 03390 (Bình Lư) yes no (fails)
    ...yes(["03386", "03390"], ["2025-Q1", "2025-Q2"]),
    ...yes(["03387"], ["2025-Q1"]),
    ...yes(["03388", "03390"], ["2025-Q3"]),
    ...yes(["03388"], ["2025-Q4"]),
    ...yes(["03390"], ["2025-Q4"], 0),
    // press items: one a quarter, all year, by the province (the same unit on both trees)
    ...["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"].map((p) => value("12", PRESS, p, 1)),
    // workers informed (a stock, LATEST): 03386 in Q2 10/20, the new 03388 in Q4 30/40
    ratio("03386", WORKERS, "2025-Q2", 10, 20),
    ratio("03388", WORKERS, "2025-Q4", 30, 40),
    // crimes handled: district 105 in Q1 (2), the new commune 03388 in Q3 (4)
    value("105", CRIMES, "2025-Q1", 2),
    value("03388", CRIMES, "2025-Q3", 4),
    // reports handled (ratio of flows, SUM): district 105 in Q2 8/10, the new 03390 in Q4 1/10
    ratio("105", REPORTS, "2025-Q2", 8, 10),
    ratio("03390", REPORTS, "2025-Q4", 1, 10),
  ]);
});
afterAll(() => h.close());

describe("a new province restated from the old provinces that went into it", () => {
  it("new An Giang's 2024 is old An Giang's and Kiên Giang's summed by each rule", async () => {
    const { page } = await rollup("91", "2024", [ACTIVITY, WORKERS, PRESS, CRIMES], "2026-01-01");
    expect(page.unit).toEqual({ code: "91", name: "Tỉnh An Giang", asOf: "2026-01-01" });
    // share of units: 3 communes meet of 156 + 144 = 300 expected (the 2024 tree's communes) = 1%; 5 reported
    expect(cell(page, ACTIVITY)).toMatchObject({ value: 1, unitsReported: 5, unitsMeeting: 3, unitsExpected: 300, completeness: 0.0167 });
    // ratio of sums, each commune's latest: (30 + 45) / (100 + 50) = 50% (not the mean of 30% and 90%)
    expect(cell(page, WORKERS)).toMatchObject({ value: 50, numerator: 75, denominator: 150, unitsReported: 2, unitsExpected: 300 });
    // a sum: 2 + 3 press items, 2 provinces expected of 2
    expect(cell(page, PRESS)).toMatchObject({ value: 5, sum: 5, unitsReported: 2, unitsExpected: 2, completeness: 1 });
    // yearly change, the year before restated too: (12 + 6) against (10 + 5) = +20%; out of 11 + 15 districts
    expect(cell(page, CRIMES)).toMatchObject({ value: 20, sum: 18, previousSum: 15, unitsReported: 2, unitsExpected: 26 });
    for (const c of page.cells) {
      expect(c.restated).toMatchObject({ exact: true, unitsLeftOut: 0, leftOutReported: 0, parts: ["2024"], subPeriods: [4] });
    }
    // the units it was made of, named as on their last day
    expect(page.restatedFrom).toEqual([
      { unit: { code: "89", name: "Tỉnh An Giang", validFrom: "2000-01-01", validTo: "2025-07-01" }, period: "2024", whole: true, indicatorsReported: [ACTIVITY, PRESS, WORKERS, CRIMES] },
      { unit: { code: "91", name: "Tỉnh Kiên Giang", validFrom: "2000-01-01", validTo: "2025-07-01" }, period: "2024", whole: true, indicatorsReported: [ACTIVITY, PRESS, WORKERS, CRIMES] },
    ]);

    // the same numbers as the two old provinces' own roll-ups on the tree of 2024, added up
    const oldAnGiang = (await rollup("89", "2024", [ACTIVITY, WORKERS, PRESS, CRIMES])).page;
    const kienGiang = (await rollup("91", "2024", [ACTIVITY, WORKERS, PRESS, CRIMES])).page;
    expect(kienGiang.unit.name).toBe("Tỉnh Kiên Giang");
    for (const code of [ACTIVITY, WORKERS, PRESS]) {
      const [a, b] = [cell(oldAnGiang, code), cell(kienGiang, code)];
      const added = Object.fromEntries(Object.entries(sums(a)).map(([k, v]) => [k, v === null ? null : (v as number) + (sums(b) as any)[k]]));
      expect(sums(cell(page, code))).toEqual(added);
      expect(a.restated).toBeNull(); // read on the tree that reported it
    }
  });

  it("a new commune from old communes that went into it wholly, through the mergers of 1/1/2025 too", async () => {
    const { page } = await rollup("40", "2024", [ACTIVITY], "2026-01-01");
    expect(page.children).toHaveLength(130);
    const cuaLo = child(page, "16732");
    expect(cuaLo.unit.name).toBe("Phường Cửa Lò");
    // 16735 met (yes all year), 16723 did not (no in Q4): 1 of the 7 communes of 2024 = 14.286%
    expect(cuaLo.cells[0]).toMatchObject({ value: 14.286, unitsReported: 2, unitsMeeting: 1, unitsExpected: 7, completeness: 0.2857 });
    expect(cuaLo.cells[0].restated).toMatchObject({ exact: true, unitsLeftOut: 0 });
    expect(cuaLo.restatedFrom.map((s: any) => [s.unit.code, s.unit.validTo, s.whole])).toEqual(
      ["16717", "16720", "16723", "16726", "16729", "16732", "16735"].map((code) => [code, "2025-01-01", true]),
    );
    // Nghệ An as a whole: out of its 460 communes of 2024
    expect(page.cells[0]).toMatchObject({ unitsReported: 2, unitsMeeting: 1, unitsExpected: 460 });
  });

  it("compares 2024 on the 34 provinces of 2026, each the sum of the provinces that went into it", async () => {
    const indicators = [ACTIVITY, WORKERS, PRESS, CRIMES];
    const restated = (await comparison("2024", indicators, "2026-01-01")).page;
    const onItsTree = (await comparison("2024", indicators)).page;
    expect(restated.provinces).toHaveLength(34);
    expect(onItsTree.provinces).toHaveLength(63);
    // which old provinces went into each new one: read from the register, as owner
    const links: Array<{ old: string; new: string }> = await h.dataSource.query(
      `SELECT o.code AS old, n.code AS new FROM org_unit_succession s
         JOIN org_unit o ON o.id = s.predecessor_id AND o.level = 'province' JOIN org_unit n ON n.id = s.successor_id`,
    );
    for (const p of restated.provinces) {
      const olds = links.filter((l) => l.new === p.unit.code).map((l) => l.old);
      // one of the 11 that kept their territory is its own source
      const sources = olds.length ? olds : [p.unit.code];
      expect(p.restatedFrom.map((s: any) => s.unit.code).sort()).toEqual([...sources].sort());
      for (const code of indicators) {
        const parts = sources.map((o) => sums(cell(province(onItsTree, o), code)));
        const added = Object.fromEntries(
          Object.keys(parts[0]!).map((k) => {
            const values = parts.map((x: any) => x[k]);
            return [k, values.every((v) => v === null) ? null : values.reduce((a, v) => a + (v ?? 0), 0)];
          }),
        );
        expect({ province: p.unit.code, code, ...sums(cell(p, code)) }).toEqual({ province: p.unit.code, code, ...added });
      }
    }
    // by hand: new HCMC's press items 2 + 1 + 3 = 6 from three provinces; Lai Châu out of its 106 communes of 2024
    expect(cell(province(restated, "79"), PRESS)).toMatchObject({ value: 6, unitsReported: 3, unitsExpected: 3 });
    expect(cell(province(restated, "91"), WORKERS)).toMatchObject({ value: 50, rank: 1 });
    expect(cell(province(restated, "12"), ACTIVITY)).toMatchObject({ unitsReported: 3, unitsMeeting: 2, unitsExpected: 106 });
    // the nation is the nation: its 10,597 communes of 2024, on either tree
    expect(restated.nation.cells.map(sums)).toEqual(onItsTree.nation.cells.map(sums));
  });
});

describe("a split commune: counted in the province, left out of the communes it went into", () => {
  it("Xã Vô Ngại's reports count in Quảng Ninh's 2024 and are listed as left out in Bình Liêu and Tiên Yên", async () => {
    const { page } = await rollup("22", "2024", [ACTIVITY], "2026-01-01");
    // the province holds Vô Ngại whole: 06838 and 06853 meet, 06859 does not: 2 of 177
    expect(page.cells[0]).toMatchObject({ value: 1.13, unitsReported: 3, unitsMeeting: 2, unitsExpected: 177 });
    expect(page.cells[0].restated).toMatchObject({ exact: true, unitsLeftOut: 0 });
    expect(page.children).toHaveLength(54);

    // Bình Liêu: the old 06838 (meets) and 06859 (does not) summed; Vô Ngại left out but expected: 1 of 3,
    // completeness 2 of 3 says one unit's reports are missing
    const binhLieu = child(page, "06838");
    expect(binhLieu.cells[0]).toMatchObject({ value: 33.333, unitsReported: 2, unitsMeeting: 1, unitsExpected: 3, completeness: 0.6667 });
    expect(binhLieu.cells[0].restated).toEqual({
      exact: false,
      unitsLeftOut: 1,
      leftOutReported: 1,
      parts: ["2024"],
      subPeriods: [4],
      unitsReported: [2],
      unitsExpected: [3],
    });
    expect(binhLieu.restatedFrom.map((s: any) => [s.unit.code, s.unit.name, s.whole, s.indicatorsReported])).toEqual([
      ["06838", "Thị trấn Bình Liêu", true, [ACTIVITY]],
      ["06853", "Xã Vô Ngại", false, [ACTIVITY]],
      ["06859", "Xã Húc Động", true, [ACTIVITY]],
    ]);
    // Tiên Yên: none of its three whole predecessors reported; four split ones expected, Vô Ngại reported
    const tienYen = child(page, "06862");
    expect(tienYen.cells[0]).toMatchObject({ value: null, unitsReported: 0, unitsExpected: 7, completeness: 0, status: "NO_DATA" });
    expect(tienYen.cells[0].restated).toMatchObject({ exact: false, unitsLeftOut: 4, leftOutReported: 1 });
    expect(tienYen.restatedFrom.filter((s: any) => !s.whole).map((s: any) => s.unit.code)).toEqual(["06853", "06868", "06877", "06880"]);
  });

  it("the CSV carries the same restating", async () => {
    const base = `http://127.0.0.1:${await h.server.listen(0)}`;
    const response = await fetch(`${base}/csv/rollup?unit=22&period=2024&asOf=2026-01-01`, { headers: { authorization: `Bearer ${ministry}` } });
    expect(response.status).toBe(200);
    const lines = (await response.text()).split("\r\n");
    expect(lines[0]).toMatch(/,gap,rank,restated_from,restated_exact,left_out,tree_parts$/);
    const binhLieu = lines.find((l) => l.startsWith(`2024,06838,Xã Bình Liêu,COMMUNE,child,${ACTIVITY},`))!;
    expect(binhLieu).toMatch(/,33\.333,,,2,3,0\.6667,/);
    // (a field with ";" is quoted)
    expect(binhLieu.endsWith(`,"06838 Thị trấn Bình Liêu; 06859 Xã Húc Động",false,06853 Xã Vô Ngại (reported),2024 (4) 2/3`)).toBe(true);

    const national = await h.gql(`{ nationalComparisonCsv(period: "2024", indicators: ["${PRESS}"], asOf: "2026-01-01") }`, {}, ministry);
    expect(national.errors).toBeUndefined();
    const hcmc = (national.data.nationalComparisonCsv as string).split("\r\n").find((l) => l.startsWith("2024,79,"))!;
    expect(hcmc).toMatch(/^2024,79,Thành phố Hồ Chí Minh,PROVINCE,province,AWR_PRESS_FREQUENCY,/);
    expect(hcmc.endsWith(`,"74 Tỉnh Bình Dương; 77 Tỉnh Bà Rịa - Vũng Tàu; 79 Thành phố Hồ Chí Minh",true,,2024 (4) 3/3`)).toBe(true);
  });
});

describe("units expected on the tree that reported the period", () => {
  it("Lai Châu's 2024 on the tree of 2026: out of its 106 communes and 8 districts of 2024, its children the 38 new communes", async () => {
    const { page } = await rollup("12", "2024", [ACTIVITY, CRIMES], "2026-01-01");
    // 03386 and 03388 meet; 03387 reported three quarters: 2 of 106
    expect(cell(page, ACTIVITY)).toMatchObject({ value: 1.887, unitsReported: 3, unitsMeeting: 2, unitsExpected: 106, completeness: 0.0283 });
    expect(cell(page, CRIMES)).toMatchObject({ sum: 3, unitsReported: 1, unitsExpected: 8 });
    // the province is its own source, reported on an earlier tree
    expect(cell(page, ACTIVITY).restated).toMatchObject({ exact: true, parts: ["2024"], unitsExpected: [106] });
    expect(page.restatedFrom.map((s: any) => s.unit.code)).toEqual(["12"]);
    expect(page.children).toHaveLength(38);
    // the new Đoàn Kết: 2 of its 5 old communes met
    expect(cell(child(page, "03388"), ACTIVITY)).toMatchObject({ value: 40, unitsReported: 2, unitsMeeting: 2, unitsExpected: 5 });
    // a district measure cannot be restated on communes (no district went into a commune): nothing expected
    expect(cell(child(page, "03388"), CRIMES)).toMatchObject({ value: null, unitsReported: 0, unitsExpected: 0, completeness: null });

    // on its own tree the same province figures, no restating
    const own = (await rollup("12", "2024", [ACTIVITY])).page;
    expect(sums(own.cells[0])).toEqual(sums(cell(page, ACTIVITY)));
    expect(own.cells[0].restated).toBeNull();
    expect(own.restatedFrom).toEqual([]);
    expect(own.children).toHaveLength(8);
  });
});

describe("the year that straddles the reform", () => {
  it("Lai Châu's 2025: Q1-Q2 from the old communes, Q3-Q4 from the new, each unit judged over its half, as a share of unit-halves", async () => {
    const { page } = await rollup("12", "2025", [ACTIVITY, PRESS, WORKERS, CRIMES, REPORTS]);
    expect(page.unit.asOf).toBe("2025-12-31");
    // ALL per half: H1 03386 and 03390 meet, 03387 (one quarter) does not: 3 reported, 2 meet, of 106;
    // H2 03388 meets, 03390 does not: 2 reported, 1 meets, of 38. The year: 3 of 106 + 38 = 144 = 2.083%
    expect(cell(page, ACTIVITY)).toMatchObject({ value: 2.083, unitsReported: 5, unitsMeeting: 3, unitsExpected: 144, completeness: 0.0347 });
    expect(cell(page, ACTIVITY).restated).toEqual({
      exact: true,
      unitsLeftOut: 0,
      leftOutReported: 0,
      parts: ["2025-H1", "2025-H2"],
      subPeriods: [2, 2],
      unitsReported: [3, 2],
      unitsExpected: [106, 38],
    });
    // a sum over both halves by the same province: 4 items, one a quarter, meets its plan's quarterly frequency
    expect(cell(page, PRESS)).toMatchObject({ sum: 4, unitsReported: 2, unitsExpected: 2, status: "MET", required: 4, measured: 4 });
    expect(cell(page, PRESS).restated).toMatchObject({ parts: ["2025-H1", "2025-H2"], unitsReported: [1, 1], unitsExpected: [1, 1] });
    // a stock (LATEST): the state at the year's end, on the new tree only: 30/40
    expect(cell(page, WORKERS)).toMatchObject({ value: 75, numerator: 30, denominator: 40, unitsReported: 1, unitsExpected: 38 });
    expect(cell(page, WORKERS).restated).toMatchObject({ parts: ["2025-H2"], subPeriods: [2] });
    // the district measure on 8 districts in H1, 38 communes in H2; 2 + 4 against 2024's 3 = +100%
    expect(cell(page, CRIMES)).toMatchObject({ sum: 6, previousSum: 3, value: 100, unitsExpected: 46 });
    expect(cell(page, CRIMES).restated).toMatchObject({ unitsReported: [1, 1], unitsExpected: [8, 38] });
    // a ratio of flows over both halves: (8 + 1) / (10 + 10) = 45%
    expect(cell(page, REPORTS)).toMatchObject({ value: 45, numerator: 9, denominator: 20 });

    // the new communes: their H1 from the old communes that went into them, their H2 their own
    expect(page.children).toHaveLength(38);
    const doanKet = child(page, "03388");
    // H1: 03386 meets, of 5; H2: itself meets, of 1: 2 of 6
    expect(cell(doanKet, ACTIVITY)).toMatchObject({ value: 33.333, unitsReported: 2, unitsMeeting: 2, unitsExpected: 6 });
    expect(cell(doanKet, ACTIVITY).restated).toMatchObject({ parts: ["2025-H1", "2025-H2"], unitsReported: [1, 1], unitsExpected: [5, 1] });
    expect(doanKet.restatedFrom.map((s: any) => `${s.period} ${s.unit.code} ${s.unit.name}`)).toEqual([
      "2025-H1 03386 Phường Quyết Thắng",
      "2025-H1 03388 Phường Quyết Tiến",
      "2025-H1 03389 Phường Đoàn Kết",
      "2025-H1 03391 Xã Lả Nhì Thàng",
      "2025-H1 03403 Xã Sùng Phài",
      "2025-H2 03388 Phường Đoàn Kết",
    ]);
    // Bình Lư: H1 the old Tam Đường meets (of 3), H2 it does not (of 1): 1 of 4
    expect(cell(child(page, "03390"), ACTIVITY)).toMatchObject({ value: 25, unitsReported: 2, unitsMeeting: 1, unitsExpected: 4 });

    // why the halves: the stored year of an old commune expects four quarters and fails it
    const [stored] = await h.dataSource.query(
      `SELECT s.units_meeting FROM report_summary s JOIN org_unit u ON u.id = s.unit_id JOIN indicator i ON i.id = s.indicator_id
        WHERE u.code = '03386' AND u.valid_from = '2000-01-01' AND i.code = $1 AND s.period_code = '2025'`,
      [ACTIVITY],
    );
    expect(stored.units_meeting).toBe(0);
  });

  it("the national comparison of 2025: Lai Châu's row is its page's, with its parts", async () => {
    const { page } = await comparison("2025", [ACTIVITY]);
    expect(page.provinces).toHaveLength(34);
    expect(sums(cell(province(page, "12"), ACTIVITY))).toEqual({
      numerator: null,
      denominator: null,
      sum: 3,
      unitsReported: 5,
      unitsMeeting: 3,
      unitsExpected: 144,
    });
  });
});

describe("a province user of the new An Giang", () => {
  it("reads its restated 2024 (through the old provinces that became part of it) but not Cà Mau's", async () => {
    const anGiang = h.token("91", [Role.VIEWER], "an-giang-viewer");
    const mine = (await rollup("91", "2024", [ACTIVITY, PRESS], "2026-01-01", anGiang)).page;
    const ministrys = (await rollup("91", "2024", [ACTIVITY, PRESS], "2026-01-01")).page;
    expect(mine.cells.map(sums)).toEqual(ministrys.cells.map(sums));
    expect(mine.cells[0]).toMatchObject({ unitsMeeting: 3, unitsExpected: 300 });
    expect(mine.restatedFrom.map((s: any) => s.unit.name)).toEqual(["Tỉnh An Giang", "Tỉnh Kiên Giang"]);
    const caMau = await h.gql(ROLLUP, { unit: "96", period: "2024", ind: [ACTIVITY], asOf: "2026-01-01" }, anGiang);
    expect(errorCode(caMau)).toBe("NOT_FOUND");
    expect(errorCode(await h.gql(COMPARISON, { period: "2024", asOf: "2026-01-01" }, anGiang))).toBe("FORBIDDEN");
  });
});

describe("cheap reads", () => {
  it("a restated page costs the statements of a page on its own tree, whatever its size, and never reads the reports", async () => {
    const own = await rollup("22", "2024", null);
    const restated = await rollup("22", "2024", null, "2026-01-01");
    const commune = await rollup("06838", "2024", null, "2026-01-01");
    const straddling = await rollup("12", "2025", null);
    const nation = await comparison("2024", null, "2026-01-01");
    expect(restated.page.children).toHaveLength(54);
    expect(nation.page.provinces).toHaveLength(34);
    // one statement for units, sources, summaries and counts, one for the effective targets (none once they are cached)
    for (const r of [restated, commune, straddling, nation]) expect(r.statements).toBeLessThanOrEqual(own.statements);
    expect(own.statements).toBeLessThanOrEqual(2);

    // the same reads with the report table closed to the application: they only read the maintained summaries
    const role = loadAppRole({ ...process.env, NODE_ENV: "test" }).user;
    await h.dataSource.query(`REVOKE SELECT ON report FROM ${role}`);
    try {
      expect((await rollup("22", "2024", null, "2026-01-01")).page.children).toHaveLength(54);
      expect((await rollup("12", "2025", null)).page.children).toHaveLength(38);
      expect((await comparison("2024", null, "2026-01-01")).page.provinces).toHaveLength(34);
      await expect(h.appDataSource.query(`SELECT 1 FROM report LIMIT 1`)).rejects.toThrow(/permission denied/);
    } finally {
      await h.dataSource.query(`GRANT SELECT ON report TO ${role}`);
    }
  });
});

describe("bad input: a coded error naming the field", () => {
  const refused = async (variables: Record<string, unknown>, query = ROLLUP) => {
    const r = await h.gql(query, variables, ministry);
    return { code: errorCode(r), field: r.errors?.[0]?.extensions?.field, message: r.errors?.[0]?.message ?? "" };
  };

  it("an asOf that is not a date", async () => {
    for (const asOf of ["2025-02-30", "yesterday", "1944-12-31"]) {
      expect(await refused({ unit: "91", period: "2024", asOf })).toMatchObject({ code: "BAD_USER_INPUT", field: "asOf" });
      expect(await refused({ period: "2024", asOf }, COMPARISON)).toMatchObject({ code: "BAD_USER_INPUT", field: "asOf" });
    }
  });

  it("an asOf earlier than the period with a reform in between: the period's tree did not exist yet", async () => {
    // on 30/6/2025, 91 is Kiên Giang, whose tree changed the next day, before 2025-Q3 was reported
    const early = await refused({ unit: "91", period: "2025-Q3", asOf: "2025-06-30" });
    expect(early).toMatchObject({ code: "BAD_USER_INPUT", field: "asOf" });
    expect(early.message).toContain("changed on 2025-07-01");
    expect(await refused({ period: "2025", asOf: "2025-03-31" }, COMPARISON)).toMatchObject({ code: "BAD_USER_INPUT", field: "asOf" });
    // allowed when no reform lies between them: the same tree
    expect((await rollup("12", "2024-Q4", [ACTIVITY], "2024-06-30")).page.cells[0].unitsExpected).toBe(106);
    const late = (await rollup("12", "2025", [ACTIVITY], "2025-09-30")).page;
    expect(cell(late, ACTIVITY)).toMatchObject({ unitsMeeting: 3, unitsExpected: 144 });
  });

  it("a period in which the unit did not exist and that no predecessor reported", async () => {
    // Phường Mộc Lỵ opened on 1/1/2025 with no predecessor recorded
    const r = await refused({ unit: "03980", period: "2024", asOf: "2025-03-01" });
    expect(r).toMatchObject({ code: "BAD_USER_INPUT", field: "period" });
    expect(r.message).toContain("did not exist in 2024");
    // an unknown indicator: not found, naming it
    const unknown = await h.gql(ROLLUP, { unit: "91", period: "2024", ind: ["NOPE"], asOf: "2026-01-01" }, ministry);
    expect(errorCode(unknown)).toBe("NOT_FOUND");
    expect(unknown.errors![0]!.message).toContain("NOPE");
  });
});

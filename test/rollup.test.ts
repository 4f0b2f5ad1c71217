import { Role } from "../src/auth/auth.types";
import { errorCode, startHarness, type Harness } from "./support/harness";

/**
 * Roll-ups on small fixtures of reports written through the mutation, with every expected number
 * worked out by hand in the comments. The fixtures report 2023 and 2024, on the three-tier tree of the
 * 2024 list (a roll-up's tree is that of its period's last day): Quảng Ninh (22) has 13 districts and
 * 177 communes; huyện Bình Liêu (198) has 7 communes, huyện Cô Tô (207) 3. Lai Châu (12) has 8 districts
 * and 106 communes. The nation has 63 provinces. (2025-Q3 on, the two-tier tree: see report-period.test.ts.)
 */
let h: Harness;
let qnReporter: string;
let lcReporter: string;
let ministry: string;

const SUBMIT = `mutation($rows: [ReportRowInput!]!) { submitReports(input: { rows: $rows }) { inserted updated unchanged } }`;
const CELL = `indicatorCode value numerator denominator sum previousSum unitsReported unitsExpected unitsMeeting completeness
  status required measured gap rank target { value { kind share count frequencyInterval changeLow changeHigh } inherited sourcePlanDocument sourceUnitCode }`;
const ROLLUP = `query($unit: String!, $period: String!, $ind: [String!]) {
  rollup(unitCode: $unit, period: $period, indicators: $ind) {
    period unit { code } cells { ${CELL} } children { unit { code } cells { ${CELL} } }
  }
}`;
const COMPARISON = `query($period: String!, $ind: [String!]) {
  nationalComparison(period: $period, indicators: $ind) {
    period indicators { code } nation { unit { code } cells { ${CELL} } } provinces { unit { code name } cells { ${CELL} } }
  }
}`;

type Row = { unitCode: string; indicatorCode: string; period: string; value?: number; numerator?: number; denominator?: number };
const rowsOf = (indicatorCode: string, period: string, values: Record<string, number>): Row[] =>
  Object.entries(values).map(([unitCode, value]) => ({ unitCode, indicatorCode, period, value }));

async function submit(token: string, rows: Row[]) {
  const r = await h.gql(SUBMIT, { rows }, token);
  expect(r.errors).toBeUndefined();
  return r.data.submitReports;
}

async function rollup(unit: string, period: string, ind: string[] | null, token = qnReporter) {
  const r = await h.gql(ROLLUP, { unit, period, ind }, token);
  expect(r.errors).toBeUndefined();
  return { page: r.data.rollup, statements: r.statements };
}
const child = (page: any, code: string) => page.children.find((c: any) => c.unit.code === code);

beforeAll(async () => {
  h = await startHarness();
  qnReporter = h.token("22", [Role.REPORTER, Role.VIEWER], "qn-reporter");
  lcReporter = h.token("12", [Role.REPORTER, Role.VIEWER], "lc-reporter");
  ministry = h.token("VN", [Role.VIEWER], "ministry");

  // Bình Liêu tightens the province's 75% to 90% in a plan of its own; a lower-is-better test indicator
  // (violations found) with a ceiling of 10 in Quảng Ninh's plan.
  await h.dataSource.query(`
    WITH qn AS (SELECT p.id, p.program_id FROM plan p JOIN org_unit u ON u.id = p.unit_id WHERE u.code = '22'),
    bl AS (
      INSERT INTO plan (program_id, unit_id, parent_plan_id, title, document_number, period_start, period_end, created_by)
      SELECT qn.program_id, u.id, qn.id, 'Kế hoạch thử nghiệm Bình Liêu', 'TEST/KH-BL', '2021-01-01', '2025-12-31', 'test'
        FROM qn, org_unit u WHERE u.code = '198'
      RETURNING id)
    INSERT INTO target (plan_id, indicator_id, kind, share, updated_by)
    SELECT bl.id, i.id, 'share_floor', 90, 'test' FROM bl, indicator i WHERE i.code = 'AWR_COMMUNE_ACTIVITY'`);
  await h.dataSource.query(`
    INSERT INTO indicator (program_id, code, name_vi, name_en, area, value_kind, direction, rollup_rule, reporting_level,
                           period_type, period_rule, measured_on, sort_order)
    SELECT id, 'TEST_VIOLATIONS', 'Vi phạm phát hiện', 'Violations found', 'enforcement', 'count', 'lower_is_better', 'sum',
           'district', 'quarter', 'sum', 'violations found in the period', 999 FROM program;
    INSERT INTO target (plan_id, indicator_id, kind, count, updated_by)
    SELECT p.id, i.id, 'count_ceiling', 10, 'test' FROM plan p JOIN org_unit u ON u.id = p.unit_id, indicator i
     WHERE u.code = '22' AND i.code = 'TEST_VIOLATIONS'`);
  // Lai Châu's "at least 1 district with a pilot model" is in its 2025 plan (434/KH-UBND), and a yearly district
  // indicator has no 2025 (the districts end on 30/6/2025): its 2021-2025 plan carries the same target for 2024.
  await h.dataSource.query(`
    INSERT INTO target (plan_id, indicator_id, kind, count, updated_by)
    SELECT p.id, i.id, 'count_floor', 1, 'test' FROM plan p JOIN org_unit u ON u.id = p.unit_id, indicator i
     WHERE u.code = '12' AND p.document_number = '3742/KH-UBND' AND i.code = 'HRM_PILOT_MODEL_DISTRICTS'`);

  // these fixtures work the math out on a few units each: judge and rank them whatever the share reporting (the
  // minimum completeness, 50% by default, is tested in rollup-honest.test.ts)
  await h.dataSource.query(`UPDATE indicator SET min_completeness = 0`);
  await submit(qnReporter, [
    // Bình Liêu 6 of 7 communes yes; Cô Tô 3 of 3
    ...rowsOf("AWR_COMMUNE_ACTIVITY", "2024-Q1", { "06838": 1, "06841": 1, "06844": 1, "06847": 1, "06853": 1, "06856": 1, "06859": 0 }),
    ...rowsOf("AWR_COMMUNE_ACTIVITY", "2024-Q1", { "07192": 1, "07195": 1, "07198": 1 }),
    // Cô Tô through the year: 07192 yes every quarter, 07195 a no in Q2, 07198 no Q4 report
    ...rowsOf("AWR_COMMUNE_ACTIVITY", "2024-Q2", { "07192": 1, "07195": 0, "07198": 1 }),
    ...rowsOf("AWR_COMMUNE_ACTIVITY", "2024-Q3", { "07192": 1, "07195": 1, "07198": 1 }),
    ...rowsOf("AWR_COMMUNE_ACTIVITY", "2024-Q4", { "07192": 1, "07195": 1 }),
    // workers informed: 1/2 and 90/100
    { unitCode: "07192", indicatorCode: "AWR_RISKY_WORKERS_INFORMED", period: "2024-Q1", numerator: 1, denominator: 2 },
    { unitCode: "07195", indicatorCode: "AWR_RISKY_WORKERS_INFORMED", period: "2024-Q1", numerator: 90, denominator: 100 },
    // crimes handled, per district and quarter: 2023 Bình Liêu 10 a quarter, Cô Tô 5; 2024 Bình Liêu 12, 11, 10, 10, Cô Tô 5 each
    ...["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"].flatMap((p) => rowsOf("ENF_CRIMES_HANDLED", p, { "198": 10, "207": 5 })),
    ...[12, 11, 10, 10].flatMap((v, i) => rowsOf("ENF_CRIMES_HANDLED", `2024-Q${i + 1}`, { "198": v, "207": 5 })),
    // press items published by the province: 2 in Q1, 4 in Q2 (monthly target)
    ...rowsOf("AWR_PRESS_FREQUENCY", "2024-Q1", { "22": 2 }),
    ...rowsOf("AWR_PRESS_FREQUENCY", "2024-Q2", { "22": 4 }),
    // violations (less is better, at most 10): Q1 4 + 3 = 7; Q2 4 + 3 + 5 = 12
    ...rowsOf("TEST_VIOLATIONS", "2024-Q1", { "198": 4, "207": 3 }),
    ...rowsOf("TEST_VIOLATIONS", "2024-Q2", { "198": 4, "207": 3, "199": 5 }),
  ]);
  await submit(lcReporter, [
    // Lai Châu: 1 district of 8 runs a pilot model (target: at least 1 district); 2 of 106 communes active; 1 press item
    // in 2024-Q1, and 1 in 2025-Q1 (still the three-tier tree), when its own plan 434/KH-UBND asks one a quarter
    ...rowsOf("HRM_PILOT_MODEL_DISTRICTS", "2024", { "105": 1, "106": 0 }),
    ...rowsOf("AWR_COMMUNE_ACTIVITY", "2024-Q1", { "03386": 1, "03387": 1 }),
    ...rowsOf("AWR_PRESS_FREQUENCY", "2024-Q1", { "12": 1 }),
    ...rowsOf("AWR_PRESS_FREQUENCY", "2025-Q1", { "12": 1 }),
  ]);
});
afterAll(() => h.close());

describe("roll-up math on hand-worked fixtures", () => {
  it("share of units: units meeting over ALL units expected, with completeness, each child against its own target", async () => {
    const { page } = await rollup("22", "2024-Q1", ["AWR_COMMUNE_ACTIVITY"]);
    expect(page.period).toBe("2024-Q1");
    // province: 9 communes meeting of 177 = 5.085%; 10 reported of 177
    expect(page.cells[0]).toMatchObject({
      value: 5.085,
      unitsReported: 10,
      unitsExpected: 177,
      unitsMeeting: 9,
      completeness: 0.0565,
      status: "NOT_MET",
      required: 75,
      gap: 69.915,
      target: { value: { kind: "SHARE_FLOOR", share: 75 }, inherited: false, sourceUnitCode: "22" },
    });
    expect(page.children).toHaveLength(13);
    // Bình Liêu: 6/7 = 85.714%, would meet the province's 75% but not its own 90%
    expect(child(page, "198").cells[0]).toMatchObject({
      value: 85.714,
      unitsReported: 7,
      unitsExpected: 7,
      completeness: 1,
      status: "NOT_MET",
      gap: 4.286,
      target: { value: { share: 90 }, inherited: false, sourcePlanDocument: "TEST/KH-BL", sourceUnitCode: "198" },
    });
    // Cô Tô: 3/3 = 100% against the 75% it inherits
    expect(child(page, "207").cells[0]).toMatchObject({
      value: 100,
      status: "MET",
      gap: -25,
      target: { value: { share: 75 }, inherited: true, sourceUnitCode: "22" },
    });
    // Hạ Long: nothing reported, 33 communes expected
    expect(child(page, "193").cells[0]).toMatchObject({ value: null, unitsReported: 0, unitsExpected: 33, completeness: 0, status: "NO_DATA", gap: null });
  });

  it("a year of a quarterly yes/no follows the period rule ALL (yes in every quarter)", async () => {
    const { page } = await rollup("207", "2024", ["AWR_COMMUNE_ACTIVITY"]);
    // only 07192 said yes in all four quarters: 1/3
    expect(page.cells[0]).toMatchObject({ value: 33.333, unitsReported: 3, unitsMeeting: 1, status: "NOT_MET" });
    const half = await rollup("207", "2024-H1", ["AWR_COMMUNE_ACTIVITY"]);
    // H1: 07192 yes, yes; 07195 yes, no; 07198 yes, yes → 2/3
    expect(half.page.cells[0]).toMatchObject({ value: 66.667, unitsMeeting: 2 });
    const commune = await rollup("07195", "2024", ["AWR_COMMUNE_ACTIVITY"]);
    expect(commune.page.cells[0]).toMatchObject({ value: 0, unitsReported: 1, unitsExpected: 1 });
    // the province's year: Bình Liêu reported Q1 only (no one meets ALL), Cô Tô 1 → 1/177
    const province = await rollup("22", "2024", ["AWR_COMMUNE_ACTIVITY"]);
    expect(province.page.cells[0]).toMatchObject({ value: 0.565, unitsReported: 10, unitsMeeting: 1 });
  });

  it("ratio of sums, never the mean of percentages", async () => {
    const { page } = await rollup("207", "2024-Q1", ["AWR_RISKY_WORKERS_INFORMED"]);
    // 91/102 = 89.216% (the mean of 50% and 90% would be 70%, below the 75% target)
    expect(page.cells[0]).toMatchObject({ value: 89.216, numerator: 91, denominator: 102, unitsReported: 2, unitsExpected: 3, status: "MET", gap: -14.216 });
    expect(page.children.find((c: any) => c.unit.code === "07192").cells[0]).toMatchObject({ value: 50, status: "NOT_MET", gap: 25 });
  });

  it("period rules of ratios: LATEST takes each unit's last report (stocks), SUM adds the quarters (flows)", async () => {
    await submit(qnReporter, [
      // 07192 reports again in Q2 (2 of 2); 07195 only had Q1 (90/100)
      { unitCode: "07192", indicatorCode: "AWR_RISKY_WORKERS_INFORMED", period: "2024-Q2", numerator: 2, denominator: 2 },
      // reports and complaints handled in time (SUM): Bình Liêu 3/4 in Q1, 5/6 in Q2
      { unitCode: "198", indicatorCode: "ENF_REPORTS_HANDLED", period: "2024-Q1", numerator: 3, denominator: 4 },
      { unitCode: "198", indicatorCode: "ENF_REPORTS_HANDLED", period: "2024-Q2", numerator: 5, denominator: 6 },
    ]);
    // year, LATEST: 07192 → 2/2, 07195 → 90/100: 92/102 = 90.196%
    const stock = await rollup("207", "2024", ["AWR_RISKY_WORKERS_INFORMED"]);
    expect(stock.page.cells[0]).toMatchObject({ value: 90.196, numerator: 92, denominator: 102, unitsReported: 2 });
    // half-year, SUM: (3 + 5) / (4 + 6) = 80%, below the 100% target
    const flow = await rollup("198", "2024-H1", ["ENF_REPORTS_HANDLED"]);
    expect(flow.page.cells[0]).toMatchObject({ value: 80, numerator: 8, denominator: 10, status: "NOT_MET", gap: 20 });
  });

  it("yearly change compares the year's sum with the previous year's, in both directions against the range", async () => {
    const { page } = await rollup("22", "2024", ["ENF_CRIMES_HANDLED"]);
    // province: 2024 = 43 + 20 = 63, 2023 = 40 + 20 = 60 → +5%, range 4-6% → met
    expect(page.cells[0]).toMatchObject({ value: 5, sum: 63, previousSum: 60, status: "MET", required: 4, gap: -1 });
    // Bình Liêu 43 vs 40 = +7.5% met; Cô Tô 20 vs 20 = 0% not met, 4 points short
    expect(child(page, "198").cells[0]).toMatchObject({ value: 7.5, status: "MET" });
    expect(child(page, "207").cells[0]).toMatchObject({ value: 0, status: "NOT_MET", gap: 4 });
    // a quarter compares with the same quarter a year before: Q1 17 vs 15 = +13.333%
    const q1 = await rollup("22", "2024-Q1", ["ENF_CRIMES_HANDLED"]);
    expect(q1.page.cells[0]).toMatchObject({ value: 13.333, sum: 17, previousSum: 15 });
  });

  it("frequency targets: items against what the interval implies for the period", async () => {
    // monthly: 3 a quarter, 6 a half-year, 12 a year
    const cases: Array<[string, number, number, string, number]> = [
      ["2024-Q1", 2, 3, "NOT_MET", 1],
      ["2024-Q2", 4, 3, "MET", -1],
      ["2024-H1", 6, 6, "MET", 0],
      ["2024", 6, 12, "NOT_MET", 6],
    ];
    for (const [period, measured, required, status, gap] of cases) {
      const { page } = await rollup("22", period, ["AWR_PRESS_FREQUENCY"]);
      expect({ period, ...page.cells[0] }).toMatchObject({ period, value: measured, measured, required, status, gap });
    }
    // Lai Châu asks once a quarter in 2025 (434/KH-UBND): 1 item in 2025-Q1 meets it
    const lc = await rollup("12", "2025-Q1", ["AWR_PRESS_FREQUENCY"], lcReporter);
    expect(lc.page.cells[0]).toMatchObject({
      measured: 1,
      required: 1,
      status: "MET",
      target: { value: { frequencyInterval: "QUARTER" }, inherited: false, sourcePlanDocument: "434/KH-UBND" },
    });
    // in 2024 it had no press target of its own: the same 1 item against the nation's monthly one (3 a quarter)
    const lc2024 = await rollup("12", "2024-Q1", ["AWR_PRESS_FREQUENCY"], lcReporter);
    expect(lc2024.page.cells[0]).toMatchObject({
      measured: 1,
      required: 3,
      status: "NOT_MET",
      target: { value: { frequencyInterval: "MONTH" }, inherited: true, sourceUnitCode: "VN" },
    });
  });

  it("status in both directions: a ceiling on a lower-is-better count", async () => {
    const q1 = await rollup("22", "2024-Q1", ["TEST_VIOLATIONS"]);
    expect(q1.page.cells[0]).toMatchObject({ value: 7, required: 10, status: "MET", gap: -3 });
    const q2 = await rollup("22", "2024-Q2", ["TEST_VIOLATIONS"]);
    expect(q2.page.cells[0]).toMatchObject({ value: 12, required: 10, status: "NOT_MET", gap: 2 });
    const h1 = await rollup("22", "2024-H1", ["TEST_VIOLATIONS"]);
    expect(h1.page.cells[0]).toMatchObject({ value: 19, status: "NOT_MET", gap: 9 });
  });

  it("a count target on a share of units: at least 1 district of 8", async () => {
    const { page } = await rollup("12", "2024", ["HRM_PILOT_MODEL_DISTRICTS"], lcReporter);
    expect(page.cells[0]).toMatchObject({
      value: 12.5,
      unitsReported: 2,
      unitsExpected: 8,
      unitsMeeting: 1,
      completeness: 0.25,
      measured: 1,
      required: 1,
      status: "MET",
      gap: 0,
      target: { value: { kind: "COUNT_FLOOR", count: 1 }, sourcePlanDocument: "3742/KH-UBND" },
    });
  });

  it("answers NOT_FOUND outside the caller's subtree and for unknown indicators", async () => {
    expect(errorCode(await h.gql(ROLLUP, { unit: "12", period: "2024" }, qnReporter))).toBe("NOT_FOUND");
    expect(errorCode(await h.gql(ROLLUP, { unit: "VN", period: "2024" }, qnReporter))).toBe("NOT_FOUND");
    expect(errorCode(await h.gql(ROLLUP, { unit: "22", period: "2024", ind: ["NOPE"] }, qnReporter))).toBe("NOT_FOUND");
    expect(errorCode(await h.gql(ROLLUP, { unit: "22", period: "2024-Q7" }, qnReporter))).toBe("BAD_USER_INPUT");
    // a district has no roll-up for 2025: the year ends on the two-tier tree, and the answer says when 198 named a unit
    const gone = await h.gql(ROLLUP, { unit: "198", period: "2025" }, qnReporter);
    expect(errorCode(gone)).toBe("NOT_FOUND");
    expect(gone.errors![0]!.message).toContain("Huyện Bình Liêu from 2000-01-01 until 2025-07-01");
  });
});

describe("national comparison", () => {
  it("ranks every province per indicator with target, status and completeness", async () => {
    const r = await h.gql(COMPARISON, { period: "2024-Q1", ind: ["AWR_COMMUNE_ACTIVITY", "AWR_PRESS_FREQUENCY"] }, ministry);
    expect(r.errors).toBeUndefined();
    const c = r.data.nationalComparison;
    expect(c.indicators.map((i: any) => i.code)).toEqual(["AWR_COMMUNE_ACTIVITY", "AWR_PRESS_FREQUENCY"]);
    // every province of 2024-Q1's tree: the 63 of the three-tier tree, in code order
    const [{ codes }] = await h.dataSource.query(
      `SELECT array_agg(code ORDER BY code) AS codes FROM org_unit
        WHERE level = 'province' AND valid_from <= '2024-03-31' AND (valid_to IS NULL OR valid_to > '2024-03-31')`,
    );
    expect(codes).toHaveLength(63);
    expect(c.provinces.map((p: any) => p.unit.code)).toEqual(codes);
    expect(c.provinces.find((p: any) => p.unit.code === "91").unit.name).toBe("Tỉnh Kiên Giang"); // 91 on 2024-03-31
    const cell = (code: string, k: number) => c.provinces.find((p: any) => p.unit.code === code).cells[k];
    // Quảng Ninh 9/177 = 5.085% (rank 1), Lai Châu 2/106 = 1.887% (rank 2), the other 61 no data (no rank)
    expect(cell("22", 0)).toMatchObject({ value: 5.085, rank: 1, completeness: 0.0565, status: "NOT_MET", target: { value: { share: 75 } } });
    expect(cell("12", 0)).toMatchObject({
      value: 1.887,
      rank: 2,
      unitsReported: 2,
      unitsExpected: 106,
      status: "NOT_MET",
      target: { value: { share: 70 }, inherited: true, sourceUnitCode: "VN" },
    });
    expect(cell("79", 0)).toMatchObject({ value: null, rank: null, status: "NO_DATA", target: { value: { share: 100 } } });
    expect(c.provinces.filter((p: any) => p.cells[0].rank === null)).toHaveLength(61);
    // press items: Quảng Ninh 2 (rank 1), Lai Châu 1 (rank 2); both against a monthly target in 2024 (Lai Châu's
    // quarterly one starts with its 2025 plan): not met
    expect(cell("22", 1)).toMatchObject({ value: 2, rank: 1, status: "NOT_MET" });
    expect(cell("12", 1)).toMatchObject({ value: 1, rank: 2, status: "NOT_MET" });
    // the nation: the communes of 2024-Q1's tree
    const [{ n }] = await h.dataSource.query(
      `SELECT count(*)::int AS n FROM org_unit WHERE level = 'commune' AND valid_from <= '2024-03-31' AND (valid_to IS NULL OR valid_to > '2024-03-31')`,
    );
    expect(n).toBeGreaterThan(10_000);
    expect(c.nation.cells[0]).toMatchObject({ unitsReported: 12, unitsMeeting: 11, unitsExpected: n, target: { value: { share: 70 } } });
    expect(c.nation.cells[0].value).toBeCloseTo((11 / n) * 100, 3);
  });

  it("is the ministry's: other callers are refused", async () => {
    expect(errorCode(await h.gql(COMPARISON, { period: "2024" }, qnReporter))).toBe("FORBIDDEN");
  });

  it("comes as CSV (UTF-8) too, in the columns of /csv/national-comparison", async () => {
    const r = await h.gql(`{ nationalComparisonCsv(period: "2024-Q1", indicators: ["AWR_COMMUNE_ACTIVITY"]) }`, {}, ministry);
    expect(r.errors).toBeUndefined();
    const lines = (r.data.nationalComparisonCsv as string).split("\r\n");
    expect(lines[0]).toBe(
      "period,unit_code,unit_name,unit_level,role,indicator_code,indicator_name_vi,value,numerator,denominator,units_reported," +
        "units_expected,completeness,target,target_inherited,target_source_plan,target_source_unit,status,status_text,required,measured,gap,rank," +
        "restated_from,restated_exact,left_out,tree_parts",
    );
    expect(lines).toHaveLength(1 + 1 + 63 + 1); // header, the nation, 63 provinces, the final CRLF
    const name = '"Tỷ lệ xã, phường, thị trấn tổ chức được ít nhất một hình thức tuyên truyền về phòng ngừa mại dâm và được duy trì thường xuyên"';
    // the nation: 11 of the 10,597 communes of 2024-Q1 meet = 0.104%; 12 reported, completeness 0.0011
    expect(lines[1]).toBe(`2024-Q1,VN,Việt Nam,NATION,nation,AWR_COMMUNE_ACTIVITY,${name},0.104,,,12,10597,0.0011,≥ 70%,false,1629/QĐ-TTg,VN,NOT_MET,Not met,70,0.104,69.896,,,,,`);
    const line = (code: string) => lines.filter((l) => l.startsWith(`2024-Q1,${code},`));
    expect(line("22")).toEqual([`2024-Q1,22,Tỉnh Quảng Ninh,PROVINCE,province,AWR_COMMUNE_ACTIVITY,${name},5.085,,,10,177,0.0565,≥ 75%,false,,22,NOT_MET,Not met,75,5.085,69.915,1,,,,`]);
    expect(line("79")).toHaveLength(1);
    expect(line("79")[0]).toMatch(/^2024-Q1,79,Thành phố Hồ Chí Minh,PROVINCE,province,AWR_COMMUNE_ACTIVITY,".+",,,,0,\d+,0,≥ 100%,false,702\/QĐ-UBND,79,NO_DATA,No data,100,,,,,,,$/);
  });
});

describe("set-based and fresh", () => {
  it("a province page and the national comparison cost at most 3 statements whatever their size", async () => {
    const province = await rollup("22", "2024", null);
    expect(province.page.children).toHaveLength(13);
    expect(province.page.cells.length).toBeGreaterThanOrEqual(17);
    expect(province.statements).toBeLessThanOrEqual(3);
    const district = await rollup("193", "2024-Q1", null);
    expect(district.page.children).toHaveLength(33);
    expect(district.statements).toBe(province.statements);
    const nation = await h.gql(COMPARISON, { period: "2024" }, ministry);
    expect(nation.errors).toBeUndefined();
    expect(nation.data.nationalComparison.provinces).toHaveLength(63);
    expect(nation.statements).toBeLessThanOrEqual(3);
    // 2025 ends on the two-tier tree: 34 provinces, for the same cost
    const reformed = await h.gql(COMPARISON, { period: "2025" }, ministry);
    expect(reformed.errors).toBeUndefined();
    expect(reformed.data.nationalComparison.provinces).toHaveLength(34);
    expect(reformed.statements).toBe(nation.statements);
  });

  it("a report written is reflected in every ancestor's roll-up on the next read", async () => {
    const read = async () => {
      const commune = (await rollup("06859", "2024-Q1", ["AWR_COMMUNE_ACTIVITY"])).page.cells[0];
      const district = (await rollup("198", "2024-Q1", ["AWR_COMMUNE_ACTIVITY"])).page.cells[0];
      const province = (await rollup("22", "2024-Q1", ["AWR_COMMUNE_ACTIVITY"])).page.cells[0];
      const nation = (await rollup("VN", "2024-Q1", ["AWR_COMMUNE_ACTIVITY"], ministry)).page.cells[0];
      const year = (await rollup("198", "2024", ["AWR_COMMUNE_ACTIVITY"])).page.cells[0];
      return { commune, district, province, nation, year };
    };
    const before = await read();
    expect(before.district).toMatchObject({ value: 85.714, status: "NOT_MET" });
    expect(await submit(qnReporter, rowsOf("AWR_COMMUNE_ACTIVITY", "2024-Q1", { "06859": 1 }))).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    const after = await read();
    expect(after.commune).toMatchObject({ value: 100, unitsMeeting: 1 });
    // Bình Liêu 7/7 = 100%: now meets its own 90%
    expect(after.district).toMatchObject({ value: 100, unitsMeeting: 7, status: "MET", gap: -10 });
    // Quảng Ninh 10/177 = 5.65%
    expect(after.province).toMatchObject({ value: 5.65, unitsMeeting: 10, unitsReported: 10 });
    expect(after.nation.unitsMeeting).toBe(before.nation.unitsMeeting + 1);
    expect(after.nation.unitsReported).toBe(before.nation.unitsReported);
    // a new quarter reaches the year of the district too: 06859 Q2 alone does not make the ALL rule
    await submit(qnReporter, rowsOf("AWR_COMMUNE_ACTIVITY", "2024-Q2", { "06838": 1 }));
    expect((await rollup("198", "2024-H1", ["AWR_COMMUNE_ACTIVITY"])).page.cells[0]).toMatchObject({ unitsMeeting: 1, value: 14.286 });
    expect((await rollup("198", "2024", ["AWR_COMMUNE_ACTIVITY"])).page.cells[0]).toMatchObject({ unitsMeeting: 0, unitsReported: 7 });
  });
});

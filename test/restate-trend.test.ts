import { Role } from "../src/auth/auth.types";
import { errorCode, startHarness, type Harness } from "./support/harness";

/**
 * Across the reform, the targets a restated cell is judged against, and the comparison of several periods on
 * one tree (issue 12 items 5 and 6), on reports written through the API.
 */
let h: Harness;
let ministry: string;
const ACTIVITY = "AWR_COMMUNE_ACTIVITY"; // yes/no, quarterly, rule ALL, share of units, communes

beforeAll(async () => {
  h = await startHarness();
  ministry = h.token("VN");
  // every commune of old Kiên Giang (91 until 1/7/2025) says yes in each quarter of 2024, and 10 communes of
  // the new An Giang in each quarter of 2025-H2
  const [{ kg }] = await h.dataSource.query(
    `SELECT array_agg(c.code ORDER BY c.code) AS kg FROM org_unit c JOIN org_unit p ON c.path LIKE p.path || '%'
      WHERE p.code = '91' AND p.valid_to = '2025-07-01' AND c.level = 'commune' AND c.valid_from <= '2024-01-01' AND c.valid_to > '2024-12-31'`,
  );
  const [{ ag }] = await h.dataSource.query(
    `SELECT (array_agg(c.code ORDER BY c.code))[1:10] AS ag FROM org_unit c JOIN org_unit p ON c.parent_id = p.id
      WHERE p.code = '91' AND p.valid_to IS NULL AND c.valid_to IS NULL`,
  );
  const rows = [
    ...["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"].flatMap((period) => kg.map((unitCode: string) => ({ unitCode, indicatorCode: ACTIVITY, period, value: 1 }))),
    ...["2025-Q3", "2025-Q4"].flatMap((period) => ag.map((unitCode: string) => ({ unitCode, indicatorCode: ACTIVITY, period, value: 1 }))),
  ];
  const r = await h.gql(`mutation($rows: [ReportRowInput!]!) { submitReports(input: { rows: $rows }) { inserted } }`, { rows }, ministry);
  expect(r.errors).toBeUndefined();
}, 60_000);
afterAll(() => h?.close());

describe("targets across the reform", () => {
  it("judges a restated province against its own effective target: the new An Giang, with no 2021-2025 plan, inherits the nation's", async () => {
    const r = await h.gql(
      `{ rollup(unitCode: "91", period: "2024", asOf: "2026-01-01", indicators: ["${ACTIVITY}"]) {
           unit { name } cells { value unitsReported unitsExpected status target { inherited sourcePlanDocument sourceUnitCode value { text } } } } }`,
      {},
      ministry,
    );
    expect(r.errors).toBeUndefined();
    const [cell] = r.data.rollup.cells;
    expect(r.data.rollup.unit.name).toBe("Tỉnh An Giang");
    // the new province's own target: none of its own for 2024, so the national program's (its provenance says which plan)
    expect(cell.target).toMatchObject({ inherited: true, sourcePlanDocument: "1629/QĐ-TTg", sourceUnitCode: "VN" });
    // Kiên Giang's 144 communes of 2024 all said yes in every quarter, old An Giang's 156 nothing: 144 of 300
    expect(cell.unitsReported).toBe(144);
    expect(cell.unitsExpected).toBe(300);
    expect(cell.value).toBeCloseTo((144 / 300) * 100, 6);
  });

  it("judges old Kiên Giang on its own tree against its own plan chain, as before the reform", async () => {
    const r = await h.gql(
      `{ rollup(unitCode: "91", period: "2024", indicators: ["${ACTIVITY}"]) { unit { name } cells { value unitsExpected target { sourcePlanDocument } } } }`,
      {},
      ministry,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.rollup.unit.name).toBe("Tỉnh Kiên Giang");
    expect(r.data.rollup.cells[0].unitsExpected).toBe(144);
    expect(r.data.rollup.cells[0].value).toBe(100);
  });
});

describe("comparisons over time on one tree", () => {
  const TREND = `query($periods: [String!]!, $asOf: Date) { nationalTrend(periods: $periods, indicator: "${ACTIVITY}", asOf: $asOf) {
      asOf periods indicator { code } nation { unit { code } points { value } }
      provinces { unit { code name } points { value unitsReported unitsExpected status } } } }`;

  it("answers 2024 and 2025 on today's 34 provinces in one request, oldest first, each point the comparison of its period", async () => {
    const r = await h.gql(TREND, { periods: ["2025", "2024"] }, ministry);
    expect(r.errors).toBeUndefined();
    const trend = r.data.nationalTrend;
    expect(trend).toMatchObject({ asOf: "2025-12-31", periods: ["2024", "2025"], indicator: { code: ACTIVITY }, nation: { unit: { code: "VN" } } });
    expect(trend.provinces).toHaveLength(34);
    expect(trend.provinces.every((p: any) => p.points.length === 2)).toBe(true);
    // each point is the single comparison of its period on the same tree
    const single = await h.gql(
      `{ nationalComparison(period: "2024", indicators: ["${ACTIVITY}"], asOf: "2025-12-31") { provinces { unit { code } cells { value unitsReported unitsExpected status } } } }`,
      {},
      ministry,
    );
    for (const p of single.data.nationalComparison.provinces) {
      expect(trend.provinces.find((q: any) => q.unit.code === p.unit.code).points[0]).toEqual(p.cells[0]);
    }
    const anGiang = trend.provinces.find((p: any) => p.unit.code === "91");
    expect(anGiang.unit.name).toBe("Tỉnh An Giang");
    expect(anGiang.points[0]).toMatchObject({ unitsReported: 144, unitsExpected: 300 });
    // 2025 straddles: H1 on the 300 old communes (none reported), H2 on the new An Giang's communes (10 said yes twice)
    expect(anGiang.points[1].unitsReported).toBeGreaterThan(0);
  });

  it("is the ministry's only, and refuses bad periods and dates naming the field", async () => {
    const province = await h.gql(TREND, { periods: ["2024"] }, h.token("91", [Role.VIEWER]));
    expect(errorCode(province)).toBe("FORBIDDEN");
    const badPeriod = await h.gql(TREND, { periods: ["2024", "2024-Q5"] }, ministry);
    expect(errorCode(badPeriod)).toBe("BAD_USER_INPUT");
    const badDate = await h.gql(TREND, { periods: ["2024"], asOf: "2024-02-30" }, ministry);
    expect(errorCode(badDate)).toBe("BAD_USER_INPUT");
    expect(badDate.errors![0]!.extensions!.field).toBe("asOf");
    const none = await h.gql(TREND, { periods: [] }, ministry);
    expect(errorCode(none)).toBe("BAD_USER_INPUT");
  });
});

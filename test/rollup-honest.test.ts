import { Role } from "../src/auth/auth.types";
import { errorCode, startHarness, type Harness } from "./support/harness";

/**
 * Honest roll-ups (issue 15, items 3, 4, 5 and 7): a cell below its indicator's minimum completeness is
 * INSUFFICIENT_DATA (value still shown) and unranked; a province's indicator is NOT_EXPECTED on its districts;
 * completeness in percent beside the deprecated 0..1 share; periods as objects labelled in the request's
 * language; children and provinces paginated as OrgUnit.children.
 *
 * Fixtures on the three-tier tree of 2024: Quảng Ninh (22) has 13 districts and 177 communes, Cô Tô (207) 3
 * communes, Bình Liêu (198) 7; Lai Châu (12) 106 communes; the nation 63 provinces. Quảng Ninh's plan asks
 * 75% of communes active (AWR_COMMUNE_ACTIVITY).
 */
let h: Harness;
let qn: string;
let lc: string;
let ministry: string;
let admin: string;

const SUBMIT = `mutation($rows: [ReportRowInput!]!) { submitReports(input: { rows: $rows }) { inserted } }`;
const CELL = `indicatorCode value unit unitsReported unitsExpected completeness completenessPercent approved approvedPercent status rank`;
const ROLLUP = `query($unit: String!, $period: String!, $ind: [String!]) {
  rollup(unitCode: $unit, period: $period, indicators: $ind) {
    period reportingPeriod { code label type start end hasReports }
    cells { ${CELL} } children { unit { code } cells { ${CELL} } }
  }
}`;

async function gql(query: string, variables: Record<string, unknown>, token: string, language: "vi" | "en" = "en") {
  const r = await h.gql(query, variables, token, language);
  expect(r.errors).toBeUndefined();
  return r;
}
const rollup = async (unit: string, period: string, ind: string[], token = qn) => (await gql(ROLLUP, { unit, period, ind }, token)).data.rollup;
const child = (page: any, code: string) => page.children.find((c: any) => c.unit.code === code);

async function communesOf(parent: string, n: number): Promise<string[]> {
  const rows = await h.dataSource.query(
    `SELECT c.code FROM org_unit c JOIN org_unit p ON p.id = c.parent_id
      WHERE p.code = $1 AND c.level = 'commune' AND c.valid_from <= '2024-03-31' AND (c.valid_to IS NULL OR c.valid_to > '2024-03-31')
        AND p.valid_from <= '2024-03-31' AND (p.valid_to IS NULL OR p.valid_to > '2024-03-31')
      ORDER BY c.code LIMIT $2`,
    [parent, n],
  );
  return rows.map((r: { code: string }) => r.code);
}

async function laiChauCommunes(n: number): Promise<string[]> {
  const rows = await h.dataSource.query(
    `SELECT c.code FROM org_unit c JOIN org_unit p ON c.path LIKE p.path || '%'
      WHERE p.code = '12' AND c.level = 'commune' AND c.valid_from <= '2024-03-31' AND (c.valid_to IS NULL OR c.valid_to > '2024-03-31')
        AND p.valid_from <= '2024-03-31' AND (p.valid_to IS NULL OR p.valid_to > '2024-03-31')
      ORDER BY c.code LIMIT $1`,
    [n],
  );
  return rows.map((r: { code: string }) => r.code);
}

beforeAll(async () => {
  h = await startHarness();
  qn = h.token("22", [Role.REPORTER, Role.VIEWER], "qn");
  lc = h.token("12", [Role.REPORTER, Role.VIEWER], "lc");
  ministry = h.token("VN", [Role.VIEWER], "ministry");
  admin = h.token("VN", [Role.ADMIN, Role.VIEWER], "national-admin");
  const coTo = await communesOf("207", 3);
  const binhLieu = await communesOf("198", 2);
  expect(coTo).toHaveLength(3);
  // Quảng Ninh: Cô Tô's 3 communes and 2 of Bình Liêu's 7, all active: 5 of 177; its press items (a province's indicator)
  await gql(
    SUBMIT,
    {
      rows: [
        ...[...coTo, ...binhLieu].map((unitCode) => ({ unitCode, indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2024-Q1", value: 1 })),
        { unitCode: "22", indicatorCode: "AWR_PRESS_FREQUENCY", period: "2024-Q1", value: 3 },
      ],
    },
    qn,
  );
  // Lai Châu: 60 of 106 communes reported (56.6%), 30 of them active
  const lcCommunes = await laiChauCommunes(60);
  expect(lcCommunes).toHaveLength(60);
  await gql(
    SUBMIT,
    { rows: lcCommunes.map((unitCode, i) => ({ unitCode, indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2024-Q1", value: i % 2 === 0 ? 1 : 0 })) },
    lc,
  );
});
afterAll(() => h?.close());

describe("status at low coverage", () => {
  it("answers INSUFFICIENT_DATA below the indicator's minimum, with the value and completeness shown", async () => {
    const page = await rollup("22", "2024-Q1", ["AWR_COMMUNE_ACTIVITY"]);
    // 5 of 177 communes meeting: 2.825%; 5 reported of 177: 2.82% < 50%
    expect(page.cells[0]).toMatchObject({
      value: 2.825,
      unit: "PERCENT",
      unitsReported: 5,
      unitsExpected: 177,
      completeness: 0.0282,
      completenessPercent: 2.82,
      approved: 0,
      approvedPercent: 0,
      status: "INSUFFICIENT_DATA",
    });
    // Cô Tô: 3 of 3, judged against the province's 75%; Bình Liêu: 2 of 7 (28.57%) is too few; Hạ Long: nothing
    expect(child(page, "207").cells[0]).toMatchObject({ value: 100, completenessPercent: 100, status: "MET" });
    expect(child(page, "198").cells[0]).toMatchObject({ value: 28.571, completenessPercent: 28.57, status: "INSUFFICIENT_DATA" });
    expect(child(page, "193").cells[0]).toMatchObject({ value: null, unitsReported: 0, completenessPercent: 0, status: "NO_DATA" });
  });

  it("says NOT_EXPECTED on districts for an indicator only provinces report, NO_DATA where it is expected", async () => {
    const page = await rollup("22", "2024-Q1", ["AWR_PRESS_FREQUENCY", "TRN_STAFF_PROVINCIAL"]);
    const [press, staff] = page.cells;
    expect(press).toMatchObject({ value: 3, unit: "ITEMS", unitsReported: 1, unitsExpected: 1, completenessPercent: 100 });
    expect(press.status).not.toMatch(/NO_DATA|INSUFFICIENT_DATA|NOT_EXPECTED/);
    expect(staff).toMatchObject({ value: null, unitsExpected: 1, status: "NO_DATA" });
    expect(page.children).toHaveLength(13);
    for (const c of page.children) {
      for (const cell of c.cells) {
        expect(cell).toMatchObject({ value: null, unitsExpected: 0, completeness: null, completenessPercent: null, status: "NOT_EXPECTED" });
      }
    }
  });

  it("ranks only the provinces with enough data; a lower minimum set through updateIndicator judges and ranks more", async () => {
    const COMPARISON = `{ nationalComparison(period: "2024-Q1", indicators: ["AWR_COMMUNE_ACTIVITY"]) {
      provinces { unit { code } cells { value completenessPercent status rank } } } }`;
    const before = (await gql(COMPARISON, {}, ministry)).data.nationalComparison.provinces;
    const cellOf = (rows: any[], code: string) => rows.find((p: any) => p.unit.code === code).cells[0];
    // Lai Châu: 30 of 106 active (28.302%), 56.6% reported: ranked 1st and alone; Quảng Ninh (2.82% reported) unranked
    expect(cellOf(before, "12")).toMatchObject({ value: 28.302, completenessPercent: 56.6, rank: 1 });
    expect(cellOf(before, "22")).toMatchObject({ value: 2.825, status: "INSUFFICIENT_DATA", rank: null });
    // a province that reported nothing is not first at 0% either
    expect(before.filter((p: any) => p.cells[0].rank !== null).map((p: any) => p.unit.code)).toEqual(["12"]);

    const UPDATE = `mutation($input: UpdateIndicatorInput!) { updateIndicator(input: $input) { code minCompleteness } }`;
    const updated = await gql(UPDATE, { input: { code: "AWR_COMMUNE_ACTIVITY", minCompleteness: 2.5, reason: "Pilot quarter: few communes report" } }, admin);
    expect(updated.data.updateIndicator).toEqual({ code: "AWR_COMMUNE_ACTIVITY", minCompleteness: 2.5 });
    const after = (await gql(COMPARISON, {}, ministry)).data.nationalComparison.provinces;
    expect(cellOf(after, "12").rank).toBe(1);
    expect(cellOf(after, "22")).toMatchObject({ status: "NOT_MET", rank: 2 });
    expect(after.filter((p: any) => p.cells[0].rank !== null)).toHaveLength(2);
    await gql(UPDATE, { input: { code: "AWR_COMMUNE_ACTIVITY", minCompleteness: 50, reason: "Back to the default" } }, admin);
  });

  it("keeps the minimum within 0-100, 50 unless set", async () => {
    const list = (await gql(`{ indicators { code minCompleteness } }`, {}, ministry)).data.indicators;
    expect(list.length).toBeGreaterThan(10);
    expect(list.every((i: any) => i.minCompleteness === 50)).toBe(true);
    const bad = await h.gql(
      `mutation { updateIndicator(input: { code: "AWR_COMMUNE_ACTIVITY", minCompleteness: 120, reason: "too much" }) { code } }`,
      {},
      admin,
    );
    expect(errorCode(bad)).toBe("BAD_USER_INPUT");
    const created = await gql(
      `mutation { createIndicator(input: { code: "TEST_HONEST", nameVi: "Thử", nameEn: "Test", area: AWARENESS, valueKind: COUNT,
          direction: HIGHER_IS_BETTER, rollupRule: SUM, reportingLevel: COMMUNE, periodType: QUARTER, periodRule: SUM,
          measuredOn: "items", minCompleteness: 80, reason: "A test indicator" }) { code minCompleteness } }`,
      {},
      admin,
    );
    expect(created.data.createIndicator).toEqual({ code: "TEST_HONEST", minCompleteness: 80 });
    const [row] = await h.dataSource.query(`SELECT min_completeness::float8 AS m FROM indicator WHERE code = 'TEST_HONEST'`);
    expect(row.m).toBe(80);
    await expect(h.dataSource.query(`UPDATE indicator SET min_completeness = 101 WHERE code = 'TEST_HONEST'`)).rejects.toThrow(/min_completeness/);
  });
});

describe("periods as objects", () => {
  it("labels the period in the request's language, beside the deprecated code", async () => {
    const vi = (await gql(ROLLUP, { unit: "22", period: "2024-Q1", ind: ["AWR_COMMUNE_ACTIVITY"] }, qn, "vi")).data.rollup;
    expect(vi.period).toBe("2024-Q1");
    expect(vi.reportingPeriod).toEqual({ code: "2024-Q1", label: "Quý 1/2024", type: "QUARTER", start: "2024-01-01", end: "2024-03-31", hasReports: null });
    const en = await rollup("22", "2024-Q1", ["AWR_COMMUNE_ACTIVITY"]);
    expect(en.reportingPeriod.label).toBe("Q1 2024");

    const TREND = `{ nationalTrend(periods: ["2024", "2024-H1", "2024-H2"], indicator: "AWR_COMMUNE_ACTIVITY") { periods reportingPeriods { code label } } }`;
    const trendVi = (await gql(TREND, {}, ministry, "vi")).data.nationalTrend;
    expect(trendVi.periods).toEqual(["2024-H1", "2024", "2024-H2"]);
    expect(trendVi.reportingPeriods).toEqual([
      { code: "2024-H1", label: "6 tháng đầu năm 2024" },
      { code: "2024", label: "Năm 2024" },
      { code: "2024-H2", label: "6 tháng cuối năm 2024" },
    ]);
    const trendEn = (await gql(TREND, {}, ministry)).data.nationalTrend;
    expect(trendEn.reportingPeriods.map((p: any) => p.label)).toEqual(["H1 2024", "2024", "H2 2024"]);

    const comparison = (await gql(`{ nationalComparison(period: "2025-H1") { period reportingPeriod { code label } } }`, {}, ministry, "vi")).data;
    expect(comparison.nationalComparison).toEqual({ period: "2025-H1", reportingPeriod: { code: "2025-H1", label: "6 tháng đầu năm 2025" } });
  });

  it("labels the periods a dashboard can offer", async () => {
    const list = (await gql(`{ periods { code label type start end hasReports } }`, {}, qn, "vi")).data.periods;
    expect(list.find((p: any) => p.code === "2024-Q1")).toEqual({
      code: "2024-Q1",
      label: "Quý 1/2024",
      type: "QUARTER",
      start: "2024-01-01",
      end: "2024-03-31",
      hasReports: true,
    });
    expect(list.find((p: any) => p.code === "2024-Q2")).toMatchObject({ label: "Quý 2/2024", hasReports: false });
  });

  it("gives approvals and reporting status their period object, and reporting status its completeness in percent", async () => {
    const r = (
      await gql(
        `{ periodApprovals(unitCode: "207", period: "2024-Q1") { period reportingPeriod { code label } nodes { period reportingPeriod { label } } }
           reportingStatus(unitCode: "207", period: "2024-Q1", indicators: ["AWR_COMMUNE_ACTIVITY"]) {
             period reportingPeriod { code label start end } indicators { unitsReported unitsExpected completeness completenessPercent } } }`,
        {},
        qn,
        "vi",
      )
    ).data;
    expect(r.periodApprovals.reportingPeriod).toEqual({ code: "2024-Q1", label: "Quý 1/2024" });
    expect(r.periodApprovals.nodes[0].reportingPeriod.label).toBe("Quý 1/2024");
    expect(r.reportingStatus.reportingPeriod).toEqual({ code: "2024-Q1", label: "Quý 1/2024", start: "2024-01-01", end: "2024-03-31" });
    expect(r.reportingStatus.indicators[0]).toEqual({ unitsReported: 3, unitsExpected: 3, completeness: 1, completenessPercent: 100 });
  });

  it("refuses a malformed period in the request's language", async () => {
    const r = await h.gql(ROLLUP, { unit: "22", period: "2024-Q5", ind: null }, qn, "vi");
    expect(errorCode(r)).toBe("BAD_USER_INPUT");
    expect(r.errors![0]!.message).toContain("phải có dạng 2025, 2025-H1 hoặc 2025-Q3");
  });
});

describe("paginated rows", () => {
  const PAGE = `query($after: String) { rollup(unitCode: "22", period: "2024-Q1", indicators: ["AWR_COMMUNE_ACTIVITY"]) {
    childrenPage(first: 5, after: $after) { totalCount hasNextPage endCursor nodes { unit { code } cells { value status } } } } }`;

  it("pages a roll-up's children by code, as OrgUnit.children, with the rows of the unpaginated list and no more statements", async () => {
    const all = await rollup("22", "2024-Q1", ["AWR_COMMUNE_ACTIVITY"]);
    const allRows = await h.gql(
      `{ rollup(unitCode: "22", period: "2024-Q1", indicators: ["AWR_COMMUNE_ACTIVITY"]) { children { unit { code } cells { value status } } } }`,
      {},
      qn,
    );
    const seen: any[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const r = await gql(PAGE, { after }, qn);
      const page: any = r.data.rollup.childrenPage;
      expect(page.totalCount).toBe(13);
      expect(page.nodes.length).toBeLessThanOrEqual(5);
      expect(r.statements).toBe(allRows.statements);
      seen.push(...page.nodes);
      pages++;
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(pages).toBe(3);
    const codes = all.children.map((c: any) => c.unit.code).sort();
    expect(seen.map((c) => c.unit.code)).toEqual(codes);
    expect(seen.find((c) => c.unit.code === "207").cells[0]).toEqual({ value: 100, status: "MET" });
  });

  it("refuses a cursor it did not give", async () => {
    const r = await h.gql(PAGE, { after: "not-a-cursor!" }, qn);
    expect(errorCode(r)).toBe("BAD_USER_INPUT");
    expect(r.errors![0]!.extensions!.field).toBe("after");
  });

  it("pages the comparison's provinces with ranks among all of them", async () => {
    const q = `query($after: String) { nationalComparison(period: "2024-Q1", indicators: ["AWR_COMMUNE_ACTIVITY"]) {
      provincesPage(first: 40, after: $after) { totalCount hasNextPage endCursor nodes { unit { code } cells { rank } } } } }`;
    const first = (await gql(q, { after: null }, ministry)).data.nationalComparison.provincesPage;
    expect(first).toMatchObject({ totalCount: 63, hasNextPage: true });
    expect(first.nodes).toHaveLength(40);
    const second = (await gql(q, { after: first.endCursor }, ministry)).data.nationalComparison.provincesPage;
    expect(second).toMatchObject({ totalCount: 63, hasNextPage: false });
    expect(second.nodes).toHaveLength(23);
    const rows = [...first.nodes, ...second.nodes];
    expect(new Set(rows.map((r: any) => r.unit.code)).size).toBe(63);
    // Lai Châu (12) sits on the first page; the rank is the same whatever the page
    expect(rows.filter((r: any) => r.cells[0].rank !== null).map((r: any) => [r.unit.code, r.cells[0].rank])).toEqual([["12", 1]]);
  });
});

describe("paginated plans", () => {
  it("pages a unit's plans in the order of `plans`", async () => {
    // Cô Tô implements Quảng Ninh's 2021-2025 plan in two plans of its own, and drafts a third
    await h.dataSource.query(`
      INSERT INTO plan (program_id, unit_id, parent_plan_id, title, document_number, period_start, period_end, status, created_by)
      SELECT p.program_id, u.id, p.id, 'Kế hoạch Cô Tô ' || s.n, 'TEST/KH-CT-' || s.n, s.a::date, s.b::date, s.status, 'test'
        FROM plan p JOIN org_unit q ON q.id = p.unit_id AND q.code = '22' AND p.period_start = '2021-01-01' AND p.period_end = '2025-12-31',
             org_unit u, (VALUES (1, '2021-01-01', '2022-12-31', 'active'), (2, '2023-01-01', '2025-12-31', 'active'), (3, '2023-01-01', '2023-12-31', 'draft'))
               AS s(n, a, b, status)
       WHERE u.code = '207' AND u.valid_from <= '2024-01-01' AND (u.valid_to IS NULL OR u.valid_to > '2024-01-01')`);
    const PLANS = `{ plans(unitCode: "207", asOf: "2024-01-01") { id } }`;
    const all = (await gql(PLANS, {}, qn)).data.plans.map((p: any) => p.id);
    expect(all).toHaveLength(3);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await gql(`query($after: String) { plansPage(unitCode: "207", asOf: "2024-01-01", first: 1, after: $after) { totalCount hasNextPage endCursor nodes { id } } }`, { after }, qn))
        .data.plansPage;
      expect(page.totalCount).toBe(all.length);
      expect(page.nodes).toHaveLength(1);
      seen.push(page.nodes[0].id);
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(seen).toEqual(all);
  });
});

describe("deprecations point to their replacements", () => {
  it("marks the old fields deprecated in the schema", async () => {
    const r = await gql(
      `{ cell: __type(name: "RollupCell") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } }
         page: __type(name: "RollupPage") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }`,
      {},
      ministry,
    );
    const reason = (type: any, name: string) => type.fields.find((f: any) => f.name === name).deprecationReason;
    expect(reason(r.data.cell, "completeness")).toMatch(/completenessPercent/);
    expect(reason(r.data.cell, "approved")).toMatch(/approvedPercent/);
    expect(reason(r.data.cell, "completenessPercent")).toBeNull();
    expect(reason(r.data.page, "period")).toMatch(/reportingPeriod/);
    expect(reason(r.data.page, "children")).toMatch(/childrenPage/);
  });
});

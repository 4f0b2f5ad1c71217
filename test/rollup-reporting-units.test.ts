import { Role } from "../src/auth/auth.types";
import { errorCode, startHarness, type Harness } from "./support/harness";

/**
 * `reportingUnits` on a roll-up and its rows: units that reported, counted as units (a commune reporting two
 * indicators counts once), at the page's lowest reporting level, on the tree of the period (2024-Q1: the
 * three-tier tree, Quảng Ninh's districts and their communes). One statement for every row of a page.
 */
let h: Harness;
let qn: string;
let lc: string;
let ministry: string;

const SUBMIT = `mutation($rows: [ReportRowInput!]!) { submitReports(input: { rows: $rows }) { inserted } }`;
const RU = `reportingUnits { level expected reported percent }`;
const PAGE = `query($unit: String!, $ind: [String!], $first: Int!) {
  rollup(unitCode: $unit, period: "2024-Q1", indicators: $ind) {
    unit { code } ${RU} childrenPage(first: $first) { nodes { unit { code } ${RU} } }
  }
}`;
const IND = ["AWR_COMMUNE_ACTIVITY", "AWR_RISKY_WORKERS_INFORMED", "ENF_CRIMES_HANDLED"];

type Row = { unitCode: string; indicatorCode: string; period: string; value?: number; numerator?: number; denominator?: number };
const yes = (indicatorCode: string, codes: string[]): Row[] => codes.map((unitCode) => ({ unitCode, indicatorCode, period: "2024-Q1", value: 1 }));
const ratio = (codes: string[]): Row[] =>
  codes.map((unitCode) => ({ unitCode, indicatorCode: "AWR_RISKY_WORKERS_INFORMED", period: "2024-Q1", numerator: 1, denominator: 2 }));

async function page(unit: string, token: string, first = 100, ind: string[] | null = IND) {
  const r = await h.gql(PAGE, { unit, ind, first }, token);
  expect(r.errors).toBeUndefined();
  return { page: r.data.rollup, statements: r.statements };
}

/** Communes under a unit on the tree of 2024-03-31, counted in the database. */
async function communesUnder(code: string): Promise<number> {
  const [row] = await h.dataSource.query(
    `SELECT count(*)::int AS n FROM org_unit c, org_unit u
      WHERE u.code = $1 AND u.valid_from <= '2024-03-31' AND (u.valid_to IS NULL OR u.valid_to > '2024-03-31')
        AND c.level = 'commune' AND c.path LIKE u.path || '%' AND c.valid_from <= '2024-03-31' AND (c.valid_to IS NULL OR c.valid_to > '2024-03-31')`,
    [code],
  );
  return row.n;
}

beforeAll(async () => {
  h = await startHarness();
  qn = h.token("22", [Role.REPORTER, Role.VIEWER], "qn-reporter");
  lc = h.token("12", [Role.REPORTER, Role.VIEWER], "lc-reporter");
  ministry = h.token("VN", [Role.VIEWER], "ministry");
  const submit = async (token: string, rows: Row[]) => expect((await h.gql(SUBMIT, { rows }, token)).errors).toBeUndefined();
  await submit(qn, [
    // Bình Liêu (198): 06838, 06841, 06844 one indicator, 06841 and 06847 the other: 4 communes of 7
    ...yes("AWR_COMMUNE_ACTIVITY", ["06838", "06841", "06844"]),
    ...ratio(["06841", "06847"]),
    // Cô Tô (207): 07192 both, 07195 one: 2 communes of 3
    ...yes("AWR_COMMUNE_ACTIVITY", ["07192"]),
    ...ratio(["07192", "07195"]),
    // a district's report (a district-level indicator) is no commune's
    { unitCode: "199", indicatorCode: "ENF_CRIMES_HANDLED", period: "2024-Q1", value: 3 },
  ]);
  // Lai Châu: 2 communes
  await submit(lc, yes("AWR_COMMUNE_ACTIVITY", ["03386", "03387"]));
});
afterAll(() => h.close());

it("counts a unit's and each child's reporting communes once, whatever the indicators they reported", async () => {
  const { page: p } = await page("22", qn);
  expect(p.reportingUnits).toEqual({ level: "COMMUNE", expected: await communesUnder("22"), reported: 6, percent: expect.any(Number) });
  expect(p.reportingUnits.percent).toBeCloseTo((6 / (await communesUnder("22"))) * 100, 1);
  const rows = p.childrenPage.nodes as Array<{ unit: { code: string }; reportingUnits: any }>;
  expect(rows.length).toBe(13);
  const of = (code: string) => rows.find((r) => r.unit.code === code)!.reportingUnits;
  expect(of("198")).toEqual({ level: "COMMUNE", expected: 7, reported: 4, percent: 57.14 });
  expect(of("207")).toEqual({ level: "COMMUNE", expected: 3, reported: 2, percent: 66.67 });
  // every other district: none of its communes, which are counted as the database holds them
  for (const row of rows.filter((r) => !["198", "207"].includes(r.unit.code))) {
    expect(row.reportingUnits).toMatchObject({ level: "COMMUNE", expected: await communesUnder(row.unit.code), reported: 0 });
  }
  // on a district's page, each commune is one unit of one
  const { page: bl } = await page("198", qn);
  expect(bl.reportingUnits).toMatchObject({ expected: 7, reported: 4 });
  const communes = Object.fromEntries(bl.childrenPage.nodes.map((r: any) => [r.unit.code, r.reportingUnits.reported]));
  expect(communes).toEqual({ "06838": 1, "06841": 1, "06844": 1, "06847": 1, "06853": 0, "06856": 0, "06859": 0 });
  expect(bl.childrenPage.nodes[0].reportingUnits).toMatchObject({ level: "COMMUNE", expected: 1 });
});

it("takes the lowest level of the page's indicators: a district-level page counts districts", async () => {
  const { page: p } = await page("22", qn, 100, ["ENF_CRIMES_HANDLED"]);
  expect(p.reportingUnits).toMatchObject({ level: "DISTRICT", expected: 13, reported: 1 });
});

it("costs one statement for every row of the page, however many", async () => {
  const one = await page("22", qn, 1);
  const all = await page("22", qn, 100);
  expect(all.page.childrenPage.nodes.length).toBe(13);
  expect(all.statements).toBe(one.statements);
  const without = await h.gql(`query { rollup(unitCode: "22", period: "2024-Q1", indicators: ${JSON.stringify(IND)}) { unit { code } childrenPage(first: 100) { nodes { unit { code } } } } }`, {}, qn);
  expect(without.errors).toBeUndefined();
  expect(all.statements).toBe(without.statements + 1);
});

it("counts only what the caller may read: another province's reports are not in it", async () => {
  expect((await page("12", lc)).page.reportingUnits).toMatchObject({ expected: await communesUnder("12"), reported: 2 });
  // the nation sees both provinces' communes; Quảng Ninh cannot roll up Lai Châu
  expect((await page("VN", ministry, 100)).page.reportingUnits).toMatchObject({ level: "COMMUNE", reported: 8 });
  expect(errorCode(await h.gql(PAGE, { unit: "12", ind: IND, first: 1 }, qn))).toBe("NOT_FOUND");
});

it("is on the national comparison's rows too", async () => {
  const r = await h.gql(
    `query { nationalComparison(period: "2024-Q1", indicators: ["AWR_COMMUNE_ACTIVITY"]) { nation { ${RU} } provincesPage(first: 100) { nodes { unit { code } ${RU} } } } }`,
    {},
    ministry,
  );
  expect(r.errors).toBeUndefined();
  expect(r.data.nationalComparison.nation.reportingUnits).toMatchObject({ reported: 6 }); // 4 in Quảng Ninh, 03386 and 03387 in Lai Châu
  const of = (code: string) => r.data.nationalComparison.provincesPage.nodes.find((n: any) => n.unit.code === code).reportingUnits;
  expect(of("22")).toMatchObject({ reported: 4, expected: await communesUnder("22") });
  expect(of("12")).toMatchObject({ reported: 2 });
});

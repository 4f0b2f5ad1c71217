import { Role } from "../src/auth/auth.types";
import { startHarness, type Harness } from "./support/harness";

/**
 * Compute only what is asked (issue 16, goal 1): a roll-up that selects no target, status or gap runs the
 * summaries statement alone; selecting any of them (directly or in a fragment) judges the cells against the
 * effective targets, resolved by a second statement the first time and then kept in the process's memory
 * (goal 2): the targets version is read inside the summaries statement, so a judged page is one statement too.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const r = await h.gql(
    `mutation { submitReports(input: { rows: [{ unitCode: "06673", indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2025-Q3", value: 1 }] }) { inserted } }`,
    {},
    h.token("VN"),
  );
  expect(r.errors).toBeUndefined();
  // one commune of Quảng Ninh reports: judged and ranked only with no minimum completeness (the default is 50%)
  await h.dataSource.query(`UPDATE indicator SET min_completeness = 0 WHERE code = 'AWR_COMMUNE_ACTIVITY'`);
});
afterAll(() => h?.close());

const page = (cell: string) =>
  `{ rollup(unitCode: "22", period: "2025-Q3", indicators: ["AWR_COMMUNE_ACTIVITY"]) { cells { ${cell} } children { unit { code } cells { ${cell} } } } }`;

it("runs one statement for values only; judged, two while the targets are resolved, then one from the cache, with the same values", async () => {
  const viewer = h.token("22", [Role.VIEWER]);
  const values = await h.gql(page("value unitsReported unitsExpected completeness"), {}, viewer);
  const judged = await h.gql(page("value unitsReported unitsExpected completeness status gap target { value { text } }"), {}, viewer);
  const judgedAgain = await h.gql(page("value unitsReported unitsExpected completeness status gap target { value { text } }"), {}, viewer);
  expect(values.errors).toBeUndefined();
  expect(judged.errors).toBeUndefined();
  expect(values.statements).toBe(1);
  expect(judged.statements).toBe(2);
  expect(judgedAgain.statements).toBe(1);
  expect(judgedAgain.data).toEqual(judged.data);
  const strip = (d: any) => JSON.stringify(d, (k, v) => (["status", "gap", "target"].includes(k) ? undefined : v));
  expect(strip(values.data)).toBe(strip(judged.data));
  expect(judged.data.rollup.children.find((c: any) => c.unit.code === "06673").cells[0].value).toBe(100);
});

it("sees a judged field asked through a fragment, and the national comparison's rank needs no targets", async () => {
  const viewer = h.token("22", [Role.VIEWER]);
  const fragment = await h.gql(
    `query { rollup(unitCode: "22", period: "2025-Q3", indicators: ["AWR_COMMUNE_ACTIVITY"]) { cells { ...Judged } } }
     fragment Judged on RollupCell { value status }`,
    {},
    viewer,
  );
  expect(fragment.errors).toBeUndefined();
  const direct = await h.gql(
    `{ rollup(unitCode: "22", period: "2025-Q3", indicators: ["AWR_COMMUNE_ACTIVITY"]) { cells { value status } } }`,
    {},
    viewer,
  );
  // judged (against the province's target), not the NO_TARGET of a values-only page
  expect(["MET", "NOT_MET"]).toContain(direct.data.rollup.cells[0].status);
  expect(fragment.data.rollup.cells).toEqual(direct.data.rollup.cells);
  const ranked = await h.gql(`{ nationalComparison(period: "2025-Q3", indicators: ["AWR_COMMUNE_ACTIVITY"]) { provinces { cells { value rank } } } }`, {}, h.token("VN"));
  expect(ranked.errors).toBeUndefined();
  expect(ranked.statements).toBe(1);
  expect(ranked.data.nationalComparison.provinces.some((p: any) => p.cells[0].rank === 1)).toBe(true);
});

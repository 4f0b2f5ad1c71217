import { Role } from "../src/auth/auth.types";
import { startHarness, type Harness } from "./support/harness";

/**
 * Which plans give a unit's effective targets: per program (each its own catalog), the nearest plan in force
 * for the period: active, or closed (it was in force for its own period); never a draft.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const EFFECTIVE = `query($u: String!, $p: String!, $i: [String!]) { effectiveTargets(unitCode: $u, period: $p, indicators: $i) { indicatorCode sourcePlanDocument } }`;
const ministry = () => h.token("VN", [Role.VIEWER]);

it("keeps a closed plan's targets for its own period, and a draft gives none", async () => {
  const vars = { u: "12", p: "2024", i: ["AWR_COMMUNE_ACTIVITY"] };
  const before = await h.gql(EFFECTIVE, vars, ministry());
  expect(before.errors).toBeUndefined();
  expect(before.data.effectiveTargets).toHaveLength(1);
  const source = before.data.effectiveTargets[0].sourcePlanDocument;
  // every plan closed at once (a closed plan may not keep active children), as after the program ended
  await h.dataSource.query(`UPDATE plan SET status = 'closed'`);
  expect((await h.gql(EFFECTIVE, vars, ministry())).data.effectiveTargets).toEqual(before.data.effectiveTargets);
  // drafts are not in force (the life cycle keeps a draft's children drafts: tested in plan-lifecycle)
  await h.dataSource.query(`UPDATE plan SET status = 'draft'`);
  expect((await h.gql(EFFECTIVE, vars, ministry())).data.effectiveTargets).toEqual([]);
  await h.dataSource.query(`UPDATE plan SET status = 'active'`);
});

it("resolves each program's targets from that program's plans when a unit has plans of two programs", async () => {
  const created = await h.gql(
    `mutation($i: CreateProgramInput!) { createProgram(input: $i) { code } }`,
    {
      i: {
        code: "PCMT_TEST", nameVi: "Chương trình thử", nameEn: "Test program", reason: "thử hai chương trình",
        indicators: [{ code: "TST_COMMUNES_OK", nameVi: "Tỷ lệ xã đạt", nameEn: "% of communes meeting", area: "PREVENTION",
          valueKind: "YES_NO", direction: "HIGHER_IS_BETTER", rollupRule: "SHARE_OF_UNITS", reportingLevel: "COMMUNE",
          periodType: "YEAR", periodRule: "LATEST", measuredOn: "communes" }],
      },
    },
    h.token("VN", [Role.ADMIN]),
  );
  expect(created.errors).toBeUndefined();
  // Quảng Ninh's own plan of the new program for 2024, with one target (as the owner: the API's paths are tested elsewhere)
  await h.dataSource.query(
    `WITH p AS (
       INSERT INTO plan (program_id, unit_id, title, document_number, period_start, period_end, created_by, status)
       SELECT g.id, u.id, 'Kế hoạch thử 2024', '99/KH-TEST', '2024-01-01', '2024-12-31', 'test', 'active'
         FROM program g, org_unit u WHERE g.code = 'PCMT_TEST' AND u.code = '22' AND u.valid_to IS NULL
       RETURNING id)
     INSERT INTO target (plan_id, indicator_id, kind, share, source_text, updated_by)
     SELECT p.id, i.id, 'share_floor', 80, 'thử', 'test' FROM p, indicator i WHERE i.code = 'TST_COMMUNES_OK'`,
  );
  const r = await h.gql(EFFECTIVE, { u: "22", p: "2024", i: ["TST_COMMUNES_OK", "AWR_COMMUNE_ACTIVITY"] }, ministry());
  expect(r.errors).toBeUndefined();
  const byIndicator = Object.fromEntries(r.data.effectiveTargets.map((t: any) => [t.indicatorCode, t.sourcePlanDocument]));
  expect(byIndicator.TST_COMMUNES_OK).toBe("99/KH-TEST");
  expect(byIndicator.AWR_COMMUNE_ACTIVITY).toBeDefined();
  expect(byIndicator.AWR_COMMUNE_ACTIVITY).not.toBe("99/KH-TEST");
});

it("places a new indicator in the program named, and asks for the program when there are several", async () => {
  const admin = h.token("VN", [Role.ADMIN]);
  const CREATE = `mutation($i: CreateIndicatorInput!) { createIndicator(input: $i) { code } }`;
  const input = {
    code: "TST_SECOND", nameVi: "Chỉ tiêu thử", nameEn: "Test indicator", area: "PREVENTION", valueKind: "COUNT", direction: "HIGHER_IS_BETTER",
    rollupRule: "SUM", reportingLevel: "COMMUNE", periodType: "YEAR", periodRule: "SUM", measuredOn: "communes", reason: "thử",
  };
  const before = await h.dataSource.query(`SELECT count(*)::int AS n FROM indicator`);
  const unnamed = await h.gql(CREATE, { i: input }, admin);
  expect(unnamed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.programCode" });
  const unknown = await h.gql(CREATE, { i: { ...input, programCode: "NOPE" } }, admin);
  expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.programCode" });
  expect(await h.dataSource.query(`SELECT count(*)::int AS n FROM indicator`)).toEqual(before);
  const placed = await h.gql(CREATE, { i: { ...input, programCode: "PCMT_TEST" } }, admin);
  expect(placed.errors).toBeUndefined();
  const [row] = await h.dataSource.query(`SELECT g.code FROM indicator i JOIN program g ON g.id = i.program_id WHERE i.code = 'TST_SECOND'`);
  expect(row.code).toBe("PCMT_TEST");
});

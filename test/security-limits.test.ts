import { loadConfig } from "../src/config";
import { Role } from "../src/auth/auth.types";
import { createServer, type AppServer } from "../src/server";
import { LIMITS } from "../src/security/security.limits";
import { MAX_BATCH_ROWS } from "../src/report/report.types";
import { startHarness, type Harness } from "./support/harness";

/**
 * Limits on what one request may carry, over HTTP against the real server: one mutation per
 * request, a cap on list items, string hygiene (NUL, length, names' characters), dates in range,
 * honest cursors, short echoes, one error for directive overloading. Each refusal is checked to
 * happen before any resolver runs (no `data` key: the spec's sign of an error before execution) and
 * to leave the database as it was.
 */
let h: Harness;
let url: string;
let production: { server: AppServer; url: string };
const plans: Record<string, string> = {};

type Body = { data?: any; errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, any> }> };
async function post(endpoint: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Body };
}
const gql = (query: string, variables: Record<string, unknown> = {}, token?: string) => post(url, query, variables, token);

/** Everything a refused request could have written. */
async function snapshot() {
  const [row] = await h.dataSource.query(
    `SELECT (SELECT count(*) FROM report)::int AS reports,
            (SELECT count(*) FROM report_submission)::int AS submissions,
            (SELECT count(*) FROM audit_log)::int AS audits,
            (SELECT count(*) FROM target)::int AS targets,
            (SELECT coalesce(sum(version), 0)::int FROM plan) AS plan_versions,
            (SELECT count(*) FROM plan)::int AS plans,
            (SELECT count(*) FROM org_unit)::int AS units,
            (SELECT string_agg(name, '|' ORDER BY id) FROM org_unit WHERE code IN ('193', '195')) AS names`,
  );
  return row;
}

/** Refused before execution: an error with this code, no `data` entry at all (so no resolver ran). */
function expectRefusedBeforeExecution(r: { status: number; body: Body }, code: string) {
  expect(r.body.errors?.[0]?.extensions?.code).toBe(code);
  expect(r.body).not.toHaveProperty("data");
  expect(r.body.errors?.[0]?.path).toBeUndefined();
  expect(r.status).toBe(400);
}

beforeAll(async () => {
  h = await startHarness();
  url = `http://127.0.0.1:${await h.server.listen(0)}/graphql`;
  const server = await createServer({ config: { ...loadConfig({ NODE_ENV: "production" }), poolSize: 2 }, dataSource: h.appDataSource, jwt: h.jwt });
  production = { server, url: `http://127.0.0.1:${await server.listen(0)}/graphql` };
  const rows: Array<{ id: string; doc: string | null; code: string }> = await h.dataSource.query(
    `SELECT p.id, p.document_number AS doc, u.code FROM plan p JOIN org_unit u ON u.id = p.unit_id`,
  );
  for (const r of rows) if (r.doc) plans[r.doc] = r.id;
  plans.quangNinh = rows.find((r) => r.code === "22")!.id;
});
afterAll(async () => {
  await production?.server.stop();
  await h?.close();
});

const SUBMIT_FIELD = `submitReports(input: $input) { received inserted }`;
const yes = (unitCode: string, value = 1) => ({ unitCode, indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2025-Q1", value });

describe("one mutation per request (issue 10, item 1)", () => {
  const reporter = () => h.token("22", [Role.REPORTER, Role.VIEWER], "limits-reporter");
  const planner = () => h.token("22", [Role.PLANNER, Role.VIEWER], "limits-planner");

  it("refuses two aliased submitReports of valid rows before either runs; one alone is written", async () => {
    const before = await snapshot();
    const input = { rows: [yes("07192"), yes("07195")] };
    const r = await gql(`mutation($input: SubmitReportsInput!) { a: ${SUBMIT_FIELD} b: ${SUBMIT_FIELD} }`, { input }, reporter());
    expectRefusedBeforeExecution(r, "GRAPHQL_VALIDATION_FAILED");
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors![0]!.extensions).toMatchObject({ limit: "mutationFields", max: 1, actual: 2 });
    expect(r.body.errors![0]!.message).toBe(
      "The request asks for 2 mutations (submitReports); the limit is 1 per request. Send each mutation in a request of its own.",
    );
    expect(await snapshot()).toEqual(before);
    // the same batch alone goes through: the rows were good, only the doubling was refused
    const one = await gql(`mutation($input: SubmitReportsInput!) { ${SUBMIT_FIELD} }`, { input }, reporter());
    expect(one.body).toEqual({ data: { submitReports: { received: 2, inserted: 2 } } });
  });

  it("refuses 30 aliased submitReports sharing one 5,000-row variable, with one error", async () => {
    const before = await snapshot();
    const rows = Array.from({ length: 5000 }, (_, i) => ({ unitCode: String(10000 + i), indicatorCode: "AWR_RISKY_WORKERS_INFORMED", period: "2025-Q3", numerator: 1, denominator: 2 }));
    const fields = Array.from({ length: 30 }, (_, i) => `m${i}: ${SUBMIT_FIELD}`).join(" ");
    const r = await gql(`mutation($input: SubmitReportsInput!) { ${fields} }`, { input: { rows, dryRun: true } }, reporter());
    expectRefusedBeforeExecution(r, "GRAPHQL_VALIDATION_FAILED");
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors![0]!.extensions).toMatchObject({ limit: "mutationFields", max: 1, actual: 30 });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses 20 aliased setTargets (no plan version moves), and mixed mutations through fragments", async () => {
    const before = await snapshot();
    const targets = [{ indicator: "AWR_COMMUNE_ACTIVITY", kind: "SHARE_FLOOR", share: 90 }];
    const fields = Array.from(
      { length: 20 },
      (_, i) => `s${i}: setTargets(input: { planId: $plan, version: ${i + 1}, reason: "round ${i}", targets: $targets }) { __typename }`,
    ).join(" ");
    const r = await gql(`mutation($plan: ID!, $targets: [TargetInput!]!) { ${fields} }`, { plan: plans.quangNinh, targets }, planner());
    expectRefusedBeforeExecution(r, "GRAPHQL_VALIDATION_FAILED");
    expect(r.body.errors![0]!.extensions).toMatchObject({ limit: "mutationFields", actual: 20 });
    const mixed = await gql(
      `mutation($plan: ID!, $targets: [TargetInput!]!) { ...Set removeTarget(input: { planId: $plan, version: 1, indicator: "AWR_COMMUNE_ACTIVITY", reason: "again" }) { __typename } }
       fragment Set on Mutation { setTargets(input: { planId: $plan, version: 1, reason: "once", targets: $targets }) { __typename } }`,
      { plan: plans.quangNinh, targets },
      planner(),
    );
    expectRefusedBeforeExecution(mixed, "GRAPHQL_VALIDATION_FAILED");
    expect(mixed.body.errors![0]!.message).toMatch(/2 mutations \(setTargets, removeTarget\)/);
    expect(await snapshot()).toEqual(before);
  });

  it("caps the list items of a request: one full batch fits, one row more is refused before validation of the rows", async () => {
    expect(MAX_BATCH_ROWS).toBeLessThanOrEqual(LIMITS.inputListItems);
    const before = await snapshot();
    const row = { unitCode: "1", indicatorCode: "A", period: "2025" };
    const r = await gql(`mutation($input: SubmitReportsInput!) { ${SUBMIT_FIELD} }`, { input: { rows: Array(LIMITS.inputListItems + 1).fill(row), dryRun: true } }, reporter());
    expectRefusedBeforeExecution(r, "GRAPHQL_VALIDATION_FAILED");
    expect(r.body.errors![0]!.extensions).toMatchObject({ limit: "inputListItems", max: LIMITS.inputListItems });
    expect(await snapshot()).toEqual(before);
  });
});

describe("input hygiene (issue 10, item 8)", () => {
  const ministry = () => h.token("VN");
  const admin = () => h.token("22", [Role.ADMIN, Role.VIEWER], "limits-admin");
  const planner = () => h.token("22", [Role.PLANNER, Role.VIEWER], "limits-planner");
  const reporter = () => h.token("22", [Role.REPORTER, Role.VIEWER], "limits-reporter");

  it.each([
    ["an inline literal (search text)", `{ searchOrgUnits(text: "ha\\u0000long") { totalCount } }`, () => ({}), "text", "ministry"],
    ["a variable", `query($t: String!) { searchOrgUnits(text: $t) { totalCount } }`, () => ({ t: "ha\0long" }), "text", "ministry"],
    [
      "a field of an input object (idempotency key)",
      `mutation($input: SubmitReportsInput!) { submitReports(input: $input) { received } }`,
      () => ({ input: { rows: [yes("07192")], idempotencyKey: "key\0" } }),
      "input.idempotencyKey",
      "reporter",
    ],
    [
      "an input object inside a list (a target's source text)",
      `mutation($input: SetTargetsInput!) { setTargets(input: $input) { __typename } }`,
      () => ({ input: { planId: plans.quangNinh, version: 1, reason: "why not", targets: [{ indicator: "AWR_COMMUNE_ACTIVITY", kind: "SHARE_FLOOR", share: 90, sourceText: "đoạn\0văn" }] } }),
      "input.targets.0.sourceText",
      "planner",
    ],
    [
      "an inline input object (an audit reason)",
      `mutation { createOrgUnit(input: { parentCode: "193", code: "33091", name: "Phường Mới", type: "Phường", reason: "lý do\\u0000" }) { code } }`,
      () => ({}),
      "input.reason",
      "admin",
    ],
  ])("a NUL character in %s answers BAD_USER_INPUT before anything runs", async (_name, query, variables, field, who) => {
    const before = await snapshot();
    const token = who === "reporter" ? reporter() : who === "planner" ? planner() : who === "admin" ? admin() : ministry();
    const r = await gql(query, variables(), token);
    expectRefusedBeforeExecution(r, "BAD_USER_INPUT");
    expect(r.body.errors![0]!.extensions).toMatchObject({ field });
    expect(r.body.errors![0]!.message).toMatch(/contains a NUL character \(U\+0000\), which text cannot hold; remove it\.$/);
    expect(await snapshot()).toEqual(before);
  });

  it("caps every string argument, also those without a cap of their own (an ID, a unit code)", async () => {
    const long = "7".repeat(LIMITS.stringLength + 1);
    for (const [query, field] of [
      [`query($v: ID!) { plan(id: $v) { id } }`, "id"],
      [`query($v: String!) { orgUnit(code: $v) { code } }`, "code"],
      [`query($v: String!) { targetHistory(planId: "x", indicator: $v) { actor } }`, "indicator"],
    ] as const) {
      const r = await gql(query, { v: long }, ministry());
      expectRefusedBeforeExecution(r, "BAD_USER_INPUT");
      expect(r.body.errors![0]!.extensions).toMatchObject({ field, limit: "stringLength", max: LIMITS.stringLength, actual: long.length });
      expect(r.text).not.toContain("7".repeat(100));
    }
  });

  it("echoes input back shortened: a 900 kB code, a 1,500-character one, a bad Int variable, a bad literal", async () => {
    const huge = await gql(`query($v: String!) { orgUnit(code: $v) { code } }`, { v: "x".repeat(900_000) }, ministry());
    expect(huge.body.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", limit: "stringLength" });
    expect(huge.text.length).toBeLessThan(500);
    // under the generic cap, the service's own message echoes it: shortened
    const code = await gql(`query($v: String!) { orgUnit(code: $v) { code } }`, { v: "y".repeat(1500) }, ministry());
    expect(code.body.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "code" });
    expect(code.body.errors![0]!.message).toBe(`"${"y".repeat(LIMITS.echoChars)}…[1500 characters]" is not a unit code: use a GSO code such as 22 or 193, or VN.`);
    // graphql-js echoes a variable that does not coerce twice, whole (a long one is refused by the cap before)
    const int = await gql(`query($n: Int) { searchOrgUnits(text: "ha", first: $n) { totalCount } }`, { n: "z".repeat(1500) }, ministry());
    expect(int.body.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(int.body.errors![0]!.message).toMatch(/^Variable "\$n" got invalid value "z{60}…\[1500 characters\]"; Int cannot represent/);
    expect(int.text.length).toBeLessThan(600);
    // and a literal of the wrong type, in validation
    const literal = await gql(`{ searchOrgUnits(text: "ha", first: "${"w".repeat(100_000)}") { totalCount } }`, {}, ministry());
    expect(literal.body.errors![0]!.extensions!.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(literal.text.length).toBeLessThan(600);
  });

  it.each([
    // (class-validator names the field without its argument: "name", not "input.name")
    ["a unit's new name with U+202E (right-to-left override)", "create", { name: "Phường \u202Egnol aH" }, "name", "U+202E"],
    ["a unit's new name with a newline", "create", { name: "Phường\nHạ Long" }, "name", "U+000A"],
    ["a renamed unit with a bell", "update", { name: "Thành phố\u0007 Hạ Long" }, "name", "U+0007"],
    ["a renamed unit with U+2066 (isolate)", "update", { name: "\u2066Thành phố Hạ Long" }, "name", "U+2066"],
    ["a plan title with U+202E", "plan", { title: "Kế hoạch \u202E5202" }, "title", "U+202E"],
    ["a plan's document number with U+200F", "plan", { documentNumber: "01/KH\u200F-UBND" }, "documentNumber", "U+200F"],
  ])("refuses %s", async (_name, what, over, field, character) => {
    const before = await snapshot();
    const r =
      what === "create"
        ? await gql(`mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { code } }`, { input: { parentCode: "193", code: "33092", name: "Phường Mới", type: "Phường", reason: "Nghị quyết", ...over } }, admin())
        : what === "update"
          ? await gql(`mutation($input: UpdateOrgUnitInput!) { updateOrgUnit(input: $input) { code } }`, { input: { code: "193", reason: "sửa tên", ...over } }, h.token("VN", [Role.ADMIN]))
          : await gql(
              `mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }`,
              { input: { parentPlanId: plans.quangNinh, unitCode: "193", title: "Kế hoạch 2025", periodStart: "2025-01-01", periodEnd: "2025-12-31", reason: "annual plan", ...over } },
              planner(),
            );
    expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(r.body.errors![0]!.message).toContain(`must not contain control, invisible or bidirectional-override characters (found ${character})`);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ["a plan starting in 1900", "plan", { periodStart: "1900-01-01" }, "periodStart"],
    ["a plan issued in 1944", "plan", { issuedOn: "1944-12-31" }, "issuedOn"],
    ["a plan ending in 2101", "plan", { periodEnd: "2101-01-01" }, "periodEnd"],
    ["a unit starting in 0001", "unit", { validFrom: "0001-01-01" }, "validFrom"],
    ["a unit starting in 9999", "unit", { validFrom: "9999-12-31" }, "validFrom"],
  ])("refuses %s", async (_name, what, over, field) => {
    const before = await snapshot();
    const r =
      what === "unit"
        ? await gql(`mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { code } }`, { input: { parentCode: "193", code: "33093", name: "Phường Mới", type: "Phường", reason: "Nghị quyết", ...over } }, admin())
        : await gql(
            `mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }`,
            { input: { parentPlanId: plans.quangNinh, unitCode: "193", title: "Kế hoạch 2025", periodStart: "2025-01-01", periodEnd: "2025-12-31", reason: "annual plan", ...over } },
            planner(),
          );
    expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(r.body.errors![0]!.message).toContain("must lie between 1945-01-01 and 2100-12-31");
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a COUNT_FLOOR above the number of units it counts; the count itself is accepted", async () => {
    const [{ n }] = await h.dataSource.query(
      `SELECT c.n FROM org_unit_count c JOIN org_unit u ON u.id = c.unit_id
        WHERE u.code = '22' AND u.valid_to IS NULL AND c.level = (SELECT reporting_level FROM indicator WHERE code = 'HRM_PILOT_MODEL_DISTRICTS')`,
    );
    expect(n).toBe(13); // Quảng Ninh's districts
    const set = async (count: number) => {
      const [{ version }] = await h.dataSource.query(`SELECT version FROM plan WHERE id = $1`, [plans.quangNinh]);
      return gql(
        `mutation($input: SetTargetsInput!) { setTargets(input: $input) { __typename ... on TargetsSet { plan { version } } } }`,
        { input: { planId: plans.quangNinh, version, reason: "pilot districts", targets: [{ indicator: "HRM_PILOT_MODEL_DISTRICTS", kind: "COUNT_FLOOR", count }] } },
        planner(),
      );
    };
    const before = await snapshot();
    const over = await set(n + 1);
    expect(over.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.targets.0.count", units: 13 });
    expect(over.body.errors![0]!.message).toBe(
      "HRM_PILOT_MODEL_DISTRICTS: at least 14 units cannot be met: the plan's unit has 13 units at the indicator's reporting level (district).",
    );
    expect(await snapshot()).toEqual(before);
    const all = await set(n);
    expect(all.body.errors).toBeUndefined();
    expect(all.body.data.setTargets.__typename).toBe("TargetsSet");
  });

  it("answers a malformed pagination cursor with BAD_USER_INPUT, not an empty page", async () => {
    const page = (after: string) =>
      gql(`query($after: String) { orgUnit(code: "22") { children(first: 5, after: $after) { totalCount nodes { code } endCursor } } }`, { after }, ministry());
    const first = await page(null as never);
    expect(first.body.data.orgUnit.children.nodes).toHaveLength(5);
    const second = await page(first.body.data.orgUnit.children.endCursor);
    expect(second.body.data.orgUnit.children.nodes).toHaveLength(5);
    for (const bad of ["garbage!", "aGVsbG8gd29ybGQ", "MjI="]) {
      const r = await page(bad);
      expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
      expect(r.body.errors![0]!.message).toMatch(/pass the endCursor of the previous page as it is/);
    }
    const search = await gql(`{ searchOrgUnits(text: "ha", after: "garbage!") { totalCount } }`, {}, ministry());
    expect(search.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
  });
});

describe("directive overloading (issue 10, item 10)", () => {
  it.each([
    ["ten unknown directives (graphql-cop)", `query cop { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }`, "Unknown directive @aa (used 10 times); remove it."],
    ["a known directive repeated", `{ __typename @include(if: true) @include(if: true) @include(if: true) }`, "The directive @include is repeated at one place (used 3 times); give it once there."],
    ["many unknown directives", `{ __typename ${Array.from({ length: 50 }, (_, i) => `@d${i}`).join(" ")} }`, "Unknown directive @d0; remove it."],
  ])("answers %s with one error, in development and production", async (_name, query, message) => {
    for (const endpoint of [url, production.url]) {
      const r = await post(endpoint, query, {}, h.token("22"));
      expectRefusedBeforeExecution(r, "GRAPHQL_VALIDATION_FAILED");
      expect(r.body.errors).toHaveLength(1);
      expect(r.body.errors![0]!.message).toBe(message);
    }
  });
});

import type { GraphQLSchema } from "graphql";
import { Role } from "../src/auth/auth.types";
import { buildAppSchema } from "../src/schema/build-schema";
import { startHarness, type Harness } from "./support/harness";
import { interpreted as interpretedBy } from "./support/interpreted";

/**
 * Queries run compiled by graphql-jit (src/schema/compiled-queries.plugin.ts). Each answer here is checked
 * against graphql-js interpreting the same document on the same schema, with the same caller: fragments,
 * aliases, @include/@skip inside fragments, variables and their defaults, nested lists, typed unions, and
 * field errors (their code, message and path, and the partial data beside them).
 */
let h: Harness;
let schema: GraphQLSchema;
beforeAll(async () => {
  h = await startHarness();
  schema = await buildAppSchema();
});
afterAll(() => h?.close());

const interpreted = (query: string, variables: Record<string, unknown>, token: string) => interpretedBy(h, schema, query, variables, token);

const CASES: Array<[string, string, Record<string, unknown>, string]> = [
  [
    "a province page with targets, fragments, aliases and directives in a fragment",
    `query($u: String!, $p: String!, $i: [String!], $withTarget: Boolean = true, $noGap: Boolean!) {
       page: rollup(unitCode: $u, period: $p, indicators: $i) { period unit { code name } cells { ...cell }
         children { unit { code level } cells { ...cell code: indicatorCode } } }
     }
     fragment cell on RollupCell { indicatorCode value numerator denominator completeness status
       gap @skip(if: $noGap) target @include(if: $withTarget) { inherited provenance value { kind share count text } } }`,
    { u: "22", p: "2025-Q3", i: ["AWR_COMMUNE_ACTIVITY", "PRV_BUSINESS_COMMITMENT"], noGap: true },
    "22",
  ],
  [
    "the national comparison with ranks",
    `query($p: String!) { nationalComparison(period: $p) { period provinces { unit { code } cells { indicatorCode value status rank } } } }`,
    { p: "2025" },
    "VN",
  ],
  [
    "effective targets and the plan tree",
    `{ effectiveTargets(unitCode: "22", period: "2025") { unitCode indicatorCode provenance value { kind share text } }
       orgUnit(code: "22") { code name level ancestors { code } parent { code name } successors { __typename } } }`,
    {},
    "22",
  ],
  [
    "a field error: another province's roll-up (non-null, so no data)",
    `{ a: orgUnit(code: "22") { code name } b: rollup(unitCode: "01", period: "2025") { period } }`,
    {},
    "22",
  ],
];

it.each(CASES)("answers %s as graphql-js does, compiled on its first run and kept", async (_name, query, variables, unit) => {
  const token = h.token(unit, [Role.VIEWER, Role.PLANNER]);
  const before = await executions();
  const first = await h.gql(query, variables, token);
  const second = await h.gql(query, variables, token);
  expect(await executions()).toEqual({ compiled: before.compiled + 2, interpreted: before.interpreted });
  const expected = await interpreted(query, variables, token);
  for (const answer of [first, second]) {
    expect(answer.data ?? null).toEqual(expected.data);
    expect(answer.errors?.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code }))).toEqual(expected.errors);
  }
  // the cases are meant to answer something: data, or the error they are about
  expect(JSON.stringify(second.data).length > 40 || second.errors?.[0]?.extensions?.code === "NOT_FOUND").toBe(true);
});

it("interprets mutations (graphql-js) and counts no query execution for them", async () => {
  const before = await executions();
  const r = await h.gql(`mutation { submitReports(input: { rows: [] }) { received } }`, {}, h.token("22", [Role.REPORTER]));
  expect(r.errors?.[0]?.extensions?.code ?? r.data?.submitReports?.received).toBeDefined();
  expect(await executions()).toEqual(before);
});

/** The server's count of executed queries by executor (GET /metrics). */
async function executions(): Promise<{ compiled: number; interpreted: number }> {
  base ??= `http://127.0.0.1:${await h.server.listen(0)}`;
  const text = await (await fetch(`${base}/metrics`)).text();
  const count = (executor: string) =>
    Number(new RegExp(`^vnp_graphql_query_executions_total\\{executor="${executor}"\\} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
  return { compiled: count("compiled"), interpreted: count("interpreted") };
}

it("formats a compiled query's field errors as the API does: code, message, path, request id", async () => {
  const r = await fetchGraphql(`{ rollup(unitCode: "01", period: "2025") { period } }`, {}, h.token("22", [Role.VIEWER]));
  expect(r.status).toBe(200);
  expect(r.body.data).toBeNull();
  expect(r.body.errors).toHaveLength(1);
  expect(r.body.errors[0]).toMatchObject({ path: ["rollup"], extensions: { code: "NOT_FOUND", requestId: expect.any(String) } });
  expect(Object.keys(r.body.errors[0]).sort()).toEqual(["extensions", "locations", "message", "path"]);
  expect(r.body.errors[0].message).not.toMatch(/at .*\.js|SELECT/);
});

it("answers refused variables with Apollo's 400 and BAD_USER_INPUT, having run nothing", async () => {
  const before = await executions();
  const r = await fetchGraphql(`query($p: String!) { nationalComparison(period: $p) { period } }`, { p: 2025 }, h.token("VN", [Role.VIEWER]));
  expect(await executions()).toEqual({ compiled: before.compiled, interpreted: before.interpreted + 1 });
  expect(r.status).toBe(400);
  expect(r.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
  expect(r.body.data).toBeUndefined();
});

let base: string | undefined;
async function fetchGraphql(query: string, variables: Record<string, unknown>, token: string) {
  base ??= `http://127.0.0.1:${await h.server.listen(0)}`;
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "accept-language": "en" },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

import { parse, type OperationDefinitionNode } from "graphql";
import { loadConfig } from "../src/config";
import { createServer, type AppServer } from "../src/server";
import { buildAppSchema } from "../src/schema/build-schema";
import { LIMITS } from "../src/security/security.limits";
import { operationCost, selectionDepth } from "../src/security/security.rules";
import { startHarness, type Harness } from "./support/harness";

/**
 * GraphQL hardening, over HTTP against a listening server: abusive documents are refused before
 * anything runs, with a clear code; the real front-end queries fit under every limit; production
 * hides the schema and suggestions; no response carries a stack trace or SQL.
 */
let h: Harness;
let url: string;
let production: { server: AppServer; url: string };
let ministry: string;
let quangNinh: string;

type Body = { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
async function post(endpoint: string, body: unknown, token?: string, headers: Record<string, string> = {}) {
  const started = Date.now();
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Body, ms: Date.now() - started };
}

/** What every refusal must not contain. */
function expectNoInternals(text: string) {
  expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/); // stack frames
  expect(text).not.toMatch(/stacktrace/i);
  expect(text).not.toMatch(/\b(SELECT|INSERT|UPDATE|DELETE)\b.+\b(FROM|INTO|SET)\b/); // SQL
}

beforeAll(async () => {
  h = await startHarness();
  url = `http://127.0.0.1:${await h.server.listen(0)}/graphql`;
  const server = await createServer({
    config: { ...loadConfig({ NODE_ENV: "production" }), poolSize: 2 },
    dataSource: h.appDataSource,
    jwt: h.jwt,
  });
  production = { server, url: `http://127.0.0.1:${await server.listen(0)}/graphql` };
  ministry = h.token("VN");
  quangNinh = h.token("22");
});
afterAll(async () => {
  await production?.server.stop();
  await h?.close();
});

/** Real queries of the front-ends (README, dashboard), each must pass every limit. */
const FRONT_END: Array<[string, string]> = [
  ["a province's districts", `{ orgUnit(code: "22") { name children(first: 20) { totalCount nodes { code name type } } } }`],
  ["search with ancestors", `{ searchOrgUnits(text: "ha long", under: "22") { nodes { code name level ancestors { name } } } }`],
  [
    "plans with parents and children",
    `{ plans(unitCode: "12", period: "2025") { title documentNumber issuedOn periodStart periodEnd
        parentPlan { documentNumber unit { name } } childPlans { documentNumber } } }`,
  ],
  ["the catalog", `{ indicators { code nameVi area valueKind direction rollupRule reportingLevel periodType periodRule } }`],
  [
    "a unit's roll-up with its children",
    `{ rollup(unitCode: "22", period: "2024") { period unit { code name ancestors { name } }
        cells { indicatorCode value completeness unitsReported unitsExpected status gap target { sourceUnitCode value { text } } }
        children { unit { code name } cells { indicatorCode value completeness status gap target { value { text } } } } } }`,
  ],
  [
    "the national comparison (63 provinces × 20 indicators)",
    `query Compare($period: String!) { nationalComparison(period: $period) { period
        indicators { code nameVi area direction }
        nation { cells { indicatorCode value completeness status } }
        provinces { unit { code name } cells { indicatorCode value numerator denominator completeness unitsReported unitsExpected
          rank status gap target { sourceUnitCode value { kind text } } } } } }`,
  ],
  [
    "a plan with its effective targets and assignments",
    `{ plans(unitCode: "22") { id title version effectiveTargets { indicatorCode inherited provenance sourceUnitCode value { kind text share }
        comparedToParent { __typename } } assignments { indicatorCode named needed meets unitCodes unitNames } } }`,
  ],
];

describe("the real front-end queries", () => {
  it.each(FRONT_END)("%s fits under every limit", async (_name, query) => {
    const schema = await buildAppSchema();
    const document = parse(query);
    const operation = document.definitions[0] as OperationDefinitionNode;
    const cost = operationCost(schema, document, operation, { period: "2024" });
    const fragments = new Map();
    const depth = selectionDepth(operation.selectionSet, fragments);
    // headroom: the caps stay at least twice what the real queries need
    // eslint-disable-next-line no-console
    console.info(`${_name}: estimated cost ${cost}, depth ${depth}`);
    expect(cost * 2).toBeLessThanOrEqual(LIMITS.cost);
    expect(depth * 1.5).toBeLessThanOrEqual(LIMITS.depth);
    const r = await post(url, { query, variables: { period: "2024" } }, ministry);
    const codes = (r.body.errors ?? []).map((e) => e.extensions?.code);
    expect(codes).not.toContain("GRAPHQL_VALIDATION_FAILED");
    expect(codes).not.toContain("GRAPHQL_PARSE_FAILED");
    expect(r.status).toBe(200);
  });
});

describe("abusive documents are refused before anything runs", () => {
  const nest = (n: number) => `{ orgUnit(code: "22") { ${"parent { ".repeat(n - 1)}code${" }".repeat(n - 1)} } }`;
  const cases: Array<[string, () => unknown, number, string, RegExp]> = [
    ["depth 50", () => ({ query: nest(50) }), 400, "GRAPHQL_VALIDATION_FAILED", /nested 5\d fields deep; the limit is 12/],
    [
      "200 aliases of __typename",
      () => ({ query: `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: __typename`).join(" ")} }` }),
      400,
      "GRAPHQL_VALIDATION_FAILED",
      /200 aliases; the limit is 30/,
    ],
    [
      "500 duplicated fields",
      () => ({ query: `{ orgUnit(code: "22") { ${"name ".repeat(500)} } }` }),
      400,
      "GRAPHQL_VALIDATION_FAILED",
      /too many selections/,
    ],
    [
      "a field with 100 directives",
      () => ({ query: `{ __typename ${"@include(if: true) ".repeat(100)} }` }),
      400,
      "GRAPHQL_VALIDATION_FAILED",
      /^The directive @include is repeated at one place \(used 100 times\); give it once there\.$/,
    ],
    [
      "100 directives over many fields",
      () => ({ query: `{ orgUnit(code: "22") { ${Array.from({ length: 50 }, (_, i) => `f${i}: name @include(if: true) @skip(if: false)`).join(" ")} } }` }),
      400,
      "GRAPHQL_VALIDATION_FAILED",
      /100 directives; the limit is 20/,
    ],
    [
      "first: 1000000 on nested nodes",
      () => ({ query: `{ orgUnit(code: "22") { children(first: 1000000) { nodes { code name } } } }` }),
      400,
      "GRAPHQL_VALIDATION_FAILED",
      /estimated cost is over 25000/,
    ],
    [
      "first: 1000000 through a variable",
      () => ({ query: `query Q($n: Int!) { searchOrgUnits(text: "a", first: $n) { nodes { code } } }`, variables: { n: 1000000 } }),
      400,
      "GRAPHQL_VALIDATION_FAILED",
      /estimated cost/,
    ],
    [
      "pages of 200 nested in pages of 200",
      () => ({ query: `{ searchOrgUnits(text: "a", first: 200) { nodes { children(first: 200) { nodes { code ancestors { name } } } } } }` }),
      400,
      "GRAPHQL_VALIDATION_FAILED",
      /estimated cost/,
    ],
    [
      "a fragment bomb",
      () => ({
        query:
          `{ orgUnit(code: "22") { ...F0 } } ` +
          Array.from({ length: 12 }, (_, i) => `fragment F${i} on OrgUnit { code ${i < 11 ? `...F${i + 1} parent { ...F${i + 1} }` : ""} }`).join(" "),
      }),
      400,
      "GRAPHQL_VALIDATION_FAILED",
      /too many selections|nested/,
    ],
    [
      "3,000 tokens",
      () => ({ query: `{ ${Array.from({ length: 3000 }, () => "__typename").join(" ")} }` }),
      400,
      "GRAPHQL_PARSE_FAILED",
      /2000 tokens/,
    ],
    ["a 2 MB body", () => JSON.stringify({ query: `{ __typename }`, variables: { pad: "x".repeat(2 * 1024 * 1024) } }), 413, "PAYLOAD_TOO_LARGE", /larger than/],
    ["a batched array", () => [{ query: "{ __typename }" }, { query: "{ __typename }" }], 400, "BAD_REQUEST", /batch/i],
    ["a body that is not JSON", () => `{"query": "{ __typename }"`, 400, "BAD_REQUEST", /not valid JSON/],
  ];

  it.each(cases)("refuses %s", async (name, body, status, code, message) => {
    expect(LIMITS).toMatchObject({ depth: 12, aliases: 30, directives: 20, cost: 25000, tokens: 2000 });
    const r = await post(url, body(), quangNinh);
    expect(r.status).toBe(status);
    expect(r.body.data ?? null).toBeNull();
    const error = r.body.errors?.[0];
    if (code !== "BAD_REQUEST" || !Array.isArray(body())) expect(error?.extensions?.code).toBe(code);
    expect(r.body.errors?.map((e) => e.message).join(" ")).toMatch(message);
    expectNoInternals(r.text);
    // eslint-disable-next-line no-console
    console.info(`${name}: HTTP ${r.status} in ${r.ms} ms`);
  });

  it("accepts a body the size of a 5,000-row report batch", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      unitCode: String(10000 + i),
      indicatorCode: "AWR_RISKY_WORKERS_INFORMED",
      period: "2025-Q3",
      numerator: 123,
      denominator: 456,
    }));
    const body = JSON.stringify({
      query: `mutation($i: SubmitReportsInput!) { submitReports(input: $i) { received } }`,
      variables: { i: { dryRun: true, rows } },
    });
    expect(body.length).toBeGreaterThan(500 * 1024);
    const r = await post(url, body, quangNinh);
    // parsed and validated (these made-up units are refused row by row), not cut off by a limit
    expect(r.status).toBe(200);
    expect(r.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("keeps CSRF prevention on: a simple GET without a preflight header is refused", async () => {
    const response = await fetch(`${url}?query=${encodeURIComponent("{ __typename }")}`, { headers: { authorization: `Bearer ${quangNinh}` } });
    expect(response.status).toBe(400);
    const ok = await fetch(`${url}?query=${encodeURIComponent("{ __typename }")}`, {
      headers: { authorization: `Bearer ${quangNinh}`, "apollo-require-preflight": "true" },
    });
    expect(ok.status).toBe(200);
    const form = await fetch(url, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ query: "{ __typename }" }) });
    expect(form.status).toBeGreaterThanOrEqual(400);
  });
});

describe("production mode", () => {
  it("refuses __schema but answers __type and __typename (GraphQL-over-HTTP audits)", async () => {
    const schema = await post(production.url, { query: "{ __schema { types { name } } }" }, quangNinh);
    expect(schema.status).toBe(400);
    expect(schema.body.errors?.[0]?.message).toMatch(/Introspection of the schema is disabled/);
    const type = await post(production.url, { query: `{ __type(name: "Query") { name } }` }, quangNinh);
    expect(type.body).toEqual({ data: { __type: { name: "Query" } } });
    const anonymous = await post(production.url, { query: "{ __typename }" });
    expect(anonymous.body).toEqual({ data: { __typename: "Query" } });
    // outside production the schema is introspectable (GraphiQL)
    const dev = await post(url, { query: "{ __schema { queryType { name } } }" }, quangNinh);
    expect(dev.body.data.__schema.queryType.name).toBe("Query");
  });

  it("gives no field suggestions, and no stack trace for an internal error", async () => {
    const misspelled = { query: `{ orgUnitt(code: "22") { name } }` };
    const dev = await post(url, misspelled, quangNinh);
    expect(dev.body.errors?.[0]?.message).toMatch(/Did you mean/);
    const prod = await post(production.url, misspelled, quangNinh);
    expect(prod.status).toBe(400);
    expect(prod.body.errors?.[0]?.message).not.toMatch(/Did you mean|orgUnit"/);
    expectNoInternals(prod.text);
    const bad = await post(production.url, { query: `{ plan(id: "00000000-0000-4000-8000-000000000000") { id } }` }, quangNinh);
    expect(bad.body.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expectNoInternals(bad.text);
  });

  it("applies the same limits in production", async () => {
    const r = await post(production.url, { query: `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: __typename`).join(" ")} }` }, quangNinh);
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });
});

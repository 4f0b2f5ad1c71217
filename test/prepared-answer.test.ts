import zlib from "node:zlib";
import type { GraphQLSchema } from "graphql";
import { Role } from "../src/auth/auth.types";
import { buildAppSchema } from "../src/schema/build-schema";
import { startHarness, type Harness } from "./support/harness";
import { interpreted } from "./support/interpreted";
import { rawRequest } from "./support/raw-http";

/**
 * A query's answer over HTTP is written as bytes by the compiled executor (src/schema/prepared-answer.ts), not by
 * Apollo: byte for byte what Apollo and express would have sent (JSON.stringify of graphql-js's answer to the same
 * document, then a newline), measured and typed as before, compressed where asked, never another request's answer.
 */
let h: Harness;
let schema: GraphQLSchema;
let base: string;
beforeAll(async () => {
  h = await startHarness();
  schema = await buildAppSchema();
  base = `http://127.0.0.1:${await h.server.listen(0)}`;
});
afterAll(() => h?.close());

const post = (query: string, variables: Record<string, unknown>, token: string, headers: Record<string, string> = {}) =>
  rawRequest(`${base}/graphql`, "POST", { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers }, JSON.stringify({ query, variables }));

const PAGES: Array<[string, string, Record<string, unknown>, string]> = [
  [
    "a province page with targets (Vietnamese names, nested lists)",
    `query($u: String!, $p: String!) { rollup(unitCode: $u, period: $p) { period unit { code name } cells { indicatorCode value status gap
       target { inherited sourcePlanDocument value { kind share count text } } } children { unit { code name } cells { indicatorCode value status } } } }`,
    { u: "22", p: "2025" },
    "22",
  ],
  [
    "the national comparison, ranked",
    `query($p: String!) { nationalComparison(period: $p) { period indicators { code nameVi } provinces { unit { code name } cells { indicatorCode value rank } } } }`,
    { p: "2024" },
    "VN",
  ],
  [
    "a unit, its ancestors and a page of children with theirs (lists of lists)",
    `{ orgUnit(code: "22") { code name ancestors { code name } children(first: 5) { nodes { code name ancestors { code } } totalCount } } }`,
    {},
    "22",
  ],
];

describe("prepared answers", () => {
  it.each(PAGES)("%s: the bytes JSON.stringify would give, with their length and UTF-8 type", async (_name, query, variables, unit) => {
    const token = h.token(unit, [Role.VIEWER]);
    const expected = await interpreted(h, schema, query, variables, token);
    expect(expected.errors).toBeUndefined();
    const answer = await post(query, variables, token);
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(Number(answer.headers["content-length"])).toBe(answer.raw.length);
    expect(answer.raw.equals(Buffer.from(`${JSON.stringify({ data: expected.data })}\n`, "utf8"))).toBe(true);
  });

  it("compresses a prepared answer where the client asks, to the same bytes", async () => {
    const [, query, variables, unit] = PAGES[1]!;
    const token = h.token(unit, [Role.VIEWER]);
    const plain = await post(query, variables, token);
    const compressed = await post(query, variables, token, { "accept-encoding": "gzip, deflate, br" });
    expect(compressed.headers["content-encoding"]).toBe("br");
    expect(zlib.brotliDecompressSync(compressed.raw).equals(plain.raw)).toBe(true);
  });

  it("gives each of many parallel requests its own answer", async () => {
    const asked = ["22", "01", "79", "48", "VN"].flatMap((unit) => [unit, unit]);
    const answers = await Promise.all(
      asked.map((unit) => post(`query($u: String!) { orgUnit(code: $u) { code name } }`, { u: unit }, h.token(unit, [Role.VIEWER]))),
    );
    answers.forEach((answer, k) => expect(JSON.parse(answer.body).data.orgUnit.code).toBe(asked[k]));
  });

  it("leaves answers with errors to Apollo (no data, the error's code)", async () => {
    const answer = await post(`{ rollup(unitCode: "01", period: "2025") { period } }`, {}, h.token("22", [Role.VIEWER]));
    const body = JSON.parse(answer.body);
    expect(body.data).toBeNull();
    expect(body.errors[0].extensions.code).toBe("NOT_FOUND");
  });

  it("answers a query run in-process (the CSV downloads' path) with its data, not a placeholder", async () => {
    const r = await h.gql(`{ orgUnit(code: "22") { code name } }`, {}, h.token("22", [Role.VIEWER]));
    expect(r.data.orgUnit).toEqual({ code: "22", name: expect.stringMatching(/Quảng Ninh/) });
  });
});

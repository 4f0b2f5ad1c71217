import zlib from "node:zlib";
import { loadConfig } from "../src/config";
import type { AppServer } from "../src/server";
import { startHarness, startServerWith, type Harness } from "./support/harness";
import { rawRequest, type RawAnswer as Answer } from "./support/raw-http";

/**
 * Answers travel compressed for clients that ask (every browser does): brotli where accepted, else gzip, the
 * same JSON once decoded; small answers and clients that do not ask get them as they are; COMPRESSION=0 (a
 * proxy in front compresses) sends everything as it is. Static bundles are compressed too.
 */
let h: Harness;
let base: string;
let plain: { server: AppServer; base: string };
let token: string;

const decoded = (answer: Answer): string => {
  switch (answer.headers["content-encoding"]) {
    case "br":
      return zlib.brotliDecompressSync(answer.raw).toString("utf8");
    case "gzip":
      return zlib.gunzipSync(answer.raw).toString("utf8");
    case undefined:
      return answer.raw.toString("utf8");
    default:
      throw new Error(`unexpected content-encoding ${answer.headers["content-encoding"]}`);
  }
};

/** A national comparison of the whole catalog: tens of KB of JSON, Vietnamese names in it. */
const COMPARISON = JSON.stringify({
  query: `{ nationalComparison(period: "2024") { period provinces { unit { code name } cells { indicatorCode value status } } } }`,
});
const graphql = (url: string, acceptEncoding?: string, body = COMPARISON) =>
  rawRequest(
    `${url}/graphql`,
    "POST",
    { "content-type": "application/json", authorization: `Bearer ${token}`, ...(acceptEncoding ? { "accept-encoding": acceptEncoding } : {}) },
    body,
  );

beforeAll(async () => {
  h = await startHarness();
  base = `http://127.0.0.1:${await h.server.listen(0)}`;
  plain = await startServerWith(h, { COMPRESSION: "0" });
  token = h.token("VN");
});
afterAll(async () => {
  await plain?.server.stop();
  await h?.close();
});

describe("compressed answers", () => {
  it("sends brotli to a browser (br, gzip, deflate) and the JSON decodes to the uncompressed answer", async () => {
    const asIs = await graphql(base);
    const brotli = await graphql(base, "gzip, deflate, br");
    expect(asIs.status).toBe(200);
    expect(brotli.status).toBe(200);
    expect(asIs.headers["content-encoding"]).toBeUndefined();
    expect(brotli.headers["content-encoding"]).toBe("br");
    expect(brotli.headers["content-type"]).toMatch(/^application\/json/);
    expect(Number(brotli.headers["content-length"])).toBe(brotli.raw.length);
    const answer = JSON.parse(decoded(brotli));
    expect(answer.errors).toBeUndefined();
    expect(answer.data.nationalComparison.provinces.length).toBeGreaterThan(30);
    expect(answer).toEqual(JSON.parse(decoded(asIs)));
    expect(decoded(brotli)).toContain("Hà Nội"); // UTF-8 survives the round trip
    // the point of it: a fraction of the bytes on the wire
    expect(brotli.raw.length).toBeLessThan(asIs.raw.length / 4);
  });

  it("sends gzip to a client that accepts gzip only, and says the answer varies by Accept-Encoding", async () => {
    const gzip = await graphql(base, "gzip");
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(decoded(gzip)).data.nationalComparison.period).toBe("2024");
    for (const answer of [gzip, await graphql(base)]) expect(String(answer.headers.vary).toLowerCase()).toContain("accept-encoding");
  });

  it("sends an answer as it is when the client refuses both encodings", async () => {
    const answer = await graphql(base, "identity");
    expect(answer.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(answer.raw.toString("utf8")).data.nationalComparison.period).toBe("2024");
  });

  it("sends a small answer as it is", async () => {
    const small = await graphql(base, "br, gzip", JSON.stringify({ query: "{ __typename }" }));
    expect(small.status).toBe(200);
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(small.raw.toString("utf8"))).toEqual({ data: { __typename: "Query" } });
  });

  it("keeps an error answer's code for a client that accepts compression", async () => {
    const answer = await graphql(base, "br", JSON.stringify({ query: `{ rollup(unitCode: "NOPE", period: "2024") { period } }`.padEnd(1200, " ") }));
    const body = JSON.parse(decoded(answer));
    expect(body.errors[0].extensions.code).toBe("NOT_FOUND");
  });

  it("compresses a CSV export, and leaves an .xlsx (already a zip) as it is", async () => {
    const reporter = h.token("22");
    const csv = await rawRequest(`${base}/reports/template?period=2025-Q1&unitCode=22`, "GET", { authorization: `Bearer ${reporter}`, "accept-encoding": "br" });
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    expect(csv.headers["content-encoding"]).toBe("br");
    expect(decoded(csv)).toContain("AWR_");
    const xlsx = await rawRequest(`${base}/reports/template?period=2025-Q1&unitCode=22&format=xlsx`, "GET", {
      authorization: `Bearer ${reporter}`,
      "accept-encoding": "br, gzip",
    });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers["content-type"]).toMatch(/spreadsheetml/);
    expect(xlsx.headers["content-encoding"]).toBeUndefined();
    expect(xlsx.raw.subarray(0, 2).toString("latin1")).toBe("PK"); // the zip itself
  });

  it("keeps the charset express gives a JSON answer it sends as text", async () => {
    const asIs = await rawRequest(`${base}/graphiql/config.json`, "GET");
    const brotli = await rawRequest(`${base}/graphiql/config.json`, "GET", { "accept-encoding": "br" });
    expect(asIs.raw.length).toBeGreaterThan(1024);
    expect(brotli.headers["content-encoding"]).toBe("br");
    expect(brotli.headers["content-type"]).toBe(asIs.headers["content-type"]);
    expect(brotli.headers["content-type"]).toMatch(/^application\/json; charset=utf-8$/i);
    expect(JSON.parse(decoded(brotli))).toEqual(JSON.parse(asIs.body));
  });

  it("compresses the dashboard's static bundle as it streams", async () => {
    const asIs = await rawRequest(`${base}/dashboard/assets/chart.umd.min.js`, "GET");
    const gzip = await rawRequest(`${base}/dashboard/assets/chart.umd.min.js`, "GET", { "accept-encoding": "gzip" });
    expect(gzip.status).toBe(200);
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(decoded(gzip)).toBe(asIs.raw.toString("utf8"));
    expect(gzip.raw.length).toBeLessThan(asIs.raw.length / 2);
  });

  it("sends nothing compressed with COMPRESSION=0 (a proxy in front compresses)", async () => {
    expect(loadConfig({ NODE_ENV: "test", COMPRESSION: "0" }).compression).toBe(false);
    expect(loadConfig({ NODE_ENV: "test" }).compression).toBe(true);
    expect(() => loadConfig({ NODE_ENV: "test", COMPRESSION: "yes" })).toThrow(/COMPRESSION must be 1 or 0/);
    const answer = await graphql(plain.base, "gzip, deflate, br");
    expect(answer.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(answer.raw.toString("utf8")).data.nationalComparison.period).toBe("2024");
    const file = await rawRequest(`${plain.base}/dashboard/assets/chart.umd.min.js`, "GET", { "accept-encoding": "gzip" });
    expect(file.headers["content-encoding"]).toBeUndefined();
  });
});

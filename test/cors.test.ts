import type { AppServer } from "../src/server";
import { startHarness, startServerWith, type Harness } from "./support/harness";
import { rawRequest as request, type RawAnswer as Answer } from "./support/raw-http";

/**
 * Browser apps on the origins of CORS_ORIGINS call the API: a real preflight is answered, from the
 * allowed origin only; no credentials (bearer tokens). Apollo's CSRF prevention stays on: a simple
 * cross-origin request (no preflight) is still refused.
 */
const APP = "https://app.example.gov.vn";
const OTHER = "https://evil.example.com";
let h: Harness;
let withCors: { server: AppServer; base: string };
let base: string; // the harness's server: no CORS_ORIGINS
let token: string;

const preflight = (url: string, origin: string, method = "POST", headers = "authorization, content-type") =>
  request(url, "OPTIONS", { origin, "access-control-request-method": method, "access-control-request-headers": headers });

const corsHeaders = (answer: Answer) => Object.keys(answer.headers).filter((name) => name.startsWith("access-control-"));
const list = (value: string | string[] | undefined) => String(value ?? "").toLowerCase().split(/\s*,\s*/);

beforeAll(async () => {
  h = await startHarness();
  base = `http://127.0.0.1:${await h.server.listen(0)}`;
  withCors = await startServerWith(h, { CORS_ORIGINS: `${APP}, http://localhost:5173` });
  token = h.token("22");
});
afterAll(async () => {
  await withCors?.server.stop();
  await h?.close();
});

describe("CORS for the allowed origins", () => {
  it("answers a preflight of a GraphQL POST with the token and JSON", async () => {
    const answer = await preflight(`${withCors.base}/graphql`, APP);
    expect(answer.status).toBe(204);
    expect(answer.headers["access-control-allow-origin"]).toBe(APP);
    expect(list(answer.headers["access-control-allow-methods"])).toEqual(expect.arrayContaining(["get", "post"]));
    expect(list(answer.headers["access-control-allow-headers"])).toEqual(expect.arrayContaining(["authorization", "content-type", "accept-language"]));
    expect(answer.headers["access-control-allow-credentials"]).toBeUndefined();
    expect(Number(answer.headers["access-control-max-age"])).toBeGreaterThan(0);
    expect(list(answer.headers.vary)).toContain("origin");
  });

  it("lets the preflighted POST through Apollo's CSRF prevention, and lets the app read the answer", async () => {
    const answer = await request(
      `${withCors.base}/graphql`,
      "POST",
      { origin: APP, "content-type": "application/json", authorization: `Bearer ${token}` },
      JSON.stringify({ query: `{ orgUnit(code: "22") { code } }` }),
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).data.orgUnit.code).toBe("22");
    expect(answer.headers["access-control-allow-origin"]).toBe(APP);
    expect(list(answer.headers["access-control-expose-headers"])).toEqual(expect.arrayContaining(["www-authenticate", "content-disposition"]));
    // a refused token: the app can read the challenge
    const refused = await request(`${withCors.base}/graphql`, "POST", { origin: APP, "content-type": "application/json", authorization: "Bearer nope" }, "{}");
    expect(refused.status).toBe(401);
    expect(refused.headers["access-control-allow-origin"]).toBe(APP);
    expect(refused.headers["www-authenticate"]).toMatch(/error="invalid_token"/);
  });

  it("answers preflights of the downloads, another allowed origin included", async () => {
    const csv = await preflight(`${withCors.base}/csv/rollup?unit=22&period=2025`, "http://localhost:5173", "GET", "authorization");
    expect(csv.status).toBe(204);
    expect(csv.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
    const download = await request(`${withCors.base}/csv/rollup?unit=22&period=2025`, "GET", { origin: APP, authorization: `Bearer ${token}` });
    expect(download.status).toBe(200);
    expect(download.headers["access-control-allow-origin"]).toBe(APP);
    const upload = await preflight(`${withCors.base}/reports/upload`, APP, "POST", "authorization");
    expect(upload.headers["access-control-allow-origin"]).toBe(APP);
  });
});

describe("what stays refused", () => {
  it("gives another origin no CORS header, preflight or not", async () => {
    const answer = await preflight(`${withCors.base}/graphql`, OTHER);
    expect(corsHeaders(answer)).toEqual([]);
    const post = await request(
      `${withCors.base}/graphql`,
      "POST",
      { origin: OTHER, "content-type": "application/json", authorization: `Bearer ${token}` },
      JSON.stringify({ query: "{ __typename }" }),
    );
    expect(corsHeaders(post)).toEqual([]);
    // an origin differing only in scheme or port is another origin
    expect(corsHeaders(await preflight(`${withCors.base}/graphql`, "http://app.example.gov.vn"))).toEqual([]);
    expect(corsHeaders(await preflight(`${withCors.base}/graphql`, `${APP}:8443`))).toEqual([]);
  });

  it("gives no CORS header at all without CORS_ORIGINS", async () => {
    expect(corsHeaders(await preflight(`${base}/graphql`, APP))).toEqual([]);
  });

  it("keeps CSRF prevention: a simple cross-origin request, even from an allowed origin, is refused", async () => {
    const form = await request(
      `${withCors.base}/graphql`,
      "POST",
      { origin: APP, "content-type": "text/plain", authorization: `Bearer ${token}` },
      JSON.stringify({ query: "{ __typename }" }),
    );
    expect(form.status).toBe(400);
    expect(form.body).toMatch(/CSRF/);
    const get = await request(`${withCors.base}/graphql?query=${encodeURIComponent("{ __typename }")}`, "GET", { origin: APP });
    expect(get.status).toBe(400);
    expect(get.body).toMatch(/CSRF/);
  });
});

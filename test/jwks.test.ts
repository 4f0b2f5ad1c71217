import http from "node:http";
import type { AddressInfo } from "node:net";
import type { JWK } from "jose";
import { loadConfig } from "../src/config";
import { loadJwtConfig, type JwtConfig } from "../src/auth/jwt.config";
import { createServer, type AppServer } from "../src/server";
import { startHarness, type Harness } from "./support/harness";

/**
 * Tokens of the ministry's identity provider, verified against its key set (JWT_JWKS_URL), served
 * here by a local HTTP server on loopback that rotates its key: the API picks up the new key without
 * a restart, keeps accepting the fixed key's tokens, and refuses the rest with EXPIRED or INVALID.
 */
type Jose = typeof import("jose");
let jose: Jose;
let h: Harness;
let api: { server: AppServer; url: string; config: JwtConfig };
let idp: { server: http.Server; url: string; keys: JWK[]; fetches: number; failing: boolean };

const ISSUER = "https://idp.example.gov.vn/realms/moh";
const AUDIENCE = "vn-program-plans-api";
const now = () => Math.floor(Date.now() / 1000);

interface SigningKey {
  kid: string;
  alg: "RS256" | "ES256";
  privateKey: Parameters<InstanceType<Jose["SignJWT"]>["sign"]>[0];
  jwk: JWK;
}
let keyA: SigningKey;
let keyB: SigningKey;
let keyC: SigningKey; // never published

async function signingKey(kid: string, alg: "RS256" | "ES256"): Promise<SigningKey> {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await jose.exportJWK(publicKey)), kid, alg, use: "sig" } };
}

function sign(key: SigningKey, overrides: Record<string, unknown> = {}, header: Record<string, unknown> = {}) {
  const claims = { sub: "idp-user", unit: "22", roles: ["VIEWER"], iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600, ...overrides };
  return new jose.SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT", ...header }).sign(key.privateKey);
}

async function post(token: string) {
  const response = await fetch(api.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: `{ orgUnit(code: "22") { code } }` }),
  });
  const body = (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  return { status: response.status, challenge: response.headers.get("www-authenticate"), body };
}

async function expectRefused(token: string, reason: "EXPIRED" | "INVALID") {
  const response = await post(token);
  expect(response.status).toBe(401);
  expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason });
  expect(response.challenge).toBe('Bearer realm="vn-program-plans", error="invalid_token"');
}

beforeAll(async () => {
  jose = await import("jose");
  [keyA, keyB, keyC] = await Promise.all([signingKey("key-a", "RS256"), signingKey("key-b", "ES256"), signingKey("key-c", "RS256")]);
  const state = { keys: [keyA.jwk], fetches: 0, failing: false };
  const server = http.createServer((req, res) => {
    if (req.url !== "/realms/moh/certs") return void res.writeHead(404).end();
    idp.fetches++;
    if (idp.failing) return void res.writeHead(500).end();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: idp.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  idp = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/moh/certs`, ...state };

  h = await startHarness();
  const loaded = loadJwtConfig({
    NODE_ENV: "test",
    JWT_SECRET: h.jwt.signKey as string, // the fixed key stays: the harness's tokens keep working
    JWT_JWKS_URL: idp.url,
    JWT_JWKS_ISSUER: ISSUER,
    JWT_JWKS_AUDIENCE: AUDIENCE,
  });
  // no cooldown between fetches, so the test need not wait jose's 30 s before the rotated key is fetched
  const config = { ...loaded, jwks: { ...loaded.jwks!, cooldownMs: 0 } };
  const server2 = await createServer({ config: { ...loadConfig({ NODE_ENV: "test" }), poolSize: 2 }, dataSource: h.appDataSource, jwt: config });
  api = { server: server2, url: `http://127.0.0.1:${await server2.listen(0)}/graphql`, config };
});
afterAll(async () => {
  await api?.server.stop();
  await h?.close();
  idp?.server.closeAllConnections(); // the API's fetch keeps its connection alive
  await new Promise((resolve) => idp?.server.close(resolve));
});

describe("JWT_JWKS_URL settings", () => {
  const secret = "x".repeat(32);
  it("reads the key set's URL, issuer and audience, and needs no fixed key in production", () => {
    expect(loadJwtConfig({ JWT_SECRET: secret }).jwks).toBeUndefined();
    const config = loadJwtConfig({ JWT_SECRET: secret, JWT_JWKS_URL: "https://idp.example.gov.vn/certs", JWT_JWKS_ISSUER: ISSUER, JWT_JWKS_AUDIENCE: AUDIENCE });
    expect(config.jwks).toMatchObject({ issuer: ISSUER, audience: AUDIENCE, cooldownMs: 30_000, cacheMaxAgeMs: 600_000 });
    expect(config.jwks?.url.href).toBe("https://idp.example.gov.vn/certs");
    expect(config.verifyKey).toBeDefined();
    const idpOnly = loadJwtConfig({ NODE_ENV: "production", JWT_JWKS_URL: "https://idp.example.gov.vn/certs" });
    expect(idpOnly.verifyKey).toBeUndefined();
    expect(idpOnly.jwks?.issuer).toBeUndefined();
  });

  it.each([
    [{ JWT_JWKS_URL: "not a url" }, /JWT_JWKS_URL must be the URL/],
    [{ JWT_JWKS_URL: "ftp://idp.example.gov.vn/certs" }, /JWT_JWKS_URL must use https/],
    [{ NODE_ENV: "production", JWT_JWKS_URL: "http://idp.example.gov.vn/certs" }, /must use https in production/],
    [{ JWT_JWKS_ISSUER: ISSUER }, /need JWT_JWKS_URL/],
  ])("refuses %j", (env, message) => {
    expect(() => loadJwtConfig({ JWT_SECRET: secret, ...env })).toThrow(message);
  });
});

describe("tokens of the identity provider", () => {
  it("accepts a token signed with its key, fetching the key set once, and still the fixed key's tokens", async () => {
    const first = await post(await sign(keyA));
    expect(first.status).toBe(200);
    expect(first.body.data.orgUnit.code).toBe("22");
    expect((await post(await sign(keyA, { sub: "another" }))).body.data.orgUnit.code).toBe("22");
    expect(idp.fetches).toBe(1); // cached
    expect((await post(h.token("22"))).body.data.orgUnit.code).toBe("22");
    expect(idp.fetches).toBe(1); // the fixed key's token never asked the identity provider
  });

  it("picks up a rotated key without a restart, and refuses the withdrawn one", async () => {
    idp.keys = [keyB.jwk];
    const fetches = idp.fetches;
    const rotated = await post(await sign(keyB));
    expect(rotated.status).toBe(200);
    expect(rotated.body.data.orgUnit.code).toBe("22");
    expect(idp.fetches).toBe(fetches + 1);
    await expectRefused(await sign(keyA), "INVALID");
  });

  it.each<[string, "EXPIRED" | "INVALID", () => Promise<string>]>([
    ["expired", "EXPIRED", () => sign(keyB, { iat: now() - 900, exp: now() - 120 })],
    ["signed with a key the provider never published", "INVALID", () => sign(keyC)],
    ["a bad signature (key C's, naming key B)", "INVALID", () => sign({ ...keyC, kid: "key-b", alg: "RS256" })],
    ["expired, with a bad signature", "INVALID", () => sign({ ...keyC, kid: "key-b" }, { exp: now() - 120 })],
    ["another issuer", "INVALID", () => sign(keyB, { iss: "https://elsewhere.example" })],
    ["another audience", "INVALID", () => sign(keyB, { aud: "another-api" })],
    ["no unit", "INVALID", () => sign(keyB, { unit: undefined })],
    ["an unknown role", "INVALID", () => sign(keyB, { roles: ["ROOT"] })],
    ["a lifetime over 24 h", "INVALID", () => sign(keyB, { exp: now() + 30 * 3600 })],
  ])("refuses a token: %s (%s)", async (_name, reason, make) => {
    await expectRefused(await make(), reason);
  });

  it("refuses an HS256 token naming the provider's key (its public key is no secret)", async () => {
    const forged = await new jose.SignJWT({ sub: "x", unit: "22", roles: ["ADMIN"], iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600 })
      .setProtectedHeader({ alg: "HS256", kid: "key-b" })
      .sign(new TextEncoder().encode(JSON.stringify(keyB.jwk)));
    await expectRefused(forged, "INVALID");
  });

  it("with the identity provider's keys alone (production without JWT_SECRET), verifies every token against them", async () => {
    const config = { ...api.config, verifyKey: undefined, signKey: undefined };
    const server = await createServer({ config: { ...loadConfig({ NODE_ENV: "test" }), poolSize: 1 }, dataSource: h.appDataSource, jwt: config });
    try {
      const url = `http://127.0.0.1:${await server.listen(0)}/graphql`;
      const ask = (token: string) =>
        fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query: `{ orgUnit(code: "22") { code } }` }) });
      // a token without a key id: the one key of the set that fits its algorithm
      const noKid = await new jose.SignJWT({ sub: "s", unit: "22", roles: ["VIEWER"], iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600 })
        .setProtectedHeader({ alg: "ES256" })
        .sign(keyB.privateKey);
      expect((await ask(noKid)).status).toBe(200);
      const fixed = await ask(h.token("22"));
      expect(fixed.status).toBe(401);
      expect(((await fixed.json()) as { errors: Array<{ extensions: Record<string, unknown> }> }).errors[0]!.extensions.reason).toBe("INVALID");
    } finally {
      await server.stop();
    }
  });

  it("answers 503, not a token error, when the key set cannot be fetched", async () => {
    idp.failing = true;
    try {
      const response = await post(await sign({ ...keyC, kid: "key-d" }));
      expect(response.status).toBe(503);
      expect(response.body.errors?.[0]?.extensions?.code).toBe("SERVICE_UNAVAILABLE");
      expect(response.challenge).toBeNull();
    } finally {
      idp.failing = false;
    }
    // the key set already held keeps answering
    expect((await post(await sign(keyB))).status).toBe(200);
  });
});

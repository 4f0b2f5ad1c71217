import crypto from "node:crypto";
import jwt from "jsonwebtoken";
import { loadConfig } from "../src/config";
import { loadJwtConfig, type JwtConfig } from "../src/auth/jwt.config";
import { signToken } from "../src/auth/token";
import { parseTokenArgs } from "../src/auth/token-cli";
import { Role } from "../src/auth/auth.types";
import { createServer, type AppServer } from "../src/server";
import { startHarness, type Harness } from "./support/harness";

/**
 * Every bad token answers UNAUTHENTICATED (HTTP 401) with a reason and no more: MISSING, EXPIRED
 * (a genuine token past its time) or INVALID (never which check failed), and an RFC 6750
 * WWW-Authenticate challenge. Tokens are sent over HTTP to a listening server, as a client would.
 */
let h: Harness;
let url: string;
let rs: { server: AppServer; url: string; config: JwtConfig; publicKey: string; privateKey: string };

const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

async function post(endpoint: string, body: unknown, authorization?: string, language = "en") {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", "accept-language": language, ...(authorization !== undefined ? { authorization } : {}) },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    challenge: response.headers.get("www-authenticate"),
    body: (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> },
  };
}

const MISSING_CHALLENGE = 'Bearer realm="vn-program-plans"';
const INVALID_CHALLENGE = 'Bearer realm="vn-program-plans", error="invalid_token"';
const MESSAGES = {
  MISSING: "Authentication required: send a valid bearer token.",
  EXPIRED: "Your token has expired: log in again for a new one.",
  INVALID: "Your token is not valid: log in again for a new one.",
};

const QUERY = { query: `{ orgUnit(code: "22") { code name } }` };

function claims(jwtConfig: JwtConfig, overrides: Record<string, unknown> = {}) {
  return { sub: "tester", unit: "22", roles: ["VIEWER"], iss: jwtConfig.issuer, aud: jwtConfig.audience, iat: now(), exp: now() + 600, ...overrides };
}

function hs256(secret: string | Buffer, payload: object, header: object = { alg: "HS256", typ: "JWT" }) {
  const unsigned = `${b64(header)}.${b64(payload)}`;
  return `${unsigned}.${crypto.createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

beforeAll(async () => {
  h = await startHarness();
  url = `http://127.0.0.1:${await h.server.listen(0)}/graphql`;
  // A second server on the same database verifying RS256 (JWT_PUBLIC_KEY set, no JWT_SECRET).
  const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const config = loadJwtConfig({ NODE_ENV: "test", JWT_PUBLIC_KEY: publicKey, JWT_PRIVATE_KEY: privateKey });
  const server = await createServer({ config: { ...loadConfig({ NODE_ENV: "test" }), poolSize: 2 }, dataSource: h.appDataSource, jwt: config });
  rs = { server, url: `http://127.0.0.1:${await server.listen(0)}/graphql`, config, publicKey, privateKey };
});
afterAll(async () => {
  await rs?.server.stop();
  await h?.close();
});

describe("JWT configuration", () => {
  it("uses HS256 with a secret of at least 32 bytes, RS256 with a public key, never both", () => {
    const secret = "x".repeat(32);
    expect(loadJwtConfig({ JWT_SECRET: secret })).toMatchObject({ algorithm: "HS256", issuer: "vn-program-plans", audience: "vn-program-plans-api" });
    expect(() => loadJwtConfig({ JWT_SECRET: "x".repeat(31) })).toThrow(/shorter than 32 bytes/);
    expect(() => loadJwtConfig({ JWT_SECRET: secret, JWT_PUBLIC_KEY: rs.publicKey })).toThrow(/not both/);
    expect(() => loadJwtConfig({ NODE_ENV: "production" })).toThrow(/JWT_SECRET is required/);
    expect(loadJwtConfig({ JWT_PUBLIC_KEY: rs.publicKey })).toMatchObject({ algorithm: "RS256" });
    expect(loadJwtConfig({ JWT_SECRET: secret }).clockToleranceSec).toBeLessThanOrEqual(60);
  });

  it("caps a token's lifetime (exp - iat) at JWT_MAX_LIFETIME_SEC, 24 h unless set", () => {
    const secret = "x".repeat(32);
    expect(loadJwtConfig({ JWT_SECRET: secret }).maxLifetimeSec).toBe(24 * 3600);
    expect(loadJwtConfig({ JWT_SECRET: secret, JWT_MAX_LIFETIME_SEC: "3600" }).maxLifetimeSec).toBe(3600);
    expect(loadJwtConfig({ JWT_PUBLIC_KEY: rs.publicKey, JWT_MAX_LIFETIME_SEC: "7200" }).maxLifetimeSec).toBe(7200);
    for (const bad of ["0", "59", "1.5", "a day"]) {
      expect(() => loadJwtConfig({ JWT_SECRET: secret, JWT_MAX_LIFETIME_SEC: bad })).toThrow(/JWT_MAX_LIFETIME_SEC/);
    }
    // the minting side keeps to it: a shorter default, and no token the server would refuse
    const short = loadJwtConfig({ JWT_SECRET: secret, JWT_MAX_LIFETIME_SEC: "3600" });
    const payload = JSON.parse(Buffer.from(signToken(short, { sub: "a", unit: "22", roles: [Role.VIEWER] }).split(".")[1]!, "base64url").toString());
    expect(payload.exp - payload.iat).toBe(3600);
    expect(() => signToken(short, { sub: "a", unit: "22", roles: [Role.VIEWER] }, 7200)).toThrow(/at most 3600 s/);
  });
});

describe("bearer tokens", () => {
  it("accepts a good token, and a token expired within the clock tolerance", async () => {
    const good = await post(url, QUERY, `Bearer ${h.token("22", [Role.VIEWER])}`);
    expect(good.status).toBe(200);
    expect(good.body.data.orgUnit.code).toBe("22");
    const justExpired = jwt.sign(claims(h.jwt, { exp: now() - 5 }), h.jwt.signKey!, { algorithm: "HS256" });
    expect((await post(url, QUERY, `Bearer ${justExpired}`)).body.data.orgUnit.code).toBe("22");
    const rsGood = jwt.sign(claims(rs.config), rs.privateKey, { algorithm: "RS256" });
    expect((await post(rs.url, QUERY, `Bearer ${rsGood}`)).body.data.orgUnit.code).toBe("22");
  });

  it("accepts the longest lifetime allowed (24 h) and an iat a little ahead within the clock tolerance", async () => {
    const day = hs256(h.jwt.signKey as string, claims(h.jwt, { iat: now() - 60, exp: now() - 60 + 24 * 3600 }));
    expect((await post(url, QUERY, `Bearer ${day}`)).body.data.orgUnit.code).toBe("22");
    const skewed = hs256(h.jwt.signKey as string, claims(h.jwt, { iat: now() + 10, exp: now() + 600 }));
    expect((await post(url, QUERY, `Bearer ${skewed}`)).body.data.orgUnit.code).toBe("22");
  });

  it("answers no data to a caller without a token, except __typename; /health is public", async () => {
    const anonymous = await post(url, QUERY);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "MISSING" });
    expect(anonymous.body.errors?.[0]?.message).toBe(MESSAGES.MISSING);
    // RFC 6750 §3.1: no error code when the request carried no token
    expect(anonymous.challenge).toBe(MISSING_CHALLENGE);
    expect(anonymous.body.data ?? null).toBeNull();
    const typename = await post(url, { query: "{ __typename }" });
    expect(typename.body).toEqual({ data: { __typename: "Query" } });
    const health = await fetch(url.replace("/graphql", "/health"));
    expect(health.status).toBe(200);
  });

  const secret = () => h.jwt.signKey as string;
  const good = () => h.token("22", [Role.VIEWER]);
  const cases: Array<[string, () => string, "hs" | "rs", ("EXPIRED" | "INVALID")?]> = [
    ["alg none", () => `${b64({ alg: "none", typ: "JWT" })}.${b64(claims(h.jwt))}.`, "hs"],
    ["alg None", () => `${b64({ alg: "None", typ: "JWT" })}.${b64(claims(h.jwt))}.`, "hs"],
    ["alg NONE", () => `${b64({ alg: "NONE", typ: "JWT" })}.${b64(claims(h.jwt))}.`, "hs"],
    ["alg nOnE, no signature part", () => `${b64({ alg: "nOnE" })}.${b64(claims(h.jwt))}`, "hs"],
    ["alg none against the RS256 server", () => `${b64({ alg: "none" })}.${b64(claims(rs.config))}.`, "rs"],
    ["HS256 signed with the RS256 public key", () => hs256(rs.publicKey, claims(rs.config)), "rs"],
    ["RS256 token at the HS256 server", () => jwt.sign(claims(h.jwt), rs.privateKey, { algorithm: "RS256" }), "hs"],
    ["HS512 with the right secret", () => jwt.sign(claims(h.jwt), secret(), { algorithm: "HS512" }), "hs"],
    ["expired beyond the tolerance", () => jwt.sign(claims(h.jwt, { exp: now() - 120 }), secret(), { algorithm: "HS256" }), "hs", "EXPIRED"],
    ["RS256 expired", () => jwt.sign(claims(rs.config, { exp: now() - 120 }), rs.privateKey, { algorithm: "RS256" }), "rs", "EXPIRED"],
    // the signature is checked first: a forged token does not learn that it is expired
    ["expired, with the wrong secret", () => jwt.sign(claims(h.jwt, { exp: now() - 120 }), "y".repeat(32), { algorithm: "HS256" }), "hs"],
    ["no exp", () => hs256(secret(), { ...claims(h.jwt), exp: undefined }), "hs"],
    ["exp not a number", () => hs256(secret(), claims(h.jwt, { exp: "tomorrow" })), "hs"],
    ["no iat", () => hs256(secret(), { ...claims(h.jwt), iat: undefined }), "hs"],
    ["iat not a number", () => hs256(secret(), claims(h.jwt, { iat: "today" })), "hs"],
    ["iat in the future beyond the tolerance", () => hs256(secret(), claims(h.jwt, { iat: now() + 300, exp: now() + 900 })), "hs"],
    ["lifetime over 24 h (exp - iat)", () => hs256(secret(), claims(h.jwt, { iat: now() - 60, exp: now() + 24 * 3600 })), "hs"],
    ["a year-long token", () => jwt.sign(claims(h.jwt, { exp: now() + 365 * 86400 }), secret(), { algorithm: "HS256" }), "hs"],
    ["RS256 lifetime over 24 h", () => jwt.sign(claims(rs.config, { exp: now() + 30 * 3600 }), rs.privateKey, { algorithm: "RS256" }), "rs"],
    ["not yet valid (nbf)", () => jwt.sign(claims(h.jwt, { nbf: now() + 3600 }), secret(), { algorithm: "HS256" }), "hs"],
    ["wrong aud", () => jwt.sign(claims(h.jwt, { aud: "another-api" }), secret(), { algorithm: "HS256" }), "hs"],
    ["no aud", () => hs256(secret(), { ...claims(h.jwt), aud: undefined }), "hs"],
    ["wrong iss", () => jwt.sign(claims(h.jwt, { iss: "someone-else" }), secret(), { algorithm: "HS256" }), "hs"],
    ["no iss", () => hs256(secret(), { ...claims(h.jwt), iss: undefined }), "hs"],
    ["wrong secret", () => jwt.sign(claims(h.jwt), crypto.randomBytes(32).toString("hex"), { algorithm: "HS256" }), "hs"],
    [
      "tampered payload (unit 22 → 79, signature kept)",
      () => {
        const [header, payload, signature] = good().split(".");
        const changed = { ...JSON.parse(Buffer.from(payload!, "base64url").toString()), unit: "79" };
        return `${header}.${b64(changed)}.${signature}`;
      },
      "hs",
    ],
    [
      "tampered payload (roles → ADMIN, signature kept)",
      () => {
        const [header, payload, signature] = good().split(".");
        const changed = { ...JSON.parse(Buffer.from(payload!, "base64url").toString()), roles: ["ADMIN"] };
        return `${header}.${b64(changed)}.${signature}`;
      },
      "hs",
    ],
    ["unknown unit", () => signToken(h.jwt, { sub: "x", unit: "99999", roles: [Role.VIEWER] }), "hs"],
    ["a unit abolished by the reform (district 193)", () => signToken(h.jwt, { sub: "x", unit: "193", roles: [Role.VIEWER] }), "hs"],
    ["unknown role", () => jwt.sign(claims(h.jwt, { roles: ["ROOT"] }), secret(), { algorithm: "HS256" }), "hs"],
    ["no roles", () => jwt.sign(claims(h.jwt, { roles: [] }), secret(), { algorithm: "HS256" }), "hs"],
    ["no subject", () => hs256(secret(), { ...claims(h.jwt), sub: undefined }), "hs"],
    ["not a JWT", () => "not-a-token", "hs"],
  ];

  it.each(cases)("refuses %s: UNAUTHENTICATED (401), its reason and nothing more", async (_name, make, target, reason = "INVALID") => {
    const response = await post(target === "hs" ? url : rs.url, QUERY, `Bearer ${make()}`);
    expect(response.status).toBe(401);
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors).toHaveLength(1);
    const error = response.body.errors![0]!;
    // one message per reason, and no extension beyond the code, the reason and the request id
    expect(error.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason });
    expect(error.message).toBe(MESSAGES[reason]);
    expect(Object.keys(error.extensions ?? {}).sort().filter((k) => k !== "requestId")).toEqual(["code", "reason"]);
    expect(response.challenge).toBe(INVALID_CHALLENGE);
  });

  it.each([
    ["Basic abc", "INVALID"],
    ["Bearer", "INVALID"],
    ["Bearer a b", "INVALID"],
    ["", "MISSING"],
  ] as const)("refuses the header %j (%s)", async (header, reason) => {
    const response = await post(url, QUERY, header);
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason });
    expect(response.challenge).toBe(reason === "MISSING" ? MISSING_CHALLENGE : INVALID_CHALLENGE);
    expect(response.body.data ?? null).toBeNull();
  });

  it("says why in Vietnamese when asked in Vietnamese", async () => {
    const expired = jwt.sign(claims(h.jwt, { exp: now() - 120 }), secret(), { algorithm: "HS256" });
    const response = await post(url, QUERY, `Bearer ${expired}`, "vi");
    expect(response.body.errors?.[0]?.extensions?.reason).toBe("EXPIRED");
    expect(response.body.errors?.[0]?.message).toBe("Mã truy cập đã hết hạn: hãy đăng nhập lại để nhận mã mới.");
  });

  it("puts the challenge on the 401 answers of the downloads too", async () => {
    const csv = url.replace("/graphql", "/csv/rollup?unit=22&period=2025");
    const anonymous = await fetch(csv);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe(MISSING_CHALLENGE);
    const expired = jwt.sign(claims(h.jwt, { exp: now() - 120 }), secret(), { algorithm: "HS256" });
    const refused = await fetch(csv, { headers: { authorization: `Bearer ${expired}` } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toBe(INVALID_CHALLENGE);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
    // a good token's download carries no challenge
    const good = await fetch(csv, { headers: { authorization: `Bearer ${h.token("22", [Role.VIEWER])}` } });
    expect(good.status).toBe(200);
    expect(good.headers.get("www-authenticate")).toBeNull();
  });
});

describe("npm run token", () => {
  it("parses --unit and --role (repeated or comma-separated) and refuses bad values", () => {
    expect(parseTokenArgs(["--unit", "22", "--role", "PLANNER"])).toEqual({ unit: "22", roles: [Role.PLANNER], sub: "dev-22", hours: 8 });
    expect(parseTokenArgs(["--unit=vn", "--role", "viewer,admin", "--role", "PLANNER", "--sub", "alice", "--hours", "2"])).toEqual({
      unit: "VN",
      roles: [Role.VIEWER, Role.ADMIN, Role.PLANNER],
      sub: "alice",
      hours: 2,
    });
    expect(parseTokenArgs(["--unit", "193"]).roles).toEqual([Role.VIEWER]);
    expect(() => parseTokenArgs(["--role", "PLANNER"])).toThrow(/--unit/);
    expect(() => parseTokenArgs(["--unit", "22", "--role", "ROOT"])).toThrow(/Unknown role ROOT/);
    expect(() => parseTokenArgs(["--unit", "22", "--hours", "1000"])).toThrow(/--hours/);
    expect(() => parseTokenArgs(["--unit", "22", "--admin"])).toThrow();
  });

  it("mints tokens the server accepts", async () => {
    const args = parseTokenArgs(["--unit", "22", "--role", "PLANNER"]);
    const token = signToken(h.jwt, { sub: args.sub, unit: args.unit, roles: args.roles }, args.hours * 3600);
    const response = await post(url, QUERY, `Bearer ${token}`);
    expect(response.body.data.orgUnit.code).toBe("22");
    const payload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString());
    expect(payload).toMatchObject({ unit: "22", roles: ["PLANNER"], sub: "dev-22", iss: h.jwt.issuer, aud: h.jwt.audience });
    expect(payload.exp - payload.iat).toBe(8 * 3600);
  });
});

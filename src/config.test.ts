import { corsOriginsFrom, devTokensWanted, loadConfig, serverStartProblems } from "./config";
import { APP_DB_PASSWORD_DEFAULT, loadAppRole } from "./db/app-role";

const SECRET = "s".repeat(40);

describe("development tokens (DEV_TOKENS)", () => {
  it.each([
    ["npm start's default mode: embedded, generated secret, not production", {}, true],
    ["explicitly off", { DEV_TOKENS: "0" }, false],
    ["explicitly on, development with DATABASE_URL", { DEV_TOKENS: "1", DATABASE_URL: "postgres://x" }, true],
    ["unset with DATABASE_URL", { DATABASE_URL: "postgres://x" }, false],
    ["unset with JWT_SECRET from the environment", { JWT_SECRET: SECRET }, false],
    ["unset with JWT_PUBLIC_KEY", { JWT_PUBLIC_KEY: "key" }, false],
    ["unset with the identity provider's keys (JWT_JWKS_URL)", { JWT_JWKS_URL: "https://idp.example.gov.vn/certs" }, false],
    ["explicitly on beside the identity provider, development", { DEV_TOKENS: "1", JWT_JWKS_URL: "https://idp.example.gov.vn/certs" }, true],
    ["unset in production", { NODE_ENV: "production" }, false],
    ["unset under tests with a JWT_SECRET", { NODE_ENV: "test", JWT_SECRET: SECRET }, false],
  ])("%s → %s", (_label, env, expected) => {
    expect(devTokensWanted(env)).toBe(expected);
  });

  it.each([
    [{ DEV_TOKENS: "1", NODE_ENV: "production" }, /DEV_TOKENS=1 is refused in production/],
    [{ DEV_TOKENS: "1", JWT_SECRET: SECRET }, /DEV_TOKENS=1 is refused with JWT_SECRET \/ JWT_PUBLIC_KEY set/],
    [{ DEV_TOKENS: "yes" }, /DEV_TOKENS must be 1 or 0/],
  ])("refuses %j", (env, message) => {
    expect(() => devTokensWanted(env)).toThrow(message);
  });
});

describe("what the server refuses to start with", () => {
  const production = { NODE_ENV: "production", DATABASE_URL: "postgres://db/app", JWT_SECRET: SECRET };
  it.each([
    ["development, nothing set", {}, []],
    ["production with METRICS_TOKEN", { ...production, METRICS_TOKEN: "t" }, []],
    ["production with METRICS_PUBLIC=1", { ...production, METRICS_PUBLIC: "1" }, []],
    ["production without either", production, ["METRICS_TOKEN is required in production"]],
    ["production on the embedded cluster", { ...production, DATABASE_URL: "", METRICS_TOKEN: "t" }, ["DATABASE_URL is required in production"]],
    [
      "production on the embedded cluster, allowed",
      { ...production, DATABASE_URL: "", METRICS_TOKEN: "t", EMBEDDED_PG_IN_PRODUCTION: "1" },
      [],
    ],
    ["both", { ...production, DATABASE_URL: "" }, ["DATABASE_URL is required in production", "METRICS_TOKEN is required in production"]],
  ])("%s", (_label, env, starts) => {
    const problems = serverStartProblems(loadConfig(env));
    expect(problems.map((p) => starts.find((s) => p.startsWith(s)) ?? p)).toEqual(starts);
  });
});

describe("database call bounds", () => {
  it.each([
    [{}, 15000, 17000],
    [{ DB_STATEMENT_TIMEOUT_MS: "1000" }, 1000, 3000],
    [{ DB_STATEMENT_TIMEOUT_MS: "1000", DB_QUERY_TIMEOUT_MS: "60000" }, 1000, 60000],
    [{ DB_STATEMENT_TIMEOUT_MS: "0" }, 0, 0],
  ])("%j → statement_timeout %d ms, query_timeout %d ms", (env, statement, query) => {
    expect(loadConfig(env)).toMatchObject({ statementTimeoutMs: statement, queryTimeoutMs: query });
  });

  it("refuses a query_timeout that would fire before PostgreSQL's own cancel", () => {
    expect(() => loadConfig({ DB_STATEMENT_TIMEOUT_MS: "15000", DB_QUERY_TIMEOUT_MS: "16000" })).toThrow(
      /DB_QUERY_TIMEOUT_MS \(16000\) must be at least DB_STATEMENT_TIMEOUT_MS \+ 2000 \(17000\)/,
    );
  });
});

describe("the application role's password (APP_DB_PASSWORD)", () => {
  it.each([
    [{}, APP_DB_PASSWORD_DEFAULT],
    [{ APP_DB_PASSWORD: "short" }, "short"],
    [{ NODE_ENV: "production", APP_DB_PASSWORD: "sixteen-chars-ok" }, "sixteen-chars-ok"],
  ])("%j is accepted", (env, password) => {
    expect(loadAppRole(env).password).toBe(password);
  });

  it.each([
    [{ NODE_ENV: "production" }, /APP_DB_PASSWORD is required in production/],
    [{ NODE_ENV: "production", APP_DB_PASSWORD: "fifteen-chars-x" }, /APP_DB_PASSWORD is shorter than 16 characters/],
  ])("%j is refused", (env, message) => {
    expect(() => loadAppRole(env)).toThrow(message);
  });
});

describe("browser apps on other origins (CORS_ORIGINS)", () => {
  it.each([
    [undefined, []],
    ["", []],
    ["https://app.example.gov.vn", ["https://app.example.gov.vn"]],
    // commas and/or spaces; a trailing slash and upper case as browsers never send them; duplicates once
    ["https://App.Example.gov.vn/, http://localhost:5173  https://app.example.gov.vn", ["https://app.example.gov.vn", "http://localhost:5173"]],
    ["https://app.example.gov.vn:8443", ["https://app.example.gov.vn:8443"]],
  ])("%j → %j", (value, origins) => {
    expect(corsOriginsFrom(value)).toEqual(origins);
    expect(loadConfig({ CORS_ORIGINS: value }).corsOrigins).toEqual(origins);
  });

  it.each([["*"], ["app.example.gov.vn"], ["https://app.example.gov.vn/path"], ["https://app.example.gov.vn?x=1"], ["ftp://files.example.gov.vn"], ["https://user@app.example.gov.vn"]])(
    "refuses %j",
    (value) => {
      expect(() => corsOriginsFrom(value)).toThrow(/CORS_ORIGINS: .* is not an origin/);
    },
  );
});

describe("answers kept per process (ANSWER_MEMO_MB)", () => {
  it.each<[Record<string, string>, number]>([
    [{}, 16 * 1024 * 1024],
    [{ ANSWER_MEMO_MB: "64" }, 64 * 1024 * 1024],
    [{ ANSWER_MEMO_MB: "0" }, 0],
  ])("%j → %d bytes", (env, bytes) => {
    expect(loadConfig(env).answerMemoBytes).toBe(bytes);
  });

  it("refuses a size that is no whole number of megabytes", () => {
    expect(() => loadConfig({ ANSWER_MEMO_MB: "-1" })).toThrow(/ANSWER_MEMO_MB must be a non-negative integer, got "-1"/);
  });
});

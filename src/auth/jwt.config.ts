import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** The identity provider's key set (JWT_JWKS_URL): tokens it signs are accepted beside the fixed key's. */
export interface JwksConfig {
  url: URL;
  /** checked when set (JWT_JWKS_ISSUER, JWT_JWKS_AUDIENCE) */
  issuer?: string;
  audience?: string;
  /** how long a fetched key set is used before it is fetched again (jose's cacheMaxAge) */
  cacheMaxAgeMs: number;
  /** least time between two fetches: a token with an unknown key id fetches again only after it */
  cooldownMs: number;
  /** a fetch taking longer fails (503: the token is not to blame) */
  timeoutMs: number;
}

export interface JwtConfig {
  algorithm: "HS256" | "RS256";
  /**
   * HS256 secret, or RS256 public key, as a KeyObject made once: given a string, jsonwebtoken tries
   * createPublicKey on every verify (an exception per request for a secret). Absent in production
   * when only the identity provider's keys (JWT_JWKS_URL) verify tokens.
   */
  verifyKey?: crypto.KeyObject;
  jwks?: JwksConfig;
  /** present only where tokens are minted (development, tests, `npm run token`) */
  signKey?: string | Buffer;
  issuer: string;
  audience: string;
  clockToleranceSec: number;
  /** longest lifetime (`exp - iat`) a token may claim; longer-lived tokens are refused */
  maxLifetimeSec: number;
}

export const JWT_ISSUER_DEFAULT = "vn-program-plans";
export const JWT_AUDIENCE_DEFAULT = "vn-program-plans-api";
/** 24 h: the longest token `npm run token` mints. */
export const JWT_MAX_LIFETIME_SEC_DEFAULT = 24 * 3600;

function maxLifetimeFrom(value: string | undefined): number {
  if (value === undefined || value === "") return JWT_MAX_LIFETIME_SEC_DEFAULT;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 60) {
    throw new Error(`JWT_MAX_LIFETIME_SEC must be a whole number of seconds, at least 60; got "${value}".`);
  }
  return seconds;
}

/** Key sets are fetched again after 10 minutes, and at most every 30 s for an unknown key id (jose's defaults). */
const JWKS_CACHE_MAX_AGE_MS = 10 * 60_000;
const JWKS_COOLDOWN_MS = 30_000;
const JWKS_TIMEOUT_MS = 5_000;

function jwksFrom(env: NodeJS.ProcessEnv): JwksConfig | undefined {
  const raw = env.JWT_JWKS_URL;
  if (!raw) {
    if (env.JWT_JWKS_ISSUER || env.JWT_JWKS_AUDIENCE) throw new Error("JWT_JWKS_ISSUER and JWT_JWKS_AUDIENCE need JWT_JWKS_URL.");
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`JWT_JWKS_URL must be the URL of the identity provider's key set (JWKS), got "${raw}".`);
  }
  const production = env.NODE_ENV === "production";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && !production)) {
    throw new Error(`JWT_JWKS_URL must use https${production ? " in production" : " (or http outside production)"}, got "${raw}".`);
  }
  return {
    url,
    issuer: env.JWT_JWKS_ISSUER || undefined,
    audience: env.JWT_JWKS_AUDIENCE || undefined,
    cacheMaxAgeMs: JWKS_CACHE_MAX_AGE_MS,
    cooldownMs: JWKS_COOLDOWN_MS,
    timeoutMs: JWKS_TIMEOUT_MS,
  };
}

/**
 * Reads the JWT settings. HS256 with JWT_SECRET (at least 32 bytes) by default; RS256 when
 * JWT_PUBLIC_KEY is set. Outside production a missing secret is generated once and kept in the
 * data folder, so development tokens survive restarts. With JWT_JWKS_URL, tokens signed by the
 * identity provider's keys (RS256/ES256) are accepted too; production then needs no fixed key.
 */
export function loadJwtConfig(env: NodeJS.ProcessEnv = process.env, dataRoot = process.cwd()): JwtConfig {
  const issuer = env.JWT_ISSUER || JWT_ISSUER_DEFAULT;
  const audience = env.JWT_AUDIENCE || JWT_AUDIENCE_DEFAULT;
  const clockToleranceSec = 30;
  const maxLifetimeSec = maxLifetimeFrom(env.JWT_MAX_LIFETIME_SEC);
  const jwks = jwksFrom(env);
  if (env.JWT_PUBLIC_KEY) {
    if (env.JWT_SECRET) throw new Error("Set JWT_SECRET or JWT_PUBLIC_KEY, not both: one algorithm per key.");
    return {
      algorithm: "RS256",
      verifyKey: crypto.createPublicKey(env.JWT_PUBLIC_KEY.replace(/\\n/g, "\n")),
      signKey: env.JWT_PRIVATE_KEY?.replace(/\\n/g, "\n"),
      jwks,
      issuer,
      audience,
      clockToleranceSec,
      maxLifetimeSec,
    };
  }
  let secret = env.JWT_SECRET;
  if (!secret && jwks && env.NODE_ENV === "production") {
    // no fixed key: `algorithm` names none, every token goes to the key set (AuthService)
    return { algorithm: "HS256", jwks, issuer, audience, clockToleranceSec, maxLifetimeSec };
  }
  if (!secret) {
    if (env.NODE_ENV === "production") {
      throw new Error("JWT_SECRET is required in production (32 bytes or more), unless JWT_JWKS_URL names the identity provider's keys.");
    }
    secret = developmentSecret(dataRoot);
  }
  if (Buffer.byteLength(secret, "utf8") < 32) {
    throw new Error("JWT_SECRET is shorter than 32 bytes; use a longer random secret.");
  }
  return {
    algorithm: "HS256",
    verifyKey: crypto.createSecretKey(Buffer.from(secret, "utf8")),
    signKey: secret,
    jwks,
    issuer,
    audience,
    clockToleranceSec,
    maxLifetimeSec,
  };
}

function developmentSecret(dataRoot: string): string {
  const file = path.resolve(dataRoot, ".data", "dev-jwt-secret");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const secret = crypto.randomBytes(48).toString("base64url");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface JwtConfig {
  algorithm: "HS256" | "RS256";
  /**
   * HS256 secret, or RS256 public key, as a KeyObject made once: given a string, jsonwebtoken tries
   * createPublicKey on every verify (an exception per request for a secret).
   */
  verifyKey: crypto.KeyObject;
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

/**
 * Reads the JWT settings. HS256 with JWT_SECRET (at least 32 bytes) by default; RS256 when
 * JWT_PUBLIC_KEY is set. Outside production a missing secret is generated once and kept in the
 * data folder, so development tokens survive restarts.
 */
export function loadJwtConfig(env: NodeJS.ProcessEnv = process.env, dataRoot = process.cwd()): JwtConfig {
  const issuer = env.JWT_ISSUER || JWT_ISSUER_DEFAULT;
  const audience = env.JWT_AUDIENCE || JWT_AUDIENCE_DEFAULT;
  const clockToleranceSec = 30;
  const maxLifetimeSec = maxLifetimeFrom(env.JWT_MAX_LIFETIME_SEC);
  if (env.JWT_PUBLIC_KEY) {
    if (env.JWT_SECRET) throw new Error("Set JWT_SECRET or JWT_PUBLIC_KEY, not both: one algorithm per key.");
    return {
      algorithm: "RS256",
      verifyKey: crypto.createPublicKey(env.JWT_PUBLIC_KEY.replace(/\\n/g, "\n")),
      signKey: env.JWT_PRIVATE_KEY?.replace(/\\n/g, "\n"),
      issuer,
      audience,
      clockToleranceSec,
      maxLifetimeSec,
    };
  }
  let secret = env.JWT_SECRET;
  if (!secret) {
    if (env.NODE_ENV === "production") throw new Error("JWT_SECRET is required in production (32 bytes or more).");
    secret = developmentSecret(dataRoot);
  }
  if (Buffer.byteLength(secret, "utf8") < 32) {
    throw new Error("JWT_SECRET is shorter than 32 bytes; use a longer random secret.");
  }
  return {
    algorithm: "HS256",
    verifyKey: crypto.createSecretKey(Buffer.from(secret, "utf8")),
    signKey: secret,
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

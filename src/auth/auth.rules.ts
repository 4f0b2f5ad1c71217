import type { TokenFailure } from "./auth.errors";

/** jose's codes for a key set that could not be fetched or read (the identity provider's side). */
const KEY_SET_UNAVAILABLE = new Set(["ERR_JWKS_TIMEOUT", "ERR_JWKS_INVALID", "ERR_JOSE_GENERIC"]);

/**
 * What a verification failure tells the client: EXPIRED only for a token whose signature held
 * (jsonwebtoken and jose both check the signature before `exp`), INVALID for every other refusal,
 * UNAVAILABLE when the key set could not be had (jose's fetch errors, or a failed fetch itself).
 */
export function verificationFailure(error: unknown): Exclude<TokenFailure, "MISSING"> | "UNAVAILABLE" {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  if (name === "TokenExpiredError" || code === "ERR_JWT_EXPIRED") return "EXPIRED";
  if (typeof code === "string" && KEY_SET_UNAVAILABLE.has(code)) return "UNAVAILABLE";
  if (typeof code === "string" && code.startsWith("ERR_J")) return "INVALID"; // jose: JWS, JWT, JWK, JWKS, JOSE
  if (name === "JsonWebTokenError" || name === "NotBeforeError") return "INVALID"; // jsonwebtoken
  return "UNAVAILABLE"; // fetch failed (connection refused, DNS): nothing said about the token
}

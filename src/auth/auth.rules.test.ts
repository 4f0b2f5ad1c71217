import { verificationFailure } from "./auth.rules";

describe("verificationFailure", () => {
  it.each([
    ["jsonwebtoken: expired", { name: "TokenExpiredError" }, "EXPIRED"],
    ["jsonwebtoken: bad signature, audience, issuer…", { name: "JsonWebTokenError" }, "INVALID"],
    ["jsonwebtoken: not yet valid", { name: "NotBeforeError" }, "INVALID"],
    ["jose: expired", { name: "JWTExpired", code: "ERR_JWT_EXPIRED" }, "EXPIRED"],
    ["jose: bad signature", { code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" }, "INVALID"],
    ["jose: claim (iss, aud, nbf)", { code: "ERR_JWT_CLAIM_VALIDATION_FAILED" }, "INVALID"],
    ["jose: unknown kid", { code: "ERR_JWKS_NO_MATCHING_KEY" }, "INVALID"],
    ["jose: two keys match", { code: "ERR_JWKS_MULTIPLE_MATCHING_KEYS" }, "INVALID"],
    ["jose: algorithm not allowed", { code: "ERR_JOSE_ALG_NOT_ALLOWED" }, "INVALID"],
    ["jose: malformed token", { code: "ERR_JWS_INVALID" }, "INVALID"],
    ["jose: key set fetch timed out", { code: "ERR_JWKS_TIMEOUT" }, "UNAVAILABLE"],
    ["jose: key set not JSON / not a key set", { code: "ERR_JWKS_INVALID" }, "UNAVAILABLE"],
    ["jose: key set answered non-200", { code: "ERR_JOSE_GENERIC" }, "UNAVAILABLE"],
    ["fetch failed (connection refused)", new TypeError("fetch failed"), "UNAVAILABLE"],
  ])("%s → %s", (_label, error, expected) => {
    expect(verificationFailure(error)).toBe(expected);
  });
});

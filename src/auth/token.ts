import jwt from "jsonwebtoken";
import type { JwtConfig } from "./jwt.config";
import { Role } from "./auth.types";

export interface TokenClaims {
  sub: string;
  unit: string;
  roles: Role[];
}

/**
 * Mints a token for development and tests: 8 hours by default (less when JWT_MAX_LIFETIME_SEC is
 * shorter); a longer lifetime than the server accepts is refused here rather than minted useless.
 */
export function signToken(config: JwtConfig, claims: TokenClaims, expiresInSec = Math.min(8 * 3600, config.maxLifetimeSec)): string {
  if (!config.signKey) throw new Error("No signing key configured (RS256 needs JWT_PRIVATE_KEY to mint tokens).");
  if (expiresInSec > config.maxLifetimeSec) {
    throw new Error(`A token may live at most ${config.maxLifetimeSec} s (JWT_MAX_LIFETIME_SEC); asked for ${expiresInSec} s.`);
  }
  return jwt.sign({ unit: claims.unit, roles: claims.roles }, config.signKey, {
    algorithm: config.algorithm,
    subject: claims.sub,
    issuer: config.issuer,
    audience: config.audience,
    expiresIn: expiresInSec,
  });
}

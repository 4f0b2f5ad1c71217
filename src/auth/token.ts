import jwt from "jsonwebtoken";
import type { JwtConfig } from "./jwt.config";
import { Role } from "./auth.types";

export interface TokenClaims {
  sub: string;
  unit: string;
  roles: Role[];
}

/** Mints a token for development and tests. */
export function signToken(config: JwtConfig, claims: TokenClaims, expiresInSec = 8 * 3600): string {
  if (!config.signKey) throw new Error("No signing key configured (RS256 needs JWT_PRIVATE_KEY to mint tokens).");
  return jwt.sign({ unit: claims.unit, roles: claims.roles }, config.signKey, {
    algorithm: config.algorithm,
    subject: claims.sub,
    issuer: config.issuer,
    audience: config.audience,
    expiresIn: expiresInSec,
  });
}

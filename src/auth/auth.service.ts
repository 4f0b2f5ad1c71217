import jwt from "jsonwebtoken";
import type { DataSource } from "typeorm";
import { today } from "../common/date.scalar";
import { poolOf } from "../db/pool";
import { TokenError } from "./auth.errors";
import { verificationFailure } from "./auth.rules";
import { ALL_ROLES, type Actor, Role } from "./auth.types";
import { JwksVerifier } from "./jwks";
import type { JwtConfig } from "./jwt.config";

const UNIT_BY_CODE = "SELECT id, code, level, path, auth_scope_paths_cached(id) AS earlier FROM auth_unit_by_code($1, $2::date)";

interface VerifiedClaims {
  sub?: unknown;
  unit?: unknown;
  roles?: unknown;
  exp?: unknown;
  iat?: unknown;
}

/**
 * Verifies a bearer token and resolves its unit. A refusal is UNAUTHENTICATED with a reason
 * (MISSING, EXPIRED or INVALID) and nothing more: which check an INVALID token failed is not said.
 */
export class AuthService {
  private readonly jwks?: JwksVerifier;

  constructor(
    private readonly config: JwtConfig,
    private readonly dataSource: DataSource,
  ) {
    if (config.jwks) this.jwks = new JwksVerifier(config.jwks, config.clockToleranceSec);
  }

  async authenticate(authorization: string | undefined): Promise<Actor | null> {
    if (!authorization) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw new TokenError("INVALID");
    const claims = checkClaims(await this.verify(match[1]!), this.config);
    // the unit the code names today (a district's token is refused from 1/7/2025), and the earlier units in its
    // scope (kept per tree version: migration 1763901800000)
    const unit = await this.unitOf(claims.unit);
    if (!unit) throw new TokenError("INVALID");
    return {
      subject: claims.sub,
      unitId: unit.id,
      unitCode: unit.code,
      unitLevel: unit.level,
      unitPath: unit.path,
      scopePaths: [unit.path, ...unit.earlier],
      roles: claims.roles,
    };
  }

  /**
   * The token's unit, run on every request: straight on the pool as a prepared statement (each connection plans it
   * once), not through a TypeORM query runner of its own.
   */
  private async unitOf(code: string): Promise<{ id: number; code: string; level: string; path: string; earlier: string[] } | undefined> {
    const pool = poolOf(this.dataSource);
    if (!pool) throw new Error("The database is not open");
    const result = await pool.query({ name: "auth_unit_by_code", text: UNIT_BY_CODE, values: [code, today()] });
    return result.rows[0];
  }

  /**
   * The identity provider's keys verify a token that names a key id (or an algorithm other than the
   * fixed key's, or any token when there is no fixed key); the fixed key verifies the rest.
   */
  private async verify(token: string): Promise<VerifiedClaims> {
    const { verifyKey } = this.config;
    if (this.jwks) {
      const header = jwt.decode(token, { complete: true })?.header;
      if (!verifyKey || header?.kid !== undefined || header?.alg !== this.config.algorithm) return this.jwks.verify(token);
    }
    if (!verifyKey) throw new TokenError("INVALID");
    try {
      return jwt.verify(token, verifyKey, {
        algorithms: [this.config.algorithm],
        issuer: this.config.issuer,
        audience: this.config.audience,
        clockTolerance: this.config.clockToleranceSec,
      }) as VerifiedClaims;
    } catch (error) {
      throw new TokenError(verificationFailure(error) === "EXPIRED" ? "EXPIRED" : "INVALID");
    }
  }
}

/**
 * The claims every token must carry, whoever signed it. jsonwebtoken and jose accept a token without
 * exp or iat; we do not. A token minted for longer than JWT_MAX_LIFETIME_SEC, or "issued" in the
 * future (a skewed or forging issuer), is refused too.
 */
function checkClaims(payload: VerifiedClaims, config: JwtConfig): { sub: string; unit: string; roles: Role[] } {
  const { exp, iat, roles } = payload;
  if (typeof exp !== "number" || typeof iat !== "number") throw new TokenError("INVALID");
  if (iat > Date.now() / 1000 + config.clockToleranceSec) throw new TokenError("INVALID");
  if (exp - iat > config.maxLifetimeSec) throw new TokenError("INVALID");
  if (
    typeof payload.sub !== "string" ||
    typeof payload.unit !== "string" ||
    !Array.isArray(roles) ||
    roles.length === 0 ||
    !roles.every((r): r is Role => ALL_ROLES.includes(r as Role))
  ) {
    throw new TokenError("INVALID");
  }
  return { sub: payload.sub, unit: payload.unit, roles };
}

import jwt from "jsonwebtoken";
import type { DataSource } from "typeorm";
import { UnauthenticatedError } from "../common/errors";
import { today } from "../common/date.scalar";
import { ALL_ROLES, type Actor, Role } from "./auth.types";
import type { JwtConfig } from "./jwt.config";

interface VerifiedClaims {
  sub?: unknown;
  unit?: unknown;
  roles?: unknown;
  exp?: unknown;
  iat?: unknown;
}

/** Verifies a bearer token and resolves its unit. Every failure is the same UNAUTHENTICATED. */
export class AuthService {
  constructor(
    private readonly config: JwtConfig,
    private readonly dataSource: DataSource,
  ) {}

  async authenticate(authorization: string | undefined): Promise<Actor | null> {
    if (!authorization) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw new UnauthenticatedError();
    const claims = this.verify(match[1]!);
    // the unit the code names today (a district's token is refused from 1/7/2025), and the earlier units in its
    // scope (kept per tree version: migration 1763901800000)
    const rows: Array<{ id: number; code: string; level: string; path: string; earlier: string[] }> = await this.dataSource.query(
      "SELECT id, code, level, path, auth_scope_paths_cached(id) AS earlier FROM auth_unit_by_code($1, $2::date)",
      [claims.unit, today()],
    );
    const unit = rows[0];
    if (!unit) throw new UnauthenticatedError();
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

  private verify(token: string): { sub: string; unit: string; roles: Role[] } {
    let payload: VerifiedClaims;
    try {
      payload = jwt.verify(token, this.config.verifyKey, {
        algorithms: [this.config.algorithm],
        issuer: this.config.issuer,
        audience: this.config.audience,
        clockTolerance: this.config.clockToleranceSec,
      }) as VerifiedClaims;
    } catch {
      throw new UnauthenticatedError();
    }
    // jsonwebtoken accepts a token without exp or iat; we do not. A token minted for longer than
    // JWT_MAX_LIFETIME_SEC, or "issued" in the future (a skewed or forging issuer), is refused too.
    const { exp, iat } = payload;
    if (typeof exp !== "number" || typeof iat !== "number") throw new UnauthenticatedError();
    if (iat > Date.now() / 1000 + this.config.clockToleranceSec) throw new UnauthenticatedError();
    if (exp - iat > this.config.maxLifetimeSec) throw new UnauthenticatedError();
    const roles = payload.roles;
    if (
      typeof payload.sub !== "string" ||
      typeof payload.unit !== "string" ||
      !Array.isArray(roles) ||
      roles.length === 0 ||
      !roles.every((r): r is Role => ALL_ROLES.includes(r as Role))
    ) {
      throw new UnauthenticatedError();
    }
    return { sub: payload.sub, unit: payload.unit, roles };
  }
}

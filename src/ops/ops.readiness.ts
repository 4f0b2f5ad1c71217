import type { DataSource } from "typeorm";
import { logger } from "../common/logger";
import { poolOf } from "../db/pool";

export interface Readiness {
  ready: boolean;
  /** database "busy": it answers, but every pool connection is checked out (more requests would wait) */
  checks: { database: "ok" | "busy" | "unreachable"; migrations: "current" | "pending" | "unknown" };
}

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`check took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Every connection of the pool is checked out and none is idle. */
function poolSaturated(dataSource: DataSource): boolean {
  const pool = poolOf(dataSource);
  const max = pool?.options?.max;
  return !!pool && !!max && pool.totalCount >= max && pool.idleCount === 0;
}

/**
 * Ready = the database answers and no migration of this build is pending. A saturated pool is
 * "busy", not "unreachable": the check does not queue behind the requests holding every connection
 * (and then blame the database for the wait).
 */
export async function checkReadiness(dataSource: DataSource): Promise<Readiness> {
  const checks: Readiness["checks"] = { database: "unreachable", migrations: "unknown" };
  if (!dataSource.isInitialized) return { ready: false, checks };
  if (poolSaturated(dataSource)) return { ready: false, checks: { ...checks, database: "busy" } };
  try {
    await withTimeout(dataSource.query("SELECT 1"), CHECK_TIMEOUT_MS);
    checks.database = "ok";
    checks.migrations = (await withTimeout(pendingMigrations(dataSource), CHECK_TIMEOUT_MS)).length ? "pending" : "current";
  } catch (error) {
    // the pool may have filled up while the check waited for a connection
    if (checks.database !== "ok" && poolSaturated(dataSource)) checks.database = "busy";
    logger.warn({ err: error, database: checks.database }, "readiness check failed");
  }
  return { ready: checks.database === "ok" && checks.migrations === "current", checks };
}

/**
 * Migrations of this build not applied to the database. Asked through app_applied_migrations()
 * (migration 1763900600000), since the application role may not read typeorm_migrations; a
 * database without that function is behind by at least that migration.
 */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const expected = dataSource.migrations.map((m) => m.name ?? m.constructor.name);
  let applied: Set<string>;
  try {
    const rows: Array<{ name: string }> = await dataSource.query("SELECT app_applied_migrations() AS name");
    applied = new Set(rows.map((r) => r.name));
  } catch (error) {
    if ((error as { driverError?: { code?: string } }).driverError?.code === "42883") return expected;
    throw error;
  }
  return expected.filter((name) => !applied.has(name));
}

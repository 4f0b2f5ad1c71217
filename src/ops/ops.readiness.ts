import type { DataSource } from "typeorm";
import { logger } from "../common/logger";

export interface Readiness {
  ready: boolean;
  checks: { database: "ok" | "unreachable"; migrations: "current" | "pending" | "unknown" };
}

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`check took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Ready = the database answers and no migration of this build is pending. */
export async function checkReadiness(dataSource: DataSource): Promise<Readiness> {
  const checks: Readiness["checks"] = { database: "unreachable", migrations: "unknown" };
  if (!dataSource.isInitialized) return { ready: false, checks };
  try {
    await withTimeout(dataSource.query("SELECT 1"), CHECK_TIMEOUT_MS);
    checks.database = "ok";
    checks.migrations = (await withTimeout(pendingMigrations(dataSource), CHECK_TIMEOUT_MS)).length ? "pending" : "current";
  } catch (error) {
    logger.warn({ err: error }, "readiness check failed");
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

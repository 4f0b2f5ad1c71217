import type pg from "pg";
import type { DataSource } from "typeorm";

/** The pg Pool under TypeORM's postgres driver (absent before initialize / after destroy). */
export function poolOf(dataSource: DataSource): pg.Pool | undefined {
  if (!dataSource.isInitialized) return undefined;
  return (dataSource.driver as unknown as { master?: pg.Pool }).master;
}

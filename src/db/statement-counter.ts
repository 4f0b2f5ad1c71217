import type { Logger, QueryRunner } from "typeorm";

/** Per-request statistics kept on the request's QueryRunner (`runner.data`). */
export interface RunnerStats {
  statements: number;
}

const CONTROL = /^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SET |SELECT set_config)/i;

/**
 * A TypeORM logger that counts the SQL statements each request issues (transaction control and
 * scope setup excluded). Tests use the count to prove set-based access (no query per row).
 */
export class StatementCountingLogger implements Logger {
  constructor(private readonly logQueries = false) {}

  logQuery(query: string, _parameters?: unknown[], queryRunner?: QueryRunner): void {
    const stats = (queryRunner?.data as { stats?: RunnerStats } | undefined)?.stats;
    if (stats && !CONTROL.test(query)) stats.statements++;
    if (this.logQueries) console.debug(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    if (process.env.NODE_ENV !== "test") console.info(message);
  }
  log(level: "log" | "info" | "warn", message: unknown): void {
    if (level === "warn") console.warn(message);
  }
}

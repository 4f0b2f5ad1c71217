import { DataSource } from "typeorm";
import { migrations } from "../../migrations";
import { StatementCountingLogger } from "./statement-counter";

export interface PoolOptions {
  poolSize?: number;
  statementTimeoutMs?: number;
  connectionTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
  applicationName?: string;
}

/**
 * A TypeORM data source on node-postgres with the pool and timeouts set from config. TypeORM serves the
 * connection pool and the migrations only: there are no entities (queries are hand-written SQL).
 */
export function createDataSource(url: string, options: PoolOptions = {}): DataSource {
  return new DataSource({
    type: "postgres",
    url,
    migrations,
    migrationsTableName: "typeorm_migrations",
    migrationsTransactionMode: "each",
    synchronize: false,
    logger: new StatementCountingLogger(process.env.LOG_SQL === "1"),
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? "vn-program-plans",
    connectTimeoutMS: options.connectionTimeoutMs ?? 5000,
    extra: {
      statement_timeout: options.statementTimeoutMs ?? 15000,
      idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 30000,
    },
  });
}

/** Create the database named in `url` if it does not exist (connecting to `postgres` to do it). */
export async function ensureDatabase(url: string): Promise<void> {
  const { Client } = await import("pg");
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ""));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

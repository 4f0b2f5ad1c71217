import path from "node:path";

/** Everything the service reads from the environment, in one place (see README "Configuration"). */
export interface AppConfig {
  nodeEnv: string;
  port: number;
  /** External PostgreSQL; when absent an embedded PostgreSQL is started. */
  databaseUrl?: string;
  /** Folder of the embedded PostgreSQL cluster. */
  dataDir: string;
  embeddedPort: number;
  poolSize: number;
  statementTimeoutMs: number;
  connectionTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

function intFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const parsed = Number.parseInt(value, 10);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`Expected a non-negative integer, got "${value}"`);
  return parsed;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    nodeEnv: env.NODE_ENV ?? "development",
    port: intFrom(env.PORT, 4000),
    databaseUrl: env.DATABASE_URL || undefined,
    // Resolved from the working directory, not __dirname, so it never lands inside dist/.
    dataDir: path.resolve(process.cwd(), env.DATA_DIR ?? ".data/postgres"),
    embeddedPort: intFrom(env.EMBEDDED_PG_PORT, 54329),
    poolSize: intFrom(env.DB_POOL_SIZE, 10),
    statementTimeoutMs: intFrom(env.DB_STATEMENT_TIMEOUT_MS, 15000),
    connectionTimeoutMs: intFrom(env.DB_CONNECTION_TIMEOUT_MS, 5000),
    idleInTransactionTimeoutMs: intFrom(env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS, 30000),
  };
}

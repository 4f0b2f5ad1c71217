import pg from "pg";
import { DataSource } from "typeorm";
import { migrations } from "../../migrations";
import { StatementCountingLogger } from "./statement-counter";
import { QUERY_TIMEOUT_MARGIN_MS } from "../config";

export interface PoolOptions {
  poolSize?: number;
  statementTimeoutMs?: number;
  /** pg's client-side query_timeout (0: none); at least statement_timeout + QUERY_TIMEOUT_MARGIN_MS */
  queryTimeoutMs?: number;
  connectionTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
  applicationName?: string;
}

/** pg's message when query_timeout fires. */
export const QUERY_READ_TIMEOUT = "Query read timeout";

/**
 * A pg client that drops its connection when a call times out on the client side. pg only stops
 * waiting: the connection stays busy with the lost statement, so the next one (the request's
 * ROLLBACK, or the next request's first statement) would wait on a frozen server all over again.
 * Dropped, the connection fails its queue at once ("connection terminated"), TypeORM releases it
 * as broken, and the pool opens a fresh one when the server answers again.
 */
class TimeoutDroppingClient extends pg.Client {
  override query(...args: unknown[]): any {
    const dropOnTimeout = (error: unknown) => {
      if (error instanceof Error && error.message === QUERY_READ_TIMEOUT) this.connection.stream.destroy();
    };
    // a query object (prefixed-query.ts) answers through its callback, which pg wraps with the timeout
    const submittable = args[0] as { submit?: unknown; callback?: (error: Error | null, result: unknown) => void } | undefined;
    if (typeof submittable?.submit === "function" && submittable.callback) {
      const callback = submittable.callback;
      submittable.callback = (error, result) => {
        if (error) dropOnTimeout(error);
        callback(error, result);
      };
    }
    const result = (pg.Client.prototype.query as (...a: unknown[]) => unknown).apply(this, args);
    if (result instanceof Promise) result.catch(dropOnTimeout);
    return result;
  }
}

/**
 * A TypeORM data source on node-postgres with the pool and timeouts set from config. TypeORM serves the
 * connection pool and the migrations only: there are no entities (queries are hand-written SQL).
 */
export function createDataSource(url: string, options: PoolOptions = {}): DataSource {
  const statementTimeoutMs = options.statementTimeoutMs ?? 15000;
  // never below statement_timeout: PostgreSQL's own cancel (TIMEOUT, connection kept) comes first
  const floor = statementTimeoutMs > 0 ? statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS : 0;
  const queryTimeoutMs = options.queryTimeoutMs === 0 ? 0 : Math.max(options.queryTimeoutMs ?? floor, floor);
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
      statement_timeout: statementTimeoutMs,
      idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 30000,
      // A frozen or vanished server: no answer ever comes and statement_timeout cannot fire.
      ...(queryTimeoutMs > 0 ? { query_timeout: queryTimeoutMs, Client: TimeoutDroppingClient } : {}),
      // and the kernel probes idle connections, so a dead peer is noticed between requests too
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
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

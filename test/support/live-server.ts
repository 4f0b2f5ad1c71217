import { Client } from "pg";
import type { DataSource } from "typeorm";
import { loadConfig, type AppConfig } from "../../src/config";
import { loadJwtConfig, type JwtConfig } from "../../src/auth/jwt.config";
import { signToken } from "../../src/auth/token";
import { Role } from "../../src/auth/auth.types";
import { createDataSource } from "../../src/db/data-source";
import { appRoleUrl, loadAppRole } from "../../src/db/app-role";
import { createServer, type AppServer } from "../../src/server";

export { freePort } from "./free-port";

export interface LiveServer {
  base: string;
  server: AppServer;
  appDataSource: DataSource;
  jwt: JwtConfig;
  token(unit: string, roles?: Role[]): string;
  /** POST /graphql (in English unless `headers` say otherwise); resolves with status and parsed body (never throws on GraphQL errors). */
  post(query: string, variables?: Record<string, unknown>, token?: string, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/**
 * The real server listening on a loopback port, connected as the application role to the database
 * at `ownerUrl`, with pool and timeout settings of the test's choosing.
 */
export async function startLiveServer(ownerUrl: string, overrides: Partial<AppConfig> = {}): Promise<LiveServer> {
  const env = { ...process.env, NODE_ENV: "test" };
  const config = { ...loadConfig(env), ...overrides };
  const jwt = loadJwtConfig(env);
  const appDataSource = createDataSource(appRoleUrl(ownerUrl, loadAppRole(env)), config);
  await appDataSource.initialize();
  const server = await createServer({ config, dataSource: appDataSource, jwt });
  const base = `http://127.0.0.1:${await server.listen(0)}`;
  return {
    base,
    server,
    appDataSource,
    jwt,
    token: (unit, roles = Object.values(Role)) => signToken(jwt, { sub: `live-${unit}`, unit, roles }),
    async post(query, variables, token, headers = {}) {
      const response = await fetch(`${base}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          // the suite checks English texts; a test of Vietnamese passes its own Accept-Language
          "accept-language": "en",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        body = { unparsable: text };
      }
      return { status: response.status, body };
    },
    async close() {
      await server.stop();
      if (appDataSource.isInitialized) await appDataSource.destroy();
    },
  };
}

/**
 * Holds an ACCESS EXCLUSIVE lock on `table` from another session, so every statement of the API
 * that reads it waits: a genuinely slow statement, with no test-only code in the server.
 */
export async function holdTableLock(ownerUrl: string, table: string): Promise<{ release(): Promise<void> }> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  await client.query("BEGIN");
  await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  return {
    async release() {
      await client.query("ROLLBACK");
      await client.end();
    },
  };
}

/** Waits (bounded) until `count` sessions of `database` wait for a lock. */
export async function waitForLockWaiters(ownerUrl: string, database: string, count: number, timeoutMs = 15000): Promise<void> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
        [database],
      );
      if (rows[0].n >= count) return;
      if (Date.now() > deadline) throw new Error(`only ${rows[0].n} of ${count} sessions waiting for a lock`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await client.end();
  }
}

/** Polls `check` every 50 ms until it returns true, failing after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

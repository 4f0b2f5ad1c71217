import "reflect-metadata";
import type { DataSource } from "typeorm";
import { loadConfig } from "../../src/config";
import { loadJwtConfig, type JwtConfig } from "../../src/auth/jwt.config";
import { signToken } from "../../src/auth/token";
import { Role } from "../../src/auth/auth.types";
import { createServer, type AppServer } from "../../src/server";
import { createDataSource } from "../../src/db/data-source";
import { appRoleUrl, loadAppRole } from "../../src/db/app-role";
import { createTestDatabase, type TestDatabase } from "./test-database";
import { onDay } from "../../src/common/date.scalar";
import { withLanguage, type Language } from "../../src/i18n/i18n.language";

export interface GqlResult<T = any> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, any>; path?: readonly (string | number)[] }>;
  /** SQL statements the request issued (transaction control excluded) */
  statements: number;
}

export interface Harness {
  db: TestDatabase;
  /** Connected as the owner (superuser): fixtures and assertions, not subject to row-level security. */
  dataSource: DataSource;
  /** Connected as the application role, as the server is (row-level security applies). */
  appDataSource: DataSource;
  server: AppServer;
  jwt: JwtConfig;
  /** A token for a user of `unit` with `roles` (default all roles). */
  token(unit: string, roles?: Role[], subject?: string): string;
  /**
   * Executes an operation in-process as the holder of `token` (or anonymously), in `language`: English
   * unless asked (the suite checks English texts; the server's own default is Vietnamese).
   */
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string, language?: Language): Promise<GqlResult<T>>;
  /** The first error's code, or fails the test if there was none. */
  close(): Promise<void>;
}

/** A fresh database (copy of the seeded template) and the real server on it, for one test file. */
export async function startHarness(options: { poolSize?: number; today?: string } = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const jwt = loadJwtConfig({ ...process.env, NODE_ENV: "test" });
  // `today`: the server runs as on that day (APP_TODAY), e.g. on the three-tier tree where district users exist
  const config = { ...loadConfig({ ...process.env, NODE_ENV: "test" }), poolSize: options.poolSize ?? 5, today: options.today };
  // The server connects as the application role, exactly as `npm start` does (src/db/bootstrap.ts).
  const appDataSource = createDataSource(appRoleUrl(db.url, loadAppRole({ ...process.env, NODE_ENV: "test" })), config);
  await appDataSource.initialize();
  const server = await createServer({ config, dataSource: appDataSource, jwt });
  const token = (unit: string, roles: Role[] = Object.values(Role), subject = `test-${unit}`) =>
    signToken(jwt, { sub: subject, unit, roles });
  return {
    db,
    dataSource: db.dataSource,
    appDataSource,
    server,
    jwt,
    token,
    async gql(query, variables, bearer, language = "en") {
      // as the HTTP server does: the request runs on the server's day (APP_TODAY) if it has one
      const { contextValue, response } = await onDay(config.today, () => withLanguage(language, async () => {
        const contextValue = await server.contextFor(bearer ? `Bearer ${bearer}` : undefined);
        return { contextValue, response: await server.apollo.executeOperation({ query, variables }, { contextValue }) };
      }));
      if (response.body.kind !== "single") throw new Error("Incremental delivery is not used");
      const { data, errors } = response.body.singleResult;
      return { data: data as any, errors: errors as GqlResult["errors"], statements: contextValue.db.stats.statements };
    },
    async close() {
      await server.stop();
      if (appDataSource.isInitialized) await appDataSource.destroy();
      await db.drop();
    },
  };
}

/**
 * A second server on the harness's database with other settings (`env` as the process environment would give
 * them, e.g. COMPRESSION=0), listening on a loopback port; stop it with `server.stop()`.
 */
export async function startServerWith(h: Harness, env: Record<string, string>): Promise<{ server: AppServer; base: string }> {
  const config = { ...loadConfig({ NODE_ENV: "test", ...env }), poolSize: 2 };
  const server = await createServer({ config, dataSource: h.appDataSource, jwt: h.jwt });
  return { server, base: `http://127.0.0.1:${await server.listen(0)}` };
}

/** The error code of the first error (undefined when the call succeeded). */
export const errorCode = (result: GqlResult) => result.errors?.[0]?.extensions?.code as string | undefined;

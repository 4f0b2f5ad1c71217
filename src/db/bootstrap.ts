import type { DataSource } from "typeorm";
import { embeddedDatabaseRefusal, type AppConfig } from "../config";
import { logger } from "../common/logger";
import { t } from "../i18n/i18n";
import { appRoleUrl, loadAppRole, sqlLiteral, type AppRole } from "./app-role";
import { createDataSource, ensureDatabase } from "./data-source";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./embedded";

export const EMBEDDED_DATABASE = "vnplans";

export interface OpenDatabase {
  /** Connected as the owner: migrations, seeds and maintenance only (row-level security does not hold it). */
  dataSource: DataSource;
  /**
   * Connected as the application role (APP_DB_USER): not superuser, not owner, no BYPASSRLS, so
   * row-level security applies. The server uses this one.
   */
  appDataSource: DataSource;
  /** URL of the database (owner credentials) */
  url: string;
  embedded?: EmbeddedDatabase;
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts (or joins, when another command has it running) the embedded
 * PostgreSQL in DATA_DIR, creates the database if needed and applies pending migrations. The
 * settings are checked before anything is started or changed.
 */
export async function openDatabase(
  config: AppConfig,
  options: { migrate?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<OpenDatabase> {
  const role = loadAppRole(options.env ?? process.env); // APP_DB_USER / APP_DB_PASSWORD, before any migration
  const refusal = embeddedDatabaseRefusal(config);
  if (refusal) throw new Error(refusal);
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    logger.info({ dataDir: config.dataDir, port: config.embeddedPort }, "starting embedded PostgreSQL");
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPort,
      persistent: true,
      log: (message) => logger.debug({ postgres: message.trim() }),
    });
    const u = new URL(embedded.adminUrl);
    u.pathname = `/${EMBEDDED_DATABASE}`;
    url = u.toString();
  }
  try {
    await ensureDatabase(url);
    const dataSource = createDataSource(url, { ...config, poolSize: 2, applicationName: "vn-program-plans-owner" });
    await dataSource.initialize();
    // several API processes may start at once: one at a time migrates and aligns the role (two concurrent
    // ALTER ROLE fail with "tuple concurrently updated"); the lock is its session's, released however it ends
    const lock = dataSource.createQueryRunner();
    await lock.connect();
    try {
      await lock.query("SELECT pg_advisory_lock(hashtext('vn-program-plans:bootstrap'))");
      if (options.migrate !== false) {
        const applied = await dataSource.runMigrations({ transaction: "each" });
        if (applied.length) logger.info({ migrations: applied.map((m) => m.name) }, "migrations applied");
      }
      await syncAppRolePassword(dataSource, role);
    } finally {
      await lock.query("SELECT pg_advisory_unlock(hashtext('vn-program-plans:bootstrap'))").catch(() => undefined);
      await lock.release();
    }
    const appDataSource = createDataSource(appRoleUrl(url, role), config);
    try {
      await appDataSource.initialize();
    } catch (error) {
      await dataSource.destroy();
      throw new Error(t("db:appRoleConnect", { user: role.user, reason: error instanceof Error ? error.message : String(error) }));
    }
    return {
      dataSource,
      appDataSource,
      url,
      embedded,
      close: async () => {
        if (appDataSource.isInitialized) await appDataSource.destroy();
        if (dataSource.isInitialized) await dataSource.destroy();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

/**
 * The migration creates the application role with APP_DB_PASSWORD when it is missing; if the
 * password was changed since, bring the role in line (only possible when the owner may alter roles).
 * Roles are cluster-wide while the bootstrap lock is per database: processes on other databases of the same
 * cluster (several services, parallel tests) may align the role at the same moment, and PostgreSQL refuses the
 * second of two concurrent updates of the role's row ("tuple concurrently updated", XX000). It is set again.
 */
export async function syncAppRolePassword(owner: DataSource, role: AppRole): Promise<void> {
  const [me] = await owner.query(
    `SELECT r.rolsuper OR r.rolcreaterole AS can, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists
       FROM pg_roles r WHERE r.rolname = current_user`,
    [role.user],
  );
  if (!me?.can || !me.exists) return;
  for (let attempt = 1; ; attempt++) {
    try {
      await owner.query(`ALTER ROLE ${role.user} PASSWORD ${sqlLiteral(role.password)}`);
      return;
    } catch (error) {
      if (attempt >= 10 || !/tuple concurrently updated/.test(error instanceof Error ? error.message : "")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}

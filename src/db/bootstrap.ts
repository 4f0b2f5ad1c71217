import type { DataSource } from "typeorm";
import type { AppConfig } from "../config";
import { logger } from "../common/logger";
import { createDataSource, ensureDatabase } from "./data-source";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./embedded";

export const EMBEDDED_DATABASE = "vnplans";

export interface OpenDatabase {
  dataSource: DataSource;
  /** URL of the database (owner credentials) */
  url: string;
  embedded?: EmbeddedDatabase;
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL (data kept in DATA_DIR), creates the
 * database if needed and applies pending migrations.
 */
export async function openDatabase(config: AppConfig, options: { migrate?: boolean } = {}): Promise<OpenDatabase> {
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
    const dataSource = createDataSource(url, config);
    await dataSource.initialize();
    if (options.migrate !== false) {
      const applied = await dataSource.runMigrations({ transaction: "each" });
      if (applied.length) logger.info({ migrations: applied.map((m) => m.name) }, "migrations applied");
    }
    return {
      dataSource,
      url,
      embedded,
      close: async () => {
        if (dataSource.isInitialized) await dataSource.destroy();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

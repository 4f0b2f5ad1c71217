import "reflect-metadata";
import { checkStartSettings } from "./config.check";
import { logger } from "./common/logger";
import { openDatabase } from "./db/bootstrap";
import { createServer } from "./server";
import { devTokens } from "./graphiql/dev-tokens";
import { isEmpty, seedDocuments } from "../seeds/documents.seed";

const SHUTDOWN_TIMEOUT_MS = 10_000;

/** npm start: database (embedded unless DATABASE_URL), migrations, seed if empty, then serve. */
async function main() {
  const { settings, problems } = checkStartSettings(process.env);
  if (!settings) throw new Error(`the settings are incomplete (see README, "Configuration"):\n  - ${problems.join("\n  - ")}`);
  const { config, jwt } = settings;
  const db = await openDatabase(config);
  if (await isEmpty(db.dataSource)) {
    const seeded = await seedDocuments(db.dataSource);
    logger.info(seeded, "seed data loaded");
  }
  const server = await createServer({ config, dataSource: db.appDataSource, jwt });
  const port = await server.listen(config.port);
  const url = `http://localhost:${port}/graphql`;
  const dashboard = `http://localhost:${port}/dashboard/`;
  const graphiql = `http://localhost:${port}/graphiql`;
  logger.info({ url, dashboard, graphiql }, "GraphQL API ready");
  if (server.replicas) logger.info({ replicas: server.replicas.status() }, "reads go to the serving replicas, writes to the primary");
  // one write: whoever reads the ready line finds the addresses and tokens with it
  const lines = [`\nGraphQL API ready at ${url}`, `GraphiQL:  ${graphiql}`, `Dashboard: ${dashboard}`];
  if (config.devTokens) {
    lines.push("Development tokens (DEV_TOKENS; send as 'Authorization: Bearer <token>'):");
    for (const { label, token } of devTokens(jwt)) lines.push(`  ${label}:\n    ${token}`);
  } else {
    lines.push("No development tokens (DEV_TOKENS is off); mint one with `npm run token -- --unit 22 --role VIEWER`.");
  }
  console.log(lines.join("\n"));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    try {
      await server.stop(); // stops accepting, drains in-flight requests
      await db.close(); // pool, then the embedded PostgreSQL
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, "shutdown failed");
      process.exit(1);
    }
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error) => {
  logger.error({ err: error }, "failed to start");
  console.error(`Failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

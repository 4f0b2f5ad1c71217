import "reflect-metadata";
import { loadConfig } from "./config";
import { logger } from "./common/logger";
import { openDatabase } from "./db/bootstrap";
import { createServer } from "./server";
import { loadJwtConfig } from "./auth/jwt.config";
import { signToken } from "./auth/token";
import { ALL_ROLES, Role } from "./auth/auth.types";
import { isEmpty, seedDocuments } from "../seeds/documents.seed";

const SHUTDOWN_TIMEOUT_MS = 10_000;

/** npm start: database (embedded unless DATABASE_URL), migrations, seed if empty, then serve. */
async function main() {
  const config = loadConfig();
  const jwt = loadJwtConfig();
  const db = await openDatabase(config);
  if (await isEmpty(db.dataSource)) {
    const seeded = await seedDocuments(db.dataSource);
    logger.info(seeded, "seed data loaded");
  }
  const server = await createServer({ config, dataSource: db.appDataSource, jwt });
  const port = await server.listen(config.port);
  const url = `http://localhost:${port}/graphql`;
  logger.info({ url }, "GraphQL API ready");
  console.log(`\nGraphQL API ready at ${url}`);
  if (config.nodeEnv !== "production") {
    console.log("Development tokens (send as 'Authorization: Bearer <token>'):");
    const samples: Array<[string, Role[], string]> = [
      ["VN", ALL_ROLES, "ministry (nation), all roles"],
      ["22", [Role.PLANNER, Role.VIEWER], "Quảng Ninh planner"],
      ["22", [Role.REPORTER, Role.VIEWER], "Quảng Ninh reporter"],
      ["193", [Role.VIEWER], "Hạ Long (district) viewer"],
    ];
    for (const [unit, roles, label] of samples) {
      console.log(`  ${label}:\n    ${signToken(jwt, { sub: `dev-${unit}-${roles[0]!.toLowerCase()}`, unit, roles })}`);
    }
  }

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

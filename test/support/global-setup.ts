import crypto from "node:crypto";
import os from "node:os";
import path from "node:path";
import "reflect-metadata";
import { Client } from "pg";
import { createDataSource } from "../../src/db/data-source";
import { startEmbeddedPostgres } from "../../src/db/embedded";
import { seedDocuments } from "../../seeds/documents.seed";
import { freePort } from "./free-port";
import { urlFor } from "./test-database";

/**
 * Once per jest run: a real PostgreSQL (a throwaway embedded cluster, or DATABASE_URL's server),
 * and a template database built by the real migrations and the real seed. Each test file then
 * copies the template (see test-database.ts).
 */
export default async function globalSetup(): Promise<void> {
  process.env.NODE_ENV = "test";
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dataDir = path.join(os.tmpdir(), `vnp-test-pg-${process.pid}-${crypto.randomBytes(3).toString("hex")}`);
    const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
    (globalThis as Record<string, unknown>).__VNP_EMBEDDED__ = embedded;
    adminUrl = embedded.adminUrl;
  }
  const runId = `${process.pid}_${crypto.randomBytes(3).toString("hex")}`;
  const template = `vnp_tmpl_${runId}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();

  const dataSource = createDataSource(urlFor(adminUrl, template), { poolSize: 2 });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: "each" });
  await seedDocuments(dataSource);
  await dataSource.destroy();

  process.env.TEST_ADMIN_URL = adminUrl;
  process.env.TEST_TEMPLATE_DB = template;
  process.env.TEST_RUN_ID = runId;
  process.env.JWT_SECRET = process.env.JWT_SECRET ?? crypto.randomBytes(32).toString("hex");
}

import { Client } from "pg";
import type { EmbeddedDatabase } from "../../src/db/embedded";

export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as Record<string, unknown>).__VNP_EMBEDDED__ as EmbeddedDatabase | undefined;
  if (embedded) {
    await embedded.stop(); // not persistent: the cluster folder goes with it
    return;
  }
  // External server: drop this run's template and any database of this run a crashed file left behind.
  const client = new Client({ connectionString: process.env.TEST_ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT datname FROM pg_database WHERE datname = $1 OR starts_with(datname, $2)`,
      [process.env.TEST_TEMPLATE_DB, `vnp_t_${process.env.TEST_RUN_ID}_`],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

import "reflect-metadata";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/bootstrap";
import { isEmpty, seedDocuments } from "./documents.seed";
import { seedRegisters } from "./registers.seed";

/**
 * npm run seed            -> the registers (below), then the documents' catalog and plans (when there are no plans yet)
 * npm run seed:registers  -> the three registers (2024, 2025-06, two-tier from 1/7/2025) as one dated tree
 *                            with its successions (idempotent; keeps units already there)
 */
async function main() {
  const what = process.argv[2];
  const db = await openDatabase(loadConfig());
  try {
    if (what === "documents") {
      if (!(await isEmpty(db.dataSource))) {
        console.log("The database is already seeded; nothing to do.");
        return;
      }
      console.log(await seedDocuments(db.dataSource));
    } else if (what === "registers") {
      const summary = await seedRegisters(db.dataSource);
      console.log(
        `Registers: ${JSON.stringify(summary.steps)}; ${summary.opened} units opened, ${summary.closed} closed, ` +
          `${summary.successions} successions, ${summary.renamed} renamed, in ${(summary.ms / 1000).toFixed(2)} s.`,
      );
      console.log(`Skipped ${summary.skipped.length} crosswalk rows whose old code is in no unit list: ${summary.skipped.map((r) => r.oldCode).join(", ")}`);
    } else {
      throw new Error(`Unknown seed "${what}": use documents or registers.`);
    }
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import "reflect-metadata";
import { SingleBar, Presets } from "cli-progress";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/bootstrap";
import { isEmpty, seedDocuments } from "./documents.seed";
import { ensureNation, loadUnits, readRegister } from "./units.loader";
import { seedRegisters } from "./registers.seed";

/**
 * npm run seed            -> the seed documents' units, catalog and plans (when the database is empty)
 * npm run seed:national   -> the whole 2024 register (63 provinces, 700 districts, 10.6k communes),
 *                            then the documents' catalog and plans if not there yet
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
    } else if (what === "national") {
      const rows = readRegister();
      const started = Date.now();
      const bar = new SingleBar({ format: "units {bar} {value}/{total} ({duration}s)" }, Presets.shades_classic);
      bar.start(rows.length, 0);
      const inserted = await db.dataSource.transaction(async (manager) => {
        await ensureNation(manager);
        const n = await loadUnits(manager, rows, (done) => bar.update(done), 2000);
        return n;
      });
      bar.stop();
      console.log(`Loaded ${inserted} new units (${rows.length} in the register) in ${((Date.now() - started) / 1000).toFixed(2)} s.`);
      if (await isEmpty(db.dataSource)) console.log("Seed documents:", await seedDocuments(db.dataSource));

    } else if (what === "registers") {
      const summary = await seedRegisters(db.dataSource);
      console.log(
        `Registers: ${JSON.stringify(summary.steps)}; ${summary.opened} units opened, ${summary.closed} closed, ` +
          `${summary.successions} successions, ${summary.renamed} renamed, in ${(summary.ms / 1000).toFixed(2)} s.`,
      );
      console.log(`Skipped ${summary.skipped.length} crosswalk rows whose old code is in no unit list: ${summary.skipped.map((r) => r.oldCode).join(", ")}`);
    } else {
      throw new Error(`Unknown seed "${what}": use documents, national or registers.`);
    }
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

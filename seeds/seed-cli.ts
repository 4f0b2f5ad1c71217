import "reflect-metadata";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/bootstrap";
import { isEmpty, seedCatalogAndPlans, seedDocuments } from "./documents.seed";
import { seedRegisters } from "./registers.seed";
import { t } from "../src/i18n/i18n";

/**
 * npm run seed            -> the registers (below), then the documents' catalog and plans, 2021-2025 and 2026 (on an empty
 *                            database); on a seeded one, only what is missing (the indicators and plans added since,
 *                            the 2026 plans on a database seeded before them), leaving what is there alone
 * npm run seed:registers  -> the three registers (2024, 2025-06, two-tier from 1/7/2025) as one dated tree
 *                            with its successions (idempotent; keeps units already there)
 */
async function main() {
  const what = process.argv[2];
  const db = await openDatabase(loadConfig());
  try {
    if (what === "documents") {
      if (await isEmpty(db.dataSource)) {
        console.log(await seedDocuments(db.dataSource));
        return;
      }
      const missing = await db.dataSource.transaction((manager) => seedCatalogAndPlans(manager));
      for (const s of missing.plansSkipped) console.log(t("seed:notSeeded", s));
      if (missing.indicatorsAdded.length === 0 && missing.plansAdded.length === 0) {
        console.log(t("seed:alreadySeeded"));
        return;
      }
      const none = t("seed:none");
      console.log(t("seed:added", { indicators: missing.indicatorsAdded.join(", ") || none, plans: missing.plansAdded.join(", ") || none }));
    } else if (what === "registers") {
      const summary = await seedRegisters(db.dataSource);
      const { opened, closed, successions, renamed } = summary;
      console.log(t("seed:registers", { steps: JSON.stringify(summary.steps), opened, closed, successions, renamed, seconds: summary.ms / 1000 }));
      console.log(t("seed:skippedRows", { count: summary.skipped.length, codes: summary.skipped.map((r) => r.oldCode).join(", ") }));
    } else {
      throw new Error(t("seed:unknownSeed", { what }));
    }
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import "reflect-metadata";
import { loadConfig } from "../config";
import { openDatabase } from "./bootstrap";
import { t } from "../i18n/i18n";

/**
 * npm run migration:run | migration:revert. Migrations are hand-written SQL in migrations/ (there are no
 * entities to generate them from).
 */
async function main() {
  const [command] = process.argv.slice(2);
  const db = await openDatabase(loadConfig(), { migrate: false });
  try {
    const ds = db.dataSource;
    if (command === "run") {
      const applied = await ds.runMigrations({ transaction: "each" });
      console.log(applied.length ? t("db:migrationsApplied", { names: applied.map((m) => m.name).join(", ") }) : t("db:noPendingMigrations"));
    } else if (command === "revert") {
      await ds.undoLastMigration({ transaction: "each" });
      console.log(t("db:migrationReverted"));
    } else {
      throw new Error(t("db:unknownMigrationCommand", { command }));
    }
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import "reflect-metadata";
import { loadConfig } from "../config";
import { openDatabase } from "./bootstrap";

/** npm run migration:run | migration:revert | migration:generate -- Name */
async function main() {
  const [command, name] = process.argv.slice(2);
  const db = await openDatabase(loadConfig(), { migrate: false });
  try {
    const ds = db.dataSource;
    if (command === "run") {
      const applied = await ds.runMigrations({ transaction: "each" });
      console.log(applied.length ? `Applied: ${applied.map((m) => m.name).join(", ")}` : "No pending migrations.");
    } else if (command === "revert") {
      await ds.undoLastMigration({ transaction: "each" });
      console.log("Reverted the last migration.");
    } else if (command === "generate") {
      // Compares the entities with the database and prints the SQL a new migration needs.
      const sql = await ds.driver.createSchemaBuilder().log();
      if (sql.upQueries.length === 0) {
        console.log("The entities match the database; no migration needed.");
        return;
      }
      const className = `${name ?? "Change"}${Date.now()}`;
      console.log(`// migrations/${Date.now()}-${name ?? "Change"}.ts (class ${className})`);
      for (const q of sql.upQueries) console.log(`await q.query(\`${q.query}\`);`);
    } else {
      throw new Error(`Unknown command "${command}": use run, revert or generate.`);
    }
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

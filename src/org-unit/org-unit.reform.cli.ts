import "reflect-metadata";
import fs from "node:fs";
import { parseArgs } from "node:util";
import { loadConfig } from "../config";
import { openDatabase } from "../db/bootstrap";
import { insertAudit } from "../audit/audit.writer";
import { readCrosswalk, readUnitList } from "../../seeds/registers.rules";
import { ReformRefusedError, recordReform } from "./org-unit.reform.service";

const USAGE = `Records a reform of the tree from a crosswalk CSV (the columns of seeds/vn-admin-2025-mapping.csv), in one
transaction on the service's database (DATABASE_URL, or the embedded one), audited; refused whole on any bad row.

  npm run reform -- crosswalk.csv --effective-on 2026-07-01 --reason "Nghị quyết 1234/NQ-UBTVQH15" \\
                    [--opens new-units.csv] [--closes 105,106] [--dry-run]

  --opens    units the reform opens (columns code,name,level,type,parent_code, as seeds/vn-admin-2025.csv)
  --closes   codes of units that end with no successor
  --dry-run  check and count, then roll back`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      "effective-on": { type: "string" },
      reason: { type: "string" },
      opens: { type: "string" },
      closes: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  const file = positionals[0];
  if (values.help || !file || !values["effective-on"] || !values.reason) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const rows = readCrosswalk(fs.readFileSync(file, "utf8"), file);
  const opens = values.opens ? readUnitList(fs.readFileSync(values.opens, "utf8"), values.opens) : [];
  const closes = values.closes ? values.closes.split(",").map((c) => c.trim()).filter(Boolean) : [];
  const db = await openDatabase(loadConfig());
  try {
    const summary = await db.dataSource.transaction(async (manager) => {
      const done = await recordReform(manager, { effectiveOn: values["effective-on"]!, rows, opens, closes });
      await manager.query(
        insertAudit({ actor: "$1", action: "org_unit.reform", entity: "org_unit", entityId: "$2", unitPath: "NULL", newValue: "$3", reason: "$4", requestId: "$5" }),
        [`cli:${process.env.USER ?? "unknown"}`, `reform ${done.effectiveOn}`, JSON.stringify({ ...done, file }), values.reason, `cli-${Date.now()}`],
      );
      if (values["dry-run"]) throw Object.assign(new Error("dry run"), { summary: done });
      return done;
    }).catch((error: { summary?: unknown }) => {
      if (error.summary) return { ...(error.summary as object), dryRun: true };
      throw error;
    });
    console.log(JSON.stringify(summary));
  } catch (error) {
    if (error instanceof ReformRefusedError) {
      console.error(error.message);
      for (const p of error.problems) console.error(`  ${p.list}[${p.index}] (line ${p.index + 2}) ${p.field} ${p.code}: ${p.message}`);
      process.exitCode = 1;
    } else {
      throw error;
    }
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

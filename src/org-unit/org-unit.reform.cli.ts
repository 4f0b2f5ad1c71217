import "reflect-metadata";
import fs from "node:fs";
import { parseArgs } from "node:util";
import { loadConfig } from "../config";
import { openDatabase } from "../db/bootstrap";
import { insertAudit } from "../audit/audit.writer";
import { readCrosswalk, readUnitList } from "../../seeds/registers.rules";
import { ReformRefusedError, recordReform } from "./org-unit.reform.service";
import { t } from "../i18n/i18n";

/** The usage text, in APP_LANGUAGE (Vietnamese unless set) like everything this command prints. */
const usage = () => t("orgUnit:cli.usage");

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
    console.log(usage());
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
      for (const p of error.problems) console.error(t("orgUnit:cli.problem", { ...p, line: p.index + 2 }));
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

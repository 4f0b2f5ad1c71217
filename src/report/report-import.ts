import crypto from "node:crypto";
import type { DataSource } from "typeorm";
import { createRequestContext } from "../context";
import { Role } from "../auth/auth.types";
import { readReportCsv } from "./report.csv";
import type { RowError } from "./report.rules";
import { ReportService, type WriteCounts } from "./report.service";

export interface ImportOptions {
  /** CSV text (see report.csv.ts) */
  csv: string;
  /** the importing unit: rows may only concern its subtree (default the nation) */
  unitCode?: string;
  /** who is recorded as the submitter and in the audit log */
  actor: string;
  dryRun?: boolean;
  onPhase?: (phase: "validate" | "write", total: number) => void;
  onProgress?: (done: number) => void;
}

export interface ImportSummary extends WriteCounts {
  received: number;
  rejected: RowError[];
  dryRun: boolean;
}

/**
 * The CSV import: the same validation and writes as the submitReports mutation, as one transaction on
 * the application's role with the importing unit's scope. Any bad row rejects the whole file.
 */
export async function importReportCsv(appDataSource: DataSource, options: ImportOptions): Promise<ImportSummary> {
  const rows = readReportCsv(options.csv);
  const unitCode = (options.unitCode ?? "VN").trim().toUpperCase();
  const [unit] = await appDataSource.query(`SELECT id, code, level, path FROM auth_unit_by_code($1)`, [unitCode]);
  if (!unit) throw new Error(`Unknown unit ${unitCode}`);
  const ctx = createRequestContext(
    appDataSource,
    { subject: options.actor, unitId: unit.id, unitCode: unit.code, unitLevel: unit.level, unitPath: unit.path, roles: [Role.REPORTER] },
    `import-${crypto.randomUUID()}`,
  );
  let ok = false;
  try {
    options.onPhase?.("validate", rows.length);
    const validation = await ReportService.validate(ctx, rows, options.onProgress);
    if (validation.errors.length > 0) {
      return { received: rows.length, inserted: 0, updated: 0, unchanged: 0, rejected: validation.errors, dryRun: !!options.dryRun };
    }
    options.onPhase?.("write", validation.rows.length);
    const counts = options.dryRun
      ? await ReportService.countChanges(ctx, validation.rows)
      : await ReportService.write(ctx, validation.rows, validation.indicators, { onProgress: options.onProgress });
    ok = !options.dryRun;
    return { received: rows.length, ...counts, rejected: [], dryRun: !!options.dryRun };
  } finally {
    await ctx.db.finish(ok);
  }
}

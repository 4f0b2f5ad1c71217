import type { AuthedContext } from "../context";
import { BadUserInputError, NotFoundError } from "../common/errors";
import { t } from "../i18n/i18n";
import { wrongPeriodType } from "./report.rules";
import { parsePeriod } from "../common/period";
import { inSubtree } from "../auth/scope";
import { TWO_TIER_FROM } from "../org-unit/org-unit.reform.rules";
import { periodOf, type ReportRow, type RowError } from "./report.rules";
import { ReportService } from "./report.service";
import { MAX_BATCH_ROWS } from "./report.types";
import { readUploadFile } from "./report.upload.read";
import {
  headerMessage,
  readHeader,
  reportingLevelIn,
  restoredCode,
  rowsOfRecords,
  type CellError,
  type FileFormat,
} from "./report.upload.rules";

export interface UploadSummary {
  file: { name: string; format: FileFormat; bytes: number; delimiter?: string };
  dryRun: boolean;
  replayed: boolean;
  /** rows with a figure (the batch) */
  received: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** file lines with codes but no figure (an unreported line of the template): not part of the batch */
  skippedLines: number[];
  /** codes a spreadsheet had cut short, restored from the indicator's reporting level */
  restoredCodes: Array<{ index: number; line: number; from: string; to: string }>;
}

export interface TemplateRow {
  unitCode: string;
  unitName: string;
  indicatorCode: string;
  indicatorName: string;
  valueKind: string;
}

/**
 * Report files (POST /reports/upload): the file's rows go through ReportService.submit, the
 * submitReports mutation's own path (validation, all or nothing, dry run, idempotency key, writes and
 * audit), with each bad row's file line beside its index. And the template of the rows a unit's
 * subtree is expected to report for a period (GET /reports/template).
 */
export class ReportUploadService {
  static async upload(
    ctx: AuthedContext,
    file: { name: string; bytes: Buffer },
    options: { dryRun: boolean; idempotencyKey: string | null; reason?: string | null },
  ): Promise<UploadSummary> {
    const sheet = await readUploadFile(file.name, file.bytes);
    const header = readHeader(sheet.header.cells, sheet.records);
    if (!("columns" in header)) {
      throw new BadUserInputError(headerMessage(header), "file", {
        line: sheet.header.line,
        missingColumns: header.missing,
        unknownColumns: header.unknown,
        duplicateColumns: header.duplicate,
      });
    }
    const { rows, lines, cellErrors, skipped } = rowsOfRecords(sheet.records, header.columns);
    if (rows.length === 0) {
      throw new BadUserInputError(
        t("report:noFigures", { skipped: skipped.length }),
        "file",
      );
    }
    const restoredCodes = await ReportUploadService.restoreCodes(ctx, rows, lines);
    const withLines = (errors: RowError[]) => errors.map((e) => ({ ...e, line: lines[e.index]! }));
    if (cellErrors.length > 0) {
      // every problem at once: the cells that are no value, and the rules on the rest
      const { errors } = await ReportService.validate(ctx, rows);
      const taken = new Set(cellErrors.map((e) => `${e.index}|${e.field}`));
      const all: Array<(RowError & { line: number }) | CellError> = [...cellErrors, ...withLines(errors).filter((e) => !taken.has(`${e.index}|${e.field}`))];
      all.sort((a, b) => a.index - b.index);
      throw ReportUploadService.invalid(all, rows.length);
    }
    let result;
    try {
      result = await ReportService.submit(ctx, { rows, dryRun: options.dryRun, idempotencyKey: options.idempotencyKey, reason: options.reason ?? null });
    } catch (error) {
      const invalidRows = error instanceof BadUserInputError ? (error.details.invalidRows as RowError[] | undefined) : undefined;
      if (invalidRows) throw ReportUploadService.invalid(withLines(invalidRows), rows.length);
      throw error;
    }
    return {
      file: { name: file.name, format: sheet.format, bytes: file.bytes.length, ...(sheet.delimiter ? { delimiter: sheet.delimiter } : {}) },
      dryRun: result.dryRun,
      replayed: result.replayed,
      received: result.received,
      inserted: result.inserted,
      updated: result.updated,
      unchanged: result.unchanged,
      skippedLines: skipped,
      restoredCodes,
    };
  }

  /** submitReports' refusal (same message and code), each bad row with its file line. */
  private static invalid(errors: Array<{ index: number; line: number }>, received: number): BadUserInputError {
    const badRows = new Set(errors.map((e) => e.index)).size;
    return new BadUserInputError(t("report:invalidRows", { bad: badRows, received }), "rows", { invalidRows: errors });
  }

  /**
   * Puts back the leading zeros a spreadsheet dropped from numeric unit codes, where the indicator's
   * reporting level in the row's period fixes the code's length (commune 5 digits, district 3,
   * province 2). One catalog lookup for the whole file.
   */
  private static async restoreCodes(ctx: AuthedContext, rows: ReportRow[], lines: number[]): Promise<UploadSummary["restoredCodes"]> {
    const short = rows.filter((r) => /^\d{1,4}$/.test(r.unitCode.trim()));
    if (short.length === 0) return [];
    const codes = [...new Set(short.map((r) => r.indicatorCode.trim().toUpperCase()))];
    const found = await ctx.db.query<{ code: string; reportingLevel: string; reportingLevelTwoTier: string }>(
      `SELECT code, reporting_level AS "reportingLevel", reporting_level_two_tier AS "reportingLevelTwoTier"
         FROM indicator WHERE code = ANY ($1::text[])`,
      [codes],
    );
    const levels = new Map(found.map((i) => [i.code, i]));
    const restored: UploadSummary["restoredCodes"] = [];
    rows.forEach((row, index) => {
      const indicator = levels.get(row.indicatorCode.trim().toUpperCase());
      const period = periodOf(row.period);
      if (!indicator || !period) return;
      const from = row.unitCode.trim();
      const to = restoredCode(from, reportingLevelIn(indicator, period));
      if (!to) return;
      row.unitCode = to;
      restored.push({ index, line: lines[index]!, from, to });
    });
    return restored;
  }

  /**
   * The rows a unit's subtree is expected to report for a period: every unit valid for the whole
   * period at each indicator's reporting level, for the indicators of the period's type that a plan
   * of the unit or above it covers (the rows submitReports would accept). The unit must lie in the
   * caller's subtree. At most one upload's worth of rows (narrow by indicator beyond that).
   */
  static async template(ctx: AuthedContext, query: { unitCode: string; period: string; indicatorCode?: string }): Promise<TemplateRow[]> {
    const period = parsePeriod(query.period);
    const code = query.unitCode.trim().toUpperCase();
    const [unit] = await ctx.db.query<{ path: string; name: string; covers: boolean }>(
      `SELECT u.path, u.name, (u.valid_from <= $3::date AND (u.valid_to IS NULL OR u.valid_to > $4::date)) AS covers
         FROM org_unit u WHERE u.code = $2 AND ${inSubtree("u.path", "$1")}
        ORDER BY 3 DESC, u.valid_from DESC LIMIT 1`,
      [ctx.actor.scopePaths, code, period.start, period.end],
    );
    if (!unit) throw new NotFoundError("Unit", code);
    if (!unit.covers) {
      throw new BadUserInputError(t("report:template.notWholePeriod", { code, name: unit.name, period: period.code }), "unitCode");
    }
    const indicatorCode = query.indicatorCode?.trim().toUpperCase() || null;
    if (indicatorCode) {
      const [indicator] = await ctx.db.query<{ periodType: string }>(`SELECT period_type AS "periodType" FROM indicator WHERE code = $1`, [indicatorCode]);
      if (!indicator) throw new NotFoundError("Indicator", indicatorCode);
      if (indicator.periodType !== period.type) {
        throw new BadUserInputError(wrongPeriodType(indicatorCode, indicator.periodType, period.type), "period");
      }
    }
    const rows = await ctx.db.query<TemplateRow>(
      `WITH ind AS (
         SELECT i.id, i.code, i.name_vi, i.value_kind, i.program_id, i.sort_order,
                CASE WHEN $3::date >= $5::date THEN i.reporting_level_two_tier ELSE i.reporting_level END AS level
           FROM indicator i WHERE i.period_type = $4 AND ($6::text IS NULL OR i.code = $6))
       SELECT u.code AS "unitCode", u.name AS "unitName", i.code AS "indicatorCode", i.name_vi AS "indicatorName", i.value_kind AS "valueKind"
         FROM org_unit u JOIN ind i ON i.level = u.level
        WHERE u.path LIKE $1 || '%' AND u.valid_from <= $2::date AND (u.valid_to IS NULL OR u.valid_to > $3::date)
          AND EXISTS (SELECT 1 FROM plan p
                       WHERE p.unit_id = ANY (string_to_array(btrim(u.path, '/'), '/')::int[])
                         AND p.program_id = i.program_id AND p.status <> 'draft'
                         AND p.period_start <= $2::date AND p.period_end >= $3::date)
        ORDER BY u.depth, u.code, i.sort_order, i.code
        LIMIT $7`,
      [unit.path, period.start, period.end, period.type, TWO_TIER_FROM, indicatorCode, MAX_BATCH_ROWS + 1],
    );
    if (rows.length > MAX_BATCH_ROWS) {
      throw new BadUserInputError(
        t("report:template.tooManyRows", { code, period: period.code, max: MAX_BATCH_ROWS }),
        "unitCode",
      );
    }
    return rows;
  }
}

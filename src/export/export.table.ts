import { toCsv, type CsvDialect } from "../common/csv";
import { hasMessage, t } from "../i18n/i18n";
import { currentLanguage } from "../i18n/i18n.language";

/**
 * One language-aware table behind every download: the CSV writer (src/common/csv.ts) and the .xlsx writer
 * (export.xlsx.ts) both write it, so a file's columns, headers and labels never differ between the two.
 *
 * A column's kind says how a spreadsheet should hold it: text (codes keep their leading zeros), a number,
 * a share (a fraction 0..1, shown as a percentage), or a yes/no. Row values are plain: strings, numbers,
 * booleans, null.
 */
export type ColumnKind = "text" | "number" | "share" | "boolean";

export interface ExportColumn {
  /** the column's stable name; its header is the catalog's `export:col.<key>` */
  key: string;
  kind: ColumnKind;
  /** width in characters in the workbook (default: fits the header) */
  width?: number;
}

export interface ExportTable {
  /** the sheet's name (a workbook holds one sheet) */
  title: string;
  columns: readonly ExportColumn[];
  rows: Iterable<readonly unknown[]>;
}

/** Column definitions from a compact list: `["unit_name", "text", 28]`. */
export function columns(list: ReadonlyArray<readonly [string, ColumnKind, number?]>): ExportColumn[] {
  return list.map(([key, kind, width]) => (width === undefined ? { key, kind } : { key, kind, width }));
}

/** The header row in the request's language. */
export function headerOf(table: Pick<ExportTable, "columns">): string[] {
  return table.columns.map((c) => t(`export:col.${c.key}`));
}

/**
 * A status code's label (`export:<family>.<CODE>`) in the request's language; a code the catalog does not
 * know yet (a new enum value) is shown as itself rather than lost.
 */
export function statusLabel(family: "rollupStatus" | "reportingState", code: string): string {
  const key = `export:${family}.${code.toUpperCase()}`;
  return hasMessage(key, currentLanguage()) ? t(key) : code.toUpperCase();
}

/** yes / no (có / không). */
export function yesNo(value: boolean): string {
  return t(value ? "export:yes" : "export:no");
}

/** The table as CSV text (no BOM). */
export function tableCsv(table: ExportTable, dialect?: CsvDialect): string {
  return toCsv(headerOf(table), table.rows, dialect);
}

/**
 * Pure rules of report files (no I/O): what kind of file it is, its header, its cells as numbers and
 * codes, and which codes lost their leading zeros in a spreadsheet. report.upload.read.ts turns the
 * bytes into cells; ReportService then validates the rows exactly as it does submitReports' rows.
 */
import { TWO_TIER_FROM } from "../org-unit/org-unit.reform.rules";
import type { Period } from "../common/period";
import type { CellValue } from "exceljs";
import type { ReportRow } from "./report.rules";
import { t } from "../i18n/i18n";

/** The columns an upload reads; the first three are required, and at least one figure column. */
export const DATA_COLUMNS = ["unit_code", "indicator_code", "period", "value", "numerator", "denominator"] as const;
const REQUIRED = ["unit_code", "indicator_code", "period"];
const FIGURES = ["value", "numerator", "denominator"] as const;
/** Columns of the template that help a person fill it in; an upload accepts and ignores them. */
export const INFO_COLUMNS = ["unit_name", "indicator_name", "expects"] as const;
/** The template's columns, in its order. */
export const TEMPLATE_COLUMNS = ["unit_code", "unit_name", "indicator_code", "indicator_name", "period", "expects", "value", "numerator", "denominator"];

/** Codes of the problems of one cell (the other row codes are report.rules.ts's). */
export type CellErrorCode = "FORMULA_CELL" | "DATE_CELL" | "NOT_A_NUMBER";

/** One cell as read from the file: CSV gives text only, a workbook any of these. */
export type Cell =
  | { kind: "blank" }
  | { kind: "text"; text: string }
  | { kind: "number"; value: number }
  /** a formula (its text), whatever its cached result */
  | { kind: "formula"; text: string }
  /** a date or time (ISO text) */
  | { kind: "date"; text: string }
  /** a boolean or an error value (#N/A…) */
  | { kind: "other"; text: string };

/** A line of the file (CSV: the line its record starts on; workbook: the sheet's row number), 1-based. */
export interface SheetRecord {
  line: number;
  cells: Cell[];
}

export type FileFormat = "csv" | "xlsx";

/** What the first bytes say the file is: a zip (an .xlsx workbook), text (CSV), or why it is neither. */
export function sniffFormat(bytes: Uint8Array, fileName: string): FileFormat | { unsupported: string } {
  const name = fileName.toLowerCase();
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04)) return "xlsx"; // a zip; report.upload.read.ts checks it is a workbook
  if (starts(0xd0, 0xcf, 0x11, 0xe0)) return { unsupported: t("report:file.xls") };
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff)) return { unsupported: t("report:file.utf16") };
  if (starts(0x25, 0x50, 0x44, 0x46)) return { unsupported: t("report:file.pdf") };
  if (name.endsWith(".xlsx") || name.endsWith(".xlsm")) return { unsupported: t("report:file.fakeXlsx") };
  if (bytes.subarray(0, 4096).includes(0)) return { unsupported: t("report:file.binary") };
  return "csv";
}

/** The separator of a CSV file: whichever of `;` and `,` its header line holds more of. */
export function detectDelimiter(firstLine: string): "," | ";" {
  const count = (c: string) => firstLine.split(c).length - 1;
  return count(";") > count(",") ? ";" : ",";
}

export function cellText(cell: Cell): string {
  return cell.kind === "blank" ? "" : cell.kind === "number" ? String(cell.value) : cell.text.trim();
}

const NUMBER_PATTERNS: Array<[RegExp, (t: string) => string]> = [
  [/^\d+$/, (t) => t],
  [/^\d*[.,]\d+$/, (t) => t.replace(",", ".")], // one separator: the decimal point or comma
  [/^\d{1,3}( \d{3})+([.,]\d+)?$/, (t) => t.replace(/ /g, "").replace(",", ".")], // 1 234,5: spaces group thousands
  [/^\d{1,3}(\.\d{3}){2,}$/, (t) => t.replace(/\./g, "")], // 1.234.567 (one dot alone is a decimal point)
  [/^\d{1,3}(,\d{3}){2,}$/, (t) => t.replace(/,/g, "")], // 1,234,567 (one comma alone is a decimal comma)
  [/^\d{1,3}(\.\d{3})+,\d+$/, (t) => t.replace(/\./g, "").replace(",", ".")], // 1.234,5 (Vietnamese)
  [/^\d{1,3}(,\d{3})+\.\d+$/, (t) => t.replace(/,/g, "")], // 1,234.5
  [/^\d+([.,]\d+)?e[+-]?\d+$/i, (t) => t.replace(",", ".")], // 1,5E+11: how spreadsheets save long numbers
];

/**
 * A figure written as text: a decimal point or a decimal comma, thousands grouped by spaces, by dots
 * (with a decimal comma) or by commas (with a decimal point). A lone comma is a decimal comma ("12,5"),
 * a lone dot a decimal point. Empty text is no figure; anything else is not a number.
 */
export function parseNumberText(raw: string): { value: number | null } | { error: string } {
  const text = raw.replace(/[\u00a0\u202f]/g, " ").trim();
  if (text === "") return { value: null };
  const sign = text[0] === "-" ? -1 : 1;
  const body = text.replace(/^[+-]/, "");
  for (const [pattern, normalize] of NUMBER_PATTERNS) {
    if (pattern.test(body)) return { value: sign * Number(normalize(body)) };
  }
  return { error: t("report:cell.notANumber", { text }) };
}

/** A figure cell: its number, none (blank), or the problem with it. */
export function figureOf(cell: Cell): { value: number | null } | { code: CellErrorCode; error: string } {
  switch (cell.kind) {
    case "blank":
      return { value: null };
    case "number":
      return { value: cell.value };
    case "text": {
      const parsed = parseNumberText(cell.text);
      return "error" in parsed ? { code: "NOT_A_NUMBER", error: parsed.error } : parsed;
    }
    case "formula":
      return { code: "FORMULA_CELL", error: t("report:cell.formulaNumber", { text: cell.text }) };
    case "date":
      return { code: "DATE_CELL", error: t("report:cell.dateNumber", { text: cell.text }) };
    case "other":
      return { code: "NOT_A_NUMBER", error: t("report:cell.notANumber", { text: cell.text }) };
  }
}

/** A code or period cell: its text, or the problem with it (a number is fine: 2025, or a code that lost its zero). */
export function textOf(cell: Cell, what: string): { text: string } | { code: CellErrorCode; error: string } {
  switch (cell.kind) {
    case "formula":
      return { code: "FORMULA_CELL", error: t("report:cell.formulaText", { text: cell.text, what }) };
    case "date":
      return { code: "DATE_CELL", error: t("report:cell.dateText", { text: cell.text, what }) };
    default:
      return { text: cellText(cell) };
  }
}

export interface HeaderProblem {
  missing: string[];
  unknown: string[];
  duplicate: string[];
}

/** Column letters as a spreadsheet shows them (0 → A, 26 → AA). */
export function columnLetter(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/**
 * Where each data column is, from the header's names (any order, any case; the template's
 * information columns are ignored), or what is wrong with the header. A column without a name is
 * ignored when it is empty in every record, and unknown otherwise.
 */
export function readHeader(header: Cell[], records: SheetRecord[]): { columns: Map<string, number> } | HeaderProblem {
  const columns = new Map<string, number>();
  const unknown: string[] = [];
  const duplicate: string[] = [];
  header.forEach((cell, i) => {
    const name = cellText(cell).toLowerCase();
    if (name === "") {
      if (records.some((r) => cellText(r.cells[i] ?? { kind: "blank" }) !== "")) unknown.push(t("report:header.noName", { letter: columnLetter(i) }));
    } else if ((DATA_COLUMNS as readonly string[]).includes(name)) {
      if (columns.has(name)) duplicate.push(name);
      else columns.set(name, i);
    } else if (!(INFO_COLUMNS as readonly string[]).includes(name)) unknown.push(name);
  });
  const missing = REQUIRED.filter((c) => !columns.has(c));
  if (!FIGURES.some((c) => columns.has(c))) missing.push(t("report:header.figures"));
  return missing.length || unknown.length || duplicate.length ? { missing, unknown, duplicate } : { columns };
}

/** The header's problem in a sentence. */
export function headerMessage(p: HeaderProblem): string {
  const parts = [
    p.missing.length ? t("report:header.missing", { columns: p.missing.join(", ") }) : "",
    p.unknown.length ? t("report:header.unknown", { columns: p.unknown.join(", ") }) : "",
    p.duplicate.length ? t("report:header.duplicate", { columns: p.duplicate.join(", ") }) : "",
  ].filter(Boolean);
  return t("report:header.wrong", { parts: parts.join("; "), expected: DATA_COLUMNS.join(", "), info: INFO_COLUMNS.join(", ") });
}

/** A problem of one cell, at its row's index in the batch. */
export interface CellError {
  index: number;
  line: number;
  field: keyof ReportRow;
  code: CellErrorCode;
  message: string;
}

export interface SheetRows {
  rows: ReportRow[];
  /** the file line of each row */
  lines: number[];
  cellErrors: CellError[];
  /** lines with codes but no figure at all (a template's unreported rows): left out of the batch */
  skipped: number[];
}

const FIELD_OF: Record<string, keyof ReportRow> = {
  unit_code: "unitCode",
  indicator_code: "indicatorCode",
  period: "period",
  value: "value",
  numerator: "numerator",
  denominator: "denominator",
};

/**
 * The report rows of a sheet's records (after the header). Records with no cell filled are left out
 * silently; records whose figure columns are all empty are left out and listed (`skipped`).
 */
export function rowsOfRecords(records: SheetRecord[], columns: Map<string, number>): SheetRows {
  const out: SheetRows = { rows: [], lines: [], cellErrors: [], skipped: [] };
  const cellAt = (r: SheetRecord, column: string): Cell => {
    const i = columns.get(column);
    return i === undefined ? { kind: "blank" } : (r.cells[i] ?? { kind: "blank" });
  };
  for (const record of records) {
    if (record.cells.every((c) => cellText(c) === "")) continue;
    if (FIGURES.every((f) => cellText(cellAt(record, f)) === "")) {
      out.skipped.push(record.line);
      continue;
    }
    const index = out.rows.length;
    const row: ReportRow = { unitCode: "", indicatorCode: "", period: "", value: null, numerator: null, denominator: null };
    for (const column of DATA_COLUMNS) {
      const field = FIELD_OF[column]!;
      const cell = cellAt(record, column);
      const read = (FIGURES as readonly string[]).includes(column) ? figureOf(cell) : textOf(cell, t(column === "period" ? "report:cell.aPeriod" : "report:cell.aCode"));
      if ("error" in read) out.cellErrors.push({ index, line: record.line, field, code: read.code, message: read.error });
      else (row as unknown as Record<string, unknown>)[field] = "text" in read ? read.text : read.value;
    }
    out.rows.push(row);
    out.lines.push(record.line);
  }
  return out;
}

/** Digits of a GSO code at each level: a code shorter than that lost leading zeros in a spreadsheet. */
export const CODE_LENGTH: Record<string, number> = { province: 2, district: 3, commune: 5 };

/** The level that reports an indicator in a period: the two-tier one for periods ending on or after 1/7/2025. */
export function reportingLevelIn(levels: { reportingLevel: string; reportingLevelTwoTier: string }, period: Period): string {
  return period.end >= TWO_TIER_FROM ? levels.reportingLevelTwoTier : levels.reportingLevel;
}

/** The code with its leading zeros back when the level says how long it is (7192 → 07192 for a commune), else null. */
export function restoredCode(code: string, level: string | undefined): string | null {
  const length = level ? CODE_LENGTH[level] : undefined;
  if (!length || !/^\d+$/.test(code) || code.length >= length) return null;
  return code.padStart(length, "0");
}

/** A workbook cell's value (exceljs) as a Cell. */
export function excelCell(value: CellValue): Cell {
  if (value === null || value === undefined) return { kind: "blank" };
  if (typeof value === "number") return { kind: "number", value };
  if (typeof value === "string") return value.trim() === "" ? { kind: "blank" } : { kind: "text", text: value };
  if (typeof value === "boolean") return { kind: "other", text: value ? "TRUE" : "FALSE" };
  if (value instanceof Date) return { kind: "date", text: value.toISOString().slice(0, 10) };
  if ("formula" in value || "sharedFormula" in value) return { kind: "formula", text: String(value.formula ?? ("sharedFormula" in value ? value.sharedFormula : "")) };
  if ("error" in value) return { kind: "other", text: value.error };
  if ("richText" in value) return excelCell(value.richText.map((r) => r.text).join(""));
  if ("hyperlink" in value) return excelCell(typeof value.text === "string" ? value.text : excelText(value.text));
  return { kind: "other", text: String(value) };
}

const excelText = (text: unknown): string =>
  text && typeof text === "object" && "richText" in text ? (text as { richText: Array<{ text: string }> }).richText.map((r) => r.text).join("") : String(text ?? "");

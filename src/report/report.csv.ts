/**
 * Pure CSV reading of report rows (no I/O): RFC 4180 fields (quotes, doubled quotes, commas and line
 * breaks inside quotes), a header naming the columns in any order:
 *   unit_code,indicator_code,period,value,numerator,denominator
 * Empty cells are absent values; the import then runs the rows through the same rules as the mutation.
 */
import type { ReportRow } from "./report.rules";

export const CSV_COLUMNS = ["unit_code", "indicator_code", "period", "value", "numerator", "denominator"] as const;
const REQUIRED = ["unit_code", "indicator_code", "period"];

/** Splits CSV text into records of fields. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a UTF-8 BOM
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      field = "";
      if (record.length > 1 || record[0] !== "") records.push(record);
      record = [];
    } else field += c;
  }
  record.push(field);
  if (record.length > 1 || record[0] !== "") records.push(record);
  return records;
}

const numberOrNull = (s: string | undefined): number | null => {
  const t = (s ?? "").trim();
  if (t === "") return null;
  return Number(t.replace(/^\+/, ""));
};

/** Report rows from CSV text; throws with a clear message when the header is unusable. */
export function readReportCsv(text: string): ReportRow[] {
  const [header, ...records] = parseCsv(text);
  if (!header) throw new Error("The file is empty: expected a header line " + CSV_COLUMNS.join(","));
  const names = header.map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((r) => !names.includes(r));
  if (missing.length) throw new Error(`The header lacks ${missing.join(", ")}: expected ${CSV_COLUMNS.join(",")}`);
  const unknown = names.filter((n) => !(CSV_COLUMNS as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`Unknown column(s) ${unknown.join(", ")}: expected ${CSV_COLUMNS.join(",")}`);
  const at = (name: string) => names.indexOf(name);
  return records.map((r) => ({
    unitCode: (r[at("unit_code")] ?? "").trim(),
    indicatorCode: (r[at("indicator_code")] ?? "").trim(),
    period: (r[at("period")] ?? "").trim(),
    value: at("value") >= 0 ? numberOrNull(r[at("value")]) : null,
    numerator: at("numerator") >= 0 ? numberOrNull(r[at("numerator")]) : null,
    denominator: at("denominator") >= 0 ? numberOrNull(r[at("denominator")]) : null,
  }));
}

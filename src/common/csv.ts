/**
 * The one CSV writer (RFC 4180, CRLF line ends). Every CSV the API hands out goes through it, so
 * every one is quoted and defused the same way.
 */

/** Prefixed to CSV files so spreadsheet programs read them as UTF-8 (Vietnamese names). */
export const CSV_BOM = "\uFEFF";

/**
 * How fields are separated and numbers written. COMMA is the default (RFC 4180, numbers as JavaScript
 * writes them: 0.0565). SEMICOLON is for spreadsheet programs in a Vietnamese locale, which split fields
 * on ";" and read "0,0565" as a number: its files start with a `sep=;` line that Excel honours.
 */
export interface CsvDialect {
  separator: "," | ";";
  decimalComma: boolean;
}
export const COMMA: CsvDialect = { separator: ",", decimalComma: false };
export const SEMICOLON: CsvDialect = { separator: ";", decimalComma: true };

/**
 * One cell: quoted when needed; text a spreadsheet would run as a formula (= + - @, tab, CR) is
 * defused with a leading apostrophe. Numbers are written as they are, negative ones included
 * (with a decimal comma in the SEMICOLON dialect).
 */
export function csvCell(value: unknown, dialect: CsvDialect = COMMA): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" && dialect.decimalComma) return String(value).replace(".", ",");
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A header line and one line per row (no BOM: files add CSV_BOM, text in a GraphQL answer does not);
 * the SEMICOLON dialect starts with `sep=;`.
 */
export function toCsv(header: readonly string[], rows: Iterable<readonly unknown[]>, dialect: CsvDialect = COMMA): string {
  const lines = dialect.separator === "," ? [] : [`sep=${dialect.separator}`];
  for (const row of [header, ...rows]) lines.push(row.map((value) => csvCell(value, dialect)).join(dialect.separator));
  return lines.join("\r\n") + "\r\n";
}

/**
 * The one CSV writer (RFC 4180, CRLF line ends). Every CSV the API hands out goes through it, so
 * every one is quoted and defused the same way.
 */

/** Prefixed to CSV files so spreadsheet programs read them as UTF-8 (Vietnamese names). */
export const CSV_BOM = "\uFEFF";

/**
 * One cell: quoted when needed; text a spreadsheet would run as a formula (= + - @, tab, CR) is
 * defused with a leading apostrophe. Numbers are written as they are, negative ones included.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line and one line per row (no BOM: files add CSV_BOM, text in a GraphQL answer does not). */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

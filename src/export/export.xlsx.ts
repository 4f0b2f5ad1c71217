import type { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { headerOf, type ExportColumn, type ExportTable } from "./export.table";

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** How a kind of column is shown: codes as text (07192 keeps its zero), shares as percentages. */
const FORMATS: Record<ExportColumn["kind"], string | undefined> = { text: "@", number: undefined, share: "0.0%", boolean: undefined };

/** Characters Excel refuses in a sheet's name; the name has at most 31. */
const sheetName = (title: string) => title.replace(/[[\]:*?/\\]/g, " ").slice(0, 31).trim() || "Sheet1";

/**
 * Writes `table` as a workbook of one sheet to `out`, row by row (exceljs's streaming writer: the rows are
 * never all held as cells): the header row bold and frozen, each column its width and number format,
 * numbers stored as numbers, text as text (a name like "=1+2" stays text: nothing in it is a formula).
 */
export async function writeXlsx(table: ExportTable, out: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName(table.title), { views: [{ state: "frozen", xSplit: 0, ySplit: 1 }] });
  const header = headerOf(table);
  sheet.columns = table.columns.map((c, i) => ({ key: c.key, width: c.width ?? Math.max(10, header[i]!.length + 2) }));
  const head = sheet.addRow(header);
  head.font = { bold: true };
  head.commit();
  const formats = table.columns.map((c) => FORMATS[c.kind]);
  for (const values of table.rows) {
    const row = sheet.addRow(values.map((v) => (v === undefined ? null : v)));
    formats.forEach((numFmt, i) => {
      if (numFmt) row.getCell(i + 1).numFmt = numFmt;
    });
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
}

/**
 * The report template as a file: the columns an upload reads, with the unit's and indicator's names and
 * what each row expects, one row per unit and indicator, figures left empty to fill in. In the
 * workbook, codes and periods are text cells, so a spreadsheet keeps 07192's leading zero.
 */
import ExcelJS from "exceljs";
import { toCsv } from "../common/csv";
import { hasMessage, t } from "../i18n/i18n";
import { currentLanguage } from "../i18n/i18n.language";
import type { TemplateRow } from "./report.upload.service";
import { TEMPLATE_COLUMNS } from "./report.upload.rules";

/** What a row of the value kind expects, in the request's language. */
const expects = (valueKind: string) => (hasMessage(`report:expects.${valueKind}`, currentLanguage()) ? t(`report:expects.${valueKind}`) : valueKind);

function cells(row: TemplateRow, period: string): Array<string | null> {
  return [row.unitCode, row.unitName, row.indicatorCode, row.indicatorName, period, expects(row.valueKind), null, null, null];
}

export function templateCsv(rows: TemplateRow[], period: string): string {
  return toCsv(TEMPLATE_COLUMNS, rows.map((r) => cells(r, period)));
}

const WIDTHS: Record<string, number> = { unit_name: 28, indicator_code: 30, indicator_name: 60, expects: 36 };

export async function templateXlsx(rows: TemplateRow[], period: string, sheetName: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = TEMPLATE_COLUMNS.map((name) => ({
    header: name,
    key: name,
    width: WIDTHS[name] ?? 12,
    // text cells: typing 07192 or 2025 into them stays text
    style: ["unit_code", "indicator_code", "period"].includes(name) ? { numFmt: "@" } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(cells(row, period));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

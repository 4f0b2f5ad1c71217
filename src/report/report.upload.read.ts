/**
 * A report file's bytes as records of cells: CSV (UTF-8, with or without BOM, `,` or `;`) through
 * csv-parse, .xlsx (its first sheet) through exceljs, after yauzl has checked what the zip unpacks to
 * (a small file must not inflate into gigabytes in the server's memory).
 */
import { parse as parseCsv, CsvError } from "csv-parse/sync";
import ExcelJS from "exceljs";
import yauzl from "yauzl";
import { BadUserInputError, PayloadTooLargeError, UnsupportedFileError } from "../common/errors";
import { t } from "../i18n/i18n";
import { MAX_BATCH_ROWS } from "./report.types";
import { cellText, detectDelimiter, excelCell, sniffFormat, type Cell, type FileFormat, type SheetRecord } from "./report.upload.rules";

const MiB = 1024 * 1024;

/** Bounds of one upload (README "Uploading report files"). */
export const UPLOAD_LIMITS = {
  /** the file as sent: a 10,000-row CSV is about 0.5 MB, the same as .xlsx about 0.3 MB */
  fileBytes: 5 * MiB,
  /** what an .xlsx may unpack to (its XML); a 10,000-row sheet is about 4 MB */
  unpackedBytes: 40 * MiB,
  /** rows with content after the header: as many as one submitReports batch takes */
  rows: MAX_BATCH_ROWS,
};

export interface Sheet {
  format: FileFormat;
  /** CSV only */
  delimiter?: "," | ";";
  header: SheetRecord;
  records: SheetRecord[];
}

const hasContent = (cells: Cell[]) => cells.some((c) => cellText(c) !== "");

/** The header (the first record with content) and the records after it; refuses too many rows. */
function split(format: FileFormat, all: SheetRecord[], delimiter?: "," | ";"): Sheet {
  const at = all.findIndex((r) => hasContent(r.cells));
  if (at < 0) throw new BadUserInputError(t("report:file.noHeader"), "file");
  const records = all.slice(at + 1);
  const rows = records.filter((r) => hasContent(r.cells)).length;
  if (rows > UPLOAD_LIMITS.rows) {
    throw new PayloadTooLargeError(t("report:file.tooManyRows", { rows, limit: UPLOAD_LIMITS.rows }), { limit: UPLOAD_LIMITS.rows, rows });
  }
  return { format, delimiter, header: all[at]!, records };
}

function readCsv(bytes: Buffer): Sheet {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes); // drops a BOM
  } catch {
    throw new UnsupportedFileError(t("report:file.notUtf8"));
  }
  const firstLine = text.split(/\r\n|\n|\r/).find((l) => l.trim() !== "") ?? "";
  const delimiter = detectDelimiter(firstLine);
  let parsed: Array<{ record: string[]; info: { lines: number } }>;
  try {
    parsed = parseCsv(text, { delimiter, info: true, record_delimiter: ["\r\n", "\n", "\r"], relax_column_count: true, bom: true }) as unknown as typeof parsed;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    throw new BadUserInputError(t("report:file.csvUnreadable", { line, detail: error.message.replace(/^[^:]*: /, "") }), "file", { line });
  }
  // csv-parse counts the line a record ends on; it starts on the line after the previous record's end
  let previousEnd = 0;
  const records = parsed.map(({ record, info }) => {
    const line = previousEnd + 1;
    previousEnd = info.lines;
    return { line, cells: record.map((text): Cell => (text.trim() === "" ? { kind: "blank" } : { kind: "text", text })) };
  });
  return split("csv", records, delimiter);
}

/** Refuses a zip that unpacks to more than the limit, reading every entry (sizes in its directory can lie). */
async function checkUnpackedSize(bytes: Buffer): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (error, file) => (error ? reject(error) : resolve(file))),
  );
  let total = 0;
  const tooLarge = () =>
    new PayloadTooLargeError(t("report:file.unpacksTooLarge", { mb: UPLOAD_LIMITS.unpackedBytes / MiB }), {
      limit: UPLOAD_LIMITS.unpackedBytes,
    });
  await new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => {
      zip.close();
      reject(error);
    };
    zip.on("error", fail);
    zip.on("end", () => resolve());
    zip.on("entry", (entry: yauzl.Entry) => {
      if (total + entry.uncompressedSize > UPLOAD_LIMITS.unpackedBytes) return fail(tooLarge());
      zip.openReadStream(entry, (error, stream) => {
        if (error) return fail(error);
        stream.on("data", (chunk: Buffer) => {
          total += chunk.length;
          if (total > UPLOAD_LIMITS.unpackedBytes) {
            stream.destroy();
            fail(tooLarge());
          }
        });
        stream.on("error", fail);
        stream.on("end", () => zip.readEntry());
      });
    });
    zip.readEntry();
  });
}

async function readXlsx(bytes: Buffer): Promise<Sheet> {
  const notAWorkbook = () => new UnsupportedFileError(t("report:file.zipNotXlsx"));
  try {
    await checkUnpackedSize(bytes);
  } catch (error) {
    if (error instanceof PayloadTooLargeError) throw error;
    throw notAWorkbook();
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw notAWorkbook();
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw notAWorkbook();
  if (sheet.actualRowCount > UPLOAD_LIMITS.rows + 1) {
    const rows = sheet.actualRowCount - 1;
    throw new PayloadTooLargeError(t("report:file.sheetTooManyRows", { rows, limit: UPLOAD_LIMITS.rows }), { limit: UPLOAD_LIMITS.rows, rows });
  }
  const records: SheetRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: Cell[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(excelCell(row.getCell(c).value));
    records.push({ line, cells });
  });
  return split("xlsx", records);
}

/** The file's records, or a coded refusal: empty, not CSV/.xlsx, unreadable, too large. */
export async function readUploadFile(fileName: string, bytes: Buffer): Promise<Sheet> {
  if (bytes.length === 0) throw new BadUserInputError(t("report:file.empty"), "file");
  const format = sniffFormat(bytes, fileName);
  if (typeof format !== "string") throw new UnsupportedFileError(format.unsupported);
  return format === "xlsx" ? readXlsx(bytes) : readCsv(bytes);
}

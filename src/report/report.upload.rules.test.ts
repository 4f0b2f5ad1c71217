import { parsePeriod } from "../common/period";
import {
  columnLetter,
  detectDelimiter,
  excelCell,
  figureOf,
  headerMessage,
  parseNumberText,
  readHeader,
  reportingLevelIn,
  restoredCode,
  rowsOfRecords,
  sniffFormat,
  textOf,
  type Cell,
  type SheetRecord,
} from "./report.upload.rules";

const text = (t: string): Cell => ({ kind: "text", text: t });
const blank: Cell = { kind: "blank" };
const header = (...names: string[]) => names.map(text);

describe("sniffFormat", () => {
  const bytes = (...b: number[]) => Uint8Array.from(b);
  it.each([
    ["a zip (xlsx)", bytes(0x50, 0x4b, 0x03, 0x04, 1, 2), "r.xlsx", "xlsx"],
    ["text", Buffer.from("unit_code,period\n"), "r.csv", "csv"],
    ["text with a BOM", Buffer.from("\ufeffunit_code;period\n"), "r.txt", "csv"],
    ["an old .xls", bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1), "r.xls", /Excel 97-2003/],
    ["UTF-16 text", bytes(0xff, 0xfe, 0x75, 0), "r.csv", /UTF-16/],
    ["a PDF", Buffer.from("%PDF-1.7"), "r.pdf", /PDF/],
    ["text named .xlsx", Buffer.from("unit_code\n"), "r.xlsx", /named .xlsx but is not a workbook/],
    ["a PNG", bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d), "r.png", /binary/],
  ])("%s", (_name, input, fileName, expected) => {
    const got = sniffFormat(input, fileName);
    if (typeof expected === "string") expect(got).toBe(expected);
    else expect((got as { unsupported: string }).unsupported).toMatch(expected);
  });
});

describe("detectDelimiter", () => {
  it.each([
    ["unit_code,indicator_code,period,value", ","],
    ["unit_code;indicator_code;period;value", ";"],
    ["unit_code", ","],
    ['"unit_code";"a,b";period', ";"],
  ])("%s → %s", (line, expected) => expect(detectDelimiter(line)).toBe(expected));
});

describe("parseNumberText", () => {
  it.each([
    ["12", 12],
    ["  12 ", 12],
    ["+3", 3],
    ["-4", -4], // a number: report.rules refuses it as NEGATIVE_VALUE
    ["12,5", 12.5],
    ["12.5", 12.5],
    [",5", 0.5],
    ["1.234", 1.234], // one dot: a decimal point
    ["1,234", 1.234], // one comma: a decimal comma
    ["1.234.567", 1234567],
    ["1,234,567", 1234567],
    ["1.234,5", 1234.5],
    ["1,234.5", 1234.5],
    ["1 234", 1234],
    ["1\u00a0234,5", 1234.5],
    ["1,5E+11", 150000000000],
    ["2E3", 2000],
    ["", null],
    ["   ", null],
  ])("%s → %s", (input, expected) => expect(parseNumberText(input)).toEqual({ value: expected }));

  it.each(["abc", "12a", "1,2,3", "1.2.3,4,5", "1 2", "12%", "1..2", "--1", "0x10", "Infinity"])("%s is not a number", (input) => {
    expect(parseNumberText(input)).toEqual({ error: `"${input.trim()}" is not a number.` });
  });
});

describe("cells", () => {
  it.each<[string, Cell, object]>([
    ["a number", { kind: "number", value: 3 }, { value: 3 }],
    ["a blank", blank, { value: null }],
    ["a decimal comma", text("0,75"), { value: 0.75 }],
    ["text", text("yes"), { code: "NOT_A_NUMBER" }],
    ["a formula", { kind: "formula", text: "B2/C2" }, { code: "FORMULA_CELL" }],
    ["a date", { kind: "date", text: "2025-03-01" }, { code: "DATE_CELL" }],
    ["a boolean", { kind: "other", text: "TRUE" }, { code: "NOT_A_NUMBER" }],
  ])("a figure cell holding %s", (_name, cell, expected) => expect(figureOf(cell)).toMatchObject(expected));

  it.each<[string, Cell, object]>([
    ["text", text(" 07192 "), { text: "07192" }],
    ["a number (a code that lost its zero, a year)", { kind: "number", value: 7192 }, { text: "7192" }],
    ["a formula", { kind: "formula", text: "A1" }, { code: "FORMULA_CELL" }],
    ["a date", { kind: "date", text: "2025-01-01" }, { code: "DATE_CELL" }],
  ])("a code cell holding %s", (_name, cell, expected) => expect(textOf(cell, "a code")).toMatchObject(expected));

  it.each<[string, unknown, Cell]>([
    ["null", null, blank],
    ["an empty string", "  ", blank],
    ["a number", 4, { kind: "number", value: 4 }],
    ["a string", "07192", text("07192")],
    ["a date", new Date(Date.UTC(2025, 2, 1)), { kind: "date", text: "2025-03-01" }],
    ["a formula with its result", { formula: "SUM(A1:A2)", result: 3 }, { kind: "formula", text: "SUM(A1:A2)" }],
    ["a shared formula", { sharedFormula: "G2", result: 1 }, { kind: "formula", text: "G2" }],
    ["rich text", { richText: [{ text: "0719" }, { text: "2" }] }, text("07192")],
    ["a hyperlink", { text: "22", hyperlink: "http://x" }, text("22")],
    ["an error value", { error: "#DIV/0!" }, { kind: "other", text: "#DIV/0!" }],
    ["a boolean", true, { kind: "other", text: "TRUE" }],
  ])("a workbook cell holding %s", (_name, value, expected) => expect(excelCell(value as never)).toEqual(expected));
});

describe("readHeader", () => {
  const row = (line: number, ...cells: Cell[]): SheetRecord => ({ line, cells });
  it("finds the columns in any order and case, ignoring the template's information columns", () => {
    const got = readHeader(header("Period", "unit_code", "unit_name", "INDICATOR_CODE", "expects", "value"), []);
    expect(got).toEqual({ columns: new Map([["period", 0], ["unit_code", 1], ["indicator_code", 3], ["value", 5]]) });
  });

  it.each<[string, Cell[], SheetRecord[], object]>([
    ["missing codes", header("unit", "period", "value"), [], { missing: ["unit_code", "indicator_code"], unknown: ["unit"] }],
    ["no figure column", header("unit_code", "indicator_code", "period"), [], { missing: ["value (or numerator and denominator)"] }],
    ["a column twice", header("unit_code", "indicator_code", "period", "value", "Value"), [], { duplicate: ["value"] }],
    [
      "an unnamed column with data",
      [...header("unit_code", "indicator_code", "period", "value"), blank],
      [row(2, text("07192"), text("X"), text("2025-Q1"), text("1"), text("note"))],
      { missing: [], unknown: ["column E (no name)"] },
    ],
  ])("refuses %s", (_name, cells, records, expected) => expect(readHeader(cells, records)).toMatchObject(expected));

  it("ignores an unnamed column that is empty throughout", () => {
    const cells = [...header("unit_code", "indicator_code", "period", "value"), blank];
    expect(readHeader(cells, [{ line: 2, cells: [text("1"), text("X"), text("2025"), text("1"), blank] }])).toHaveProperty("columns");
  });

  it("says which columns are missing and which are unknown", () => {
    expect(headerMessage({ missing: ["unit_code"], unknown: ["don_vi"], duplicate: [] })).toMatch(/missing: unit_code; unknown: don_vi\)/);
  });

  it.each([
    [0, "A"],
    [25, "Z"],
    [26, "AA"],
    [701, "ZZ"],
  ])("column %i is %s", (index, letters) => expect(columnLetter(index)).toBe(letters));
});

describe("rowsOfRecords", () => {
  const columns = new Map([["unit_code", 0], ["indicator_code", 1], ["period", 2], ["value", 3], ["numerator", 4], ["denominator", 5]]);
  const rec = (line: number, ...cells: Cell[]): SheetRecord => ({ line, cells });
  it("reads rows with their lines, leaves out blank lines, and lists lines without figures", () => {
    const got = rowsOfRecords(
      [
        rec(2, text("07192"), text("AWR_COMMUNE_ACTIVITY"), text("2025-Q1"), text("1")),
        rec(3),
        rec(4, text("07195"), text("AWR_COMMUNE_ACTIVITY"), text("2025-Q1"), blank, blank, blank),
        rec(5, { kind: "number", value: 7198 }, text("AWR_RISKY_WORKERS_INFORMED"), text("2025-Q1"), blank, text("8,5"), text("10")),
      ],
      columns,
    );
    expect(got).toEqual({
      rows: [
        { unitCode: "07192", indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2025-Q1", value: 1, numerator: null, denominator: null },
        { unitCode: "7198", indicatorCode: "AWR_RISKY_WORKERS_INFORMED", period: "2025-Q1", value: null, numerator: 8.5, denominator: 10 },
      ],
      lines: [2, 5],
      cellErrors: [],
      skipped: [4],
    });
  });

  it("names each bad cell with its row's index and line", () => {
    const got = rowsOfRecords(
      [
        rec(2, text("07192"), text("X"), text("2025-Q1"), text("1")),
        rec(3, { kind: "formula", text: "A2" }, text("X"), { kind: "date", text: "2025-01-01" }, text("abc")),
      ],
      columns,
    );
    expect(got.cellErrors.map((e) => [e.index, e.line, e.field, e.code])).toEqual([
      [1, 3, "unitCode", "FORMULA_CELL"],
      [1, 3, "period", "DATE_CELL"],
      [1, 3, "value", "NOT_A_NUMBER"],
    ]);
  });
});

describe("restoring leading zeros", () => {
  it.each([
    ["7192", "commune", "07192"],
    ["192", "commune", "00192"],
    ["1", "province", "01"],
    ["93", "district", "093"],
    ["07192", "commune", null],
    ["22", "province", null],
    ["7192", "province", null], // longer than a province code: left for validation to refuse
    ["A12", "commune", null],
    ["7192", undefined, null], // unknown indicator: the length is not certain
  ])("%s at level %s → %s", (code, level, expected) => expect(restoredCode(code, level)).toBe(expected));

  it("takes the reporting level of the tree of the period (two-tier from 1/7/2025)", () => {
    const levels = { reportingLevel: "district", reportingLevelTwoTier: "commune" };
    expect(reportingLevelIn(levels, parsePeriod("2025-Q2"))).toBe("district");
    expect(reportingLevelIn(levels, parsePeriod("2025-Q3"))).toBe("commune");
    expect(reportingLevelIn(levels, parsePeriod("2025"))).toBe("commune");
  });
});

import ExcelJS from "exceljs";
import { Role } from "../src/auth/auth.types";
import { startHarness, type Harness } from "./support/harness";
import { parseCsv } from "./support/csv";

/**
 * The downloads as workbooks (.xlsx) and as CSV for a Vietnamese-locale spreadsheet (`?locale=vi`), over HTTP,
 * read back cell by cell: headers in the request's language, Vietnamese intact, numbers as numbers, shares as
 * percentages, one sheet, a frozen header row, column widths; errors as the CSV routes answer them.
 */
let h: Harness;
let base: string;
const ACTIVITY = "AWR_COMMUNE_ACTIVITY";
beforeAll(async () => {
  h = await startHarness();
  base = `http://127.0.0.1:${await h.server.listen(0)}`;
  // a province whose name a spreadsheet would evaluate (this file's own copy of the database)
  await h.dataSource.query(`UPDATE org_unit SET name = '=1+2' WHERE code = '12' AND valid_to IS NULL`);
  // three communes' reports judge and rank Quảng Ninh here (the minimum completeness has its own tests)
  await h.dataSource.query(`UPDATE indicator SET min_completeness = 0`);
  // three Quảng Ninh communes of the 2024 tree report every quarter of 2024, so values and shares show up
  const communes: Array<{ code: string }> = await h.dataSource.query(
    `SELECT c.code FROM org_unit c JOIN org_unit p ON p.id = c.province_id
      WHERE p.code = '22' AND c.level = 'commune' AND c.valid_from <= '2024-01-01' AND (c.valid_to IS NULL OR c.valid_to > '2024-12-31')
      ORDER BY c.code LIMIT 3`,
  );
  const rows = communes.flatMap((c) => ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"].map((period) => ({ unitCode: c.code, indicatorCode: ACTIVITY, period, value: 1 })));
  const r = await h.gql(`mutation($input: SubmitReportsInput!) { submitReports(input: $input) { inserted } }`, { input: { rows } }, h.token("22"));
  expect(r.errors).toBeUndefined();
});
afterAll(() => h.close());

const viewer = () => h.token("22", [Role.VIEWER]);
const ministry = () => h.token("VN", [Role.VIEWER]);

async function get(path: string, token: string | null, language: "vi" | "en" = "en") {
  const headers: Record<string, string> = { "accept-language": language };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${base}${path}`, { headers });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes, text: bytes.toString("utf8") };
}

async function workbook(path: string, token: string, language: "vi" | "en") {
  const answer = await get(path, token, language);
  expect(answer.status).toBe(200);
  expect(answer.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(answer.bytes as unknown as ArrayBuffer);
  expect(book.worksheets).toHaveLength(1);
  const sheet = book.worksheets[0]!;
  const header = (sheet.getRow(1).values as unknown[]).slice(1);
  const rows: ExcelJS.Row[] = [];
  sheet.eachRow((row, n) => n > 1 && rows.push(row));
  /** The cell of `row` under the header `name`. */
  const cell = (row: ExcelJS.Row, name: string) => {
    const index = header.indexOf(name);
    expect(index).toBeGreaterThanOrEqual(0);
    return row.getCell(index + 1);
  };
  return { answer, sheet, header, rows, cell };
}

/** What a test checks of a cell (a whole exceljs Cell is a cyclic graph that jest's diff would copy without end). */
const shape = (c: ExcelJS.Cell) => ({ type: c.type, value: c.value, numFmt: c.numFmt, text: c.text });


/** Every cell of the sheet as the CSV writes it (text defused of formulas, booleans as true/false, empty for none). */
function asCsvText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return "";
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(v)) return `'${v}`;
  return String(v);
}

function expectFrozenHeaderAndWidths(sheet: ExcelJS.Worksheet, columns: number) {
  expect(sheet.views).toHaveLength(1);
  expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
  expect(sheet.getRow(1).font).toMatchObject({ bold: true });
  for (let i = 1; i <= columns; i++) expect(sheet.getColumn(i).width).toBeGreaterThanOrEqual(10);
}

const ROLLUP_HEADER_EN = [
  "period", "unit_code", "unit_name", "unit_level", "role", "indicator_code", "indicator_name_vi", "value", "numerator", "denominator",
  "units_reported", "units_expected", "completeness", "target", "target_inherited", "target_source_plan", "target_source_unit", "status",
  "status_text", "required", "measured", "gap", "rank", "restated_from", "restated_exact", "left_out", "tree_parts",
];

describe("GET /xlsx/rollup", () => {
  it("one sheet, its header in Vietnamese, Vietnamese intact, numbers as numbers, completeness as a percentage, frozen header, widths", async () => {
    const { answer, sheet, header, rows, cell } = await workbook("/xlsx/rollup?unit=22&period=2024", viewer(), "vi");
    expect(answer.headers.get("content-disposition")).toBe('attachment; filename="rollup-22-2024.xlsx"');
    expect(sheet.name).toBe("Tổng hợp 22 2024");
    expect(header).toHaveLength(ROLLUP_HEADER_EN.length);
    expect(header.slice(0, 7)).toEqual(["Kỳ báo cáo", "Mã đơn vị", "Tên đơn vị", "Cấp đơn vị", "Vai trò", "Mã chỉ tiêu", "Tên chỉ tiêu"]);
    for (const name of ["Số đơn vị đã báo cáo", "Tỷ lệ đơn vị đã báo cáo", "Mã trạng thái", "Trạng thái", "Mục tiêu"]) expect(header).toContain(name);
    expectFrozenHeaderAndWidths(sheet, header.length);
    expect(sheet.getColumn(header.indexOf("Tên chỉ tiêu") + 1).width).toBe(60);

    const own = rows.find((r) => cell(r, "Vai trò").value === "unit" && cell(r, "Mã chỉ tiêu").value === ACTIVITY)!;
    expect(cell(own, "Tên đơn vị").value).toBe("Tỉnh Quảng Ninh");
    expect(cell(own, "Tên chỉ tiêu").value).toEqual(expect.stringContaining("Tỷ lệ xã, phường, thị trấn"));
    expect(shape(cell(own, "Mã đơn vị"))).toMatchObject({ value: "22", type: ExcelJS.ValueType.String });
    expect(shape(cell(own, "Kỳ báo cáo"))).toMatchObject({ value: "2024", type: ExcelJS.ValueType.String });
    expect(shape(cell(own, "Số đơn vị đã báo cáo"))).toMatchObject({ value: 3, type: ExcelJS.ValueType.Number });
    const expected = cell(own, "Số đơn vị phải báo cáo").value as number;
    expect(expected).toBeGreaterThan(100);
    const completeness = cell(own, "Tỷ lệ đơn vị đã báo cáo");
    expect(completeness.type).toBe(ExcelJS.ValueType.Number);
    expect(completeness.value).toBeCloseTo(3 / expected, 3);
    expect(completeness.numFmt).toBe("0.0%");
    expect(cell(own, "Giá trị").type).toBe(ExcelJS.ValueType.Number);
    expect(cell(own, "Giá trị").numFmt).toBeUndefined();
    expect(cell(own, "Mã trạng thái").value).toBe("NOT_MET");
    expect(cell(own, "Trạng thái").value).toBe("Chưa đạt");
    expect(cell(own, "Mục tiêu").value).toBe("≥ 75%");
    expect(rows.filter((r) => cell(r, "Vai trò").value === "child").map((r) => cell(r, "Tên đơn vị").value)).toContain("Thành phố Hạ Long");
    // every label a person reads is Vietnamese
    const labels = new Set(rows.map((r) => cell(r, "Trạng thái").value));
    const vietnamese = ["Đạt", "Chưa đạt", "Chưa có số liệu", "Chưa có mục tiêu", "Chưa đủ số liệu để đánh giá", "Không thuộc diện báo cáo"];
    for (const label of labels) expect(vietnamese).toContain(label);
  });

  it("in English: the CSV's headers, the same cells as the CSV, English status labels", async () => {
    const { sheet, header, rows, cell } = await workbook("/xlsx/rollup?unit=22&period=2024", viewer(), "en");
    expect(sheet.name).toBe("Roll-up 22 2024");
    expect(header).toEqual(ROLLUP_HEADER_EN);
    const csv = parseCsv((await get("/csv/rollup?unit=22&period=2024", viewer(), "en")).text.slice(1));
    expect(csv[0]).toEqual(header);
    expect(rows).toHaveLength(csv.length - 1);
    rows.forEach((row, k) => expect(header.map((_, i) => asCsvText(row.getCell(i + 1)))).toEqual(csv[k + 1]));
    const own = rows.find((r) => cell(r, "role").value === "unit" && cell(r, "indicator_code").value === ACTIVITY)!;
    expect(cell(own, "status_text").value).toBe("Not met");
  });
});

describe("GET /xlsx/national-comparison", () => {
  it("the nation and every province, as the CSV has them; a name that looks like a formula stays text", async () => {
    const { answer, sheet, header, rows, cell } = await workbook("/xlsx/national-comparison?period=2024", ministry(), "vi");
    expect(answer.headers.get("content-disposition")).toBe('attachment; filename="national-comparison-2024.xlsx"');
    expect(sheet.name).toBe("So sánh toàn quốc 2024");
    expectFrozenHeaderAndWidths(sheet, header.length);
    const csv = parseCsv((await get("/csv/national-comparison?period=2024", ministry(), "vi")).text.slice(1));
    expect(csv[0]).toEqual(header);
    expect(rows).toHaveLength(csv.length - 1);
    rows.forEach((row, k) => expect(header.map((_, i) => asCsvText(row.getCell(i + 1)))).toEqual(csv[k + 1]));

    const laiChau = rows.find((r) => cell(r, "Mã đơn vị").value === "12")!;
    expect(shape(cell(laiChau, "Tên đơn vị"))).toMatchObject({ type: ExcelJS.ValueType.String, value: "=1+2" });
    const qn = rows.find((r) => cell(r, "Tên đơn vị").value === "Tỉnh Quảng Ninh" && cell(r, "Mã chỉ tiêu").value === ACTIVITY)!;
    expect(shape(cell(qn, "Xếp hạng"))).toMatchObject({ type: ExcelJS.ValueType.Number, value: 1 });
    expect(shape(cell(qn, "Tỷ lệ đơn vị đã báo cáo"))).toMatchObject({ type: ExcelJS.ValueType.Number, numFmt: "0.0%" });
    expect(shape(cell(qn, "Mục tiêu kế thừa từ kế hoạch cấp trên"))).toMatchObject({ type: ExcelJS.ValueType.Boolean, value: false });
    expect(rows.map((r) => cell(r, "Tên đơn vị").value)).toContain("Tỉnh Kiên Giang");
  });
});

describe("GET /xlsx/reporting-status", () => {
  it("one line per indicator and unit expected, status codes beside labels in the request's language", async () => {
    const path = `/xlsx/reporting-status?unit=22&period=2024-Q2&indicators=${ACTIVITY}`;
    const vi = await workbook(path, viewer(), "vi");
    expect(vi.answer.headers.get("content-disposition")).toBe('attachment; filename="reporting-status-22-2024-Q2.xlsx"');
    expect(vi.sheet.name).toBe("Tình hình báo cáo 22 2024-Q2");
    expect(vi.header).toEqual([
      "Kỳ báo cáo", "Mã chỉ tiêu", "Tên chỉ tiêu", "Mã đơn vị", "Tên đơn vị", "Cấp đơn vị", "Mã đơn vị cấp trên", "Tên đơn vị cấp trên",
      "Đã báo cáo", "Thời điểm báo cáo", "Mã trạng thái", "Trạng thái", "Báo cáo muộn", "Quá hạn chưa báo cáo", "Hạn báo cáo",
      "Lần báo cáo gần nhất của đơn vị",
    ]);
    expectFrozenHeaderAndWidths(vi.sheet, vi.header.length);
    expect(vi.rows).toHaveLength(177);
    const labels: Record<string, string> = { REPORTED: "Đã báo cáo", LATE: "Báo cáo muộn", MISSING: "Quá hạn chưa báo cáo", PENDING: "Chưa báo cáo, chưa đến hạn" };
    for (const row of vi.rows) {
      expect(vi.cell(row, "Trạng thái").value).toBe(labels[vi.cell(row, "Mã trạng thái").value as string]);
      expect(["có", "không"]).toContain(vi.cell(row, "Đã báo cáo").value);
    }
    const reported = vi.rows.filter((r) => vi.cell(r, "Đã báo cáo").value === "có");
    expect(reported).toHaveLength(3);
    expect(vi.cell(reported[0]!, "Thời điểm báo cáo").value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
    expect(vi.rows.map((r) => vi.cell(r, "Tên đơn vị cấp trên").value)).toContain("Thành phố Hạ Long");

    const en = await workbook(path, viewer(), "en");
    expect(en.sheet.name).toBe("Reporting status 22 2024-Q2");
    const csv = parseCsv((await get(`/csv/reporting-status?unit=22&period=2024-Q2&indicators=${ACTIVITY}`, viewer(), "en")).text.slice(1));
    expect(csv[0]).toEqual(en.header);
    en.rows.forEach((row, k) => expect(en.header.map((_, i) => asCsvText(row.getCell(i + 1)))).toEqual(csv[k + 1]));
    expect(new Set(en.rows.map((r) => en.cell(r, "reported").value))).toEqual(new Set(["yes", "no"]));
  });
});

describe("CSV for a Vietnamese-locale spreadsheet (?locale=vi)", () => {
  it("the default stays: UTF-8 with BOM, commas, decimal points, no sep line", async () => {
    const { bytes, text } = await get("/csv/rollup?unit=22&period=2024", viewer(), "en");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.slice(1).startsWith("period,unit_code,unit_name,")).toBe(true);
    expect(text).not.toContain("sep=");
  });

  it("roll-up: BOM, a sep=; line, semicolons, decimal commas; the same cells otherwise", async () => {
    const semicolons = await get("/csv/rollup?unit=22&period=2024&locale=vi", viewer(), "vi");
    expect(semicolons.status).toBe(200);
    expect(semicolons.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(semicolons.headers.get("content-disposition")).toBe('attachment; filename="rollup-22-2024.csv"');
    expect([...semicolons.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(semicolons.text.slice(1).split("\r\n")[0]).toBe("sep=;");
    const [header, ...lines] = parseCsv(semicolons.text.slice(1), ";").slice(1);
    expect(header!.slice(0, 3)).toEqual(["Kỳ báo cáo", "Mã đơn vị", "Tên đơn vị"]);
    const commas = parseCsv((await get("/csv/rollup?unit=22&period=2024", viewer(), "vi")).text.slice(1)).slice(1);
    expect(lines).toHaveLength(commas.length);
    const numeric = /^-?\d+\.\d+$/;
    lines.forEach((line, k) => expect(line).toEqual(commas[k]!.map((f) => (numeric.test(f) ? f.replace(".", ",") : f))));
    const own = lines.find((l) => l[4] === "unit" && l[5] === ACTIVITY)!;
    expect(own[header!.indexOf("Tỷ lệ đơn vị đã báo cáo")]).toMatch(/^0,\d+$/);
    expect(own[header!.indexOf("Tên đơn vị")]).toBe("Tỉnh Quảng Ninh");
    expect(lines.flat().some((f) => numeric.test(f))).toBe(false);
    expect(lines.flat().filter((f) => /^-?\d+,\d+$/.test(f)).length).toBeGreaterThan(0);
  });

  it("national comparison and reporting status too", async () => {
    const national = await get("/csv/national-comparison?period=2024&locale=vi", ministry(), "en");
    expect(national.status).toBe(200);
    expect(national.text.startsWith("\uFEFFsep=;\r\n")).toBe(true);
    const rows = parseCsv(national.text.slice(1), ";").slice(1);
    expect(rows[0]).toEqual(ROLLUP_HEADER_EN);
    const qn = rows.find((l) => l[1] === "22" && l[5] === ACTIVITY)!;
    expect(qn[12]).toMatch(/^0,\d+$/);
    expect(qn[2]).toBe("Tỉnh Quảng Ninh");
    // the formula-looking name is defused here too
    expect(rows.find((l) => l[1] === "12")![2]).toBe("'=1+2");

    const status = await get(`/csv/reporting-status?unit=22&period=2024-Q2&indicators=${ACTIVITY}&locale=vi`, viewer(), "vi");
    expect(status.status).toBe(200);
    expect([...status.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(status.text.slice(1).split("\r\n")[0]).toBe("sep=;");
    const lines = parseCsv(status.text.slice(1), ";").slice(1);
    expect(lines[0]!.slice(9, 12)).toEqual(["Thời điểm báo cáo", "Mã trạng thái", "Trạng thái"]);
    expect(lines.slice(1)).toHaveLength(177);
    for (const line of lines) expect(line).toHaveLength(16);
    expect(lines.some((l) => l[4] === "Tỉnh Quảng Ninh" || l[7] === "Thành phố Hạ Long")).toBe(true);
  });
});

describe("errors, as the CSV routes answer them", () => {
  const json = (answer: { status: number; headers: Headers; text: string }) => {
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
    return JSON.parse(answer.text).error as { code: string; message: string; requestId: string };
  };

  it.each([
    ["/xlsx/rollup?unit=22&period=2024", null, 401, "UNAUTHENTICATED"],
    ["/xlsx/rollup?unit=22&period=2024", "12", 404, "NOT_FOUND"],
    ["/xlsx/rollup?unit=22&period=2025-Q9", "22", 400, "BAD_USER_INPUT"],
    ["/xlsx/national-comparison?period=2024", "22", 403, "FORBIDDEN"],
    ["/xlsx/national-comparison?period=20x4", "VN", 400, "BAD_USER_INPUT"],
    ["/xlsx/reporting-status?unit=22&period=2024-Q2", null, 401, "UNAUTHENTICATED"],
    ["/xlsx/reporting-status?unit=22&period=2024-Q2", "79", 404, "NOT_FOUND"],
    ["/xlsx/reporting-status?unit=22&period=2024-Q5", "22", 400, "BAD_USER_INPUT"],
    ["/xlsx/reporting-status?unit=22&period=2024-Q2&indicators=NOPE", "22", 400, "BAD_USER_INPUT"],
    ["/xlsx/reporting-status?unit=22222222222&period=2024-Q2", "22", 400, "BAD_USER_INPUT"],
    ["/csv/reporting-status?unit=22&period=2024-Q2&locale=fr", "22", 400, "BAD_USER_INPUT"],
    ["/csv/rollup?unit=22&period=2024&locale=fr", "22", 400, "BAD_USER_INPUT"],
    ["/xlsx/rollup?unit=22&period=2024&locale=fr", "22", 400, "BAD_USER_INPUT"],
  ] as const)("%s as %s: %s %s", async (path, unit, status, code) => {
    const answer = await get(path, unit ? h.token(unit, [Role.VIEWER]) : null);
    expect(answer.status).toBe(status);
    expect(json(answer)).toMatchObject({ code, requestId: answer.headers.get("x-request-id") });
  });

  it("says what is wrong in the request's language", async () => {
    const locale = json(await get("/xlsx/rollup?unit=22&period=2024&locale=fr", viewer(), "vi"));
    expect(locale.message).toBe("locale nhận giá trị vi (phân cách bằng dấu chấm phẩy, số thập phân dùng dấu phẩy) hoặc en, không nhận \"fr\".");
    const wrongType = json(await get("/xlsx/reporting-status?unit=22&period=2024-Q2&indicators=PRV_DISTRICT_OWN_PLAN", viewer(), "vi"));
    expect(wrongType).toMatchObject({ code: "BAD_USER_INPUT", message: "PRV_DISTRICT_OWN_PLAN được báo cáo theo năm, không theo quý: hãy chọn một kỳ đúng loại của chỉ tiêu." });
    const english = json(await get("/xlsx/reporting-status?unit=22&period=2024-Q2&indicators=PRV_DISTRICT_OWN_PLAN", viewer(), "en"));
    expect(english.message).toMatch(/per year, not per quarter/);
  });
});

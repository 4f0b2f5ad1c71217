import ExcelJS from "exceljs";
import { Role } from "../src/auth/auth.types";
import { startHarness, type Harness } from "./support/harness";

/**
 * POST /reports/upload and GET /reports/template over real HTTP, with real files: CSV written as
 * spreadsheets write it (`;` and decimal commas, a BOM), workbooks written by exceljs (the library the
 * server reads them with), and every kind of bad file; each refusal writes nothing.
 */
let h: Harness;
let base: string;
let reporter: string;
beforeAll(async () => {
  h = await startHarness();
  base = `http://127.0.0.1:${await h.server.listen(0)}`;
  reporter = h.token("22", [Role.REPORTER], "qn-uploader");
});
afterAll(async () => {
  await new Promise((resolve) => h.server.httpServer.close(resolve));
  await h.close();
});

interface Answer {
  status: number;
  body: any;
}

async function upload(file: Buffer | string, name: string, token: string | null = reporter, fields: Record<string, string> = {}): Promise<Answer> {
  const form = new FormData();
  form.set("file", new Blob([file]), name);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const response = await fetch(`${base}/reports/upload`, { method: "POST", body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: await response.json() };
}

async function template(query: string, token = reporter): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const response = await fetch(`${base}/reports/template?${query}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, type: response.headers.get("content-type"), bytes: Buffer.from(await response.arrayBuffer()) };
}

/** Everything an upload may write. */
async function snapshot() {
  const [row] = await h.dataSource.query(
    `SELECT (SELECT count(*) FROM report)::int AS reports,
            (SELECT coalesce(sum(coalesce(value, 0) + coalesce(numerator, 0) + coalesce(denominator, 0)), 0)::float8 FROM report) AS total,
            (SELECT count(*) FROM report_summary)::int AS summaries,
            (SELECT count(*) FROM audit_log)::int AS audits,
            (SELECT count(*) FROM report_submission)::int AS keys`,
  );
  return row;
}

async function stored(unitCode: string, indicatorCode: string, period: string) {
  const [row] = await h.dataSource.query(
    `SELECT r.value::float8 AS value, r.numerator::float8 AS numerator, r.denominator::float8 AS denominator, r.submitted_by AS "submittedBy"
       FROM report r JOIN org_unit u ON u.id = r.unit_id JOIN indicator i ON i.id = r.indicator_id
      WHERE u.code = $1 AND i.code = $2 AND r.period_code = $3`,
    [unitCode, indicatorCode, period],
  );
  return row;
}

async function workbook(rows: unknown[][], fill?: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet("Q1");
  for (const r of rows) sheet.addRow(r);
  fill?.(sheet);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const HEADER = ["unit_code", "indicator_code", "period", "value", "numerator", "denominator"];

describe("uploading a CSV", () => {
  it("reads `;`, decimal commas and a BOM; a dry run writes nothing; the upload writes, and again is unchanged", async () => {
    const csv =
      "\ufeffunit_code;indicator_code;period;value;numerator;denominator\r\n" +
      "07192;AWR_COMMUNE_ACTIVITY;2025-Q1;1;;\r\n" +
      "07195;AWR_RISKY_WORKERS_INFORMED;2025-Q1;;12,5;40\r\n" +
      "22;AWR_PRESS_FREQUENCY;2025-Q1;3;;\r\n";
    const before = await snapshot();
    const dry = await upload(csv, "q1.csv", reporter, { dryRun: "true" });
    expect(dry).toEqual({
      status: 200,
      body: {
        file: { name: "q1.csv", format: "csv", bytes: Buffer.byteLength(csv), delimiter: ";" },
        dryRun: true,
        replayed: false,
        received: 3,
        inserted: 3,
        updated: 0,
        unchanged: 0,
        skippedLines: [],
        restoredCodes: [],
      },
    });
    expect(await snapshot()).toEqual(before);

    const done = await upload(csv, "q1.csv");
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ dryRun: false, received: 3, inserted: 3, updated: 0, unchanged: 0 });
    expect(await stored("07195", "AWR_RISKY_WORKERS_INFORMED", "2025-Q1")).toEqual({ value: null, numerator: 12.5, denominator: 40, submittedBy: "qn-uploader" });
    expect(await stored("22", "AWR_PRESS_FREQUENCY", "2025-Q1")).toMatchObject({ value: 3 });
    // audited as one batch in the caller's name, like submitReports
    const [audit] = await h.dataSource.query(`SELECT actor, new_value->'unitCodes' AS units FROM audit_log WHERE action = 'report.submit' ORDER BY id DESC LIMIT 1`);
    expect(audit).toEqual({ actor: "qn-uploader", units: ["07192", "07195", "22"] });

    expect((await upload(csv, "q1.csv")).body).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
  });

  it("refuses the whole file on any bad row, naming each with its index and its file line", async () => {
    const csv = [
      "unit_code,unit_name,indicator_code,period,value,numerator,denominator",
      "07192,Đảo Trần,AWR_COMMUNE_ACTIVITY,2025-Q2,1,,",
      "",
      '07195,"Xã Thanh Lân,\nCô Tô",AWR_COMMUNE_ACTIVITY,2025-Q2,2,,', // a name over two lines: the row starts on line 4
      "07198,,AWR_RISKY_WORKERS_INFORMED,2025-Q2,,12,10",
      "03386,,AWR_COMMUNE_ACTIVITY,2025-Q2,1,,", // Lai Châu: outside Quảng Ninh
      "07192,,AWR_COMMUNE_ACTIVITY,2025-Q2,abc,,",
    ].join("\n");
    const before = await snapshot();
    const refused = await upload(csv, "q2.csv");
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "BAD_USER_INPUT", field: "rows", message: "4 of 5 rows are invalid; nothing was written." });
    expect(refused.body.error.requestId).toEqual(expect.any(String));
    expect(refused.body.error.invalidRows.map((e: any) => [e.index, e.line, e.field, e.code])).toEqual([
      [1, 4, "value", "NOT_YES_NO"],
      [2, 6, "numerator", "NUMERATOR_EXCEEDS_DENOMINATOR"],
      [3, 7, "unitCode", "UNKNOWN_UNIT"],
      [4, 8, "value", "NOT_A_NUMBER"],
      [4, 8, "period", "DUPLICATE_ROW"],
    ]);
    expect(refused.body.error.invalidRows[3].message).toBe('"abc" is not a number.');
    expect(await snapshot()).toEqual(before);
  });

  it("answers a retry with the same key and file with the first result, and refuses the key for another file", async () => {
    const csv = "unit_code,indicator_code,period,value\n07132,AWR_COMMUNE_ACTIVITY,2025-Q1,1\n";
    const first = await upload(csv, "k.csv", reporter, { idempotencyKey: "qn-upload-k1" });
    expect(first.body).toMatchObject({ replayed: false, inserted: 1 });
    const again = await upload(csv, "k.csv", reporter, { idempotencyKey: "qn-upload-k1" });
    expect(again.body).toMatchObject({ replayed: true, inserted: 1, received: 1 });
    const before = await snapshot();
    const other = await upload(csv.replace(",1\n", ",0\n"), "k.csv", reporter, { idempotencyKey: "qn-upload-k1" });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: "CONFLICT", field: "idempotencyKey" });
    expect(await snapshot()).toEqual(before);
  });
});

describe("uploading a workbook", () => {
  it("reads the first sheet of an .xlsx, restores a code whose leading zero was dropped, and says which", async () => {
    // 2025-Q3, on the two-tier tree: 07135 Phường Đông Mai and 07147 Phường Hiệp Hòa are communes of Quảng Ninh from 1/7/2025
    const xlsx = await workbook([
      HEADER,
      [7135, "AWR_COMMUNE_ACTIVITY", "2025-Q3", 1], // a number cell: Excel dropped the zero of 07135
      ["07147", "AWR_RISKY_WORKERS_INFORMED", "2025-Q3", null, 3, 4],
      [7147, "AWR_COMMUNE_ACTIVITY", "2025-Q3", 0],
    ]);
    const done = await upload(xlsx, "q3.xlsx");
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      file: { name: "q3.xlsx", format: "xlsx" },
      received: 3,
      inserted: 3,
      restoredCodes: [
        { index: 0, line: 2, from: "7135", to: "07135" },
        { index: 2, line: 4, from: "7147", to: "07147" },
      ],
    });
    expect(await stored("07135", "AWR_COMMUNE_ACTIVITY", "2025-Q3")).toMatchObject({ value: 1 });
    expect(await stored("07147", "AWR_COMMUNE_ACTIVITY", "2025-Q3")).toMatchObject({ value: 0 });
  });

  it("restores a dropped zero in a CSV too (a spreadsheet saved it so)", async () => {
    // 07144 Xã Sông Khoai, a commune until 30/6/2025: 2025-Q2
    const done = await upload("unit_code,indicator_code,period,value\n7144,AWR_COMMUNE_ACTIVITY,2025-Q2,1\n", "saved.csv");
    expect(done.body).toMatchObject({ inserted: 1, restoredCodes: [{ line: 2, from: "7144", to: "07144" }] });
  });

  it("refuses a formula cell and a date cell where a number is expected, naming their lines, and writes nothing", async () => {
    const xlsx = await workbook(
      [
        HEADER,
        ["07147", "AWR_RISKY_WORKERS_INFORMED", "2025-Q2", null, 3, 4],
        ["07150", "AWR_RISKY_WORKERS_INFORMED", "2025-Q2", null, null, 10],
        ["07153", "AWR_COMMUNE_ACTIVITY", "2025-Q2", new Date(Date.UTC(2025, 0, 1))],
      ],
      (sheet) => {
        sheet.getCell("E3").value = { formula: "E2+1", result: 4 };
      },
    );
    const before = await snapshot();
    const refused = await upload(xlsx, "q4.xlsx");
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("BAD_USER_INPUT");
    expect(refused.body.error.invalidRows.map((e: any) => [e.index, e.line, e.field, e.code])).toEqual([
      [1, 3, "numerator", "FORMULA_CELL"],
      [2, 4, "value", "DATE_CELL"],
    ]);
    expect(refused.body.error.invalidRows[0].message).toMatch(/A formula \(=E2\+1\) where a number is expected/);
    expect(refused.body.error.invalidRows[1].message).toMatch(/A date \(2025-01-01\)/);
    expect(await snapshot()).toEqual(before);
  });
});

describe("the template", () => {
  it("lists the rows a province is expected to report, codes as text, in .xlsx; filled in, it uploads", async () => {
    const got = await template("period=2025-Q1&unitCode=22&format=xlsx");
    expect(got.status).toBe(200);
    expect(got.type).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(got.bytes as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      "unit_code", "unit_name", "indicator_code", "indicator_name", "period", "expects", "value", "numerator", "denominator",
    ]);
    const rows: Array<{ line: number; unit: unknown; indicator: unknown }> = [];
    sheet.eachRow((row, line) => {
      if (line > 1) rows.push({ line, unit: row.getCell(1).value, indicator: row.getCell(3).value });
    });
    // the province itself, then its districts, then its communes; codes are strings (07192 keeps its zero)
    expect(rows[0]).toMatchObject({ unit: "22", indicator: "AWR_PRESS_FREQUENCY" });
    expect(rows.some((r) => r.unit === "07192" && r.indicator === "AWR_COMMUNE_ACTIVITY")).toBe(true);
    expect(rows.some((r) => r.unit === "193")).toBe(true); // Hạ Long reports the district indicators of 2025-Q1
    expect(rows.every((r) => typeof r.unit === "string")).toBe(true);
    expect(sheet.getCell("A2").numFmt).toBe("@");
    // one row per commune of 2025-Q1's tree (the June 2025 list: 171 communes, not the 177 of 2024 nor the 54 from 1/7/2025)
    const [expected] = await h.dataSource.query(
      `SELECT count(*)::int AS n FROM org_unit u WHERE u.path LIKE (SELECT path FROM org_unit WHERE code = '22') || '%' AND u.level = 'commune'
          AND u.valid_from <= '2025-01-01' AND (u.valid_to IS NULL OR u.valid_to > '2025-03-31')`,
    );
    expect(expected.n).toBe(171);
    expect(rows.filter((r) => r.indicator === "AWR_COMMUNE_ACTIVITY")).toHaveLength(expected.n);

    // a reporter fills in two rows and uploads the whole sheet: the others are left out, and listed
    const line = (unit: string, indicator: string) => rows.find((r) => r.unit === unit && r.indicator === indicator)!.line;
    sheet.getCell(`G${line("07156", "AWR_COMMUNE_ACTIVITY")}`).value = 1;
    sheet.getCell(`H${line("07156", "AWR_RISKY_WORKERS_INFORMED")}`).value = 5;
    sheet.getCell(`I${line("07156", "AWR_RISKY_WORKERS_INFORMED")}`).value = 9;
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const done = await upload(filled, "template-22-2025-Q1.xlsx");
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ received: 2, inserted: 2, restoredCodes: [] });
    expect(done.body.skippedLines).toHaveLength(rows.length - 2);
    expect(await stored("07156", "AWR_RISKY_WORKERS_INFORMED", "2025-Q1")).toMatchObject({ numerator: 5, denominator: 9 });
  });

  it("comes as CSV (with a BOM), for one indicator, and for the caller's own unit by default", async () => {
    const got = await template("period=2025-Q1&indicatorCode=AWR_RISKY_WORKERS_INFORMED");
    expect(got.status).toBe(200);
    expect(got.type).toBe("text/csv; charset=utf-8");
    const text = got.bytes.toString("utf8");
    expect(text.startsWith("\ufeffunit_code,unit_name,indicator_code,indicator_name,period,expects,value,numerator,denominator\r\n")).toBe(true);
    const lines = text.trim().split("\r\n").slice(1);
    expect(lines.every((l) => l.includes(",AWR_RISKY_WORKERS_INFORMED,"))).toBe(true);
    expect(lines.some((l) => l.startsWith("07192,"))).toBe(true);
  });

  it("refuses a unit outside the caller's subtree, a bad period, format or indicator", async () => {
    const cases: Array<[string, number, string]> = [
      ["period=2025-Q1&unitCode=12", 404, "NOT_FOUND"],
      ["period=2025-Q1&unitCode=VN", 404, "NOT_FOUND"],
      ["period=2025-Q9&unitCode=22", 400, "BAD_USER_INPUT"],
      ["unitCode=22", 400, "BAD_USER_INPUT"],
      ["period=2025-Q1&format=pdf", 400, "BAD_USER_INPUT"],
      ["period=2025-Q1&indicatorCode=NO_SUCH", 404, "NOT_FOUND"],
      ["period=2025&indicatorCode=AWR_COMMUNE_ACTIVITY", 400, "BAD_USER_INPUT"],
    ];
    for (const [query, status, code] of cases) {
      const got = await template(query);
      expect({ query, status: got.status, code: JSON.parse(got.bytes.toString()).error.code }).toEqual({ query, status, code });
    }
    const anonymous = await fetch(`${base}/reports/template?period=2025-Q1`);
    expect(anonymous.status).toBe(401);
  });
});

describe("refused uploads (coded errors, nothing written)", () => {
  const valid = "unit_code,indicator_code,period,value\n07159,AWR_COMMUNE_ACTIVITY,2025-Q1,1\n";
  const zipOf = async (): Promise<Buffer> => {
    // a zip that is no workbook: an .xlsx's bytes with its workbook part renamed
    const xlsx = await workbook([HEADER]);
    return Buffer.from(xlsx.toString("latin1").replaceAll("xl/workbook.xml", "xl/workbook.xmz"), "latin1");
  };

  it.each<[string, () => Promise<{ file: Buffer | string; name: string; token?: string; fields?: Record<string, string> }>, number, string, RegExp]>([
    ["a PDF", async () => ({ file: Buffer.from("%PDF-1.7\n%âãÏÓ\n1 0 obj\n"), name: "report.pdf" }), 415, "UNSUPPORTED_MEDIA_TYPE", /PDF/],
    ["an old .xls", async () => ({ file: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), name: "r.xls" }), 415, "UNSUPPORTED_MEDIA_TYPE", /\.xls/],
    ["a zip that is no workbook", async () => ({ file: await zipOf(), name: "r.xlsx" }), 415, "UNSUPPORTED_MEDIA_TYPE", /not an \.xlsx workbook/],
    ["text that is not UTF-8", async () => ({ file: Buffer.from("unit_code,period\nX\xe3,1\n", "latin1"), name: "r.csv" }), 415, "UNSUPPORTED_MEDIA_TYPE", /not UTF-8/],
    ["an empty file", async () => ({ file: Buffer.alloc(0), name: "r.csv" }), 400, "BAD_USER_INPUT", /empty \(0 bytes\)/],
    ["a file over 5 MB", async () => ({ file: Buffer.alloc(5 * 1024 * 1024 + 1, "a"), name: "r.csv" }), 413, "PAYLOAD_TOO_LARGE", /larger than 5 MB/],
    [
      "more than 10,000 rows",
      async () => ({ file: "unit_code,indicator_code,period,value\n" + "07159,AWR_COMMUNE_ACTIVITY,2025-Q1,1\n".repeat(10_001), name: "r.csv" }),
      413,
      "PAYLOAD_TOO_LARGE",
      /10001 rows; one upload takes at most 10000/,
    ],
    ["a CSV with a broken quote", async () => ({ file: 'unit_code,indicator_code,period,value\n07159,"AWR,2025-Q1,1\n', name: "r.csv" }), 400, "BAD_USER_INPUT", /line 2/],
    ["no token", async () => ({ file: valid, name: "r.csv", token: "" }), 401, "UNAUTHENTICATED", /bearer token/],
    ["a viewer's token", async () => ({ file: valid, name: "r.csv", token: h.token("22", [Role.VIEWER]) }), 403, "FORBIDDEN", /REPORTER/],
    ["an unknown form part", async () => ({ file: valid, name: "r.csv", fields: { unitCode: "22" } }), 400, "BAD_USER_INPUT", /Unknown form part "unitCode"/],
    ["a bad dryRun", async () => ({ file: valid, name: "r.csv", fields: { dryRun: "maybe" } }), 400, "BAD_USER_INPUT", /dryRun is true or false/],
    ["only rows without figures", async () => ({ file: "unit_code,indicator_code,period,value\n07159,AWR_COMMUNE_ACTIVITY,2025-Q1,\n", name: "r.csv" }), 400, "BAD_USER_INPUT", /No line of the file has a figure/],
  ])("%s", async (_name, make, status, code, message) => {
    const { file, name, token, fields } = await make();
    const before = await snapshot();
    const got = await upload(file, name, token === undefined ? reporter : token || null, fields);
    expect({ status: got.status, code: got.body.error?.code }).toEqual({ status, code });
    expect(got.body.error.message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it("a sheet with the wrong header: says which columns are missing and which are unknown", async () => {
    const xlsx = await workbook([["ma_don_vi", "indicator_code", "ky", "value", "ghi_chu"], ["07159", "AWR_COMMUNE_ACTIVITY", "2025-Q1", 1, "x"]]);
    const before = await snapshot();
    const got = await upload(xlsx, "wrong.xlsx");
    expect(got.status).toBe(400);
    expect(got.body.error).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "file",
      line: 1,
      missingColumns: ["unit_code", "period"],
      unknownColumns: ["ma_don_vi", "ky", "ghi_chu"],
    });
    expect(got.body.error.message).toMatch(/missing: unit_code, period; unknown: ma_don_vi, ky, ghi_chu/);
    expect(await snapshot()).toEqual(before);
  });

  it("a workbook that unpacks to more than the limit (40 MB) is refused before it is read", async () => {
    const long = (i: number) => `${i} ${"x".repeat(40_000)}`; // distinct strings, each compressing to almost nothing
    const xlsx = await workbook([["unit_code", "unit_name", "indicator_code", "period", "value"], ...Array.from({ length: 1100 }, (_, i) => ["07159", long(i), "AWR_COMMUNE_ACTIVITY", "2025-Q1", 1])]);
    expect(xlsx.length).toBeLessThan(5 * 1024 * 1024);
    const before = await snapshot();
    const got = await upload(xlsx, "bomb.xlsx");
    expect({ status: got.status, code: got.body.error.code }).toEqual({ status: 413, code: "PAYLOAD_TOO_LARGE" });
    expect(got.body.error.message).toMatch(/unpacks to more than 40 MB/);
    expect(await snapshot()).toEqual(before);
  });

  it("a reporter of another province: its rows are refused as unknown units, as submitReports refuses them", async () => {
    const laiChau = h.token("12", [Role.REPORTER], "lc-uploader");
    const before = await snapshot();
    const got = await upload(valid, "r.csv", laiChau);
    expect(got.status).toBe(400);
    expect(got.body.error.invalidRows).toEqual([
      { index: 0, line: 2, field: "unitCode", code: "UNKNOWN_UNIT", message: 'No unit "07159" in your area.' },
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it("a body that is not multipart", async () => {
    const response = await fetch(`${base}/reports/upload`, {
      method: "POST",
      headers: { authorization: `Bearer ${reporter}`, "content-type": "text/csv" },
      body: valid,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error).toMatchObject({ code: "BAD_USER_INPUT", field: "file" });
  });
});

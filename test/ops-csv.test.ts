import { Role } from "../src/auth/auth.types";
import { csvCell, toCsv } from "../src/common/csv";
import { startHarness, type Harness } from "./support/harness";

let h: Harness;
let base: string;
beforeAll(async () => {
  h = await startHarness();
  base = `http://127.0.0.1:${await h.server.listen(0)}`;
  // a few Quảng Ninh communes report, so values show up
  const communes: Array<{ code: string }> = await h.dataSource.query(
    `SELECT c.code FROM org_unit c JOIN org_unit p ON p.id = c.province_id WHERE p.code = '22' AND c.level = 'commune' ORDER BY c.code LIMIT 3`,
  );
  const rows = communes.flatMap((c) =>
    ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"].map((period) => ({ unitCode: c.code, indicatorCode: "AWR_COMMUNE_ACTIVITY", period, value: 1 })),
  );
  const r = await h.gql(`mutation($input: SubmitReportsInput!) { submitReports(input: $input) { inserted } }`, { input: { rows } }, h.token("22"));
  expect(r.errors).toBeUndefined();
});
afterAll(() => h.close());

async function get(path: string, token?: string) {
  const response = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes, text: bytes.toString("utf8") };
}

/** Splits simple CSV (quoted fields with "" escapes) into rows of fields. */
function parse(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), i++;
    else field += ch;
  }
  return rows;
}

describe("CSV downloads", () => {
  it("the roll-up of a unit with its children: UTF-8 with BOM, one line per unit and indicator", async () => {
    const { status, headers, bytes, text } = await get("/csv/rollup?unit=22&period=2025", h.token("22", [Role.VIEWER]));
    expect(status).toBe(200);
    expect(headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(headers.get("content-disposition")).toBe('attachment; filename="rollup-22-2025.csv"');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(text.slice(1));
    const [header, ...lines] = rows;
    expect(header!.slice(0, 7)).toEqual(["period", "unit_code", "unit_name", "unit_level", "role", "indicator_code", "indicator_name_vi"]);
    const indicators = new Set(lines.map((l) => l[5]));
    expect(lines).toHaveLength(14 * indicators.size); // Quảng Ninh and its 13 districts
    const own = lines.find((l) => l[4] === "unit" && l[5] === "AWR_COMMUNE_ACTIVITY")!;
    const at = (name: string) => own[header!.indexOf(name)];
    expect(at("unit_name")).toBe("Tỉnh Quảng Ninh");
    expect(at("indicator_name_vi")).toContain("Tỷ lệ xã, phường, thị trấn");
    expect(at("units_reported")).toBe("3");
    expect(at("target")).toBe("≥ 75%");
    expect(at("status")).toBe("NOT_MET");
    expect(lines.filter((l) => l[4] === "child").map((l) => l[2])).toContain("Thành phố Hạ Long");
  });

  it("the national comparison: the nation and every province", async () => {
    const { status, bytes, text } = await get("/csv/national-comparison?period=2025", h.token("VN", [Role.VIEWER]));
    expect(status).toBe(200);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...lines] = parse(text.slice(1));
    const indicators = new Set(lines.map((l) => l[5]));
    expect(lines).toHaveLength(6 * indicators.size);
    const provinces = new Set(lines.filter((l) => l[4] === "province").map((l) => l[2]));
    expect([...provinces].sort()).toEqual(["Thành phố Hồ Chí Minh", "Tỉnh Kiên Giang", "Tỉnh Lai Châu", "Tỉnh Nghệ An", "Tỉnh Quảng Ninh"].sort());
    const qn = lines.find((l) => l[2] === "Tỉnh Quảng Ninh" && l[5] === "AWR_COMMUNE_ACTIVITY")!;
    expect(qn[header!.indexOf("rank")]).toBe("1");
  });

  it("answers errors with the right HTTP status and the request id", async () => {
    const none = await get("/csv/rollup?unit=22&period=2025");
    expect(none.status).toBe(401);
    expect(JSON.parse(none.text).error.code).toBe("UNAUTHENTICATED");
    const other = await get("/csv/rollup?unit=22&period=2025", h.token("12", [Role.VIEWER]));
    expect(other.status).toBe(404);
    expect(JSON.parse(other.text).error).toMatchObject({ code: "NOT_FOUND", requestId: other.headers.get("x-request-id") });
    const bad = await get("/csv/rollup?unit=22&period=2025-Q9", h.token("22"));
    expect(bad.status).toBe(400);
    const province = await get("/csv/national-comparison?period=2025", h.token("22"));
    expect(province.status).toBe(403);
  });

  it("quotes what needs quoting and defuses spreadsheet formulas", () => {
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(null)).toBe("");
    expect(toCsv(["x"], [["Hạ Long"]])).toBe("x\r\nHạ Long\r\n");
  });
});

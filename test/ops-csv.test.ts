import { Role } from "../src/auth/auth.types";
import { csvCell, toCsv } from "../src/common/csv";
import { startHarness, type Harness } from "./support/harness";
import { parseCsv } from "./support/csv";

let h: Harness;
let base: string;
beforeAll(async () => {
  h = await startHarness();
  base = `http://127.0.0.1:${await h.server.listen(0)}`;
  // a few Quảng Ninh communes of the 2024 tree report every quarter of 2024, so values show up
  const communes: Array<{ code: string }> = await h.dataSource.query(
    `SELECT c.code FROM org_unit c JOIN org_unit p ON p.id = c.province_id
      WHERE p.code = '22' AND c.level = 'commune' AND c.valid_from <= '2024-01-01' AND (c.valid_to IS NULL OR c.valid_to > '2024-12-31')
      ORDER BY c.code LIMIT 3`,
  );
  expect(communes).toHaveLength(3);
  const rows = communes.flatMap((c) =>
    ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"].map((period) => ({ unitCode: c.code, indicatorCode: "AWR_COMMUNE_ACTIVITY", period, value: 1 })),
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


describe("CSV downloads", () => {
  it("the roll-up of a unit with its children: UTF-8 with BOM, one line per unit and indicator", async () => {
    // 2024: on the three-tier tree, so the children are districts
    const { status, headers, bytes, text } = await get("/csv/rollup?unit=22&period=2024", h.token("22", [Role.VIEWER]));
    expect(status).toBe(200);
    expect(headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(headers.get("content-disposition")).toBe('attachment; filename="rollup-22-2024.csv"');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(text.slice(1));
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
    // 3 of its 177 communes reported: below the indicator's minimum completeness, not judged (issue 15)
    expect(at("status")).toBe("INSUFFICIENT_DATA");
    expect(at("status_text")).toBe("Insufficient data");
    expect(lines.filter((l) => l[4] === "child").map((l) => l[2])).toContain("Thành phố Hạ Long");
  });

  it("the national comparison: the nation and every province of the period's tree", async () => {
    const { status, bytes, text } = await get("/csv/national-comparison?period=2024", h.token("VN", [Role.VIEWER]));
    expect(status).toBe(200);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...lines] = parseCsv(text.slice(1));
    const indicators = new Set(lines.map((l) => l[5]));
    // 2024: the nation and the 63 provinces of the three-tier tree
    expect(lines).toHaveLength(64 * indicators.size);
    const provinces = new Set(lines.filter((l) => l[4] === "province").map((l) => l[1]));
    expect(provinces.size).toBe(63);
    for (const code of ["12", "22", "40", "74", "77", "79", "89", "91"]) expect(provinces).toContain(code);
    const names = new Set(lines.filter((l) => l[4] === "province").map((l) => l[2]));
    expect(names).toContain("Tỉnh Kiên Giang");
    expect(names).toContain("Tỉnh Bình Dương");
    const qn = lines.find((l) => l[2] === "Tỉnh Quảng Ninh" && l[5] === "AWR_COMMUNE_ACTIVITY")!;
    // 3 of 177 communes reported: unranked (not 1st because nobody else reported)
    expect(qn[header!.indexOf("rank")]).toBe("");
    expect(qn[header!.indexOf("status")]).toBe("INSUFFICIENT_DATA");
    expect(qn[header!.indexOf("units_reported")]).toBe("3");

    // 2025 ends on the two-tier tree: 34 provinces (Kiên Giang's code 91 now names the new An Giang; Bình Dương is gone)
    const y2025 = parseCsv((await get("/csv/national-comparison?period=2025", h.token("VN", [Role.VIEWER]))).text.slice(1)).slice(1);
    const provinces2025 = new Map(y2025.filter((l) => l[4] === "province").map((l) => [l[1], l[2]]));
    expect(provinces2025.size).toBe(34);
    expect(y2025).toHaveLength(35 * new Set(y2025.map((l) => l[5])).size);
    expect(provinces2025.get("91")).toBe("Tỉnh An Giang");
    expect(provinces2025.has("74")).toBe(false);
  });

  it("answers errors with the right HTTP status and the request id", async () => {
    const none = await get("/csv/rollup?unit=22&period=2024");
    expect(none.status).toBe(401);
    expect(JSON.parse(none.text).error.code).toBe("UNAUTHENTICATED");
    const other = await get("/csv/rollup?unit=22&period=2024", h.token("12", [Role.VIEWER]));
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

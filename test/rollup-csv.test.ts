import { Role } from "../src/auth/auth.types";
import { startHarness, type Harness } from "./support/harness";

/**
 * One CSV writer for every roll-up CSV: the `nationalComparisonCsv` query and the
 * `/csv/national-comparison` download give the same text (the file adds a BOM), in the same columns
 * as `/csv/rollup`, and defuse formula-looking names alike.
 */
let h: Harness;
let base: string;
beforeAll(async () => {
  h = await startHarness();
  base = `http://127.0.0.1:${await h.server.listen(0)}`;
  // a province whose name a spreadsheet would evaluate (this file's own copy of the database)
  await h.dataSource.query(`UPDATE org_unit SET name = '=1+2' WHERE code = '12' AND valid_to IS NULL`);
});
afterAll(() => h.close());

async function download(path: string, token: string) {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer()).toString("utf8");
}

describe("roll-up CSVs", () => {
  it("the query and the download of the national comparison are the same text, formulas defused in both", async () => {
    const ministry = h.token("VN", [Role.VIEWER]);
    const r = await h.gql(`{ nationalComparisonCsv(period: "2025") }`, {}, ministry);
    expect(r.errors).toBeUndefined();
    const text = r.data.nationalComparisonCsv as string;
    const file = await download("/csv/national-comparison?period=2025", ministry);
    expect(file).toBe(`\uFEFF${text}`);

    const lines = text.split("\r\n");
    const laiChau = lines.filter((l) => l.startsWith("2025,12,"));
    expect(laiChau.length).toBeGreaterThan(0);
    for (const line of laiChau) expect(line.startsWith("2025,12,'=1+2,PROVINCE,province,")).toBe(true);
    expect(text).not.toMatch(/(^|,)=1\+2/m);
  });

  it("has the columns of the roll-up download", async () => {
    const ministry = h.token("VN", [Role.VIEWER]);
    const comparison = (await h.gql(`{ nationalComparisonCsv(period: "2025") }`, {}, ministry)).data.nationalComparisonCsv as string;
    const rollup = await download("/csv/rollup?unit=VN&period=2025", ministry);
    const header = (text: string) => text.replace(/^\uFEFF/, "").split("\r\n")[0];
    expect(header(comparison)).toBe(header(rollup));
    // and the roll-up download defuses the same name the same way
    expect(rollup).toContain("2025,12,'=1+2,PROVINCE,child,");
  });
});

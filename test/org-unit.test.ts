import { Role } from "../src/auth/auth.types";
import { errorCode, startHarness, type Harness } from "./support/harness";

/**
 * Units through the API on the seeded database, which holds every register: the three-tier tree until
 * 2025-06-30 (read with an explicit asOf, or on the server run as on 2025-06-30, where district tokens
 * work) and the two-tier tree from 2025-07-01 (today's default).
 */
let h: Harness;
let ministry: string;
beforeAll(async () => {
  h = await startHarness();
  ministry = h.token("VN");
});
afterAll(() => h.close());

const ON_2024 = "2024-06-30";
const onDate = (d: string) => `u.valid_from <= DATE '${d}' AND (u.valid_to IS NULL OR u.valid_to > DATE '${d}')`;

describe("org units", () => {
  it("holds the real units of every province, the five document provinces as in 2024", async () => {
    const levels = async (d: string) =>
      Object.fromEntries(
        (await h.dataSource.query(`SELECT u.level, count(*)::int AS n FROM org_unit u WHERE ${onDate(d)} GROUP BY 1`)).map((r: { level: string; n: number }) => [r.level, r.n]),
      );
    // the 2024 register (with the five island districts it omits), and the two-tier tree of today
    expect(await levels(ON_2024)).toEqual({ nation: 1, province: 63, district: 705, commune: 10597 });
    expect(await levels("2026-11-29")).toEqual({ nation: 1, province: 34, commune: 3321 });
    const counts: Array<{ code: string; level: string; n: string }> = await h.dataSource.query(
      `SELECT p.code, u.level, count(*) AS n FROM org_unit u JOIN org_unit p ON p.id = u.province_id
        WHERE u.level <> 'province' AND p.code IN ('12', '22', '40', '79', '91') AND ${onDate(ON_2024)} GROUP BY p.code, u.level ORDER BY 1, 2`,
    );
    const districts = Object.fromEntries(counts.filter((c) => c.level === "district").map((c) => [c.code, Number(c.n)]));
    expect(districts).toEqual({ "12": 8, "22": 13, "40": 21, "79": 22, "91": 15 });
    const communes = counts.filter((c) => c.level === "commune").reduce((sum, c) => sum + Number(c.n), 0);
    expect(communes).toBe(1199);
  });

  it("answers a unit by code with its children, ancestors and province", async () => {
    const r = await h.gql(
      `{ orgUnit(code: "193", asOf: "${ON_2024}") { code name level type asOf ancestors { code } province { name }
           children(first: 2) { totalCount hasNextPage endCursor nodes { code name district { code } } } } }`,
      {},
      ministry,
    );
    expect(r.errors).toBeUndefined();
    const unit = r.data.orgUnit;
    expect(unit).toMatchObject({ code: "193", name: "Thành phố Hạ Long", level: "DISTRICT", type: "Thành phố", asOf: ON_2024 });
    expect(unit.ancestors.map((a: { code: string }) => a.code)).toEqual(["VN", "22"]);
    expect(unit.province.name).toBe("Tỉnh Quảng Ninh");
    expect(unit.children.totalCount).toBe(33);
    expect(unit.children.nodes).toHaveLength(2);
    expect(unit.children.nodes.every((c: { district: { code: string } }) => c.district.code === "193")).toBe(true);
    // a commune of today: under its province, no district
    const today = await h.gql(`{ orgUnit(code: "06688") { name level ancestors { code } province { name } district { code } children { totalCount } } }`, {}, ministry);
    expect(today.errors).toBeUndefined();
    expect(today.data.orgUnit).toEqual({
      name: "Phường Hạ Long", level: "COMMUNE", ancestors: [{ code: "VN" }, { code: "22" }], province: { name: "Tỉnh Quảng Ninh" }, district: null, children: { totalCount: 0 },
    });
  });

  it.each([
    [ON_2024, 13],
    [null, 54],
  ])("pages through children with cursors, without overlap or gaps (Quảng Ninh as of %s: %i)", async (asOf, total) => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const r: any = await h.gql(
        `query($after: String, $asOf: Date) { orgUnit(code: "22", asOf: $asOf) { children(first: 5, after: $after) { totalCount hasNextPage endCursor nodes { code } } } }`,
        { after, asOf },
        ministry,
      );
      const page = r.data.orgUnit.children;
      expect(page.totalCount).toBe(total);
      seen.push(...page.nodes.map((n: { code: string }) => n.code));
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(seen).toHaveLength(total);
    expect([...seen].sort()).toEqual(seen);
    expect(new Set(seen).size).toBe(total);
  });

  it("searches names ignoring accents and case, within a subtree and level", async () => {
    const r = await h.gql(`{ searchOrgUnits(text: "ha long", level: DISTRICT, asOf: "${ON_2024}") { totalCount nodes { code name } } }`, {}, ministry);
    expect(r.data.searchOrgUnits.nodes).toEqual([{ code: "193", name: "Thành phố Hạ Long" }]);
    // Đông Triều (205) was a thị xã in 2024; a unit answers its latest name, the earlier ones in formerNames
    const d = await h.gql(`{ searchOrgUnits(text: "DONG TRIEU", under: "22", asOf: "${ON_2024}") { nodes { code name formerNames { name } } } }`, {}, ministry);
    expect(d.data.searchOrgUnits.nodes).toContainEqual({ code: "205", name: "Thành phố Đông Triều", formerNames: [{ name: "Thị xã Đông Triều" }] });
    const none = await h.gql(`{ searchOrgUnits(text: "ha long", under: "79", asOf: "${ON_2024}") { totalCount } }`, {}, ministry);
    expect(none.data.searchOrgUnits.totalCount).toBe(0);
    // today: no district; Phường Hạ Long is a commune directly under Quảng Ninh
    const now = await h.gql(`{ district: searchOrgUnits(text: "ha long", level: DISTRICT) { totalCount } commune: searchOrgUnits(text: "HẠ LONG", under: "22", level: COMMUNE) { nodes { code name } } }`, {}, ministry);
    expect(now.errors).toBeUndefined();
    expect(now.data).toEqual({ district: { totalCount: 0 }, commune: { nodes: [{ code: "06688", name: "Phường Hạ Long" }] } });
  });

  it.each([
    [ON_2024, true],
    [null, false],
  ])("lists 100 communes with their district and province in a constant number of statements (as of %s)", async (asOf, threeTier) => {
    const q = (first: number) =>
      h.gql(
        `query($asOf: Date) { orgUnit(code: "79", asOf: $asOf) { children(first: 30) { nodes { code children(first: ${first}) { nodes { code district { name } province { name } parent { code } } } } } } }`,
        { asOf },
        ministry,
      );
    const small = await q(1);
    const searchQ = (first: number) =>
      h.gql(
        `query($asOf: Date) { searchOrgUnits(text: "phuong", under: "79", asOf: $asOf, first: ${first}) { nodes { code name district { name } province { name } parent { name level } } } }`,
        { asOf },
        ministry,
      );
    const s10 = await searchQ(10);
    const s100 = await searchQ(100);
    expect(s100.errors).toBeUndefined();
    const nodes = s100.data.searchOrgUnits.nodes;
    expect(nodes).toHaveLength(100);
    expect(nodes.every((n: any) => n.province.name === "Thành phố Hồ Chí Minh")).toBe(true);
    // on the three-tier tree a commune lies in a district; on the two-tier one directly under its province
    expect(nodes.every((n: any) => (threeTier ? n.district !== null && n.parent.level === "DISTRICT" : n.district === null && n.parent.level === "PROVINCE"))).toBe(true);
    expect(s100.statements).toBe(s10.statements);
    // `under`, the page, then one batch each for districts, provinces and parents (the same units)
    expect(s100.statements).toBeLessThanOrEqual(3);
    expect(small.errors).toBeUndefined();
  });

  it("answers NOT_FOUND for unknown codes and BAD_USER_INPUT for malformed ones", async () => {
    expect(errorCode(await h.gql(`{ orgUnit(code: "999") { name } }`, {}, ministry))).toBe("NOT_FOUND");
    const bad = await h.gql(`{ orgUnit(code: "not a code!") { name } }`, {}, ministry);
    expect(errorCode(bad)).toBe("BAD_USER_INPUT");
    expect(bad.errors![0]!.message).toMatch(/not a unit code/);
    const big = await h.gql(`{ orgUnit(code: "22") { children(first: 100000) { totalCount } } }`, {}, ministry);
    expect(errorCode(big)).toBe("BAD_USER_INPUT");
    expect(big.errors![0]!.extensions!.field).toBe("first");
  });

  it("refuses anonymous callers, and district tokens from 2025-07-01", async () => {
    expect(errorCode(await h.gql(`{ orgUnit(code: "22") { name } }`))).toBe("UNAUTHENTICATED");
    await expect(h.gql(`{ orgUnit(code: "22") { name } }`, {}, h.token("193", [Role.VIEWER]))).rejects.toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });
  });

  it("hides units outside the caller's subtree (a commune of today)", async () => {
    const haLong = h.token("06688", [Role.VIEWER]);
    expect(errorCode(await h.gql(`{ orgUnit(code: "06706") { name } }`, {}, haLong))).toBe("NOT_FOUND");
    expect(errorCode(await h.gql(`{ orgUnit(code: "79") { name } }`, {}, haLong))).toBe("NOT_FOUND");
    const own = await h.gql(`{ orgUnit(code: "22") { children { totalCount nodes { code } } } }`, {}, haLong);
    expect(own.data.orgUnit.children).toEqual({ totalCount: 1, nodes: [{ code: "06688" }] });
  });
});

describe("org units on the three-tier tree (the server as on 2025-06-30)", () => {
  let dated: Harness;
  beforeAll(async () => {
    dated = await startHarness({ today: "2025-06-30" });
  });
  afterAll(() => dated.close());

  it("answers the units of that day by default", async () => {
    const r = await dated.gql(`{ orgUnit(code: "193") { name asOf children { totalCount } } }`, {}, dated.token("VN"));
    expect(r.errors).toBeUndefined();
    expect(r.data.orgUnit).toMatchObject({ name: "Thành phố Hạ Long", asOf: "2025-06-30" });
    expect(r.data.orgUnit.children.totalCount).toBeGreaterThan(0);
  });

  it("refuses anonymous callers and hides units outside the caller's subtree", async () => {
    expect(errorCode(await dated.gql(`{ orgUnit(code: "22") { name } }`))).toBe("UNAUTHENTICATED");
    const haLong = dated.token("193", [Role.VIEWER]);
    expect(errorCode(await dated.gql(`{ orgUnit(code: "194") { name } }`, {}, haLong))).toBe("NOT_FOUND");
    expect(errorCode(await dated.gql(`{ orgUnit(code: "79") { name } }`, {}, haLong))).toBe("NOT_FOUND");
    const own = await dated.gql(`{ orgUnit(code: "22") { children { totalCount nodes { code } } } }`, {}, haLong);
    expect(own.data.orgUnit.children).toEqual({ totalCount: 1, nodes: [{ code: "193" }] });
  });
});

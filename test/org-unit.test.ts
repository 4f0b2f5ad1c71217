import { Role } from "../src/auth/auth.types";
import { errorCode, startHarness, type Harness } from "./support/harness";

let h: Harness;
let ministry: string;
beforeAll(async () => {
  h = await startHarness();
  ministry = h.token("VN");
});
afterAll(() => h.close());

describe("org units", () => {
  it("holds the real units of the five document provinces", async () => {
    const counts: Array<{ code: string; level: string; n: string }> = await h.dataSource.query(
      `SELECT p.code, u.level, count(*) AS n FROM org_unit u JOIN org_unit p ON p.id = u.province_id
        WHERE u.level <> 'province' GROUP BY p.code, u.level ORDER BY 1, 2`,
    );
    const districts = Object.fromEntries(counts.filter((c) => c.level === "district").map((c) => [c.code, Number(c.n)]));
    expect(districts).toEqual({ "12": 8, "22": 13, "40": 21, "79": 22, "91": 15 });
    const communes = counts.filter((c) => c.level === "commune").reduce((sum, c) => sum + Number(c.n), 0);
    expect(communes).toBe(1199);
  });

  it("answers a unit by code with its children, ancestors and province", async () => {
    const r = await h.gql(
      `{ orgUnit(code: "193") { code name level type ancestors { code } province { name }
           children(first: 2) { totalCount hasNextPage endCursor nodes { code name district { code } } } } }`,
      {},
      ministry,
    );
    expect(r.errors).toBeUndefined();
    const unit = r.data.orgUnit;
    expect(unit).toMatchObject({ code: "193", name: "Thành phố Hạ Long", level: "DISTRICT", type: "Thành phố" });
    expect(unit.ancestors.map((a: { code: string }) => a.code)).toEqual(["VN", "22"]);
    expect(unit.province.name).toBe("Tỉnh Quảng Ninh");
    expect(unit.children.totalCount).toBe(33);
    expect(unit.children.nodes).toHaveLength(2);
    expect(unit.children.nodes.every((c: { district: { code: string } }) => c.district.code === "193")).toBe(true);
  });

  it("pages through children with cursors, without overlap or gaps", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r: any = await h.gql(
        `query($after: String) { orgUnit(code: "22") { children(first: 5, after: $after) { totalCount hasNextPage endCursor nodes { code } } } }`,
        { after },
        ministry,
      );
      const page = r.data.orgUnit.children;
      expect(page.totalCount).toBe(13);
      seen.push(...page.nodes.map((n: { code: string }) => n.code));
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(seen).toHaveLength(13);
    expect([...seen].sort()).toEqual(seen);
    expect(new Set(seen).size).toBe(13);
  });

  it("searches names ignoring accents and case, within a subtree and level", async () => {
    const r = await h.gql(`{ searchOrgUnits(text: "ha long", level: DISTRICT) { totalCount nodes { code name } } }`, {}, ministry);
    expect(r.data.searchOrgUnits.nodes).toEqual([{ code: "193", name: "Thành phố Hạ Long" }]);
    const d = await h.gql(`{ searchOrgUnits(text: "DONG TRIEU", under: "22") { nodes { name } } }`, {}, ministry);
    expect(d.data.searchOrgUnits.nodes.map((n: { name: string }) => n.name)).toContain("Thị xã Đông Triều");
    const none = await h.gql(`{ searchOrgUnits(text: "ha long", under: "79") { totalCount } }`, {}, ministry);
    expect(none.data.searchOrgUnits.totalCount).toBe(0);
  });

  it("lists 100 communes with their district and province in a constant number of statements", async () => {
    const q = (first: number) =>
      h.gql(
        `{ orgUnit(code: "79") { children(first: 30) { nodes { code children(first: ${first}) { nodes { code district { name } province { name } parent { code } } } } } } }`,
        {},
        ministry,
      );
    const small = await q(1);
    const searchQ = (first: number) =>
      h.gql(`{ searchOrgUnits(text: "phuong", under: "79", first: ${first}) { nodes { code name district { name } province { name } parent { name } } } }`, {}, ministry);
    const s10 = await searchQ(10);
    const s100 = await searchQ(100);
    expect(s100.errors).toBeUndefined();
    expect(s100.data.searchOrgUnits.nodes).toHaveLength(100);
    expect(s100.data.searchOrgUnits.nodes.every((n: any) => n.province.name === "Thành phố Hồ Chí Minh")).toBe(true);
    expect(s100.statements).toBe(s10.statements);
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

  it("refuses anonymous callers and hides units outside the caller's subtree", async () => {
    expect(errorCode(await h.gql(`{ orgUnit(code: "22") { name } }`))).toBe("UNAUTHENTICATED");
    const haLong = h.token("193", [Role.VIEWER]);
    expect(errorCode(await h.gql(`{ orgUnit(code: "194") { name } }`, {}, haLong))).toBe("NOT_FOUND");
    expect(errorCode(await h.gql(`{ orgUnit(code: "79") { name } }`, {}, haLong))).toBe("NOT_FOUND");
    const own = await h.gql(`{ orgUnit(code: "22") { children { totalCount nodes { code } } } }`, {}, haLong);
    expect(own.data.orgUnit.children).toEqual({ totalCount: 1, nodes: [{ code: "193" }] });
  });
});

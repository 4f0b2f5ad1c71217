import { errorCode, startHarness, type GqlResult, type Harness } from "./support/harness";

/**
 * The tree of a date, through the API, on the seeded database (every register: the 2024 three-tier tree,
 * the list of 2025-06 and the two-tier tree from 2025-07-01, with successions and former names). The
 * server runs on the real today (after the reform); the nation's token works on every date.
 */
let h: Harness;
let ministry: string;
beforeAll(async () => {
  h = await startHarness();
  ministry = h.token("VN");
});
afterAll(() => h.close());

const ok = <T = any>(r: GqlResult<T>): T => {
  expect(r.errors).toBeUndefined();
  return r.data as T;
};
const gql = (query: string, variables: Record<string, unknown> = {}) => h.gql(query, variables, ministry);

describe("the tree of a date", () => {
  it("counts 63 provinces as of 2024-06-30 and 34 as of 2025-07-01 and today", async () => {
    const provinces = async (asOf: string | null) => {
      const d = ok(await gql(`query($asOf: Date) { orgUnit(code: "VN", asOf: $asOf) { asOf children(first: 100) { totalCount nodes { level } } } }`, { asOf }));
      expect(d.orgUnit.children.nodes.every((n: { level: string }) => n.level === "PROVINCE")).toBe(true);
      expect(d.orgUnit.children.nodes).toHaveLength(d.orgUnit.children.totalCount);
      return d.orgUnit.children.totalCount;
    };
    expect([await provinces("2024-06-30"), await provinces("2025-06-30"), await provinces("2025-07-01"), await provinces(null)]).toEqual([63, 63, 34, 34]);
    // children take the date from the unit; an explicit asOf on children overrides it
    const d = ok(await gql(`{ orgUnit(code: "VN", asOf: "2024-06-30") { asOf old: children(first: 1) { totalCount } now: children(first: 1, asOf: "2026-01-01") { totalCount } } }`));
    expect(d.orgUnit).toEqual({ asOf: "2024-06-30", old: { totalCount: 63 }, now: { totalCount: 34 } });
  });

  it("Lai Châu (12): 8 districts and 106 communes as of 2024-06-30; 38 communes directly under it as of 2026-01-01", async () => {
    const before = ok(await gql(`{ orgUnit(code: "12", asOf: "2024-06-30") { name validFrom validTo
        children(first: 20) { totalCount nodes { level children(first: 1) { totalCount nodes { level district { code } } } } } } }`)).orgUnit;
    expect([before.name, before.validFrom, before.validTo]).toEqual(["Tỉnh Lai Châu", "2000-01-01", null]);
    expect(before.children.totalCount).toBe(8);
    expect(before.children.nodes.every((d: { level: string }) => d.level === "DISTRICT")).toBe(true);
    const communes = before.children.nodes.reduce((sum: number, d: any) => sum + d.children.totalCount, 0);
    expect(communes).toBe(106);
    expect(before.children.nodes.every((d: any) => d.children.nodes[0].level === "COMMUNE" && d.children.nodes[0].district !== null)).toBe(true);

    const after = ok(await gql(`{ orgUnit(code: "12", asOf: "2026-01-01") { children(first: 100) { totalCount nodes { level district { code } parent { code } } } } }`)).orgUnit;
    expect(after.children.totalCount).toBe(38);
    expect(after.children.nodes).toHaveLength(38);
    expect(after.children.nodes.every((c: any) => c.level === "COMMUNE" && c.district === null && c.parent.code === "12")).toBe(true);
    // the same count by a search by level on each tree
    const search = (asOf: string) => gql(`query($asOf: Date) { searchOrgUnits(text: "a", under: "12", level: COMMUNE, asOf: $asOf) { totalCount } }`, { asOf });
    const withA = (await h.dataSource.query(
      `SELECT count(*) FILTER (WHERE u.valid_from <= DATE '2024-06-30' AND (u.valid_to IS NULL OR u.valid_to > DATE '2024-06-30'))::int AS old,
              count(*) FILTER (WHERE u.valid_from <= DATE '2026-01-01' AND (u.valid_to IS NULL OR u.valid_to > DATE '2026-01-01'))::int AS now
         FROM org_unit u JOIN org_unit p ON p.id = u.province_id WHERE p.code = '12' AND u.level = 'commune' AND u.name_search LIKE '%a%'`,
    ))[0];
    expect(ok(await search("2024-06-30")).searchOrgUnits.totalCount).toBe(withA.old);
    expect(ok(await search("2026-01-01")).searchOrgUnits.totalCount).toBe(withA.now);
  });

  it("code 91 answers Tỉnh Kiên Giang as of 2024-06-30 and Tỉnh An Giang by default, linked by the reform", async () => {
    const unit = `code name level validFrom validTo asOf
      successors { relation on verification unit { code name validFrom validTo } }
      predecessors { relation on verification unit { code name validFrom validTo } }`;
    const old = ok(await gql(`{ orgUnit(code: "91", asOf: "2024-06-30") { ${unit} } }`)).orgUnit;
    const now = ok(await gql(`{ orgUnit(code: "91") { ${unit} } }`)).orgUnit;
    expect(old).toMatchObject({ code: "91", name: "Tỉnh Kiên Giang", level: "PROVINCE", validFrom: "2000-01-01", validTo: "2025-07-01", asOf: "2024-06-30", predecessors: [] });
    expect(now).toMatchObject({ code: "91", name: "Tỉnh An Giang", validFrom: "2025-07-01", validTo: null, successors: [] });
    const newAnGiang = { code: "91", name: "Tỉnh An Giang", validFrom: "2025-07-01", validTo: null };
    expect(old.successors).toEqual([{ relation: "FULL", on: "2025-07-01", verification: "resolution", unit: newAnGiang }]);
    expect(now.predecessors).toEqual([
      { relation: "FULL", on: "2025-07-01", verification: "resolution", unit: { code: "89", name: "Tỉnh An Giang", validFrom: "2000-01-01", validTo: "2025-07-01" } },
      { relation: "FULL", on: "2025-07-01", verification: "resolution", unit: { code: "91", name: "Tỉnh Kiên Giang", validFrom: "2000-01-01", validTo: "2025-07-01" } },
    ]);
    // the last day of the old tree, and the first of the new
    expect(ok(await gql(`{ a: orgUnit(code: "91", asOf: "2025-06-30") { name } b: orgUnit(code: "91", asOf: "2025-07-01") { name } }`)))
      .toEqual({ a: { name: "Tỉnh Kiên Giang" }, b: { name: "Tỉnh An Giang" } });
    // a unit reached through a succession is reached at a day of its own validity
    const back = ok(await gql(`{ orgUnit(code: "91") { predecessors { unit { code asOf children(first: 1) { totalCount nodes { level } } } } } }`)).orgUnit;
    expect(back.predecessors.map((p: any) => [p.unit.code, p.unit.asOf, p.unit.children.nodes[0].level])).toEqual([
      ["89", "2025-06-30", "DISTRICT"],
      ["91", "2025-06-30", "DISTRICT"],
    ]);
  });

  it("an old commune's successors: Phường Quyết Thắng (03386) went wholly into Phường Đoàn Kết (03388); Phường Hà Khẩu (06655) was split", async () => {
    const successors = `code name validTo successors { relation on verification unit { code name level validFrom validTo province { code } district { code } } }`;
    const quyetThang = ok(await gql(`{ orgUnit(code: "03386", asOf: "2024-06-30") { ${successors} } }`)).orgUnit;
    expect(quyetThang).toMatchObject({ code: "03386", name: "Phường Quyết Thắng", validTo: "2025-07-01" });
    expect(quyetThang.successors).toEqual([
      {
        relation: "FULL", on: "2025-07-01", verification: "bando",
        unit: { code: "03388", name: "Phường Đoàn Kết", level: "COMMUNE", validFrom: "2025-07-01", validTo: null, province: { code: "12" }, district: null },
      },
    ]);
    // seeds/vn-admin-2025-mapping.csv: 06655 Phường Hà Khẩu → 06661 Phường Việt Hưng and 06706 Phường Tuần Châu, partial
    const haKhau = ok(await gql(`{ orgUnit(code: "06655", asOf: "2024-06-30") { ${successors} } }`)).orgUnit;
    expect(haKhau.name).toBe("Phường Hà Khẩu");
    expect(haKhau.successors.map((s: any) => [s.unit.code, s.unit.name, s.relation, s.verification, s.on])).toEqual([
      ["06661", "Phường Việt Hưng", "PARTIAL", "bando", "2025-07-01"],
      ["06706", "Phường Tuần Châu", "PARTIAL", "bando", "2025-07-01"],
    ]);
    // and from the new side, Việt Hưng names Hà Khẩu among its predecessors, partly
    const vietHung = ok(await gql(`{ orgUnit(code: "06661") { name predecessors { relation unit { code } } } }`)).orgUnit;
    expect(vietHung.predecessors).toContainEqual({ relation: "PARTIAL", unit: { code: "06655" } });
  });

  it("formerNames: Phường Mộc Sơn (03979) was Thị trấn Mộc Châu until 2025-01-01, the same unit throughout", async () => {
    const unit = `code name type validFrom validTo formerNames { name type validFrom validTo }`;
    const d = ok(await gql(`{ before: orgUnit(code: "03979", asOf: "2024-06-30") { ${unit} } after: orgUnit(code: "03979", asOf: "2025-03-01") { ${unit} } }`));
    const expected = {
      code: "03979", name: "Phường Mộc Sơn", type: "Phường", validFrom: "2000-01-01", validTo: "2025-07-01",
      formerNames: [{ name: "Thị trấn Mộc Châu", type: "Thị trấn", validFrom: "2000-01-01", validTo: "2025-01-01" }],
    };
    expect(d.before).toEqual(expected);
    expect(d.after).toEqual(expected);
    // a unit never renamed has none
    expect(ok(await gql(`{ orgUnit(code: "03388") { formerNames { name } } }`)).orgUnit.formerNames).toEqual([]);
  });
});

describe("look-ups that find nothing, and bad dates", () => {
  it("193 today: NOT_FOUND saying when the code named a unit", async () => {
    const r = await gql(`{ orgUnit(code: "193") { name } }`);
    expect(errorCode(r)).toBe("NOT_FOUND");
    const error = r.errors![0]!;
    expect(error.message).toMatch(/Thành phố Hạ Long/);
    expect(error.message).toMatch(/2000-01-01/);
    expect(error.message).toMatch(/2025-07-01/);
    expect(error.extensions).toMatchObject({ key: "193", validSpans: [{ validFrom: "2000-01-01", validTo: "2025-07-01" }] });
    expect(r.data).toBeNull();
    // the same code on a date of its span answers the unit
    expect(ok(await gql(`{ orgUnit(code: "193", asOf: "2025-06-30") { name } }`)).orgUnit.name).toBe("Thành phố Hạ Long");
  });

  it("a code never used: NOT_FOUND without dates", async () => {
    for (const asOf of [null, "2024-06-30"]) {
      const r = await gql(`query($asOf: Date) { orgUnit(code: "999", asOf: $asOf) { name } }`, { asOf });
      expect(errorCode(r)).toBe("NOT_FOUND");
      expect(r.errors![0]!.message).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      expect(r.errors![0]!.extensions!.validSpans).toBeUndefined();
    }
  });

  it.each(["2025-02-30", "yesterday", "2025-7-1"])("asOf %s: BAD_USER_INPUT naming asOf, inline or as a variable", async (asOf) => {
    for (const r of [
      await gql(`{ orgUnit(code: "22", asOf: "${asOf}") { name } }`),
      await gql(`query($asOf: Date) { orgUnit(code: "22", asOf: $asOf) { name } }`, { asOf }),
      await gql(`query($asOf: Date) { orgUnit(code: "22") { children(asOf: $asOf) { totalCount } } }`, { asOf }),
      await gql(`query($asOf: Date) { searchOrgUnits(text: "ha long", asOf: $asOf) { totalCount } }`, { asOf }),
    ]) {
      expect(errorCode(r)).toBe("BAD_USER_INPUT");
      expect(r.errors![0]!.extensions!.field).toBe("asOf");
    }
  });
});

describe("searchOrgUnits across dates", () => {
  const FIELDS = `totalCount nodes { code name level validFrom validTo successors { relation unit { code name } } }`;

  it("Kiên Giang: nothing today at province level; the old province with includeHistorical (its end and successor); found as of 2024-06-30", async () => {
    const today = ok(await gql(`{ searchOrgUnits(text: "Kiên Giang", level: PROVINCE) { ${FIELDS} } }`)).searchOrgUnits;
    expect(today).toEqual({ totalCount: 0, nodes: [] });
    const oldKienGiang = {
      code: "91", name: "Tỉnh Kiên Giang", level: "PROVINCE", validFrom: "2000-01-01", validTo: "2025-07-01",
      successors: [{ relation: "FULL", unit: { code: "91", name: "Tỉnh An Giang" } }],
    };
    const historical = ok(await gql(`{ searchOrgUnits(text: "kien giang", level: PROVINCE, includeHistorical: true) { ${FIELDS} } }`)).searchOrgUnits;
    expect(historical).toEqual({ totalCount: 1, nodes: [oldKienGiang] });
    const then = ok(await gql(`{ searchOrgUnits(text: "Kiên Giang", level: PROVINCE, asOf: "2024-06-30") { ${FIELDS} } }`)).searchOrgUnits;
    expect(then).toEqual({ totalCount: 1, nodes: [oldKienGiang] });
  });

  it("includeHistorical finds a unit by a name it bore, and every unit a code named", async () => {
    const mocChau = ok(await gql(`{ searchOrgUnits(text: "Thị trấn Mộc Châu", includeHistorical: true) { totalCount nodes { code name formerNames { name } } } }`)).searchOrgUnits;
    expect(mocChau.nodes).toContainEqual({ code: "03979", name: "Phường Mộc Sơn", formerNames: [{ name: "Thị trấn Mộc Châu" }] });
    // without it, the tree of today only
    const anGiang = (more: string) => gql(`{ searchOrgUnits(text: "An Giang", level: PROVINCE${more}) { nodes { code validFrom } } }`);
    expect(ok(await anGiang("")).searchOrgUnits.nodes).toEqual([{ code: "91", validFrom: "2025-07-01" }]);
    expect(ok(await anGiang(", includeHistorical: true")).searchOrgUnits.nodes).toEqual([
      { code: "89", validFrom: "2000-01-01" },
      { code: "91", validFrom: "2025-07-01" },
    ]);
    // and under a unit, on any date: Hà Khẩu under Quảng Ninh, which kept its territory
    const under = ok(await gql(`{ searchOrgUnits(text: "Hà Khẩu", under: "22", includeHistorical: true) { nodes { code validTo } } }`)).searchOrgUnits;
    expect(under.nodes).toContainEqual({ code: "06655", validTo: "2025-07-01" });
  });

  it("includeHistorical under a merged province also finds the units of the provinces that went into it", async () => {
    const FOUND = `{ totalCount nodes { code name validTo } }`;
    // Thành phố Rạch Giá (899) was a district of old Kiên Giang; Phường Rạch Giá (30742) is a commune of the new An Giang
    const expected = { totalCount: 2, nodes: [{ code: "30742", name: "Phường Rạch Giá", validTo: null }, { code: "899", name: "Thành phố Rạch Giá", validTo: "2025-07-01" }] };
    expect(ok(await gql(`{ searchOrgUnits(text: "Rạch Giá", under: "91", includeHistorical: true) ${FOUND} }`)).searchOrgUnits).toEqual(expected);
    // as a token of the new An Giang reaches them
    expect(ok(await h.gql(`{ searchOrgUnits(text: "Rạch Giá", includeHistorical: true) ${FOUND} }`, {}, h.token("91"))).searchOrgUnits).toEqual(expected);
    // and nothing of a neighbour: Cà Mau's units are not under An Giang
    expect(ok(await gql(`{ searchOrgUnits(text: "Cà Mau", under: "91", includeHistorical: true) { totalCount } }`)).searchOrgUnits.totalCount).toBe(0);
    // without includeHistorical, the tree of the date only
    expect(ok(await gql(`{ searchOrgUnits(text: "Rạch Giá", under: "91") ${FOUND} }`)).searchOrgUnits.nodes.map((n: any) => n.code)).toEqual(["30742"]);
    expect(ok(await gql(`{ searchOrgUnits(text: "Rạch Giá", under: "91", asOf: "2024-06-30") { nodes { code } } }`)).searchOrgUnits.nodes.map((n: any) => n.code)).toContain("899");
  });
});

describe("a constant number of statements on both trees", () => {
  const CHILD = `code name successors { relation unit { code name } } predecessors { relation unit { code } } formerNames { name validTo }`;

  it("children, each with its successors, predecessors and former names: 5 or 50 children", async () => {
    const page = (asOf: string | null, first: number) =>
      gql(`query($asOf: Date, $first: Int!) { orgUnit(code: "VN", asOf: $asOf) { children(first: $first) { nodes { ${CHILD} } } } }`, { asOf, first });
    for (const asOf of ["2024-06-30", null]) {
      const small = await page(asOf, 5);
      const large = await page(asOf, 50);
      expect(ok(small).orgUnit.children.nodes).toHaveLength(5);
      expect(ok(large).orgUnit.children.nodes).toHaveLength(asOf ? 50 : 34);
      expect(large.statements).toBe(small.statements);
      // the unit, its children, then one batch each for successors, predecessors and former names
      expect(large.statements).toBeLessThanOrEqual(5);
    }
    // on the old tree the successors are there (a merged province), on the new one the predecessors
    const old = ok(await page("2024-06-30", 50)).orgUnit.children.nodes;
    // Yên Bái (15) went into the new Lào Cai, which took its code
    expect(old.find((p: any) => p.code === "15").successors).toEqual([{ relation: "FULL", unit: { code: "15", name: "Tỉnh Lào Cai" } }]);
    const communes = (first: number) => gql(`{ orgUnit(code: "01") { children(first: ${first}) { nodes { ${CHILD} } } } }`);
    const [c5, c50] = [await communes(5), await communes(50)];
    expect(ok(c50).orgUnit.children.nodes).toHaveLength(50);
    expect(ok(c50).orgUnit.children.nodes.every((c: any) => c.predecessors.length > 0)).toBe(true);
    expect(c50.statements).toBe(c5.statements);
  });

  it("children of children: every parent's page in one statement, 3 or 13 districts", async () => {
    const tree = (first: number) =>
      gql(`{ orgUnit(code: "22", asOf: "2024-06-30") { children(first: ${first}) { nodes { code children(first: 3) { totalCount nodes { code } } } } } }`);
    const [small, large] = [await tree(3), await tree(13)];
    const districts = ok(large).orgUnit.children.nodes;
    expect(districts).toHaveLength(13);
    expect(districts.every((d: any) => d.children.totalCount > 0 && d.children.nodes.length > 0)).toBe(true);
    expect(districts.find((d: any) => d.code === "193").children.totalCount).toBe(33);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(3);
  });

  it("a search, with the same nested fields: 5 or 50 results", async () => {
    const search = (asOf: string | null, includeHistorical: boolean, first: number) =>
      gql(
        `query($asOf: Date, $h: Boolean!, $first: Int!) { searchOrgUnits(text: "phuong", under: "01", asOf: $asOf, includeHistorical: $h, first: $first) { nodes { ${CHILD} } } }`,
        { asOf, h: includeHistorical, first },
      );
    for (const [asOf, historical] of [["2024-06-30", false], [null, false], [null, true]] as const) {
      const small = await search(asOf, historical, 5);
      const large = await search(asOf, historical, 50);
      expect(ok(large).searchOrgUnits.nodes).toHaveLength(50);
      expect(large.statements).toBe(small.statements);
      // `under`, the page, then one batch each for successors, predecessors and former names
      expect(large.statements).toBeLessThanOrEqual(5);
    }
  });

  it("the province page with its children's cells: 2025-Q1 on the districts, 2025-Q3 on the communes", async () => {
    const rollup = (unitCode: string, period: string) =>
      gql(`query($u: String!, $p: String!) { rollup(unitCode: $u, period: $p) { unit { code asOf } cells { indicatorCode unitsExpected }
             children { unit { code level } cells { indicatorCode value status unitsExpected } } } }`, { u: unitCode, p: period });
    const q1 = await rollup("22", "2025-Q1");
    const q3 = await rollup("22", "2025-Q3");
    const q1Children = ok(q1).rollup.children;
    const q3Children = ok(q3).rollup.children;
    expect(q1Children.length).toBeGreaterThanOrEqual(12);
    expect(q1Children.every((c: any) => c.unit.level === "DISTRICT")).toBe(true);
    expect(q3Children).toHaveLength(54);
    expect(q3Children.every((c: any) => c.unit.level === "COMMUNE")).toBe(true);
    expect(ok(q3).rollup.unit).toEqual({ code: "22", asOf: "2025-09-30" });
    // a page with few children costs the same: Lai Châu (8 districts) and one commune (none)
    const smallQ1 = await rollup("12", "2025-Q1");
    const smallQ3 = await rollup("03388", "2025-Q3");
    expect(ok(smallQ3).rollup.children).toEqual([]);
    expect(q1.statements).toBe(smallQ1.statements);
    expect(q3.statements).toBe(smallQ3.statements);
    // one statement loads units, summaries and counts of the date, one more the effective targets
    expect(q1.statements).toBeLessThanOrEqual(2);
    expect(q3.statements).toBeLessThanOrEqual(2);
  });
});

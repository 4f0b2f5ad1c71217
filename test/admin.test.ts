import fs from "node:fs";
import path from "node:path";
import { Role } from "../src/auth/auth.types";
import { todayInVietnam } from "../src/common/date.scalar";
import { errorCode, startHarness, type GqlResult, type Harness } from "./support/harness";

/**
 * The ADMIN role's mutations: units of the admin's subtree (createOrgUnit, updateOrgUnit) and the
 * national indicator catalog (createIndicator, updateIndicator). Real PostgreSQL, the server as the
 * application role (row-level security applies); fixtures and checks as the owner.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const UNIT = `code name level type validFrom validTo parent { code } province { code } district { code } ancestors { code }`;
const CREATE_UNIT = `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { ${UNIT} } }`;
const UPDATE_UNIT = `mutation($input: UpdateOrgUnitInput!) { updateOrgUnit(input: $input) { ${UNIT} } }`;
const INDICATOR = `code nameVi nameEn area valueKind direction rollupRule reportingLevel periodType periodRule measuredOn sortOrder`;
const CREATE_INDICATOR = `mutation($input: CreateIndicatorInput!) { createIndicator(input: $input) { ${INDICATOR} } }`;
const UPDATE_INDICATOR = `mutation($input: UpdateIndicatorInput!) { updateIndicator(input: $input) { ${INDICATOR} } }`;

const qnAdmin = () => h.token("22", [Role.ADMIN, Role.VIEWER], "admin-qn");
const nationAdmin = () => h.token("VN", [Role.ADMIN, Role.VIEWER], "admin-vn");

/** Everything an admin's change could touch, to compare before and after a refusal. */
async function snapshot() {
  const q = async (sql: string) => (await h.dataSource.query(sql))[0];
  return {
    units: await q(`SELECT count(*) AS n, md5(string_agg(t::text, '|' ORDER BY t.id)) AS sum FROM org_unit t`),
    counts: await q(`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS sum FROM org_unit_count t`),
    indicators: await q(`SELECT count(*) AS n, md5(string_agg(t::text, '|' ORDER BY t.id)) AS sum FROM indicator t`),
    audit: await q(`SELECT count(*) AS n FROM audit_log`),
  };
}

const unitRow = async (code: string) =>
  (
    await h.dataSource.query(
      `SELECT u.id, u.code, u.name, u.name_search, u.level, u.unit_type, u.parent_id, u.path, u.depth, u.province_id, u.district_id,
              to_char(u.valid_from, 'YYYY-MM-DD') AS valid_from
         FROM org_unit u WHERE u.code = $1 AND u.valid_to IS NULL`,
      [code],
    )
  )[0];

const auditOf = (entity: string, entityId: string) =>
  h.dataSource.query(
    `SELECT actor, action, entity, entity_id, unit_path, old_value, new_value, reason, request_id FROM audit_log
      WHERE entity = $1 AND entity_id = $2 ORDER BY id`,
    [entity, entityId],
  );

function expectRefused(r: GqlResult, code: string, field?: string) {
  expect({ code: errorCode(r), field: r.errors?.[0]?.extensions?.field }).toEqual({ code, field: field ?? r.errors?.[0]?.extensions?.field });
  if (field !== undefined) expect(r.errors?.[0]?.extensions?.field).toBe(field);
  expect(r.data?.[Object.keys(r.data ?? {})[0] ?? ""] ?? null).toBeNull();
}

describe("createOrgUnit", () => {
  it("a province's admin adds a commune under one of its districts; it reads back everywhere, audited", async () => {
    const input = { parentCode: "193", code: "33001", name: "Phường Hà Khẩu Mới", type: "Phường", reason: "Nghị quyết thành lập phường" };
    const r = await h.gql(CREATE_UNIT, { input }, qnAdmin());
    expect(r.errors).toBeUndefined();
    expect(r.data.createOrgUnit).toEqual({
      code: "33001",
      name: "Phường Hà Khẩu Mới",
      level: "COMMUNE",
      type: "Phường",
      validFrom: todayInVietnam(),
      validTo: null,
      parent: { code: "193" },
      province: { code: "22" },
      district: { code: "193" },
      ancestors: [{ code: "VN" }, { code: "22" }, { code: "193" }],
    });

    // stored as the seed loader stores units: path ending in its own id, depth, province and district, search text
    const row = await unitRow("33001");
    const haLong = await unitRow("193");
    expect(row).toMatchObject({
      level: "commune",
      unit_type: "Phường",
      parent_id: haLong.id,
      path: `${haLong.path}${row.id}/`,
      depth: 3,
      province_id: haLong.province_id,
      district_id: haLong.id,
      name_search: "phuong ha khau moi",
    });

    // read back by another caller of the subtree (a viewer of Hạ Long)
    const viewer = h.token("193", [Role.VIEWER]);
    const children = await h.gql(`{ orgUnit(code: "193") { children(first: 200) { totalCount nodes { code name } } } }`, {}, viewer);
    expect(children.data.orgUnit.children.totalCount).toBe(34);
    expect(children.data.orgUnit.children.nodes).toContainEqual({ code: "33001", name: "Phường Hà Khẩu Mới" });
    const search = await h.gql(`{ searchOrgUnits(text: "ha khau moi") { totalCount nodes { code } } }`, {}, viewer);
    expect(search.data.searchOrgUnits).toEqual({ totalCount: 1, nodes: [{ code: "33001" }] });
    const byCode = await h.gql(`{ orgUnit(code: "33001") { ${UNIT} } }`, {}, viewer);
    expect(byCode.data.orgUnit).toEqual(r.data.createOrgUnit);
    // ... and not by another district
    expect(errorCode(await h.gql(`{ orgUnit(code: "33001") { code } }`, {}, h.token("195", [Role.VIEWER])))).toBe("NOT_FOUND");

    // the unit counts (completeness of roll-ups) follow
    const [count] = await h.dataSource.query(`SELECT n FROM org_unit_count WHERE unit_id = $1 AND level = 'commune'`, [haLong.id]);
    expect(count.n).toBe(34);

    const audit = await auditOf("org_unit", String(row.id));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: "admin-qn",
      action: "org_unit.create",
      unit_path: row.path,
      old_value: null,
      new_value: { code: "33001", name: "Phường Hà Khẩu Mới", type: "Phường", level: "commune", parentId: haLong.id, path: row.path },
      reason: "Nghị quyết thành lập phường",
    });
    expect(audit[0].request_id).toBeTruthy();
  });

  it("the national admin adds a province, a district in it and a commune in that (each level computed from the parent)", async () => {
    const admin = nationAdmin();
    const province = await h.gql(CREATE_UNIT, { input: { parentCode: "VN", code: "99", name: "Tỉnh Thử Nghiệm", type: "Tỉnh", validFrom: "2025-07-01", reason: "test tree" } }, admin);
    expect(province.errors).toBeUndefined();
    expect(province.data.createOrgUnit).toMatchObject({ level: "PROVINCE", validFrom: "2025-07-01", province: { code: "99" }, district: null, parent: { code: "VN" } });
    const district = await h.gql(CREATE_UNIT, { input: { parentCode: "99", code: "990", name: "Huyện Một", type: "Huyện", validFrom: "2025-07-01", reason: "test tree" } }, admin);
    expect(district.data.createOrgUnit).toMatchObject({ level: "DISTRICT", province: { code: "99" }, district: { code: "990" } });
    // NFD input (some keyboards) is stored as NFC, like the register's names
    const commune = await h.gql(
      CREATE_UNIT,
      { input: { parentCode: "990", code: "99001", name: " Đặc khu  Một ".normalize("NFD"), type: "Đặc khu".normalize("NFD"), validFrom: "2025-07-01", reason: "test tree" } },
      admin,
    );
    expect(commune.errors).toBeUndefined();
    expect(commune.data.createOrgUnit).toMatchObject({ name: "Đặc khu Một", type: "Đặc khu", level: "COMMUNE", province: { code: "99" }, district: { code: "990" } });
    const rows = await Promise.all(["99", "990", "99001"].map(unitRow));
    expect(rows.map((u) => [u.depth, u.province_id, u.district_id])).toEqual([
      [1, rows[0].id, null],
      [2, rows[0].id, rows[1].id],
      [3, rows[0].id, rows[1].id],
    ]);
    expect(rows[2].path).toBe(`${rows[1].path}${rows[2].id}/`);
    // the new province's own admin works in it at once
    const own = await h.gql(`{ orgUnit(code: "99") { children { nodes { code children { nodes { code } } } } } }`, {}, h.token("99", [Role.VIEWER]));
    expect(own.data.orgUnit.children.nodes).toEqual([{ code: "990", children: { nodes: [{ code: "99001" }] } }]);
  });

  describe("refusals change nothing", () => {
    const base = { parentCode: "193", code: "33010", name: "Xã Thử", type: "Xã", reason: "probe" };
    const cases: Array<[string, () => string, Record<string, unknown>, string, string | undefined]> = [
      ["a planner without ADMIN", () => h.token("22", [Role.PLANNER, Role.VIEWER]), base, "FORBIDDEN", undefined],
      ["another province's admin", () => h.token("79", [Role.ADMIN]), base, "NOT_FOUND", undefined],
      ["a sibling district's admin", () => h.token("195", [Role.ADMIN]), base, "NOT_FOUND", undefined],
      ["a parent that does not exist", qnAdmin, { ...base, parentCode: "98765" }, "NOT_FOUND", undefined],
      ["a province's admin adding a province (its parent is an ancestor)", qnAdmin, { ...base, parentCode: "VN", code: "98", type: "Tỉnh" }, "FORBIDDEN", "input.parentCode"],
      ["a district type for a commune", qnAdmin, { ...base, type: "Huyện" }, "BAD_USER_INPUT", "input.type"],
      ["a province type for a district", qnAdmin, { ...base, parentCode: "22", code: "997", type: "Tỉnh" }, "BAD_USER_INPUT", "input.type"],
      ["an unknown type", qnAdmin, { ...base, type: "Thôn" }, "BAD_USER_INPUT", "input.type"],
      ["a child of a commune", qnAdmin, { ...base, parentCode: "06649" }, "BAD_USER_INPUT", "input.parentCode"],
      ["a code a unit of the province uses", qnAdmin, { ...base, code: "06652" }, "CONFLICT", "input.code"],
      ["a code a unit of ANOTHER province uses (GSO codes are national)", qnAdmin, { ...base, code: "26734" }, "CONFLICT", "input.code"],
      ["a district's code", qnAdmin, { ...base, code: "195" }, "CONFLICT", "input.code"],
      ["the nation's code", qnAdmin, { ...base, code: "VN" }, "BAD_USER_INPUT", "input.code"],
      ["a malformed code", qnAdmin, { ...base, code: "3-01" }, "BAD_USER_INPUT", "code"],
      ["a code too long", qnAdmin, { ...base, code: "330011" }, "BAD_USER_INPUT", "code"],
      ["an empty name", qnAdmin, { ...base, name: "" }, "BAD_USER_INPUT", "name"],
      ["a blank name", qnAdmin, { ...base, name: "   " }, "BAD_USER_INPUT", "input.name"],
      ["a name too long", qnAdmin, { ...base, name: "x".repeat(201) }, "BAD_USER_INPUT", "name"],
      ["a date that does not exist", qnAdmin, { ...base, validFrom: "2025-02-30" }, "BAD_USER_INPUT", "input.validFrom"],
      ["a date before the parent's", qnAdmin, { ...base, validFrom: "1999-12-31" }, "BAD_USER_INPUT", "input.validFrom"],
      ["a date in another format", qnAdmin, { ...base, validFrom: "01/07/2025" }, "BAD_USER_INPUT", "validFrom"],
      ["no reason", qnAdmin, { ...base, reason: "" }, "BAD_USER_INPUT", "reason"],
      ["a blank reason", qnAdmin, { ...base, reason: "     " }, "BAD_USER_INPUT", "input.reason"],
    ];
    it.each(cases)("%s", async (_name, token, input, code, field) => {
      const before = await snapshot();
      const r = await h.gql(CREATE_UNIT, { input }, token());
      expectRefused(r, code, field);
      expect(await snapshot()).toEqual(before);
    });

    it("a unit outside the caller's scope is answered as one that does not exist", async () => {
      const outside = await h.gql(CREATE_UNIT, { input: base }, h.token("79", [Role.ADMIN]));
      const missing = await h.gql(CREATE_UNIT, { input: { ...base, parentCode: "98765" } }, h.token("79", [Role.ADMIN]));
      expect(outside.errors![0]!.message.replace("193", "X")).toBe(missing.errors![0]!.message.replace("98765", "X"));
    });
  });

  it("two admins racing for one code: one gets it, the other CONFLICT", async () => {
    const before = await snapshot();
    const [a, b] = await Promise.all([
      h.gql(CREATE_UNIT, { input: { parentCode: "193", code: "33077", name: "Phường Đua A", type: "Phường", reason: "race" } }, qnAdmin()),
      h.gql(CREATE_UNIT, { input: { parentCode: "760", code: "33077", name: "Phường Đua B", type: "Phường", reason: "race" } }, h.token("79", [Role.ADMIN])),
    ]);
    expect([errorCode(a), errorCode(b)].sort()).toEqual(["CONFLICT", undefined].sort());
    const [{ n }] = await h.dataSource.query(`SELECT count(*)::int AS n FROM org_unit WHERE code = '33077'`);
    expect(n).toBe(1);
    expect(Number((await snapshot()).audit.n)).toBe(Number(before.audit.n) + 1);
  });
});

describe("row-level security backs the service's checks (as the application role)", () => {
  /** The service's insert statement shape, run directly as the app role with a given scope. */
  async function insertAs(scopeCode: string, parentCode: string, code: string) {
    const [{ path: scope }] = await h.dataSource.query(`SELECT path FROM org_unit WHERE code = $1 AND valid_to IS NULL`, [scopeCode]);
    // the parent as the owner sees it, so that only the policy stands between the caller and the row
    const [parent] = await h.dataSource.query(`SELECT id, path, province_id FROM org_unit WHERE code = $1 AND valid_to IS NULL`, [parentCode]);
    const runner = h.appDataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(`SELECT set_config('app.scope_path', $1, true), set_config('app.actor', 'rls-probe', true)`, [scope]);
      const [{ user }] = await runner.query(`SELECT current_user AS user`);
      expect(user).not.toBe((await h.dataSource.query(`SELECT current_user AS user`))[0].user);
      return await runner.query(
        `WITH fresh AS (SELECT nextval(pg_get_serial_sequence('org_unit', 'id'))::int AS id)
         INSERT INTO org_unit (id, code, name, name_search, level, unit_type, parent_id, path, depth, province_id, district_id)
         OVERRIDING SYSTEM VALUE
         SELECT f.id, $2::text, 'Xã Thử RLS', 'xa thu rls', 'commune', 'Xã', $1::int, $3::text || f.id || '/', 3, $4::int, $1::int
           FROM fresh f
         RETURNING code`,
        [parent.id, code, parent.path, parent.province_id],
      );
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  it("the app role may draw an id and insert with it inside its subtree", async () => {
    expect(await insertAs("22", "193", "33050")).toEqual([{ code: "33050" }]);
  });

  it("and is refused outside it, whatever the service did", async () => {
    await expect(insertAs("79", "193", "33051")).rejects.toMatchObject({ code: "42501" }); // new row violates row-level security policy
  });
});

describe("updateOrgUnit", () => {
  it("renames a district of the province and changes its type; search and audit follow", async () => {
    const before = await unitRow("195");
    const r = await h.gql(UPDATE_UNIT, { input: { code: "195", name: "Thành phố Cẩm Phả Mới", reason: "đổi tên" } }, qnAdmin());
    expect(r.errors).toBeUndefined();
    expect(r.data.updateOrgUnit).toMatchObject({ code: "195", name: "Thành phố Cẩm Phả Mới", type: "Thành phố", level: "DISTRICT", parent: { code: "22" } });
    const typed = await h.gql(UPDATE_UNIT, { input: { code: "195", type: "Thị xã", reason: "sửa loại" } }, qnAdmin());
    expect(typed.data.updateOrgUnit).toMatchObject({ name: "Thành phố Cẩm Phả Mới", type: "Thị xã" });

    const after = await unitRow("195");
    // nothing else changed
    expect({ ...after, name: before.name, name_search: before.name_search, unit_type: before.unit_type }).toEqual(before);
    expect(after.name_search).toBe("thanh pho cam pha moi");
    const search = await h.gql(`{ searchOrgUnits(text: "cam pha moi") { nodes { code } } }`, {}, h.token("22", [Role.VIEWER]));
    expect(search.data.searchOrgUnits.nodes).toEqual([{ code: "195" }]);

    const audit = await auditOf("org_unit", String(after.id));
    expect(audit.map((a: { action: string }) => a.action)).toEqual(["org_unit.update", "org_unit.update"]);
    expect(audit[0]).toMatchObject({
      actor: "admin-qn",
      unit_path: after.path,
      old_value: { code: "195", name: "Thành phố Cẩm Phả", type: "Thành phố" },
      new_value: { code: "195", name: "Thành phố Cẩm Phả Mới", type: "Thành phố" },
      reason: "đổi tên",
    });
    expect(audit[1]).toMatchObject({ old_value: { type: "Thành phố" }, new_value: { type: "Thị xã" }, reason: "sửa loại" });
  });

  it("a district's admin corrects one of its communes", async () => {
    const r = await h.gql(UPDATE_UNIT, { input: { code: "06655", name: "Phường Hà Khẩu", type: "Phường", reason: "xác nhận" } }, h.token("193", [Role.ADMIN], "admin-hl"));
    expect(r.errors).toBeUndefined();
    expect(r.data.updateOrgUnit).toMatchObject({ code: "06655", district: { code: "193" } });
  });

  const cases: Array<[string, () => string, Record<string, unknown>, string, string | undefined]> = [
    ["its own unit", qnAdmin, { code: "22", name: "Tỉnh Quảng Ninh 2" }, "FORBIDDEN", "input.code"],
    ["its own unit (a district admin)", () => h.token("193", [Role.ADMIN]), { code: "193", name: "X" }, "FORBIDDEN", "input.code"],
    ["an ancestor", () => h.token("193", [Role.ADMIN]), { code: "22", name: "X" }, "FORBIDDEN", "input.code"],
    ["the nation", qnAdmin, { code: "VN", name: "X" }, "FORBIDDEN", "input.code"],
    ["a sibling district", () => h.token("193", [Role.ADMIN]), { code: "195", name: "X" }, "NOT_FOUND", undefined],
    ["another province's unit", qnAdmin, { code: "760", name: "X" }, "NOT_FOUND", undefined],
    ["without ADMIN", () => h.token("22", [Role.PLANNER, Role.VIEWER, Role.REPORTER]), { code: "193", name: "X" }, "FORBIDDEN", undefined],
    ["a type of another level", qnAdmin, { code: "193", type: "Xã" }, "BAD_USER_INPUT", "input.type"],
    ["nothing to change", qnAdmin, { code: "193" }, "BAD_USER_INPUT", "input"],
    ["a blank name", qnAdmin, { code: "193", name: "  " }, "BAD_USER_INPUT", "input.name"],
    ["a malformed code", qnAdmin, { code: "1/93", name: "X" }, "BAD_USER_INPUT", "code"],
  ];
  it.each(cases)("refuses %s, changing nothing", async (_name, token, input, code, field) => {
    const before = await snapshot();
    const r = await h.gql(UPDATE_UNIT, { input: { reason: "probe", ...input } }, token());
    expectRefused(r, code, field);
    expect(await snapshot()).toEqual(before);
  });

  it("says clearly why its own unit is refused", async () => {
    const r = await h.gql(UPDATE_UNIT, { input: { code: "22", name: "X", reason: "probe" } }, qnAdmin());
    expect(r.errors![0]!.message).toMatch(/your own unit.*manages the units below/);
  });
});

describe("createIndicator / updateIndicator", () => {
  const indicator = {
    code: "PRV_TEST_SHELTERS",
    nameVi: "Số cơ sở hỗ trợ nạn nhân",
    nameEn: "Victim support facilities",
    area: "HARM_REDUCTION",
    valueKind: "COUNT",
    direction: "HIGHER_IS_BETTER",
    rollupRule: "SUM",
    reportingLevel: "DISTRICT",
    periodType: "YEAR",
    periodRule: "LATEST",
    measuredOn: "facilities open at the end of the year",
    reason: "Kế hoạch 2026",
  };

  it("the national admin adds an indicator; everyone reads it; audited without a unit", async () => {
    const r = await h.gql(CREATE_INDICATOR, { input: indicator }, nationAdmin());
    expect(r.errors).toBeUndefined();
    const { reason: _r, ...fields } = indicator;
    const [{ max }] = await h.dataSource.query(`SELECT max(sort_order) FROM indicator WHERE code <> $1`, [indicator.code]);
    expect(r.data.createIndicator).toEqual({ ...fields, sortOrder: max + 1 });
    const read = await h.gql(`{ indicator(code: "PRV_TEST_SHELTERS") { ${INDICATOR} } indicators(area: HARM_REDUCTION) { code } }`, {}, h.token("908", [Role.VIEWER]));
    expect(read.data.indicator).toEqual(r.data.createIndicator);
    expect(read.data.indicators.map((i: { code: string }) => i.code)).toContain("PRV_TEST_SHELTERS");
    const [program] = await h.dataSource.query(`SELECT p.code FROM indicator i JOIN program p ON p.id = i.program_id WHERE i.code = $1`, [indicator.code]);
    expect(program.code).toBe("PCMD_2021_2025");
    const audit = await auditOf("indicator", "PRV_TEST_SHELTERS");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: "admin-vn",
      action: "indicator.create",
      unit_path: null,
      old_value: null,
      new_value: { code: "PRV_TEST_SHELTERS", valueKind: "count", rollupRule: "sum", reportingLevel: "district", periodRule: "latest" },
      reason: "Kế hoạch 2026",
    });
  });

  it("the national admin changes descriptive fields only; the math stays", async () => {
    const r = await h.gql(
      UPDATE_INDICATOR,
      { input: { code: "prv_test_shelters", nameEn: "Victim support facilities open", sortOrder: 5, reason: "wording" } },
      nationAdmin(),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.updateIndicator).toMatchObject({ code: "PRV_TEST_SHELTERS", nameEn: "Victim support facilities open", nameVi: indicator.nameVi, sortOrder: 5, valueKind: "COUNT", rollupRule: "SUM" });
    const audit = await auditOf("indicator", "PRV_TEST_SHELTERS");
    expect(audit[1]).toMatchObject({
      action: "indicator.update",
      old_value: { nameEn: "Victim support facilities" },
      new_value: { nameEn: "Victim support facilities open", sortOrder: 5, valueKind: "count" },
      reason: "wording",
    });
    // the settings that decide the math are not even in the input
    const math = await h.gql(UPDATE_INDICATOR, { input: { code: "PRV_TEST_SHELTERS", valueKind: "RATIO", reason: "try" } }, nationAdmin());
    expect(errorCode(math)).toBe("BAD_USER_INPUT");
    expect(math.errors![0]!.message).toMatch(/valueKind/);
  });

  const bad = (over: Record<string, unknown>) => ({ ...indicator, code: "PRV_TEST_BAD", ...over });
  const cases: Array<[string, () => string, Record<string, unknown>, string, string | undefined]> = [
    ["a province's admin", qnAdmin, bad({}), "FORBIDDEN", undefined],
    ["a commune's admin", () => h.token("06649", [Role.ADMIN]), bad({}), "FORBIDDEN", undefined],
    ["the nation without ADMIN", () => h.token("VN", [Role.VIEWER, Role.PLANNER, Role.REPORTER]), bad({}), "FORBIDDEN", undefined],
    ["SHARE_OF_UNITS of a count", nationAdmin, bad({ rollupRule: "SHARE_OF_UNITS" }), "BAD_USER_INPUT", "input.rollupRule"],
    ["RATIO_OF_SUMS of a yes/no", nationAdmin, bad({ valueKind: "YES_NO", rollupRule: "RATIO_OF_SUMS", periodRule: "ALL" }), "BAD_USER_INPUT", "input.rollupRule"],
    ["a ratio summed", nationAdmin, bad({ valueKind: "RATIO", rollupRule: "SUM" }), "BAD_USER_INPUT", "input.rollupRule"],
    ["a yes/no summed over quarters", nationAdmin, bad({ valueKind: "YES_NO", rollupRule: "SHARE_OF_UNITS", periodRule: "SUM" }), "BAD_USER_INPUT", "input.periodRule"],
    ["a ratio over ALL quarters", nationAdmin, bad({ valueKind: "RATIO", rollupRule: "RATIO_OF_SUMS", periodRule: "ALL" }), "BAD_USER_INPUT", "input.periodRule"],
    ["reported by the nation", nationAdmin, bad({ reportingLevel: "NATION" }), "BAD_USER_INPUT", "input.reportingLevel"],
    ["a code in use", nationAdmin, bad({ code: "AWR_COMMUNE_ACTIVITY" }), "CONFLICT", "input.code"],
    ["a code in use, in lower case", nationAdmin, bad({ code: "awr_commune_activity" }), "CONFLICT", "input.code"],
    ["a malformed code", nationAdmin, bad({ code: "PRV-TEST" }), "BAD_USER_INPUT", "code"],
    ["an empty name", nationAdmin, bad({ nameVi: "" }), "BAD_USER_INPUT", "nameVi"],
    ["a blank measure", nationAdmin, bad({ measuredOn: "  " }), "BAD_USER_INPUT", "input.measuredOn"],
    ["a negative sort order", nationAdmin, bad({ sortOrder: -1 }), "BAD_USER_INPUT", "sortOrder"],
    ["a blank reason", nationAdmin, bad({ reason: "    " }), "BAD_USER_INPUT", "input.reason"],
  ];
  it.each(cases)("createIndicator refuses %s, changing nothing", async (_name, token, input, code, field) => {
    const before = await snapshot();
    const r = await h.gql(CREATE_INDICATOR, { input }, token());
    expectRefused(r, code, field);
    expect(await snapshot()).toEqual(before);
  });

  it("the catalog is national: a province admin is told so, for updates too", async () => {
    const before = await snapshot();
    const create = await h.gql(CREATE_INDICATOR, { input: bad({}) }, qnAdmin());
    expect(create.errors![0]!.message).toMatch(/catalog is national/);
    const update = await h.gql(UPDATE_INDICATOR, { input: { code: "AWR_COMMUNE_ACTIVITY", nameEn: "x", reason: "probe" } }, qnAdmin());
    expectRefused(update, "FORBIDDEN");
    expect(update.errors![0]!.message).toMatch(/catalog is national/);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ["an unknown indicator", { code: "NO_SUCH_INDICATOR", nameEn: "x" }, "NOT_FOUND", undefined],
    ["nothing to change", { code: "AWR_COMMUNE_ACTIVITY" }, "BAD_USER_INPUT", "input"],
    ["a blank name", { code: "AWR_COMMUNE_ACTIVITY", nameVi: " " }, "BAD_USER_INPUT", "input.nameVi"],
  ])("updateIndicator refuses %s, changing nothing", async (_name, input, code, field) => {
    const before = await snapshot();
    const r = await h.gql(UPDATE_INDICATOR, { input: { reason: "probe", ...input } }, nationAdmin());
    expectRefused(r, code, field);
    expect(await snapshot()).toEqual(before);
  });
});

describe("the README's admin example", () => {
  it("runs as written against the seed data with an ADMIN token of Quảng Ninh", async () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("**Admins.**"));
    const example = /```graphql\n([\s\S]*?)```/.exec(section)![1]!;
    expect(example).toMatch(/createOrgUnit/);
    const r = await h.gql(example, {}, h.token("22", [Role.ADMIN]));
    expect(r.errors).toBeUndefined();
    expect(r.data.createOrgUnit).toEqual({
      code: "33099",
      level: "COMMUNE",
      validFrom: todayInVietnam(),
      province: { name: "Tỉnh Quảng Ninh" },
      district: { name: "Thành phố Hạ Long" },
    });
  });
});

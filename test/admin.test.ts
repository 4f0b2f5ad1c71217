import fs from "node:fs";
import path from "node:path";
import { Role } from "../src/auth/auth.types";
import { todayInVietnam } from "../src/common/date.scalar";
import { errorCode, startHarness, type GqlResult, type Harness } from "./support/harness";

/**
 * The ADMIN role's mutations: units of the admin's subtree (createOrgUnit, updateOrgUnit) and the
 * national indicator catalog (createIndicator, updateIndicator). Real PostgreSQL, the server as the
 * application role (row-level security applies); fixtures and checks as the owner.
 *
 * Two servers: today's (the two-tier tree: provinces and communes) and one run as on
 * 30/6/2025 (APP_TODAY), the last day of the three-tier tree, where districts and their admins exist. A unit
 * joins the tree of its first day (validFrom, default today).
 */
let h: Harness;

/** The three-tier tree's last day: the dated server's today. */
const DATED = "2025-06-30";

/** Each top-level block runs its own server (and database): today's, or one as on a given day (APP_TODAY). */
function serverAsOf(today?: string) {
  beforeAll(async () => {
    h = await startHarness(today ? { today } : {});
  });
  afterAll(() => h?.close());
}

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

/** The unit a code names on a date (default: the real today), as stored. */
const unitRow = async (code: string, on: string = todayInVietnam()) =>
  (
    await h.dataSource.query(
      `SELECT u.id, u.code, u.name, u.name_search, u.level, u.unit_type, u.parent_id, u.path, u.depth, u.province_id, u.district_id,
              to_char(u.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(u.valid_to, 'YYYY-MM-DD') AS valid_to
         FROM org_unit u WHERE u.code = $1 AND u.valid_from <= $2::date AND (u.valid_to IS NULL OR u.valid_to > $2::date)`,
      [code, on],
    )
  )[0];

const auditOf = (entity: string, entityId: string) =>
  h.dataSource.query(
    `SELECT actor, action, entity, entity_id, unit_path, old_value, new_value, reason, request_id FROM audit_log
      WHERE entity = $1 AND entity_id = $2 ORDER BY id`,
    [entity, entityId],
  );

/** How many communes a unit holds on a date (the counts behind completeness). */
const communesOn = async (unitId: number, on: string) =>
  (
    await h.dataSource.query(
      `SELECT n FROM org_unit_count WHERE unit_id = $1 AND level = 'commune' AND valid_from <= $2::date AND (valid_to IS NULL OR valid_to > $2::date)`,
      [unitId, on],
    )
  )[0]?.n as number | undefined;

function expectRefused(r: GqlResult, code: string, field?: string) {
  expect({ code: errorCode(r), field: r.errors?.[0]?.extensions?.field }).toEqual({ code, field: field ?? r.errors?.[0]?.extensions?.field });
  if (field !== undefined) expect(r.errors?.[0]?.extensions?.field).toBe(field);
  expect(r.data?.[Object.keys(r.data ?? {})[0] ?? ""] ?? null).toBeNull();
}

type Case = [string, () => string, Record<string, unknown>, string, string | undefined];

describe("on today's tree (two tiers: provinces and communes)", () => {
  serverAsOf();

  describe("createOrgUnit", () => {
    it("a province's admin adds a commune directly under the province; it reads back everywhere, audited", async () => {
      const input = { parentCode: "22", code: "33001", name: "Phường Hà Khẩu Mới", type: "Phường", reason: "Nghị quyết thành lập phường" };
      const r = await h.gql(CREATE_UNIT, { input }, qnAdmin());
      expect(r.errors).toBeUndefined();
      expect(r.data.createOrgUnit).toEqual({
        code: "33001",
        name: "Phường Hà Khẩu Mới",
        level: "COMMUNE",
        type: "Phường",
        validFrom: todayInVietnam(),
        validTo: null,
        parent: { code: "22" },
        province: { code: "22" },
        district: null,
        ancestors: [{ code: "VN" }, { code: "22" }],
      });

      // stored as the register loader stores a commune of the two-tier tree: path ending in its own id, depth 2, no district
      const row = await unitRow("33001");
      const qn = await unitRow("22");
      expect(row).toMatchObject({
        level: "commune",
        unit_type: "Phường",
        parent_id: qn.id,
        path: `${qn.path}${row.id}/`,
        depth: 2,
        province_id: qn.id,
        district_id: null,
        name_search: "phuong ha khau moi",
        valid_to: null,
      });

      // read back by another caller of the subtree (a viewer of Quảng Ninh): one of its 55 communes today
      const viewer = h.token("22", [Role.VIEWER]);
      const children = await h.gql(`{ orgUnit(code: "22") { children(first: 200) { totalCount nodes { code name } } } }`, {}, viewer);
      expect(children.data.orgUnit.children.totalCount).toBe(55);
      expect(children.data.orgUnit.children.nodes).toContainEqual({ code: "33001", name: "Phường Hà Khẩu Mới" });
      const search = await h.gql(`{ searchOrgUnits(text: "ha khau moi") { totalCount nodes { code } } }`, {}, viewer);
      expect(search.data.searchOrgUnits).toEqual({ totalCount: 1, nodes: [{ code: "33001" }] });
      const byCode = await h.gql(`{ orgUnit(code: "33001") { ${UNIT} } }`, {}, viewer);
      expect(byCode.data.orgUnit).toEqual(r.data.createOrgUnit);
      // ... and not by a sibling commune
      expect(errorCode(await h.gql(`{ orgUnit(code: "33001") { code } }`, {}, h.token("06652", [Role.VIEWER])))).toBe("NOT_FOUND");

      // the unit counts (completeness of roll-ups) follow, from its first day on: 54 communes since the reform, 55 today
      expect(await communesOn(qn.id, "2025-07-01")).toBe(54);
      expect(await communesOn(qn.id, todayInVietnam())).toBe(55);

      const audit = await auditOf("org_unit", String(row.id));
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actor: "admin-qn",
        action: "org_unit.create",
        unit_path: row.path,
        old_value: null,
        new_value: { code: "33001", name: "Phường Hà Khẩu Mới", type: "Phường", level: "commune", parentId: qn.id, path: row.path, validFrom: todayInVietnam() },
        reason: "Nghị quyết thành lập phường",
      });
      expect(audit[0].request_id).toBeTruthy();
    });

    it("a commune dated from the reform's first day joins the two-tier tree of that day, and not the day before", async () => {
      const input = { parentCode: "22", code: "33002", name: "Xã Thử Cải Cách", type: "Xã", validFrom: "2025-07-01", reason: "Nghị quyết sắp xếp" };
      const r = await h.gql(CREATE_UNIT, { input }, qnAdmin());
      expect(r.errors).toBeUndefined();
      expect(r.data.createOrgUnit).toMatchObject({ code: "33002", level: "COMMUNE", validFrom: "2025-07-01", validTo: null, parent: { code: "22" }, district: null });
      const viewer = h.token("22", [Role.VIEWER]);
      const onTheDay = await h.gql(`{ orgUnit(code: "22", asOf: "2025-07-01") { children(first: 200) { nodes { code } } } }`, {}, viewer);
      expect(onTheDay.data.orgUnit.children.nodes).toContainEqual({ code: "33002" });
      const before = await h.gql(`{ orgUnit(code: "33002", asOf: "2025-06-30") { code } }`, {}, viewer);
      expect(errorCode(before)).toBe("NOT_FOUND");
      expect(before.errors![0]!.message).toContain("Xã Thử Cải Cách from 2025-07-01");
    });

    it("the national admin adds a province, a district in it before the reform, a commune in that, and a commune under the province after it", async () => {
      const admin = nationAdmin();
      const province = await h.gql(CREATE_UNIT, { input: { parentCode: "VN", code: "99", name: "Tỉnh Thử Nghiệm", type: "Tỉnh", validFrom: "2025-01-01", reason: "test tree" } }, admin);
      expect(province.errors).toBeUndefined();
      expect(province.data.createOrgUnit).toMatchObject({ level: "PROVINCE", validFrom: "2025-01-01", validTo: null, province: { code: "99" }, district: null, parent: { code: "VN" } });
      // before 1/7/2025 a province's child is a district, and no district outlives the reform
      const district = await h.gql(CREATE_UNIT, { input: { parentCode: "99", code: "990", name: "Huyện Một", type: "Huyện", validFrom: "2025-01-01", reason: "test tree" } }, admin);
      expect(district.errors).toBeUndefined();
      expect(district.data.createOrgUnit).toMatchObject({ level: "DISTRICT", validFrom: "2025-01-01", validTo: "2025-07-01", province: { code: "99" }, district: { code: "990" } });
      // NFD input (some keyboards) is stored as NFC, like the register's names; the commune closes with its district
      const commune = await h.gql(
        CREATE_UNIT,
        { input: { parentCode: "990", code: "99001", name: " Đặc khu  Một ".normalize("NFD"), type: "Đặc khu".normalize("NFD"), validFrom: "2025-01-01", reason: "test tree" } },
        admin,
      );
      expect(commune.errors).toBeUndefined();
      expect(commune.data.createOrgUnit).toMatchObject({
        name: "Đặc khu Một",
        type: "Đặc khu",
        level: "COMMUNE",
        validTo: "2025-07-01",
        province: { code: "99" },
        district: { code: "990" },
      });
      // from 1/7/2025 the province's child is a commune, directly under it
      const after = await h.gql(CREATE_UNIT, { input: { parentCode: "99", code: "99002", name: "Xã Hai", type: "Xã", validFrom: "2025-07-01", reason: "test tree" } }, admin);
      expect(after.errors).toBeUndefined();
      expect(after.data.createOrgUnit).toMatchObject({ level: "COMMUNE", validFrom: "2025-07-01", validTo: null, parent: { code: "99" }, district: null });

      const rows = await Promise.all([unitRow("99"), unitRow("990", "2025-01-01"), unitRow("99001", "2025-01-01"), unitRow("99002")]);
      expect(rows.map((u) => [u.depth, u.province_id, u.district_id, u.valid_from, u.valid_to])).toEqual([
        [1, rows[0].id, null, "2025-01-01", null],
        [2, rows[0].id, rows[1].id, "2025-01-01", "2025-07-01"],
        [3, rows[0].id, rows[1].id, "2025-01-01", "2025-07-01"],
        [2, rows[0].id, null, "2025-07-01", null],
      ]);
      expect(rows[2].path).toBe(`${rows[1].path}${rows[2].id}/`);
      expect(rows[3].path).toBe(`${rows[0].path}${rows[3].id}/`);
      // the new province's own admin works in it at once, on either tree
      const own = await h.gql(
        `{ orgUnit(code: "99") { now: children { nodes { code } } before: children(asOf: "2025-06-30") { nodes { code children { nodes { code } } } } } }`,
        {},
        h.token("99", [Role.VIEWER]),
      );
      expect(own.errors).toBeUndefined();
      expect(own.data.orgUnit.now.nodes).toEqual([{ code: "99002" }]);
      expect(own.data.orgUnit.before.nodes).toEqual([{ code: "990", children: { nodes: [{ code: "99001" }] } }]);
    });

    it("refuses a commune under a district after 30/6/2025: the district does not exist that day (NOT_FOUND naming its dates), nothing written", async () => {
      for (const validFrom of [undefined, "2025-07-01"]) {
        const before = await snapshot();
        const r = await h.gql(
          CREATE_UNIT,
          { input: { parentCode: "193", code: "33011", name: "Phường Thử", type: "Phường", reason: "probe", ...(validFrom ? { validFrom } : {}) } },
          qnAdmin(),
        );
        expectRefused(r, "NOT_FOUND");
        expect(r.errors![0]!.message).toBe(
          `No unit has code 193 on ${validFrom ?? todayInVietnam()}; the code named Thành phố Hạ Long from 2000-01-01 until 2025-07-01. Ask with asOf a date in that span.`,
        );
        expect(r.errors![0]!.extensions).toMatchObject({ validSpans: [{ validFrom: "2000-01-01", validTo: "2025-07-01" }] });
        expect(await snapshot()).toEqual(before);
      }
    });

    describe("refusals change nothing", () => {
      const base = { parentCode: "22", code: "33010", name: "Xã Thử", type: "Xã", reason: "probe" };
      const cases: Case[] = [
        ["a planner without ADMIN", () => h.token("22", [Role.PLANNER, Role.VIEWER]), base, "FORBIDDEN", undefined],
        ["another province's admin", () => h.token("79", [Role.ADMIN]), base, "NOT_FOUND", undefined],
        ["a commune's admin adding under its province (an ancestor)", () => h.token("06652", [Role.ADMIN]), base, "FORBIDDEN", "input.parentCode"],
        ["a parent that does not exist", qnAdmin, { ...base, parentCode: "98765" }, "NOT_FOUND", undefined],
        ["a district that no longer exists", qnAdmin, { ...base, parentCode: "195" }, "NOT_FOUND", undefined],
        ["a province's admin adding a province (its parent is an ancestor)", qnAdmin, { ...base, parentCode: "VN", code: "98", type: "Tỉnh" }, "FORBIDDEN", "input.parentCode"],
        ["a district type for a province's child (a commune since 1/7/2025)", qnAdmin, { ...base, type: "Huyện" }, "BAD_USER_INPUT", "input.type"],
        ["a district type on the reform's first day", qnAdmin, { ...base, type: "Thị xã", validFrom: "2025-07-01" }, "BAD_USER_INPUT", "input.type"],
        ["an unknown type", qnAdmin, { ...base, type: "Thôn" }, "BAD_USER_INPUT", "input.type"],
        ["a child of a commune", qnAdmin, { ...base, parentCode: "06652" }, "BAD_USER_INPUT", "input.parentCode"],
        ["a code a unit of the province uses", qnAdmin, { ...base, code: "06652" }, "CONFLICT", "input.code"],
        ["a code a unit of ANOTHER province uses (GSO codes are national)", qnAdmin, { ...base, code: "25747" }, "CONFLICT", "input.code"],
        ["a code a unit uses on the new unit's first day", qnAdmin, { ...base, code: "06649", validFrom: "2025-06-30", parentCode: "193", type: "Phường" }, "CONFLICT", "input.code"],
        ["the nation's code", qnAdmin, { ...base, code: "VN" }, "BAD_USER_INPUT", "input.code"],
        ["a malformed code", qnAdmin, { ...base, code: "3-01" }, "BAD_USER_INPUT", "code"],
        ["a code too long", qnAdmin, { ...base, code: "330011" }, "BAD_USER_INPUT", "code"],
        ["an empty name", qnAdmin, { ...base, name: "" }, "BAD_USER_INPUT", "name"],
        ["a blank name", qnAdmin, { ...base, name: "   " }, "BAD_USER_INPUT", "input.name"],
        ["a name too long", qnAdmin, { ...base, name: "x".repeat(201) }, "BAD_USER_INPUT", "name"],
        ["a validFrom that does not exist", qnAdmin, { ...base, validFrom: "2025-02-30" }, "BAD_USER_INPUT", "input.validFrom"],
        ["a validFrom before the registers (and the parent)", qnAdmin, { ...base, validFrom: "1999-12-31" }, "BAD_USER_INPUT", "input.validFrom"],
        ["a validFrom past 2100", qnAdmin, { ...base, validFrom: "2101-01-01" }, "BAD_USER_INPUT", "validFrom"],
        ["a validFrom in another format", qnAdmin, { ...base, validFrom: "01/07/2025" }, "BAD_USER_INPUT", "validFrom"],
        ["a validFrom that is not a string", qnAdmin, { ...base, validFrom: 20250701 }, "BAD_USER_INPUT", undefined],
        ["no reason", qnAdmin, { ...base, reason: "" }, "BAD_USER_INPUT", "reason"],
        ["a blank reason", qnAdmin, { ...base, reason: "     " }, "BAD_USER_INPUT", "input.reason"],
      ];
      it.each(cases)("%s", async (_name, token, input, code, field) => {
        const before = await snapshot();
        const r = await h.gql(CREATE_UNIT, { input }, token());
        expectRefused(r, code, field);
        expect(await snapshot()).toEqual(before);
      });

      it("a unit outside the caller's scope is answered as one that does not exist, whatever its dates", async () => {
        const hcmcAdmin = h.token("79", [Role.ADMIN]);
        const missing = await h.gql(CREATE_UNIT, { input: { ...base, parentCode: "98765" } }, hcmcAdmin);
        for (const parentCode of ["22", "06652", "193"]) {
          const outside = await h.gql(CREATE_UNIT, { input: { ...base, parentCode } }, hcmcAdmin);
          expect(outside.errors![0]!.message.replace(parentCode, "X")).toBe(missing.errors![0]!.message.replace("98765", "X"));
          expect(outside.errors![0]!.extensions).not.toHaveProperty("validSpans");
        }
      });
    });

    it("two admins racing for one code: one gets it, the other CONFLICT", async () => {
      const before = await snapshot();
      const [a, b] = await Promise.all([
        h.gql(CREATE_UNIT, { input: { parentCode: "22", code: "33077", name: "Phường Đua A", type: "Phường", reason: "race" } }, qnAdmin()),
        h.gql(CREATE_UNIT, { input: { parentCode: "79", code: "33077", name: "Phường Đua B", type: "Phường", reason: "race" } }, h.token("79", [Role.ADMIN])),
      ]);
      expect([errorCode(a), errorCode(b)].sort()).toEqual(["CONFLICT", undefined].sort());
      const [{ n }] = await h.dataSource.query(`SELECT count(*)::int AS n FROM org_unit WHERE code = '33077'`);
      expect(n).toBe(1);
      expect(Number((await snapshot()).audit.n)).toBe(Number(before.audit.n) + 1);
    });
  });

  describe("row-level security backs the service's checks (as the application role)", () => {
    /** The service's insert statement shape (a commune of the two-tier tree), run directly as the app role with a given scope. */
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
           INSERT INTO org_unit (id, code, name, name_search, level, unit_type, parent_id, path, depth, province_id, district_id, valid_from)
           OVERRIDING SYSTEM VALUE
           SELECT f.id, $2::text, 'Xã Thử RLS', 'xa thu rls', 'commune', 'Xã', $1::int, $3::text || f.id || '/', 2, $4::int, NULL, DATE '2025-07-01'
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
      expect(await insertAs("22", "22", "33050")).toEqual([{ code: "33050" }]);
    });

    it("and is refused outside it, whatever the service did", async () => {
      await expect(insertAs("79", "22", "33051")).rejects.toMatchObject({ code: "42501" }); // new row violates row-level security policy
      // a commune's scope is its own subtree: not a sibling under their province
      await expect(insertAs("06652", "22", "33052")).rejects.toMatchObject({ code: "42501" });
    });
  });

  describe("updateOrgUnit", () => {
    it("renames a commune of the province and changes its type; search and audit follow", async () => {
      const before = await unitRow("06652");
      expect(before).toMatchObject({ name: "Phường Hà Tu", unit_type: "Phường", level: "commune" });
      const r = await h.gql(UPDATE_UNIT, { input: { code: "06652", name: "Phường Hà Tu Mới", reason: "đổi tên" } }, qnAdmin());
      expect(r.errors).toBeUndefined();
      expect(r.data.updateOrgUnit).toMatchObject({ code: "06652", name: "Phường Hà Tu Mới", type: "Phường", level: "COMMUNE", parent: { code: "22" }, district: null });
      const typed = await h.gql(UPDATE_UNIT, { input: { code: "06652", type: "Xã", reason: "sửa loại" } }, qnAdmin());
      expect(typed.data.updateOrgUnit).toMatchObject({ name: "Phường Hà Tu Mới", type: "Xã" });

      const after = await unitRow("06652");
      // nothing else changed (and the former unit with the same code, Phường Hà Phong until 30/6/2025, not at all)
      expect({ ...after, name: before.name, name_search: before.name_search, unit_type: before.unit_type }).toEqual(before);
      expect(after.name_search).toBe("phuong ha tu moi");
      expect(await unitRow("06652", "2024-06-30")).toMatchObject({ name: "Phường Hà Phong", unit_type: "Phường" });
      const search = await h.gql(`{ searchOrgUnits(text: "ha tu moi") { nodes { code } } }`, {}, h.token("22", [Role.VIEWER]));
      expect(search.data.searchOrgUnits.nodes).toEqual([{ code: "06652" }]);

      const audit = await auditOf("org_unit", String(after.id));
      expect(audit.map((a: { action: string }) => a.action)).toEqual(["org_unit.update", "org_unit.update"]);
      expect(audit[0]).toMatchObject({
        actor: "admin-qn",
        unit_path: after.path,
        old_value: { code: "06652", name: "Phường Hà Tu", type: "Phường" },
        new_value: { code: "06652", name: "Phường Hà Tu Mới", type: "Phường" },
        reason: "đổi tên",
      });
      expect(audit[1]).toMatchObject({ old_value: { type: "Phường" }, new_value: { type: "Xã" }, reason: "sửa loại" });
    });

    const communeAdmin = () => h.token("06658", [Role.ADMIN]);
    const cases: Case[] = [
      ["its own unit", qnAdmin, { code: "22", name: "Tỉnh Quảng Ninh 2" }, "FORBIDDEN", "input.code"],
      ["its own unit (a commune admin)", communeAdmin, { code: "06658", name: "X" }, "FORBIDDEN", "input.code"],
      ["an ancestor", communeAdmin, { code: "22", name: "X" }, "FORBIDDEN", "input.code"],
      ["the nation", qnAdmin, { code: "VN", name: "X" }, "FORBIDDEN", "input.code"],
      ["a sibling commune", communeAdmin, { code: "06661", name: "X" }, "NOT_FOUND", undefined],
      ["another province's unit", qnAdmin, { code: "25747", name: "X" }, "NOT_FOUND", undefined],
      ["a district that no longer exists", qnAdmin, { code: "193", name: "X" }, "NOT_FOUND", undefined],
      ["without ADMIN", () => h.token("22", [Role.PLANNER, Role.VIEWER, Role.REPORTER]), { code: "06658", name: "X" }, "FORBIDDEN", undefined],
      ["a type of another level", qnAdmin, { code: "06658", type: "Huyện" }, "BAD_USER_INPUT", "input.type"],
      ["nothing to change", qnAdmin, { code: "06658" }, "BAD_USER_INPUT", "input"],
      ["a blank name", qnAdmin, { code: "06658", name: "  " }, "BAD_USER_INPUT", "input.name"],
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
      const read = await h.gql(`{ indicator(code: "PRV_TEST_SHELTERS") { ${INDICATOR} } indicators(area: HARM_REDUCTION) { code } }`, {}, h.token("30292", [Role.VIEWER]));
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
    const cases: Case[] = [
      ["a province's admin", qnAdmin, bad({}), "FORBIDDEN", undefined],
      ["a commune's admin", () => h.token("06652", [Role.ADMIN]), bad({}), "FORBIDDEN", undefined],
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
    it("runs as written against the seed data with an ADMIN token of Quảng Ninh: a new ward directly under the province", async () => {
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
        parent: { name: "Tỉnh Quảng Ninh" },
      });
    });
  });
});

describe("on the three-tier tree (a server as on 30/6/2025: provinces, districts, communes)", () => {
  serverAsOf(DATED);

  describe("createOrgUnit", () => {
    it("a province's admin adds a commune under one of its districts; it closes with the district; it reads back everywhere, audited", async () => {
      const input = { parentCode: "193", code: "33001", name: "Phường Hà Khẩu Mới", type: "Phường", reason: "Nghị quyết thành lập phường" };
      const r = await h.gql(CREATE_UNIT, { input }, qnAdmin());
      expect(r.errors).toBeUndefined();
      expect(r.data.createOrgUnit).toEqual({
        code: "33001",
        name: "Phường Hà Khẩu Mới",
        level: "COMMUNE",
        type: "Phường",
        validFrom: DATED,
        validTo: "2025-07-01", // as every unit of a district: the reform closed them
        parent: { code: "193" },
        province: { code: "22" },
        district: { code: "193" },
        ancestors: [{ code: "VN" }, { code: "22" }, { code: "193" }],
      });

      // stored as the seed loader stores units: path ending in its own id, depth, province and district, search text
      const row = await unitRow("33001", DATED);
      const haLong = await unitRow("193", DATED);
      expect(row).toMatchObject({
        level: "commune",
        unit_type: "Phường",
        parent_id: haLong.id,
        path: `${haLong.path}${row.id}/`,
        depth: 3,
        province_id: haLong.province_id,
        district_id: haLong.id,
        name_search: "phuong ha khau moi",
        valid_from: DATED,
        valid_to: "2025-07-01",
      });

      // read back by another caller of the subtree (a viewer of Hạ Long): 32 wards and communes in June 2025, and the new one
      const viewer = h.token("193", [Role.VIEWER]);
      const children = await h.gql(`{ orgUnit(code: "193") { children(first: 200) { totalCount nodes { code name } } } }`, {}, viewer);
      expect(children.data.orgUnit.children.totalCount).toBe(33);
      expect(children.data.orgUnit.children.nodes).toContainEqual({ code: "33001", name: "Phường Hà Khẩu Mới" });
      const search = await h.gql(`{ searchOrgUnits(text: "ha khau moi") { totalCount nodes { code } } }`, {}, viewer);
      expect(search.data.searchOrgUnits).toEqual({ totalCount: 1, nodes: [{ code: "33001" }] });
      const byCode = await h.gql(`{ orgUnit(code: "33001") { ${UNIT} } }`, {}, viewer);
      expect(byCode.data.orgUnit).toEqual(r.data.createOrgUnit);
      // ... and not by another district
      expect(errorCode(await h.gql(`{ orgUnit(code: "33001") { code } }`, {}, h.token("195", [Role.VIEWER])))).toBe("NOT_FOUND");

      // the unit counts (completeness of roll-ups) follow on its days only
      expect(await communesOn(haLong.id, "2025-06-29")).toBe(32);
      expect(await communesOn(haLong.id, DATED)).toBe(33);

      const audit = await auditOf("org_unit", String(row.id));
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actor: "admin-qn",
        action: "org_unit.create",
        unit_path: row.path,
        old_value: null,
        new_value: { code: "33001", name: "Phường Hà Khẩu Mới", type: "Phường", level: "commune", parentId: haLong.id, path: row.path, validFrom: DATED },
        reason: "Nghị quyết thành lập phường",
      });
      expect(audit[0].request_id).toBeTruthy();
    });

    it("a province's admin adds a district before the reform: it is valid until 1/7/2025", async () => {
      const r = await h.gql(CREATE_UNIT, { input: { parentCode: "22", code: "997", name: "Huyện Thử", type: "Huyện", reason: "Nghị quyết thành lập huyện" } }, qnAdmin());
      expect(r.errors).toBeUndefined();
      expect(r.data.createOrgUnit).toMatchObject({ code: "997", level: "DISTRICT", validFrom: DATED, validTo: "2025-07-01", parent: { code: "22" }, district: { code: "997" } });
      expect(await unitRow("997", DATED)).toMatchObject({ level: "district", depth: 2, valid_from: DATED, valid_to: "2025-07-01" });
    });

    describe("refusals change nothing", () => {
      const base = { parentCode: "193", code: "33010", name: "Xã Thử", type: "Xã", reason: "probe" };
      const cases: Case[] = [
        ["a planner without ADMIN", () => h.token("22", [Role.PLANNER, Role.VIEWER]), base, "FORBIDDEN", undefined],
        ["another province's admin", () => h.token("79", [Role.ADMIN]), base, "NOT_FOUND", undefined],
        ["a sibling district's admin", () => h.token("195", [Role.ADMIN]), base, "NOT_FOUND", undefined],
        ["a parent that does not exist", qnAdmin, { ...base, parentCode: "98765" }, "NOT_FOUND", undefined],
        ["a province's admin adding a province (its parent is an ancestor)", qnAdmin, { ...base, parentCode: "VN", code: "98", type: "Tỉnh" }, "FORBIDDEN", "input.parentCode"],
        ["a district type for a commune", qnAdmin, { ...base, type: "Huyện" }, "BAD_USER_INPUT", "input.type"],
        ["a province type for a district", qnAdmin, { ...base, parentCode: "22", code: "997", type: "Tỉnh" }, "BAD_USER_INPUT", "input.type"],
        ["an unknown type", qnAdmin, { ...base, type: "Thôn" }, "BAD_USER_INPUT", "input.type"],
        ["a child of a commune", qnAdmin, { ...base, parentCode: "06649" }, "BAD_USER_INPUT", "input.parentCode"],
        ["a commune under the district after 30/6/2025 (the district is gone that day)", qnAdmin, { ...base, validFrom: "2025-07-01" }, "NOT_FOUND", undefined],
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

  describe("updateOrgUnit", () => {
    it("a district's admin corrects one of its communes", async () => {
      const r = await h.gql(UPDATE_UNIT, { input: { code: "06655", name: "Phường Hà Khẩu", type: "Phường", reason: "xác nhận" } }, h.token("193", [Role.ADMIN], "admin-hl"));
      expect(r.errors).toBeUndefined();
      expect(r.data.updateOrgUnit).toMatchObject({ code: "06655", district: { code: "193" } });
    });

    const cases: Case[] = [
      ["its own unit (a district admin)", () => h.token("193", [Role.ADMIN]), { code: "193", name: "X" }, "FORBIDDEN", "input.code"],
      ["an ancestor", () => h.token("193", [Role.ADMIN]), { code: "22", name: "X" }, "FORBIDDEN", "input.code"],
      ["a sibling district", () => h.token("193", [Role.ADMIN]), { code: "195", name: "X" }, "NOT_FOUND", undefined],
      ["another province's unit", qnAdmin, { code: "760", name: "X" }, "NOT_FOUND", undefined],
      ["without ADMIN", () => h.token("22", [Role.PLANNER, Role.VIEWER, Role.REPORTER]), { code: "193", name: "X" }, "FORBIDDEN", undefined],
      ["a type of another level", qnAdmin, { code: "193", type: "Xã" }, "BAD_USER_INPUT", "input.type"],
      ["nothing to change", qnAdmin, { code: "193" }, "BAD_USER_INPUT", "input"],
      ["a blank name", qnAdmin, { code: "193", name: "  " }, "BAD_USER_INPUT", "input.name"],
    ];
    it.each(cases)("refuses %s, changing nothing", async (_name, token, input, code, field) => {
      const before = await snapshot();
      const r = await h.gql(UPDATE_UNIT, { input: { reason: "probe", ...input } }, token());
      expectRefused(r, code, field);
      expect(await snapshot()).toEqual(before);
    });
  });
});

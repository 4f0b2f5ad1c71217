import crypto from "node:crypto";
import { DataSource } from "typeorm";
import { appRoleUrl, loadAppRole } from "../src/db/app-role";
import { createDataSource } from "../src/db/data-source";
import { seedCatalog } from "../seeds/documents.seed";
import { readRegisters, seedRegisters, type RegistersSummary } from "../seeds/registers.seed";
import type { RegisterRow } from "../seeds/registers.rules";
import { adminQuery, createTestDatabase, testEnv, urlFor, type TestDatabase } from "./support/test-database";

/**
 * The three registers loaded as one dated tree (seeds/registers.seed.ts), checked by SQL. The seeded
 * template already holds them, so the loader runs on a fresh migrated database that holds only what an
 * older seed left there: the nation, two 2024 provinces (Lai Châu, which the reform kept, and Kiên Giang,
 * which it merged) and their plans. The loader must keep those units.
 */
let db: TestDatabase;
let first: RegistersSummary;
const lists = readRegisters();

/** A migrated database without any seed. */
async function createMigratedDatabase(): Promise<TestDatabase> {
  const { adminUrl } = testEnv();
  const name = `vnp_t_${process.env.TEST_RUN_ID}_${crypto.randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = urlFor(adminUrl, name);
  const dataSource = createDataSource(url, { poolSize: 5 });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: "each" });
  return {
    name,
    url,
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** What an older seed left: the nation and two provinces of the 2024 tree (open-ended), each with a plan. */
async function seedOlderUnits(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (m) => {
    const programId = await seedCatalog(m);
    await m.query(
      `WITH n AS (SELECT nextval(pg_get_serial_sequence('org_unit', 'id'))::int AS id)
       INSERT INTO org_unit (id, code, name, name_search, level, unit_type, parent_id, path, depth, valid_from)
       OVERRIDING SYSTEM VALUE SELECT n.id, 'VN', 'Việt Nam', 'viet nam', 'nation', NULL, NULL, '/' || n.id || '/', 0, DATE '2000-01-01' FROM n`,
    );
    await m.query(
      `WITH p AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS p(code, name, name_search)),
            f AS (SELECT p.*, nextval(pg_get_serial_sequence('org_unit', 'id'))::int AS id FROM p)
       INSERT INTO org_unit (id, code, name, name_search, level, unit_type, parent_id, path, depth, province_id, valid_from)
       OVERRIDING SYSTEM VALUE
       SELECT f.id, f.code, f.name, f.name_search, 'province', 'Tỉnh', n.id, n.path || f.id || '/', 1, f.id, DATE '2000-01-01'
         FROM f, org_unit n WHERE n.code = 'VN'`,
      [["12", "91"], ["Tỉnh Lai Châu", "Tỉnh Kiên Giang"], ["tinh lai chau", "tinh kien giang"]],
    );
    await m.query(
      `INSERT INTO plan (program_id, unit_id, title, period_start, period_end, created_by)
       SELECT $1, u.id, 'Kế hoạch ' || u.name, DATE '2021-01-01', DATE '2025-12-31', 'seed' FROM org_unit u WHERE u.level = 'province'`,
      [programId],
    );
  });
}

const q = <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => db.dataSource.query(sql, params);
const VALID_ON = (u: string, p: string) => `${u}.valid_from <= ${p}::date AND (${u}.valid_to IS NULL OR ${u}.valid_to > ${p}::date)`;

/** The unit a code names on a date (owner's view). */
async function unitOn(code: string, date: string) {
  const rows = await q(`SELECT u.*, to_char(u.valid_from, 'YYYY-MM-DD') AS "from", to_char(u.valid_to, 'YYYY-MM-DD') AS "to"
                          FROM org_unit u WHERE u.code = $1 AND ${VALID_ON("u", "$2")}`, [code, date]);
  expect(rows.length).toBeLessThanOrEqual(1);
  return rows[0];
}
async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await q(sql, params);
  return Number(Object.values(row)[0]);
}
async function tableCounts() {
  const [row] = await q(`SELECT (SELECT count(*) FROM org_unit)::int AS units, (SELECT count(*) FROM org_unit_succession)::int AS successions,
                                (SELECT count(*) FROM org_unit_name)::int AS names, (SELECT md5(string_agg(id || ':' || coalesce(valid_to::text, '-') || name, ',' ORDER BY id)) FROM org_unit) AS tree,
                                (SELECT md5(string_agg(unit_id || level || n, ',' ORDER BY unit_id, level)) FROM org_unit_count) AS counts`);
  return row;
}

beforeAll(async () => {
  db = await createMigratedDatabase();
  await seedOlderUnits(db.dataSource);
  first = await seedRegisters(db.dataSource);
});
afterAll(() => db?.drop());

describe("loading the registers", () => {
  it("loads every step on a database that holds only some 2024 units, keeping those units", async () => {
    expect(first.steps).toEqual({ list2024: "loaded", list202506: "loaded", list202507: "loaded" });
    expect(first.renamed).toBe(441);
    // the plans stay on their units: Lai Châu's on the Lai Châu that exists before and after, Kiên Giang's on
    // the Kiên Giang the reform closed (code 91 going to the new An Giang)
    const plans = await q(`SELECT u.code, u.name, to_char(u.valid_to, 'YYYY-MM-DD') AS valid_to FROM plan p JOIN org_unit u ON u.id = p.unit_id ORDER BY u.code`);
    expect(plans).toEqual([
      { code: "12", name: "Tỉnh Lai Châu", valid_to: null },
      { code: "91", name: "Tỉnh Kiên Giang", valid_to: "2025-07-01" },
    ]);
    expect(await count(`SELECT count(*) FROM org_unit WHERE code = '12'`)).toBe(1);
    expect(await count(`SELECT count(*) FROM org_unit WHERE code = '91'`)).toBe(2);
    expect(await count(`SELECT count(*) FROM org_unit WHERE code = 'VN'`)).toBe(1);
  });

  it("loads into the seeded template the same tree: the default seed loads every register", async () => {
    const template = await createTestDatabase();
    try {
      const again = await seedRegisters(template.dataSource);
      expect(again.steps).toEqual({ list2024: "present", list202506: "present", list202507: "present" });
      const shape = (ds: DataSource) =>
        ds.query(`SELECT (SELECT count(*)::int FROM org_unit) AS units, (SELECT count(*)::int FROM org_unit_succession) AS successions,
                         (SELECT count(*)::int FROM org_unit_name) AS names,
                         (SELECT md5(string_agg(code || ':' || valid_from || ':' || coalesce(valid_to::text, '-') || name || depth, ',' ORDER BY code, valid_from)) FROM org_unit) AS tree`);
      expect(await shape(template.dataSource)).toEqual(await shape(db.dataSource));
    } finally {
      await template.drop();
    }
  });

  it("reports the 12 crosswalk rows whose old code is in no unit list, and loads the rest", async () => {
    expect(first.skipped.map((r) => r.oldCode).sort()).toEqual(
      ["07693", "07732", "07744", "16387", "16411", "18448", "20176", "20674", "25102", "25174", "25177", "25186"],
    );
    expect(first.skipped[0]).toEqual(expect.objectContaining({ oldName: expect.any(String), newCode: expect.any(String), relation: "full" }));
    expect(await count(`SELECT count(*) FROM org_unit_succession WHERE effective_on = DATE '2025-07-01'`)).toBe(10646 - 12 - 11);
  });

  it("is idempotent: a second run finds every step there and changes nothing", async () => {
    const before = await tableCounts();
    const again = await seedRegisters(db.dataSource);
    expect(again).toMatchObject({ steps: { list2024: "present", list202506: "present", list202507: "present" }, opened: 0, closed: 0, successions: 0, renamed: 0 });
    expect(again.skipped).toHaveLength(12);
    expect(await tableCounts()).toEqual(before);
  });
});

describe("the tree of each date is its register", () => {
  async function treeOn(date: string) {
    const rows = await q<RegisterRow>(
      `SELECT u.code, coalesce(h.name, u.name) AS name, u.level, coalesce(h.unit_type, u.unit_type) AS type,
              CASE WHEN p.level = 'nation' THEN '' ELSE p.code END AS "parentCode"
         FROM org_unit u JOIN org_unit p ON p.id = u.parent_id
         LEFT JOIN org_unit_name h ON h.unit_id = u.id AND ${VALID_ON("h", "$1")}
        WHERE ${VALID_ON("u", "$1")}`,
      [date],
    );
    return rows.sort((a, b) => a.code.localeCompare(b.code));
  }
  const sorted = (rows: RegisterRow[]) => [...rows].sort((a, b) => a.code.localeCompare(b.code));

  it.each([
    ["2024-06-30", "list2024"],
    ["2024-12-31", "list2024"],
    ["2025-01-01", "list202506"],
    ["2025-06-30", "list202506"],
    ["2025-07-01", "list202507"],
    ["2026-11-29", "list202507"],
  ] as const)("on %s: %s (codes, names, types, levels and parents)", async (date, list) => {
    expect(await treeOn(date)).toEqual(sorted(lists[list]));
  });

  it("counts 63 provinces on 2024-06-30 and 34 on 2025-07-01 and today", async () => {
    const provinces = (date: string) => count(`SELECT count(*) FROM org_unit u WHERE u.level = 'province' AND ${VALID_ON("u", "$1")}`, [date]);
    expect([await provinces("2024-06-30"), await provinces("2025-06-30"), await provinces("2025-07-01"), await provinces("2026-11-29")]).toEqual([63, 63, 34, 34]);
  });

  it("holds no district and no commune under a district from 2025-07-01, and every unit within its parent's dates", async () => {
    expect(await count(`SELECT count(*) FROM org_unit u WHERE u.level = 'district' AND (u.valid_to IS NULL OR u.valid_to > DATE '2025-07-01')`)).toBe(0);
    expect(await count(`SELECT count(*) FROM org_unit u WHERE u.level = 'commune' AND u.depth = 3 AND (u.valid_to IS NULL OR u.valid_to > DATE '2025-07-01')`)).toBe(0);
    expect(await count(`SELECT count(*) FROM org_unit c JOIN org_unit p ON p.id = c.parent_id
                         WHERE c.valid_from < p.valid_from OR (p.valid_to IS NOT NULL AND (c.valid_to IS NULL OR c.valid_to > p.valid_to))`)).toBe(0);
    // a new commune sits directly under its province: path, depth, province, no district
    const [c] = await q(`SELECT c.depth, c.district_id, c.province_id = p.id AS own_province, c.path = p.path || c.id || '/' AS path_ok
                           FROM org_unit c JOIN org_unit p ON p.id = c.parent_id WHERE c.code = '03388' AND c.valid_to IS NULL`);
    expect(c).toEqual({ depth: 2, district_id: null, own_province: true, path_ok: true });
  });
});

describe("units by code and date", () => {
  it("Lai Châu (12): 8 districts and 106 communes on 2024-06-30; 38 communes directly under the same unit on 2026-01-01", async () => {
    const before = await unitOn("12", "2024-06-30");
    const after = await unitOn("12", "2026-01-01");
    expect(after.id).toBe(before.id);
    expect(await count(`SELECT count(*) FROM org_unit u WHERE u.parent_id = $1 AND u.level = 'district' AND ${VALID_ON("u", "$2")}`, [before.id, "2024-06-30"])).toBe(8);
    expect(await count(`SELECT count(*) FROM org_unit u WHERE u.province_id = $1 AND u.level = 'commune' AND ${VALID_ON("u", "$2")}`, [before.id, "2024-06-30"])).toBe(106);
    expect(await count(`SELECT count(*) FROM org_unit u WHERE u.parent_id = $1 AND u.level = 'commune' AND ${VALID_ON("u", "$2")}`, [before.id, "2026-01-01"])).toBe(38);
    // the roll-ups' unit counts follow the tree of each date
    const counted = (level: string, date: string) =>
      count(`SELECT coalesce(sum(c.n), 0) FROM org_unit_count c WHERE c.unit_id = $1 AND c.level = $2 AND ${VALID_ON("c", "$3")}`, [before.id, level, date]);
    expect([await counted("district", "2024-06-30"), await counted("commune", "2024-06-30")]).toEqual([8, 106]);
    expect([await counted("district", "2025-06-30"), await counted("commune", "2025-06-30")]).toEqual([8, 106]);
    expect([await counted("district", "2026-01-01"), await counted("commune", "2026-01-01")]).toEqual([0, 38]);
  });

  it("Hà Nội (01): 579 communes in 2024, 526 in 2025-06, 126 from 2025-07-01, one unit throughout", async () => {
    const hanoi = await unitOn("01", "2024-06-30");
    expect((await unitOn("01", "2026-11-29")).id).toBe(hanoi.id);
    const communes = (date: string) => count(`SELECT count(*) FROM org_unit u WHERE u.province_id = $1 AND u.level = 'commune' AND ${VALID_ON("u", "$2")}`, [hanoi.id, date]);
    expect([await communes("2024-06-30"), await communes("2025-06-30"), await communes("2025-07-01")]).toEqual([579, 526, 126]);
  });

  it("code 91 is Tỉnh Kiên Giang on 2024-06-30 and Tỉnh An Giang (a new unit, successor of Kiên Giang and An Giang 89) on 2025-07-01", async () => {
    const old = await unitOn("91", "2024-06-30");
    const now = await unitOn("91", "2025-07-01");
    expect([old.name, old.to, now.name, now.from, now.to]).toEqual(["Tỉnh Kiên Giang", "2025-07-01", "Tỉnh An Giang", "2025-07-01", null]);
    expect(now.id).not.toBe(old.id);
    const predecessors = await q(
      `SELECT p.code, p.name, s.relation, s.verification, to_char(s.effective_on, 'YYYY-MM-DD') AS on
         FROM org_unit_succession s JOIN org_unit p ON p.id = s.predecessor_id WHERE s.successor_id = $1 ORDER BY p.code`,
      [now.id],
    );
    expect(predecessors).toEqual([
      { code: "89", name: "Tỉnh An Giang", relation: "full", verification: "resolution", on: "2025-07-01" },
      { code: "91", name: "Tỉnh Kiên Giang", relation: "full", verification: "resolution", on: "2025-07-01" },
    ]);
  });

  it("the successors of 03386 Phường Quyết Thắng include 03388 Phường Đoàn Kết", async () => {
    const old = await unitOn("03386", "2025-06-30");
    expect([old.name, old.to]).toEqual(["Phường Quyết Thắng", "2025-07-01"]);
    expect(await unitOn("03386", "2025-07-01")).toBeUndefined();
    const successors = await q(
      `SELECT n.code, n.name, s.relation, s.verification FROM org_unit_succession s JOIN org_unit n ON n.id = s.successor_id WHERE s.predecessor_id = $1`,
      [old.id],
    );
    expect(successors).toContainEqual({ code: "03388", name: "Phường Đoàn Kết", relation: "full", verification: "bando" });
  });

  it("a commune the reform left as it was closes and reopens under its province, with its full row", async () => {
    const old = await unitOn("00859", "2025-06-30");
    const now = await unitOn("00859", "2025-07-01");
    expect([old.name, old.depth, now.name, now.depth, now.id === old.id]).toEqual(["Xã Ngọc Long", 3, "Xã Ngọc Long", 2, false]);
    expect(await q(`SELECT relation, verification FROM org_unit_succession WHERE predecessor_id = $1 AND successor_id = $2`, [old.id, now.id]))
      .toEqual([{ relation: "full", verification: "bando" }]);
  });

  it("an island district, which the 2024 list omits, exists from the start and became a special-zone commune", async () => {
    const conDao = await unitOn("755", "2024-06-30");
    expect([conDao.name, conDao.from, conDao.to]).toEqual(["Huyện Côn Đảo", "2000-01-01", "2025-07-01"]);
    const [zone] = await q(
      `SELECT n.code, n.name, n.unit_type, n.depth, p.code AS province FROM org_unit_succession s JOIN org_unit n ON n.id = s.successor_id
         JOIN org_unit p ON p.id = n.parent_id WHERE s.predecessor_id = $1`,
      [conDao.id],
    );
    expect(zone).toEqual({ code: "26732", name: "Đặc khu Côn Đảo", unit_type: "Đặc khu", depth: 2, province: "79" });
  });
});

describe("between the 2024 and 2025-06 lists (dated 2025-01-01)", () => {
  it("a renamed or retyped unit stays the same unit, its former name kept over the dates it bore it", async () => {
    const before = await unitOn("03979", "2024-12-31");
    const after = await unitOn("03979", "2025-01-01");
    expect(after.id).toBe(before.id);
    expect([after.name, after.unit_type]).toEqual(["Phường Mộc Sơn", "Phường"]);
    expect(await q(`SELECT name, name_search, unit_type, to_char(valid_from, 'YYYY-MM-DD') AS "from", to_char(valid_to, 'YYYY-MM-DD') AS "to", unit_path = $2 AS path_ok
                      FROM org_unit_name WHERE unit_id = $1`, [after.id, after.path]))
      .toEqual([{ name: "Thị trấn Mộc Châu", name_search: "thi tran moc chau", unit_type: "Thị trấn", from: "2000-01-01", to: "2025-01-01", path_ok: true }]);
  });

  it("a commune that moved to another district is a new unit, the old one going wholly into it", async () => {
    const old = await unitOn("07525", "2024-12-31");
    const now = await unitOn("07525", "2025-01-01");
    expect([old.name, old.to, now.name, now.from]).toEqual(["Thị trấn Chũ", "2025-01-01", "Phường Chũ", "2025-01-01"]);
    expect(await q(`SELECT relation, verification, to_char(effective_on, 'YYYY-MM-DD') AS on FROM org_unit_succession WHERE predecessor_id = $1`, [old.id]))
      .toEqual([{ relation: "full", verification: "codes", on: "2025-01-01" }]);
  });

  it("an abolished district goes to the districts its communes went to; a vanished commune has no successor", async () => {
    const successors = async (code: string) =>
      q(`SELECT n.code, s.relation FROM org_unit_succession s JOIN org_unit o ON o.id = s.predecessor_id JOIN org_unit n ON n.id = s.successor_id
          WHERE o.code = $1 ORDER BY n.code`, [code]);
    expect(await successors("405")).toEqual([{ code: "380", relation: "full" }]);
    expect(await successors("448")).toEqual([{ code: "436", relation: "partial" }, { code: "445", relation: "partial" }]);
    const vanished = lists.list2024.find((r) => r.level === "commune" && !lists.list202506.some((s) => s.code === r.code))!;
    const gone = await unitOn(vanished.code, "2024-12-31");
    expect(gone.to).toBe("2025-01-01");
    expect(await successors(vanished.code)).toEqual([]);
  });
});

describe("constraints of the dated tree", () => {
  /** Runs a statement as the owner in a transaction that is rolled back; answers the error's SQLSTATE, or "ok". */
  async function attempt(sql: string, params: unknown[] = []): Promise<string> {
    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(sql, params);
      return "ok";
    } catch (error) {
      return (error as { code?: string }).code ?? String(error);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }
  /** A new unit under the unit `parent` names on `parentOn`, valid from `from` (until `to`, or open). */
  const insertUnder = (code: string, level: string, type: string, parent: string, parentOn: string, from: string, to: string | null = null) =>
    attempt(
      `WITH p AS (SELECT * FROM org_unit u WHERE u.code = $4 AND ${VALID_ON("u", "$5")}),
            f AS (SELECT nextval(pg_get_serial_sequence('org_unit', 'id'))::int AS id)
       INSERT INTO org_unit (id, code, name, name_search, level, unit_type, parent_id, path, depth, province_id, district_id, valid_from, valid_to)
       OVERRIDING SYSTEM VALUE
       SELECT f.id, $1, 'Thử', 'thu', $2, $3, p.id, p.path || f.id || '/', p.depth + 1,
              CASE WHEN $2 = 'province' THEN f.id ELSE p.province_id END,
              CASE WHEN $2 = 'district' THEN f.id WHEN p.level = 'district' THEN p.id END, $6::date, $7::date
         FROM p, f`,
      [code, level, type, parent, parentOn, from, to],
    );

  it.each([
    ["a code that names another unit then (Kiên Giang until 2025-07-01)", "91", "province", "Tỉnh", "VN", "2025-01-01", "2025-03-01", "23P01"],
    ["a code that names another unit then (An Giang from 2025-07-01)", "91", "province", "Tỉnh", "VN", "2025-01-01", "2030-01-01", "23P01"],
    ["a commune under a district after 2025-06-30", "03399", "commune", "Xã", "105", "2025-06-30", "2026-01-01", "23514"],
    ["a commune under a district that outlives it", "03399", "commune", "Xã", "105", "2025-06-30", "2025-01-01", "23514"],
    ["a commune under a province before 2025-07-01", "03399", "commune", "Xã", "12", "2025-06-30", "2025-01-01", "23514"],
    ["a unit starting before its parent", "03399", "commune", "Xã", "12", "2026-01-01", "2020-01-01", "23514"],
  ])("refuses %s", async (_name, code, level, type, parent, parentOn, from, sqlstate) => {
    expect(await insertUnder(code, level, type, parent, parentOn, from)).toBe(sqlstate);
  });

  it.each([
    ["a code free on the date (an abolished commune's, from 2026)", "03386", "commune", "Xã", "12", "2026-01-01", "2026-01-01", null],
    ["a commune under its province from 2025-07-01", "03399", "commune", "Đặc khu", "12", "2026-01-01", "2025-07-01", null],
    ["a commune under a district before 2025-07-01, ending with it", "03399", "commune", "Xã", "105", "2025-06-30", "2025-01-01", "2025-07-01"],
  ])("accepts %s", async (_name, code, level, type, parent, parentOn, from, to) => {
    expect(await insertUnder(code, level, type, parent, parentOn, from, to)).toBe("ok");
  });

  it("refuses to end a district before its communes, or a province before its units", async () => {
    expect(await attempt(`UPDATE org_unit SET valid_to = DATE '2025-03-01' WHERE code = '105' AND valid_to = DATE '2025-07-01'`)).toBe("23514");
    expect(await attempt(`UPDATE org_unit SET valid_to = DATE '2027-01-01' WHERE code = '12'`)).toBe("23514");
    // closing a district with all its communes in one statement is fine
    expect(await attempt(`UPDATE org_unit SET valid_to = DATE '2025-06-01' WHERE valid_to = DATE '2025-07-01' AND path LIKE (SELECT path FROM org_unit WHERE code = '105' AND valid_to = DATE '2025-07-01') || '%'`)).toBe("ok");
  });

  it("refuses two names of one unit over the same dates", async () => {
    const unit = await unitOn("03979", "2025-01-01");
    expect(await attempt(`INSERT INTO org_unit_name (unit_id, name, name_search, unit_type, valid_from, valid_to) VALUES ($1, 'Xã Khác', 'xa khac', 'Xã', DATE '2024-06-01', DATE '2024-07-01')`, [unit.id])).toBe("23P01");
  });
});

describe("the name history under row-level security (as the application role)", () => {
  let app: DataSource;
  beforeAll(async () => {
    app = createDataSource(appRoleUrl(db.url, loadAppRole({ ...process.env, NODE_ENV: "test" })), { poolSize: 1 });
    await app.initialize();
  });
  afterAll(() => app?.destroy());

  async function namesSeenBy(code: string | null): Promise<string[]> {
    return app.transaction(async (m) => {
      if (code) {
        const [{ path }] = await q(`SELECT path FROM org_unit WHERE code = $1 AND valid_to IS NULL`, [code]);
        await m.query(`SELECT set_config('app.scope_path', $1, true)`, [path]);
      }
      return (await m.query(`SELECT name FROM org_unit_name ORDER BY name`)).map((r: { name: string }) => r.name);
    });
  }

  it("shows a unit's former names to whom may read the unit, and to nobody else", async () => {
    expect(await namesSeenBy("14")).toContain("Thị trấn Mộc Châu"); // Sơn La's own subtree
    expect(await namesSeenBy("14")).not.toContain("Tỉnh Thừa Thiên Huế");
    expect(await namesSeenBy("46")).toEqual(expect.arrayContaining(["Tỉnh Thừa Thiên Huế"]));
    expect(await namesSeenBy("46")).not.toContain("Thị trấn Mộc Châu");
    expect(await namesSeenBy("VN")).toHaveLength(441);
    expect(await namesSeenBy(null)).toEqual([]);
  });
});

describe("the two-tier reporting level of indicators", () => {
  it("the seed's district indicators are reported by communes in the two-tier tree; the others keep their level", async () => {
    const rows = await q(`SELECT reporting_level AS level, reporting_level_two_tier AS two_tier, count(*)::int AS n FROM indicator GROUP BY 1, 2 ORDER BY 1`);
    // (the 2026 plans' indicators: 2 of communes, 1 of districts, 5 of provinces; seeds/indicators.data.ts)
    expect(rows).toEqual([
      { level: "commune", two_tier: "commune", n: 5 },
      { level: "district", two_tier: "commune", n: 13 },
      { level: "province", two_tier: "province", n: 7 },
    ]);
  });

  it("a new indicator that does not say gets its level, a district's going to the commune", async () => {
    const [{ id: program }] = await q(`SELECT id FROM program LIMIT 1`);
    const rows = await q(
      `INSERT INTO indicator (program_id, code, name_vi, name_en, area, value_kind, direction, rollup_rule, reporting_level, period_type, period_rule, measured_on)
       VALUES ($1, 'T_DISTRICT', 'x', 'x', 'awareness', 'count', 'higher_is_better', 'sum', 'district', 'year', 'sum', 'x'),
              ($1, 'T_PROVINCE', 'x', 'x', 'awareness', 'count', 'higher_is_better', 'sum', 'province', 'year', 'sum', 'x')
       RETURNING code, reporting_level_two_tier AS two_tier`,
      [program],
    );
    expect(rows).toEqual([{ code: "T_DISTRICT", two_tier: "commune" }, { code: "T_PROVINCE", two_tier: "province" }]);
    await q(`DELETE FROM indicator WHERE code IN ('T_DISTRICT', 'T_PROVINCE')`);
  });
});

import { recordReform, ReformRefusedError } from "../src/org-unit/org-unit.reform.service";
import type { CrosswalkRow, ReformBatch } from "../src/org-unit/org-unit.reform.rules";
import { createTestDatabase, type TestDatabase } from "./support/test-database";

/**
 * recordReform on the database, as a mutation or the CLI will call it: on a copy of the seeded template,
 * which holds every register (the three-tier tree until 2025-06-30, every district ending on 2025-07-01,
 * and the two-tier tree from then). So a reform recorded now either falls on the three-tier tree and stays
 * within it (Hà Nội's quận Đống Đa (006), whose communes 00184 and 00211 the 2025-06 list no longer holds,
 * merged into neighbours that lasted until 2025-07-01), or falls after the reform, among the new communes
 * of Lai Châu (12): 03388, 03390, 03405, 03408, 03424, 03430, ... directly under the province.
 */
let db: TestDatabase;
const q = <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => db.dataSource.query(sql, params);

const row = (oldCode: string, newCode: string, relation = "full", check = "bando"): CrosswalkRow => {
  const level = (code: string) => (code.length === 2 ? "province" : code.length === 3 ? "district" : "commune");
  return { oldCode, oldName: "", oldLevel: level(oldCode), oldParentCode: "", oldProvinceCode: "", newCode, newName: "", newLevel: level(newCode), newProvinceCode: "", relation, check };
};
const commune = (code: string, parentCode: string, name = `Phường Thử ${code}`) => ({ code, name, level: "commune", type: "Phường", parentCode });

async function unit(code: string, date: string) {
  const [u] = await q(
    `SELECT u.id, u.name, u.level, u.depth, u.path, u.province_id, u.district_id, p.code AS parent,
            to_char(u.valid_from, 'YYYY-MM-DD') AS "from", to_char(u.valid_to, 'YYYY-MM-DD') AS "to"
       FROM org_unit u LEFT JOIN org_unit p ON p.id = u.parent_id
      WHERE u.code = $1 AND u.valid_from <= $2::date AND (u.valid_to IS NULL OR u.valid_to > $2::date)`,
    [code, date],
  );
  return u;
}
// counts are per span of dates: the span is part of the key, so the order is total (ties made the hash flaky)
async function snapshot() {
  const [s] = await q(`SELECT (SELECT md5(string_agg(id || code || coalesce(valid_to::text, '-'), ',' ORDER BY id)) FROM org_unit) AS units,
                              (SELECT count(*)::int FROM org_unit_succession) AS successions,
                              (SELECT md5(string_agg(unit_id || level || valid_from || n, ',' ORDER BY unit_id, level, valid_from)) FROM org_unit_count) AS counts`);
  return s;
}

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

describe("recordReform", () => {
  it("closes old units and links them to the units they went into: on a date of the three-tier tree", async () => {
    const district = await unit("006", "2024-09-30");
    const communesOn = async (date: string) =>
      Number((await q(`SELECT n FROM org_unit_count c WHERE c.unit_id = $1 AND c.level = 'commune' AND c.valid_from <= $2::date AND (c.valid_to IS NULL OR c.valid_to > $2::date)`, [district.id, date]))[0].n);
    const before = await communesOn("2024-10-01");
    const summary = await recordReform(db.dataSource.manager, {
      effectiveOn: "2024-10-01",
      rows: [row("00184", "00181"), row("00211", "00202", "partial"), row("00211", "00217", "partial", "unchecked"), row("01", "01", "full", "resolution")],
    });
    expect(summary).toEqual({ effectiveOn: "2024-10-01", closed: 2, opened: 0, successions: 3, continued: 1 });

    expect((await unit("00184", "2024-09-30")).to).toBe("2024-10-01");
    expect(await unit("00184", "2024-10-01")).toBeUndefined();
    expect((await unit("00211", "2024-09-30")).to).toBe("2024-10-01");
    // the units they went into are untouched: within their district, until the two-tier reform
    expect(await unit("00181", "2024-10-01")).toMatchObject({ name: "Phường Văn Miếu - Quốc Tử Giám", parent: "006", depth: 3, district_id: district.id, from: "2000-01-01", to: "2025-07-01" });
    expect((await unit("01", "2024-10-01")).to).toBeNull(); // the province continues, untouched
    const links = await q(
      `SELECT o.code AS old, n.code AS new, s.relation, s.verification, to_char(s.effective_on, 'YYYY-MM-DD') AS on
         FROM org_unit_succession s JOIN org_unit o ON o.id = s.predecessor_id JOIN org_unit n ON n.id = s.successor_id
        WHERE s.effective_on = DATE '2024-10-01' ORDER BY 1, 2`,
    );
    expect(links).toEqual([
      { old: "00184", new: "00181", relation: "full", verification: "bando", on: "2024-10-01" },
      { old: "00211", new: "00202", relation: "partial", verification: "bando", on: "2024-10-01" },
      { old: "00211", new: "00217", relation: "partial", verification: "unchecked", on: "2024-10-01" },
    ]);
    // completeness counts follow the tree of each date: two communes out from 2024-10-01, nothing before or after
    expect(await communesOn("2024-10-01")).toBe(before - 2);
    expect(await communesOn("2024-09-30")).toBe(before);
    expect(await communesOn("2025-01-01")).toBe(17);
  });

  it("refuses to open a unit under a district that ends on 2025-07-01 (it would outlive its parent), writing nothing", async () => {
    const before = await snapshot();
    const error = await recordReform(db.dataSource.manager, {
      effectiveOn: "2024-10-01",
      rows: [row("00220", "99390"), row("00223", "99390")],
      opens: [commune("99390", "006", "Phường Phương Liên Mới")],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/006/);
    expect((error as Error).message).toMatch(/2025-07-01/);
    expect(await snapshot()).toEqual(before);
    expect(await q(`SELECT 1 FROM org_unit WHERE code = '99390'`)).toEqual([]);
  });

  it("after 2025-07-01 opens a commune directly under its province", async () => {
    const province = await unit("12", "2026-01-01");
    const [{ n: before }] = await q(`SELECT n FROM org_unit_count WHERE unit_id = $1 AND level = 'commune' AND valid_to IS NULL`, [province.id]);
    const summary = await recordReform(db.dataSource.manager, {
      effectiveOn: "2026-01-01",
      rows: [row("03405", "99450"), row("03394", "99450", "partial"), row("03394", "03390", "partial")],
      opens: [{ ...commune("99450", "12"), type: "Xã", name: "Xã Sùng Phài" }],
    });
    expect(summary).toEqual({ effectiveOn: "2026-01-01", closed: 2, opened: 1, successions: 3, continued: 0 });
    const fresh = await unit("99450", "2026-01-01");
    expect(fresh).toMatchObject({ name: "Xã Sùng Phài", level: "commune", depth: 2, parent: "12", district_id: null, province_id: province.id, from: "2026-01-01", to: null });
    expect(fresh.path).toBe(`${province.path}${fresh.id}/`);
    // the old communes: opened by the reform of 2025-07-01, closed by this one
    expect(await unit("03405", "2025-12-31")).toMatchObject({ from: "2025-07-01", to: "2026-01-01" });
    expect(await unit("03405", "2026-01-01")).toBeUndefined();
    expect((await unit("12", "2026-01-01")).to).toBeNull();
    const [{ n: after }] = await q(`SELECT n FROM org_unit_count WHERE unit_id = $1 AND level = 'commune' AND valid_to IS NULL`, [province.id]);
    expect([before, after]).toEqual([38, 37]);
  });

  it.each<[string, ReformBatch, Array<[string, number, string]>]>([
    [
      "every bad row of a batch, one good row with them",
      {
        effectiveOn: "2026-01-01",
        rows: [row("03408", "99460"), row("03399", "99460", "partial"), row("03424", "99461"), row("03388", "99460", "sideways")],
        opens: [commune("99460", "12")],
      },
      [["rows", 1, "UNKNOWN_OLD_UNIT"], ["rows", 2, "UNKNOWN_NEW_UNIT"], ["rows", 3, "BAD_RELATION"]],
    ],
    [
      "a district, and a commune under it, opened after 2025-06-30",
      {
        effectiveOn: "2026-01-01",
        rows: [row("03408", "99460")],
        opens: [{ code: "999", name: "Huyện Thử", level: "district", type: "Huyện", parentCode: "12" }, commune("99460", "999")],
      },
      [["opens", 0, "WRONG_PARENT_LEVEL"], ["opens", 1, "WRONG_PARENT_LEVEL"]],
    ],
    [
      "a commune opened under a district that no longer exists",
      { effectiveOn: "2026-01-01", rows: [row("03408", "99460")], opens: [commune("99460", "105")] },
      [["opens", 0, "UNKNOWN_PARENT"]],
    ],
    [
      "a commune that the reform of 2025-07-01 already closed",
      { effectiveOn: "2026-01-01", rows: [row("03386", "03388")] },
      [["rows", 0, "UNKNOWN_OLD_UNIT"]],
    ],
    [
      "a commune closed on the day the reform of 2025-07-01 already closes it",
      { effectiveOn: "2025-07-01", rows: [row("03386", "03388")] },
      [["rows", 0, "OLD_UNIT_ENDED"]],
    ],
    [
      "a code that another unit bears on the date",
      { effectiveOn: "2026-01-01", rows: [row("03408", "03430")], opens: [commune("03430", "12")] },
      [["opens", 0, "CODE_TAKEN"]],
    ],
    [
      "a district closed with its communes left open",
      { effectiveOn: "2025-03-01", rows: [], closes: ["105"] },
      [["closes", 0, "ORPHANED_CHILD"]],
    ],
    [
      "a province closed with its communes left open",
      { effectiveOn: "2026-01-01", rows: [], closes: ["12"] },
      [["closes", 0, "ORPHANED_CHILD"]],
    ],
    ["a date that is not a date", { effectiveOn: "2026-13-01", rows: [row("03408", "99460")] }, [["effectiveOn", 0, "BAD_DATE"]]],
  ])("refuses %s, naming each problem and writing nothing", async (_name, batch, expected) => {
    const before = await snapshot();
    const error = await recordReform(db.dataSource.manager, batch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReformRefusedError);
    const refused = error as ReformRefusedError;
    expect(refused.code).toBe("BAD_USER_INPUT");
    expect(refused.details.field).toBe("rows");
    expect((refused.details.invalidRows as Array<{ list: string; index: number; code: string }>).map((p) => [p.list, p.index, p.code])).toEqual(expected);
    expect(refused.message).toMatch(/nothing was written/);
    expect(await snapshot()).toEqual(before);
  });

  it("is set-based: as many statements for four rows as for one", async () => {
    async function statements(batch: ReformBatch): Promise<number> {
      const runner = db.dataSource.createQueryRunner();
      const stats = { statements: 0 };
      runner.data = { stats };
      await runner.connect();
      await runner.startTransaction();
      try {
        await recordReform(runner.manager, batch);
        return stats.statements;
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    }
    const one = await statements({ effectiveOn: "2026-01-01", rows: [row("03408", "99480")], opens: [commune("99480", "12")] });
    const four = await statements({
      effectiveOn: "2026-01-01",
      rows: [row("03408", "99480"), row("03424", "99480"), row("03388", "99481"), row("03430", "99481")],
      opens: [commune("99480", "12"), commune("99481", "12")],
    });
    expect(one).toBeGreaterThan(3);
    expect(four).toBe(one);
  });

  it("runs in its caller's transaction: a caller that fails afterwards leaves nothing", async () => {
    const before = await snapshot();
    await expect(
      db.dataSource.transaction(async (manager) => {
        await recordReform(manager, { effectiveOn: "2026-01-01", rows: [row("03408", "99470")], opens: [commune("99470", "12")] });
        expect(await manager.query(`SELECT 1 FROM org_unit WHERE code = '99470'`)).toHaveLength(1);
        throw new Error("the caller's next step failed");
      }),
    ).rejects.toThrow("the caller's next step failed");
    expect(await snapshot()).toEqual(before);
  });
});

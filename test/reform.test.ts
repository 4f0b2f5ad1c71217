import { recordReform, ReformRefusedError } from "../src/org-unit/org-unit.reform.service";
import type { CrosswalkRow, ReformBatch } from "../src/org-unit/org-unit.reform.rules";
import { createTestDatabase, type TestDatabase } from "./support/test-database";

/**
 * recordReform on the database, as a mutation or the CLI will call it: on a copy of the seeded template
 * (the 2024 tree of the five seed provinces, open-ended). Lai Châu's district 105 (Thành phố Lai Châu)
 * holds 7 communes: 03386, 03387, 03388, 03389, 03403, 03408, 03409.
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
async function snapshot() {
  const [s] = await q(`SELECT (SELECT md5(string_agg(id || code || coalesce(valid_to::text, '-'), ',' ORDER BY id)) FROM org_unit) AS units,
                              (SELECT count(*)::int FROM org_unit_succession) AS successions,
                              (SELECT md5(string_agg(unit_id || level || n, ',' ORDER BY unit_id, level)) FROM org_unit_count) AS counts`);
  return s;
}

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

describe("recordReform", () => {
  it("closes the old units, opens the new one under its district, links them: on a date of the three-tier tree", async () => {
    const district = await unit("105", "2024-09-30");
    const [{ n: before }] = await q(`SELECT n FROM org_unit_count WHERE unit_id = $1 AND level = 'commune'`, [district.id]);
    const summary = await recordReform(db.dataSource.manager, {
      effectiveOn: "2024-10-01",
      rows: [row("03386", "99390"), row("03387", "99390", "partial"), row("03387", "03389", "partial", "unchecked"), row("12", "12", "full", "resolution")],
      opens: [commune("99390", "105", "Phường Quyết Thắng Mới")],
    });
    expect(summary).toEqual({ effectiveOn: "2024-10-01", closed: 2, opened: 1, successions: 3, continued: 1 });

    const fresh = await unit("99390", "2024-10-01");
    expect(fresh).toMatchObject({ name: "Phường Quyết Thắng Mới", level: "commune", depth: 3, parent: "105", district_id: district.id, province_id: district.province_id, from: "2024-10-01", to: null });
    expect(fresh.path).toBe(`${district.path}${fresh.id}/`);
    expect((await unit("03386", "2024-09-30")).to).toBe("2024-10-01");
    expect(await unit("03386", "2024-10-01")).toBeUndefined();
    expect((await unit("12", "2024-10-01")).to).toBeNull(); // the province continues, untouched
    const links = await q(
      `SELECT o.code AS old, n.code AS new, s.relation, s.verification, to_char(s.effective_on, 'YYYY-MM-DD') AS on
         FROM org_unit_succession s JOIN org_unit o ON o.id = s.predecessor_id JOIN org_unit n ON n.id = s.successor_id
        WHERE s.effective_on = DATE '2024-10-01' ORDER BY 1, 2`,
    );
    expect(links).toEqual([
      { old: "03386", new: "99390", relation: "full", verification: "bando", on: "2024-10-01" },
      { old: "03387", new: "03389", relation: "partial", verification: "unchecked", on: "2024-10-01" },
      { old: "03387", new: "99390", relation: "partial", verification: "bando", on: "2024-10-01" },
    ]);
    // completeness counts follow the current tree: two communes out, one in
    const [{ n: after }] = await q(`SELECT n FROM org_unit_count WHERE unit_id = $1 AND level = 'commune'`, [district.id]);
    expect(after).toBe(before - 1);
  });

  it("from 2025-07-01 opens a commune directly under its province", async () => {
    const province = await unit("12", "2025-07-01");
    await recordReform(db.dataSource.manager, { effectiveOn: "2025-07-01", rows: [row("03403", "99450")], opens: [{ ...commune("99450", "12"), type: "Xã", name: "Xã Sùng Phài" }] });
    expect(await unit("99450", "2025-07-01")).toMatchObject({ depth: 2, parent: "12", district_id: null, province_id: province.id, path: expect.stringMatching(new RegExp(`^${province.path}\\d+/$`)) });
  });

  it.each<[string, ReformBatch, Array<[string, number, string]>]>([
    [
      "every bad row of a batch, one good row with them",
      {
        effectiveOn: "2025-07-01",
        rows: [row("03408", "99460"), row("03399", "99460", "partial"), row("03409", "99461"), row("03388", "99460", "sideways")],
        opens: [commune("99460", "12")],
      },
      [["rows", 1, "UNKNOWN_OLD_UNIT"], ["rows", 2, "UNKNOWN_NEW_UNIT"], ["rows", 3, "BAD_RELATION"]],
    ],
    [
      "a commune opened under a district after 2025-06-30",
      { effectiveOn: "2026-01-01", rows: [row("03408", "99460")], opens: [commune("99460", "105")] },
      [["opens", 0, "WRONG_PARENT_LEVEL"]],
    ],
    [
      "a code that another unit bears on the date",
      { effectiveOn: "2026-01-01", rows: [row("03408", "03409")], opens: [commune("03409", "12")] },
      [["opens", 0, "CODE_TAKEN"]],
    ],
    [
      "a district closed with its communes left open",
      { effectiveOn: "2026-01-01", rows: [], closes: ["105"] },
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
      rows: [row("03408", "99480"), row("03409", "99480"), row("03388", "99481"), row("03389", "99481")],
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

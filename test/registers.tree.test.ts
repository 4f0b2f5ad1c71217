import { PlanRefusedError, RegisterTree, type StoredUnit } from "../seeds/registers.tree";
import type { CrosswalkRow } from "../src/org-unit/org-unit.reform.rules";

/** The register loader's tree in memory (seeds/registers.tree.ts): the reform core's rules applied without a database. */

const stored = (id: number, code: string, level: string, parentId: number | null, more: Partial<StoredUnit> = {}): StoredUnit => ({
  id, code, name: `Unit ${code}`, level, type: level === "nation" ? null : level === "province" ? "Tỉnh" : level === "district" ? "Huyện" : "Xã",
  parentId, validFrom: "2000-01-01", validTo: null, path: "", depth: 0, provinceId: null, districtId: null, namedSince: null, ...more,
});
const row = (oldCode: string, newCode: string, relation = "full"): CrosswalkRow => ({
  oldCode, oldName: "", oldLevel: oldCode.length === 2 ? "province" : "commune", oldParentCode: "", oldProvinceCode: "",
  newCode, newName: "", newLevel: newCode.length === 2 ? "province" : "commune", newProvinceCode: "", relation, check: "bando",
});
const world = () =>
  new RegisterTree([
    stored(1, "VN", "nation", null),
    stored(2, "12", "province", 1),
    stored(3, "105", "district", 2),
    stored(4, "03386", "commune", 3),
    stored(5, "03388", "commune", 3),
  ]);

describe("RegisterTree", () => {
  it("applies a reform: stored units closed (and marked changed), new ones opened with their own keys, successions between keys", () => {
    const tree = world();
    const result = tree.reform({
      effectiveOn: "2025-07-01",
      rows: [row("12", "12"), row("03386", "03388", "full"), row("03388", "03388", "full")],
      opens: [{ code: "03388", name: "Phường Đoàn Kết", level: "commune", type: "Phường", parentCode: "12" }],
      closes: ["105"],
    });
    expect(result).toEqual({ closed: 3, opened: 1, successions: 2 });
    expect(tree.changedVersions().map((v) => [v.code, v.validTo])).toEqual([["105", "2025-07-01"], ["03386", "2025-07-01"], ["03388", "2025-07-01"]]);
    const [fresh] = tree.newVersions();
    expect(fresh).toMatchObject({ key: -1, code: "03388", parentKey: 2, validFrom: "2025-07-01", validTo: null });
    expect(tree.successions).toEqual([
      { predecessorKey: 4, successorKey: -1, relation: "full", effectiveOn: "2025-07-01", verification: "bando" },
      { predecessorKey: 5, successorKey: -1, relation: "full", effectiveOn: "2025-07-01", verification: "bando" },
    ]);
    expect(tree.on("03388", "2025-06-30")!.key).toBe(5);
    expect(tree.on("03388", "2025-07-01")!.key).toBe(-1);
  });

  it("refuses a batch the rules refuse, naming every problem, and changes nothing", () => {
    const tree = world();
    const attempt = () => tree.reform({ effectiveOn: "2025-07-01", rows: [row("03399", "03388"), row("03386", "03400")], closes: ["105"] });
    expect(attempt).toThrow(PlanRefusedError);
    try {
      attempt();
    } catch (error) {
      expect((error as PlanRefusedError).problems.map((p) => [p.index, p.code])).toEqual([[0, "UNKNOWN_OLD_UNIT"], [1, "UNKNOWN_NEW_UNIT"]]);
    }
    expect(tree.changedVersions()).toEqual([]);
    expect(tree.newVersions()).toEqual([]);
  });

  it("refuses to leave a unit open under one it closes", () => {
    const tree = world();
    expect(() => tree.reform({ effectiveOn: "2025-07-01", rows: [], closes: ["105", "03386"] })).toThrow(/ORPHANED_CHILD: 105 closes on 2025-07-01 but 1 unit\(s\) under it stay open \(03388\)/);
    expect(tree.changedVersions()).toEqual([]);
  });

  it("keeps a unit across a rename, its former name dated from its last rename (or its start) to the day of the new name", () => {
    const tree = new RegisterTree([stored(1, "VN", "nation", null), stored(2, "46", "province", 1, { name: "Tỉnh Huế", namedSince: "2010-01-01" })]);
    expect(tree.rename([{ code: "46", name: "Thành phố Huế", type: "Thành phố Trung ương" }], "2025-01-01")).toBe(1);
    expect(tree.rename([{ code: "46", name: "Thành phố Huế", type: "Thành phố Trung ương" }], "2025-03-01")).toBe(0); // nothing to change
    expect(tree.rename([{ code: "46", name: "Thủ đô Huế", type: "Thành phố Trung ương" }], "2026-01-01")).toBe(1);
    expect(tree.formerNames).toEqual([
      { key: 2, name: "Tỉnh Huế", type: "Tỉnh", validFrom: "2010-01-01", validTo: "2025-01-01" },
      { key: 2, name: "Thành phố Huế", type: "Thành phố Trung ương", validFrom: "2025-01-01", validTo: "2026-01-01" },
    ]);
    expect(tree.changedVersions().map((v) => [v.name, v.type])).toEqual([["Thủ đô Huế", "Thành phố Trung ương"]]);
    expect(() => tree.rename([{ code: "47", name: "X", type: "Tỉnh" }], "2026-01-01")).toThrow(/no unit bears that code/);
  });
});

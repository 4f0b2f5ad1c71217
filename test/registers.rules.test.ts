import { OMITTED_FROM_2024, readRegisters } from "../seeds/registers.seed";
import {
  continuingCodes,
  diffRegisters,
  readCrosswalk,
  readUnitList,
  reformFromCrosswalk,
  withOmitted,
  type RegisterRow,
} from "../seeds/registers.rules";
import type { CrosswalkRow } from "../src/org-unit/org-unit.reform.rules";

/** The pure rules that turn registers into reforms (seeds/registers.rules.ts); no database. */

const u = (code: string, name: string, parentCode = "", type?: string): RegisterRow => {
  const level = code.length === 2 ? "province" : code.length === 3 ? "district" : "commune";
  return { code, name, level, type: type ?? { province: "Tỉnh", district: "Huyện", commune: "Xã" }[level], parentCode };
};

describe("reading the registers", () => {
  it("reads a unit list, codes as text", () => {
    const rows = readUnitList("code,name,level,type,parent_code\n01,Thành phố Hà Nội,province,Thành phố Trung ương,\n001,Quận Ba Đình,district,Quận,01\n00001,Phường Phúc Xá,commune,Phường,001\n", "t.csv");
    expect(rows).toEqual([
      { code: "01", name: "Thành phố Hà Nội", level: "province", type: "Thành phố Trung ương", parentCode: "" },
      { code: "001", name: "Quận Ba Đình", level: "district", type: "Quận", parentCode: "01" },
      { code: "00001", name: "Phường Phúc Xá", level: "commune", type: "Phường", parentCode: "001" },
    ]);
  });

  it.each([
    ["another header", "code,name,level,parent_code\n01,X,province,\n", /expected the header/],
    ["a short line", "code,name,level,type,parent_code\n01,X,province,Tỉnh\n", /t\.csv line 2: expected 5 fields, found 4/],
    ["an unknown level", "code,name,level,type,parent_code\n01,X,region,Tỉnh,\n", /t\.csv line 2: unknown level "region"/],
    ["nothing", "", /expected the header/],
  ])("refuses a unit list with %s, naming the file and line", (_name, text, message) => {
    expect(() => readUnitList(text, "t.csv")).toThrow(message);
  });

  it("reads the crosswalk's columns", () => {
    const [r] = readCrosswalk(
      "old_code,old_name,old_level,old_parent_code,old_province_code,new_code,new_name,new_level,new_province_code,relation,check\n" +
        "03386,Phường Quyết Thắng,commune,105,12,03388,Phường Đoàn Kết,commune,12,full,bando\n",
      "m.csv",
    );
    expect(r).toEqual({
      oldCode: "03386", oldName: "Phường Quyết Thắng", oldLevel: "commune", oldParentCode: "105", oldProvinceCode: "12",
      newCode: "03388", newName: "Phường Đoàn Kết", newLevel: "commune", newProvinceCode: "12", relation: "full", check: "bando",
    });
  });

  it("adds to a list the units it leaves out by omission, from a later list, and only those", () => {
    const later = [u("31", "Hải Phòng"), u("318", "Huyện Bạch Long Vĩ", "31"), u("319", "Huyện Khác", "31")];
    expect(withOmitted([u("31", "Hải Phòng")], later, ["318", "755"]).map((r) => r.code)).toEqual(["31", "318"]);
    expect(withOmitted([u("31", "Hải Phòng"), u("318", "Huyện Bạch Long Vĩ", "31")], later, ["318"]).map((r) => r.code)).toEqual(["31", "318"]);
  });
});

describe("continuingCodes: the same unit across two registers", () => {
  const before = [u("12", "Lai Châu"), u("105", "Huyện A", "12"), u("106", "Huyện B", "12"), u("03200", "Xã A", "105"), u("03201", "Xã B", "105"), u("03300", "Xã C", "106")];
  it.each<[string, RegisterRow[], string[]]>([
    ["nothing changed", before, ["12", "105", "106", "03200", "03201", "03300"]],
    ["a rename and a change of type keep the unit", [...before.slice(0, 3), u("03200", "Phường A", "105", "Phường"), ...before.slice(4)], ["12", "105", "106", "03200", "03201", "03300"]],
    ["a commune moved to another district is not the same unit", [...before.slice(0, 4), u("03201", "Xã B", "106"), before[5]!], ["12", "105", "106", "03200", "03300"]],
    ["a vanished code closes", before.filter((r) => r.code !== "03201"), ["12", "105", "106", "03200", "03300"]],
    ["a district under another province takes its communes with it", [u("12", "Lai Châu"), u("11", "Điện Biên"), u("105", "Huyện A", "11"), ...before.slice(2)], ["12", "106", "03300"]],
  ])("%s", (_name, after, expected) => {
    expect([...continuingCodes(before, after)]).toEqual(expected);
  });
});

describe("diffRegisters: 2024 → 2025-06, no crosswalk", () => {
  // province 24 with districts 213 (kept), 219 (kept, gives communes to the new 224), 221 (gone: all but one
  // commune to 213), 405 (gone: all to 213), 448 (gone: split between 213 and 219)
  const before = [
    u("24", "Tỉnh Bắc Giang"),
    u("213", "Thành phố Bắc Giang", "24", "Thành phố"),
    u("07200", "Xã Ở Lại", "213"),
    u("07201", "Xã Đổi Tên", "213"),
    u("219", "Huyện Lục Ngạn", "24"),
    u("07525", "Thị trấn Chũ", "219", "Thị trấn"),
    u("07530", "Xã Ở Lục Ngạn", "219"),
    u("221", "Huyện Yên Dũng", "24"),
    u("07600", "Xã Sang 213", "221"),
    u("07601", "Xã Biến Mất", "221"),
    u("405", "Huyện Đông Sơn", "24"),
    u("07700", "Xã Đông Một", "405"),
    u("07701", "Xã Đông Hai", "405"),
    u("448", "Huyện Lộc Hà", "24"),
    u("07800", "Xã Lộc Một", "448"),
    u("07801", "Xã Lộc Hai", "448"),
  ];
  const after = [
    u("24", "Tỉnh Bắc Giang"),
    u("213", "Thành phố Bắc Giang", "24", "Thành phố"),
    u("07200", "Xã Ở Lại", "213"),
    u("07201", "Phường Đổi Tên", "213", "Phường"),
    u("07600", "Xã Sang 213", "213"),
    u("07700", "Xã Đông Một", "213"),
    u("07701", "Xã Đông Hai", "213"),
    u("07800", "Xã Lộc Một", "213"),
    u("219", "Huyện Lục Ngạn", "24"),
    u("07530", "Xã Ở Lục Ngạn", "219"),
    u("07801", "Xã Lộc Hai", "219"),
    u("224", "Thị xã Chũ", "24", "Thị xã"),
    u("07525", "Phường Chũ", "224", "Phường"),
    u("07526", "Phường Mới", "224", "Phường"),
  ];
  const diff = diffRegisters(before, after, "2025-01-01");
  const pairs = diff.batch.rows.map((r) => `${r.oldCode}>${r.newCode}:${r.relation}:${r.check}`);

  it("keeps a renamed or retyped unit (same code, same parent) and records its new name", () => {
    expect(diff.renames).toEqual([{ code: "07201", name: "Phường Đổi Tên", type: "Phường" }]);
    expect(diff.batch.opens!.map((o) => o.code)).not.toContain("07201");
  });

  it.each([
    ["a commune that kept its code under a new district went wholly into it", "07600>07600:full:codes"],
    ["... unless a new code appeared under that district, which may have taken part of it", "07525>07525:partial:codes"],
    ["a closed district whose communes all moved to one district went wholly into it", "405>213:full:codes"],
    ["a closed district whose communes went to two districts went partly into each", "448>213:partial:codes"],
    ["... and into the other", "448>219:partial:codes"],
    ["a closed district one of whose communes vanished went only partly (as far as the codes say) where the others went", "221>213:partial:codes"],
  ])("%s", (_name, pair) => {
    expect(pairs).toContain(pair);
  });

  it("records nothing else: no successor for a vanished commune, none for a new unit", () => {
    expect(pairs.sort()).toEqual(
      ["07525>07525:partial:codes", "07600>07600:full:codes", "07700>07700:full:codes", "07701>07701:full:codes", "07800>07800:full:codes",
       "07801>07801:full:codes", "221>213:partial:codes", "405>213:full:codes", "448>213:partial:codes", "448>219:partial:codes"].sort(),
    );
    expect(diff.batch.closes).toEqual(["07601"]);
  });

  it("opens every unit that is not the same unit, on the date of the change", () => {
    expect(diff.batch.effectiveOn).toBe("2025-01-01");
    expect(diff.batch.opens!.map((o) => o.code).sort()).toEqual(["07525", "07526", "07600", "07700", "07701", "07800", "07801", "224"]);
  });

  it("fills the crosswalk columns the reform checks (parents and provinces on both sides)", () => {
    expect(diff.batch.rows.find((r) => r.oldCode === "448" && r.newCode === "219")).toEqual({
      oldCode: "448", oldName: "Huyện Lộc Hà", oldLevel: "district", oldParentCode: "24", oldProvinceCode: "24",
      newCode: "219", newName: "Huyện Lục Ngạn", newLevel: "district", newProvinceCode: "24", relation: "partial", check: "codes",
    });
  });
});

describe("reformFromCrosswalk: 2025-06 → 2025-07", () => {
  const before = [u("12", "Tỉnh Lai Châu"), u("105", "Thành phố Lai Châu", "12"), u("03386", "Phường Quyết Thắng", "105", "Phường"), u("03388", "Phường Đoàn Kết", "105", "Phường"),
    u("03390", "Xã Như Cũ", "105"), u("89", "Tỉnh An Giang"), u("91", "Tỉnh Kiên Giang")];
  const after = [u("12", "Tỉnh Lai Châu"), u("03388", "Phường Đoàn Kết", "12", "Phường"), u("03390", "Xã Như Cũ", "12"), u("91", "Tỉnh An Giang")];
  const r = (oldCode: string, newCode: string, relation = "full"): CrosswalkRow => ({
    oldCode, oldName: "", oldLevel: oldCode.length === 2 ? "province" : "commune", oldParentCode: "", oldProvinceCode: "",
    newCode, newName: "", newLevel: newCode.length === 2 ? "province" : "commune", newProvinceCode: "", relation, check: "bando",
  });
  const crosswalk = [r("12", "12"), r("89", "91"), r("91", "91"), r("03386", "03388"), r("03388", "03388"), r("03390", "03390"), r("07693", "03388")];
  const reform = reformFromCrosswalk(before, after, crosswalk, "2025-07-01");

  it("skips the rows whose old code is in no list of the time, and reports them", () => {
    expect(reform.skipped.map((x) => x.oldCode)).toEqual(["07693"]);
    expect(reform.batch.rows).toHaveLength(6);
  });

  it("keeps a province that kept its territory; opens the merged one under the old code and every commune, even one left as it was", () => {
    expect(reform.batch.opens!.map((o) => o.code)).toEqual(["03388", "03390", "91"]);
    expect(reform.batch.opens!.find((o) => o.code === "03390")).toMatchObject({ parentCode: "12" });
  });

  it("closes the units with no row (the districts) with no successor", () => {
    expect(reform.batch.closes).toEqual(["105"]);
  });
});

describe("the registers in seeds/", () => {
  const lists = readRegisters();

  it("hold the counts of seeds/SOURCES.md, the 2024 list with the five island districts it omits", () => {
    const count = (rows: RegisterRow[]) => ["province", "district", "commune"].map((l) => rows.filter((r) => r.level === l).length);
    expect(count(lists.list2024)).toEqual([63, 705, 10597]);
    expect(lists.list2024.filter((r) => (OMITTED_FROM_2024 as readonly string[]).includes(r.code))).toHaveLength(5);
    expect(count(lists.list202506)).toEqual([63, 696, 10035]);
    expect(count(lists.list202507)).toEqual([34, 0, 3321]);
    expect(lists.crosswalk).toHaveLength(10646);
  });

  it("2024 → 2025-06: 441 units renamed or retyped, closed units get successors only where the codes are certain", () => {
    const diff = diffRegisters(lists.list2024, lists.list202506, "2025-01-01");
    expect(diff.renames).toHaveLength(441);
    expect(diff.renames).toContainEqual({ code: "46", name: "Thành phố Huế", type: "Thành phố Trung ương" });
    expect(diff.batch.rows.every((r) => r.check === "codes")).toBe(true);
    expect(diff.batch.rows.filter((r) => r.oldLevel === "district").map((r) => `${r.oldCode}>${r.newCode}:${r.relation}`).sort()).toEqual([
      "221>213:partial", "358>356:partial", "369>374:partial", "405>380:full", "413>412:full", "448>436:partial", "448>445:partial",
      "483>482:full", "519>509:partial", "681>682:partial", "683>682:full", "752>753:partial",
    ]);
    expect(diff.batch.rows.filter((r) => r.oldLevel === "commune")).toHaveLength(148);
  });

  it("2025-06 → 2025-07: 12 crosswalk rows skipped, 11 provinces kept, every district closed", () => {
    const reform = reformFromCrosswalk(lists.list202506, lists.list202507, lists.crosswalk, "2025-07-01");
    expect(reform.skipped.map((r) => r.oldCode).sort()).toEqual(
      ["07693", "07732", "07744", "16387", "16411", "18448", "20176", "20674", "25102", "25174", "25177", "25186"],
    );
    expect(reform.batch.opens).toHaveLength(3355 - 11);
    expect(lists.list202507.filter((p) => p.level === "province" && !reform.batch.opens!.some((o) => o.code === p.code)).map((p) => p.code)).toEqual(
      ["01", "04", "11", "12", "14", "20", "22", "38", "40", "42", "46"],
    );
    expect(reform.batch.closes).toHaveLength(696 - 5);
  });
});

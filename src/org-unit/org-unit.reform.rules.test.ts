import {
  checkOrphans,
  dayBefore,
  levelChangeAllowed,
  parentLevelsOn,
  planReform,
  type BatchFacts,
  type CrosswalkRow,
  type KnownUnit,
  type ReformBatch,
  type UnitOpening,
} from "./org-unit.reform.rules";

/**
 * A small tree on 30/6/2025: the nation, provinces 12 and 11, district 105 of 12 with communes 03200 and
 * 03201, and commune 03210 which ended on 1/1/2025. The reform of 1/7/2025 is planned against it.
 */
const unit = (id: number, code: string, level: string, parentCode: string | null, provinceCode: string | null, validTo: string | null = null): KnownUnit => ({
  id,
  code,
  name: `Unit ${code}`,
  level,
  parentCode,
  provinceCode,
  validFrom: "2000-01-01",
  validTo,
  path: `/${id}/`,
  depth: { nation: 0, province: 1, district: 2, commune: 3 }[level]!,
  provinceId: null,
  districtId: null,
});
const VN = unit(1, "VN", "nation", null, null);
const P12 = unit(2, "12", "province", "VN", "12");
const D105 = unit(3, "105", "district", "12", "12");
const C03200 = unit(4, "03200", "commune", "105", "12");
const C03201 = unit(5, "03201", "commune", "105", "12");
const P11 = unit(6, "11", "province", "VN", "11");
const GONE = unit(7, "03210", "commune", "105", "12", "2025-01-01");
const ENDING = unit(8, "03220", "commune", "105", "12", "2025-07-01");

function facts(extra: { later?: Array<[string, string]> } = {}): BatchFacts {
  const before = [VN, P12, D105, C03200, C03201, P11, ENDING];
  return {
    before: new Map(before.map((u) => [u.code, u])),
    on: new Map([VN, P12, D105, C03200, C03201, P11].map((u) => [u.code, u])),
    later: new Map(extra.later ?? []),
  };
}

const row = (oldCode: string, newCode: string, relation = "full", more: Partial<CrosswalkRow> = {}): CrosswalkRow => {
  const level = (code: string) => (code.length === 2 ? "province" : code.length === 3 ? "district" : "commune");
  return {
    oldCode,
    oldName: "",
    oldLevel: level(oldCode),
    oldParentCode: "",
    oldProvinceCode: "",
    newCode,
    newName: "",
    newLevel: level(newCode),
    newProvinceCode: "",
    relation,
    check: "bando",
    ...more,
  };
};
const open = (code: string, parentCode: string, more: Partial<UnitOpening> = {}): UnitOpening => ({
  code,
  name: `Xã ${code}`,
  level: code.length === 2 ? "province" : code.length === 3 ? "district" : "commune",
  type: code.length === 2 ? "Tỉnh" : code.length === 3 ? "Huyện" : "Xã",
  parentCode,
  ...more,
});

/** The reform as it should be: two communes into two new ones under the province, the district closed, 12 kept. */
const GOOD: ReformBatch = {
  effectiveOn: "2025-07-01",
  rows: [
    row("12", "12", "full", { check: "resolution" }),
    row("03200", "03300", "full", { oldParentCode: "105", oldProvinceCode: "12", newProvinceCode: "12" }),
    row("03201", "03300", "partial"),
    row("03201", "03301", "partial", { check: "unchecked" }),
  ],
  opens: [open("03300", "12"), open("03301", "12", { type: "Đặc khu", name: "Đặc khu Một" })],
  closes: ["105"],
};

describe("planReform", () => {
  it("plans a sound batch: closes the old units, opens the new under their province, links them, keeps the unit that continues", () => {
    const { problems, plan } = planReform(GOOD, facts());
    expect(problems).toEqual([]);
    expect([...plan!.closing.keys()].sort()).toEqual([3, 4, 5]);
    expect(plan!.continued).toBe(1);
    expect(plan!.opens.map((o) => [o.opening.code, "unit" in o.parent ? o.parent.unit.code : o.parent.opened])).toEqual([
      ["03300", "12"],
      ["03301", "12"],
    ]);
    expect(plan!.successions).toEqual([
      { predecessorId: 4, successor: { opened: "03300" }, relation: "full", verification: "bando" },
      { predecessorId: 5, successor: { opened: "03300" }, relation: "partial", verification: "bando" },
      { predecessorId: 5, successor: { opened: "03301" }, relation: "partial", verification: "unchecked" },
    ]);
  });

  it("opens a province and its communes in one batch (the parent opened by the same batch)", () => {
    const batch: ReformBatch = {
      effectiveOn: "2025-07-01",
      rows: [row("11", "13"), row("12", "13", "full"), row("03200", "03300"), row("03201", "03300")],
      opens: [open("03300", "13"), open("13", "")],
      closes: ["105"],
    };
    const { problems, plan } = planReform(batch, facts());
    expect(problems).toEqual([]);
    expect(plan!.opens.find((o) => o.opening.code === "03300")!.parent).toEqual({ opened: "13" });
    expect(plan!.opens.find((o) => o.opening.code === "13")!.parent).toEqual({ unit: VN });
    expect([...plan!.closing.keys()].sort()).toEqual([2, 3, 4, 5, 6]);
  });

  const withRows = (rows: CrosswalkRow[]): ReformBatch => ({ ...GOOD, rows: [...GOOD.rows, ...rows] });
  const withOpens = (opens: UnitOpening[], rows: CrosswalkRow[] = []): ReformBatch => ({ ...GOOD, rows: [...GOOD.rows, ...rows], opens: [...GOOD.opens!, ...opens] });
  const at = (effectiveOn: string, opens: UnitOpening[]): ReformBatch => ({ effectiveOn, rows: [], opens });

  it.each<[string, ReformBatch, Array<[string, number, string, string]>]>([
    ["a date that does not exist", { ...GOOD, effectiveOn: "2025-02-30" }, [["effectiveOn", 0, "effectiveOn", "BAD_DATE"]]],
    ["an old code no unit has the day before", withRows([row("03299", "03300", "full")]), [["rows", 4, "oldCode", "UNKNOWN_OLD_UNIT"]]],
    ["an old unit that ended before the date", withRows([row("03210", "03300", "full")]), [["rows", 4, "oldCode", "UNKNOWN_OLD_UNIT"]]],
    ["an old unit that already ends on the date", withRows([row("03220", "03300", "full")]), [["rows", 4, "oldCode", "OLD_UNIT_ENDED"]]],
    ["an old unit of another level", withRows([row("11", "03300", "full", { oldLevel: "commune", newLevel: "commune" })]), [["rows", 4, "oldCode", "BAD_CODE"], ["rows", 4, "oldLevel", "WRONG_OLD_LEVEL"]]],
    ["an old unit under another parent", withRows([row("03200", "03301", "partial", { oldParentCode: "106" })]), [["rows", 1, "relation", "FULL_AND_OTHERS"], ["rows", 4, "oldParentCode", "WRONG_OLD_PARENT"]]],
    ["an old unit in another province", withRows([row("03201", "03302", "partial", { oldProvinceCode: "11" })]), [["rows", 4, "oldProvinceCode", "WRONG_OLD_PROVINCE"], ["rows", 4, "newCode", "UNKNOWN_NEW_UNIT"]]],
    ["a new code no unit has and the batch does not open", withRows([row("11", "14", "full")]), [["rows", 4, "newCode", "UNKNOWN_NEW_UNIT"]]],
    ["a relation that is neither full nor partial", withRows([row("11", "12", "most")]), [["rows", 0, "newCode", "CONTINUATION_NOT_SOLE"], ["rows", 4, "relation", "BAD_RELATION"]]],
    ["a check outside the crosswalk's words", withRows([row("03201", "03300", "partial", { check: "maybe" })]), [["rows", 4, "check", "BAD_CHECK"], ["rows", 4, "newCode", "DUPLICATE_ROW"]]],
    ["a code of the wrong length for its level", withRows([row("0320", "03300", "partial")]), [["rows", 4, "oldCode", "BAD_CODE"], ["rows", 4, "oldCode", "UNKNOWN_OLD_UNIT"]]],
    ["an unknown level", withRows([row("03201", "03300", "partial", { newLevel: "village" })]), [["rows", 4, "newLevel", "BAD_LEVEL"], ["rows", 4, "newCode", "DUPLICATE_ROW"], ["rows", 4, "newLevel", "WRONG_NEW_LEVEL"]]],
    ["a commune going into a province", withRows([row("03201", "11", "partial", { newLevel: "province" })]), [["rows", 4, "newLevel", "LEVEL_CHANGE"]]],
    ["an old unit going wholly into two new ones", withRows([row("03200", "03301", "full")]), [["rows", 1, "relation", "FULL_AND_OTHERS"], ["rows", 4, "relation", "FULL_AND_OTHERS"]]],
    ["a new unit in another province than said", withRows([row("11", "03301", "partial", { newLevel: "commune", oldLevel: "province", newProvinceCode: "11" })]), [["rows", 4, "newLevel", "LEVEL_CHANGE"], ["rows", 4, "newProvinceCode", "WRONG_NEW_PROVINCE"]]],
    ["a new unit that this batch closes", withRows([row("11", "105", "full", { newLevel: "district", oldLevel: "province" })]), [["rows", 4, "newLevel", "LEVEL_CHANGE"], ["rows", 4, "newCode", "NEW_UNIT_CLOSES"]]],
    ["a unit kept as itself while another goes into it", withRows([row("11", "12", "full")]), [["rows", 0, "newCode", "CONTINUATION_NOT_SOLE"]]],
    ["a commune opened under a district after 30/6/2025", withOpens([open("03302", "105")]), [["opens", 2, "parentCode", "UNKNOWN_PARENT"]]],
    ["a commune opened under a district that stays, after 30/6/2025", { ...GOOD, closes: [], rows: GOOD.rows.slice(0, 1), opens: [open("03302", "105")] }, [["opens", 0, "parentCode", "WRONG_PARENT_LEVEL"]]],
    ["a district opened after 30/6/2025", withOpens([open("106", "12")]), [["opens", 2, "level", "WRONG_PARENT_LEVEL"]]],
    ["a commune under a province before 1/7/2025", at("2025-01-01", [open("03302", "12")]), [["opens", 0, "parentCode", "WRONG_PARENT_LEVEL"]]],
    ["a commune with no parent", withOpens([open("03302", "")]), [["opens", 2, "parentCode", "MISSING_PARENT"]]],
    ["a commune under an unknown unit", withOpens([open("03302", "99")]), [["opens", 2, "parentCode", "UNKNOWN_PARENT"]]],
    ["a province under a province", withOpens([open("13", "12")]), [["opens", 2, "parentCode", "WRONG_PARENT_LEVEL"]]],
    ["a code a unit keeps on the date", withOpens([open("11", "")]), [["opens", 2, "code", "CODE_TAKEN"]]],
    ["a code twice", withOpens([open("03300", "12")]), [["opens", 2, "code", "DUPLICATE_OPEN"]]],
    ["a blank name and a district's type for a commune", withOpens([open("03302", "12", { name: "  ", type: "Huyện" })]), [["opens", 2, "name", "BAD_NAME"], ["opens", 2, "type", "BAD_TYPE"]]],
    ["a unit closed twice", { ...GOOD, closes: ["105", "105"] }, [["closes", 1, "code", "DUPLICATE_CLOSE"]]],
    ["an unknown unit closed", { ...GOOD, closes: ["105", "106"] }, [["closes", 1, "code", "UNKNOWN_UNIT"]]],
    ["a unit closed and mapped", { ...GOOD, closes: ["105", "03200"] }, [["closes", 1, "code", "CLOSE_WITH_ROWS"]]],
  ])("names %s", (_name, batch, expected) => {
    const { problems, plan } = planReform(batch, facts());
    expect(plan).toBeNull();
    expect(problems.map((p) => [p.list, p.index, p.field, p.code])).toEqual(expected);
    for (const p of problems) expect(p.message.length).toBeGreaterThan(10);
  });

  it("refuses a code that names another unit later on", () => {
    const { problems } = planReform(withOpens([open("03302", "12")]), facts({ later: [["03302", "2026-01-01"]] }));
    expect(problems).toEqual([expect.objectContaining({ list: "opens", index: 2, code: "CODE_TAKEN", message: expect.stringContaining("2026-01-01") })]);
  });

  it("names every bad row of a batch, not only the first", () => {
    const { problems } = planReform(withRows([row("03298", "03300", "partial"), row("03299", "03300", "partial"), row("11", "99", "full")]), facts());
    expect(problems.map((p) => `${p.index}:${p.code}`)).toEqual(["4:UNKNOWN_OLD_UNIT", "5:UNKNOWN_OLD_UNIT", "6:UNKNOWN_NEW_UNIT"]);
  });
});

describe("checkOrphans", () => {
  it("names a closing unit that leaves a child open, once, on the entry that closed it", () => {
    const batch: ReformBatch = { ...GOOD, rows: GOOD.rows.slice(0, 2) }; // 03201 is not mapped: it would stay under 105
    const { plan } = planReform(batch, facts());
    const children = [
      { id: 4, code: "03200", parentId: 3 },
      { id: 5, code: "03201", parentId: 3 },
    ];
    expect(checkOrphans(plan!, children)).toEqual([
      expect.objectContaining({ list: "closes", index: 0, field: "code", code: "ORPHANED_CHILD", message: expect.stringContaining("03201") }),
    ]);
    expect(checkOrphans(planReform(GOOD, facts()).plan!, children)).toEqual([]);
  });
});

describe("the tree of a date", () => {
  it.each([
    ["province", "2024-06-30", ["nation"]],
    ["district", "2024-06-30", ["province"]],
    ["commune", "2025-06-30", ["district"]],
    ["province", "2025-07-01", ["nation"]],
    ["district", "2025-07-01", []],
    ["commune", "2025-07-01", ["province"]],
    ["commune", "2026-11-29", ["province"]],
  ] as const)("a %s on %s belongs to a %j", (level, on, parents) => {
    expect(parentLevelsOn(level, on)).toEqual(parents);
  });

  it.each([
    ["province", "province", true],
    ["commune", "commune", true],
    ["district", "commune", true],
    ["commune", "district", false],
    ["district", "province", false],
    ["province", "commune", false],
  ] as const)("a %s may go into a %s: %s", (from, to, allowed) => {
    expect(levelChangeAllowed(from, to)).toBe(allowed);
  });

  it.each([
    ["2025-07-01", "2025-06-30"],
    ["2025-01-01", "2024-12-31"],
    ["2024-03-01", "2024-02-29"],
  ])("the day before %s is %s", (date, before) => {
    expect(dayBefore(date)).toBe(before);
  });
});

import { OrgLevel } from "../common/enums";
import { readRegisters } from "../../seeds/registers.seed";
import { todayInVietnam } from "../common/date.scalar";
import { withLanguage } from "../i18n/i18n.language";
import {
  checkUnitName,
  checkUnitType,
  checkValidFrom,
  childLevel,
  isProblem,
  levelName,
  UNIT_TYPES,
  UNIT_TYPES_BY_LEVEL,
} from "./org-unit.rules";

describe("childLevel", () => {
  it.each([
    [OrgLevel.NATION, "2024-06-30", OrgLevel.PROVINCE],
    [OrgLevel.NATION, "2026-01-01", OrgLevel.PROVINCE],
    [OrgLevel.PROVINCE, "2024-06-30", OrgLevel.DISTRICT],
    [OrgLevel.PROVINCE, "2025-06-30", OrgLevel.DISTRICT],
    [OrgLevel.PROVINCE, "2025-07-01", OrgLevel.COMMUNE],
    [OrgLevel.DISTRICT, "2024-06-30", OrgLevel.COMMUNE],
    [OrgLevel.COMMUNE, "2024-06-30", null],
    [OrgLevel.COMMUNE, "2026-01-01", null],
    ["village", "2024-06-30", null],
  ] as const)("a child of a %s on %s is a %s", (parent, on, child) => {
    expect(childLevel(parent, on)).toBe(child);
  });
});

describe("checkUnitType", () => {
  it.each([
    ["province", "Tỉnh", "Tỉnh"],
    ["province", "Thành phố Trung ương", "Thành phố Trung ương"],
    ["district", "Huyện", "Huyện"],
    ["district", "Quận", "Quận"],
    ["district", "Thị xã", "Thị xã"],
    ["district", "Thành phố", "Thành phố"],
    ["commune", "Xã", "Xã"],
    ["commune", "Phường", "Phường"],
    ["commune", "Thị trấn", "Thị trấn"],
    ["commune", "Đặc khu", "Đặc khu"],
    ["commune", " Thị  trấn ", "Thị trấn"],
    ["commune", "Xã".normalize("NFD"), "Xã"],
  ] as const)("a %s may be a %s", (level, type, stored) => {
    expect(checkUnitType(level, type)).toEqual({ type: stored });
  });

  it.each([
    ["province", "Huyện", /not a type of a province: use Tỉnh, Thành phố Trung ương/],
    ["province", "Thành phố", /not a type of a province/],
    ["district", "Thành phố Trung ương", /not a type of a district/],
    ["district", "Xã", /not a type of a district/],
    ["commune", "Huyện", /not a type of a commune: use Xã, Phường, Thị trấn, Đặc khu/],
    ["commune", "Thôn", /"Thôn" is not a unit type/],
    ["commune", "xã", /is not a unit type/],
    ["commune", "", /is not a unit type/],
    ["nation", "Tỉnh", /level nation has no type/],
  ] as const)("a %s is not a %s", (level, type, message) => {
    const r = checkUnitType(level, type);
    expect(isProblem(r) && r.field).toBe("type");
    expect(isProblem(r) && r.message).toMatch(message);
  });

  it("follows the register the seed loads: every (level, type) of it is allowed", () => {
    const { list2024, list202506, list202507 } = readRegisters();
    const pairs = new Set([...list2024, ...list202506, ...list202507].map((r) => `${r.level}|${r.type}`));
    for (const pair of pairs) {
      const [level, type] = pair.split("|") as [string, string];
      expect({ pair, ok: checkUnitType(level, type) }).toEqual({ pair, ok: { type } });
    }
    // and each type belongs to exactly one level
    expect(new Set(UNIT_TYPES).size).toBe(UNIT_TYPES.length);
    expect(Object.keys(UNIT_TYPES_BY_LEVEL).sort()).toEqual(["commune", "district", "province"]);
  });
});

describe("checkUnitName", () => {
  it.each([
    ["Xã Hạ Long", { name: "Xã Hạ Long" }],
    ["  Phường   Bãi Cháy ", { name: "Phường Bãi Cháy" }],
    ["Phường Bãi Cháy".normalize("NFD"), { name: "Phường Bãi Cháy" }],
    ["x".repeat(200), { name: "x".repeat(200) }],
    ["   ", { field: "name", message: "The name must not be empty." }],
    ["", { field: "name", message: "The name must not be empty." }],
    ["x".repeat(201), { field: "name", message: "The name is longer than 200 characters." }],
  ])("%j", (input, expected) => {
    expect(checkUnitName(input)).toEqual(expected);
  });
});

describe("dates", () => {
  it.each([
    ["2025-07-01", "2000-01-01", null],
    ["2000-01-01", "2000-01-01", null],
    ["1999-12-31", "2000-01-01", "validFrom"],
    ["2025-02-30", "2000-01-01", "validFrom"],
  ])("checkValidFrom(%s, parent from %s) → %s", (from, parentFrom, field) => {
    expect(checkValidFrom(from, parentFrom)?.field ?? null).toBe(field);
  });

  it("today is Vietnam's date (UTC+7)", () => {
    expect(todayInVietnam(new Date("2025-06-30T16:59:59Z"))).toBe("2025-06-30");
    expect(todayInVietnam(new Date("2025-06-30T17:00:00Z"))).toBe("2025-07-01");
  });
});

describe("levels and problems in the reader's language", () => {
  it.each([
    ["vi", ["commune", "province", "district", "region"], ["xã/phường", "tỉnh/thành phố", "huyện/quận", "region"]],
    ["en", ["commune", "province", "district", "region"], ["commune", "province", "district", "region"]],
  ] as const)("%s names the levels %j as %j (an unknown one as given)", (language, levels, names) => {
    expect(withLanguage(language, () => levels.map(levelName))).toEqual(names);
  });

  it.each([
    ["vi", "\"Huyện\" không phải là loại của một đơn vị cấp xã/phường: hãy dùng Xã, Phường, Thị trấn, Đặc khu."],
    ["en", "\"Huyện\" is not a type of a commune: use Xã, Phường, Thị trấn, Đặc khu."],
  ] as const)("%s: a type of the wrong level, with the same field", (language, message) => {
    expect(withLanguage(language, () => checkUnitType(OrgLevel.COMMUNE, "Huyện"))).toEqual({ field: "type", message });
  });
});

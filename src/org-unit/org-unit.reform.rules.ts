/**
 * The rules of a reform of the tree as pure functions (no I/O): a batch closes old units on a date, opens
 * new ones and records which old unit went into which new one (the crosswalk, in the columns of
 * vn-admin-2025-mapping.csv). The service looks up, set-based, the units the batch names on the day
 * before and on the day itself (BatchFacts), then planReform checks every row against them and either
 * names every bad row or says exactly what to write. Nothing here knows about the database.
 */
import { isIsoDate } from "../common/period";
import { t } from "../i18n/i18n";
import { checkUnitName, checkUnitType, isProblem, levelName, levelNames } from "./org-unit.rules";

/** The two-tier tree (province → commune, no districts) starts on 1/7/2025 (Nghị quyết 202/2025/QH15). */
export const TWO_TIER_FROM = "2025-07-01";

export type UnitLevel = "province" | "district" | "commune";
export const UNIT_LEVELS: readonly UnitLevel[] = ["province", "district", "commune"];
export const RELATIONS = ["full", "partial"] as const;
/** The crosswalk's `check` values, plus `codes`: a pair the registers' codes make certain. */
export const VERIFICATIONS = ["unchecked", "bando", "resolution", "corrected", "codes"] as const;

/** The nation's code: the parent of every province (the service always looks it up). */
export const NATION_CODE = "VN";

/** GSO codes: province 2 digits, district 3, commune 5. */
const CODE_BY_LEVEL: Record<UnitLevel, RegExp> = { province: /^[0-9]{2}$/, district: /^[0-9]{3}$/, commune: /^[0-9]{5}$/ };

/** One crosswalk row: the columns of vn-admin-2025-mapping.csv. Empty parent/province codes are not checked. */
export interface CrosswalkRow {
  oldCode: string;
  oldName: string;
  oldLevel: string;
  oldParentCode: string;
  oldProvinceCode: string;
  newCode: string;
  newName: string;
  newLevel: string;
  newProvinceCode: string;
  relation: string;
  check: string;
}

/** A unit the batch opens on its date: a register row (parentCode empty or VN for a province). */
export interface UnitOpening {
  code: string;
  name: string;
  level: string;
  type: string;
  parentCode: string;
}

export interface ReformBatch {
  /** the first day of the new units; old units are valid until the day before */
  effectiveOn: string;
  rows: CrosswalkRow[];
  opens?: UnitOpening[];
  /** codes of units that end on effectiveOn with no successor (the districts of 2025) */
  closes?: string[];
}

export type ReformProblemCode =
  | "BAD_DATE"
  | "BAD_CODE"
  | "BAD_LEVEL"
  | "LEVEL_CHANGE"
  | "BAD_RELATION"
  | "BAD_CHECK"
  | "DUPLICATE_ROW"
  | "FULL_AND_OTHERS"
  | "UNKNOWN_OLD_UNIT"
  | "OLD_UNIT_ENDED"
  | "WRONG_OLD_LEVEL"
  | "WRONG_OLD_PARENT"
  | "WRONG_OLD_PROVINCE"
  | "UNKNOWN_NEW_UNIT"
  | "WRONG_NEW_LEVEL"
  | "WRONG_NEW_PROVINCE"
  | "NEW_UNIT_CLOSES"
  | "CONTINUATION_NOT_SOLE"
  | "BAD_NAME"
  | "BAD_TYPE"
  | "DUPLICATE_OPEN"
  | "MISSING_PARENT"
  | "UNKNOWN_PARENT"
  | "PARENT_ENDS"
  | "WRONG_PARENT_LEVEL"
  | "CODE_TAKEN"
  | "DUPLICATE_CLOSE"
  | "UNKNOWN_UNIT"
  | "CLOSE_WITH_ROWS"
  | "ORPHANED_CHILD";

export interface ReformProblem {
  list: "effectiveOn" | "rows" | "opens" | "closes";
  /** 0-based position in its list */
  index: number;
  field: string;
  code: ReformProblemCode;
  message: string;
}

/** A unit as the service found it on one date. */
export interface KnownUnit {
  id: number;
  code: string;
  name: string;
  level: string;
  /** VN for a province */
  parentCode: string | null;
  /** its province's code (its own for a province) */
  provinceCode: string | null;
  validFrom: string;
  validTo: string | null;
  path: string;
  depth: number;
  provinceId: number | null;
  districtId: number | null;
}

/** What the service found for the codes of a batch. */
export interface BatchFacts {
  /** units valid on the day before effectiveOn */
  before: Map<string, KnownUnit>;
  /** units valid on effectiveOn */
  on: Map<string, KnownUnit>;
  /** codes naming a unit that starts after effectiveOn, with that first day */
  later: Map<string, string>;
}

/** Where a closing unit was named, to attribute a problem found later (an orphaned child). */
export interface ClosingRef {
  list: "rows" | "closes";
  index: number;
  code: string;
}

export interface OpenPlan {
  opening: UnitOpening & { level: UnitLevel; name: string; type: string };
  /** the parent: another opening of the batch (by code) or an existing unit */
  parent: { opened: string } | { unit: KnownUnit };
}

export interface SuccessionPlan {
  predecessorId: number;
  successor: { opened: string } | { id: number };
  relation: "full" | "partial";
  verification: string;
}

export interface ReformPlan {
  effectiveOn: string;
  /** ids of the units that end on effectiveOn, with where the batch named them */
  closing: Map<number, ClosingRef>;
  opens: OpenPlan[];
  successions: SuccessionPlan[];
  /** rows whose old unit simply continues (the same code, wholly, with nothing else going in) */
  continued: number;
}

/** The day before an ISO date. */
export function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** The levels a unit's parent may have on a date: the three-tier tree before 1/7/2025, the two-tier one from then. */
export function parentLevelsOn(level: UnitLevel, on: string): string[] {
  const twoTier = on >= TWO_TIER_FROM;
  switch (level) {
    case "province":
      return ["nation"];
    case "district":
      return twoTier ? [] : ["province"];
    case "commune":
      return twoTier ? ["province"] : ["district"];
  }
}

/** A unit keeps its level across a reform, except the island districts that became special-zone communes. */
export function levelChangeAllowed(oldLevel: UnitLevel, newLevel: UnitLevel): boolean {
  return oldLevel === newLevel || (oldLevel === "district" && newLevel === "commune");
}

const isLevel = (value: string): value is UnitLevel => (UNIT_LEVELS as readonly string[]).includes(value);
const describe = (u: KnownUnit) =>
  t(u.validTo ? "orgUnit:unit" : "orgUnit:unitOpen", { code: u.code, name: u.name, level: levelName(u.level), validFrom: u.validFrom, validTo: u.validTo });

/** The shape of the rows alone: codes, levels, relations, duplicates, contradictions. */
function checkRowShapes(rows: CrosswalkRow[], add: (p: Omit<ReformProblem, "list">) => void): void {
  const pairs = new Set<string>();
  const rowsOfOld = new Map<string, number[]>();
  rows.forEach((r, index) => {
    for (const side of ["old", "new"] as const) {
      const level = side === "old" ? r.oldLevel : r.newLevel;
      const code = side === "old" ? r.oldCode : r.newCode;
      if (!isLevel(level)) add({ index, field: `${side}Level`, code: "BAD_LEVEL", message: t("orgUnit:badLevel", { level }) });
      else if (!CODE_BY_LEVEL[level].test(code)) {
        add({ index, field: `${side}Code`, code: "BAD_CODE", message: t("orgUnit:badLevelCode", { code, level: levelName(level) }) });
      }
    }
    if (isLevel(r.oldLevel) && isLevel(r.newLevel) && !levelChangeAllowed(r.oldLevel, r.newLevel)) {
      add({ index, field: "newLevel", code: "LEVEL_CHANGE", message: t("orgUnit:levelChange", { oldLevel: levelName(r.oldLevel), newLevel: levelName(r.newLevel) }) });
    }
    if (!(RELATIONS as readonly string[]).includes(r.relation)) {
      add({ index, field: "relation", code: "BAD_RELATION", message: t("orgUnit:badRelation", { relation: r.relation }) });
    }
    if (!(VERIFICATIONS as readonly string[]).includes(r.check)) {
      add({ index, field: "check", code: "BAD_CHECK", message: t("orgUnit:badCheck", { check: r.check, allowed: VERIFICATIONS.join(", ") }) });
    }
    const pair = `${r.oldCode}>${r.newCode}`;
    if (pairs.has(pair)) add({ index, field: "newCode", code: "DUPLICATE_ROW", message: t("orgUnit:duplicateRow", { oldCode: r.oldCode, newCode: r.newCode }) });
    pairs.add(pair);
    rowsOfOld.set(r.oldCode, [...(rowsOfOld.get(r.oldCode) ?? []), index]);
  });
  // an old unit that went wholly into one new unit cannot also go into another
  for (const [oldCode, indexes] of rowsOfOld) {
    if (indexes.length < 2) continue;
    for (const index of indexes) {
      if (rows[index]!.relation === "full") {
        add({ index, field: "relation", code: "FULL_AND_OTHERS", message: t("orgUnit:fullAndOthers", { oldCode, count: indexes.length, newCode: rows[index]!.newCode }) });
      }
    }
  }
}

/**
 * Checks a batch against what the service found and plans the writes: every bad row is named (the
 * batch is then refused whole); otherwise the plan says which units close, which open under which
 * parent and which successions to record. Orphaned children need a second look-up (checkOrphans).
 */
export function planReform(batch: ReformBatch, facts: BatchFacts): { problems: ReformProblem[]; plan: ReformPlan | null } {
  const problems: ReformProblem[] = [];
  const adder = (list: ReformProblem["list"]) => (p: Omit<ReformProblem, "list">) => problems.push({ list, ...p });
  const addRow = adder("rows");
  const addOpen = adder("opens");
  const addClose = adder("closes");
  const d = batch.effectiveOn;
  if (!isIsoDate(d)) {
    return { problems: [{ list: "effectiveOn", index: 0, field: "effectiveOn", code: "BAD_DATE", message: t("orgUnit:notADate", { value: d }) }], plan: null };
  }
  const rows = batch.rows;
  const opens = batch.opens ?? [];
  const closes = batch.closes ?? [];
  const dBefore = dayBefore(d);
  checkRowShapes(rows, addRow);

  // the openings, by code (their own shape)
  const opened = new Map<string, { index: number; opening: OpenPlan["opening"] }>();
  opens.forEach((o, index) => {
    if (!isLevel(o.level)) return addOpen({ index, field: "level", code: "BAD_LEVEL", message: t("orgUnit:badLevel", { level: o.level }) });
    if (!CODE_BY_LEVEL[o.level].test(o.code)) {
      addOpen({ index, field: "code", code: "BAD_CODE", message: t("orgUnit:badLevelCode", { code: o.code, level: levelName(o.level) }) });
    }
    const name = checkUnitName(o.name);
    if (isProblem(name)) addOpen({ index, field: "name", code: "BAD_NAME", message: name.message });
    const type = checkUnitType(o.level, o.type);
    if (isProblem(type)) addOpen({ index, field: "type", code: "BAD_TYPE", message: type.message });
    if (opened.has(o.code)) return addOpen({ index, field: "code", code: "DUPLICATE_OPEN", message: t("orgUnit:duplicateOpen", { code: o.code }) });
    if (!isProblem(name) && !isProblem(type)) opened.set(o.code, { index, opening: { ...o, level: o.level, name: name.name, type: type.type } });
  });

  // which old units close, and which simply continue
  const closing = new Map<number, ClosingRef>();
  const rowsInto = new Map<string, number>();
  for (const r of rows) rowsInto.set(r.newCode, (rowsInto.get(r.newCode) ?? 0) + 1);
  const successions: SuccessionPlan[] = [];
  let continued = 0;
  const continuing = new Set<number>();
  rows.forEach((r) => {
    const old = facts.before.get(r.oldCode);
    const existingNew = opened.has(r.newCode) ? undefined : facts.on.get(r.newCode);
    if (old && existingNew && old.id === existingNew.id) continuing.add(old.id);
  });
  rows.forEach((r, index) => {
    const old = facts.before.get(r.oldCode);
    if (!old) return;
    if (continuing.has(old.id)) return;
    if (old.validTo !== null && old.validTo <= d) return; // reported below
    if (!closing.has(old.id)) closing.set(old.id, { list: "rows", index, code: old.code });
  });
  const closesSeen = new Set<string>();
  const rowOldCodes = new Set(rows.map((r) => r.oldCode));
  closes.forEach((code, index) => {
    if (closesSeen.has(code)) return addClose({ index, field: "code", code: "DUPLICATE_CLOSE", message: t("orgUnit:duplicateClose", { code }) });
    closesSeen.add(code);
    if (rowOldCodes.has(code)) {
      return addClose({ index, field: "code", code: "CLOSE_WITH_ROWS", message: t("orgUnit:closeWithRows", { code }) });
    }
    const unit = facts.before.get(code);
    if (!unit) return addClose({ index, field: "code", code: "UNKNOWN_UNIT", message: t("orgUnit:unknownBefore", { code, dayBefore: dBefore, date: d }) });
    if (unit.validTo !== null && unit.validTo <= d) {
      return addClose({ index, field: "code", code: "OLD_UNIT_ENDED", message: t("orgUnit:alreadyEnds", { unit: describe(unit), date: d }) });
    }
    closing.set(unit.id, { list: "closes", index, code });
  });

  // the province code of an opened unit (its own, its parent's, or its parent district's province)
  const openedProvince = (code: string, seen = 0): string | null => {
    const o = opened.get(code)?.opening;
    if (!o || seen > 3) return null;
    if (o.level === "province") return o.code;
    const parent = opened.get(o.parentCode)?.opening;
    if (parent) return openedProvince(parent.code, seen + 1);
    return facts.on.get(o.parentCode)?.provinceCode ?? null;
  };

  rows.forEach((r, index) => {
    const old = facts.before.get(r.oldCode);
    if (!old) {
      addRow({ index, field: "oldCode", code: "UNKNOWN_OLD_UNIT", message: t("orgUnit:unknownBefore", { code: r.oldCode, dayBefore: dBefore, date: d }) });
    } else {
      if (old.level !== r.oldLevel) addRow({ index, field: "oldLevel", code: "WRONG_OLD_LEVEL", message: t("orgUnit:wrongOldLevel", { unit: describe(old), level: levelName(old.level), given: levelName(r.oldLevel) }) });
      const parent = old.level === "province" ? "" : old.parentCode;
      if (r.oldParentCode !== "" && r.oldParentCode !== parent) {
        addRow({ index, field: "oldParentCode", code: "WRONG_OLD_PARENT", message: t("orgUnit:wrongOldParent", { unit: describe(old), parent: String(parent), given: r.oldParentCode }) });
      }
      if (r.oldProvinceCode !== "" && r.oldProvinceCode !== old.provinceCode) {
        addRow({ index, field: "oldProvinceCode", code: "WRONG_OLD_PROVINCE", message: t("orgUnit:wrongOldProvince", { unit: describe(old), province: String(old.provinceCode), given: r.oldProvinceCode }) });
      }
      if (!continuing.has(old.id) && old.validTo !== null && old.validTo <= d) {
        addRow({ index, field: "oldCode", code: "OLD_UNIT_ENDED", message: t("orgUnit:alreadyEndsRow", { unit: describe(old), date: d }) });
      }
    }
    const opening = opened.get(r.newCode)?.opening;
    const existing = opening ? undefined : facts.on.get(r.newCode);
    if (!opening && !existing) {
      const badOpen = opens.some((o) => o.code === r.newCode);
      if (!badOpen) {
        addRow({ index, field: "newCode", code: "UNKNOWN_NEW_UNIT", message: t("orgUnit:unknownNew", { code: r.newCode, date: d }) });
      }
      return;
    }
    const newLevel = opening?.level ?? existing!.level;
    if (newLevel !== r.newLevel) {
      addRow({ index, field: "newLevel", code: "WRONG_NEW_LEVEL", message: t("orgUnit:wrongNewLevel", { code: r.newCode, level: levelName(newLevel), date: d, given: levelName(r.newLevel) }) });
    }
    const province = opening ? openedProvince(r.newCode) : existing!.provinceCode;
    if (r.newProvinceCode !== "" && r.newProvinceCode !== province) {
      addRow({ index, field: "newProvinceCode", code: "WRONG_NEW_PROVINCE", message: t("orgUnit:wrongNewProvince", { code: r.newCode, province: String(province), date: d, given: r.newProvinceCode }) });
    }
    if (existing && old && existing.id === old.id) {
      // the unit continues: it must be the whole of itself, with nothing else going in
      if (r.relation !== "full" || (rowsInto.get(r.newCode) ?? 0) > 1) {
        addRow({ index, field: "newCode", code: "CONTINUATION_NOT_SOLE", message: t("orgUnit:continuationNotSole", { oldCode: r.oldCode, newCode: r.newCode }) });
      } else continued++;
      return;
    }
    if (existing && closing.has(existing.id)) {
      addRow({ index, field: "newCode", code: "NEW_UNIT_CLOSES", message: t("orgUnit:newUnitCloses", { unit: describe(existing), date: d, oldCode: r.oldCode }) });
      return;
    }
    if (old) {
      successions.push({
        predecessorId: old.id,
        successor: opening ? { opened: opening.code } : { id: existing!.id },
        relation: r.relation as "full" | "partial",
        verification: r.check,
      });
    }
  });

  const openPlans: OpenPlan[] = [];
  for (const [code, { index, opening: o }] of opened) {
    const taken = facts.on.get(code);
    if (taken && !closing.has(taken.id)) {
      addOpen({ index, field: "code", code: "CODE_TAKEN", message: t("orgUnit:codeTakenOn", { code, unit: describe(taken), date: d }) });
    }
    const later = facts.later.get(code);
    if (later) addOpen({ index, field: "code", code: "CODE_TAKEN", message: t("orgUnit:codeTakenLater", { code, from: later }) });
    const allowed = parentLevelsOn(o.level, d);
    if (o.level === "province") {
      if (o.parentCode !== "" && o.parentCode !== "VN") {
        addOpen({ index, field: "parentCode", code: "WRONG_PARENT_LEVEL", message: t("orgUnit:provinceParent", { parentCode: o.parentCode }) });
      }
      const nation = facts.on.get(NATION_CODE);
      if (!nation) addOpen({ index, field: "parentCode", code: "UNKNOWN_PARENT", message: t("orgUnit:nationMissing", { code: NATION_CODE, date: d }) });
      else openPlans.push({ opening: o, parent: { unit: nation } });
      continue;
    }
    if (allowed.length === 0) {
      addOpen({ index, field: "level", code: "WRONG_PARENT_LEVEL", message: t("orgUnit:noDistricts", { from: TWO_TIER_FROM }) });
      continue;
    }
    if (o.parentCode === "") {
      addOpen({ index, field: "parentCode", code: "MISSING_PARENT", message: t("orgUnit:missingParent", { level: levelName(o.level), allowed: levelNames(allowed) }) });
      continue;
    }
    const parentOpening = opened.get(o.parentCode)?.opening;
    const parentUnit = parentOpening ? undefined : facts.on.get(o.parentCode);
    const parentLevel = parentOpening?.level ?? parentUnit?.level;
    if (!parentOpening && !parentUnit) {
      addOpen({ index, field: "parentCode", code: "UNKNOWN_PARENT", message: t("orgUnit:unknownParent", { code: o.parentCode, date: d }) });
      continue;
    }
    if (parentUnit && closing.has(parentUnit.id)) {
      addOpen({ index, field: "parentCode", code: "UNKNOWN_PARENT", message: t("orgUnit:parentCloses", { unit: describe(parentUnit), date: d }) });
      continue;
    }
    if (parentUnit?.validTo) {
      // opened units run open-ended: under a parent that ends they would outlive it (every district ends on 1/7/2025)
      addOpen({
        index,
        field: "parentCode",
        code: "PARENT_ENDS",
        message: t("orgUnit:parentEnds", { unit: describe(parentUnit), validTo: parentUnit.validTo }),
      });
      continue;
    }
    if (!allowed.includes(parentLevel!)) {
      addOpen({
        index,
        field: "parentCode",
        code: "WRONG_PARENT_LEVEL",
        message: t("orgUnit:wrongParentLevel", {
          date: d,
          level: levelName(o.level),
          allowed: levelNames(allowed),
          parentCode: o.parentCode,
          parentLevel: levelName(parentLevel!),
          note: d >= TWO_TIER_FROM && o.level === "commune" ? t("orgUnit:wrongParentLevelNote", { from: TWO_TIER_FROM }) : "",
        }),
      });
      continue;
    }
    openPlans.push({ opening: o, parent: parentOpening ? { opened: parentOpening.code } : { unit: parentUnit! } });
  }

  problems.sort((a, b) => (a.list === b.list ? a.index - b.index : a.list.localeCompare(b.list)));
  if (problems.length > 0) return { problems, plan: null };
  return { problems, plan: { effectiveOn: d, closing, opens: openPlans, successions, continued } };
}

/**
 * Units that stay open on the date under a unit the batch closes: each closing parent is named once,
 * with its children that would be left without a parent.
 */
export function checkOrphans(plan: ReformPlan, children: Array<{ id: number; code: string; parentId: number }>): ReformProblem[] {
  const left = new Map<number, string[]>();
  for (const c of children) {
    if (plan.closing.has(c.id) || !plan.closing.has(c.parentId)) continue;
    left.set(c.parentId, [...(left.get(c.parentId) ?? []), c.code]);
  }
  return [...left].map(([parentId, codes]) => {
    const ref = plan.closing.get(parentId)!;
    const shown = codes.sort().slice(0, 5).join(", ") + (codes.length > 5 ? t("orgUnit:andMore", { count: codes.length - 5 }) : "");
    return {
      list: ref.list,
      index: ref.index,
      field: ref.list === "rows" ? "oldCode" : "code",
      code: "ORPHANED_CHILD" as const,
      message: t("orgUnit:orphans", { code: ref.code, date: plan.effectiveOn, count: codes.length, shown }),
    };
  });
}

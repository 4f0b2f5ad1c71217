/**
 * Pure rules (no I/O) that turn the unit registers into reforms of the tree:
 * - reading the register and crosswalk CSVs strictly (header, field count, levels);
 * - between two registers with no crosswalk (2024 → 2025-06), which units stay the same unit, which
 *   close, which open and which successions the codes make certain (diffRegisters);
 * - with a crosswalk (2025-06 → 2025-07), the reform batch and the rows to skip (reformFromCrosswalk).
 * Both answer a ReformBatch for recordReform (src/org-unit/org-unit.reform.service.ts).
 */
import { parseCsv } from "../src/report/report.csv";
import type { CrosswalkRow, ReformBatch, UnitLevel, UnitOpening } from "../src/org-unit/org-unit.reform.rules";
import { t } from "../src/i18n/i18n";

export interface RegisterRow {
  code: string;
  name: string;
  level: UnitLevel;
  type: string;
  /** empty for a province */
  parentCode: string;
}

const UNIT_HEADER = "code,name,level,type,parent_code";
const CROSSWALK_HEADER =
  "old_code,old_name,old_level,old_parent_code,old_province_code,new_code,new_name,new_level,new_province_code,relation,check";

function records(text: string, header: string, file: string): string[][] {
  // the registers hold no quoted field: split plainly (ten times faster on the 2 MB of registers), else read RFC 4180
  const all = text.includes('"') ? parseCsv(text) : text.replace(/^\uFEFF/, "").split(/\r?\n/).filter((line) => line !== "").map((line) => line.split(","));
  const [head, ...rest] = all;
  if (head?.join(",") !== header) throw new Error(t("seed:badHeader", { file, header, found: head?.join(",") ?? t("seed:nothing") }));
  const width = header.split(",").length;
  rest.forEach((r, i) => {
    if (r.length !== width) throw new Error(t("seed:badWidth", { file, line: i + 2, width, found: r.length }));
  });
  return rest;
}

/** A unit list (columns code,name,level,type,parent_code); codes stay strings. */
export function readUnitList(text: string, file: string): RegisterRow[] {
  return records(text, UNIT_HEADER, file).map(([code, name, level, type, parentCode], i) => {
    if (level !== "province" && level !== "district" && level !== "commune") throw new Error(t("seed:badLevel", { file, line: i + 2, level }));
    return { code: code!, name: name!, level, type: type!, parentCode: parentCode! };
  });
}

/** The crosswalk (columns of vn-admin-2025-mapping.csv). */
export function readCrosswalk(text: string, file: string): CrosswalkRow[] {
  return records(text, CROSSWALK_HEADER, file).map((f) => ({
    oldCode: f[0]!,
    oldName: f[1]!,
    oldLevel: f[2]!,
    oldParentCode: f[3]!,
    oldProvinceCode: f[4]!,
    newCode: f[5]!,
    newName: f[6]!,
    newLevel: f[7]!,
    newProvinceCode: f[8]!,
    relation: f[9]!,
    check: f[10]!,
  }));
}

/**
 * A list with units it leaves out by omission added from a later list (the 2024 list omits the five
 * island districts, which have no communes but existed all along).
 */
export function withOmitted(list: RegisterRow[], later: RegisterRow[], codes: readonly string[]): RegisterRow[] {
  const present = new Set(list.map((r) => r.code));
  const wanted = new Set(codes.filter((c) => !present.has(c)));
  return [...list, ...later.filter((r) => wanted.has(r.code))];
}

/**
 * The codes of `before` that are the same unit in `after`: the same code at the same level under the
 * same parent code, the parent itself staying the same unit (decided top-down; provinces hang under the
 * nation). A rename or a change of type keeps the unit; a new parent or a missing code does not.
 */
export function continuingCodes(before: RegisterRow[], after: RegisterRow[]): Set<string> {
  const later = new Map(after.map((r) => [r.code, r]));
  const same = new Set<string>();
  for (const level of ["province", "district", "commune"] as const) {
    for (const r of before) {
      if (r.level !== level) continue;
      const a = later.get(r.code);
      if (!a || a.level !== r.level || a.parentCode !== r.parentCode) continue;
      if (level === "province" || same.has(r.parentCode)) same.add(r.code);
    }
  }
  return same;
}

export interface Rename {
  code: string;
  name: string;
  type: string;
}

export interface RegisterDiff {
  /** units that stay the same unit under another name or type (their former name goes to the history) */
  renames: Rename[];
  batch: ReformBatch;
}

const opening = (r: RegisterRow): UnitOpening => ({ code: r.code, name: r.name, level: r.level, type: r.type, parentCode: r.parentCode });

/**
 * Two registers with no crosswalk between them, the later one in force from `changedOn`:
 * - a unit that continues (continuingCodes) stays the same unit, renamed or retyped if need be;
 * - every other unit of `before` closes on changedOn; every other unit of `after` opens on it;
 * - successions where the codes make them certain (verification `codes`):
 *   (1) a closed unit whose code lives on at the same level (under a new parent) went into the unit that
 *       now bears it: full, since a merger keeps one of the merged units' codes. Partial if a code new in
 *       `after` appeared under the same new parent, as part of it may have gone into that new unit;
 *   (2) a closed unit whose code does not live on, but some of whose children's codes do (rule 1), went
 *       into the parents of those children: full if that is one unit and every child went wholly there,
 *       else partial into each (where a child whose code vanished went, the codes do not say);
 *   a closed unit with neither has no successor (its history restates at province level only).
 */
export function diffRegisters(before: RegisterRow[], after: RegisterRow[], changedOn: string): RegisterDiff {
  const same = continuingCodes(before, after);
  const earlier = new Map(before.map((r) => [r.code, r]));
  const later = new Map(after.map((r) => [r.code, r]));
  const provinceOf = (list: Map<string, RegisterRow>, r: RegisterRow): string => {
    let u: RegisterRow | undefined = r;
    while (u && u.level !== "province") u = list.get(u.parentCode);
    return u?.code ?? "";
  };
  const renames = after
    .filter((a) => same.has(a.code))
    .filter((a) => {
      const b = earlier.get(a.code)!;
      return b.name !== a.name || b.type !== a.type;
    })
    .map((a) => ({ code: a.code, name: a.name, type: a.type }));

  const closing = before.filter((r) => !same.has(r.code));
  const newCodesUnder = new Set(after.filter((a) => !earlier.has(a.code)).map((a) => `${a.level}:${a.parentCode}`));
  const rows: CrosswalkRow[] = [];
  const row = (b: RegisterRow, a: RegisterRow, relation: "full" | "partial"): CrosswalkRow => ({
    oldCode: b.code,
    oldName: b.name,
    oldLevel: b.level,
    oldParentCode: b.parentCode,
    oldProvinceCode: provinceOf(earlier, b),
    newCode: a.code,
    newName: a.name,
    newLevel: a.level,
    newProvinceCode: provinceOf(later, a),
    relation,
    check: "codes",
  });
  // rule 1: the code lives on
  const byCode = new Map<string, CrosswalkRow>();
  for (const b of closing) {
    const a = later.get(b.code);
    if (!a || a.level !== b.level) continue;
    const r = row(b, a, newCodesUnder.has(`${a.level}:${a.parentCode}`) ? "partial" : "full");
    byCode.set(b.code, r);
    rows.push(r);
  }
  // rule 2: through the children whose codes live on
  const childrenOf = new Map<string, RegisterRow[]>();
  for (const r of before) if (r.parentCode) childrenOf.set(r.parentCode, [...(childrenOf.get(r.parentCode) ?? []), r]);
  for (const b of closing) {
    if (byCode.has(b.code)) continue;
    const children = childrenOf.get(b.code) ?? [];
    const followed = children.map((c) => byCode.get(c.code)).filter((r): r is CrosswalkRow => r !== undefined);
    const targets = [...new Set(followed.map((r) => later.get(r.newCode)!.parentCode))].sort();
    const whole = targets.length === 1 && followed.length === children.length && followed.every((r) => r.relation === "full");
    for (const t of targets) rows.push(row(b, later.get(t)!, whole ? "full" : "partial"));
  }
  const withRows = new Set(rows.map((r) => r.oldCode));
  return {
    renames,
    batch: {
      effectiveOn: changedOn,
      rows,
      opens: after.filter((a) => !same.has(a.code)).map(opening),
      closes: closing.filter((b) => !withRows.has(b.code)).map((b) => b.code),
    },
  };
}

export interface CrosswalkReform {
  batch: ReformBatch;
  /** crosswalk rows whose old code is in no unit list of the time (units merged before the list's date) */
  skipped: CrosswalkRow[];
}

/**
 * The reform a crosswalk describes between `before` and `after` (in force from effectiveOn):
 * - rows whose old code is not in `before` are skipped (reported, not refused);
 * - a unit stays itself when its rows say so and its place in the tree does not change: the same code at
 *   the same level, one `full` row, nothing else going in, under the same parent code that itself stays
 *   (the provinces that kept their territory). A commune left as it was still changes parent (its district
 *   is abolished), which one row cannot hold: it closes and reopens as a new unit, with its `full` row;
 * - every other unit of `after` opens; units of `before` with no row (the districts) close with no successor.
 */
export function reformFromCrosswalk(before: RegisterRow[], after: RegisterRow[], crosswalk: CrosswalkRow[], effectiveOn: string): CrosswalkReform {
  const earlier = new Map(before.map((r) => [r.code, r]));
  const later = new Map(after.map((r) => [r.code, r]));
  const skipped = crosswalk.filter((r) => !earlier.has(r.oldCode));
  const rows = crosswalk.filter((r) => earlier.has(r.oldCode));
  const count = (key: (r: CrosswalkRow) => string) => {
    const n = new Map<string, number>();
    for (const r of rows) n.set(key(r), (n.get(key(r)) ?? 0) + 1);
    return n;
  };
  const into = count((r) => r.newCode);
  const outOf = count((r) => r.oldCode);
  const stays = new Set<string>();
  for (const level of ["province", "district", "commune"] as const) {
    for (const r of rows) {
      const b = earlier.get(r.oldCode)!;
      const a = later.get(r.newCode);
      if (b.level !== level || !a || r.oldCode !== r.newCode || a.level !== b.level || r.relation !== "full") continue;
      if (into.get(r.newCode) !== 1 || outOf.get(r.oldCode) !== 1 || a.parentCode !== b.parentCode) continue;
      if (level === "province" || stays.has(b.parentCode)) stays.add(r.oldCode);
    }
  }
  const withRows = new Set(rows.map((r) => r.oldCode));
  return {
    skipped,
    batch: {
      effectiveOn,
      rows,
      opens: after.filter((a) => !stays.has(a.code)).map(opening),
      closes: before.filter((b) => !withRows.has(b.code)).map((b) => b.code),
    },
  };
}

/**
 * The tree with its history, in memory (no I/O): the register loader starts it from the units already in
 * the database, runs every step through the reform core's rules (planReform, checkOrphans) exactly as
 * recordReform does against the database, applies the plans here, and only then writes the result, each
 * unit version once with its final dates. Inserting the 2024 units and then closing 10.8k of them by UPDATE
 * (as recordReform does for one reform) took 3-4 times as long as the whole load does this way: every row
 * written twice, and the code exclusion's GiST index is the dearest part of each write.
 */
import {
  NATION_CODE,
  checkOrphans,
  dayBefore,
  planReform,
  type BatchFacts,
  type KnownUnit,
  type ReformBatch,
  type ReformProblem,
  type UnitLevel,
} from "../src/org-unit/org-unit.reform.rules";
import { t } from "../src/i18n/i18n";

/** A unit as the database holds it (the loader reads them all before planning). */
export interface StoredUnit {
  id: number;
  code: string;
  name: string;
  level: string;
  type: string | null;
  parentId: number | null;
  validFrom: string;
  validTo: string | null;
  path: string;
  depth: number;
  provinceId: number | null;
  districtId: number | null;
  /** the end of its latest former name (org_unit_name), if any */
  namedSince: string | null;
}

/** A unit version: stored ones keep their id as key; new ones get negative keys. */
export interface Version {
  key: number;
  stored: StoredUnit | null;
  code: string;
  name: string;
  level: string;
  type: string | null;
  parentKey: number | null;
  validFrom: string;
  validTo: string | null;
  /** the first day of its current name */
  namedSince: string;
  /** a stored version whose dates, name or type the plan changed */
  changed: boolean;
}

export interface FormerName {
  key: number;
  name: string;
  type: string;
  validFrom: string;
  validTo: string;
}

export interface SuccessionOf {
  predecessorKey: number;
  successorKey: number;
  relation: string;
  effectiveOn: string;
  verification: string;
}

/** Refused by the reform rules: every problem, as recordReform would answer them. */
export class PlanRefusedError extends Error {
  constructor(readonly problems: ReformProblem[], readonly effectiveOn: string) {
    const shown = problems.slice(0, 5).map((p) => `${p.list}[${p.index}].${p.field} ${p.code}: ${p.message}`).join(" ");
    super(t("seed:registersRefused", { effectiveOn, count: problems.length, shown }));
  }
}

const validOn = (v: { validFrom: string; validTo: string | null }, d: string) => v.validFrom <= d && (v.validTo === null || v.validTo > d);

export class RegisterTree {
  readonly versions = new Map<number, Version>();
  readonly formerNames: FormerName[] = [];
  readonly successions: SuccessionOf[] = [];
  private readonly byCode = new Map<string, Version[]>();
  private readonly children = new Map<number, Version[]>();
  private nextKey = -1;

  constructor(stored: StoredUnit[]) {
    for (const u of stored) {
      this.add({
        key: u.id,
        stored: u,
        code: u.code,
        name: u.name,
        level: u.level,
        type: u.type,
        parentKey: u.parentId,
        validFrom: u.validFrom,
        validTo: u.validTo,
        namedSince: u.namedSince ?? u.validFrom,
        changed: false,
      });
    }
  }

  private add(v: Version): void {
    this.versions.set(v.key, v);
    this.byCode.set(v.code, [...(this.byCode.get(v.code) ?? []), v]);
    if (v.parentKey !== null) {
      const siblings = this.children.get(v.parentKey);
      if (siblings) siblings.push(v);
      else this.children.set(v.parentKey, [v]);
    }
  }

  /** The version a code names on a date. */
  on(code: string, date: string): Version | undefined {
    return this.byCode.get(code)?.find((v) => validOn(v, date));
  }

  private known(v: Version): KnownUnit {
    const parent = v.parentKey === null ? undefined : this.versions.get(v.parentKey);
    let province: Version | undefined = v;
    while (province && province.level !== "province") province = province.parentKey === null ? undefined : this.versions.get(province.parentKey);
    return {
      id: v.key,
      code: v.code,
      name: v.name,
      level: v.level,
      parentCode: parent?.code ?? null,
      provinceCode: province?.code ?? null,
      validFrom: v.validFrom,
      validTo: v.validTo,
      // placements are the database's business; the plan only needs the key
      path: v.stored?.path ?? "",
      depth: v.stored?.depth ?? 0,
      provinceId: v.stored?.provinceId ?? null,
      districtId: v.stored?.districtId ?? null,
    };
  }

  /** What recordReform would look up for the batch in the database. */
  facts(batch: ReformBatch): BatchFacts {
    const d = batch.effectiveOn;
    const before = dayBefore(d);
    const codes = new Set<string>([NATION_CODE, ...(batch.closes ?? [])]);
    for (const r of batch.rows) codes.add(r.oldCode).add(r.newCode);
    for (const o of batch.opens ?? []) codes.add(o.code).add(o.parentCode);
    const facts: BatchFacts = { before: new Map(), on: new Map(), later: new Map() };
    for (const code of codes) {
      for (const v of this.byCode.get(code) ?? []) {
        const wasOn = validOn(v, before);
        const isOn = validOn(v, d);
        const known = wasOn || isOn ? this.known(v) : null;
        if (wasOn) facts.before.set(code, known!);
        if (isOn) facts.on.set(code, known!);
        if (v.validFrom > d) facts.later.set(code, v.validFrom);
      }
    }
    return facts;
  }

  /**
   * Plans a batch with the reform core's rules and applies it: closes, opens, links. Throws
   * PlanRefusedError naming every problem, and then changes nothing.
   */
  reform(batch: ReformBatch): { closed: number; opened: number; successions: number } {
    const d = batch.effectiveOn;
    const { problems, plan } = planReform(batch, this.facts(batch));
    if (!plan) throw new PlanRefusedError(problems, d);
    const children = [...plan.closing.keys()].flatMap((key) =>
      (this.children.get(key) ?? []).filter((c) => c.validTo === null || c.validTo > d).map((c) => ({ id: c.key, code: c.code, parentId: key })),
    );
    const orphans = checkOrphans(plan, children);
    if (orphans.length > 0) throw new PlanRefusedError(orphans, d);

    for (const key of plan.closing.keys()) {
      const v = this.versions.get(key)!;
      v.validTo = d;
      v.changed = true;
    }
    const opened = new Map<string, number>();
    for (const o of plan.opens) opened.set(o.opening.code, this.nextKey--);
    for (const o of plan.opens) {
      this.add({
        key: opened.get(o.opening.code)!,
        stored: null,
        code: o.opening.code,
        name: o.opening.name,
        level: o.opening.level,
        type: o.opening.type,
        parentKey: "unit" in o.parent ? o.parent.unit.id : opened.get(o.parent.opened)!,
        validFrom: d,
        validTo: null,
        namedSince: d,
        changed: false,
      });
    }
    for (const s of plan.successions) {
      this.successions.push({
        predecessorKey: s.predecessorId,
        successorKey: "opened" in s.successor ? opened.get(s.successor.opened)! : s.successor.id,
        relation: s.relation,
        effectiveOn: d,
        verification: s.verification,
      });
    }
    return { closed: plan.closing.size, opened: plan.opens.length, successions: plan.successions.length };
  }

  /** Renames that keep the unit from `on`: the name and type it bore until then become a former name. */
  rename(renames: Array<{ code: string; name: string; type: string }>, on: string): number {
    let n = 0;
    for (const r of renames) {
      const v = this.on(r.code, dayBefore(on));
      if (!v || !validOn(v, on)) throw new Error(t("seed:renameWithoutUnit", { code: r.code, on }));
      if (v.name === r.name && v.type === r.type) continue;
      this.formerNames.push({ key: v.key, name: v.name, type: v.type ?? "", validFrom: v.namedSince, validTo: on });
      v.name = r.name;
      v.type = r.type;
      v.namedSince = on;
      v.changed = true;
      n++;
    }
    return n;
  }

  /** New versions, parents before children (for insertUnits). */
  newVersions(): Array<Version & { level: UnitLevel }> {
    return [...this.versions.values()].filter((v) => v.stored === null) as Array<Version & { level: UnitLevel }>;
  }

  /** Stored versions the plans changed (for one UPDATE). */
  changedVersions(): Version[] {
    return [...this.versions.values()].filter((v) => v.stored !== null && v.changed);
  }
}

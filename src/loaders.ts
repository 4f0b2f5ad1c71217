import DataLoader from "dataloader";
import type { AuthedContext, RequestContext } from "./context";
import type { OrgUnit } from "./org-unit/org-unit.model";
import { OrgUnitService } from "./org-unit/org-unit.service";
import type { FormerName, OrgUnitPage, UnitSuccession } from "./org-unit/org-unit.types";
import type { Plan } from "./plan/plan.model";
import { PlanService } from "./plan/plan.service";
import type { Indicator } from "./indicator/indicator.model";
import { IndicatorService } from "./indicator/indicator.service";
import { createTargetLoaders } from "./target/target.loader";
import { ReportingUnitsService } from "./rollup/rollup.reporting-units.service";
import type { ReportingUnits, ReportingUnitsKey } from "./rollup/rollup.types";

/** Index rows by a key, in the order DataLoader asked for them (null where missing). */
export function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row] as const));
  return keys.map((key) => map.get(key) ?? null);
}

export function groupByKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const map = new Map<K, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = map.get(key);
    if (list) list.push(row);
    else map.set(key, [row]);
  }
  return keys.map((key) => map.get(key) ?? []);
}

/**
 * Per-request loaders. Their scope is fixed when they are made: each batch runs through the
 * request's own database (scope set) with the caller's path, so a cached value never crosses users.
 */
export function createLoaders(context: RequestContext) {
  const ctx = () => context as AuthedContext;
  return {
    orgUnitById: new DataLoader<number, OrgUnit | null>(async (ids) =>
      byKey(ids, await OrgUnitService.byIds(ctx(), ids), (u) => Number(u.id)),
    ),
    /** keyed by codeOn(code, date): the unit a code names on a date */
    orgUnitByCode: new DataLoader<string, OrgUnit | null>(async (keys) =>
      byKey(keys, await OrgUnitService.byCodesOn(ctx(), keys), (u) => u.key),
    ),
    /** keyed by a JSON (parentId, asOf, first, after): pages of children, many parents in one statement */
    childrenPage: new DataLoader<string, OrgUnitPage>(async (keys) => OrgUnitService.childrenPages(ctx(), keys)),
    successorsByUnitId: new DataLoader<number, UnitSuccession[]>(async (ids) =>
      groupByKey(ids, await OrgUnitService.successions(ctx(), ids, "successors"), (s) => s.fromId),
    ),
    predecessorsByUnitId: new DataLoader<number, UnitSuccession[]>(async (ids) =>
      groupByKey(ids, await OrgUnitService.successions(ctx(), ids, "predecessors"), (s) => s.fromId),
    ),
    formerNamesByUnitId: new DataLoader<number, FormerName[]>(async (ids) =>
      groupByKey(ids, await OrgUnitService.formerNames(ctx(), ids), (n) => n.unitId),
    ),
    planById: new DataLoader<string, Plan | null>(async (ids) =>
      byKey(ids, await PlanService.byIds(ctx(), ids), (p) => p.id),
    ),
    childPlansByPlanId: new DataLoader<string, Plan[]>(async (ids) =>
      groupByKey(ids, await PlanService.childrenOf(ctx(), ids), (p) => p.parentPlanId!),
    ),
    indicatorById: new DataLoader<number, Indicator | null>(async (ids) =>
      byKey(ids, await IndicatorService.byIds(ctx(), ids), (i) => i.id),
    ),
    /** units that reported a roll-up row: every row of a page in one statement */
    reportingUnits: new DataLoader<ReportingUnitsKey, ReportingUnits, string>((keys) => ReportingUnitsService.load(ctx(), keys), {
      cacheKeyFn: (k) => JSON.stringify(k),
    }),
    ...createTargetLoaders(ctx),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

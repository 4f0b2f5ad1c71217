import { isInSubtree } from "../auth/scope";

/**
 * What one process keeps of resolved effective targets, all of one targets version (migration
 * 1763902020000): per period and unit, each asked indicator's target, or null when it has none.
 * `shared` holds units whose targets are the same for every caller that sees them (their whole chain of plans
 * lies on their line of ancestors), served to a caller only when it sees the unit; `scoped` holds the others
 * per caller scope (the scope that filled them), served to that scope alone.
 */
export interface TargetCacheState<T> {
  version: number;
  shared: Map<string, SharedUnit<T>>;
  scoped: Map<string, Map<string, Map<number, T | null>>>;
  /** entries held (unit × indicator), to bound the memory */
  size: number;
}

export interface SharedUnit<T> {
  path: string;
  targets: Map<number, T | null>;
}

export interface Period {
  start: string;
  end: string;
}

/** Past this many entries everything is dropped (then refilled by what is asked): a bound, not an eviction policy. */
export const MAX_ENTRIES = 500_000;

export const emptyState = <T>(version = 0): TargetCacheState<T> => ({ version, shared: new Map(), scoped: new Map(), size: 0 });

const unitKey = (period: Period, unitId: number) => `${period.start}|${period.end}|${unitId}`;
const scopeKey = (scopePaths: readonly string[]) => scopePaths.join(",");

/** The unit is visible to the caller as row-level security shows org_unit: its subtree or its ancestors. */
export const visibleTo = (path: string, scopePaths: readonly string[]) =>
  isInSubtree(path, scopePaths) || scopePaths.some((scope) => scope.startsWith(path));

/**
 * What a request of targets version `version` may do with the cache: `use` it (after dropping everything of an
 * older version), or `bypass` it: the request's own transaction changed targets (uncommitted, may roll back),
 * or it read an older version than the cache holds (it began before a write that another request has seen).
 */
export function admit<T>(state: TargetCacheState<T>, version: number, written: boolean): "use" | "bypass" {
  if (written || version < state.version) return "bypass";
  if (version > state.version) Object.assign(state, emptyState<T>(version));
  return "use";
}

/**
 * The cached targets of the asked pairs (key `${unitId}:${indicatorId}`, absent when the unit has none), and
 * the units and indicators some pair of which is not cached for this caller.
 */
export function lookup<T>(
  state: TargetCacheState<T>,
  scopePaths: readonly string[],
  period: Period,
  unitIds: readonly number[],
  indicatorIds: readonly number[],
): { found: Map<string, T>; missingUnits: number[]; missingIndicators: number[] } {
  const found = new Map<string, T>();
  const missingUnits = new Set<number>();
  const missingIndicators = new Set<number>();
  const scoped = state.scoped.get(scopeKey(scopePaths));
  for (const unitId of new Set(unitIds)) {
    const key = unitKey(period, unitId);
    const shared = state.shared.get(key);
    // a shared unit the caller does not see is answered as the database would: no targets
    if (shared && !visibleTo(shared.path, scopePaths)) continue;
    const targets = shared?.targets ?? scoped?.get(key);
    for (const indicatorId of indicatorIds) {
      const target = targets?.get(indicatorId);
      if (target === undefined) {
        missingUnits.add(unitId);
        missingIndicators.add(indicatorId);
      } else if (target !== null) found.set(`${unitId}:${indicatorId}`, target);
    }
  }
  return { found, missingUnits: [...missingUnits], missingIndicators: [...missingIndicators] };
}

/**
 * Keeps what a caller resolved for `unitIds` × `indicatorIds` (`resolved`: key `${unitId}:${indicatorId}`,
 * absent = none): shared for the units of `shareable` (id → path) it sees, under its scope for the others.
 */
export function store<T>(
  state: TargetCacheState<T>,
  scopePaths: readonly string[],
  period: Period,
  unitIds: readonly number[],
  indicatorIds: readonly number[],
  resolved: ReadonlyMap<string, T>,
  shareable: ReadonlyMap<number, string>,
  maxEntries = MAX_ENTRIES,
): void {
  if (state.size + unitIds.length * indicatorIds.length > maxEntries) Object.assign(state, emptyState<T>(state.version));
  const sk = scopeKey(scopePaths);
  for (const unitId of new Set(unitIds)) {
    const key = unitKey(period, unitId);
    const path = shareable.get(unitId);
    let targets: Map<number, T | null>;
    if (path !== undefined && visibleTo(path, scopePaths)) {
      const entry = state.shared.get(key) ?? { path, targets: new Map<number, T | null>() };
      state.shared.set(key, entry);
      targets = entry.targets;
    } else {
      const scoped = state.scoped.get(sk) ?? new Map<string, Map<number, T | null>>();
      state.scoped.set(sk, scoped);
      targets = scoped.get(key) ?? new Map<number, T | null>();
      scoped.set(key, targets);
    }
    for (const indicatorId of indicatorIds) {
      if (!targets.has(indicatorId)) state.size++;
      targets.set(indicatorId, resolved.get(`${unitId}:${indicatorId}`) ?? null);
    }
  }
}

import type { DataSource } from "typeorm";
import type { AuthedContext } from "../context";
import type { ResolutionWrap } from "./effective-target.service";
import type { EffectiveTarget } from "./target.model";
import { admit, emptyState, lookup, store, type Period, type TargetCacheState } from "./effective-target.cache.rules";

type Resolve = (
  ctx: AuthedContext,
  unitIds: number[],
  indicatorIds: number[],
  period: Period,
  wrap?: ResolutionWrap,
) => Promise<Map<string, EffectiveTarget>>;

/** One cache per connection pool: each API process (and each test server) has its own, agreeing through the version. */
const caches = new WeakMap<DataSource, TargetCacheState<EffectiveTarget>>();

/** What a pool's cache holds (for tests: which version, how many entries, which units are shared). */
export const targetCacheOf = (pool: DataSource): Readonly<TargetCacheState<EffectiveTarget>> | undefined => caches.get(pool);

/**
 * The resolution with the targets version and the units of $first (those resolved) whose targets every caller
 * that sees them would get alike, all in one snapshot; the version's columns on every row (a row even when the
 * resolution has none), the shareable units on the first only.
 */
const withVersion = (units: number[]): ResolutionWrap => ({
  params: [units],
  sql: (resolution, first) => `
    SELECT r.*, v.version AS cache_version, v.written AS cache_written,
           CASE WHEN row_number() OVER (ORDER BY r.row_kind, r.key, r.indicator_id, r.rn) = 1 THEN s.units END AS cache_shareable
      FROM targets_version_read() v
     CROSS JOIN (SELECT coalesce(json_agg(json_build_array(t.unit_id, t.path)), '[]'::json) AS units
                   FROM targets_shareable_units($${first}::int[]) t) s
      LEFT JOIN (${resolution}) r ON true
     ORDER BY r.row_kind, r.key, r.indicator_id, r.rn`,
});

/**
 * Effective targets of units from this process's memory while the targets version (migration 1763902020000)
 * is unchanged. One statement either way: the version alone when everything asked is kept, else the
 * resolution of what is missing (as the caller, under its row-level security) with the version read in its
 * snapshot. A write bumps the version in its own transaction, so from its commit on every request, in any
 * process, reads the new version, drops what its process kept and resolves afresh.
 */
export async function cachedForUnits(
  ctx: AuthedContext,
  unitIds: number[],
  indicatorIds: number[],
  period: Period,
  resolve: Resolve,
): Promise<Map<string, EffectiveTarget>> {
  const pool = ctx.db.dataSource;
  const state = caches.get(pool) ?? emptyState<EffectiveTarget>();
  caches.set(pool, state);
  const scope = ctx.actor.scopePaths;
  // twice at most: a version newer than the one kept drops what was found, which is then resolved
  for (let attempt = 0; attempt < 2; attempt++) {
    const held = state.version;
    const { found, missingUnits, missingIndicators } = lookup(state, scope, period, unitIds, indicatorIds);
    let version: number;
    let written: boolean;
    let resolved: Map<string, EffectiveTarget> | undefined;
    let shareable = new Map<number, string>();
    if (missingUnits.length === 0) {
      const [row] = await ctx.db.query<{ version: string; written: boolean }>("SELECT version, written FROM targets_version_read()");
      ({ version, written } = { version: Number(row!.version), written: row!.written });
    } else {
      const wrap = withVersion(missingUnits);
      resolved = await resolve(ctx, missingUnits, missingIndicators, period, wrap);
      const first = wrap.rows![0]!;
      ({ version, written } = { version: Number(first.cache_version), written: first.cache_written as boolean });
      shareable = new Map((first.cache_shareable as Array<[number, string]>).map(([id, path]) => [id, path]));
    }
    if (admit(state, version, written) === "bypass") return resolve(ctx, unitIds, indicatorIds, period);
    if (resolved) store(state, scope, period, missingUnits, missingIndicators, resolved, shareable);
    // what was kept under the older version (targets, and units or indicators with none) is resolved anew
    const allResolved = missingUnits.length === new Set(unitIds).size && missingIndicators.length === new Set(indicatorIds).size;
    if (state.version !== held && !allResolved) continue;
    if (resolved) for (const [key, target] of resolved) if (indicatorIds.includes(target.indicatorId)) found.set(key, target);
    return copyForRequest(found);
  }
  return resolve(ctx, unitIds, indicatorIds, period);
}

/**
 * The request's own copies: views made of a target (its texts in the request's language) are kept per value
 * object, so a kept object must not reach two requests. Copies keep the sharing within the request (units that
 * inherit one target share its value and parent objects, whose views are then made once).
 */
export function copyForRequest(targets: ReadonlyMap<string, EffectiveTarget>): Map<string, EffectiveTarget> {
  const copies = new Map<object, object>();
  const once = <O extends object>(o: O, make: (o: O) => O): O => {
    let c = copies.get(o) as O | undefined;
    if (!c) copies.set(o, (c = make(o)));
    return c;
  };
  const out = new Map<string, EffectiveTarget>();
  for (const [key, t] of targets) {
    out.set(key, {
      ...t,
      value: once(t.value, (v) => ({ ...v })),
      parent: t.parent ? once(t.parent, (p) => ({ ...p, value: once(p.value, (v) => ({ ...v })) })) : t.parent,
      denominator: t.denominator ? once(t.denominator, (d) => ({ ...d })) : t.denominator,
    });
  }
  return out;
}

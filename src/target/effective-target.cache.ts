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

/** targets_version_read() as another statement of the request read it (e.g. in a roll-up's summaries statement). */
export interface TargetsVersionRead {
  version: number;
  written: boolean;
}

/** The SQL of a column holding targets_version_read() as [version, written], for a statement that reads it on the way. */
export const TARGETS_VERSION_COLUMN = "(SELECT json_build_array(v.version, v.written) FROM targets_version_read() v)";

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
     CROSS JOIN (SELECT coalesce(json_agg(json_build_array(t.unit_id, t.path) ORDER BY t.unit_id), '[]'::json) AS units
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
  known?: TargetsVersionRead,
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
    if (missingUnits.length === 0 && known && attempt === 0) {
      // read by an earlier statement of this request: its snapshot is the one the request's figures come from
      ({ version, written } = known);
    } else if (missingUnits.length === 0) {
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
    if (resolved) {
      store(state, scope, period, missingUnits, missingIndicators, resolved, shareable);
      ctx.db.stopRecording(); // the next request reads these from memory: its reads, not this one's, are worth replaying
    }
    // what was kept under the older version (targets, and units or indicators with none) is resolved anew
    const allResolved = missingUnits.length === new Set(unitIds).size && missingIndicators.length === new Set(indicatorIds).size;
    if (state.version !== held && !allResolved) continue;
    if (resolved) for (const [key, target] of resolved) if (indicatorIds.includes(target.indicatorId)) found.set(key, target);
    return found; // kept objects are shared: nothing mutates them, and their views are kept per language (target.types.ts)
  }
  return resolve(ctx, unitIds, indicatorIds, period);
}

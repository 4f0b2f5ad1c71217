import type { AuthedContext } from "../context";
import type { Period } from "../common/period";
import type { Indicator } from "../indicator/indicator.model";
import { validOn } from "../org-unit/org-unit.service";
import { completenessPercent } from "./rollup.coverage.rules";
import { reportingLevelOn } from "./rollup.restate.rules";
import { ReportingUnits, type ReportingUnitsKey } from "./rollup.types";

/** Deeper levels report for more units: the lowest level is the one with the most units. */
const DEPTH: Record<string, number> = { nation: 0, province: 1, district: 2, commune: 3 };

/**
 * The units that reported a roll-up row, as units (a commune reporting two indicators counts once): those of
 * the lowest reporting level among the page's indicators, on the tree of the period's last day. Loaded per
 * request (loaders.reportingUnits): every row of a page in ONE statement, under the caller's row-level security.
 */
export class ReportingUnitsService {
  /** What a row's field resolver asks for (null when the page has no indicator), for every row of a page: its level and indicators worked out once. */
  static keyFor(period: Period, indicators: readonly Indicator[]): (unitIds: number[]) => ReportingUnitsKey | null {
    const levels = indicators.map((i) => reportingLevelOn(i, period.end));
    if (levels.length === 0) return () => null;
    const level = levels.reduce((a, b) => ((DEPTH[b] ?? 0) > (DEPTH[a] ?? 0) ? b : a));
    const indicatorIds = indicators.map((i) => i.id).sort((a, b) => a - b);
    return (unitIds) => ({ unitIds, level, periodStart: period.start, periodEnd: period.end, indicatorIds });
  }

  /** The loader's batch: one statement per distinct (level, period, indicators), in practice one for the page. */
  static async load(ctx: AuthedContext, keys: readonly ReportingUnitsKey[]): Promise<ReportingUnits[]> {
    const results: ReportingUnits[] = new Array(keys.length);
    const groups = new Map<string, number[]>();
    keys.forEach((k, i) => {
      const g = JSON.stringify([k.level, k.periodStart, k.periodEnd, k.indicatorIds]);
      groups.set(g, [...(groups.get(g) ?? []), i]);
    });
    for (const members of groups.values()) {
      const first = keys[members[0]!]!;
      const pairs = members.flatMap((i) => keys[i]!.unitIds.map((u) => [i, u] as const));
      const rows = await ctx.db.query<{ key: number; expected: number; reported: number }>(
        // per key: its units valid on the period's last day (the row's unit, or the units of that tree it was made
        // of); the units of the level under them (org_unit_count, as cells' unitsExpected: the whole tree, not
        // only what the caller sees); the distinct ones of them with a report in the period (the report's path
        // lies under the unit's: the report_path_idx prefix index)
        `WITH k AS (
           SELECT DISTINCT k.key, o.id, o.path, o.level
             FROM unnest($1::int[], $2::int[]) AS k(key, unit_id)
             JOIN org_unit o ON o.id = k.unit_id AND ${validOn("o", "$4")}
         ), expected AS (
           SELECT k.key, sum(CASE WHEN k.level = $3 THEN 1 ELSE COALESCE((
                    SELECT c.n FROM org_unit_count c
                     WHERE c.unit_id = k.id AND c.level = $3 AND c.valid_from <= $4::date AND (c.valid_to IS NULL OR c.valid_to > $4::date)
                     ORDER BY c.valid_from DESC LIMIT 1), 0) END)::int AS n
             FROM k GROUP BY k.key
         ), reported AS (
           SELECT k.key, count(DISTINCT r.unit_id)::int AS n
             FROM k
             JOIN report r ON r.unit_path LIKE k.path || '%' AND r.indicator_id = ANY($6::int[])
                          AND r.period_start >= $5::date AND r.period_end <= $4::date
             JOIN org_unit ru ON ru.id = r.unit_id AND ru.level = $3
            GROUP BY k.key
         )
         SELECT e.key, e.n AS expected, COALESCE(r.n, 0) AS reported FROM expected e LEFT JOIN reported r ON r.key = e.key`,
        [pairs.map((p) => p[0]), pairs.map((p) => p[1]), first.level, first.periodEnd, first.periodStart, first.indicatorIds],
      );
      const byKey = new Map(rows.map((r) => [Number(r.key), r]));
      for (const i of members) {
        const row = byKey.get(i);
        const expected = Number(row?.expected ?? 0);
        const reported = Number(row?.reported ?? 0);
        results[i] = Object.assign(new ReportingUnits(), {
          level: first.level,
          expected,
          reported,
          percent: completenessPercent(reported, expected),
        });
      }
    }
    return results;
  }
}

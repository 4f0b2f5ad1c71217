import type { AuthedContext } from "../context";
import {
  EMPTY_AGGREGATE,
  combineUnitPeriod,
  containingPeriods,
  periodTypeOf,
  subPeriodCount,
  type PeriodRuleName,
  type PeriodTypeName,
  type ReportValue,
  type UnitAggregate,
  type ValueKindName,
} from "./rollup.rules";

/** What the summary maintenance needs to know of an indicator. */
export interface IndicatorRules {
  id: number;
  valueKind: ValueKindName;
  periodType: PeriodTypeName;
  periodRule: PeriodRuleName;
}

/** A stored report, as the summaries read it (numbers as PostgreSQL's text; period_start 'YYYY-MM-DD'). */
export interface YearReport {
  unit_id: number;
  indicator_id: number;
  period_code: string;
  period_start: string;
  value: string | null;
  numerator: string | null;
  denominator: string | null;
}

export interface ReportKey {
  unitId: number;
  indicatorId: number;
  periodCode: string;
}

/**
 * Writers of the same (indicator, unit) take these transaction-scoped advisory locks, in one order, so a
 * unit's stored aggregate is never read by one writer while another changes it (no lost deltas, no
 * deadlock). Units are hashed into buckets to bound the number of locks per batch; writers of other
 * indicators never wait for each other (their summary rows differ; shared ancestor rows are updated
 * atomically by ON CONFLICT … SET x = x + delta).
 */
const LOCK_NAMESPACE = 730_100_000;
const LOCK_BUCKETS = 32;

/**
 * The statement taking those locks for the (unit_id, indicator_id) rows of `from` (a CTE) where `when` holds, in one
 * order (indicator, bucket): lockUnits runs it alone; a write's validation takes the locks with its lookup.
 */
export const lockSummariesSql = (from: string, when: string) =>
  `SELECT count(pg_advisory_xact_lock(${LOCK_NAMESPACE} + k.i, k.b)) AS locked
     FROM (SELECT DISTINCT indicator_id AS i, unit_id % ${LOCK_BUCKETS} AS b FROM ${from}
            WHERE ${when} AND unit_id IS NOT NULL AND indicator_id IS NOT NULL ORDER BY 1, 2) k`;

/**
 * Keeps report_summary in step with report, inside the writer's transaction: for every changed report,
 * the unit's own aggregate of each period the report feeds (its period, half-year and year, by the
 * period rule) is recomputed from its reports, and the difference with the stored one is added to the
 * unit's row and to every ancestor's. Two statements per batch, whatever its size.
 */
export class RollupSummaryService {
  static async lockUnits(ctx: AuthedContext, keys: Array<{ unitId: number; indicatorId: number }>): Promise<void> {
    if (keys.length === 0) return;
    await ctx.db.query(
      `WITH keys AS (SELECT * FROM unnest($1::int[], $2::int[]) AS k(unit_id, indicator_id)) ${lockSummariesSql("keys", "true")}`,
      [keys.map((k) => k.unitId), keys.map((k) => k.indicatorId)],
      { prepare: true },
    );
  }

  /** Reads the year's reports of every changed (unit, indicator), then applies (see apply). */
  static async refresh(ctx: AuthedContext, changed: ReportKey[], indicators: Map<number, IndicatorRules>): Promise<void> {
    if (changed.length === 0) return;
    const years = new Map<string, [number, number, number]>();
    for (const k of changed) {
      years.set(`${k.unitId}:${k.indicatorId}:${k.periodCode.slice(0, 4)}`, [k.unitId, k.indicatorId, Number(k.periodCode.slice(0, 4))]);
    }
    const keys = [...years.values()];
    const rows = await ctx.db.query<YearReport>(
      `SELECT r.unit_id, r.indicator_id, r.period_code, to_char(r.period_start, 'YYYY-MM-DD') AS period_start,
              r.value, r.numerator, r.denominator
         FROM unnest($1::int[], $2::int[], $3::int[]) AS k(unit_id, indicator_id, year)
         -- a year's periods are the codes that start with it: a range of the unique index, probed per key (as a
         -- join, the planner chose to read and sort the whole table, ≈ 1 s; OFFSET 0 keeps the probes)
         CROSS JOIN LATERAL (
           SELECT * FROM report r
            WHERE r.unit_id = k.unit_id AND r.indicator_id = k.indicator_id
              AND r.period_code >= k.year::text AND r.period_code < (k.year + 1)::text
           OFFSET 0) r`,
      [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2])],
    );
    await RollupSummaryService.apply(ctx, changed, indicators, rows);
  }

  /**
   * Recomputes the unit's own aggregate of every period the changed reports feed from `rows` (every report of
   * the year of each changed (unit, indicator), as stored now, in this transaction, under the writers' lock),
   * and applies the differences.
   */
  static async apply(ctx: AuthedContext, changed: ReportKey[], indicators: Map<number, IndicatorRules>, rows: YearReport[]): Promise<void> {
    if (changed.length === 0) return;
    // the (unit, indicator, period) to recompute
    const targets = new Map<string, ReportKey>();
    for (const k of changed) {
      for (const p of containingPeriods(k.periodCode)) {
        targets.set(`${k.unitId}:${k.indicatorId}:${p}`, { unitId: k.unitId, indicatorId: k.indicatorId, periodCode: p });
      }
    }
    // each report under every period it feeds (in the rows' order), once: not a scan of the pair's reports per period
    const byTarget = new Map<string, ReportValue[]>();
    const num = (v: string | null) => (v === null ? null : Number(v));
    for (const r of rows) {
      const report = { periodCode: r.period_code, periodStart: r.period_start, value: num(r.value), numerator: num(r.numerator), denominator: num(r.denominator) };
      for (const p of containingPeriods(r.period_code)) {
        const key = `${r.unit_id}:${r.indicator_id}:${p}`;
        const list = byTarget.get(key);
        if (list) list.push(report);
        else byTarget.set(key, [report]);
      }
    }

    const out = { unit: [] as number[], indicator: [] as number[], period: [] as string[], v: [] as number[], n: [] as number[], d: [] as number[], rep: [] as number[], meet: [] as number[] };
    for (const t of targets.values()) {
      const indicator = indicators.get(t.indicatorId);
      if (!indicator) throw new Error(`Indicator ${t.indicatorId} missing from the batch's catalog`);
      const reports = byTarget.get(`${t.unitId}:${t.indicatorId}:${t.periodCode}`) ?? [];
      const expected = subPeriodCount(periodTypeOf(t.periodCode), indicator.periodType);
      const agg: UnitAggregate = combineUnitPeriod(indicator.valueKind, indicator.periodRule, reports, expected) ?? EMPTY_AGGREGATE;
      out.unit.push(t.unitId);
      out.indicator.push(t.indicatorId);
      out.period.push(t.periodCode);
      out.v.push(agg.valueSum);
      out.n.push(agg.numeratorSum);
      out.d.push(agg.denominatorSum);
      out.rep.push(agg.unitsReported);
      out.meet.push(agg.unitsMeeting);
    }

    // new own aggregate − stored own aggregate = delta, added to the unit's row and every ancestor's
    // (report_summary_apply, a SECURITY DEFINER function of migration 1763900200000: ancestors lie outside
    // the writer's subtree; it ignores units outside the caller's scope)
    await ctx.db.query(
      `SELECT report_summary_apply($1::int[], $2::int[], $3::text[], $4::numeric[], $5::numeric[], $6::numeric[], $7::int[], $8::int[])`,
      [out.unit, out.indicator, out.period, out.v, out.n, out.d, out.rep, out.meet],
      { prepare: true },
    );
  }
}

import type { AuthedContext } from "../context";
import type { Period } from "../common/period";
import type { IndicatorRules, YearReport } from "../rollup/rollup-summary.service";
import {
  EMPTY_AGGREGATE,
  combineUnitPeriod,
  containingPeriods,
  periodTypeOf,
  subPeriodCount,
  type ReportValue,
  type UnitAggregate,
} from "../rollup/rollup.rules";

/**
 * report_summary_approved, the summaries of approved data only: report_summary's sums and counts over the reports
 * whose unit and period are APPROVED, for the unit and every ancestor, and for the period and each longer one it
 * feeds. Approving or reopening a unit's period changes which of its reports count, so each recomputes that
 * unit's own approved aggregate of every indicator it reported for the period (the period, its half-year, its
 * year, combined by the period rule from the approved reports of the year) and adds the difference to the unit's
 * row and every ancestor's, in two statements whatever the number of units. Writes never change it: they cannot
 * touch approved reports (LOCKED), and unapproved reports do not count.
 */
export class ApprovedSummaryService {
  static async refresh(ctx: AuthedContext, unitIds: number[], period: Period, indicators: Map<number, IndicatorRules>): Promise<void> {
    if (unitIds.length === 0) return;
    const rows = await ctx.db.query<YearReport & { approved: boolean }>(
      // the units' reports of the year, of each indicator they reported for the period; approved or not (an indicator
      // whose period was reopened recomputes to nothing)
      `SELECT r.unit_id, r.indicator_id, r.period_code, to_char(r.period_start, 'YYYY-MM-DD') AS period_start,
              r.value, r.numerator, r.denominator,
              EXISTS (SELECT 1 FROM report_approval a
                       WHERE a.unit_id = r.unit_id AND a.period_code = r.period_code AND a.state = 'approved') AS approved
         FROM report r
        WHERE r.unit_id = ANY($1::int[]) AND r.period_start >= make_date($2::int, 1, 1) AND r.period_end <= make_date($2::int, 12, 31)
          AND EXISTS (SELECT 1 FROM report p WHERE p.unit_id = r.unit_id AND p.indicator_id = r.indicator_id AND p.period_code = $3)`,
      [unitIds, period.year, period.code],
    );
    const num = (v: string | null) => (v === null ? null : Number(v));
    const reported = new Map<string, { unitId: number; indicatorId: number; approved: ReportValue[] }>();
    for (const r of rows) {
      const key = `${r.unit_id}:${r.indicator_id}`;
      const entry = reported.get(key) ?? { unitId: r.unit_id, indicatorId: r.indicator_id, approved: [] };
      if (r.approved) {
        entry.approved.push({ periodCode: r.period_code, periodStart: r.period_start, value: num(r.value), numerator: num(r.numerator), denominator: num(r.denominator) });
      }
      reported.set(key, entry);
    }
    const out = { unit: [] as number[], indicator: [] as number[], period: [] as string[], v: [] as number[], n: [] as number[], d: [] as number[], rep: [] as number[], meet: [] as number[] };
    for (const { unitId, indicatorId, approved } of reported.values()) {
      const indicator = indicators.get(indicatorId);
      if (!indicator) throw new Error(`Indicator ${indicatorId} missing from the catalog`);
      for (const code of containingPeriods(period.code)) {
        const inside = approved.filter((r) => containingPeriods(r.periodCode).includes(code));
        const expected = subPeriodCount(periodTypeOf(code), indicator.periodType);
        const agg: UnitAggregate = combineUnitPeriod(indicator.valueKind, indicator.periodRule, inside, expected) ?? EMPTY_AGGREGATE;
        out.unit.push(unitId);
        out.indicator.push(indicatorId);
        out.period.push(code);
        out.v.push(agg.valueSum);
        out.n.push(agg.numeratorSum);
        out.d.push(agg.denominatorSum);
        out.rep.push(agg.unitsReported);
        out.meet.push(agg.unitsMeeting);
      }
    }
    if (out.unit.length === 0) return;
    // new own aggregate − stored own aggregate = delta, added to the unit's row and every ancestor's (migration 1763901750000)
    await ctx.db.query(
      `SELECT report_summary_approved_apply($1::int[], $2::int[], $3::text[], $4::numeric[], $5::numeric[], $6::numeric[], $7::int[], $8::int[])`,
      [out.unit, out.indicator, out.period, out.v, out.n, out.d, out.rep, out.meet],
    );
  }
}

import type { AuthedContext } from "../context";
import { inSubtreeOrAncestor } from "../auth/scope";
import { ReportingPeriod } from "./period.types";
import type { Period } from "../common/period";

/**
 * The periods of the plans a caller sees, drafts aside (a draft 2026-2035 program is not yet a period
 * anyone reports or reads), and those its subtree has reports for. One statement: the span of those plans in
 * scope (earliest period_start .. latest period_end), every year, half-year and quarter of it (a period counts
 * when it overlaps the span), every period with reports in the caller's summaries (even when no plan covers it),
 * and whether the caller's unit has reports for each. Nothing is hard-coded: a 2026
 * plan adds 2026's periods, a 2016-2020 plan in scope adds those years.
 */
export class PeriodService {
  static async list(ctx: AuthedContext): Promise<ReportingPeriod[]> {
    const rows = await ctx.db.query<Period & { hasReports: boolean }>(
      `WITH span AS (
         SELECT min(p.period_start) AS lo, max(p.period_end) AS hi FROM plan p
          WHERE p.status <> 'draft' AND ${inSubtreeOrAncestor("p.unit_path", "$1")}
       ), reported AS (
         -- the caller's unit and the earlier units that became part of it (its scope paths name exactly those):
         -- their summaries hold every report of the subtree
         SELECT DISTINCT s.period_code FROM org_unit u JOIN report_summary s ON s.unit_id = u.id
          WHERE u.path = ANY($1::text[]) AND s.units_reported > 0
       ), years AS (
         SELECT generate_series(extract(year FROM span.lo)::int, extract(year FROM span.hi)::int) AS y FROM span
         UNION
         SELECT left(r.period_code, 4)::int FROM reported r
       ), candidate AS (
         -- per year: the year (part 0), its halves (1-2) and its quarters (1-4), each with its first month and length
         SELECT y, k.type, k.rank, k.part, make_date(y, k.first_month, 1) AS start,
                (make_date(y, k.first_month, 1) + make_interval(months => k.months))::date - 1 AS "end",
                y::text || CASE k.type WHEN 'half_year' THEN '-H' || k.part WHEN 'quarter' THEN '-Q' || k.part ELSE '' END AS code
           FROM years,
                (VALUES ('year', 0, 0, 1, 12), ('half_year', 1, 1, 1, 6), ('half_year', 1, 2, 7, 6),
                        ('quarter', 2, 1, 1, 3), ('quarter', 2, 2, 4, 3), ('quarter', 2, 3, 7, 3), ('quarter', 2, 4, 10, 3))
                  AS k(type, rank, part, first_month, months)
       ), period AS (
         -- those the plans cover, and those with reports whatever the plans (a year's reports before any plan of it)
         SELECT c.* FROM candidate c, span
          WHERE (c.start <= span.hi AND c."end" >= span.lo) OR c.code IN (SELECT period_code FROM reported)
       )
       SELECT p.code, p.type, p.y AS year, to_char(p.start, 'YYYY-MM-DD') AS start, to_char(p."end", 'YYYY-MM-DD') AS "end",
              (r.period_code IS NOT NULL) AS "hasReports"
         FROM period p LEFT JOIN reported r ON r.period_code = p.code
        ORDER BY p.y DESC, p.rank, p.start DESC`,
      [ctx.actor.scopePaths],
    );
    // (built from the row, not parsed: a plan in scope may reach years the period argument refuses)
    return rows.map(({ hasReports, ...period }) => ReportingPeriod.of(period, hasReports));
  }
}

import type { MigrationInterface, QueryRunner } from "typeorm";
import { summaryApply } from "./1763901750000-ReportApproval";

export const APPLY_FUNCTIONS = [
  { name: "report_summary_apply", table: "report_summary" },
  { name: "report_summary_approved_apply", table: "report_summary_approved" },
];

/**
 * As summaryApply (migration 1763901750000), the same sums into the same rows, spread in two steps: each unit's own
 * delta to its own row, and the deltas summed per parent (a few hundred parents for thousands of communes) to each
 * ancestor; then one row per key. Not JIT-compiled (see below).
 */
export const summaryApplyInTwoSteps = (name: string, table: string) => `
      CREATE OR REPLACE FUNCTION ${name}(p_unit int[], p_indicator int[], p_period text[], p_value numeric[],
                                         p_numerator numeric[], p_denominator numeric[], p_reported int[], p_meeting int[])
        RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public SET jit = off AS $$
        WITH fresh AS (
          SELECT * FROM unnest(p_unit, p_indicator, p_period, p_value, p_numerator, p_denominator, p_reported, p_meeting)
            AS f(unit_id, indicator_id, period_code, v, n, d, rep, meet)
        ), units AS (
          -- the units given, by their keys (not the whole tree through the scope's test)
          SELECT u.id, u.path FROM org_unit u WHERE u.id = ANY (p_unit) AND app_in_subtree(u.path)
        ), delta AS (
          SELECT f.unit_id, f.indicator_id, f.period_code, u.path,
                 f.v - coalesce(s.value_sum, 0) AS dv, f.n - coalesce(s.numerator_sum, 0) AS dn,
                 f.d - coalesce(s.denominator_sum, 0) AS dd, f.rep - coalesce(s.units_reported, 0) AS dr,
                 f.meet - coalesce(s.units_meeting, 0) AS dm
            FROM fresh f
            JOIN units u ON u.id = f.unit_id
            LEFT JOIN ${table} s
              ON s.unit_id = f.unit_id AND s.indicator_id = f.indicator_id AND s.period_code = f.period_code
        ), moved AS (
          SELECT * FROM delta d WHERE d.dv <> 0 OR d.dn <> 0 OR d.dd <> 0 OR d.dr <> 0 OR d.dm <> 0
        ), parents AS (
          -- '/1/23/456/' → '/1/23/' (up to the last '/' but one; no regular expression: 5,000 rows a call);
          -- the nation's parent is '/' (none)
          SELECT left(m.path, length(m.path) - strpos(reverse(left(m.path, -1)), '/')) AS path, m.indicator_id, m.period_code,
                 sum(m.dv) AS dv, sum(m.dn) AS dn, sum(m.dd) AS dd, sum(m.dr) AS dr, sum(m.dm) AS dm
            FROM moved m
           GROUP BY 1, 2, 3
        ), spread AS (
          SELECT m.unit_id, m.indicator_id, m.period_code, m.path AS unit_path, m.dv, m.dn, m.dd, m.dr, m.dm FROM moved m
          UNION ALL
          SELECT x.ids[k]::int, p.indicator_id, p.period_code, '/' || array_to_string(x.ids[1:k], '/') || '/',
                 p.dv, p.dn, p.dd, p.dr, p.dm
            FROM parents p
            CROSS JOIN LATERAL (SELECT string_to_array(btrim(p.path, '/'), '/') AS ids) x
            CROSS JOIN LATERAL generate_subscripts(x.ids, 1) AS k
           WHERE p.path <> '/'
        ), summed AS (
          SELECT unit_id, indicator_id, period_code, unit_path,
                 sum(dv) AS dv, sum(dn) AS dn, sum(dd) AS dd, sum(dr)::int AS dr, sum(dm)::int AS dm
            FROM spread
           GROUP BY 1, 2, 3, 4
        )
        INSERT INTO ${table} AS s (unit_id, indicator_id, period_code, unit_path, value_sum, numerator_sum,
                                   denominator_sum, units_reported, units_meeting)
        SELECT unit_id, indicator_id, period_code, unit_path, dv, dn, dd, dr, dm FROM summed
         ORDER BY unit_id, indicator_id, period_code
        ON CONFLICT (unit_id, indicator_id, period_code) DO UPDATE
           SET value_sum = s.value_sum + EXCLUDED.value_sum,
               numerator_sum = s.numerator_sum + EXCLUDED.numerator_sum,
               denominator_sum = s.denominator_sum + EXCLUDED.denominator_sum,
               units_reported = s.units_reported + EXCLUDED.units_reported,
               units_meeting = s.units_meeting + EXCLUDED.units_meeting
      $$;`;

/**
 * Issue 16 goal 5, writes and bulk: what a batch of reports costs per row, measured (bench BENCH_LOAD_PROFILE=1).
 *
 * - report_unit_path: a row trigger that looked up each new report's unit path (≈ 50 µs a row, the largest part of an
 *   insert). A writer may now give the path itself (the report service joins org_unit in its upsert): the row trigger
 *   fills it only when absent, and a statement trigger checks every inserted row's path against its unit, in one
 *   join per statement, under the writer's own row-level security as before (a unit it cannot see has no path: refused).
 *   A path that is not its unit's is refused, never stored: row-level security reads it. UPDATE OF unit_id still
 *   recomputes it per row, as before.
 * - report_indicator_period_idx (indicator, period) becomes (indicator, period, unit): a write looks up its rows by
 *   (unit, indicator, period), and while a bulk load outran the table's statistics the planner took the shorter index
 *   for that, scanning every row of the batch's indicator and period for each row (quadratic: 1.5 s for the second
 *   5,000 rows of a batch). With the unit in it, either index finds a row in one probe; reads by (indicator, period)
 *   use its prefix as before.
 * - report_summary_apply and report_summary_approved_apply: their statement is planned over unnest()s and
 *   generate_subscripts, estimated in the millions, so PostgreSQL JIT-compiled it on every call of a large batch
 *   (≈ 0.4 s of a 0.5 s call): they run without JIT. And they spread fewer rows: 5,000 communes' deltas made 20,000
 *   rows (each unit and its three ancestors) sorted on disk to be summed; now the communes' own rows, and the sums
 *   per district spread to the district and its ancestors (summaryApplyInTwoSteps). Same sums, same rows.
 */
export class BulkWrites1763902060000 implements MigrationInterface {
  name = "BulkWrites1763902060000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX report_indicator_period_unit_idx ON report (indicator_id, period_code, unit_id);
      DROP INDEX report_indicator_period_idx;

      DROP TRIGGER report_unit_path ON report;
      CREATE TRIGGER report_unit_path BEFORE INSERT ON report
        FOR EACH ROW WHEN (NEW.unit_path IS NULL) EXECUTE FUNCTION copy_unit_path();
      CREATE TRIGGER report_unit_path_update BEFORE UPDATE OF unit_id ON report
        FOR EACH ROW EXECUTE FUNCTION copy_unit_path();

      -- the writer's rights (not SECURITY DEFINER): it sees the units copy_unit_path would, no more
      CREATE FUNCTION report_check_unit_path() RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
      DECLARE bad record;
      BEGIN
        SELECT n.unit_id, n.unit_path, u.path INTO bad
          FROM new_rows n LEFT JOIN org_unit u ON u.id = n.unit_id
         WHERE u.path IS DISTINCT FROM n.unit_path
         LIMIT 1;
        IF FOUND THEN
          IF bad.path IS NULL THEN
            RAISE EXCEPTION 'unknown org unit %', bad.unit_id USING ERRCODE = 'foreign_key_violation';
          END IF;
          RAISE EXCEPTION 'report of org unit % given the path %, not its own', bad.unit_id, bad.unit_path
            USING ERRCODE = 'check_violation', CONSTRAINT = 'report_unit_path';
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER report_unit_path_check AFTER INSERT ON report REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION report_check_unit_path();
    `);
    for (const fn of APPLY_FUNCTIONS) await q.query(summaryApplyInTwoSteps(fn.name, fn.table));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const fn of APPLY_FUNCTIONS) await q.query(summaryApply("CREATE OR REPLACE FUNCTION", fn.name, fn.table));
    await q.query(`
      DROP TRIGGER report_unit_path_check ON report;
      DROP FUNCTION report_check_unit_path();
      DROP TRIGGER report_unit_path_update ON report;
      DROP TRIGGER report_unit_path ON report;
      CREATE TRIGGER report_unit_path BEFORE INSERT OR UPDATE OF unit_id ON report
        FOR EACH ROW EXECUTE FUNCTION copy_unit_path();
      CREATE INDEX report_indicator_period_idx ON report (indicator_id, period_code);
      DROP INDEX report_indicator_period_unit_idx;
    `);
  }
}

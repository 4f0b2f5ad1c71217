import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Reporting and roll-ups:
 * - report_summary: aggregates maintained on every write, in the writer's transaction, for every
 *   (unit, indicator, period) of the reporting unit itself and each of its ancestors. Periods are the
 *   report's own and every longer one containing it (a quarter feeds its half-year and its year,
 *   combined by the indicator's period rule). Sums of numerators, denominators and values plus counts
 *   of units reported and units meeting the measure, so they re-aggregate exactly (never a mean of
 *   percentages). Derived data: rebuildable from report.
 * - org_unit_count: how many current units of each level every unit holds (itself included), kept by
 *   a statement trigger on org_unit, so completeness (units reported / units expected) costs a lookup.
 * - report_submission: client idempotency keys of report batches with a hash of their payload.
 * Row-level security: every table carries unit_path, so a read policy is app_in_subtree(unit_path) (a roll-up
 * reads only the caller's unit and its subtree). Summaries and counts are written only by the SECURITY
 * DEFINER functions below (a write must reach ancestors outside the writer's subtree).
 */
export class ReportingSummaries1763900200000 implements MigrationInterface {
  name = "ReportingSummaries1763900200000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_summary (
        unit_id          integer NOT NULL,
        indicator_id     integer NOT NULL,
        period_code      text NOT NULL CHECK (period_code ~ '^[0-9]{4}(-Q[1-4]|-H[12])?$'),
        -- the unit's path, so that row-level security reads as everywhere else: app_in_subtree(unit_path)
        unit_path        text NOT NULL,
        value_sum        numeric NOT NULL DEFAULT 0,
        numerator_sum    numeric NOT NULL DEFAULT 0,
        denominator_sum  numeric NOT NULL DEFAULT 0,
        units_reported   integer NOT NULL DEFAULT 0,
        units_meeting    integer NOT NULL DEFAULT 0,
        PRIMARY KEY (unit_id, indicator_id, period_code)
      ) WITH (fillfactor = 80); -- room for in-page (HOT) updates: every write updates its ancestors' rows

      CREATE TABLE org_unit_count (
        unit_id    integer NOT NULL,
        level      text NOT NULL,
        unit_path  text NOT NULL,
        n          integer NOT NULL,
        PRIMARY KEY (unit_id, level)
      );

      -- Every unit and level: how many current units of that level lie in the unit's subtree (itself included).
      -- SECURITY DEFINER: it must count the whole tree whoever changes a unit.
      CREATE FUNCTION refresh_org_unit_count() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        DELETE FROM org_unit_count;
        INSERT INTO org_unit_count (unit_id, level, unit_path, n)
        SELECT x.ids[k]::int, d.level, '/' || array_to_string(x.ids[1:k], '/') || '/', count(*)::int
          FROM org_unit d
          CROSS JOIN LATERAL (SELECT string_to_array(btrim(d.path, '/'), '/') AS ids) x
          CROSS JOIN LATERAL generate_subscripts(x.ids, 1) AS k
         WHERE d.valid_to IS NULL
         GROUP BY 1, 2, 3;
        RETURN NULL;
      END $$;
      CREATE TRIGGER org_unit_count_refresh AFTER INSERT OR UPDATE OR DELETE ON org_unit
        FOR EACH STATEMENT EXECUTE FUNCTION refresh_org_unit_count();
      INSERT INTO org_unit_count (unit_id, level, unit_path, n)
      SELECT x.ids[k]::int, d.level, '/' || array_to_string(x.ids[1:k], '/') || '/', count(*)::int
        FROM org_unit d
        CROSS JOIN LATERAL (SELECT string_to_array(btrim(d.path, '/'), '/') AS ids) x
        CROSS JOIN LATERAL generate_subscripts(x.ids, 1) AS k
       WHERE d.valid_to IS NULL
       GROUP BY 1, 2, 3;

      -- Applies the new own aggregates of reporting units: the difference with the stored one goes to the unit's
      -- row and to every ancestor's. SECURITY DEFINER because ancestors lie outside the writer's subtree; it only
      -- accepts units inside the caller's scope (app.scope_path, set per request), others are ignored.
      CREATE FUNCTION report_summary_apply(p_unit int[], p_indicator int[], p_period text[], p_value numeric[],
                                           p_numerator numeric[], p_denominator numeric[], p_reported int[], p_meeting int[])
        RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
        WITH fresh AS (
          SELECT * FROM unnest(p_unit, p_indicator, p_period, p_value, p_numerator, p_denominator, p_reported, p_meeting)
            AS f(unit_id, indicator_id, period_code, v, n, d, rep, meet)
        ), delta AS (
          SELECT f.unit_id, f.indicator_id, f.period_code, u.path,
                 f.v - coalesce(s.value_sum, 0) AS dv, f.n - coalesce(s.numerator_sum, 0) AS dn,
                 f.d - coalesce(s.denominator_sum, 0) AS dd, f.rep - coalesce(s.units_reported, 0) AS dr,
                 f.meet - coalesce(s.units_meeting, 0) AS dm
            FROM fresh f
            JOIN org_unit u ON u.id = f.unit_id
             AND u.path LIKE NULLIF(current_setting('app.scope_path', true), '') || '%'
            LEFT JOIN report_summary s
              ON s.unit_id = f.unit_id AND s.indicator_id = f.indicator_id AND s.period_code = f.period_code
        ), spread AS (
          SELECT x.ids[k]::int AS unit_id, d.indicator_id, d.period_code,
                 '/' || array_to_string(x.ids[1:k], '/') || '/' AS unit_path,
                 sum(d.dv) AS dv, sum(d.dn) AS dn, sum(d.dd) AS dd, sum(d.dr)::int AS dr, sum(d.dm)::int AS dm
            FROM delta d
            CROSS JOIN LATERAL (SELECT string_to_array(btrim(d.path, '/'), '/') AS ids) x
            CROSS JOIN LATERAL generate_subscripts(x.ids, 1) AS k
           WHERE d.dv <> 0 OR d.dn <> 0 OR d.dd <> 0 OR d.dr <> 0 OR d.dm <> 0
           GROUP BY 1, 2, 3, 4
        )
        INSERT INTO report_summary AS s (unit_id, indicator_id, period_code, unit_path, value_sum, numerator_sum,
                                         denominator_sum, units_reported, units_meeting)
        SELECT unit_id, indicator_id, period_code, unit_path, dv, dn, dd, dr, dm FROM spread
         ORDER BY unit_id, indicator_id, period_code
        ON CONFLICT (unit_id, indicator_id, period_code) DO UPDATE
           SET value_sum = s.value_sum + EXCLUDED.value_sum,
               numerator_sum = s.numerator_sum + EXCLUDED.numerator_sum,
               denominator_sum = s.denominator_sum + EXCLUDED.denominator_sum,
               units_reported = s.units_reported + EXCLUDED.units_reported,
               units_meeting = s.units_meeting + EXCLUDED.units_meeting
      $$;

      CREATE TABLE report_submission (
        actor            text NOT NULL,
        idempotency_key  text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        -- the submitter's unit path (row-level security: app_in_subtree(unit_path))
        unit_path        text NOT NULL,
        payload_hash     text NOT NULL,
        result           jsonb,
        created_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (actor, idempotency_key)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER org_unit_count_refresh ON org_unit;
      DROP FUNCTION refresh_org_unit_count();
      DROP FUNCTION report_summary_apply(int[], int[], text[], numeric[], numeric[], numeric[], int[], int[]);
      DROP TABLE report_submission, org_unit_count, report_summary;
    `);
  }
}

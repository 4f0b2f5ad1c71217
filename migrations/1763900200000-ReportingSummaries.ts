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
 */
export class ReportingSummaries1763900200000 implements MigrationInterface {
  name = "ReportingSummaries1763900200000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_summary (
        unit_id          integer NOT NULL,
        indicator_id     integer NOT NULL,
        period_code      text NOT NULL CHECK (period_code ~ '^[0-9]{4}(-Q[1-4]|-H[12])?$'),
        value_sum        numeric NOT NULL DEFAULT 0,
        numerator_sum    numeric NOT NULL DEFAULT 0,
        denominator_sum  numeric NOT NULL DEFAULT 0,
        units_reported   integer NOT NULL DEFAULT 0,
        units_meeting    integer NOT NULL DEFAULT 0,
        PRIMARY KEY (unit_id, indicator_id, period_code)
      );

      CREATE TABLE org_unit_count (
        unit_id  integer NOT NULL,
        level    text NOT NULL,
        n        integer NOT NULL,
        PRIMARY KEY (unit_id, level)
      );

      CREATE FUNCTION refresh_org_unit_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM org_unit_count;
        INSERT INTO org_unit_count (unit_id, level, n)
        SELECT a.id::int, d.level, count(*)::int
          FROM org_unit d
          CROSS JOIN LATERAL unnest(string_to_array(btrim(d.path, '/'), '/')) AS a(id)
         WHERE d.valid_to IS NULL
         GROUP BY 1, 2;
        RETURN NULL;
      END $$;
      CREATE TRIGGER org_unit_count_refresh AFTER INSERT OR UPDATE OR DELETE ON org_unit
        FOR EACH STATEMENT EXECUTE FUNCTION refresh_org_unit_count();
      INSERT INTO org_unit_count (unit_id, level, n)
      SELECT a.id::int, d.level, count(*)::int
        FROM org_unit d
        CROSS JOIN LATERAL unnest(string_to_array(btrim(d.path, '/'), '/')) AS a(id)
       WHERE d.valid_to IS NULL
       GROUP BY 1, 2;

      CREATE TABLE report_submission (
        actor            text NOT NULL,
        idempotency_key  text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
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
      DROP TABLE report_submission, org_unit_count, report_summary;
    `);
  }
}

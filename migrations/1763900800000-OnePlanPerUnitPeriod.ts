import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A unit holds one plan of a program per period: two planners creating the same plan at once (or one
 * clicking twice) must not leave two plans whose targets compete for the same units and period.
 * A shorter plan inside a longer one (an annual plan under a five-year plan) stays allowed.
 */
export class OnePlanPerUnitPeriod1763900800000 implements MigrationInterface {
  name = "OnePlanPerUnitPeriod1763900800000";

  async up(q: QueryRunner): Promise<void> {
    // name the duplicates, so that whoever runs the migration knows which plans to merge first
    await q.query(`
      DO $$
      DECLARE d text;
      BEGIN
        SELECT string_agg(format('unit %s, %s to %s: plans %s', unit_id, period_start, period_end, ids), '; ') INTO d
          FROM (SELECT unit_id, period_start, period_end, string_agg(id::text, ', ') AS ids FROM plan
                 GROUP BY program_id, unit_id, period_start, period_end HAVING count(*) > 1) x;
        IF d IS NOT NULL THEN
          RAISE EXCEPTION 'Some units hold two plans for the same period; merge them before this migration: %', d;
        END IF;
      END $$;
    `);
    await q.query(`CREATE UNIQUE INDEX plan_unit_period_key ON plan (program_id, unit_id, period_start, period_end)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX plan_unit_period_key`);
  }
}

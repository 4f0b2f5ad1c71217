import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Now that the default seed loads every register (issue 11):
 * - No district outlives the two-tier reform: its validity ends by 1/7/2025. Added NOT VALID so that a
 *   database still holding the open-ended 2024 tree migrates; `npm run seed:registers` closes those
 *   districts and then validates the constraint. New and updated rows are checked from now on.
 * - A plan's period overlaps its unit's validity: the 2021-2025 plans stay on the units of their time,
 *   and a 2026 plan cannot name a district. A constraint trigger, since it reads org_unit.
 */
export class TreeOfTheDate1763901200000 implements MigrationInterface {
  name = "TreeOfTheDate1763901200000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE org_unit ADD CONSTRAINT org_unit_district_before_reform
        CHECK (level <> 'district' OR (valid_to IS NOT NULL AND valid_to <= DATE '2025-07-01')) NOT VALID;

      CREATE FUNCTION plan_within_its_unit() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      DECLARE u record;
      BEGIN
        SELECT code, valid_from, valid_to INTO u FROM org_unit WHERE id = NEW.unit_id;
        IF NEW.period_end < u.valid_from OR (u.valid_to IS NOT NULL AND NEW.period_start >= u.valid_to) THEN
          RAISE EXCEPTION 'A plan''s period (% to %) must overlap its unit''s validity (% from % to %)',
            NEW.period_start, NEW.period_end, u.code, u.valid_from, coalesce(u.valid_to::text, 'open')
            USING ERRCODE = 'check_violation', CONSTRAINT = 'plan_within_its_unit';
        END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER plan_within_its_unit AFTER INSERT OR UPDATE OF unit_id, period_start, period_end ON plan
        FOR EACH ROW EXECUTE FUNCTION plan_within_its_unit();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER plan_within_its_unit ON plan;
      DROP FUNCTION plan_within_its_unit();
      ALTER TABLE org_unit DROP CONSTRAINT org_unit_district_before_reform;
    `);
  }
}

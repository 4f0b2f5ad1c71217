import type { MigrationInterface, QueryRunner } from "typeorm";

/** What each indicator of the seeded catalog counts (seeds/indicators.data.ts says the same). */
const CATALOG_UNITS: Array<[code: string, unit: string, numeratorUnit: string | null]> = [
  ["AWR_COMMUNE_ACTIVITY", "percent", null],
  ["AWR_PRESS_FREQUENCY", "items", null],
  ["AWR_RISKY_WORKERS_INFORMED", "percent", "people"],
  ["AWR_IZ_WORKERS_INFORMED", "percent", "people"],
  ["AWR_STUDENTS_INFORMED", "percent", "people"],
  ["PRV_DISTRICT_OWN_PLAN", "percent", null],
  ["PRV_BUSINESS_COMMITMENT", "percent", "businesses"],
  ["PRV_DISTRICT_INTEGRATION", "percent", null],
  ["ENF_REPORTS_HANDLED", "percent", "cases"],
  ["ENF_CRIMES_HANDLED", "cases", null],
  ["ENF_BUSINESSES_INSPECTED_YEAR", "percent", "businesses"],
  ["ENF_BUSINESSES_INSPECTED_ONCE", "percent", "businesses"],
  ["HRM_PILOT_MODEL_DISTRICTS", "percent", null],
  ["HRM_SEX_WORKERS_SUPPORTED", "percent", "people"],
  ["TRN_STAFF_PROVINCIAL", "percent", "people"],
  ["TRN_STAFF_LOCAL", "percent", "people"],
  ["TRN_FRONTLINE_STAFF", "percent", "people"],
];

const UNITS = `('percent','people','cases','inspections','businesses','items','times')`;
const WHOLE_UNITS = `('people','cases','inspections','businesses','items','times')`;

/**
 * Absolute quantities (issue 13, item 3).
 * - indicator.unit: what the indicator's value is in, from one list (UnitOfMeasure): PERCENT for yes/no and
 *   ratio indicators, the thing counted for counts and frequencies. indicator.numerator_unit: what a ratio's
 *   numerator counts (people informed, businesses inspected), the unit of a quantity target on it. The
 *   existing catalog gets its units by code; a new row that names none gets the default of its value kind
 *   (a trigger, as a column default cannot read another column): ITEMS for a count, TIMES for a frequency,
 *   ITEMS for a ratio's numerator.
 * - target.quantity and the kinds quantity_floor / quantity_ceiling: at least (at most) n of the indicator's
 *   quantity unit in the plan's period. Every quantity unit counts whole things, so quantities are whole.
 */
export class UnitsAndQuantities1763901550000 implements MigrationInterface {
  name = "UnitsAndQuantities1763901550000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE indicator ADD COLUMN unit text CHECK (unit IN ${UNITS}),
                            ADD COLUMN numerator_unit text CHECK (numerator_unit IN ${WHOLE_UNITS});
      UPDATE indicator SET unit = CASE WHEN value_kind IN ('yes_no', 'ratio') THEN 'percent'
                                       WHEN value_kind = 'frequency' THEN 'times' ELSE 'items' END,
                           numerator_unit = CASE WHEN value_kind = 'ratio' THEN 'items' END;
    `);
    // (a statement with parameters must stand alone)
    await q.query(
      `UPDATE indicator i SET unit = c.unit, numerator_unit = c.numerator_unit
         FROM jsonb_to_recordset($1::jsonb) AS c(code text, unit text, numerator_unit text) WHERE c.code = i.code`,
      [JSON.stringify(CATALOG_UNITS.map(([code, unit, numerator_unit]) => ({ code, unit, numerator_unit })))],
    );
    await q.query(`
      ALTER TABLE indicator ALTER COLUMN unit SET NOT NULL,
        ADD CONSTRAINT indicator_unit_fits_kind CHECK ((value_kind IN ('yes_no', 'ratio')) = (unit = 'percent')),
        ADD CONSTRAINT indicator_numerator_unit_fits_kind CHECK ((value_kind = 'ratio') = (numerator_unit IS NOT NULL));

      CREATE FUNCTION indicator_unit_default() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.unit IS NULL THEN
          NEW.unit := CASE WHEN NEW.value_kind IN ('yes_no', 'ratio') THEN 'percent'
                           WHEN NEW.value_kind = 'frequency' THEN 'times' ELSE 'items' END;
        END IF;
        IF NEW.numerator_unit IS NULL AND NEW.value_kind = 'ratio' THEN
          NEW.numerator_unit := 'items';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER indicator_unit_default BEFORE INSERT ON indicator
        FOR EACH ROW EXECUTE FUNCTION indicator_unit_default();

      ALTER TABLE target DROP CONSTRAINT target_kind_check;
      ALTER TABLE target ADD CONSTRAINT target_kind_check CHECK (kind IN ('share_floor','share_ceiling','count_floor','count_ceiling',
          'frequency','change_range','cumulative_deadline','quantity_floor','quantity_ceiling')),
        ADD COLUMN quantity numeric CHECK (quantity >= 0 AND quantity = trunc(quantity)),
        ADD CONSTRAINT target_quantity_needed CHECK (kind NOT IN ('quantity_floor','quantity_ceiling') OR quantity IS NOT NULL);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM target WHERE kind IN ('quantity_floor', 'quantity_ceiling');
      ALTER TABLE target DROP CONSTRAINT target_quantity_needed, DROP COLUMN quantity, DROP CONSTRAINT target_kind_check;
      ALTER TABLE target ADD CONSTRAINT target_kind_check CHECK (kind IN ('share_floor','share_ceiling','count_floor','count_ceiling',
          'frequency','change_range','cumulative_deadline'));
      DROP TRIGGER indicator_unit_default ON indicator;
      DROP FUNCTION indicator_unit_default();
      ALTER TABLE indicator DROP COLUMN numerator_unit, DROP COLUMN unit;
    `);
  }
}

import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Issue 15, item 3: a roll-up cell is judged (MET / NOT_MET, ranked) only when enough of the units expected
 * reported: Quảng Ninh "met" on 2 of its 177 communes said nothing about Quảng Ninh. The share needed is the
 * indicator's, in percent of the units expected (0..100, the scale of every share), 50 unless set.
 */
export class IndicatorMinCompleteness1763901900000 implements MigrationInterface {
  name = "IndicatorMinCompleteness1763901900000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE indicator ADD COLUMN min_completeness numeric(5, 2) NOT NULL DEFAULT 50
        CONSTRAINT indicator_min_completeness_range CHECK (min_completeness BETWEEN 0 AND 100);
      COMMENT ON COLUMN indicator.min_completeness IS
        'Percent of the units expected that must report for a roll-up cell to be judged and ranked (below: INSUFFICIENT_DATA)';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE indicator DROP COLUMN min_completeness`);
  }
}

import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The policies on report_summary and org_unit_count of 1763900310000 looked up org_unit for every row
 * they guard (a join per row on the national comparison's hot path). Both tables carry the unit's
 * path, so the policies read it directly, like every other tenant table: same rows visible, no join.
 */
export class SummaryPolicyByPath1763900700000 implements MigrationInterface {
  name = "SummaryPolicyByPath1763900700000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY report_summary_all ON report_summary;
      CREATE POLICY report_summary_all ON report_summary FOR ALL
        USING (app_in_subtree_or_ancestor(unit_path)) WITH CHECK (app_in_subtree_or_ancestor(unit_path));
      DROP POLICY org_unit_count_read ON org_unit_count;
      CREATE POLICY org_unit_count_read ON org_unit_count FOR SELECT USING (app_in_subtree_or_ancestor(unit_path));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY report_summary_all ON report_summary;
      CREATE POLICY report_summary_all ON report_summary FOR ALL
        USING (EXISTS (SELECT 1 FROM org_unit u WHERE u.id = unit_id AND app_in_subtree_or_ancestor(u.path)))
        WITH CHECK (EXISTS (SELECT 1 FROM org_unit u WHERE u.id = unit_id AND app_in_subtree_or_ancestor(u.path)));
      DROP POLICY org_unit_count_read ON org_unit_count;
      CREATE POLICY org_unit_count_read ON org_unit_count FOR SELECT
        USING (EXISTS (SELECT 1 FROM org_unit u WHERE u.id = unit_id AND app_in_subtree_or_ancestor(u.path)));
    `);
  }
}

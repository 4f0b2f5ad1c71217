import type { MigrationInterface, QueryRunner } from "typeorm";
import { loadAppRole } from "../src/db/app-role";

/**
 * Row-level security on the reporting tables of 1763900200000 (see 1763900300000 for the scheme).
 *
 * - report_summary: the writer's transaction adds its deltas to the summaries of the reporting
 *   unit's ancestors (INSERT … ON CONFLICT DO UPDATE, which needs the existing row to be readable),
 *   so a caller reads and writes the rows of its subtree and of its own ancestors; siblings and
 *   other provinces stay invisible.
 * - org_unit_count: counts of units under each unit; readable for visible units. Kept by a statement
 *   trigger on org_unit that recounts everything: it must see every unit, so it runs as its owner.
 * - report_submission (idempotency keys): a caller sees only its own keys.
 */
export class RollupRowLevelSecurity1763900310000 implements MigrationInterface {
  name = "RollupRowLevelSecurity1763900310000";

  async up(q: QueryRunner): Promise<void> {
    const app = loadAppRole().user; // validated as a plain lower-case identifier
    await q.query(`
      GRANT SELECT, INSERT, UPDATE, DELETE ON report_summary, report_submission TO ${app};
      GRANT SELECT ON org_unit_count TO ${app};
      REVOKE INSERT, UPDATE, DELETE ON org_unit_count FROM ${app};

      ALTER TABLE report_summary ENABLE ROW LEVEL SECURITY;
      ALTER TABLE report_summary FORCE ROW LEVEL SECURITY;
      CREATE POLICY report_summary_all ON report_summary FOR ALL
        USING (EXISTS (SELECT 1 FROM org_unit u WHERE u.id = unit_id AND app_in_subtree_or_ancestor(u.path)))
        WITH CHECK (EXISTS (SELECT 1 FROM org_unit u WHERE u.id = unit_id AND app_in_subtree_or_ancestor(u.path)));

      ALTER TABLE org_unit_count ENABLE ROW LEVEL SECURITY;
      ALTER TABLE org_unit_count FORCE ROW LEVEL SECURITY;
      CREATE POLICY org_unit_count_read ON org_unit_count FOR SELECT
        USING (EXISTS (SELECT 1 FROM org_unit u WHERE u.id = unit_id AND app_in_subtree_or_ancestor(u.path)));
      ALTER FUNCTION refresh_org_unit_count() SECURITY DEFINER SET search_path = public;

      ALTER TABLE report_submission ENABLE ROW LEVEL SECURITY;
      ALTER TABLE report_submission FORCE ROW LEVEL SECURITY;
      CREATE POLICY report_submission_own ON report_submission FOR ALL
        USING (app_scope() IS NOT NULL AND actor = current_setting('app.actor', true))
        WITH CHECK (app_scope() IS NOT NULL AND actor = current_setting('app.actor', true));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER FUNCTION refresh_org_unit_count() SECURITY INVOKER RESET search_path;
      DROP POLICY report_submission_own ON report_submission;
      DROP POLICY org_unit_count_read ON org_unit_count;
      DROP POLICY report_summary_all ON report_summary;
      ALTER TABLE report_submission NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
      ALTER TABLE org_unit_count NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
      ALTER TABLE report_summary NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
    `);
  }
}

import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Two costs of the dated tree, found measuring it:
 * - org_unit_succession's write policy was FOR ALL, so PostgreSQL added its USING (a look-up of the
 *   predecessor's path) to every read too, and the planner walked every unit to read a unit's successors
 *   (about 100 ms). The write policy is split into INSERT, UPDATE and DELETE; reads keep their own policy.
 * - org_unit_count is recounted over the whole dated tree after every statement on org_unit (about 0.6 s):
 *   an update now recounts only when it touches what the counts depend on (dates, parent, path, level),
 *   so a rename costs nothing more.
 */
export class SuccessionPolicies1763901400000 implements MigrationInterface {
  name = "SuccessionPolicies1763901400000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY org_unit_succession_write ON org_unit_succession;
      CREATE POLICY org_unit_succession_insert ON org_unit_succession FOR INSERT
        WITH CHECK (EXISTS (SELECT 1 FROM org_unit u WHERE u.id = predecessor_id AND app_in_subtree(u.path)));
      CREATE POLICY org_unit_succession_update ON org_unit_succession FOR UPDATE
        USING (EXISTS (SELECT 1 FROM org_unit u WHERE u.id = predecessor_id AND app_in_subtree(u.path)))
        WITH CHECK (EXISTS (SELECT 1 FROM org_unit u WHERE u.id = predecessor_id AND app_in_subtree(u.path)));
      CREATE POLICY org_unit_succession_delete ON org_unit_succession FOR DELETE
        USING (EXISTS (SELECT 1 FROM org_unit u WHERE u.id = predecessor_id AND app_in_subtree(u.path)));

      DROP TRIGGER org_unit_count_refresh ON org_unit;
      CREATE TRIGGER org_unit_count_refresh AFTER INSERT OR DELETE ON org_unit
        FOR EACH STATEMENT EXECUTE FUNCTION refresh_org_unit_count();
      CREATE TRIGGER org_unit_count_refresh_update AFTER UPDATE OF valid_from, valid_to, parent_id, path, level ON org_unit
        FOR EACH STATEMENT EXECUTE FUNCTION refresh_org_unit_count();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER org_unit_count_refresh_update ON org_unit;
      DROP TRIGGER org_unit_count_refresh ON org_unit;
      CREATE TRIGGER org_unit_count_refresh AFTER INSERT OR UPDATE OR DELETE ON org_unit
        FOR EACH STATEMENT EXECUTE FUNCTION refresh_org_unit_count();
      DROP POLICY org_unit_succession_delete ON org_unit_succession;
      DROP POLICY org_unit_succession_update ON org_unit_succession;
      DROP POLICY org_unit_succession_insert ON org_unit_succession;
      CREATE POLICY org_unit_succession_write ON org_unit_succession FOR ALL
        USING (EXISTS (SELECT 1 FROM org_unit u WHERE u.id = predecessor_id AND app_in_subtree(u.path)))
        WITH CHECK (EXISTS (SELECT 1 FROM org_unit u WHERE u.id = predecessor_id AND app_in_subtree(u.path)));
    `);
  }
}

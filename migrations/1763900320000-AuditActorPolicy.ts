import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * audit_log entries written by the app name the request's own caller: the policy compares `actor`
 * with the transaction-local `app.actor` that RequestDb sets from the verified token, so a change
 * can never be recorded in someone else's name (the table is already append-only for the app).
 */
export class AuditActorPolicy1763900320000 implements MigrationInterface {
  name = "AuditActorPolicy1763900320000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY audit_log_insert ON audit_log;
      CREATE POLICY audit_log_insert ON audit_log FOR INSERT
        WITH CHECK (app_scope() IS NOT NULL AND actor = current_setting('app.actor', true)
                    AND (unit_path IS NULL OR app_in_subtree(unit_path)));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY audit_log_insert ON audit_log;
      CREATE POLICY audit_log_insert ON audit_log FOR INSERT
        WITH CHECK (app_scope() IS NOT NULL AND (unit_path IS NULL OR app_in_subtree(unit_path)));
    `);
  }
}

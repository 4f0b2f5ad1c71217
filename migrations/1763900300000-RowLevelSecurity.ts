import type { MigrationInterface, QueryRunner } from "typeorm";
import { loadAppRole, sqlLiteral } from "../src/db/app-role";

/**
 * Defense in depth for tenancy: the application's login role (APP_DB_USER, default vnplans_app) is
 * neither superuser, nor owner, nor BYPASSRLS, and every tenant table has row-level security
 * ENABLEd and FORCEd with policies keyed to the request's scope, which RequestDb sets
 * transaction-locally: `set_config('app.scope_path', <unit path>, true)`.
 *
 * - No scope set (a query outside a request, a pooled connection between requests) sees no rows.
 * - org_unit, plan, target, target_assignment: read = own subtree plus own ancestors (whose names,
 *   plans and targets frame one's own); write = own subtree only.
 * - report, audit_log: read and write own subtree only.
 * - program, indicator (global catalog): read by all; written only with the national scope.
 * - audit_log is append-only for the app (SELECT, INSERT).
 *
 * Migrations and seeds run as the owner, which must be superuser or BYPASSRLS (FORCE makes the
 * policies apply to a plain owner too); the migration refuses to run otherwise.
 */
export class RowLevelSecurity1763900300000 implements MigrationInterface {
  name = "RowLevelSecurity1763900300000";

  async up(q: QueryRunner): Promise<void> {
    const role = loadAppRole();
    const app = role.user; // validated as a plain lower-case identifier

    // FORCEd RLS holds the owner too: seeds, maintenance and the SECURITY DEFINER functions (the
    // token's unit lookup, counts) run as the owner and must see every row.
    await q.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolbypassrls)) THEN
          RAISE EXCEPTION 'Run migrations as a superuser or as a role with BYPASSRLS (ALTER ROLE % BYPASSRLS): row-level security is forced on the tables it owns', current_user;
        END IF;
      END $$;
    `);
    // Roles are cluster-wide: create only if missing (parallel test runs may race: tolerate that).
    await q.query(`
      DO $$
      DECLARE r record;
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${sqlLiteral(app)}) THEN
          BEGIN
            CREATE ROLE ${app} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
              PASSWORD ${sqlLiteral(role.password)};
          EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
          END;
        END IF;
        SELECT rolsuper, rolbypassrls INTO r FROM pg_roles WHERE rolname = ${sqlLiteral(app)};
        IF r.rolsuper OR r.rolbypassrls THEN
          RAISE EXCEPTION 'The application role % must be neither superuser nor BYPASSRLS', ${sqlLiteral(app)};
        END IF;
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), ${sqlLiteral(app)});
      END $$;
    `);

    await q.query(`
      -- The request's scope: the caller's unit path, or NULL (no rows) when no request set it.
      CREATE FUNCTION app_scope() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT NULLIF(current_setting('app.scope_path', true), '')
      $$;
      -- The unit path lies in the caller's subtree.
      CREATE FUNCTION app_in_subtree(p_path text) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT p_path LIKE app_scope() || '%'
      $$;
      -- The unit path lies in the caller's subtree or is one of the caller's ancestors.
      CREATE FUNCTION app_in_subtree_or_ancestor(p_path text) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT p_path LIKE app_scope() || '%' OR app_scope() LIKE p_path || '%'
      $$;
      -- The caller is the nation (the root of the tree: a path of one id).
      CREATE FUNCTION app_is_national() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT app_scope() ~ '^/[0-9]+/$'
      $$;

      GRANT USAGE ON SCHEMA public TO ${app};
      GRANT SELECT, INSERT, UPDATE, DELETE
        ON org_unit, org_unit_succession, plan, target, target_assignment, report, program, indicator TO ${app};
      GRANT SELECT, INSERT ON audit_log TO ${app};
      GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app};
      -- Tables of earlier migrations not named here get the same grants; their policies come in
      -- 1763900310000 (test/security-db.test.ts fails for any granted table without FORCEd RLS).
      DO $$
      DECLARE t record;
      BEGIN
        FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
                    AND c.relname NOT IN ('typeorm_migrations', 'org_unit', 'org_unit_succession', 'plan', 'target',
                                          'target_assignment', 'report', 'program', 'indicator', 'audit_log')
        LOOP
          EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO %I', t.relname, ${sqlLiteral(app)});
        END LOOP;
      END $$;

      ALTER TABLE org_unit ENABLE ROW LEVEL SECURITY;
      ALTER TABLE org_unit FORCE ROW LEVEL SECURITY;
      CREATE POLICY org_unit_read ON org_unit FOR SELECT USING (app_in_subtree_or_ancestor(path));
      CREATE POLICY org_unit_insert ON org_unit FOR INSERT WITH CHECK (app_in_subtree(path));
      CREATE POLICY org_unit_update ON org_unit FOR UPDATE USING (app_in_subtree(path)) WITH CHECK (app_in_subtree(path));
      CREATE POLICY org_unit_delete ON org_unit FOR DELETE USING (app_in_subtree(path));

      -- Reforms: readable by all who may read units; recorded for units of one's own subtree.
      ALTER TABLE org_unit_succession ENABLE ROW LEVEL SECURITY;
      ALTER TABLE org_unit_succession FORCE ROW LEVEL SECURITY;
      CREATE POLICY org_unit_succession_read ON org_unit_succession FOR SELECT USING (app_scope() IS NOT NULL);
      CREATE POLICY org_unit_succession_write ON org_unit_succession FOR ALL
        USING (EXISTS (SELECT 1 FROM org_unit u WHERE u.id = predecessor_id AND app_in_subtree(u.path)))
        WITH CHECK (EXISTS (SELECT 1 FROM org_unit u WHERE u.id = predecessor_id AND app_in_subtree(u.path)));

      ALTER TABLE program ENABLE ROW LEVEL SECURITY;
      ALTER TABLE program FORCE ROW LEVEL SECURITY;
      CREATE POLICY program_read ON program FOR SELECT USING (app_scope() IS NOT NULL);
      CREATE POLICY program_write ON program FOR ALL USING (app_is_national()) WITH CHECK (app_is_national());

      ALTER TABLE indicator ENABLE ROW LEVEL SECURITY;
      ALTER TABLE indicator FORCE ROW LEVEL SECURITY;
      CREATE POLICY indicator_read ON indicator FOR SELECT USING (app_scope() IS NOT NULL);
      CREATE POLICY indicator_write ON indicator FOR ALL USING (app_is_national()) WITH CHECK (app_is_national());

      ALTER TABLE plan ENABLE ROW LEVEL SECURITY;
      ALTER TABLE plan FORCE ROW LEVEL SECURITY;
      CREATE POLICY plan_read ON plan FOR SELECT USING (app_in_subtree_or_ancestor(unit_path));
      CREATE POLICY plan_insert ON plan FOR INSERT WITH CHECK (app_in_subtree(unit_path));
      CREATE POLICY plan_update ON plan FOR UPDATE USING (app_in_subtree(unit_path)) WITH CHECK (app_in_subtree(unit_path));
      CREATE POLICY plan_delete ON plan FOR DELETE USING (app_in_subtree(unit_path));

      ALTER TABLE target ENABLE ROW LEVEL SECURITY;
      ALTER TABLE target FORCE ROW LEVEL SECURITY;
      CREATE POLICY target_read ON target FOR SELECT
        USING (EXISTS (SELECT 1 FROM plan p WHERE p.id = plan_id AND app_in_subtree_or_ancestor(p.unit_path)));
      CREATE POLICY target_write ON target FOR ALL
        USING (EXISTS (SELECT 1 FROM plan p WHERE p.id = plan_id AND app_in_subtree(p.unit_path)))
        WITH CHECK (EXISTS (SELECT 1 FROM plan p WHERE p.id = plan_id AND app_in_subtree(p.unit_path)));

      -- A parent plan's named units: a caller sees the assignments of visible plans to visible units
      -- (a district sees that it was named, not which siblings were).
      ALTER TABLE target_assignment ENABLE ROW LEVEL SECURITY;
      ALTER TABLE target_assignment FORCE ROW LEVEL SECURITY;
      CREATE POLICY target_assignment_read ON target_assignment FOR SELECT
        USING (EXISTS (SELECT 1 FROM plan p WHERE p.id = plan_id AND app_in_subtree_or_ancestor(p.unit_path))
           AND EXISTS (SELECT 1 FROM org_unit u WHERE u.id = unit_id AND app_in_subtree_or_ancestor(u.path)));
      CREATE POLICY target_assignment_write ON target_assignment FOR ALL
        USING (EXISTS (SELECT 1 FROM plan p WHERE p.id = plan_id AND app_in_subtree(p.unit_path))
           AND EXISTS (SELECT 1 FROM org_unit u WHERE u.id = unit_id AND app_in_subtree(u.path)))
        WITH CHECK (EXISTS (SELECT 1 FROM plan p WHERE p.id = plan_id AND app_in_subtree(p.unit_path))
           AND EXISTS (SELECT 1 FROM org_unit u WHERE u.id = unit_id AND app_in_subtree(u.path)));

      ALTER TABLE report ENABLE ROW LEVEL SECURITY;
      ALTER TABLE report FORCE ROW LEVEL SECURITY;
      CREATE POLICY report_all ON report FOR ALL USING (app_in_subtree(unit_path)) WITH CHECK (app_in_subtree(unit_path));

      -- Entries without a unit (catalog changes) are the nation's.
      ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
      ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
      CREATE POLICY audit_log_read ON audit_log FOR SELECT
        USING (app_in_subtree(unit_path) OR (unit_path IS NULL AND app_is_national()));
      CREATE POLICY audit_log_insert ON audit_log FOR INSERT
        WITH CHECK (app_scope() IS NOT NULL AND (unit_path IS NULL OR app_in_subtree(unit_path)));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    const app = loadAppRole().user;
    const tables = ["org_unit", "org_unit_succession", "program", "indicator", "plan", "target", "target_assignment", "report", "audit_log"];
    for (const table of tables) {
      const policies: Array<{ policyname: string }> = await q.query(
        `SELECT policyname FROM pg_policies WHERE schemaname = 'public' AND tablename = $1`,
        [table],
      );
      for (const { policyname } of policies) await q.query(`DROP POLICY "${policyname}" ON ${table}`);
      await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${app}`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${app}`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM ${app}`);
    await q.query(`DROP FUNCTION app_is_national(), app_in_subtree_or_ancestor(text), app_in_subtree(text), app_scope()`);
    // The role itself is cluster-wide (other databases may use it): it stays.
  }
}

import type { MigrationInterface, QueryRunner } from "typeorm";
import { loadAppRole } from "../src/db/app-role";

/**
 * /ready says whether every migration of the running build is applied. The application role may
 * not read typeorm_migrations (it has no grant on it), so it asks this function, which runs as the
 * owner and returns only the names of the applied migrations.
 */
export class MigrationStatus1763900600000 implements MigrationInterface {
  name = "MigrationStatus1763900600000";

  async up(q: QueryRunner): Promise<void> {
    const app = loadAppRole().user; // validated as a plain lower-case identifier
    await q.query(`
      CREATE FUNCTION app_applied_migrations() RETURNS SETOF text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        SELECT name::text FROM typeorm_migrations
      $$;
      REVOKE ALL ON FUNCTION app_applied_migrations() FROM PUBLIC;
    `);
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app}') THEN
          EXECUTE format('GRANT EXECUTE ON FUNCTION app_applied_migrations() TO %I', '${app}');
        END IF;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS app_applied_migrations()`);
  }
}

import type { MigrationInterface, QueryRunner } from "typeorm";
import { loadAppRole } from "../src/db/app-role";

/**
 * Row-level security shows a district the assignments of its province's plan only for the units it may
 * see (itself), but whether the province's list meets its target ("8 of 13 districts named") is about
 * every named unit. This function answers only the number of units named per (plan, indicator), for the
 * plans the caller may see (the request's scope decides, as the policies do); it names no unit. It runs as
 * the owner (SECURITY DEFINER, fixed search_path) and is executable by the application role only.
 */
export class AssignmentCounts1763900900000 implements MigrationInterface {
  name = "AssignmentCounts1763900900000";

  async up(q: QueryRunner): Promise<void> {
    const app = loadAppRole().user; // validated as a plain lower-case identifier
    await q.query(`
      CREATE FUNCTION app_assignment_counts(p_plan_ids uuid[])
        RETURNS TABLE (plan_id uuid, indicator_id integer, named integer)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        SELECT a.plan_id, a.indicator_id, count(*)::int
          FROM public.target_assignment a
          JOIN public.plan p ON p.id = a.plan_id
         WHERE a.plan_id = ANY (p_plan_ids) AND public.app_in_subtree_or_ancestor(p.unit_path)
         GROUP BY a.plan_id, a.indicator_id
      $$;
      REVOKE ALL ON FUNCTION app_assignment_counts(uuid[]) FROM PUBLIC;
    `);
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app}') THEN
          EXECUTE format('GRANT EXECUTE ON FUNCTION app_assignment_counts(uuid[]) TO %I', '${app}');
        END IF;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS app_assignment_counts(uuid[])`);
  }
}

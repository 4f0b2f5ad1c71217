import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The row-level security checks, cheaper per row (issue 16). app_in_subtree and app_in_subtree_or_ancestor
 * held an EXISTS over the earlier paths, and PostgreSQL does not inline a SQL function with a sub-select:
 * every row a policy filtered paid a function call (a national comparison's 1,280 summary rows spent more
 * time in it than in reading them). The same checks now are one expression PostgreSQL inlines into each
 * policy; the earlier paths (a scope that grew through the reform) are looked at only when the caller's own
 * path says no, by a function of their own. Same answers as before, row for row.
 */
export class InlinableScopeChecks1763902090000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION app_scope_earlier_related(p_path text, p_ancestors boolean) RETURNS boolean
        LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT EXISTS (SELECT 1 FROM unnest(app_scope_earlier()) e WHERE p_path LIKE e || '%' OR (p_ancestors AND e LIKE p_path || '%'))
      $$;
      CREATE OR REPLACE FUNCTION app_in_subtree(p_path text) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT p_path LIKE app_scope() || '%' OR app_scope_earlier_related(p_path, false)
      $$;
      CREATE OR REPLACE FUNCTION app_in_subtree_or_ancestor(p_path text) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT p_path LIKE app_scope() || '%' OR app_scope() LIKE p_path || '%' OR app_scope_earlier_related(p_path, true)
      $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION app_in_subtree(p_path text) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT p_path LIKE app_scope() || '%'
            OR EXISTS (SELECT 1 FROM unnest(app_scope_earlier()) e WHERE p_path LIKE e || '%')
      $$;
      CREATE OR REPLACE FUNCTION app_in_subtree_or_ancestor(p_path text) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT p_path LIKE app_scope() || '%' OR app_scope() LIKE p_path || '%'
            OR EXISTS (SELECT 1 FROM unnest(app_scope_earlier()) e WHERE p_path LIKE e || '%' OR e LIKE p_path || '%')
      $$;
      DROP FUNCTION app_scope_earlier_related(text, boolean);
    `);
  }
}

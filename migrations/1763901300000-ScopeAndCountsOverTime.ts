import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Tenancy and counts across the reform (issue 11):
 * - A token names a unit that exists when it is used: auth_unit_by_code answers only the unit the code
 *   names today, so a district's token is refused from 1/7/2025 as any bad token.
 * - A caller's scope is its subtree on every date: its current subtree, and the units that became part of
 *   it (followed back through the successions, transitively). auth_scope_paths gives the paths of those
 *   earlier units that lie outside the current subtree, reduced to the topmost ones; the request sets them
 *   beside its own path (app.scope_earlier_paths) and the policies' functions read both. A partial
 *   predecessor counts: each of the communes an old commune was split into answers for its history.
 * - org_unit_count counts the units of each level in a unit's subtree per span of dates over which the
 *   tree did not change (every date a unit opens or closes starts a new span), so completeness of Lai Châu
 *   is out of 106 communes for 2025-Q1 and 38 for 2025-Q3, still a lookup.
 */
/** Every span of dates over which the tree did not change, and per unit and level how many units it held. */
const COUNT_UNITS_PER_SPAN = `INSERT INTO org_unit_count (unit_id, level, unit_path, n, valid_from, valid_to)
  WITH bounds AS (
    SELECT DISTINCT b FROM org_unit, LATERAL (VALUES (valid_from), (valid_to)) v(b) WHERE b IS NOT NULL
  ), spans AS (
    SELECT b AS span_from, lead(b) OVER (ORDER BY b) AS span_to FROM bounds
  )
  SELECT x.ids[k]::int, d.level, '/' || array_to_string(x.ids[1:k], '/') || '/', count(*)::int, s.span_from, s.span_to
    FROM spans s
    JOIN org_unit d ON d.valid_from <= s.span_from AND (d.valid_to IS NULL OR d.valid_to > s.span_from)
    CROSS JOIN LATERAL (SELECT string_to_array(btrim(d.path, '/'), '/') AS ids) x
    CROSS JOIN LATERAL generate_subscripts(x.ids, 1) AS k
   GROUP BY 1, 2, 3, 5, 6`;

export class ScopeAndCountsOverTime1763901300000 implements MigrationInterface {
  name = "ScopeAndCountsOverTime1763901300000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- the service passes its own today (Vietnam's date, or APP_TODAY outside production)
      DROP FUNCTION auth_unit_by_code(text);
      CREATE FUNCTION auth_unit_by_code(p_code text, p_on date)
        RETURNS TABLE (id integer, code text, level text, path text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT u.id, u.code, u.level, u.path FROM org_unit u
          WHERE u.code = p_code AND u.valid_from <= p_on AND (u.valid_to IS NULL OR u.valid_to > p_on)
        $$;

      CREATE FUNCTION auth_scope_paths(p_unit integer) RETURNS text[]
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          WITH RECURSIVE root AS (SELECT path, depth FROM org_unit WHERE id = p_unit),
          earlier(id) AS (
            SELECT s.predecessor_id FROM root, org_unit u JOIN org_unit_succession s ON s.successor_id = u.id
             WHERE root.depth > 0 AND u.path LIKE root.path || '%'
            UNION
            SELECT s.predecessor_id FROM earlier e JOIN org_unit_succession s ON s.successor_id = e.id
          ),
          paths AS (
            SELECT DISTINCT o.path FROM root, earlier e JOIN org_unit o ON o.id = e.id WHERE o.path NOT LIKE root.path || '%'
          )
          SELECT coalesce(array_agg(p.path ORDER BY p.path), '{}') FROM paths p
           WHERE NOT EXISTS (SELECT 1 FROM paths a WHERE a.path <> p.path AND p.path LIKE a.path || '%')
        $$;

      CREATE FUNCTION app_scope_earlier() RETURNS text[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT string_to_array(NULLIF(current_setting('app.scope_earlier_paths', true), ''), ',')
      $$;
      CREATE OR REPLACE FUNCTION app_in_subtree(p_path text) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT p_path LIKE app_scope() || '%'
            OR EXISTS (SELECT 1 FROM unnest(app_scope_earlier()) e WHERE p_path LIKE e || '%')
      $$;
      CREATE OR REPLACE FUNCTION app_in_subtree_or_ancestor(p_path text) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT p_path LIKE app_scope() || '%' OR app_scope() LIKE p_path || '%'
            OR EXISTS (SELECT 1 FROM unnest(app_scope_earlier()) e WHERE p_path LIKE e || '%' OR e LIKE p_path || '%')
      $$;

      ALTER TABLE org_unit_count ADD COLUMN valid_from date NOT NULL DEFAULT DATE '2000-01-01',
                                 ADD COLUMN valid_to date;
      ALTER TABLE org_unit_count DROP CONSTRAINT org_unit_count_pkey;
      ALTER TABLE org_unit_count ADD PRIMARY KEY (unit_id, level, valid_from);

      CREATE OR REPLACE FUNCTION refresh_org_unit_count() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        DELETE FROM org_unit_count;
        ${COUNT_UNITS_PER_SPAN};
        RETURN NULL;
      END $$;
      DELETE FROM org_unit_count;
      ${COUNT_UNITS_PER_SPAN};
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM org_unit_count WHERE valid_from <> (SELECT max(valid_from) FROM org_unit_count);
      ALTER TABLE org_unit_count DROP CONSTRAINT org_unit_count_pkey;
      ALTER TABLE org_unit_count DROP COLUMN valid_from, DROP COLUMN valid_to;
      ALTER TABLE org_unit_count ADD PRIMARY KEY (unit_id, level);
      CREATE OR REPLACE FUNCTION refresh_org_unit_count() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        DELETE FROM org_unit_count;
        INSERT INTO org_unit_count (unit_id, level, unit_path, n)
        SELECT x.ids[k]::int, d.level, '/' || array_to_string(x.ids[1:k], '/') || '/', count(*)::int
          FROM org_unit d
          CROSS JOIN LATERAL (SELECT string_to_array(btrim(d.path, '/'), '/') AS ids) x
          CROSS JOIN LATERAL generate_subscripts(x.ids, 1) AS k
         WHERE d.valid_to IS NULL
         GROUP BY 1, 2, 3;
        RETURN NULL;
      END $$;
      CREATE OR REPLACE FUNCTION app_in_subtree(p_path text) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT p_path LIKE app_scope() || '%'
      $$;
      CREATE OR REPLACE FUNCTION app_in_subtree_or_ancestor(p_path text) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT p_path LIKE app_scope() || '%' OR app_scope() LIKE p_path || '%'
      $$;
      DROP FUNCTION app_scope_earlier();
      DROP FUNCTION auth_unit_by_code(text, date);
      CREATE FUNCTION auth_unit_by_code(p_code text)
        RETURNS TABLE (id integer, code text, level text, path text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT u.id, u.code, u.level, u.path FROM org_unit u
          WHERE u.code = p_code AND u.valid_to IS NULL
          ORDER BY u.valid_from DESC LIMIT 1
        $$;
      DROP FUNCTION auth_scope_paths(integer);
    `);
  }
}

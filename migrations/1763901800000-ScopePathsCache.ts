import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Every authenticated request resolves its caller's earlier scope paths (auth_scope_paths: the units that
 * became part of its subtree, followed through the successions). Computed each time it cost 9-23 ms a request
 * for a province of the new tree (measured on the seeded registers), on the hot path of every query. The tree
 * changes a few times a year, so the answer is kept per unit under a tree version that every statement changing
 * org_unit or org_unit_succession bumps in its own transaction: an entry of an older version is never served,
 * whichever process asks, and a reform's new scope holds from its commit on.
 */
export class ScopePathsCache1763901800000 implements MigrationInterface {
  name = "ScopePathsCache1763901800000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- no grants: only the SECURITY DEFINER functions below read and write them
      CREATE TABLE org_tree_version (one boolean PRIMARY KEY DEFAULT true CHECK (one), version bigint NOT NULL);
      INSERT INTO org_tree_version (version) VALUES (1);
      CREATE TABLE auth_scope_cache (
        unit_id  integer PRIMARY KEY,
        version  bigint NOT NULL,
        earlier  text[] NOT NULL
      );

      CREATE FUNCTION org_tree_changed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        UPDATE org_tree_version SET version = version + 1;
        RETURN NULL;
      END $$;
      CREATE TRIGGER org_unit_tree_changed AFTER INSERT OR DELETE ON org_unit
        FOR EACH STATEMENT EXECUTE FUNCTION org_tree_changed();
      CREATE TRIGGER org_unit_tree_changed_update AFTER UPDATE OF path, parent_id, valid_from, valid_to ON org_unit
        FOR EACH STATEMENT EXECUTE FUNCTION org_tree_changed();
      CREATE TRIGGER org_unit_succession_tree_changed AFTER INSERT OR UPDATE OR DELETE ON org_unit_succession
        FOR EACH STATEMENT EXECUTE FUNCTION org_tree_changed();

      -- auth_scope_paths from the cache when its entry is of the current tree version, else computed and kept;
      -- the version is read before computing, so an answer computed while a reform commits is kept under the
      -- old version and never served after it
      CREATE FUNCTION auth_scope_paths_cached(p_unit integer) RETURNS text[]
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
      DECLARE
        v bigint;
        paths text[];
      BEGIN
        SELECT version INTO v FROM org_tree_version;
        SELECT earlier INTO paths FROM auth_scope_cache WHERE unit_id = p_unit AND version = v;
        IF FOUND THEN RETURN paths; END IF;
        paths := auth_scope_paths(p_unit);
        INSERT INTO auth_scope_cache (unit_id, version, earlier) VALUES (p_unit, v, paths)
          ON CONFLICT (unit_id) DO UPDATE SET version = EXCLUDED.version, earlier = EXCLUDED.earlier
          WHERE auth_scope_cache.version < EXCLUDED.version;
        RETURN paths;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION auth_scope_paths_cached(integer);
      DROP TRIGGER org_unit_succession_tree_changed ON org_unit_succession;
      DROP TRIGGER org_unit_tree_changed_update ON org_unit;
      DROP TRIGGER org_unit_tree_changed ON org_unit;
      DROP FUNCTION org_tree_changed();
      DROP TABLE auth_scope_cache, org_tree_version;
    `);
  }
}

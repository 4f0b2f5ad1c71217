import type { MigrationInterface, QueryRunner } from "typeorm";

/** The tables whose every change can change an effective target (EffectiveTargetService.forUnits reads them). */
const TABLES = ["target", "plan", "target_quota", "plan_figure", "target_assignment", "org_unit", "org_unit_count", "indicator"];

/**
 * Effective targets change a few times a year and are read on every page, so each API process keeps them in
 * memory (src/target/effective-target.cache.ts) under a targets version that every statement changing what
 * they are made of bumps in its own transaction. A request reads the version first: a write that committed
 * before is seen, whichever process served it, and the process drops what it kept. The trigger also marks its
 * own transaction (app.targets_written), whose later reads must not fill the cache with data that may roll back.
 *
 * report_summary feeds a quantity target's reported denominator: its changes bump the version only for
 * indicators with a quantity target or a quota (reports arrive all day; most indicators have neither).
 */
export class TargetsVersion1763902020000 implements MigrationInterface {
  name = "TargetsVersion1763902020000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- no grants: only the SECURITY DEFINER functions below read and write it
      CREATE TABLE targets_version (one boolean PRIMARY KEY DEFAULT true CHECK (one), version bigint NOT NULL);
      INSERT INTO targets_version (version) VALUES (1);

      CREATE FUNCTION targets_changed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        UPDATE targets_version SET version = version + 1;
        PERFORM set_config('app.targets_written', 'on', true);
        RETURN NULL;
      END $$;

      CREATE FUNCTION targets_summary_changed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM (SELECT DISTINCT indicator_id FROM changed_rows) c
                    WHERE EXISTS (SELECT 1 FROM target t WHERE t.indicator_id = c.indicator_id AND t.kind LIKE 'quantity%')
                       OR EXISTS (SELECT 1 FROM target_quota tq WHERE tq.indicator_id = c.indicator_id)) THEN
          UPDATE targets_version SET version = version + 1;
          PERFORM set_config('app.targets_written', 'on', true);
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER report_summary_targets_inserted AFTER INSERT ON report_summary
        REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION targets_summary_changed();
      CREATE TRIGGER report_summary_targets_updated AFTER UPDATE ON report_summary
        REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION targets_summary_changed();
      CREATE TRIGGER report_summary_targets_deleted AFTER DELETE ON report_summary
        REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION targets_summary_changed();

      -- The units (of p_units) whose effective targets read only rows on their own line of ancestors: every plan
      -- of the unit or an ancestor, and every plan up their parent chains, belongs to one of them. Anyone who
      -- sees such a unit sees all of it (row-level security shows a caller its subtree and ancestors), so its
      -- targets are the same for every caller that sees it and may be served to each from one cache entry.
      -- Any status and period: a superset of the plans a resolution can reach. Unfiltered (owner), by design.
      CREATE FUNCTION targets_shareable_units(p_units integer[]) RETURNS TABLE (unit_id integer, path text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        WITH RECURSIVE req AS (SELECT u.id, u.path FROM org_unit u WHERE u.id = ANY(p_units)),
        chain AS (
          SELECT r.id AS unit_id, p.parent_plan_id, p.unit_path AS plan_path, pu.path AS plan_unit_path, 0 AS depth
            FROM req r
            JOIN plan p ON p.unit_id = ANY(string_to_array(btrim(r.path, '/'), '/')::int[])
            JOIN org_unit pu ON pu.id = p.unit_id
          UNION ALL
          SELECT c.unit_id, p.parent_plan_id, p.unit_path, pu.path, c.depth + 1
            FROM chain c JOIN plan p ON p.id = c.parent_plan_id JOIN org_unit pu ON pu.id = p.unit_id
           WHERE c.depth < 32
        )
        SELECT r.id, r.path FROM req r
         WHERE NOT EXISTS (SELECT 1 FROM chain c
                            WHERE c.unit_id = r.id AND (r.path NOT LIKE c.plan_path || '%' OR r.path NOT LIKE c.plan_unit_path || '%'))
      $$;

      -- the version, and whether this transaction changed targets itself (then it reads around the cache)
      CREATE FUNCTION targets_version_read(OUT version bigint, OUT written boolean)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT v.version, coalesce(current_setting('app.targets_written', true), '') = 'on' FROM targets_version v
      $$;
    `);
    for (const table of TABLES) {
      await q.query(`CREATE TRIGGER ${table}_targets_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION targets_changed()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.query(`DROP TRIGGER ${table}_targets_changed ON ${table}`);
    await q.query(`
      DROP TRIGGER report_summary_targets_deleted ON report_summary;
      DROP TRIGGER report_summary_targets_updated ON report_summary;
      DROP TRIGGER report_summary_targets_inserted ON report_summary;
      DROP FUNCTION targets_version_read();
      DROP FUNCTION targets_shareable_units(integer[]);
      DROP FUNCTION targets_summary_changed();
      DROP FUNCTION targets_changed();
      DROP TABLE targets_version;
    `);
  }
}

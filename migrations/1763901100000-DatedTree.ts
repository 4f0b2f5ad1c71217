import type { MigrationInterface, QueryRunner } from "typeorm";
import { loadAppRole } from "../src/db/app-role";

/**
 * The tree with history (issue 11): every register version of a unit is a row valid over
 * [valid_from, valid_to), and the database refuses the trees that cannot have existed.
 *
 * - A code names at most one unit on any date: an exclusion constraint over the validity range
 *   (btree_gist, shipped with PostgreSQL, gives `=` on text in a GiST index). UNIQUE (code, valid_from)
 *   stays: it is implied, but its btree leads with code, so it serves every look-up by code (and by code
 *   and date) and the admin service answers its violation as a conflict. The plain index on code is
 *   dropped as redundant with it.
 * - A unit lies within its parent's validity (a statement trigger, so that a parent and its children
 *   can be closed in one statement), and levels follow the tree of the date: a commune hangs under a
 *   district (depth 3) or, from the two-tier reform of 1/7/2025, directly under its province (depth 2).
 *   A commune under a district after 30/6/2025 is refused because every district ends on 1/7/2025 in
 *   the registers (within-parent); a CHECK that no district outlives 30/6/2025 must wait until the default
 *   seed loads the registers (today's seed keeps the 2024 tree open-ended).
 * - org_unit_name: the names (and types) a unit bore before its current one, each over the dates it bore
 *   it. org_unit.name is the unit's latest name. A rename or retype that keeps the unit (same code, same
 *   parent) adds a row here instead of a new unit. Readable exactly as the unit is (row-level security on
 *   its copied path, as org_unit).
 * - org_unit_succession.verification: whether a pair (old unit → new unit) was checked, and by what:
 *   the crosswalk's `check` column (`bando`, `resolution`, `corrected`, `unchecked`), or `codes` for a
 *   pair the registers' codes make certain (a unit that kept its code under a new parent).
 * - indicator.reporting_level_two_tier: the level that reports an indicator in the two-tier tree (no
 *   districts): by default its reporting level, a district's indicator going to the commune.
 */
export class DatedTree1763901100000 implements MigrationInterface {
  name = "DatedTree1763901100000";

  async up(q: QueryRunner): Promise<void> {
    const app = loadAppRole().user; // validated as a plain lower-case identifier
    await q.query(`
      CREATE EXTENSION IF NOT EXISTS btree_gist;

      -- COLLATE "C": codes are ASCII, so byte equality is the same equality, and the GiST index's text
      -- comparisons skip the locale (about a third faster to maintain on a full register load)
      ALTER TABLE org_unit ADD CONSTRAINT org_unit_code_no_overlap
        EXCLUDE USING gist ((code COLLATE "C") WITH =, daterange(valid_from, valid_to, '[)') WITH &&);
      DROP INDEX org_unit_code_idx;

      ALTER TABLE org_unit ADD CONSTRAINT org_unit_level_depth CHECK (
        CASE level
          WHEN 'nation' THEN depth = 0
          WHEN 'province' THEN depth = 1
          WHEN 'district' THEN depth = 2 AND district_id = id
          ELSE (depth = 3 AND district_id IS NOT NULL)
            OR (depth = 2 AND district_id IS NULL AND valid_from >= DATE '2025-07-01')
        END);

      -- Checked once per statement over the rows it touched (as children, and as parents of their
      -- children), so closing a district with its communes in one UPDATE passes. SECURITY DEFINER: it
      -- must see every parent and child whatever the caller's scope.
      CREATE FUNCTION org_unit_check_within_parent() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      DECLARE bad text;
      BEGIN
        -- no ORDER BY: with a LIMIT it leads the planner into walking all of org_unit per changed row
        SELECT string_agg(d, '; ') INTO bad FROM (
          SELECT format('%s (%s to %s) under %s (%s to %s)', c.code, c.valid_from, coalesce(c.valid_to::text, 'open'),
                        p.code, p.valid_from, coalesce(p.valid_to::text, 'open')) AS d
            FROM changed_units c JOIN org_unit p ON p.id = c.parent_id
           WHERE c.valid_from < p.valid_from OR (p.valid_to IS NOT NULL AND (c.valid_to IS NULL OR c.valid_to > p.valid_to))
          UNION ALL
          SELECT format('%s (%s to %s) under %s (%s to %s)', c.code, c.valid_from, coalesce(c.valid_to::text, 'open'),
                        p.code, p.valid_from, coalesce(p.valid_to::text, 'open'))
            FROM changed_units p JOIN org_unit c ON c.parent_id = p.id
           WHERE c.valid_from < p.valid_from OR (p.valid_to IS NOT NULL AND (c.valid_to IS NULL OR c.valid_to > p.valid_to))
          LIMIT 10
        ) e;
        IF bad IS NOT NULL THEN
          RAISE EXCEPTION 'A unit must lie within its parent''s validity: %', bad
            USING ERRCODE = 'check_violation', CONSTRAINT = 'org_unit_within_parent';
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER org_unit_within_parent_insert AFTER INSERT ON org_unit
        REFERENCING NEW TABLE AS changed_units FOR EACH STATEMENT EXECUTE FUNCTION org_unit_check_within_parent();
      CREATE TRIGGER org_unit_within_parent_update AFTER UPDATE ON org_unit
        REFERENCING NEW TABLE AS changed_units FOR EACH STATEMENT EXECUTE FUNCTION org_unit_check_within_parent();

      CREATE TABLE org_unit_name (
        unit_id      integer NOT NULL REFERENCES org_unit(id),
        -- the unit's path, copied on insert (row-level security reads it as on org_unit)
        unit_path    text NOT NULL,
        name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        name_search  text NOT NULL,
        unit_type    text NOT NULL CHECK (unit_type IN ('Tỉnh','Thành phố Trung ương','Huyện','Quận','Thị xã','Thành phố',
                                                        'Xã','Phường','Thị trấn','Đặc khu')),
        valid_from   date NOT NULL,
        valid_to     date NOT NULL,
        CHECK (valid_to > valid_from),
        PRIMARY KEY (unit_id, valid_from),
        EXCLUDE USING gist (unit_id WITH =, daterange(valid_from, valid_to, '[)') WITH &&)
      );
      CREATE TRIGGER org_unit_name_unit_path BEFORE INSERT OR UPDATE OF unit_id ON org_unit_name
        FOR EACH ROW EXECUTE FUNCTION copy_unit_path();

      GRANT SELECT, INSERT, UPDATE, DELETE ON org_unit_name TO ${app};
      ALTER TABLE org_unit_name ENABLE ROW LEVEL SECURITY;
      ALTER TABLE org_unit_name FORCE ROW LEVEL SECURITY;
      CREATE POLICY org_unit_name_read ON org_unit_name FOR SELECT USING (app_in_subtree_or_ancestor(unit_path));
      CREATE POLICY org_unit_name_insert ON org_unit_name FOR INSERT WITH CHECK (app_in_subtree(unit_path));
      CREATE POLICY org_unit_name_update ON org_unit_name FOR UPDATE USING (app_in_subtree(unit_path)) WITH CHECK (app_in_subtree(unit_path));
      CREATE POLICY org_unit_name_delete ON org_unit_name FOR DELETE USING (app_in_subtree(unit_path));

      ALTER TABLE org_unit_succession
        ADD COLUMN verification text NOT NULL DEFAULT 'unchecked'
          CHECK (verification IN ('unchecked', 'bando', 'resolution', 'corrected', 'codes')),
        ADD CONSTRAINT org_unit_succession_not_self CHECK (predecessor_id <> successor_id);
      -- predecessors of a unit (the primary key serves its successors)
      CREATE INDEX org_unit_succession_successor_idx ON org_unit_succession (successor_id);

      ALTER TABLE indicator ADD COLUMN reporting_level_two_tier text CHECK (reporting_level_two_tier IN ('province', 'commune'));
      UPDATE indicator SET reporting_level_two_tier = CASE reporting_level WHEN 'district' THEN 'commune' ELSE reporting_level END;
      ALTER TABLE indicator ALTER COLUMN reporting_level_two_tier SET NOT NULL;
      -- a column default cannot read another column: a new indicator that does not say gets its
      -- reporting level, or the commune for a district's indicator
      CREATE FUNCTION indicator_two_tier_default() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.reporting_level_two_tier IS NULL THEN
          NEW.reporting_level_two_tier := CASE NEW.reporting_level WHEN 'district' THEN 'commune' ELSE NEW.reporting_level END;
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER indicator_two_tier_default BEFORE INSERT ON indicator
        FOR EACH ROW EXECUTE FUNCTION indicator_two_tier_default();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER indicator_two_tier_default ON indicator;
      DROP FUNCTION indicator_two_tier_default();
      ALTER TABLE indicator DROP COLUMN reporting_level_two_tier;
      DROP INDEX org_unit_succession_successor_idx;
      ALTER TABLE org_unit_succession DROP CONSTRAINT org_unit_succession_not_self, DROP COLUMN verification;
      DROP TABLE org_unit_name;
      DROP TRIGGER org_unit_within_parent_update ON org_unit;
      DROP TRIGGER org_unit_within_parent_insert ON org_unit;
      DROP FUNCTION org_unit_check_within_parent();
      ALTER TABLE org_unit DROP CONSTRAINT org_unit_level_depth;
      CREATE INDEX org_unit_code_idx ON org_unit (code);
      ALTER TABLE org_unit DROP CONSTRAINT org_unit_code_no_overlap;
    `);
  }
}

import type { MigrationInterface, QueryRunner } from "typeorm";
import { loadAppRole } from "../src/db/app-role";

/**
 * Quotas and planning figures (issue 13, items 4 and 5).
 *
 * - target_quota: a plan splits its quantity target among named child units ("căn cứ chỉ tiêu được giao":
 *   2,937 inspections over the communes). Each row is one child's quota; its kind is the plan's quantity kind
 *   when the split was made. Row-level security as target_assignment: a caller reads the quotas of visible
 *   plans for visible units (a commune sees its own quota, not its siblings'), writes those of its subtree.
 * - app_quota_totals: whether the quotas add up is about every quota, so (like app_assignment_counts) this
 *   owner-run function answers numbers only, for plans the caller may see: how many children have a quota,
 *   the sum of the quotas, how many children the plan's unit has over the plan's period and how many of them
 *   have none. It names no unit.
 * - plan_figure: the planning figures of a plan: per ratio indicator, the denominator it plans for (the
 *   industrial-zone workers Hà Nội counts on), which turns its quantity into a share to compare with a parent's
 *   share. Row-level security as target.
 */
export class QuotasAndPlanningFigures1763901560000 implements MigrationInterface {
  name = "QuotasAndPlanningFigures1763901560000";

  async up(q: QueryRunner): Promise<void> {
    const app = loadAppRole().user; // validated as a plain lower-case identifier
    await q.query(`
      CREATE TABLE target_quota (
        plan_id       uuid NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
        indicator_id  integer NOT NULL REFERENCES indicator(id),
        unit_id       integer NOT NULL REFERENCES org_unit(id),
        kind          text NOT NULL CHECK (kind IN ('quantity_floor', 'quantity_ceiling')),
        quantity      numeric NOT NULL CHECK (quantity >= 0 AND quantity = trunc(quantity)),
        assigned_by   text NOT NULL,
        assigned_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (plan_id, indicator_id, unit_id)
      );
      -- a unit's quotas, looked up when its effective targets are resolved
      CREATE INDEX target_quota_unit_idx ON target_quota (unit_id, indicator_id);

      CREATE TABLE plan_figure (
        plan_id       uuid NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
        indicator_id  integer NOT NULL REFERENCES indicator(id),
        denominator   numeric NOT NULL CHECK (denominator > 0),
        set_by        text NOT NULL,
        set_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (plan_id, indicator_id)
      );

      GRANT SELECT, INSERT, UPDATE, DELETE ON target_quota, plan_figure TO ${app};

      ALTER TABLE target_quota ENABLE ROW LEVEL SECURITY;
      ALTER TABLE target_quota FORCE ROW LEVEL SECURITY;
      CREATE POLICY target_quota_read ON target_quota FOR SELECT
        USING (EXISTS (SELECT 1 FROM plan p WHERE p.id = plan_id AND app_in_subtree_or_ancestor(p.unit_path))
           AND EXISTS (SELECT 1 FROM org_unit u WHERE u.id = unit_id AND app_in_subtree_or_ancestor(u.path)));
      CREATE POLICY target_quota_write ON target_quota FOR ALL
        USING (EXISTS (SELECT 1 FROM plan p WHERE p.id = plan_id AND app_in_subtree(p.unit_path))
           AND EXISTS (SELECT 1 FROM org_unit u WHERE u.id = unit_id AND app_in_subtree(u.path)))
        WITH CHECK (EXISTS (SELECT 1 FROM plan p WHERE p.id = plan_id AND app_in_subtree(p.unit_path))
           AND EXISTS (SELECT 1 FROM org_unit u WHERE u.id = unit_id AND app_in_subtree(u.path)));

      ALTER TABLE plan_figure ENABLE ROW LEVEL SECURITY;
      ALTER TABLE plan_figure FORCE ROW LEVEL SECURITY;
      CREATE POLICY plan_figure_read ON plan_figure FOR SELECT
        USING (EXISTS (SELECT 1 FROM plan p WHERE p.id = plan_id AND app_in_subtree_or_ancestor(p.unit_path)));
      CREATE POLICY plan_figure_write ON plan_figure FOR ALL
        USING (EXISTS (SELECT 1 FROM plan p WHERE p.id = plan_id AND app_in_subtree(p.unit_path)))
        WITH CHECK (EXISTS (SELECT 1 FROM plan p WHERE p.id = plan_id AND app_in_subtree(p.unit_path)));

      CREATE FUNCTION app_quota_totals(p_plan_ids uuid[])
        RETURNS TABLE (plan_id uuid, indicator_id integer, named integer, total numeric, children integer, without_quota integer)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        WITH kids AS (
          -- the children of each plan's unit over the plan's period (a code once, as a unit look-up names it)
          SELECT DISTINCT ON (p.id, c.code) p.id AS plan_id, c.id AS unit_id
            FROM public.plan p JOIN public.org_unit c ON c.parent_id = p.unit_id
           WHERE p.id = ANY (p_plan_ids) AND public.app_in_subtree_or_ancestor(p.unit_path)
             AND c.valid_from <= p.period_end AND (c.valid_to IS NULL OR c.valid_to > p.period_start)
           ORDER BY p.id, c.code, c.valid_from
        ), sums AS (
          SELECT q.plan_id, q.indicator_id, count(*)::int AS named, sum(q.quantity) AS total
            FROM public.target_quota q JOIN public.plan p ON p.id = q.plan_id
           WHERE q.plan_id = ANY (p_plan_ids) AND public.app_in_subtree_or_ancestor(p.unit_path)
           GROUP BY q.plan_id, q.indicator_id
        )
        SELECT s.plan_id, s.indicator_id, s.named, s.total,
               (SELECT count(*)::int FROM kids k WHERE k.plan_id = s.plan_id),
               (SELECT count(*)::int FROM kids k WHERE k.plan_id = s.plan_id AND NOT EXISTS (
                  SELECT 1 FROM public.target_quota x
                   WHERE x.plan_id = s.plan_id AND x.indicator_id = s.indicator_id AND x.unit_id = k.unit_id))
          FROM sums s
      $$;
      REVOKE ALL ON FUNCTION app_quota_totals(uuid[]) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION app_quota_totals(uuid[]) TO ${app};
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS app_quota_totals(uuid[]);
      DROP TABLE IF EXISTS plan_figure;
      DROP TABLE IF EXISTS target_quota;
    `);
  }
}

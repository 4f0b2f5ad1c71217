import type { MigrationInterface, QueryRunner } from "typeorm";
import { loadAppRole } from "../src/db/app-role";

/**
 * The reporting cycle (issue 14, items 4 and 6): submission, approval and lock per unit and period, and
 * every report's history.
 *
 * - report_approval: one row per (reporting unit, period) that left OPEN (no row): SUBMITTED by a reporter,
 *   RETURNED (with a reason) or APPROVED by the unit above it, RETURNED again when reopened. Who and when of
 *   the submission and of the last decision; every step is also an audit_log entry (entity 'report_period').
 *   Row-level security: read and written within the caller's subtree (the reporting unit's own users, the
 *   units above it, and the successors of the units it belonged to).
 * - report_approver(unit, day): the unit that approves a reporting unit's data, on a day (the service's today):
 *   the nearest ancestor of the unit that exists that day; an ancestor that no longer exists stands for the
 *   unit it went into, when that unit is above the reporting unit's level (old Kiên Giang → the new An Giang;
 *   a district's successors are communes: not above a commune, so the province approves). SECURITY DEFINER:
 *   the rule does not depend on who asks; it answers a unit id only.
 * - report_refuse_locked: statement triggers on report refuse any insert, update or delete of a row whose unit
 *   and period are APPROVED, whatever writes it (the service refuses such rows first, with the row code LOCKED;
 *   this catches a write that raced an approval). Writers and approvers take the same advisory locks.
 * - report_summary_approved: report_summary over approved reports only (a report counts when its unit and
 *   period are APPROVED), for every ancestor, maintained on approve and reopen (writes cannot touch approved
 *   reports). Roll-ups with approvedOnly read it; every cell's approved share is its units_reported over the
 *   units expected. Written only by report_summary_approved_apply (SECURITY DEFINER, as report_summary_apply).
 * - report_history: every change of every report (submitted, updated, withdrawn): values, who, when, reason,
 *   batch. Append-only for the app. Backfilled from the stored reports and their report.update audit entries.
 * - report_summary_apply now accepts the units of the caller's whole scope (app_in_subtree: its current subtree
 *   and the earlier units that became part of it), as the write path does: the new An Giang's reporter writing
 *   old Kiên Giang's 2024 rows had its summaries silently skipped.
 */
/**
 * The history of the reports stored before report_history existed: the value each update replaced (who submitted it,
 * when: the report.update audit entries keep both), then the value stored now; the first of each report is its
 * submission. Reasons and batches were not recorded then.
 */
export const BACKFILL_HISTORY = `
      -- history of the reports stored before this migration: the value each update replaced (who submitted it,
      -- when), then the value stored now; the first of each report is its submission
      INSERT INTO report_history (unit_id, indicator_id, period_code, unit_path, action, value, numerator, denominator,
                                  changed_by, changed_at)
      SELECT unit_id, indicator_id, period_code, unit_path,
             CASE WHEN row_number() OVER (PARTITION BY unit_id, indicator_id, period_code ORDER BY changed_at) = 1
                  THEN 'submitted' ELSE 'updated' END,
             value, numerator, denominator, changed_by, changed_at
        FROM (
          SELECT (a.new_value->>'unitId')::int AS unit_id, (a.new_value->>'indicatorId')::int AS indicator_id,
                 a.new_value->>'period' AS period_code, a.unit_path,
                 (a.old_value->>'value')::numeric AS value, (a.old_value->>'numerator')::numeric AS numerator,
                 (a.old_value->>'denominator')::numeric AS denominator,
                 a.old_value->>'submittedBy' AS changed_by, (a.old_value->>'submittedAt')::timestamptz AS changed_at
            FROM audit_log a
           WHERE a.action = 'report.update' AND a.entity = 'report'
             AND EXISTS (SELECT 1 FROM report r WHERE r.unit_id = (a.new_value->>'unitId')::int
                            AND r.indicator_id = (a.new_value->>'indicatorId')::int AND r.period_code = a.new_value->>'period')
          UNION ALL
          SELECT r.unit_id, r.indicator_id, r.period_code, r.unit_path, r.value, r.numerator, r.denominator, r.submitted_by, r.submitted_at
            FROM report r
        ) h`;

/**
 * A function that applies the new own aggregates of reporting units to `table`: the difference with the stored
 * one goes to the unit's row and every ancestor's, for units in the caller's scope (its whole scope, earlier
 * units included). The same body serves report_summary and report_summary_approved.
 */
export const summaryApply = (verb: string, name: string, table: string) => `
      ${verb} ${name}(p_unit int[], p_indicator int[], p_period text[], p_value numeric[],
                                                    p_numerator numeric[], p_denominator numeric[], p_reported int[], p_meeting int[])
        RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
        WITH fresh AS (
          SELECT * FROM unnest(p_unit, p_indicator, p_period, p_value, p_numerator, p_denominator, p_reported, p_meeting)
            AS f(unit_id, indicator_id, period_code, v, n, d, rep, meet)
        ), delta AS (
          SELECT f.unit_id, f.indicator_id, f.period_code, u.path,
                 f.v - coalesce(s.value_sum, 0) AS dv, f.n - coalesce(s.numerator_sum, 0) AS dn,
                 f.d - coalesce(s.denominator_sum, 0) AS dd, f.rep - coalesce(s.units_reported, 0) AS dr,
                 f.meet - coalesce(s.units_meeting, 0) AS dm
            FROM fresh f
            JOIN org_unit u ON u.id = f.unit_id AND app_in_subtree(u.path)
            LEFT JOIN ${table} s
              ON s.unit_id = f.unit_id AND s.indicator_id = f.indicator_id AND s.period_code = f.period_code
        ), spread AS (
          SELECT x.ids[k]::int AS unit_id, d.indicator_id, d.period_code,
                 '/' || array_to_string(x.ids[1:k], '/') || '/' AS unit_path,
                 sum(d.dv) AS dv, sum(d.dn) AS dn, sum(d.dd) AS dd, sum(d.dr)::int AS dr, sum(d.dm)::int AS dm
            FROM delta d
            CROSS JOIN LATERAL (SELECT string_to_array(btrim(d.path, '/'), '/') AS ids) x
            CROSS JOIN LATERAL generate_subscripts(x.ids, 1) AS k
           WHERE d.dv <> 0 OR d.dn <> 0 OR d.dd <> 0 OR d.dr <> 0 OR d.dm <> 0
           GROUP BY 1, 2, 3, 4
        )
        INSERT INTO ${table} AS s (unit_id, indicator_id, period_code, unit_path, value_sum, numerator_sum,
                                                  denominator_sum, units_reported, units_meeting)
        SELECT unit_id, indicator_id, period_code, unit_path, dv, dn, dd, dr, dm FROM spread
         ORDER BY unit_id, indicator_id, period_code
        ON CONFLICT (unit_id, indicator_id, period_code) DO UPDATE
           SET value_sum = s.value_sum + EXCLUDED.value_sum,
               numerator_sum = s.numerator_sum + EXCLUDED.numerator_sum,
               denominator_sum = s.denominator_sum + EXCLUDED.denominator_sum,
               units_reported = s.units_reported + EXCLUDED.units_reported,
               units_meeting = s.units_meeting + EXCLUDED.units_meeting
      $$;`;

export class ReportApproval1763901750000 implements MigrationInterface {
  name = "ReportApproval1763901750000";

  async up(q: QueryRunner): Promise<void> {
    const app = loadAppRole().user; // validated as a plain lower-case identifier
    await q.query(`
      CREATE TABLE report_approval (
        unit_id           integer NOT NULL REFERENCES org_unit(id),
        period_code       text NOT NULL CHECK (period_code ~ '^[0-9]{4}(-Q[1-4]|-H[12])?$'),
        unit_path         text NOT NULL,
        state             text NOT NULL CHECK (state IN ('submitted', 'returned', 'approved')),
        submitted_by      text NOT NULL,
        submitted_at      timestamptz NOT NULL,
        -- the last step (submit, approve, return, reopen): who, from which unit, when, why
        last_step         text NOT NULL CHECK (last_step IN ('submit', 'approve', 'return', 'reopen')),
        last_by           text NOT NULL,
        last_by_unit_id   integer NOT NULL REFERENCES org_unit(id),
        last_at           timestamptz NOT NULL DEFAULT now(),
        reason            text,
        -- the approval in force (null unless APPROVED)
        approved_by       text,
        approved_by_unit_id integer REFERENCES org_unit(id),
        approved_at       timestamptz,
        version           integer NOT NULL DEFAULT 1,
        PRIMARY KEY (unit_id, period_code),
        CHECK ((state = 'approved') = (approved_by IS NOT NULL AND approved_at IS NOT NULL AND approved_by_unit_id IS NOT NULL))
      );
      CREATE INDEX report_approval_period_idx ON report_approval (period_code, state);
      CREATE INDEX report_approval_path_idx ON report_approval (unit_path text_pattern_ops);
      CREATE TRIGGER report_approval_unit_path BEFORE INSERT OR UPDATE OF unit_id ON report_approval
        FOR EACH ROW EXECUTE FUNCTION copy_unit_path();

      CREATE TABLE report_history (
        id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        unit_id       integer NOT NULL REFERENCES org_unit(id),
        indicator_id  integer NOT NULL REFERENCES indicator(id),
        period_code   text NOT NULL CHECK (period_code ~ '^[0-9]{4}(-Q[1-4]|-H[12])?$'),
        unit_path     text NOT NULL,
        action        text NOT NULL CHECK (action IN ('submitted', 'updated', 'withdrawn')),
        -- the values from this change on (withdrawn: the values withdrawn)
        value         numeric(14,3),
        numerator     numeric(14,3),
        denominator   numeric(14,3),
        changed_by    text NOT NULL,
        changed_at    timestamptz NOT NULL DEFAULT now(),
        reason        text,
        -- the batch's idempotency key, else its request id
        batch         text,
        request_id    text
      );
      CREATE INDEX report_history_key_idx ON report_history (unit_id, indicator_id, period_code, changed_at, id);

      CREATE TABLE report_summary_approved (
        unit_id          integer NOT NULL,
        indicator_id     integer NOT NULL,
        period_code      text NOT NULL CHECK (period_code ~ '^[0-9]{4}(-Q[1-4]|-H[12])?$'),
        unit_path        text NOT NULL,
        value_sum        numeric NOT NULL DEFAULT 0,
        numerator_sum    numeric NOT NULL DEFAULT 0,
        denominator_sum  numeric NOT NULL DEFAULT 0,
        units_reported   integer NOT NULL DEFAULT 0,
        units_meeting    integer NOT NULL DEFAULT 0,
        PRIMARY KEY (unit_id, indicator_id, period_code)
      ) WITH (fillfactor = 80);

      GRANT SELECT, INSERT, UPDATE ON report_approval TO ${app};
      GRANT SELECT, INSERT ON report_history TO ${app};
      GRANT SELECT ON report_summary_approved TO ${app};

      ALTER TABLE report_approval ENABLE ROW LEVEL SECURITY;
      ALTER TABLE report_approval FORCE ROW LEVEL SECURITY;
      CREATE POLICY report_approval_all ON report_approval FOR ALL
        USING (app_in_subtree(unit_path)) WITH CHECK (app_in_subtree(unit_path));

      ALTER TABLE report_history ENABLE ROW LEVEL SECURITY;
      ALTER TABLE report_history FORCE ROW LEVEL SECURITY;
      CREATE POLICY report_history_read ON report_history FOR SELECT USING (app_in_subtree(unit_path));
      CREATE POLICY report_history_insert ON report_history FOR INSERT
        WITH CHECK (app_in_subtree(unit_path) AND changed_by = current_setting('app.actor', true));

      ALTER TABLE report_summary_approved ENABLE ROW LEVEL SECURITY;
      ALTER TABLE report_summary_approved FORCE ROW LEVEL SECURITY;
      CREATE POLICY report_summary_approved_read ON report_summary_approved FOR SELECT
        USING (app_in_subtree_or_ancestor(unit_path));

      CREATE FUNCTION report_approver(p_unit integer, p_on date) RETURNS integer
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        WITH RECURSIVE r AS (
          SELECT u.id, u.path, CASE u.level WHEN 'nation' THEN 0 WHEN 'province' THEN 1 WHEN 'district' THEN 2 ELSE 3 END AS rank
            FROM public.org_unit u WHERE u.id = p_unit
        ), anc AS (
          -- the unit's ancestors on its own tree, nearest first (k: the position in the path)
          SELECT a.id, x.k, a.valid_from, a.valid_to
            FROM r CROSS JOIN LATERAL unnest(string_to_array(btrim(r.path, '/'), '/')::int[]) WITH ORDINALITY AS x(id, k)
            JOIN public.org_unit a ON a.id = x.id
           WHERE a.id <> r.id
        ), gone(origin, id, hops) AS (
          -- an ancestor that no longer exists on the day: the units it went into, followed until one exists
          SELECT a.id, s.successor_id, 1 FROM anc a JOIN public.org_unit_succession s ON s.predecessor_id = a.id
           WHERE NOT (a.valid_from <= p_on AND (a.valid_to IS NULL OR a.valid_to > p_on))
          UNION
          SELECT g.origin, s.successor_id, g.hops + 1 FROM gone g JOIN public.org_unit_succession s ON s.predecessor_id = g.id
           WHERE g.hops < 8
        ), candidate AS (
          SELECT a.k, a.id AS unit_id, '' AS code FROM anc a WHERE a.valid_from <= p_on AND (a.valid_to IS NULL OR a.valid_to > p_on)
          UNION ALL
          SELECT a.k, u.id, u.code FROM gone g JOIN anc a ON a.id = g.origin JOIN public.org_unit u ON u.id = g.id, r
           WHERE u.valid_from <= p_on AND (u.valid_to IS NULL OR u.valid_to > p_on)
             AND CASE u.level WHEN 'nation' THEN 0 WHEN 'province' THEN 1 WHEN 'district' THEN 2 ELSE 3 END < r.rank
        )
        SELECT unit_id FROM candidate ORDER BY k DESC, code, unit_id LIMIT 1
      $$;

      CREATE FUNCTION report_refuse_locked() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      DECLARE hit record;
      BEGIN
        SELECT u.code, c.period_code, a.approved_by, a.approved_at INTO hit
          FROM changed_rows c
          JOIN public.report_approval a ON a.unit_id = c.unit_id AND a.period_code = c.period_code AND a.state = 'approved'
          JOIN public.org_unit u ON u.id = c.unit_id
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'The data of % for % was approved by % at %: it is locked until an approver reopens it',
            hit.code, hit.period_code, hit.approved_by, hit.approved_at
            USING ERRCODE = 'check_violation', CONSTRAINT = 'report_locked';
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER report_locked_insert AFTER INSERT ON report REFERENCING NEW TABLE AS changed_rows
        FOR EACH STATEMENT EXECUTE FUNCTION report_refuse_locked();
      CREATE TRIGGER report_locked_update AFTER UPDATE ON report REFERENCING NEW TABLE AS changed_rows
        FOR EACH STATEMENT EXECUTE FUNCTION report_refuse_locked();
      CREATE TRIGGER report_locked_delete AFTER DELETE ON report REFERENCING OLD TABLE AS changed_rows
        FOR EACH STATEMENT EXECUTE FUNCTION report_refuse_locked();

      -- As report_summary_apply, into report_summary_approved. Units outside the caller's scope are ignored.
      ${summaryApply("CREATE FUNCTION", "report_summary_approved_apply", "report_summary_approved")}

      -- the caller's whole scope (current subtree and earlier units), as the write path validates it
      ${summaryApply("CREATE OR REPLACE FUNCTION", "report_summary_apply", "report_summary")}

      ${BACKFILL_HISTORY};
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION report_summary_apply(p_unit int[], p_indicator int[], p_period text[], p_value numeric[],
                                           p_numerator numeric[], p_denominator numeric[], p_reported int[], p_meeting int[])
        RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
        WITH fresh AS (
          SELECT * FROM unnest(p_unit, p_indicator, p_period, p_value, p_numerator, p_denominator, p_reported, p_meeting)
            AS f(unit_id, indicator_id, period_code, v, n, d, rep, meet)
        ), delta AS (
          SELECT f.unit_id, f.indicator_id, f.period_code, u.path,
                 f.v - coalesce(s.value_sum, 0) AS dv, f.n - coalesce(s.numerator_sum, 0) AS dn,
                 f.d - coalesce(s.denominator_sum, 0) AS dd, f.rep - coalesce(s.units_reported, 0) AS dr,
                 f.meet - coalesce(s.units_meeting, 0) AS dm
            FROM fresh f
            JOIN org_unit u ON u.id = f.unit_id
             AND u.path LIKE NULLIF(current_setting('app.scope_path', true), '') || '%'
            LEFT JOIN report_summary s
              ON s.unit_id = f.unit_id AND s.indicator_id = f.indicator_id AND s.period_code = f.period_code
        ), spread AS (
          SELECT x.ids[k]::int AS unit_id, d.indicator_id, d.period_code,
                 '/' || array_to_string(x.ids[1:k], '/') || '/' AS unit_path,
                 sum(d.dv) AS dv, sum(d.dn) AS dn, sum(d.dd) AS dd, sum(d.dr)::int AS dr, sum(d.dm)::int AS dm
            FROM delta d
            CROSS JOIN LATERAL (SELECT string_to_array(btrim(d.path, '/'), '/') AS ids) x
            CROSS JOIN LATERAL generate_subscripts(x.ids, 1) AS k
           WHERE d.dv <> 0 OR d.dn <> 0 OR d.dd <> 0 OR d.dr <> 0 OR d.dm <> 0
           GROUP BY 1, 2, 3, 4
        )
        INSERT INTO report_summary AS s (unit_id, indicator_id, period_code, unit_path, value_sum, numerator_sum,
                                         denominator_sum, units_reported, units_meeting)
        SELECT unit_id, indicator_id, period_code, unit_path, dv, dn, dd, dr, dm FROM spread
         ORDER BY unit_id, indicator_id, period_code
        ON CONFLICT (unit_id, indicator_id, period_code) DO UPDATE
           SET value_sum = s.value_sum + EXCLUDED.value_sum,
               numerator_sum = s.numerator_sum + EXCLUDED.numerator_sum,
               denominator_sum = s.denominator_sum + EXCLUDED.denominator_sum,
               units_reported = s.units_reported + EXCLUDED.units_reported,
               units_meeting = s.units_meeting + EXCLUDED.units_meeting
      $$;
      DROP FUNCTION report_summary_approved_apply(int[], int[], text[], numeric[], numeric[], numeric[], int[], int[]);
      DROP TRIGGER report_locked_delete ON report;
      DROP TRIGGER report_locked_update ON report;
      DROP TRIGGER report_locked_insert ON report;
      DROP FUNCTION report_refuse_locked();
      DROP FUNCTION report_approver(integer, date);
      DROP TABLE report_summary_approved, report_history, report_approval;
    `);
  }
}

import type { MigrationInterface, QueryRunner } from "typeorm";
import { loadAppRole } from "../src/db/app-role";

/**
 * Reporting deadlines (issue 14, item 5): when each period's reports are due.
 *
 * - reporting_deadline: per plan and period type (quarter, half-year, year), ONE rule, in one of two forms:
 *   `days_after_end` (the period's last day + N days: "quarter reports within 10 days after the quarter"), or
 *   `months_after_end` + `due_day` (day D of the month M months after the period's last month, M = 0 being that
 *   month itself: Quảng Ninh's "trước ngày 15/6 (báo cáo 6 tháng) và trước ngày 15/12 (báo cáo năm)" is half-year
 *   and year reports on day 15 of the period's last month, i.e. 15/6 for H1, 15/12 for H2 and for the year). A
 *   day past the month's end is the month's last day. A unit's deadline is inherited down the plan chain like a
 *   target: its plan's own rule for the period type, else the nearest one up its parent plans (the program's
 *   rules sit on its national plan). Row-level security as plan_figure.
 * - reporting_due_date(period_end, days_after_end, months_after_end, due_day): the due date of a period under a
 *   rule, the same arithmetic as dueDate() in src/reporting-status/reporting-status.rules.ts (a test checks they
 *   agree).
 */
export class ReportingDeadlines1763901700000 implements MigrationInterface {
  name = "ReportingDeadlines1763901700000";

  async up(q: QueryRunner): Promise<void> {
    const app = loadAppRole().user; // validated as a plain lower-case identifier
    await q.query(`
      CREATE TABLE reporting_deadline (
        plan_id           uuid NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
        period_type       text NOT NULL CHECK (period_type IN ('quarter', 'half_year', 'year')),
        days_after_end    integer CHECK (days_after_end BETWEEN -366 AND 366),
        months_after_end  integer CHECK (months_after_end BETWEEN -11 AND 12),
        due_day           integer CHECK (due_day BETWEEN 1 AND 31),
        -- the plan's own words for it, quoted
        source_text       text CHECK (length(source_text) <= 2000),
        set_by            text NOT NULL,
        set_at            timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (plan_id, period_type),
        CHECK ((days_after_end IS NOT NULL AND months_after_end IS NULL AND due_day IS NULL)
            OR (days_after_end IS NULL AND months_after_end IS NOT NULL AND due_day IS NOT NULL))
      );
      GRANT SELECT, INSERT, UPDATE, DELETE ON reporting_deadline TO ${app};

      ALTER TABLE reporting_deadline ENABLE ROW LEVEL SECURITY;
      ALTER TABLE reporting_deadline FORCE ROW LEVEL SECURITY;
      CREATE POLICY reporting_deadline_read ON reporting_deadline FOR SELECT
        USING (EXISTS (SELECT 1 FROM plan p WHERE p.id = plan_id AND app_in_subtree_or_ancestor(p.unit_path)));
      CREATE POLICY reporting_deadline_write ON reporting_deadline FOR ALL
        USING (EXISTS (SELECT 1 FROM plan p WHERE p.id = plan_id AND app_in_subtree(p.unit_path)))
        WITH CHECK (EXISTS (SELECT 1 FROM plan p WHERE p.id = plan_id AND app_in_subtree(p.unit_path)));

      -- timestamp without time zone throughout: the arithmetic is on calendar days, whatever the session's TimeZone
      CREATE FUNCTION reporting_due_date(p_period_end date, p_days integer, p_months integer, p_day integer) RETURNS date
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE
          WHEN p_days IS NOT NULL THEN p_period_end + p_days
          WHEN p_day IS NULL THEN NULL
          ELSE (m.first + make_interval(days => least(p_day, extract(day FROM m.first + interval '1 month' - interval '1 day')::int) - 1))::date
        END
        FROM (SELECT date_trunc('month', p_period_end::timestamp) + make_interval(months => coalesce(p_months, 0)) AS first) m
      $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS reporting_due_date(date, integer, integer, integer);
      DROP TABLE IF EXISTS reporting_deadline;
    `);
  }
}

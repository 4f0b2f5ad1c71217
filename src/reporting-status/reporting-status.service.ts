import type { AuthedContext } from "../context";
import { BadUserInputError, NotFoundError } from "../common/errors";
import { checkDate, today } from "../common/date.scalar";
import { columns, statusLabel, tableCsv, yesNo, type ExportTable } from "../export/export.table";
import { t } from "../i18n/i18n";
import type { PeriodType } from "../common/enums";
import { decodeCursor, encodeCursor } from "../common/pagination";
import { parsePeriod, type Period } from "../common/period";
import { inSubtree } from "../auth/scope";
import type { Indicator } from "../indicator/indicator.model";
import { SELECT_INDICATOR } from "../indicator/indicator.service";
import type { OrgUnit } from "../org-unit/org-unit.model";
import { OrgUnitService, SELECT_UNIT, validOn } from "../org-unit/org-unit.service";
import { TWO_TIER_FROM } from "../org-unit/org-unit.reform.rules";
import { reportingState, ruleText, type DeadlineRule } from "./reporting-status.rules";
import {
  IndicatorReportingStatus,
  ReportingDeadline,
  ReportingStatus,
  ReportingUnit,
  ReportingUnitPage,
  type ReportingStatusArgs,
  type ReportingStatusCsvArgs,
} from "./reporting-status.types";

/** Most lines one CSV export holds (a province's communes for every quarterly indicator fit many times over). */
export const MAX_CSV_LINES = 100_000;

/** A deadline rule as the statements read it (reporting_deadline with its plan's document and unit). */
export interface RuleRow {
  periodType: PeriodType;
  daysAfterEnd: number | null;
  monthsAfterEnd: number | null;
  day: number | null;
  sourceText: string | null;
  sourcePlanId: string;
  sourcePlanDocument: string | null;
  sourceUnitCode: string;
  setBy: string;
  setAt: string;
  inherited: boolean;
}

export function toDeadlineView(r: RuleRow): ReportingDeadline {
  const rule: DeadlineRule = r.daysAfterEnd !== null ? { daysAfterEnd: r.daysAfterEnd } : { monthsAfterEnd: r.monthsAfterEnd ?? 0, day: r.day! };
  return Object.assign(new ReportingDeadline(), { ...r, text: ruleText(r.periodType, rule), setAt: new Date(r.setAt) });
}

/** The columns of a rule row (`d` reporting_deadline, `sp` its plan, `su` the plan's unit) as a JSON object. */
export const RULE_JSON = (inherited: string) => `json_build_object('periodType', d.period_type, 'daysAfterEnd', d.days_after_end,
  'monthsAfterEnd', d.months_after_end, 'day', d.due_day, 'sourceText', d.source_text, 'sourcePlanId', d.plan_id,
  'sourcePlanDocument', sp.document_number, 'sourceUnitCode', su.code, 'setBy', d.set_by, 'setAt', d.set_at, 'inherited', ${inherited})`;

/** The walk up the parent plans of every plan in `starts(id)`, as `chain(start_id, plan_id, depth)`. */
export const PLAN_CHAIN = `chain AS (
    SELECT s.id AS start_id, p.id AS plan_id, p.parent_plan_id, 0 AS depth FROM starts s JOIN plan p ON p.id = s.id
    UNION ALL
    SELECT c.start_id, p.id, p.parent_plan_id, c.depth + 1 FROM chain c JOIN plan p ON p.id = c.parent_plan_id WHERE c.depth < 32
  )`;

/**
 * The units expected and where each stands, as CTEs of one statement. Parameters: $1 scope paths, $2 unit code,
 * $3 asOf, $4 indicator codes (null: every indicator of the period's type), $5 period type, $6 period start,
 * $7 period end, $8 period code, $9 today, $10 the first day of the two-tier tree, then the final SELECT's own.
 *
 * - root: the unit the code names on asOf, in the caller's subtree;
 * - ind: the indicators asked, each with the level that reports it over the period (reportingLevelOn);
 * - expected: per program, the units at those levels in root's subtree that can report the period: on the tree of
 *   asOf, existing over the whole period (a report is on the tree of its period), with a plan covering it (the
 *   template's rows, the rows submitReports accepts), each with the plan it reports under (root_plan: root's);
 * - rule: per such plan (and root's), the nearest deadline rule of the period's type up its chain, with the due day;
 * - st: one row per indicator and expected unit: its report's time (and day in Vietnam), its due day, and whether it
 *   is overdue (no report, the due day before $9).
 */
const STATUS_CTES = `WITH RECURSIVE
  root AS (
    SELECT u.* FROM org_unit u WHERE u.code = $2 AND ${validOn("u", "$3")} AND ${inSubtree("u.path", "$1")}
  ),
  ind AS (
    SELECT i.*, CASE WHEN $7::date < $10::date THEN i.reporting_level
                     WHEN $6::date >= $10::date THEN i.reporting_level_two_tier
                     WHEN i.reporting_level = i.reporting_level_two_tier THEN i.reporting_level END AS lvl
      FROM indicator i
     WHERE CASE WHEN $4::text[] IS NULL THEN i.period_type = $5 ELSE i.code = ANY($4::text[]) END
  ),
  wanted AS (SELECT DISTINCT i.program_id, i.lvl FROM ind i WHERE i.lvl IS NOT NULL AND i.period_type = $5),
  -- the plans (not drafts) of the programs asked that cover the whole period: what lets a unit report at all
  -- (submitReports refuses a row no such plan of the unit or above it covers)
  cover AS (
    SELECT p.id, p.unit_id, p.program_id, p.status IN ('active', 'closed') AS in_force, p.period_end - p.period_start AS span, p.period_start
      FROM plan p
     WHERE p.status <> 'draft' AND p.period_start <= $6::date AND p.period_end >= $7::date
       AND p.program_id IN (SELECT program_id FROM ind)
  ),
  -- one pass over the units (root's path is one value for the whole scan)
  candidate AS (
    SELECT u.id, u.code, u.level, u.parent_id, u.path
      FROM org_unit u
     WHERE u.path LIKE (SELECT r.path FROM root r) || '%' AND u.level IN (SELECT w.lvl FROM wanted w)
       AND ${validOn("u", "$3")} AND u.valid_from <= $6::date AND (u.valid_to IS NULL OR u.valid_to > $7::date)
  ),
  -- each unit with the plan it reports under: the nearest covering plan of the unit or above it, one in force
  -- (active, or closed after its period) before a superseded one, the shortest first (one pass over the units'
  -- paths, not a look-up per unit)
  expected AS (
    SELECT DISTINCT ON (e.id, w.program_id) e.id, e.code, e.level, e.parent_id, w.program_id, c.id AS start_plan_id
      FROM candidate e
      JOIN wanted w ON w.lvl = e.level
      CROSS JOIN LATERAL unnest(string_to_array(btrim(e.path, '/'), '/')::int[]) WITH ORDINALITY AS a(unit_id, lvl)
      JOIN cover c ON c.unit_id = a.unit_id AND c.program_id = w.program_id
     ORDER BY e.id, w.program_id, c.in_force DESC, a.lvl DESC, c.span, c.period_start DESC, c.id
  ),
  root_plan AS (
    SELECT DISTINCT ON (c.program_id) c.program_id, c.id AS plan_id, c.unit_id
      FROM root r
      CROSS JOIN LATERAL unnest(string_to_array(btrim(r.path, '/'), '/')::int[]) WITH ORDINALITY AS a(unit_id, lvl)
      JOIN cover c ON c.unit_id = a.unit_id
     ORDER BY c.program_id, c.in_force DESC, a.lvl DESC, c.span, c.period_start DESC, c.id
  ),
  starts AS (SELECT start_plan_id AS id FROM expected UNION SELECT plan_id FROM root_plan),
  ${PLAN_CHAIN},
  rule AS (
    SELECT DISTINCT ON (c.start_id) c.start_id, d.*, reporting_due_date($7::date, d.days_after_end, d.months_after_end, d.due_day) AS due
      FROM chain c JOIN reporting_deadline d ON d.plan_id = c.plan_id AND d.period_type = $5
     ORDER BY c.start_id, c.depth
  ),
  st AS (
    SELECT i.id AS indicator_id, e.id AS unit_id, e.code, e.parent_id, r.submitted_at,
           (r.submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS reported_on, d.due,
           (r.submitted_at IS NULL AND d.due < $9::date) AS overdue
      FROM ind i
      JOIN expected e ON e.program_id = i.program_id AND e.level = i.lvl
      LEFT JOIN rule d ON d.start_id = e.start_plan_id
      -- by the report's key (its unique index), whatever the planner guesses of the CTEs' sizes
      LEFT JOIN LATERAL (
        SELECT r.submitted_at FROM report r WHERE r.unit_id = e.id AND r.indicator_id = i.id AND r.period_code = $8
      ) r ON true
     WHERE i.period_type = $5
  )`;

const unitJson = (idColumn: string) =>
  `(SELECT row_to_json(x) FROM (SELECT ${SELECT_UNIT}, $3::text AS "asOf" FROM org_unit u WHERE u.id = ${idColumn}) x)`;

/** root and the indicators asked, with their levels (and, for the page, their counts and the root's deadline). */
const HEAD = (withCounts: boolean) => `
  (SELECT row_to_json(x) FROM (SELECT ${SELECT_UNIT}, $3::text AS "asOf" FROM root u) x) AS root,
  (SELECT json_agg(x ORDER BY x."sortOrder", x.code) FROM (
     SELECT ${SELECT_INDICATOR}, i.lvl AS level
            ${withCounts
              ? `, coalesce(a.expected, 0) AS expected, coalesce(a.reported, 0) AS reported, coalesce(a.late, 0) AS late,
                 coalesce(a.missing, 0) AS missing, a.last_at AS "lastAt", rr.due AS deadline,
                 CASE WHEN d.plan_id IS NOT NULL THEN ${RULE_JSON("sp.unit_id <> (SELECT id FROM root)")} END AS rule`
              : ""}
       FROM ind i
       ${withCounts
         ? `LEFT JOIN agg a ON a.indicator_id = i.id
            LEFT JOIN root_plan rp ON rp.program_id = i.program_id
            LEFT JOIN rule rr ON rr.start_id = rp.plan_id
            LEFT JOIN reporting_deadline d ON d.plan_id = rr.plan_id AND d.period_type = rr.period_type
            LEFT JOIN plan sp ON sp.id = d.plan_id
            LEFT JOIN org_unit su ON su.id = sp.unit_id`
         : ""}
  ) x) AS indicators`;

/** The page: counts per indicator, then per indicator and list (reported or not) the first $12 units after code $11. */
const PAGE_SQL = `${STATUS_CTES},
  agg AS (
    SELECT s.indicator_id, count(*)::int AS expected, count(s.submitted_at)::int AS reported,
           count(*) FILTER (WHERE s.reported_on > s.due)::int AS late,
           count(*) FILTER (WHERE s.overdue)::int AS missing,
           max(s.submitted_at) AS last_at
      FROM st s GROUP BY s.indicator_id
  ),
  ranked AS (
    SELECT s.*, row_number() OVER (PARTITION BY s.indicator_id, s.submitted_at IS NULL ORDER BY s.code) AS rn
      FROM st s WHERE s.code > $11
  )
  SELECT ${HEAD(true)},
    (SELECT json_agg(json_build_object('indicatorId', p.indicator_id, 'code', p.code, 'unit', ${unitJson("p.unit_id")},
                                       'parent', ${unitJson("p.parent_id")}, 'reportedAt', p.submitted_at, 'reportedOn', p.reported_on,
                                       'due', p.due,
                                       'lastAt', (SELECT max(x.submitted_at) FROM report x WHERE x.unit_id = p.unit_id AND x.period_code = $8))
                     ORDER BY p.indicator_id, p.code)
       FROM ranked p WHERE p.rn <= $12) AS nodes`;

/** Every line of the export (at most $11), in indicator then unit order. */
const CSV_SQL = `${STATUS_CTES}
  SELECT ${HEAD(false)},
    (SELECT json_agg(json_build_array(l.indicator_id, l.code, l.name, l.level, l.parent_code, l.parent_name, l.reported_at,
                                      l.reported_on, l.due, l.last_at) ORDER BY l.sort_order, l.indicator_code, l.code)
       FROM (SELECT s.indicator_id, i.sort_order, i.code AS indicator_code, u.code, u.name, u.level, par.code AS parent_code,
                    par.name AS parent_name, ${VN_TIME("s.submitted_at")} AS reported_at, s.reported_on, s.due,
                    ${VN_TIME("(SELECT max(x.submitted_at) FROM report x WHERE x.unit_id = s.unit_id AND x.period_code = $8)")} AS last_at
               FROM st s JOIN ind i ON i.id = s.indicator_id JOIN org_unit u ON u.id = s.unit_id
               LEFT JOIN org_unit par ON par.id = s.parent_id
              ORDER BY i.sort_order, i.code, u.code
              LIMIT $11) l) AS lines`;

/** A time as Vietnam reads it, ISO 8601 with its offset: 2025-07-10T09:30:00+07:00. */
function VN_TIME(column: string): string {
  return `to_char(${column} AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"')`;
}

interface HeadIndicator extends Indicator {
  level: string | null;
  expected?: number;
  reported?: number;
  late?: number;
  missing?: number;
  lastAt?: string | null;
  deadline?: string | null;
  rule?: RuleRow | null;
}

interface NodeRow {
  indicatorId: number;
  code: string;
  unit: OrgUnit;
  parent: OrgUnit | null;
  reportedAt: string | null;
  reportedOn: string | null;
  due: string | null;
  lastAt: string | null;
}

/** Unit codes are the page keys (one code names one unit on a date). */
const CURSOR = /^[0-9A-Z]{2,5}$/;

/** The export's columns (headers in the request's language: src/export/export.messages.ts); status beside its label. */
export const EXPORT_COLUMNS = columns([
  ["period", "text", 10], ["indicator_code", "text", 28], ["indicator_name_vi", "text", 60], ["unit_code", "text", 10],
  ["unit_name", "text", 30], ["unit_level", "text", 12], ["parent_code", "text", 12], ["parent_name", "text", 30],
  ["reported", "text"], ["reported_at", "text", 26], ["status", "text", 12], ["status_text", "text", 26], ["late", "text"],
  ["missing", "text"], ["deadline", "text", 12], ["unit_last_reported_at", "text", 26],
]);

/**
 * Who has not reported (issue 14, item 3): for each indicator, the units expected at its reporting level in a unit's
 * subtree for a period, how many reported, who is late or missing against the deadline their plans set, and the
 * lists of units without and with a report, paged, each with its parent and report times. ONE statement whatever
 * the size of the subtree and the number of indicators (the CSV export too); a second only to say why a unit code
 * is not found.
 */
export class ReportingStatusService {
  static async status(ctx: AuthedContext, args: ReportingStatusArgs): Promise<ReportingStatus> {
    const q = ReportingStatusService.checkArgs(args);
    const after = args.after ? decodeCursor(args.after, CURSOR) : "";
    const [row] = await ctx.db.query<{ root: OrgUnit | null; indicators: HeadIndicator[] | null; nodes: NodeRow[] | null }>(PAGE_SQL, [
      ...ReportingStatusService.params(ctx, q),
      after,
      args.first + 1,
    ]);
    const root = await ReportingStatusService.checkHead(ctx, q, row?.root ?? null, row?.indicators ?? []);
    const byIndicator = new Map<number, { reported: NodeRow[]; notReported: NodeRow[] }>();
    for (const n of row?.nodes ?? []) {
      const lists = byIndicator.get(n.indicatorId) ?? { reported: [], notReported: [] };
      (n.reportedAt ? lists.reported : lists.notReported).push(n);
      byIndicator.set(n.indicatorId, lists);
    }
    const page = (nodes: NodeRow[], total: number): ReportingUnitPage => {
      const shown = nodes.slice(0, args.first);
      return Object.assign(new ReportingUnitPage(), {
        nodes: shown.map((n) =>
          Object.assign(new ReportingUnit(), {
            unit: n.unit,
            parent: n.parent,
            status: reportingState({ reportedOn: n.reportedOn, due: n.due, today: q.today }),
            reportedAt: n.reportedAt ? new Date(n.reportedAt) : null,
            lastReportedAt: n.lastAt ? new Date(n.lastAt) : null,
            deadline: n.due,
          }),
        ),
        totalCount: total,
        hasNextPage: nodes.length > args.first,
        endCursor: shown.length > 0 ? encodeCursor(shown[shown.length - 1]!.code) : null,
      });
    };
    const indicators = (row?.indicators ?? []).map((i) => {
      const { level, expected = 0, reported = 0, late = 0, missing = 0, lastAt, deadline, rule, ...indicator } = i;
      const lists = byIndicator.get(i.id) ?? { reported: [], notReported: [] };
      return Object.assign(new IndicatorReportingStatus(), {
        indicator,
        indicatorCode: i.code,
        reportingLevel: level,
        deadline: deadline ?? null,
        deadlineRule: rule ? toDeadlineView(rule) : null,
        unitsExpected: expected,
        unitsReported: reported,
        unitsNotReported: expected - reported,
        unitsLate: late,
        unitsMissing: missing,
        completeness: expected > 0 ? reported / expected : null,
        lastReportedAt: lastAt ? new Date(lastAt) : null,
        notReported: page(lists.notReported, expected - reported),
        reported: page(lists.reported, reported),
      });
    });
    return Object.assign(new ReportingStatus(), { period: q.period.code, unit: root, asOf: q.asOf, today: q.today, indicators });
  }

  /**
   * The export (CSV and .xlsx): one line per indicator and unit expected, with its parent, whether it reported and
   * when, its status (REPORTED, LATE, MISSING, PENDING) and its label, its due day and its latest report of any
   * indicator for the period; times in Vietnam's (+07:00). At most MAX_CSV_LINES lines.
   */
  static async table(ctx: AuthedContext, args: ReportingStatusCsvArgs): Promise<ExportTable> {
    const q = ReportingStatusService.checkArgs(args);
    type Line = [number, string, string, string, string | null, string | null, string | null, string | null, string | null, string | null];
    const [row] = await ctx.db.query<{ root: OrgUnit | null; indicators: HeadIndicator[] | null; lines: Line[] | null }>(CSV_SQL, [
      ...ReportingStatusService.params(ctx, q),
      MAX_CSV_LINES + 1,
    ]);
    const root = await ReportingStatusService.checkHead(ctx, q, row?.root ?? null, row?.indicators ?? []);
    const lines = row?.lines ?? [];
    if (lines.length > MAX_CSV_LINES) {
      throw new BadUserInputError(
        t("reportingStatus:exportTooLong", { unit: root.code, period: q.period.code, max: MAX_CSV_LINES }),
        "unitCode",
      );
    }
    const names = new Map((row?.indicators ?? []).map((i) => [i.id, i] as const));
    const rows = lines.map(([indicatorId, code, name, level, parentCode, parentName, reportedAt, reportedOn, due, lastAt]) => {
      const state = reportingState({ reportedOn, due, today: q.today });
      const indicator = names.get(indicatorId)!;
      return [
        q.period.code, indicator.code, indicator.nameVi, code, name, level.toUpperCase(), parentCode, parentName, yesNo(reportedAt !== null),
        reportedAt, state.toUpperCase(), statusLabel("reportingState", state), yesNo(state === "late"), yesNo(state === "missing"), due, lastAt,
      ];
    });
    return { title: `${t("export:sheet.reportingStatus")} ${root.code} ${q.period.code}`, columns: EXPORT_COLUMNS, rows };
  }

  /** The export as CSV text (RFC 4180, no BOM: /csv/reporting-status adds it). */
  static async csv(ctx: AuthedContext, args: ReportingStatusCsvArgs): Promise<string> {
    return tableCsv(await ReportingStatusService.table(ctx, args));
  }

  private static checkArgs(args: ReportingStatusCsvArgs) {
    const period = parsePeriod(args.period, "period");
    const unitCode = OrgUnitService.checkCode(args.unitCode, "unitCode");
    const asOf = checkDate(args.asOf, "asOf", () => period.end);
    const asked = args.indicators?.map((c) => c.trim().toUpperCase()) ?? null;
    return { period, unitCode, asOf, asked, wanted: asked ? [...new Set(asked)] : null, today: today() };
  }

  private static params(ctx: AuthedContext, q: { period: Period; unitCode: string; asOf: string; wanted: string[] | null; today: string }): unknown[] {
    return [ctx.actor.scopePaths, q.unitCode, q.asOf, q.wanted, q.period.type, q.period.start, q.period.end, q.period.code, q.today, TWO_TIER_FROM];
  }

  /** The unit (NOT_FOUND outside the caller's subtree, as rollup answers) and the indicators asked (each of the period's type). */
  private static async checkHead(
    ctx: AuthedContext,
    q: { period: Period; unitCode: string; asOf: string; asked: string[] | null },
    root: OrgUnit | null,
    indicators: HeadIndicator[],
  ): Promise<OrgUnit> {
    if (!root) {
      // NOT_FOUND as a unit look-up answers it (saying when the code named a unit, if it ever did); a unit the look-up finds
      // is an ancestor the caller sees but may not look into (outside its subtree): not found either
      await OrgUnitService.byCode(ctx, q.unitCode, q.asOf, "unitCode");
      throw new NotFoundError("Org unit", q.unitCode);
    }
    const byCode = new Map(indicators.map((i) => [i.code, i] as const));
    for (const [index, code] of (q.asked ?? []).entries()) {
      const indicator = byCode.get(code);
      if (!indicator) throw new BadUserInputError(t("reportingStatus:unknownIndicator", { code }), `indicators.${index}`);
      if (indicator.periodType !== q.period.type) {
        throw new BadUserInputError(
          t("reportingStatus:wrongPeriodType", {
            code,
            type: t(`reportingStatus:type.${indicator.periodType}`),
            asked: t(`reportingStatus:type.${q.period.type}`),
          }),
          `indicators.${index}`,
        );
      }
    }
    return root;
  }
}

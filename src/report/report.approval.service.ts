import type { AuthedContext } from "../context";
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from "../common/errors";
import { t } from "../i18n/i18n";
import { today } from "../common/date.scalar";
import { decodeCursor, encodeCursor } from "../common/pagination";
import { parsePeriod, type Period } from "../common/period";
import { checkAuditReason } from "../common/text";
import { inSubtree } from "../auth/scope";
import { insertAudit } from "../audit/audit.writer";
import type { OrgUnit } from "../org-unit/org-unit.model";
import { OrgUnitService, SELECT_UNIT } from "../org-unit/org-unit.service";
import { RollupSummaryService, type IndicatorRules } from "../rollup/rollup-summary.service";
import { ApprovedSummaryService } from "./report.approval.summary";
import { checkStep, dataOf, type ApprovalRecord, type ApprovalStateName, type ApprovalStepName, STEPS } from "./report.approval.rules";
import {
  ApprovalCounts,
  ApprovalStep,
  PeriodApproval,
  PeriodApprovalPage,
  type ApprovalState,
  type ApprovalStepKind,
  type ApprovePeriodInput,
  type DecidePeriodInput,
  type PeriodApprovalsArgs,
  type SubmitPeriodInput,
} from "./report.approval.types";

/** A reporting unit on the period's tree, with the unit that approves its data today. */
export interface ReportingUnit extends OrgUnit {
  approverId: number | null;
}

interface RecordRow {
  unit_id: number;
  state: ApprovalStateName;
  submitted_by: string | null;
  submitted_at: Date | null;
  approved_by: string | null;
  approved_by_unit_code: string | null;
  approved_at: Date | null;
  last_step: ApprovalStepName | null;
  last_by: string | null;
  last_by_unit_code: string | null;
  last_at: Date | null;
  reason: string | null;
}

const toRecord = (r: RecordRow): ApprovalRecord => ({
  state: r.state,
  submittedBy: r.submitted_by,
  submittedAt: r.submitted_at,
  approvedBy: r.approved_by,
  approvedByUnitCode: r.approved_by_unit_code,
  approvedAt: r.approved_at,
  lastStep: r.last_step,
  lastBy: r.last_by,
  lastByUnitCode: r.last_by_unit_code,
  lastAt: r.last_at,
  reason: r.reason,
});

/** A unit's record for a period (state OPEN when there is none), with the codes of the units that acted. */
const RECORD_COLUMNS = `coalesce(a.state, 'open') AS state, a.submitted_by, a.submitted_at, a.approved_by, au.code AS approved_by_unit_code,
  a.approved_at, a.last_step, a.last_by, lu.code AS last_by_unit_code, a.last_at, a.reason`;
const RECORD_JOINS = (unit: string, period: string) => `LEFT JOIN report_approval a ON a.unit_id = ${unit} AND a.period_code = ${period}
  LEFT JOIN org_unit au ON au.id = a.approved_by_unit_id LEFT JOIN org_unit lu ON lu.id = a.last_by_unit_id`;

/** The audit entry of a step, per row of `w` (the statement's changed records): entity report_period, "unit id:period". */
const stepAudit = (step: ApprovalStepName, oldState: string) =>
  insertAudit(
    {
      actor: "$3",
      action: `report_period.${step}`,
      entity: "report_period",
      entityId: "w.unit_id || ':' || w.period_code",
      unitPath: "w.unit_path",
      oldValue: `jsonb_build_object('state', ${oldState})`,
      newValue: `jsonb_build_object('state', w.state, 'version', w.version, 'byUnitCode', $6::text,
                   'reports', (SELECT count(*) FROM report r WHERE r.unit_id = w.unit_id AND r.period_code = w.period_code))`,
      reason: "$5",
      requestId: "$7",
    },
    "FROM w",
  );

/**
 * The reporting cycle of a unit's data for a period (README "The reporting cycle"): a reporter of the unit or of a
 * unit above it submits it; the unit's approver (report_approver: the nearest unit above it that exists today) approves
 * it, one unit or all it has waiting, or returns it with a reason; approved data is locked (the write path refuses its
 * rows with LOCKED) until the approver reopens it with a reason. Every step is one statement that changes the record
 * and writes its audit entry; approving and reopening also take the writers' advisory locks and maintain the approved
 * summaries. Refusals are checked first and write nothing.
 */
export class ReportApprovalService {
  // ---------------------------------------------------------------- look-ups

  /** The unit a code names over the whole period, in the caller's scope (NOT_FOUND otherwise), and its approver today. */
  static async unitOf(ctx: AuthedContext, code: string, period: Period, field: string): Promise<ReportingUnit> {
    const normalized = OrgUnitService.checkCode(code, field);
    const [unit] = await ctx.db.query<ReportingUnit>(
      `SELECT ${SELECT_UNIT}, to_char($4::date, 'YYYY-MM-DD') AS "asOf", report_approver(u.id, $5::date) AS "approverId"
         FROM org_unit u
        WHERE u.code = $2 AND u.valid_from <= $3::date AND (u.valid_to IS NULL OR u.valid_to > $4::date) AND ${inSubtree("u.path", "$1")}`,
      [ctx.actor.scopePaths, normalized, period.start, period.end, today()],
    );
    if (!unit) throw new NotFoundError("Org unit", normalized);
    return unit;
  }

  /** The catalog's rules (every indicator: a step locks and recomputes whatever the unit reported). */
  private static async catalog(ctx: AuthedContext): Promise<Map<number, IndicatorRules>> {
    const rows = await ctx.db.query<IndicatorRules>(
      `SELECT id, value_kind AS "valueKind", period_type AS "periodType", period_rule AS "periodRule" FROM indicator ORDER BY id`,
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  private static async record(ctx: AuthedContext, unitId: number, period: Period): Promise<ApprovalRecord> {
    const [row] = await ctx.db.query<RecordRow>(
      `SELECT u.id AS unit_id, ${RECORD_COLUMNS} FROM org_unit u ${RECORD_JOINS("u.id", "$2")} WHERE u.id = $1`,
      [unitId, period.code],
    );
    return toRecord(row!);
  }

  /** FORBIDDEN unless the caller's unit approves the unit's data (it names the unit that does). */
  private static async requireApprover(ctx: AuthedContext, unit: ReportingUnit, period: Period, field: string): Promise<void> {
    if (unit.approverId !== null && unit.approverId === ctx.actor.unitId) return;
    if (unit.approverId === null) {
      throw new ForbiddenError(t("report:noApprover", { data: dataOf(unit, period.code) }), { field });
    }
    const approver = await ctx.loaders.orgUnitById.load(unit.approverId);
    const who = approver ? `${approver.code} (${approver.name})` : t("report:theUnitAbove");
    throw new ForbiddenError(
      t("report:notTheApprover", { data: dataOf(unit, period.code), who, mine: ctx.actor.unitCode }),
      { field, approverUnitCode: approver?.code ?? null },
    );
  }

  private static refuse(step: ApprovalStepName, record: ApprovalRecord, unit: ReportingUnit, period: Period, field: string): void {
    const problem = checkStep(step, record, unit, period.code, field);
    if (problem) throw new ConflictError(problem.message, { field: problem.field, state: record.state.toUpperCase() });
  }

  private static optionalReason(reason: string | null | undefined): string | null {
    return reason === undefined || reason === null || reason.trim() === "" ? null : checkAuditReason(reason);
  }

  // ---------------------------------------------------------------- steps

  /** OPEN or RETURNED → SUBMITTED, by a REPORTER of the unit or of a unit above it (its scope). */
  static async submit(ctx: AuthedContext, input: SubmitPeriodInput): Promise<PeriodApproval> {
    const reason = ReportApprovalService.optionalReason(input.reason);
    const period = parsePeriod(input.period, "input.period");
    const unit = await ReportApprovalService.unitOf(ctx, input.unitCode, period, "input.unitCode");
    if (unit.approverId === null) {
      throw new BadUserInputError(t("report:noApproverSubmit", { code: unit.code, name: unit.name }), "input.unitCode");
    }
    const record = await ReportApprovalService.record(ctx, unit.id, period);
    ReportApprovalService.refuse("submit", record, unit, period, "input.period");
    const rows = await ctx.db.query<{ unit_id: number }>(
      `WITH w AS (
         INSERT INTO report_approval AS a (unit_id, period_code, state, submitted_by, submitted_at, last_step, last_by, last_by_unit_id, last_at, reason)
         VALUES ($1, $2, 'submitted', $3, now(), 'submit', $3, $4, now(), $5)
         ON CONFLICT (unit_id, period_code) DO UPDATE
            SET state = 'submitted', submitted_by = EXCLUDED.submitted_by, submitted_at = now(), last_step = 'submit',
                last_by = EXCLUDED.last_by, last_by_unit_id = EXCLUDED.last_by_unit_id, last_at = now(), reason = EXCLUDED.reason,
                version = a.version + 1
          WHERE a.state = 'returned'
         RETURNING a.unit_id, a.period_code, a.unit_path, a.state, a.version, (a.xmax = 0) AS inserted
       ), audit AS (${stepAudit("submit", "CASE WHEN w.inserted THEN 'open' ELSE 'returned' END")} RETURNING 1)
       SELECT unit_id, (SELECT count(*) FROM audit) AS audited FROM w`,
      [unit.id, period.code, ctx.actor.subject, ctx.actor.unitId, reason, ctx.actor.unitCode, ctx.requestId],
    );
    if (rows.length !== 1) ReportApprovalService.changedMeanwhile(unit, period);
    return (await ReportApprovalService.read(ctx, [unit.id], period))[0]!;
  }

  /**
   * SUBMITTED → APPROVED, by a PLANNER of the approver's unit: one unit, or (allSubmitted) every SUBMITTED unit whose
   * approver is the caller's unit (at or below unitCode when given). Locks the data; maintains the approved summaries.
   */
  static async approve(ctx: AuthedContext, input: ApprovePeriodInput): Promise<PeriodApproval[]> {
    const reason = ReportApprovalService.optionalReason(input.reason);
    const period = parsePeriod(input.period, "input.period");
    let unitIds: number[];
    if (!input.allSubmitted) {
      if (!input.unitCode?.trim()) throw new BadUserInputError(t("report:nameUnit"), "input.unitCode");
      const unit = await ReportApprovalService.unitOf(ctx, input.unitCode, period, "input.unitCode");
      await ReportApprovalService.requireApprover(ctx, unit, period, "input.unitCode");
      ReportApprovalService.refuse("approve", await ReportApprovalService.record(ctx, unit.id, period), unit, period, "input.unitCode");
      unitIds = [unit.id];
    } else {
      const under = input.unitCode?.trim() ? await ReportApprovalService.unitOf(ctx, input.unitCode, period, "input.unitCode") : null;
      const waiting = await ctx.db.query<{ unit_id: number }>(
        `SELECT a.unit_id FROM report_approval a
          WHERE a.period_code = $2 AND a.state = 'submitted' AND ${inSubtree("a.unit_path", "$1")}
            AND ($3::text IS NULL OR a.unit_path LIKE $3 || '%') AND report_approver(a.unit_id, $4::date) = $5
          ORDER BY a.unit_path`,
        [ctx.actor.scopePaths, period.code, under?.path ?? null, today(), ctx.actor.unitId],
      );
      unitIds = waiting.map((w) => w.unit_id);
      if (unitIds.length === 0) return [];
    }
    const catalog = await ReportApprovalService.catalog(ctx);
    await ReportApprovalService.lockWriters(ctx, unitIds, catalog);
    const rows = await ctx.db.query<{ unit_id: number }>(
      `WITH w AS (
         UPDATE report_approval a
            SET state = 'approved', approved_by = $3, approved_by_unit_id = $4, approved_at = now(),
                last_step = 'approve', last_by = $3, last_by_unit_id = $4, last_at = now(), reason = $5, version = a.version + 1
          WHERE a.unit_id = ANY($1::int[]) AND a.period_code = $2 AND a.state = 'submitted'
         RETURNING a.unit_id, a.period_code, a.unit_path, a.state, a.version
       ), audit AS (${stepAudit("approve", "'submitted'")} RETURNING 1)
       SELECT unit_id, (SELECT count(*) FROM audit) AS audited FROM w`,
      [unitIds, period.code, ctx.actor.subject, ctx.actor.unitId, reason, ctx.actor.unitCode, ctx.requestId],
    );
    if (!input.allSubmitted && rows.length !== 1) throw new ConflictError(t("report:changedWhileApproving"), { field: "input.unitCode" });
    const approved = rows.map((r) => r.unit_id);
    await ApprovedSummaryService.refresh(ctx, approved, period, catalog);
    return ReportApprovalService.read(ctx, approved, period);
  }

  /** SUBMITTED → RETURNED (with a reason), by a PLANNER of the approver's unit. */
  static async returnData(ctx: AuthedContext, input: DecidePeriodInput): Promise<PeriodApproval> {
    return ReportApprovalService.decide(ctx, "return", input);
  }

  /** APPROVED → RETURNED (with a reason), by a PLANNER of the approver's unit: unlocked for corrections, submitted again. */
  static async reopen(ctx: AuthedContext, input: DecidePeriodInput): Promise<PeriodApproval> {
    return ReportApprovalService.decide(ctx, "reopen", input);
  }

  private static async decide(ctx: AuthedContext, step: "return" | "reopen", input: DecidePeriodInput): Promise<PeriodApproval> {
    const reason = checkAuditReason(input.reason ?? "");
    const period = parsePeriod(input.period, "input.period");
    const unit = await ReportApprovalService.unitOf(ctx, input.unitCode, period, "input.unitCode");
    await ReportApprovalService.requireApprover(ctx, unit, period, "input.unitCode");
    const from = STEPS[step].from[0]!;
    ReportApprovalService.refuse(step, await ReportApprovalService.record(ctx, unit.id, period), unit, period, "input.unitCode");
    const catalog = step === "reopen" ? await ReportApprovalService.catalog(ctx) : null;
    if (catalog) await ReportApprovalService.lockWriters(ctx, [unit.id], catalog);
    const rows = await ctx.db.query<{ unit_id: number }>(
      `WITH w AS (
         UPDATE report_approval a
            SET state = 'returned', approved_by = NULL, approved_by_unit_id = NULL, approved_at = NULL,
                last_step = '${step}', last_by = $3, last_by_unit_id = $4, last_at = now(), reason = $5, version = a.version + 1
          WHERE a.unit_id = $1 AND a.period_code = $2 AND a.state = '${from}'
         RETURNING a.unit_id, a.period_code, a.unit_path, a.state, a.version
       ), audit AS (${stepAudit(step, `'${from}'`)} RETURNING 1)
       SELECT unit_id, (SELECT count(*) FROM audit) AS audited FROM w`,
      [unit.id, period.code, ctx.actor.subject, ctx.actor.unitId, reason, ctx.actor.unitCode, ctx.requestId],
    );
    if (rows.length !== 1) ReportApprovalService.changedMeanwhile(unit, period);
    if (catalog) await ApprovedSummaryService.refresh(ctx, [unit.id], period, catalog);
    return (await ReportApprovalService.read(ctx, [unit.id], period))[0]!;
  }

  /** The writers' advisory locks of the units (every indicator): no batch writes their rows while a step locks or unlocks them. */
  private static async lockWriters(ctx: AuthedContext, unitIds: number[], catalog: Map<number, IndicatorRules>): Promise<void> {
    await RollupSummaryService.lockUnits(ctx, unitIds.flatMap((unitId) => [...catalog.keys()].map((indicatorId) => ({ unitId, indicatorId }))));
  }

  private static changedMeanwhile(unit: ReportingUnit, period: Period): never {
    throw new ConflictError(t("report:changedMeanwhile", { data: dataOf(unit, period.code) }), { field: "input.unitCode" });
  }

  // ---------------------------------------------------------------- reads

  /** The state of the units' data for the period, with their approvers and every step (two statements plus the approvers). */
  static async read(ctx: AuthedContext, unitIds: number[], period: Period): Promise<PeriodApproval[]> {
    if (unitIds.length === 0) return [];
    const rows = await ctx.db.query<RecordRow & OrgUnit & { approverId: number | null; reports: number }>(
      `SELECT ${SELECT_UNIT}, to_char($3::date, 'YYYY-MM-DD') AS "asOf", report_approver(u.id, $4::date) AS "approverId",
              (SELECT count(*)::int FROM report r WHERE r.unit_id = u.id AND r.period_code = $2) AS reports, ${RECORD_COLUMNS}
         FROM org_unit u ${RECORD_JOINS("u.id", "$2")}
        WHERE u.id = ANY($1::int[])
        ORDER BY array_position($1::int[], u.id)`,
      [unitIds, period.code, period.end, today()],
    );
    const steps = await ctx.db.query<{ entity_id: string; action: string; actor: string; occurred_at: Date; reason: string | null; state: string; by_unit_code: string | null }>(
      `SELECT entity_id, action, actor, occurred_at, reason, new_value->>'state' AS state, new_value->>'byUnitCode' AS by_unit_code
         FROM audit_log WHERE entity = 'report_period' AND entity_id = ANY($1::text[]) ORDER BY occurred_at, id`,
      [unitIds.map((id) => `${id}:${period.code}`)],
    );
    const approvers = await ctx.loaders.orgUnitById.loadMany(rows.map((r) => r.approverId).filter((id): id is number => id !== null));
    const byId = new Map(approvers.filter((a): a is OrgUnit => !!a && !(a instanceof Error)).map((a) => [Number(a.id), a]));
    return rows.map((r) => {
      const { approverId, reports, ...rest } = r;
      const unit: OrgUnit = Object.assign({} as OrgUnit, {
        id: rest.id, code: rest.code, name: rest.name, nameSearch: rest.nameSearch, level: rest.level, type: rest.type, parentId: rest.parentId,
        path: rest.path, depth: rest.depth, provinceId: rest.provinceId, districtId: rest.districtId, validFrom: rest.validFrom, validTo: rest.validTo, asOf: rest.asOf,
      });
      return Object.assign(new PeriodApproval(), {
        unitId: r.id,
        approverId,
        unit,
        period: period.code,
        state: r.state as ApprovalState,
        approver: approverId === null ? null : (byId.get(approverId) ?? null),
        reports,
        submittedBy: r.submitted_by,
        submittedAt: r.submitted_at,
        approvedBy: r.approved_by,
        approvedByUnitCode: r.approved_by_unit_code,
        approvedAt: r.approved_at,
        lastStep: r.last_step as ApprovalStepKind | null,
        lastBy: r.last_by,
        lastByUnitCode: r.last_by_unit_code,
        lastAt: r.last_at,
        reason: r.reason,
        steps: steps
          .filter((s) => s.entity_id === `${r.id}:${period.code}`)
          .map((s) =>
            Object.assign(new ApprovalStep(), {
              step: s.action.replace("report_period.", "") as ApprovalStepKind,
              state: s.state as ApprovalState,
              by: s.actor,
              byUnitCode: s.by_unit_code,
              at: s.occurred_at,
              reason: s.reason,
            }),
          ),
      });
    });
  }

  /**
   * The unit (on the period's tree, in the caller's scope) and every unit below it valid over the whole period, with the
   * state of their data: counts per state, then a page by depth and code (filtered by state). Three statements plus the
   * approvers.
   */
  static async page(ctx: AuthedContext, args: PeriodApprovalsArgs): Promise<PeriodApprovalPage> {
    const period = parsePeriod(args.period, "period");
    const code = OrgUnitService.checkCode(args.unitCode, "unitCode");
    const after = args.after ? decodeCursor(args.after, /^\d{1,2}\|[A-Z0-9]{1,10}$/) : null;
    const [afterDepth, afterCode] = after ? [Number(after.split("|")[0]), after.split("|")[1]!] : [null, null];
    const first = args.first ?? 50;
    const [row] = await ctx.db.query<{ found: number; counts: Record<ApprovalStateName, number>; total: number; page: Array<{ id: number; depth: number; code: string }> }>(
      `WITH root AS (
         SELECT u.id, u.path FROM org_unit u
          WHERE u.code = $2 AND u.valid_from <= $3::date AND (u.valid_to IS NULL OR u.valid_to > $4::date) AND ${inSubtree("u.path", "$1")}
       ), units AS (
         SELECT u.id, u.depth, u.code FROM root r JOIN org_unit u ON u.path LIKE r.path || '%'
          WHERE u.valid_from <= $3::date AND (u.valid_to IS NULL OR u.valid_to > $4::date) AND u.level <> 'nation' AND ${inSubtree("u.path", "$1")}
       ), states AS (
         SELECT u.id, u.depth, u.code, coalesce(a.state, 'open') AS state
           FROM units u LEFT JOIN report_approval a ON a.unit_id = u.id AND a.period_code = $5
       )
       SELECT (SELECT count(*)::int FROM root) AS found,
              (SELECT json_build_object('open', count(*) FILTER (WHERE state = 'open'), 'submitted', count(*) FILTER (WHERE state = 'submitted'),
                                        'returned', count(*) FILTER (WHERE state = 'returned'), 'approved', count(*) FILTER (WHERE state = 'approved'))
                 FROM states) AS counts,
              (SELECT count(*)::int FROM states WHERE $6::text IS NULL OR state = $6) AS total,
              (SELECT coalesce(json_agg(json_build_object('id', x.id, 'depth', x.depth, 'code', x.code) ORDER BY x.depth, x.code), '[]')
                 FROM (SELECT id, depth, code FROM states
                        WHERE ($6::text IS NULL OR state = $6) AND ($7::int IS NULL OR (depth, code) > ($7::int, $8::text))
                        ORDER BY depth, code LIMIT $9) x) AS page`,
      [ctx.actor.scopePaths, code, period.start, period.end, period.code, args.state ?? null, afterDepth, afterCode, first + 1],
    );
    if (!row || row.found === 0) throw new NotFoundError("Org unit", code);
    const hasNextPage = row.page.length > first;
    const page = row.page.slice(0, first);
    const last = page[page.length - 1];
    return Object.assign(new PeriodApprovalPage(), {
      period: period.code,
      counts: Object.assign(new ApprovalCounts(), row.counts),
      totalCount: row.total,
      hasNextPage,
      endCursor: last ? encodeCursor(`${last.depth}|${last.code}`) : null,
      nodes: await ReportApprovalService.read(ctx, page.map((p) => p.id), period),
    });
  }
}

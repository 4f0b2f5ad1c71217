import type { AuthedContext } from "../context";
import { ConflictError, NotFoundError } from "../common/errors";
import { t } from "../i18n/i18n";
import { parsePeriod } from "../common/period";
import { checkAuditReason } from "../common/text";
import { insertAudit } from "../audit/audit.writer";
import { IndicatorService } from "../indicator/indicator.service";
import { RollupSummaryService, type IndicatorRules } from "../rollup/rollup-summary.service";
import { approvedByWords } from "./report.approval.rules";
import { ReportApprovalService } from "./report.approval.service";
import { ReportChange, ReportHistory, WithdrawnReport, type ReportChangeKind, type ReportHistoryArgs, type WithdrawReportInput } from "./report.approval.types";
import { lockedMeanwhile } from "./report.service";

interface ChangeRow {
  action: ReportChangeKind;
  value: string | null;
  numerator: string | null;
  denominator: string | null;
  changed_by: string;
  changed_at: Date;
  reason: string | null;
  batch: string | null;
}

const num = (v: string | null) => (v === null ? null : Number(v));
const toChange = (r: ChangeRow) =>
  Object.assign(new ReportChange(), {
    action: r.action,
    value: num(r.value),
    numerator: num(r.numerator),
    denominator: num(r.denominator),
    by: r.changed_by,
    at: r.changed_at,
    reason: r.reason,
    batch: r.batch,
  });

/**
 * Corrections and history of single reports: a reporter withdraws a row sent by mistake (before its unit and period
 * are approved, with a reason; the summaries of every ancestor follow), and every report's changes can be read
 * (report_history: each submission, update and withdrawal with its values, who, when, reason and batch).
 */
export class ReportHistoryService {
  /** Removes one report row, in the caller's scope, unless its unit and period are approved (CONFLICT, naming who approved it). */
  static async withdraw(ctx: AuthedContext, input: WithdrawReportInput): Promise<WithdrawnReport> {
    const reason = checkAuditReason(input.reason ?? "");
    const period = parsePeriod(input.period, "input.period");
    const unit = await ReportApprovalService.unitOf(ctx, input.unitCode, period, "input.unitCode");
    const indicator = await IndicatorService.byCode(ctx, input.indicatorCode);
    // the writers' lock of the unit and indicator: no approval (which takes it too) between the check and the delete
    await RollupSummaryService.lockUnits(ctx, [{ unitId: unit.id, indicatorId: indicator.id }]);
    const [lock] = await ctx.db.query<{ approved_by: string; approved_by_unit_code: string | null; approved_at: Date }>(
      `SELECT a.approved_by, au.code AS approved_by_unit_code, a.approved_at
         FROM report_approval a LEFT JOIN org_unit au ON au.id = a.approved_by_unit_id
        WHERE a.unit_id = $1 AND a.period_code = $2 AND a.state = 'approved'`,
      [unit.id, period.code],
    );
    if (lock) {
      const by = { approvedBy: lock.approved_by, approvedByUnitCode: lock.approved_by_unit_code, approvedAt: lock.approved_at };
      throw new ConflictError(
        t("report:withdrawLocked", { unit: unit.code, period: period.code, by: approvedByWords(by) }),
        { field: "input.period", rowCode: "LOCKED", approvedBy: lock.approved_by, approvedByUnitCode: lock.approved_by_unit_code, approvedAt: lock.approved_at.toISOString() },
      );
    }
    const [gone] = await ctx.db
      .query<{ id: string; value: string | null; numerator: string | null; denominator: string | null }>(
        `WITH d AS (
           DELETE FROM report WHERE unit_id = $1 AND indicator_id = $2 AND period_code = $3
           RETURNING id, unit_id, indicator_id, period_code, unit_path, value, numerator, denominator, submitted_by, submitted_at
         ), h AS (
           INSERT INTO report_history (unit_id, indicator_id, period_code, unit_path, action, value, numerator, denominator, changed_by, reason, batch, request_id)
           SELECT unit_id, indicator_id, period_code, unit_path, 'withdrawn', value, numerator, denominator, $4, $5, $6, $6 FROM d
           RETURNING 1
         ), a AS (
           ${insertAudit(
             {
               actor: "$4",
               action: "report.withdraw",
               entity: "report",
               entityId: "d.id",
               unitPath: "d.unit_path",
               oldValue: `jsonb_build_object('value', d.value, 'numerator', d.numerator, 'denominator', d.denominator,
                                             'submittedBy', d.submitted_by, 'submittedAt', d.submitted_at)`,
               newValue: `jsonb_build_object('withdrawn', true, 'unitId', d.unit_id, 'indicatorId', d.indicator_id, 'period', d.period_code)`,
               reason: "$5",
               requestId: "$6",
             },
             "FROM d",
           )}
           RETURNING 1
         )
         SELECT d.id, d.value, d.numerator, d.denominator, (SELECT count(*) FROM h) + (SELECT count(*) FROM a) AS written FROM d`,
        [unit.id, indicator.id, period.code, ctx.actor.subject, reason, ctx.requestId],
      )
      .catch(lockedMeanwhile);
    if (!gone) throw new NotFoundError("Report", `${unit.code} ${indicator.code} ${period.code}`);
    const rules: IndicatorRules = { id: indicator.id, valueKind: indicator.valueKind, periodType: indicator.periodType, periodRule: indicator.periodRule };
    await RollupSummaryService.refresh(ctx, [{ unitId: unit.id, indicatorId: indicator.id, periodCode: period.code }], new Map([[indicator.id, rules]]));
    return Object.assign(new WithdrawnReport(), {
      unitCode: unit.code,
      indicatorCode: indicator.code,
      period: period.code,
      value: num(gone.value),
      numerator: num(gone.numerator),
      denominator: num(gone.denominator),
      reason,
    });
  }

  /** Every change of one report, oldest first, the values in force, and where its unit's period stands. */
  static async history(ctx: AuthedContext, args: ReportHistoryArgs): Promise<ReportHistory> {
    const period = parsePeriod(args.period, "period");
    const unit = await ReportApprovalService.unitOf(ctx, args.unitCode, period, "unitCode");
    const indicator = await IndicatorService.byCode(ctx, args.indicatorCode);
    const changes = await ctx.db.query<ChangeRow>(
      `SELECT action, value, numerator, denominator, changed_by, changed_at, reason, batch FROM report_history
        WHERE unit_id = $1 AND indicator_id = $2 AND period_code = $3 ORDER BY changed_at, id`,
      [unit.id, indicator.id, period.code],
    );
    const [current] = await ctx.db.query<ChangeRow>(
      `SELECT 'submitted' AS action, value, numerator, denominator, submitted_by AS changed_by, submitted_at AS changed_at, NULL AS reason, NULL AS batch
         FROM report WHERE unit_id = $1 AND indicator_id = $2 AND period_code = $3`,
      [unit.id, indicator.id, period.code],
    );
    const list = changes.map(toChange);
    const lastKept = [...list].reverse().find((c) => c.action !== "withdrawn");
    return Object.assign(new ReportHistory(), {
      unit,
      indicator,
      period: period.code,
      // the stored row, as its latest change recorded it (the reason and batch of that change)
      current: current ? Object.assign(toChange(current), lastKept ? { action: lastKept.action, reason: lastKept.reason, batch: lastKept.batch } : {}) : null,
      changes: list,
      approval: (await ReportApprovalService.read(ctx, [unit.id], period))[0]!,
    });
  }
}

import type { AuthedContext } from "../context";
import { BadUserInputError, ConflictError } from "../common/errors";
import type { PeriodType } from "../common/enums";
import { checkAuditReason, normalizeText } from "../common/text";
import { t } from "../i18n/i18n";
import { inSubtreeOrAncestor } from "../auth/scope";
import { insertAudit } from "../audit/audit.writer";
import { PlanService } from "../plan/plan.service";
import { dueBeforeStart, periodTypeOf, ruleOf, type DeadlineRule } from "./reporting-status.rules";
import { PLAN_CHAIN, RULE_JSON, toDeadlineView, type RuleRow } from "./reporting-status.service";
import { ReportingDeadline, ReportingDeadlinesSet, type SetReportingDeadlinesInput } from "./reporting-status.types";

const TYPE_ORDER: Record<PeriodType, number> = { quarter: 0, half_year: 1, year: 2 };

/**
 * Reporting deadlines of plans (issue 14, item 5): per plan and period type one rule (reporting-status.rules.ts),
 * inherited down the plan chain like a target: a plan's own rule for a period type, else the nearest one up its
 * parent plans. Set by the plan's planners (as its targets), under its version, audited, all or nothing.
 */
export class ReportingDeadlineService {
  /** Per plan (in the caller's scope), its deadline for every period type that has one, own or inherited. One statement. */
  static async forPlans(ctx: AuthedContext, planIds: readonly string[]): Promise<ReportingDeadline[][]> {
    const rows = await ctx.db.query<{ plan_id: string; rule: RuleRow }>(
      `WITH RECURSIVE starts AS (
         SELECT p.id FROM plan p WHERE p.id = ANY($2::uuid[]) AND ${inSubtreeOrAncestor("p.unit_path", "$1")}
       ), ${PLAN_CHAIN}
       SELECT DISTINCT ON (c.start_id, d.period_type) c.start_id AS plan_id, ${RULE_JSON("c.depth > 0")} AS rule
         FROM chain c JOIN reporting_deadline d ON d.plan_id = c.plan_id
         JOIN plan sp ON sp.id = d.plan_id JOIN org_unit su ON su.id = sp.unit_id
        ORDER BY c.start_id, d.period_type, c.depth`,
      [ctx.actor.scopePaths, [...planIds]],
    );
    const byPlan = new Map<string, ReportingDeadline[]>();
    for (const r of rows) byPlan.set(r.plan_id, [...(byPlan.get(r.plan_id) ?? []), toDeadlineView(r.rule)]);
    return planIds.map((id) => (byPlan.get(id) ?? []).sort((a, b) => TYPE_ORDER[a.periodType] - TYPE_ORDER[b.periodType]));
  }

  /**
   * Sets the plan's own rules for the period types given (a rule with no field removes the plan's own, so it
   * inherits again), all or nothing, under the plan's version, audited (`plan.deadlines`). Bad input, each
   * BAD_USER_INPUT naming the field with nothing written: an unknown period type, one given twice, both forms or a
   * month without a day, a number out of range, and a rule that makes a period of the plan due before it starts.
   */
  static async set(ctx: AuthedContext, input: SetReportingDeadlinesInput): Promise<ReportingDeadlinesSet> {
    const reason = checkAuditReason(input.reason);
    const plan = await PlanService.forEdit(ctx, input.planId, "input.planId");
    if (plan.version !== input.version) {
      throw new ConflictError(t("reportingStatus:planChanged", { given: input.version, current: plan.version }), {
        field: "input.version",
        planId: plan.id,
        currentVersion: plan.version,
      });
    }
    const rules: Array<{ periodType: PeriodType; rule: DeadlineRule | null; sourceText: string | null }> = [];
    for (const [index, d] of input.deadlines.entries()) {
      const field = `input.deadlines.${index}`;
      const periodType = periodTypeOf(d.periodType);
      if (!periodType) throw new BadUserInputError(t("reportingStatus:unknownPeriodType", { value: d.periodType }), `${field}.periodType`);
      if (rules.some((r) => r.periodType === periodType)) throw new BadUserInputError(t("reportingStatus:givenTwice", { value: d.periodType }), `${field}.periodType`);
      const parsed = ruleOf(d);
      if ("field" in parsed) throw new BadUserInputError(parsed.message, `${field}.${parsed.field}`);
      const { rule } = parsed;
      if (rule) {
        const early = dueBeforeStart(periodType, { start: plan.periodStart, end: plan.periodEnd }, rule);
        if (early) {
          throw new BadUserInputError(
            t("reportingStatus:dueBeforeStart", { period: early.period.code, due: early.due, start: early.period.start }),
            `${field}.${rule.daysAfterEnd !== undefined ? "daysAfterEnd" : "monthsAfterEnd"}`,
            { period: early.period.code, due: early.due },
          );
        }
      }
      const sourceText = d.sourceText == null ? null : normalizeText(d.sourceText) || null;
      if (!rule && sourceText) throw new BadUserInputError(t("reportingStatus:sourceTextWithoutRule"), `${field}.sourceText`);
      rules.push({ periodType, rule, sourceText });
    }

    const version = await PlanService.bumpVersion(ctx, plan, input.version);
    const rows = rules.map((r) => ({
      period_type: r.periodType,
      days_after_end: r.rule?.daysAfterEnd ?? null,
      months_after_end: r.rule?.monthsAfterEnd ?? null,
      due_day: r.rule?.day ?? null,
      source_text: r.sourceText,
    }));
    const ruleOfRow = (a: string) =>
      `CASE WHEN ${a}.period_type IS NULL OR (${a}.days_after_end IS NULL AND ${a}.due_day IS NULL) THEN NULL
            ELSE jsonb_build_object('daysAfterEnd', ${a}.days_after_end, 'monthsAfterEnd', ${a}.months_after_end, 'day', ${a}.due_day,
                                    'sourceText', ${a}.source_text) END`;
    await ctx.db.query(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($2::jsonb)
           AS x(period_type text, days_after_end int, months_after_end int, due_day int, source_text text)
       ),
       old AS (SELECT d.* FROM reporting_deadline d WHERE d.plan_id = $1 AND d.period_type IN (SELECT period_type FROM input)),
       del AS (
         DELETE FROM reporting_deadline d USING input i
          WHERE d.plan_id = $1 AND d.period_type = i.period_type AND i.days_after_end IS NULL AND i.due_day IS NULL
         RETURNING d.period_type
       ),
       up AS (
         INSERT INTO reporting_deadline AS d (plan_id, period_type, days_after_end, months_after_end, due_day, source_text, set_by)
         SELECT $1, period_type, days_after_end, months_after_end, due_day, source_text, $3 FROM input
          WHERE days_after_end IS NOT NULL OR due_day IS NOT NULL
         ON CONFLICT (plan_id, period_type) DO UPDATE
            SET days_after_end = EXCLUDED.days_after_end, months_after_end = EXCLUDED.months_after_end, due_day = EXCLUDED.due_day,
                source_text = EXCLUDED.source_text, set_by = EXCLUDED.set_by, set_at = now()
         RETURNING d.period_type
       )
       ${insertAudit(
         {
           actor: "$3",
           action: "plan.deadlines",
           entity: "reporting_deadline",
           entityId: "$1::text || ':' || i.period_type",
           planId: "$1",
           unitPath: "$4",
           oldValue: `jsonb_build_object('periodType', i.period_type, 'rule', ${ruleOfRow("old")}, 'planVersion', $6::int - 1)`,
           newValue: `jsonb_build_object('periodType', i.period_type, 'rule', ${ruleOfRow("i")}, 'planVersion', $6::int)`,
           reason: "$5",
           requestId: "$7",
         },
         "FROM input i LEFT JOIN old USING (period_type)",
       )}`,
      [plan.id, JSON.stringify(rows), ctx.actor.subject, plan.unitPath, reason, version, ctx.requestId],
    );
    const [deadlines] = await ReportingDeadlineService.forPlans(ctx, [plan.id]);
    return Object.assign(new ReportingDeadlinesSet(), { plan: await PlanService.reload(ctx, plan.id), deadlines: deadlines ?? [] });
  }
}

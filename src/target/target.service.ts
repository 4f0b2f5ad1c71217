import type { AuthedContext } from "../context";
import { RefusalReason, type Direction, type TargetKind, type UnitOfMeasure, type ValueKind } from "../common/enums";
import { BadUserInputError, NotFoundError } from "../common/errors";
import { t } from "../i18n/i18n";
import { planLabel } from "../plan/plan.naming";
import { QUANTITY_UNIT } from "../indicator/indicator.service";
import { parsePeriod } from "../common/period";
import { checkAuditReason } from "../common/text";
import { insertAudit } from "../audit/audit.writer";
import { OrgUnitService } from "../org-unit/org-unit.service";
import { PlanService } from "../plan/plan.service";
import { EffectiveTargetService, UNITS_AT_LEVEL } from "./effective-target.service";
import type { EffectiveTarget, TargetValue } from "./target.model";
import { checkKindForIndicator, checkTargetValue, compareTargets, mayStand, normalizeTargetValue, type Comparison } from "./target.rules";
import { compareWithQuota } from "./quota.rules";
import { QuotaService, denominatorFrom, type PlanQuantityContext } from "./quota.service";
import type { RemoveTargetInput, SetTargetsInput } from "./target.inputs";
import { TargetRefusal, TargetRemoved, TargetsRefused, TargetsSet } from "./target.results";
import { toComparisonView, toEffectiveTargetView, toTargetValueView, type EffectiveTargetView } from "./target.types";

export interface IndicatorRef {
  id: number;
  code: string;
  direction: Direction;
  reporting_level: string;
  value_kind: ValueKind;
  /** what a quantity target on it counts (null for yes/no) */
  quantity_unit: UnitOfMeasure | null;
}

const SELECT_INDICATOR_REF = `i.id, i.code, i.direction, i.reporting_level, i.value_kind, ${QUANTITY_UNIT("i")} AS quantity_unit`;

/** The columns of a target (alias `t`) as the JSON kept in audit_log (read back by TargetHistoryService). */
export const TARGET_JSON = (t: string) => `jsonb_build_object('kind', ${t}.kind, 'share', ${t}.share, 'count', ${t}.count,
  'frequencyInterval', ${t}.frequency_interval, 'changeLow', ${t}.change_low, 'changeHigh', ${t}.change_high,
  'deadline', to_char(${t}.deadline, 'YYYY-MM-DD'), 'quantity', ${t}.quantity)`;

/** The target a requested one must not loosen, and the plan it comes from (named to people by planLabel). */
export interface Against {
  value: TargetValue;
  planId: string;
  planDocument: string | null;
  planTitle?: string | null;
  unitCode: string;
  unitName?: string | null;
}

/** The parent plan's effective target as what a plan's own target must not loosen. */
export const parentAgainst = (parent: EffectiveTarget): Against => ({
  value: parent.value,
  planId: parent.sourcePlanId,
  planDocument: parent.sourcePlanDocument,
  planTitle: parent.sourcePlanTitle,
  unitCode: parent.sourceUnitCode,
  unitName: parent.sourceUnitName,
});

/** "the plan 06/KH-UBND of Thành phố Hà Nội": never its UUID (the unit's code when its name is unknown). */
export const againstLabel = (a: Against) =>
  planLabel({ documentNumber: a.planDocument ?? null, title: a.planTitle ?? "?", unitName: a.unitName ?? a.unitCode });

/** A refusal of one requested target against the target it must not loosen (the parent's, or the unit's quota). */
function refusal(indicator: IndicatorRef, value: TargetValue, against: Against, c: Comparison, quota: boolean): TargetRefusal {
  const key = c.verdict === "looser" ? (quota ? "target:refusal.looserQuota" : "target:refusal.looser") : quota ? "target:refusal.mismatchQuota" : "target:refusal.mismatch";
  return Object.assign(new TargetRefusal(), {
    indicatorCode: indicator.code,
    reason: c.verdict === "looser" ? (quota ? RefusalReason.LOOSER_THAN_QUOTA : RefusalReason.LOOSER_THAN_PARENT) : RefusalReason.KIND_MISMATCH,
    message: t(key, { indicator: indicator.code, plan: againstLabel(against), explanation: c.explanation }),
    requestedValue: toTargetValueView(value),
    parentValue: toTargetValueView(against.value),
    parentPlanId: against.planId,
    parentPlanDocument: against.planDocument,
    parentUnitCode: against.unitCode,
    comparison: toComparisonView(c),
  });
}

/** Targets of plans: reads with provenance, and the changes a planner may make (only tightening). */
export class TargetService {
  // ---------------------------------------------------------------- lookups

  static async indicatorsByCodes(ctx: AuthedContext, codes: string[]): Promise<Map<string, IndicatorRef>> {
    const rows = await ctx.db.query<IndicatorRef>(
      `SELECT ${SELECT_INDICATOR_REF} FROM indicator i WHERE i.code = ANY($1::text[])`,
      [codes.map((c) => c.trim().toUpperCase())],
    );
    return new Map(rows.map((r) => [r.code, r]));
  }

  static async indicator(ctx: AuthedContext, code: string, field: string): Promise<IndicatorRef> {
    const found = (await TargetService.indicatorsByCodes(ctx, [code])).get(code.trim().toUpperCase());
    if (!found) throw new BadUserInputError(t("target:unknownIndicator", { code }), field);
    return found;
  }

  /** Units at each indicator's reporting level under a unit (what a count is a share of). */
  static async unitCounts(
    ctx: AuthedContext,
    plan: { unitId: number; periodStart: string; periodEnd: string },
    indicatorIds: number[],
  ): Promise<Map<number, number>> {
    const rows = await ctx.db.query<{ id: number; n: string }>(
      `SELECT i.id, ${UNITS_AT_LEVEL("$1::int", "i.reporting_level", "$3", "$4")} AS n FROM indicator i WHERE i.id = ANY($2::int[])`,
      [plan.unitId, indicatorIds, plan.periodStart, plan.periodEnd],
    );
    return new Map(rows.map((r) => [r.id, Number(r.n)]));
  }

  // ---------------------------------------------------------------- reads

  static async effectiveForPlans(ctx: AuthedContext, planIds: readonly string[]): Promise<EffectiveTargetView[][]> {
    const map = await EffectiveTargetService.forPlans(ctx, planIds);
    const byPlan = new Map<string, EffectiveTargetView[]>();
    for (const [key, t] of map) {
      const planId = key.slice(0, key.lastIndexOf(":"));
      const list = byPlan.get(planId) ?? [];
      list.push(toEffectiveTargetView(t));
      byPlan.set(planId, list);
    }
    for (const list of byPlan.values()) list.sort((a, b) => a.indicatorId - b.indicatorId);
    return planIds.map((id) => byPlan.get(id) ?? []);
  }

  static async effectiveForUnit(
    ctx: AuthedContext,
    unitCode: string,
    periodCode: string,
    indicatorCodes: string[] | null,
    asOf: string | null,
  ): Promise<EffectiveTargetView[]> {
    const period = parsePeriod(periodCode);
    const unit = await OrgUnitService.byCode(ctx, unitCode, asOf ?? period.end, "unitCode");
    const indicators = indicatorCodes
      ? [...(await TargetService.indicatorsByCodes(ctx, indicatorCodes)).values()]
      : await ctx.db.query<IndicatorRef>(`SELECT ${SELECT_INDICATOR_REF} FROM indicator i`);
    if (indicatorCodes && indicators.length !== new Set(indicatorCodes.map((c) => c.trim().toUpperCase())).size) {
      const known = new Set(indicators.map((i) => i.code));
      const unknown = indicatorCodes.find((c) => !known.has(c.trim().toUpperCase()));
      throw new BadUserInputError(t("target:unknownIndicator", { code: unknown }), "indicators");
    }
    const map = await EffectiveTargetService.forUnits(ctx, [unit.id], indicators.map((i) => i.id), period);
    return [...map.values()].sort((a, b) => a.indicatorId - b.indicatorId).map(toEffectiveTargetView);
  }

  // ---------------------------------------------------------------- changes

  /**
   * Sets or changes several targets of a plan, all or nothing. Each must be tighter than or equal to the
   * parent plan's effective target, and to the unit's quota where a plan above gave it one (a quantity may
   * raise a quota, never lower it); otherwise nothing is written and every refusal is listed. A quantity is
   * not compared with a quantity above it (quotas add up instead); against a share it is compared through the
   * plan's denominator (planning figure, else the latest reported), and stands uncompared without one.
   */
  static async setTargets(ctx: AuthedContext, input: SetTargetsInput): Promise<TargetsSet | TargetsRefused> {
    const reason = checkAuditReason(input.reason);
    const plan = await PlanService.forEdit(ctx, input.planId, "input.planId");
    PlanService.checkVersion(plan, input.version);
    const indicators = await TargetService.indicatorsByCodes(ctx, input.targets.map((t) => t.indicator));
    const seen = new Set<string>();
    const values: Array<{ indicator: IndicatorRef; value: TargetValue; sourceText: string | null; field: string }> = [];
    for (const [index, target] of input.targets.entries()) {
      const field = `input.targets.${index}`;
      const code = target.indicator.trim().toUpperCase();
      const indicator = indicators.get(code);
      if (!indicator) throw new BadUserInputError(t("target:unknownIndicator", { code: target.indicator }), `${field}.indicator`);
      if (seen.has(code)) throw new BadUserInputError(t("target:indicatorTwice", { code }), `${field}.indicator`);
      seen.add(code);
      const wrongKind = checkKindForIndicator(target.kind, indicator.value_kind, indicator.code);
      if (wrongKind) throw new BadUserInputError(wrongKind.message, `${field}.${wrongKind.field}`);
      const value = normalizeTargetValue({
        kind: target.kind,
        share: target.share,
        count: target.count,
        frequencyInterval: target.frequencyInterval,
        changeLow: target.changeLow,
        changeHigh: target.changeHigh,
        deadline: target.deadline,
        quantity: target.quantity,
        unit: indicator.quantity_unit,
      });
      const problem = checkTargetValue(value, { start: plan.periodStart, end: plan.periodEnd });
      if (problem) throw new BadUserInputError(problem.message, `${field}.${problem.field}`);
      values.push({ indicator, value, sourceText: target.sourceText ?? null, field });
    }

    const ids = values.map((v) => v.indicator.id);
    const quantities = await QuotaService.contextFor(ctx, plan, ids);
    // the plan's own quotas split its quantity: a target of another kind would leave them adding up to nothing
    for (const v of values) {
      const given = quantities.givenKinds.get(v.indicator.id);
      if (given && given !== v.value.kind) {
        throw new BadUserInputError(
          t("target:quotaKindClash", { indicator: v.indicator.code, given: given.toUpperCase(), kind: v.value.kind.toUpperCase() }),
          `${v.field}.kind`,
        );
      }
    }
    const parents = plan.parentPlanId ? await EffectiveTargetService.forPlans(ctx, [plan.parentPlanId], ids) : new Map<string, EffectiveTarget>();
    const isCount = (kind: TargetKind) => kind.startsWith("count");
    const needsCounts = values.some((v) => {
      const p = parents.get(`${plan.parentPlanId}:${v.indicator.id}`);
      return p && isCount(p.value.kind) !== isCount(v.value.kind);
    });
    const floors = values.filter((v) => v.value.kind === "count_floor");
    const counts = needsCounts || floors.length > 0 ? await TargetService.unitCounts(ctx, plan, ids) : new Map<number, number>();
    // a floor above the number of units it counts could never be met
    for (const v of floors) {
      const units = counts.get(v.indicator.id) ?? 0;
      if (v.value.count! > units) {
        throw new BadUserInputError(
          t("target:countUnreachable", { indicator: v.indicator.code, n: v.value.count, units, level: v.indicator.reporting_level }),
          `${v.field}.count`,
          { units },
        );
      }
    }
    const refusals = TargetService.refusals(plan, values, parents, counts, quantities);
    if (refusals.length > 0) return Object.assign(new TargetsRefused(), { refusals });

    const version = await PlanService.bumpVersion(ctx, plan, input.version);
    const rows = values.map((v) => ({
      indicator_id: v.indicator.id,
      indicator_code: v.indicator.code,
      kind: v.value.kind,
      share: v.value.share,
      count: v.value.count,
      frequency_interval: v.value.frequencyInterval,
      change_low: v.value.changeLow,
      change_high: v.value.changeHigh,
      deadline: v.value.deadline,
      quantity: v.value.quantity,
      source_text: v.sourceText,
    }));
    await ctx.db.query(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(indicator_id int, indicator_code text, kind text, share numeric,
                count int, frequency_interval text, change_low numeric, change_high numeric, deadline date, quantity numeric,
                source_text text)
       ),
       old AS (SELECT t.indicator_id, ${TARGET_JSON("t")} AS v FROM target t WHERE t.plan_id = $1 AND t.indicator_id IN (SELECT indicator_id FROM input)),
       up AS (
         INSERT INTO target AS t (plan_id, indicator_id, kind, share, count, frequency_interval, change_low, change_high,
                                  deadline, quantity, source_text, updated_by, updated_at)
         SELECT $1, indicator_id, kind, share, count, frequency_interval, change_low, change_high, deadline, quantity, source_text, $3, now()
           FROM input
         ON CONFLICT (plan_id, indicator_id) DO UPDATE SET
           kind = EXCLUDED.kind, share = EXCLUDED.share, count = EXCLUDED.count, frequency_interval = EXCLUDED.frequency_interval,
           change_low = EXCLUDED.change_low, change_high = EXCLUDED.change_high, deadline = EXCLUDED.deadline, quantity = EXCLUDED.quantity,
           source_text = COALESCE(EXCLUDED.source_text, t.source_text), updated_by = EXCLUDED.updated_by, updated_at = now()
         RETURNING t.indicator_id, ${TARGET_JSON("t")} AS v
       )
       ${insertAudit(
         {
           actor: "$3",
           action: "target.set",
           entity: "target",
           entityId: "$1::text || ':' || i.indicator_code",
           planId: "$1",
           unitPath: "$4",
           oldValue: "old.v || jsonb_build_object('planVersion', $7::int - 1)",
           newValue: "up.v || jsonb_build_object('planVersion', $7::int)",
           reason: "$5",
           requestId: "$6",
         },
         "FROM up JOIN input i USING (indicator_id) LEFT JOIN old USING (indicator_id)",
       )}`,
      [plan.id, JSON.stringify(rows), ctx.actor.subject, plan.unitPath, reason, ctx.requestId, version],
    );
    const effective = await EffectiveTargetService.forPlans(ctx, [plan.id], ids);
    return Object.assign(new TargetsSet(), {
      plan: await PlanService.reload(ctx, plan.id),
      targets: ids.map((id) => effective.get(`${plan.id}:${id}`)).filter((t): t is EffectiveTarget => !!t).map(toEffectiveTargetView),
    });
  }

  /**
   * Every requested target that may not stand: against the parent plan's effective target, and against the
   * unit's quota from a plan above (where there is one). Quantities against shares use the plan's denominator.
   */
  static refusals(
    plan: { parentPlanId: string | null },
    values: Array<{ indicator: IndicatorRef; value: TargetValue }>,
    parents: Map<string, EffectiveTarget>,
    counts: Map<number, number>,
    quantities: PlanQuantityContext,
  ): TargetRefusal[] {
    const refusals: TargetRefusal[] = [];
    for (const v of values) {
      const denominator = denominatorFrom(quantities, v.indicator.id);
      const parent = parents.get(`${plan.parentPlanId}:${v.indicator.id}`);
      if (parent) {
        const c = compareTargets(v.value, parent.value, v.indicator.direction, counts.get(v.indicator.id) ?? null, denominator);
        if (!mayStand(c)) {
          refusals.push(refusal(v.indicator, v.value, parentAgainst(parent), c, false));
          continue;
        }
      }
      const quota = quantities.quotas.get(v.indicator.id);
      if (quota) {
        const c = compareWithQuota(v.value, quota.value, denominator);
        if (!mayStand(c)) refusals.push(refusal(v.indicator, v.value, quota, c, true));
      }
    }
    return refusals;
  }

  /** Removes a plan's own target: the plan falls back to the one it inherits. */
  static async removeTarget(ctx: AuthedContext, input: RemoveTargetInput): Promise<TargetRemoved> {
    const reason = checkAuditReason(input.reason);
    const plan = await PlanService.forEdit(ctx, input.planId, "input.planId");
    const indicator = await TargetService.indicator(ctx, input.indicator, "input.indicator");
    const given = (await QuotaService.contextFor(ctx, plan, [indicator.id])).givenKinds.get(indicator.id);
    if (given) {
      throw new BadUserInputError(
        t("target:removeQuotaTarget", { indicator: indicator.code }),
        "input.indicator",
      );
    }
    const version = await PlanService.bumpVersion(ctx, plan, input.version);
    const removed = await ctx.db.query(
      `WITH d AS (DELETE FROM target t WHERE t.plan_id = $1 AND t.indicator_id = $2 RETURNING ${TARGET_JSON("t")} AS v)
       ${insertAudit(
         {
           actor: "$3",
           action: "target.remove",
           entity: "target",
           entityId: "$1::text || ':' || $4",
           planId: "$1",
           unitPath: "$5",
           oldValue: "d.v || jsonb_build_object('planVersion', $8::int - 1)",
           newValue: "jsonb_build_object('planVersion', $8::int)",
           reason: "$6",
           requestId: "$7",
         },
         "FROM d",
       )}
       RETURNING id`,
      [plan.id, indicator.id, ctx.actor.subject, indicator.code, plan.unitPath, reason, ctx.requestId, version],
    );
    if (removed.length === 0) throw new NotFoundError("Own target of this plan for indicator", indicator.code);
    const effective = await EffectiveTargetService.forPlans(ctx, [plan.id], [indicator.id]);
    const now = effective.get(`${plan.id}:${indicator.id}`);
    return Object.assign(new TargetRemoved(), { plan: await PlanService.reload(ctx, plan.id), effective: now ? toEffectiveTargetView(now) : null });
  }
}

import type { AuthedContext } from "../context";
import { RefusalReason, type Direction, type TargetKind } from "../common/enums";
import { BadUserInputError, NotFoundError } from "../common/errors";
import { parsePeriod } from "../common/period";
import { checkAuditReason } from "../common/text";
import { insertAudit } from "../audit/audit.writer";
import { OrgUnitService } from "../org-unit/org-unit.service";
import { PlanService } from "../plan/plan.service";
import { EffectiveTargetService, UNITS_AT_LEVEL } from "./effective-target.service";
import type { EffectiveTarget, TargetValue } from "./target.model";
import { checkTargetValue, compareTargets, mayStand, normalizeTargetValue } from "./target.rules";
import type { RemoveTargetInput, SetTargetsInput } from "./target.inputs";
import { TargetRefusal, TargetRemoved, TargetsRefused, TargetsSet } from "./target.results";
import { toComparisonView, toEffectiveTargetView, toTargetValueView, type EffectiveTargetView } from "./target.types";

export interface IndicatorRef {
  id: number;
  code: string;
  direction: Direction;
  reporting_level: string;
}

/** The columns of a target (alias `t`) as the JSON kept in audit_log (read back by TargetHistoryService). */
export const TARGET_JSON = (t: string) => `jsonb_build_object('kind', ${t}.kind, 'share', ${t}.share, 'count', ${t}.count,
  'frequencyInterval', ${t}.frequency_interval, 'changeLow', ${t}.change_low, 'changeHigh', ${t}.change_high,
  'deadline', to_char(${t}.deadline, 'YYYY-MM-DD'))`;

/** Targets of plans: reads with provenance, and the changes a planner may make (only tightening). */
export class TargetService {
  // ---------------------------------------------------------------- lookups

  static async indicatorsByCodes(ctx: AuthedContext, codes: string[]): Promise<Map<string, IndicatorRef>> {
    const rows = await ctx.db.query<IndicatorRef>(
      `SELECT id, code, direction, reporting_level FROM indicator WHERE code = ANY($1::text[])`,
      [codes.map((c) => c.trim().toUpperCase())],
    );
    return new Map(rows.map((r) => [r.code, r]));
  }

  static async indicator(ctx: AuthedContext, code: string, field: string): Promise<IndicatorRef> {
    const found = (await TargetService.indicatorsByCodes(ctx, [code])).get(code.trim().toUpperCase());
    if (!found) throw new BadUserInputError(`Unknown indicator "${code}".`, field);
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
      : await ctx.db.query<IndicatorRef>(`SELECT id, code, direction, reporting_level FROM indicator`);
    if (indicatorCodes && indicators.length !== new Set(indicatorCodes.map((c) => c.trim().toUpperCase())).size) {
      const known = new Set(indicators.map((i) => i.code));
      const unknown = indicatorCodes.find((c) => !known.has(c.trim().toUpperCase()));
      throw new BadUserInputError(`Unknown indicator "${unknown}".`, "indicators");
    }
    const map = await EffectiveTargetService.forUnits(ctx, [unit.id], indicators.map((i) => i.id), period);
    return [...map.values()].sort((a, b) => a.indicatorId - b.indicatorId).map(toEffectiveTargetView);
  }

  // ---------------------------------------------------------------- changes

  /**
   * Sets or changes several targets of a plan, all or nothing. Each must be tighter than or equal to the
   * parent plan's effective target; otherwise nothing is written and every refusal is listed.
   */
  static async setTargets(ctx: AuthedContext, input: SetTargetsInput): Promise<TargetsSet | TargetsRefused> {
    const reason = checkAuditReason(input.reason);
    const plan = await PlanService.forEdit(ctx, input.planId, "input.planId");
    PlanService.checkVersion(plan, input.version);
    const indicators = await TargetService.indicatorsByCodes(ctx, input.targets.map((t) => t.indicator));
    const seen = new Set<string>();
    const values: Array<{ indicator: IndicatorRef; value: TargetValue; sourceText: string | null; field: string }> = [];
    for (const [index, t] of input.targets.entries()) {
      const field = `input.targets.${index}`;
      const code = t.indicator.trim().toUpperCase();
      const indicator = indicators.get(code);
      if (!indicator) throw new BadUserInputError(`Unknown indicator "${t.indicator}".`, `${field}.indicator`);
      if (seen.has(code)) throw new BadUserInputError(`Indicator ${code} is given twice.`, `${field}.indicator`);
      seen.add(code);
      const value = normalizeTargetValue({
        kind: t.kind,
        share: t.share,
        count: t.count,
        frequencyInterval: t.frequencyInterval,
        changeLow: t.changeLow,
        changeHigh: t.changeHigh,
        deadline: t.deadline,
      });
      const problem = checkTargetValue(value, { start: plan.periodStart, end: plan.periodEnd });
      if (problem) throw new BadUserInputError(problem.message, `${field}.${problem.field}`);
      values.push({ indicator, value, sourceText: t.sourceText ?? null, field });
    }

    const ids = values.map((v) => v.indicator.id);
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
          `${v.indicator.code}: at least ${v.value.count} units cannot be met: the plan's unit has ${units} units at the indicator's reporting level (${v.indicator.reporting_level}).`,
          `${v.field}.count`,
          { units },
        );
      }
    }
    const refusals: TargetRefusal[] = [];
    for (const v of values) {
      const parent = parents.get(`${plan.parentPlanId}:${v.indicator.id}`);
      if (!parent) continue;
      const c = compareTargets(v.value, parent.value, v.indicator.direction, counts.get(v.indicator.id) ?? null);
      if (mayStand(c)) continue;
      const where = `${parent.sourcePlanDocument ?? "plan " + parent.sourcePlanId} (${parent.sourceUnitCode})`;
      refusals.push(
        Object.assign(new TargetRefusal(), {
          indicatorCode: v.indicator.code,
          reason: c.verdict === "looser" ? RefusalReason.LOOSER_THAN_PARENT : RefusalReason.KIND_MISMATCH,
          message:
            c.verdict === "looser"
              ? `${v.indicator.code}: the requested target is looser than ${where}'s. ${c.explanation}`
              : `${v.indicator.code}: the requested target cannot be compared with ${where}'s. ${c.explanation}`,
          requestedValue: toTargetValueView(v.value),
          parentValue: toTargetValueView(parent.value),
          parentPlanId: parent.sourcePlanId,
          parentPlanDocument: parent.sourcePlanDocument,
          parentUnitCode: parent.sourceUnitCode,
          comparison: toComparisonView(c),
        }),
      );
    }
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
      source_text: v.sourceText,
    }));
    await ctx.db.query(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(indicator_id int, indicator_code text, kind text, share numeric,
                count int, frequency_interval text, change_low numeric, change_high numeric, deadline date, source_text text)
       ),
       old AS (SELECT t.indicator_id, ${TARGET_JSON("t")} AS v FROM target t WHERE t.plan_id = $1 AND t.indicator_id IN (SELECT indicator_id FROM input)),
       up AS (
         INSERT INTO target AS t (plan_id, indicator_id, kind, share, count, frequency_interval, change_low, change_high,
                                  deadline, source_text, updated_by, updated_at)
         SELECT $1, indicator_id, kind, share, count, frequency_interval, change_low, change_high, deadline, source_text, $3, now()
           FROM input
         ON CONFLICT (plan_id, indicator_id) DO UPDATE SET
           kind = EXCLUDED.kind, share = EXCLUDED.share, count = EXCLUDED.count, frequency_interval = EXCLUDED.frequency_interval,
           change_low = EXCLUDED.change_low, change_high = EXCLUDED.change_high, deadline = EXCLUDED.deadline,
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

  /** Removes a plan's own target: the plan falls back to the one it inherits. */
  static async removeTarget(ctx: AuthedContext, input: RemoveTargetInput): Promise<TargetRemoved> {
    const reason = checkAuditReason(input.reason);
    const plan = await PlanService.forEdit(ctx, input.planId, "input.planId");
    const indicator = await TargetService.indicator(ctx, input.indicator, "input.indicator");
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
    const t = effective.get(`${plan.id}:${indicator.id}`);
    return Object.assign(new TargetRemoved(), { plan: await PlanService.reload(ctx, plan.id), effective: t ? toEffectiveTargetView(t) : null });
  }
}

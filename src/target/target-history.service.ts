import type { AuthedContext } from "../context";
import { NotFoundError } from "../common/errors";
import { inSubtreeOrAncestor } from "../auth/scope";
import type { Plan } from "../plan/plan.model";
import { PlanService, SELECT_PLAN } from "../plan/plan.service";
import { EffectiveTargetService, valueOfRow } from "./effective-target.service";
import type { TargetValue } from "./target.model";
import { TargetChainLink, TargetChange } from "./target-history.types";
import { TargetService } from "./target.service";
import { toEffectiveTargetView, toTargetValueView } from "./target.types";

/** A target value as TargetService writes it into audit_log (TARGET_JSON), or null. */
function valueFromJson(json: Record<string, unknown> | null): TargetValue | null {
  if (!json || typeof json.kind !== "string") return null;
  return valueOfRow({
    kind: json.kind as TargetValue["kind"],
    share: (json.share as number | null) ?? null,
    count: (json.count as number | null) ?? null,
    frequency_interval: (json.frequencyInterval as TargetValue["frequencyInterval"]) ?? null,
    change_low: (json.changeLow as number | null) ?? null,
    change_high: (json.changeHigh as number | null) ?? null,
    deadline: (json.deadline as string | null) ?? null,
    quantity: (json.quantity as number | null) ?? null,
  });
}

/** How one indicator's target came to be: its recorded changes on a plan, and its values down a chain of plans. */
export class TargetHistoryService {
  /** The changes of one indicator's target, assignments and quotas on a plan, oldest first (from audit_log). */
  static async history(ctx: AuthedContext, planId: string, indicatorCode: string): Promise<TargetChange[]> {
    const plan = await PlanService.byId(ctx, planId, "planId");
    const indicator = await TargetService.indicator(ctx, indicatorCode, "indicator");
    const rows = await ctx.db.query<{
      occurred_at: Date;
      actor: string;
      action: string;
      old_value: Record<string, unknown> | null;
      new_value: Record<string, unknown> | null;
      reason: string | null;
    }>(
      `SELECT occurred_at, actor, action, old_value, new_value, reason FROM audit_log
        WHERE plan_id = $1 AND entity IN ('target', 'target_assignment', 'target_quota') AND entity_id = $2
        ORDER BY occurred_at, id`,
      [plan.id, `${plan.id}:${indicator.code}`],
    );
    return rows.map((r) => {
      // assignments keep a list of codes, quotas an object of code → quantity
      const codes = (v: Record<string, unknown> | null) =>
        v && Array.isArray(v.unitCodes)
          ? (v.unitCodes as string[])
          : v && v.quotas && typeof v.quotas === "object"
            ? Object.keys(v.quotas as Record<string, number>).sort()
            : null;
      const oldValue = valueFromJson(r.old_value);
      const newValue = valueFromJson(r.new_value);
      return Object.assign(new TargetChange(), {
        occurredAt: r.occurred_at,
        actor: r.actor,
        action: r.action,
        oldValue: oldValue ? toTargetValueView(oldValue) : null,
        newValue: newValue ? toTargetValueView(newValue) : null,
        oldUnitCodes: codes(r.old_value),
        newUnitCodes: codes(r.new_value),
        reason: r.reason,
        planVersion: Number((r.new_value?.planVersion ?? r.old_value?.planVersion) ?? 0),
      });
    });
  }

  /**
   * One indicator's target down a chain: the plans above `planId` (root first), the plan, and every plan
   * below it within the caller's scope, each with its own and effective target. Two statements.
   */
  static async chain(ctx: AuthedContext, planId: string, indicatorCode: string): Promise<TargetChainLink[]> {
    const id = PlanService.checkId(planId, "planId");
    const indicator = await TargetService.indicator(ctx, indicatorCode, "indicator");
    const plans = await ctx.db.query<Plan & { level: number; unitCode: string; sortKey: string }>(
      `WITH RECURSIVE
         me AS (SELECT p.* FROM plan p WHERE p.id = $2 AND ${inSubtreeOrAncestor("p.unit_path", "$1")}),
         up AS (SELECT me.id, me.parent_plan_id, 0 AS d FROM me
                UNION ALL
                SELECT p.id, p.parent_plan_id, up.d + 1 FROM up JOIN plan p ON p.id = up.parent_plan_id WHERE up.d < 32),
         down AS (SELECT me.id, 0 AS d, ''::text AS k FROM me
                  UNION ALL
                  SELECT c.id, down.d + 1, down.k || '/' || c.unit_path || c.period_start::text || c.id::text
                    FROM down JOIN plan c ON c.parent_plan_id = down.id
                   WHERE down.d < 32 AND ${inSubtreeOrAncestor("c.unit_path", "$1")}),
         span AS (SELECT up.id, -up.d AS rel, '' AS k FROM up
                  UNION ALL SELECT down.id, down.d, down.k FROM down WHERE down.d > 0)
       SELECT ${SELECT_PLAN}, span.rel - min(span.rel) OVER () AS level, u.code AS "unitCode", span.k AS "sortKey"
         FROM span JOIN plan p ON p.id = span.id JOIN org_unit u ON u.id = p.unit_id
        ORDER BY CASE WHEN span.rel <= 0 THEN span.rel END, span.k`,
      [ctx.actor.scopePaths, id],
    );
    if (plans.length === 0) throw new NotFoundError("Plan", planId);
    const effective = await EffectiveTargetService.forPlans(ctx, plans.map((p) => p.id), [indicator.id]);
    return plans.map(({ level, unitCode, sortKey: _k, ...plan }) => {
      const t = effective.get(`${plan.id}:${indicator.id}`) ?? null;
      return Object.assign(new TargetChainLink(), {
        level: Number(level),
        plan: plan as Plan,
        unitCode,
        own: t && !t.inherited ? toTargetValueView(t.value) : null,
        effective: t ? toEffectiveTargetView(t) : null,
      });
    });
  }
}

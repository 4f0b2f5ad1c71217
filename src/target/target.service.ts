import type { AuthedContext } from "../context";
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from "../common/errors";
import { inSubtree, inSubtreeOrAncestor } from "../auth/scope";
import { SELECT_PLAN, PlanService } from "../plan/plan.service";
import type { Plan } from "../plan/plan.entity";
import { parsePeriod } from "../common/period";
import { EffectiveTargetService, UNITS_AT_LEVEL, valueOfRow } from "./effective-target.service";
import type { EffectiveTarget, IndicatorDirection, TargetValue } from "./target.model";
import { checkTargetValue, compareTargets, judgeAssignment, normalizeTargetValue } from "./target.rules";
import type { AssignTargetInput, CreatePlanInput, RemoveTargetInput, SetTargetsInput } from "./target.inputs";
import {
  AssignmentView,
  RefusalReason,
  TargetChainLink,
  TargetChange,
  TargetRefusal,
  TargetRemoved,
  TargetsRefused,
  TargetsSet,
  toComparisonView,
  toEffectiveTargetView,
  toTargetValueView,
  type DeltaUnitEnum,
  type EffectiveTargetView,
} from "./target.types";

export interface IndicatorRef {
  id: number;
  code: string;
  direction: IndicatorDirection;
  reporting_level: string;
}

/** The columns of a target (alias `t`) as the JSON kept in audit_log. */
export const TARGET_JSON = (t: string) => `jsonb_build_object('kind', ${t}.kind, 'share', ${t}.share, 'count', ${t}.count,
  'frequencyInterval', ${t}.frequency_interval, 'changeLow', ${t}.change_low, 'changeHigh', ${t}.change_high,
  'deadline', to_char(${t}.deadline, 'YYYY-MM-DD'))`;

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
  });
}

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

  /**
   * A plan the caller may edit: its own unit's plans and those of its direct children. Another tenant's plan
   * is NOT_FOUND; a visible plan the caller may not edit (an ancestor's, a grandchild's) is FORBIDDEN.
   */
  static async planForEdit(ctx: AuthedContext, planId: string, field: string): Promise<Plan & { unitParentId: number | null }> {
    const id = PlanService.checkId(planId, field);
    const rows = await ctx.db.query<Plan & { unitParentId: number | null }>(
      `SELECT ${SELECT_PLAN}, u.parent_id AS "unitParentId" FROM plan p JOIN org_unit u ON u.id = p.unit_id
        WHERE p.id = $2 AND ${inSubtreeOrAncestor("p.unit_path", "$1")}`,
      [ctx.actor.unitPath, id],
    );
    const plan = rows[0];
    if (!plan) throw new NotFoundError("Plan", planId);
    if (plan.unitId !== ctx.actor.unitId && plan.unitParentId !== ctx.actor.unitId) {
      throw new ForbiddenError("You may edit your own unit's plans and those of its direct children only.", { planId });
    }
    return plan;
  }

  /** CONFLICT unless the plan (as read) is at `version`. */
  static checkVersion(plan: Plan, version: number): void {
    if (plan.version !== version) {
      throw new ConflictError(`The plan changed since version ${version} (it is at ${plan.version}); reload it and retry.`, {
        planId: plan.id,
        currentVersion: plan.version,
      });
    }
  }

  /** Takes the plan's row lock and moves it to the next version; CONFLICT if it is no longer at `version`. */
  static async bumpVersion(ctx: AuthedContext, plan: Plan, version: number): Promise<number> {
    TargetService.checkVersion(plan, version);
    const rows = await ctx.db.query<{ version: number }>(
      `WITH u AS (UPDATE plan SET version = version + 1, updated_at = now() WHERE id = $1 AND version = $2 RETURNING version)
       SELECT version FROM u`,
      [plan.id, version],
    );
    if (rows.length !== 1) {
      throw new ConflictError(`The plan changed since version ${version} (someone else saved first); reload it and retry.`, {
        planId: plan.id,
      });
    }
    return rows[0]!.version;
  }

  /** The plan as it is now (after a change in this transaction). */
  static async reload(ctx: AuthedContext, planId: string): Promise<Plan> {
    ctx.loaders.planById.clear(planId);
    return PlanService.byId(ctx, planId);
  }

  /** Units at each indicator's reporting level under a unit (what a count is a share of). */
  static async unitCounts(ctx: AuthedContext, unitId: number, indicatorIds: number[]): Promise<Map<number, number>> {
    const rows = await ctx.db.query<{ id: number; n: string }>(
      `SELECT i.id, ${UNITS_AT_LEVEL("$1::int", "i.reporting_level")} AS n FROM indicator i WHERE i.id = ANY($2::int[])`,
      [unitId, indicatorIds],
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
  ): Promise<EffectiveTargetView[]> {
    const unit = await ctx.loaders.orgUnitByCode.load(unitCode.trim().toUpperCase());
    if (!unit) throw new NotFoundError("Org unit", unitCode);
    const period = parsePeriod(periodCode);
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

  /** Named units per (plan, indicator) judged against the plan's effective target. Two statements for any number of plans. */
  static async assignmentsForPlans(ctx: AuthedContext, planIds: readonly string[]): Promise<AssignmentView[][]> {
    const rows = await ctx.db.query<{
      plan_id: string;
      document_number: string | null;
      unit_code: string;
      indicator_id: number;
      indicator_code: string;
      codes: string[];
      names: string[];
      total: string;
    }>(
      `SELECT a.plan_id, p.document_number, pu.code AS unit_code, a.indicator_id, i.code AS indicator_code,
              array_agg(u.code ORDER BY u.code) AS codes, array_agg(u.name ORDER BY u.code) AS names,
              ${UNITS_AT_LEVEL("pu.id", "i.reporting_level")} AS total
         FROM target_assignment a
         JOIN plan p ON p.id = a.plan_id
         JOIN org_unit pu ON pu.id = p.unit_id
         JOIN indicator i ON i.id = a.indicator_id
         JOIN org_unit u ON u.id = a.unit_id
        WHERE a.plan_id = ANY($2::uuid[]) AND ${inSubtreeOrAncestor("p.unit_path", "$1")}
        GROUP BY a.plan_id, p.document_number, pu.id, pu.code, pu.path, a.indicator_id, i.code, i.reporting_level
        ORDER BY a.plan_id, i.code`,
      [ctx.actor.unitPath, [...planIds]],
    );
    if (rows.length === 0) return planIds.map(() => []);
    const targets = await EffectiveTargetService.forPlans(ctx, [...new Set(rows.map((r) => r.plan_id))], [
      ...new Set(rows.map((r) => r.indicator_id)),
    ]);
    const byPlan = new Map<string, AssignmentView[]>();
    for (const r of rows) {
      const target = targets.get(`${r.plan_id}:${r.indicator_id}`) ?? null;
      const view = TargetService.assignmentView(r, target, Number(r.total));
      const list = byPlan.get(r.plan_id) ?? [];
      list.push(view);
      byPlan.set(r.plan_id, list);
    }
    return planIds.map((id) => byPlan.get(id) ?? []);
  }

  static assignmentView(
    r: { plan_id: string; document_number: string | null; unit_code: string; indicator_code: string; codes: string[]; names: string[] },
    target: EffectiveTarget | null,
    total: number,
  ): AssignmentView {
    const j = judgeAssignment(r.codes.length, total, target?.value ?? null);
    return Object.assign(new AssignmentView(), {
      planId: r.plan_id,
      planDocument: r.document_number,
      unitCode: r.unit_code,
      indicatorCode: r.indicator_code,
      unitCodes: r.codes,
      unitNames: r.names,
      named: j.named,
      total: j.total,
      share: j.share,
      target: target ? toEffectiveTargetView(target) : null,
      applicable: j.applicable,
      meets: j.meets,
      margin: j.margin,
      marginUnit: j.marginUnit as DeltaUnitEnum | null,
      needed: j.needed,
      explanation: j.explanation,
    });
  }

  /** The changes of one indicator's target and assignments on a plan, oldest first (from audit_log). */
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
        WHERE plan_id = $1 AND entity IN ('target', 'target_assignment') AND entity_id = $2
        ORDER BY occurred_at, id`,
      [plan.id, `${plan.id}:${indicator.code}`],
    );
    return rows.map((r) => {
      const codes = (v: Record<string, unknown> | null) => (v && Array.isArray(v.unitCodes) ? (v.unitCodes as string[]) : null);
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
      [ctx.actor.unitPath, id],
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

  // ---------------------------------------------------------------- changes

  /**
   * Sets or changes several targets of a plan, all or nothing. Each must be tighter than or equal to the
   * parent plan's effective target; otherwise nothing is written and every refusal is listed.
   */
  static async setTargets(ctx: AuthedContext, input: SetTargetsInput): Promise<TargetsSet | TargetsRefused> {
    const plan = await TargetService.planForEdit(ctx, input.planId, "input.planId");
    TargetService.checkVersion(plan, input.version);
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
        kind: t.kind as TargetValue["kind"],
        share: t.share,
        count: t.count,
        frequencyInterval: t.frequencyInterval as TargetValue["frequencyInterval"],
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
    const needsCounts = values.some((v) => {
      const p = parents.get(`${plan.parentPlanId}:${v.indicator.id}`);
      return p && p.value.kind.startsWith("count") !== v.value.kind.startsWith("count");
    });
    const floors = values.filter((v) => v.value.kind === "count_floor");
    const counts = needsCounts || floors.length > 0 ? await TargetService.unitCounts(ctx, plan.unitId, ids) : new Map<number, number>();
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
      if (c.verdict === "tighter" || c.verdict === "equal") continue;
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

    const version = await TargetService.bumpVersion(ctx, plan, input.version);
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
       INSERT INTO audit_log (actor, action, entity, entity_id, plan_id, unit_path, old_value, new_value, reason, request_id)
       SELECT $3, 'target.set', 'target', $1::text || ':' || i.indicator_code, $1, $4,
              old.v || jsonb_build_object('planVersion', $7::int - 1), up.v || jsonb_build_object('planVersion', $7::int), $5, $6
         FROM up JOIN input i USING (indicator_id) LEFT JOIN old USING (indicator_id)`,
      [plan.id, JSON.stringify(rows), ctx.actor.subject, plan.unitPath, input.reason, ctx.requestId, version],
    );
    const effective = await EffectiveTargetService.forPlans(ctx, [plan.id], ids);
    return Object.assign(new TargetsSet(), {
      plan: await TargetService.reload(ctx, plan.id),
      targets: ids.map((id) => effective.get(`${plan.id}:${id}`)).filter((t): t is EffectiveTarget => !!t).map(toEffectiveTargetView),
    });
  }

  /** Removes a plan's own target: the plan falls back to the one it inherits. */
  static async removeTarget(ctx: AuthedContext, input: RemoveTargetInput): Promise<TargetRemoved> {
    const plan = await TargetService.planForEdit(ctx, input.planId, "input.planId");
    const indicator = await TargetService.indicator(ctx, input.indicator, "input.indicator");
    const version = await TargetService.bumpVersion(ctx, plan, input.version);
    const removed = await ctx.db.query(
      `WITH d AS (DELETE FROM target t WHERE t.plan_id = $1 AND t.indicator_id = $2 RETURNING ${TARGET_JSON("t")} AS v)
       INSERT INTO audit_log (actor, action, entity, entity_id, plan_id, unit_path, old_value, new_value, reason, request_id)
       SELECT $3, 'target.remove', 'target', $1::text || ':' || $4, $1, $5, d.v || jsonb_build_object('planVersion', $8::int - 1),
              jsonb_build_object('planVersion', $8::int), $6, $7
         FROM d
       RETURNING id`,
      [plan.id, indicator.id, ctx.actor.subject, indicator.code, plan.unitPath, input.reason, ctx.requestId, version],
    );
    if (removed.length === 0) throw new NotFoundError("Own target of this plan for indicator", indicator.code);
    const effective = await EffectiveTargetService.forPlans(ctx, [plan.id], [indicator.id]);
    const t = effective.get(`${plan.id}:${indicator.id}`);
    return Object.assign(new TargetRemoved(), { plan: await TargetService.reload(ctx, plan.id), effective: t ? toEffectiveTargetView(t) : null });
  }

  /** Names the units under the plan's unit that must meet the indicator, and judges them against the plan's own target. */
  static async assignTarget(ctx: AuthedContext, input: AssignTargetInput): Promise<AssignmentView> {
    const plan = await TargetService.planForEdit(ctx, input.planId, "input.planId");
    const indicator = await TargetService.indicator(ctx, input.indicator, "input.indicator");
    const codes = input.unitCodes.map((c) => c.trim().toUpperCase());
    const dup = codes.findIndex((c, i) => codes.indexOf(c) !== i);
    if (dup >= 0) throw new BadUserInputError(`Unit ${codes[dup]} is named twice.`, `input.unitCodes.${dup}`);
    const units = await ctx.db.query<{ id: number; code: string }>(
      `SELECT u.id, u.code FROM org_unit u, org_unit pu
        WHERE pu.id = $1 AND u.code = ANY($2::text[]) AND u.valid_to IS NULL AND u.id <> pu.id
          AND u.path LIKE pu.path || '%' AND u.level = $3 AND ${inSubtree("u.path", "$4")}`,
      [plan.unitId, codes, indicator.reporting_level, ctx.actor.unitPath],
    );
    const known = new Map(units.map((u) => [u.code, u.id]));
    const missing = codes.findIndex((c) => !known.has(c));
    if (missing >= 0) {
      throw new BadUserInputError(
        `Unit "${input.unitCodes[missing]}" is not a ${indicator.reporting_level} under the plan's unit.`,
        `input.unitCodes.${missing}`,
      );
    }
    const version = await TargetService.bumpVersion(ctx, plan, input.version);
    await ctx.db.query(
      `WITH old AS (
         SELECT coalesce(jsonb_agg(u.code ORDER BY u.code), '[]'::jsonb) AS codes
           FROM target_assignment a JOIN org_unit u ON u.id = a.unit_id WHERE a.plan_id = $1 AND a.indicator_id = $2
       ),
       del AS (DELETE FROM target_assignment WHERE plan_id = $1 AND indicator_id = $2 RETURNING unit_id),
       ins AS (
         INSERT INTO target_assignment (plan_id, indicator_id, unit_id, assigned_by)
         SELECT $1, $2, unnest($3::int[]), $4
         ON CONFLICT (plan_id, indicator_id, unit_id) DO UPDATE SET assigned_by = EXCLUDED.assigned_by, assigned_at = now()
         RETURNING unit_id
       )
       INSERT INTO audit_log (actor, action, entity, entity_id, plan_id, unit_path, old_value, new_value, reason, request_id)
       SELECT $4, 'target.assign', 'target_assignment', $1::text || ':' || $5, $1, $6,
              jsonb_build_object('unitCodes', old.codes, 'planVersion', $9::int - 1),
              jsonb_build_object('unitCodes', to_jsonb($7::text[]), 'planVersion', $9::int), $8, $10
         FROM old`,
      [plan.id, indicator.id, [...known.values()], ctx.actor.subject, indicator.code, plan.unitPath,
       [...codes].sort(), input.reason, version, ctx.requestId],
    );
    const [views] = await TargetService.assignmentsForPlans(ctx, [plan.id]);
    const view = views!.find((v) => v.indicatorCode === indicator.code);
    if (view) return view;
    // nothing named: judge the empty list
    const target = (await EffectiveTargetService.forPlans(ctx, [plan.id], [indicator.id])).get(`${plan.id}:${indicator.id}`) ?? null;
    const total = (await TargetService.unitCounts(ctx, plan.unitId, [indicator.id])).get(indicator.id) ?? 0;
    const unit = await ctx.loaders.orgUnitById.load(plan.unitId);
    return TargetService.assignmentView(
      { plan_id: plan.id, document_number: plan.documentNumber, unit_code: unit?.code ?? "", indicator_code: indicator.code, codes: [], names: [] },
      target,
      total,
    );
  }

  /** A new plan implementing `parentPlanId`, for the parent plan's unit or one of its children, within its period. */
  static async createPlan(ctx: AuthedContext, input: CreatePlanInput): Promise<Plan> {
    const parent = await PlanService.byId(ctx, input.parentPlanId, "input.parentPlanId");
    const unit = await ctx.loaders.orgUnitByCode.load(input.unitCode.trim().toUpperCase());
    if (!unit) throw new BadUserInputError(`Unknown unit "${input.unitCode}".`, "input.unitCode");
    if (unit.id !== parent.unitId && unit.parentId !== parent.unitId) {
      throw new BadUserInputError("The plan's unit must be the parent plan's unit or one of its children.", "input.unitCode");
    }
    if (unit.id !== ctx.actor.unitId && unit.parentId !== ctx.actor.unitId) {
      throw new ForbiddenError("You may create plans for your own unit and its direct children only.", { unitCode: unit.code });
    }
    for (const field of ["periodStart", "periodEnd", "issuedOn"] as const) {
      const v = input[field];
      if (v && new Date(Date.parse(`${v}T00:00:00Z`) || 0).toISOString().slice(0, 10) !== v) {
        throw new BadUserInputError(`"${v}" is not a date.`, `input.${field}`);
      }
    }
    if (input.periodEnd < input.periodStart) throw new BadUserInputError("The period ends before it starts.", "input.periodEnd");
    if (input.periodStart < parent.periodStart) {
      throw new BadUserInputError(`The period must lie within the parent plan's (${parent.periodStart} - ${parent.periodEnd}).`, "input.periodStart");
    }
    if (input.periodEnd > parent.periodEnd) {
      throw new BadUserInputError(`The period must lie within the parent plan's (${parent.periodStart} - ${parent.periodEnd}).`, "input.periodEnd");
    }
    const rows = await ctx.db.query<Plan>(
      `WITH p AS (
         INSERT INTO plan (program_id, unit_id, parent_plan_id, title, document_number, issued_on, period_start, period_end, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (program_id, unit_id, period_start, period_end) DO NOTHING
         RETURNING *
       ),
       a AS (
         INSERT INTO audit_log (actor, action, entity, entity_id, plan_id, unit_path, old_value, new_value, reason, request_id)
         SELECT $9, 'plan.create', 'plan', p.id::text, p.id, p.unit_path, NULL,
                jsonb_build_object('title', p.title, 'documentNumber', p.document_number, 'periodStart', p.period_start,
                                   'periodEnd', p.period_end, 'parentPlanId', p.parent_plan_id), $10, $11
           FROM p
       )
       SELECT ${SELECT_PLAN} FROM p`,
      [parent.programId, unit.id, parent.id, input.title, input.documentNumber ?? null, input.issuedOn ?? null,
       input.periodStart, input.periodEnd, ctx.actor.subject, input.reason, ctx.requestId],
    );
    if (!rows[0]) {
      // one plan per unit, program and period (plan_unit_period_key): the other one was there first
      const [existing] = await ctx.db.query<{ id: string }>(
        `SELECT id FROM plan WHERE program_id = $1 AND unit_id = $2 AND period_start = $3 AND period_end = $4`,
        [parent.programId, unit.id, input.periodStart, input.periodEnd],
      );
      throw new ConflictError(
        `${unit.name} already has a plan for ${input.periodStart} - ${input.periodEnd}; change that plan's targets instead.`,
        { field: "input.periodStart", planId: existing?.id ?? null },
      );
    }
    return rows[0];
  }
}

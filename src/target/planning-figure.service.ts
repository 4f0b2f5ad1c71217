import type { AuthedContext } from "../context";
import { BadUserInputError, ConflictError } from "../common/errors";
import { t } from "../i18n/i18n";
import type { UnitOfMeasure } from "../common/enums";
import { inSubtreeOrAncestor } from "../auth/scope";
import { checkAuditReason } from "../common/text";
import { insertAudit } from "../audit/audit.writer";
import { PlanService } from "../plan/plan.service";
import { EffectiveTargetService } from "./effective-target.service";
import type { EffectiveTarget } from "./target.model";
import { compareWithQuota } from "./quota.rules";
import { QuotaService, denominatorFrom } from "./quota.service";
import { checkQuantity, compareTargets, type Comparison } from "./target.rules";
import type { SetPlanningFiguresInput } from "./target.inputs";
import { PlanningFigure, PlanningFiguresSet } from "./quota.types";
import { TargetRefusal, TargetsRefused } from "./target.results";
import { TargetService, againstLabel, parentAgainst, type Against, type IndicatorRef } from "./target.service";
import { toComparisonView, toEffectiveTargetView, toTargetValueView } from "./target.types";

interface FigureRow {
  plan_id: string;
  indicator_code: string;
  denominator: string;
  unit: UnitOfMeasure | null;
  set_by: string;
  set_at: Date;
}

/**
 * Planning figures: per ratio indicator, the denominator a plan plans for (the industrial-zone workers Hà Nội
 * counts on). They turn the plan's quantity targets into shares of its unit, so that a quantity can be compared
 * with a parent's share (60,000 of 95,000 = 63.2% against ≥ 60%); without one the latest reported denominator is
 * used, and without that the pair is NOT_COMPARABLE.
 */
export class PlanningFigureService {
  static async forPlans(ctx: AuthedContext, planIds: readonly string[]): Promise<PlanningFigure[][]> {
    const rows = await ctx.db.query<FigureRow>(
      `SELECT f.plan_id, i.code AS indicator_code, f.denominator, i.numerator_unit AS unit, f.set_by, f.set_at
         FROM plan_figure f JOIN plan p ON p.id = f.plan_id JOIN indicator i ON i.id = f.indicator_id
        WHERE f.plan_id = ANY($2::uuid[]) AND ${inSubtreeOrAncestor("p.unit_path", "$1")}
        ORDER BY f.plan_id, i.sort_order, i.code`,
      [ctx.actor.scopePaths, [...planIds]],
    );
    const byPlan = new Map<string, PlanningFigure[]>();
    for (const r of rows) {
      const list = byPlan.get(r.plan_id) ?? [];
      list.push(
        Object.assign(new PlanningFigure(), {
          indicatorCode: r.indicator_code,
          denominator: Number(r.denominator),
          unit: r.unit,
          source: "planning_figure",
          setBy: r.set_by,
          setAt: r.set_at,
        }),
      );
      byPlan.set(r.plan_id, list);
    }
    return planIds.map((id) => byPlan.get(id) ?? []);
  }

  /**
   * Sets (or, with a null denominator, removes) planning figures of a plan, all or nothing, audited, under the
   * plan's version. A figure that would make one of the plan's own targets looser than its parent's share (or
   * its unit's quota) is refused like a looser target (TargetsRefused), nothing written.
   */
  static async set(ctx: AuthedContext, input: SetPlanningFiguresInput): Promise<PlanningFiguresSet | TargetsRefused> {
    const reason = checkAuditReason(input.reason);
    const plan = await PlanService.forEdit(ctx, input.planId, "input.planId");
    if (plan.version !== input.version) {
      throw new ConflictError(t("target:planChanged", { version: input.version, current: plan.version }), {
        field: "input.version",
        planId: plan.id,
        currentVersion: plan.version,
      });
    }
    const indicators = await TargetService.indicatorsByCodes(ctx, input.figures.map((f) => f.indicator));
    const figures: Array<{ indicator: IndicatorRef & { numerator_unit?: UnitOfMeasure | null }; denominator: number | null }> = [];
    const seen = new Set<string>();
    for (const [index, f] of input.figures.entries()) {
      const field = `input.figures.${index}`;
      const code = f.indicator.trim().toUpperCase();
      const indicator = indicators.get(code);
      if (!indicator) throw new BadUserInputError(t("target:unknownIndicator", { code: f.indicator }), `${field}.indicator`);
      if (seen.has(code)) throw new BadUserInputError(t("target:indicatorTwice", { code }), `${field}.indicator`);
      seen.add(code);
      if (indicator.value_kind !== "ratio") {
        throw new BadUserInputError(
          t("target:figure.notRatio", { indicator: code, kind: indicator.value_kind.toUpperCase() }),
          `${field}.indicator`,
        );
      }
      const denominator = f.denominator ?? null;
      if (denominator !== null) {
        const problem = checkQuantity(denominator, indicator.quantity_unit, "denominator");
        if (problem) throw new BadUserInputError(problem, `${field}.denominator`);
        if (denominator === 0) throw new BadUserInputError(t("target:figure.zero"), `${field}.denominator`);
      }
      figures.push({ indicator, denominator });
    }

    // the plan's own targets on these indicators, against the parent's share and the unit's quota, through the new figures
    const ids = figures.map((f) => f.indicator.id);
    const quantities = await QuotaService.contextFor(ctx, plan, ids);
    for (const f of figures) {
      if (f.denominator === null) quantities.figures.delete(f.indicator.id);
      else quantities.figures.set(f.indicator.id, f.denominator);
    }
    const own = await EffectiveTargetService.forPlans(ctx, [plan.id], ids);
    const parents = plan.parentPlanId ? await EffectiveTargetService.forPlans(ctx, [plan.parentPlanId], ids) : new Map<string, EffectiveTarget>();
    const refusals: TargetRefusal[] = [];
    for (const { indicator } of figures) {
      const mine = own.get(`${plan.id}:${indicator.id}`);
      if (!mine || mine.inherited) continue;
      const denominator = denominatorFrom(quantities, indicator.id);
      const parent = parents.get(`${plan.parentPlanId}:${indicator.id}`);
      const quota = quantities.quotas.get(indicator.id);
      const checks: Array<[Comparison, Against, boolean]> = [];
      if (parent && mine.value.kind.startsWith("quantity") && parent.value.kind.startsWith("share")) {
        const c = compareTargets(mine.value, parent.value, indicator.direction, null, denominator);
        checks.push([c, parentAgainst(parent), false]);
      }
      if (quota && mine.value.kind.startsWith("share")) checks.push([compareWithQuota(mine.value, quota.value, denominator), quota, true]);
      for (const [c, against, isQuota] of checks) {
        if (c.verdict !== "looser") continue;
        refusals.push(
          Object.assign(new TargetRefusal(), {
            indicatorCode: indicator.code,
            reason: isQuota ? "looser_than_quota" : "looser_than_parent",
            message: t(isQuota ? "target:figure.looserQuota" : "target:figure.looser", {
              indicator: indicator.code,
              plan: againstLabel(against),
              explanation: c.explanation,
            }),
            requestedValue: toTargetValueView(mine.value),
            parentValue: toTargetValueView(against.value),
            parentPlanId: against.planId,
            parentPlanDocument: against.planDocument,
            parentUnitCode: against.unitCode,
            comparison: toComparisonView(c),
          }),
        );
      }
    }
    if (refusals.length > 0) return Object.assign(new TargetsRefused(), { refusals });

    const version = await PlanService.bumpVersion(ctx, plan, input.version);
    const rows = figures.map((f) => ({ indicator_id: f.indicator.id, indicator_code: f.indicator.code, denominator: f.denominator }));
    await ctx.db.query(
      `WITH input AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(indicator_id int, indicator_code text, denominator numeric)),
       old AS (SELECT f.indicator_id, f.denominator FROM plan_figure f WHERE f.plan_id = $1 AND f.indicator_id IN (SELECT indicator_id FROM input)),
       del AS (
         DELETE FROM plan_figure f USING input i
          WHERE f.plan_id = $1 AND f.indicator_id = i.indicator_id AND i.denominator IS NULL
         RETURNING f.indicator_id
       ),
       up AS (
         INSERT INTO plan_figure AS f (plan_id, indicator_id, denominator, set_by)
         SELECT $1, indicator_id, denominator, $3 FROM input WHERE denominator IS NOT NULL
         ON CONFLICT (plan_id, indicator_id) DO UPDATE SET denominator = EXCLUDED.denominator, set_by = EXCLUDED.set_by, set_at = now()
         RETURNING f.indicator_id
       )
       ${insertAudit(
         {
           actor: "$3",
           action: "plan.figures",
           entity: "plan_figure",
           entityId: "$1::text || ':' || i.indicator_code",
           planId: "$1",
           unitPath: "$4",
           oldValue: "jsonb_build_object('denominator', old.denominator, 'planVersion', $6::int - 1)",
           newValue: "jsonb_build_object('denominator', i.denominator, 'planVersion', $6::int)",
           reason: "$5",
           requestId: "$7",
         },
         "FROM input i LEFT JOIN old USING (indicator_id)",
       )}`,
      [plan.id, JSON.stringify(rows), ctx.actor.subject, plan.unitPath, reason, version, ctx.requestId],
    );
    const [all] = await PlanningFigureService.forPlans(ctx, [plan.id]);
    const effective = await EffectiveTargetService.forPlans(ctx, [plan.id], ids);
    return Object.assign(new PlanningFiguresSet(), {
      plan: await PlanService.reload(ctx, plan.id),
      figures: all ?? [],
      targets: ids.map((id) => effective.get(`${plan.id}:${id}`)).filter((t): t is EffectiveTarget => !!t).map(toEffectiveTargetView),
    });
  }
}

import type { AuthedContext } from "../context";
import { BadUserInputError } from "../common/errors";
import { t } from "../i18n/i18n";
import { inSubtree, inSubtreeOrAncestor } from "../auth/scope";
import { checkAuditReason } from "../common/text";
import { insertAudit } from "../audit/audit.writer";
import { PlanService } from "../plan/plan.service";
import { EffectiveTargetService, UNITS_AT_LEVEL } from "./effective-target.service";
import type { EffectiveTarget } from "./target.model";
import { judgeAssignment } from "./target.rules";
import type { AssignTargetInput } from "./target.inputs";
import { AssignmentJudgement } from "./target-assignment.types";
import { TargetService } from "./target.service";
import { toEffectiveTargetView } from "./target.types";

interface AssignmentRow {
  plan_id: string;
  document_number: string | null;
  unit_code: string;
  indicator_code: string;
  /** every unit named, those the caller may not see included */
  named: number;
  /** the named units the caller may see */
  codes: string[];
  names: string[];
}

/** Named child units per (plan, indicator), judged against the plan's own effective target. */
export class TargetAssignmentService {
  /**
   * The assignments of many plans. Two statements for any number of plans. A caller sees the named units
   * row-level security shows it (a district: itself, not its siblings), but each list is judged on the
   * number of all units it names (app_assignment_counts, migration 1763900900000), as its planner sees it.
   */
  static async forPlans(ctx: AuthedContext, planIds: readonly string[]): Promise<AssignmentJudgement[][]> {
    const rows = await ctx.db.query<AssignmentRow & { indicator_id: number; total: string }>(
      `SELECT c.plan_id, p.document_number, pu.code AS unit_code, c.indicator_id, i.code AS indicator_code, c.named,
              coalesce(v.codes, '{}') AS codes, coalesce(v.names, '{}') AS names,
              ${UNITS_AT_LEVEL("pu.id", "i.reporting_level", "p.period_start", "p.period_end")} AS total
         FROM app_assignment_counts($2::uuid[]) c
         JOIN plan p ON p.id = c.plan_id
         JOIN org_unit pu ON pu.id = p.unit_id
         JOIN indicator i ON i.id = c.indicator_id
         LEFT JOIN LATERAL (
           SELECT array_agg(u.code ORDER BY u.code) AS codes, array_agg(u.name ORDER BY u.code) AS names
             FROM target_assignment a JOIN org_unit u ON u.id = a.unit_id
            WHERE a.plan_id = c.plan_id AND a.indicator_id = c.indicator_id
         ) v ON true
        WHERE ${inSubtreeOrAncestor("p.unit_path", "$1")}
        ORDER BY c.plan_id, i.code`,
      [ctx.actor.scopePaths, [...planIds]],
    );
    if (rows.length === 0) return planIds.map(() => []);
    const targets = await EffectiveTargetService.forPlans(ctx, [...new Set(rows.map((r) => r.plan_id))], [
      ...new Set(rows.map((r) => r.indicator_id)),
    ]);
    const byPlan = new Map<string, AssignmentJudgement[]>();
    for (const r of rows) {
      const target = targets.get(`${r.plan_id}:${r.indicator_id}`) ?? null;
      const view = TargetAssignmentService.judgement(r, target, Number(r.total));
      const list = byPlan.get(r.plan_id) ?? [];
      list.push(view);
      byPlan.set(r.plan_id, list);
    }
    return planIds.map((id) => byPlan.get(id) ?? []);
  }

  private static judgement(r: AssignmentRow, target: EffectiveTarget | null, total: number): AssignmentJudgement {
    const j = judgeAssignment(r.named, total, target?.value ?? null);
    return Object.assign(new AssignmentJudgement(), {
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
      marginUnit: j.marginUnit,
      needed: j.needed,
      explanation: j.explanation,
    });
  }

  /** Names the units under the plan's unit that must meet the indicator, and judges them against the plan's own target. */
  static async assign(ctx: AuthedContext, input: AssignTargetInput): Promise<AssignmentJudgement> {
    const reason = checkAuditReason(input.reason);
    const plan = await PlanService.forEdit(ctx, input.planId, "input.planId");
    const indicator = await TargetService.indicator(ctx, input.indicator, "input.indicator");
    const codes = input.unitCodes.map((c) => c.trim().toUpperCase());
    const dup = codes.findIndex((c, i) => codes.indexOf(c) !== i);
    if (dup >= 0) throw new BadUserInputError(t("target:assign.twice", { code: codes[dup] }), `input.unitCodes.${dup}`);
    // the units the codes name during the plan's period, at the level that reports the indicator on its tree
    // (a code named twice in the period, as 03388 across the reform: the earlier unit, the one the plan began with)
    const units = await ctx.db.query<{ id: number; code: string }>(
      `SELECT DISTINCT ON (u.code) u.id, u.code FROM org_unit u, org_unit pu, indicator i
        WHERE pu.id = $1 AND u.code = ANY($2::text[]) AND u.id <> pu.id AND i.id = $3
          AND u.valid_from <= $6::date AND (u.valid_to IS NULL OR u.valid_to > $5::date)
          AND u.path LIKE pu.path || '%'
          AND u.level = CASE WHEN $5::date >= DATE '2025-07-01' THEN i.reporting_level_two_tier ELSE i.reporting_level END
          AND ${inSubtree("u.path", "$4")}
        ORDER BY u.code, u.valid_from`,
      [plan.unitId, codes, indicator.id, ctx.actor.scopePaths, plan.periodStart, plan.periodEnd],
    );
    const known = new Map(units.map((u) => [u.code, u.id]));
    const missing = codes.findIndex((c) => !known.has(c));
    if (missing >= 0) {
      throw new BadUserInputError(
        t("target:assign.notUnder", { code: input.unitCodes[missing], level: t(`target:level.${indicator.reporting_level}`) }),
        `input.unitCodes.${missing}`,
      );
    }
    const version = await PlanService.bumpVersion(ctx, plan, input.version);
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
       ${insertAudit(
         {
           actor: "$4",
           action: "target.assign",
           entity: "target_assignment",
           entityId: "$1::text || ':' || $5",
           planId: "$1",
           unitPath: "$6",
           oldValue: "jsonb_build_object('unitCodes', old.codes, 'planVersion', $9::int - 1)",
           newValue: "jsonb_build_object('unitCodes', to_jsonb($7::text[]), 'planVersion', $9::int)",
           reason: "$8",
           requestId: "$10",
         },
         "FROM old",
       )}`,
      [plan.id, indicator.id, [...known.values()], ctx.actor.subject, indicator.code, plan.unitPath,
       [...codes].sort(), reason, version, ctx.requestId],
    );
    const [views] = await TargetAssignmentService.forPlans(ctx, [plan.id]);
    const view = views!.find((v) => v.indicatorCode === indicator.code);
    if (view) return view;
    // nothing named: judge the empty list
    const target = (await EffectiveTargetService.forPlans(ctx, [plan.id], [indicator.id])).get(`${plan.id}:${indicator.id}`) ?? null;
    const total = (await TargetService.unitCounts(ctx, plan, [indicator.id])).get(indicator.id) ?? 0;
    const unit = await ctx.loaders.orgUnitById.load(plan.unitId);
    return TargetAssignmentService.judgement(
      { plan_id: plan.id, document_number: plan.documentNumber, unit_code: unit?.code ?? "", indicator_code: indicator.code, named: 0, codes: [], names: [] },
      target,
      total,
    );
  }
}

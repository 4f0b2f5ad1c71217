import type { AuthedContext } from "../context";
import { BadUserInputError, ConflictError } from "../common/errors";
import { t } from "../i18n/i18n";
import type { TargetKind, UnitOfMeasure } from "../common/enums";
import { inSubtreeOrAncestor } from "../auth/scope";
import { checkAuditReason } from "../common/text";
import { insertAudit } from "../audit/audit.writer";
import { QUANTITY_UNIT } from "../indicator/indicator.service";
import type { Plan } from "../plan/plan.model";
import { PlanService } from "../plan/plan.service";
import { EffectiveTargetService, LATEST_SUMMARY_ORDER } from "./effective-target.service";
import { isQuantityKind, type Denominator, type EffectiveTarget, type TargetValue } from "./target.model";
import { checkQuotaList, judgeQuotas } from "./quota.rules";
import { describeTarget } from "./target.rules";
import type { AssignQuotasInput } from "./target.inputs";
import { QuotaSplit, QuotaView, UnitWithoutQuota } from "./quota.types";
import { TargetService } from "./target.service";
import { toEffectiveTargetView, toTargetValueView } from "./target.types";

/** A quota naming a plan's unit, from a plan up its chain of parent plans. */
export interface QuotaRef {
  value: TargetValue;
  planId: string;
  planDocument: string | null;
  planTitle?: string | null;
  unitId: number;
  unitCode: string;
  unitName?: string | null;
}

/** What the quantity checks of a change to one plan need, per indicator (QuotaService.contextFor). */
export interface PlanQuantityContext {
  /** the quotas naming the plan's unit from its parent chain (the nearest per indicator) */
  quotas: Map<number, QuotaRef>;
  /** the plan's planning figures */
  figures: Map<number, number>;
  /** the latest reported denominator of the plan's unit, up to the plan's last year */
  reported: Map<number, Denominator>;
  /** the kind of the quotas the plan gives out itself */
  givenKinds: Map<number, TargetKind>;
}

/** The plan's denominator: its planning figure, else the latest reported one. */
export function denominatorFrom(c: PlanQuantityContext, indicatorId: number): Denominator | null {
  const figure = c.figures.get(indicatorId);
  if (figure !== undefined) return { value: figure, source: "planning_figure" };
  return c.reported.get(indicatorId) ?? null;
}

/** The children of a plan's unit over the plan's period, one unit per code (the earliest, as a look-up names it). */
const CHILDREN = (planAlias: string, childAlias: string) =>
  `${childAlias}.parent_id = ${planAlias}.unit_id AND ${childAlias}.valid_from <= ${planAlias}.period_end
   AND (${childAlias}.valid_to IS NULL OR ${childAlias}.valid_to > ${planAlias}.period_start)`;

interface SplitRow {
  plan_id: string;
  document_number: string | null;
  unit_code: string;
  indicator_id: number;
  indicator_code: string;
  quantity_unit: UnitOfMeasure | null;
  named: number;
  total: string;
  children: number;
  without_quota: number;
  quotas: Array<{ unitCode: string; unitName: string; quantity: number; kind: TargetKind }> | null;
  without: Array<{ unitCode: string; unitName: string }> | null;
}

/**
 * Quotas: a plan splits its quantity target among named child units (assignQuotas); each child's quota is its
 * effective quantity target (EffectiveTargetService), and the split is judged additively on the plan.
 */
export class QuotaService {
  /**
   * The quota splits of many plans (those with quotas), judged against each plan's effective quantity target.
   * Two statements for any number of plans. Sums and counts come from app_quota_totals (every quota, numbers
   * only, for plans the caller may see); the quotas and units listed are those row-level security shows.
   */
  static async forPlans(ctx: AuthedContext, planIds: readonly string[]): Promise<QuotaSplit[][]> {
    const rows = await ctx.db.query<SplitRow>(
      `SELECT t.plan_id, p.document_number, pu.code AS unit_code, t.indicator_id, i.code AS indicator_code,
              ${QUANTITY_UNIT("i")} AS quantity_unit, t.named, t.total, t.children, t.without_quota,
              (SELECT json_agg(json_build_object('unitCode', u.code, 'unitName', u.name, 'quantity', q.quantity, 'kind', q.kind) ORDER BY u.code)
                 FROM target_quota q JOIN org_unit u ON u.id = q.unit_id
                WHERE q.plan_id = t.plan_id AND q.indicator_id = t.indicator_id) AS quotas,
              (SELECT json_agg(json_build_object('unitCode', k.code, 'unitName', k.name) ORDER BY k.code)
                 FROM (SELECT DISTINCT ON (c.code) c.code, c.name FROM org_unit c
                        WHERE ${CHILDREN("p", "c")}
                          AND NOT EXISTS (SELECT 1 FROM target_quota x WHERE x.plan_id = t.plan_id AND x.indicator_id = t.indicator_id AND x.unit_id = c.id)
                        ORDER BY c.code, c.valid_from) k) AS without
         FROM app_quota_totals($2::uuid[]) t
         JOIN plan p ON p.id = t.plan_id
         JOIN org_unit pu ON pu.id = p.unit_id
         JOIN indicator i ON i.id = t.indicator_id
        WHERE ${inSubtreeOrAncestor("p.unit_path", "$1")}
        ORDER BY t.plan_id, i.sort_order, i.code`,
      [ctx.actor.scopePaths, [...planIds]],
    );
    if (rows.length === 0) return planIds.map(() => []);
    const targets = await EffectiveTargetService.forPlans(ctx, [...new Set(rows.map((r) => r.plan_id))], [...new Set(rows.map((r) => r.indicator_id))]);
    const byPlan = new Map<string, QuotaSplit[]>();
    for (const r of rows) {
      const list = byPlan.get(r.plan_id) ?? [];
      list.push(QuotaService.split(r, targets.get(`${r.plan_id}:${r.indicator_id}`) ?? null));
      byPlan.set(r.plan_id, list);
    }
    return planIds.map((id) => byPlan.get(id) ?? []);
  }

  private static split(r: SplitRow, target: EffectiveTarget | null): QuotaSplit {
    const j = judgeQuotas(target?.value ?? null, { sum: Number(r.total), named: r.named, children: r.children, withoutQuota: r.without_quota });
    return Object.assign(new QuotaSplit(), {
      planId: r.plan_id,
      planDocument: r.document_number,
      unitCode: r.unit_code,
      indicatorCode: r.indicator_code,
      unit: r.quantity_unit,
      target: target ? toEffectiveTargetView(target) : null,
      quotas: (r.quotas ?? []).map((q) =>
        Object.assign(new QuotaView(), {
          unitCode: q.unitCode,
          unitName: q.unitName,
          quantity: Number(q.quantity),
          value: toTargetValueView({ kind: q.kind, quantity: Number(q.quantity), unit: r.quantity_unit }),
        }),
      ),
      sum: j.sum,
      required: j.required,
      shortfall: j.shortfall,
      excess: j.excess,
      meets: j.meets,
      named: j.named,
      children: j.children,
      withoutQuotaCount: j.withoutQuota,
      unitsWithoutQuota: (r.without ?? []).map((u) => Object.assign(new UnitWithoutQuota(), u)),
      explanation: j.explanation,
    });
  }

  /**
   * For a change to one plan's targets or figures: the quotas naming its unit up its parent chain, its planning
   * figures, its unit's latest reported denominators and the kinds of the quotas it gives out. One statement.
   */
  static async contextFor(ctx: AuthedContext, plan: Plan, indicatorIds: number[]): Promise<PlanQuantityContext> {
    const rows = await ctx.db.query<{
      what: "quota" | "figure" | "reported" | "given";
      indicator_id: number;
      kind: TargetKind | null;
      amount: string;
      plan_id: string | null;
      document_number: string | null;
      title: string | null;
      unit_id: number | null;
      unit_code: string | null;
      unit_name: string | null;
      period: string | null;
      quantity_unit: UnitOfMeasure | null;
    }>(
      `WITH RECURSIVE up AS (
         SELECT p.parent_plan_id AS plan_id, 1 AS depth FROM plan p WHERE p.id = $1 AND p.parent_plan_id IS NOT NULL
         UNION ALL
         SELECT p.parent_plan_id, up.depth + 1 FROM up JOIN plan p ON p.id = up.plan_id WHERE p.parent_plan_id IS NOT NULL AND up.depth < 32
       ), near AS (
         SELECT DISTINCT ON (q.indicator_id) q.indicator_id, q.kind, q.quantity, q.plan_id
           FROM up JOIN target_quota q ON q.plan_id = up.plan_id AND q.unit_id = $2
          WHERE q.indicator_id = ANY($3::int[])
          ORDER BY q.indicator_id, up.depth
       )
       SELECT 'quota' AS what, n.indicator_id, n.kind, n.quantity AS amount, n.plan_id, qp.document_number, qp.title, qu.id AS unit_id,
              qu.code AS unit_code, qu.name AS unit_name, NULL AS period, ${QUANTITY_UNIT("i")} AS quantity_unit
         FROM near n JOIN plan qp ON qp.id = n.plan_id JOIN org_unit qu ON qu.id = qp.unit_id JOIN indicator i ON i.id = n.indicator_id
       UNION ALL
       SELECT 'figure', f.indicator_id, NULL, f.denominator, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
         FROM plan_figure f WHERE f.plan_id = $1 AND f.indicator_id = ANY($3::int[])
       UNION ALL
       SELECT 'reported', i.id, NULL, s.denominator_sum, NULL, NULL, NULL, NULL, NULL, NULL, s.period_code, NULL
         FROM indicator i CROSS JOIN LATERAL (
           SELECT s.denominator_sum, s.period_code FROM report_summary s
            WHERE s.unit_id = $2 AND s.indicator_id = i.id AND s.denominator_sum > 0 AND left(s.period_code, 4) <= $4
            ORDER BY ${LATEST_SUMMARY_ORDER("s")} LIMIT 1) s
        WHERE i.id = ANY($3::int[]) AND i.value_kind = 'ratio'
       UNION ALL
       SELECT 'given', q.indicator_id, min(q.kind), count(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
         FROM target_quota q WHERE q.plan_id = $1 AND q.indicator_id = ANY($3::int[])
        GROUP BY q.indicator_id`,
      [plan.id, plan.unitId, indicatorIds, plan.periodEnd.slice(0, 4)],
    );
    const c: PlanQuantityContext = { quotas: new Map(), figures: new Map(), reported: new Map(), givenKinds: new Map() };
    for (const r of rows) {
      if (r.what === "quota") {
        c.quotas.set(r.indicator_id, {
          value: { kind: r.kind!, quantity: Number(r.amount), unit: r.quantity_unit },
          planId: r.plan_id!,
          planDocument: r.document_number,
          planTitle: r.title,
          unitId: r.unit_id!,
          unitCode: r.unit_code!,
          unitName: r.unit_name,
        });
      } else if (r.what === "figure") c.figures.set(r.indicator_id, Number(r.amount));
      else if (r.what === "reported") c.reported.set(r.indicator_id, { value: Number(r.amount), source: "reported", period: r.period });
      else c.givenKinds.set(r.indicator_id, r.kind!);
    }
    return c;
  }

  /**
   * Splits the plan's quantity target for an indicator into quotas for named children of its unit (on the
   * plan's dates), all or nothing, audited, under the plan's version. Every bad input is a coded error naming
   * the field, with nothing written.
   */
  static async assign(ctx: AuthedContext, input: AssignQuotasInput): Promise<QuotaSplit> {
    const reason = checkAuditReason(input.reason);
    const plan = await PlanService.forEdit(ctx, input.planId, "input.planId");
    if (plan.version !== input.version) {
      throw new ConflictError(t("target:planChanged", { version: input.version, current: plan.version }), {
        field: "input.version",
        planId: plan.id,
        currentVersion: plan.version,
      });
    }
    const indicator = await TargetService.indicator(ctx, input.indicator, "input.indicator");
    const target = (await EffectiveTargetService.forPlans(ctx, [plan.id], [indicator.id])).get(`${plan.id}:${indicator.id}`) ?? null;
    if (!target || !isQuantityKind(target.value.kind)) {
      throw new BadUserInputError(
        target
          ? t("target:quota.noQuantityTargetIs", { indicator: indicator.code, target: describeTarget(target.value) })
          : t("target:quota.noQuantityTarget", { indicator: indicator.code }),
        "input.indicator",
      );
    }
    const problem = checkQuotaList(input.quotas, indicator.quantity_unit);
    if (problem) throw new BadUserInputError(problem.message, `input.quotas.${problem.index}.${problem.field}`);
    const codes = input.quotas.map((q) => q.unitCode.trim().toUpperCase());
    const children = await ctx.db.query<{ id: number; code: string }>(
      `SELECT DISTINCT ON (c.code) c.id, c.code FROM plan p JOIN org_unit c ON ${CHILDREN("p", "c")}
        WHERE p.id = $1 AND c.code = ANY($2::text[])
        ORDER BY c.code, c.valid_from`,
      [plan.id, codes],
    );
    const known = new Map(children.map((u) => [u.code, u.id]));
    const missing = codes.findIndex((c) => !known.has(c));
    if (missing >= 0) {
      const unit = await ctx.loaders.orgUnitById.load(plan.unitId);
      throw new BadUserInputError(
        t("target:quota.notChild", {
          code: input.quotas[missing]!.unitCode,
          unit: unit?.name ?? t("target:quota.planUnit"),
          start: plan.periodStart,
          end: plan.periodEnd,
        }),
        `input.quotas.${missing}.unitCode`,
      );
    }
    const version = await PlanService.bumpVersion(ctx, plan, input.version);
    const rows = codes.map((code, i) => ({ unit_id: known.get(code)!, unit_code: code, quantity: input.quotas[i]!.quantity }));
    await ctx.db.query(
      `WITH input AS (SELECT * FROM jsonb_to_recordset($3::jsonb) AS x(unit_id int, unit_code text, quantity numeric)),
       old AS (
         SELECT coalesce(jsonb_object_agg(u.code, q.quantity ORDER BY u.code), '{}'::jsonb) AS quotas
           FROM target_quota q JOIN org_unit u ON u.id = q.unit_id WHERE q.plan_id = $1 AND q.indicator_id = $2
       ),
       del AS (DELETE FROM target_quota WHERE plan_id = $1 AND indicator_id = $2 RETURNING unit_id),
       ins AS (
         INSERT INTO target_quota (plan_id, indicator_id, unit_id, kind, quantity, assigned_by)
         SELECT $1, $2, unit_id, $4, quantity, $5 FROM input
         ON CONFLICT (plan_id, indicator_id, unit_id) DO UPDATE
           SET kind = EXCLUDED.kind, quantity = EXCLUDED.quantity, assigned_by = EXCLUDED.assigned_by, assigned_at = now()
         RETURNING unit_id
       )
       ${insertAudit(
         {
           actor: "$5",
           action: "target.quotas",
           entity: "target_quota",
           entityId: "$1::text || ':' || $6",
           planId: "$1",
           unitPath: "$7",
           oldValue: "jsonb_build_object('quotas', old.quotas, 'planVersion', $9::int - 1)",
           newValue: `jsonb_build_object('splitOf', jsonb_build_object('kind', $4::text, 'quantity', ($10::jsonb)->'quantity'), 'quotas',
                        (SELECT coalesce(jsonb_object_agg(unit_code, quantity ORDER BY unit_code), '{}'::jsonb) FROM input), 'planVersion', $9::int)`,
           reason: "$8",
           requestId: "$11",
         },
         "FROM old",
       )}`,
      [plan.id, indicator.id, JSON.stringify(rows), target.value.kind, ctx.actor.subject, indicator.code, plan.unitPath, reason, version,
       JSON.stringify({ quantity: target.value.quantity }), ctx.requestId],
    );
    const [splits] = await QuotaService.forPlans(ctx, [plan.id]);
    const split = splits!.find((s) => s.indicatorCode === indicator.code);
    if (split) return split;
    // every quota removed: judge the empty split
    const [counts] = await ctx.db.query<{ children: number; without: Array<{ unitCode: string; unitName: string }> | null; unit_code: string }>(
      `SELECT (SELECT count(DISTINCT c.code)::int FROM org_unit c WHERE ${CHILDREN("p", "c")}) AS children,
              (SELECT json_agg(json_build_object('unitCode', k.code, 'unitName', k.name) ORDER BY k.code)
                 FROM (SELECT DISTINCT ON (c.code) c.code, c.name FROM org_unit c WHERE ${CHILDREN("p", "c")} ORDER BY c.code, c.valid_from) k) AS without,
              pu.code AS unit_code
         FROM plan p JOIN org_unit pu ON pu.id = p.unit_id WHERE p.id = $1`,
      [plan.id],
    );
    return QuotaService.split(
      {
        plan_id: plan.id,
        document_number: plan.documentNumber,
        unit_code: counts!.unit_code,
        indicator_id: indicator.id,
        indicator_code: indicator.code,
        quantity_unit: indicator.quantity_unit,
        named: 0,
        total: "0",
        children: counts!.children,
        without_quota: counts!.children,
        quotas: [],
        without: counts!.without,
      },
      target,
    );
  }
}

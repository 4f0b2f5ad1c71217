import type { AuthedContext } from "../context";
import { inSubtreeOrAncestor } from "../auth/scope";
import { PlanService } from "../plan/plan.service";
import type { DenominatorSource, Direction, FrequencyInterval, TargetKind, UnitOfMeasure } from "../common/enums";
import { QUANTITY_UNIT } from "../indicator/indicator.service";
import { DENOMINATOR_LATERAL, UNITS_AT_LEVEL, denominatorOfRow, valueOfRow } from "./effective-target.service";
import { compareTargets, mayStand, type Comparison } from "./target.rules";
import { compareWithQuota } from "./quota.rules";
import { QuotaService } from "./quota.service";
import type { TargetValue } from "./target.model";
import { TargetAssignmentService } from "./target-assignment.service";
import { ComplianceReport, TargetFinding, UnitWithoutPlan } from "./target-compliance.types";
import { toComparisonView, toTargetValueView } from "./target.types";

/** The plans of a subtree: `planId` and every plan implementing it, recursively, within the caller's scope. */
const SUBTREE = `sub AS (
    SELECT p.id, p.parent_plan_id, 0 AS depth FROM plan p WHERE p.id = $2 AND ${inSubtreeOrAncestor("p.unit_path", "$1")}
    UNION ALL
    SELECT c.id, c.parent_plan_id, s.depth + 1 FROM sub s JOIN plan c ON c.parent_plan_id = s.id
     WHERE s.depth < 32 AND ${inSubtreeOrAncestor("c.unit_path", "$1")}
  )`;

interface PairRow {
  plan_id: string;
  plan_document: string | null;
  unit_code: string;
  unit_name: string;
  indicator_code: string;
  direction: Direction;
  kind: TargetKind;
  share: string | null;
  count: number | null;
  frequency_interval: FrequencyInterval | null;
  change_low: string | null;
  change_high: string | null;
  deadline: string | null;
  quantity: string | null;
  quantity_unit: UnitOfMeasure | null;
  p_kind: TargetKind | null;
  p_share: string | null;
  p_count: number | null;
  p_frequency_interval: FrequencyInterval | null;
  p_change_low: string | null;
  p_change_high: string | null;
  p_deadline: string | null;
  p_quantity: string | null;
  parent_plan_id: string | null;
  parent_document: string | null;
  parent_unit_code: string | null;
  unit_count: string | null;
  q_kind: TargetKind | null;
  q_quantity: string | null;
  quota_plan_id: string | null;
  quota_document: string | null;
  quota_unit_code: string | null;
  den_value: string | null;
  den_source: DenominatorSource | null;
  den_period: string | null;
}

/**
 * The compliance report of a plan and its whole subtree of plans: own targets looser than (or of a kind that
 * cannot be compared with) the parent's effective target or the unit's quota, quantities against shares that
 * cannot be compared for want of a denominator, assignments that miss the plan's own target, quota splits that
 * do not add up, child units with no plan for the period. A fixed number of statements however large the
 * subtree (one per finding type, plus the assignments' and quota splits' effective targets; the quota splits
 * only where the subtree has quotas).
 */
export class TargetComplianceService {
  static async report(ctx: AuthedContext, planId: string): Promise<ComplianceReport> {
    const plan = await PlanService.byId(ctx, planId, "planId");
    const params = [ctx.actor.scopePaths, plan.id];

    // 1. every own target of the subtree with its parent plan's effective target (nearest up the chain), and with
    //    the quota of its unit from a plan up the chain (nearest), with the plan's denominator where a quantity
    //    meets a share
    const pairs = await ctx.db.query<PairRow>(
      `WITH RECURSIVE ${SUBTREE},
       up AS (
         SELECT s.id AS plan_id, s.parent_plan_id AS anc_id, 1 AS depth FROM sub s
          WHERE s.parent_plan_id IS NOT NULL AND EXISTS (SELECT 1 FROM target t WHERE t.plan_id = s.id)
         UNION ALL
         SELECT up.plan_id, p.parent_plan_id, up.depth + 1 FROM up JOIN plan p ON p.id = up.anc_id
          WHERE p.parent_plan_id IS NOT NULL AND up.depth < 32
       ),
       parent_hit AS (
         SELECT DISTINCT ON (up.plan_id, t.indicator_id) up.plan_id, up.anc_id, t.indicator_id, t.kind, t.share, t.count,
                t.frequency_interval, t.change_low, t.change_high, t.deadline, t.quantity
           FROM up JOIN target t ON t.plan_id = up.anc_id
          ORDER BY up.plan_id, t.indicator_id, up.depth
       ),
       quota_hit AS (
         SELECT DISTINCT ON (up.plan_id, q.indicator_id) up.plan_id, up.anc_id, q.indicator_id, q.kind, q.quantity
           FROM up JOIN plan sp ON sp.id = up.plan_id JOIN target_quota q ON q.plan_id = up.anc_id AND q.unit_id = sp.unit_id
          ORDER BY up.plan_id, q.indicator_id, up.depth
       )
       SELECT o.plan_id, p.document_number AS plan_document, u.code AS unit_code, u.name AS unit_name,
              i.code AS indicator_code, i.direction, ${QUANTITY_UNIT("i")} AS quantity_unit,
              o.kind, o.share, o.count, o.frequency_interval, o.change_low, o.change_high, to_char(o.deadline, 'YYYY-MM-DD') AS deadline, o.quantity,
              ph.kind AS p_kind, ph.share AS p_share, ph.count AS p_count, ph.frequency_interval AS p_frequency_interval,
              ph.change_low AS p_change_low, ph.change_high AS p_change_high, to_char(ph.deadline, 'YYYY-MM-DD') AS p_deadline, ph.quantity AS p_quantity,
              ph.anc_id AS parent_plan_id, pp.document_number AS parent_document, ppu.code AS parent_unit_code,
              CASE WHEN (o.kind LIKE 'count%') <> (ph.kind LIKE 'count%')
                   THEN ${UNITS_AT_LEVEL("u.id", "i.reporting_level", "p.period_start", "p.period_end")} END AS unit_count,
              qh.kind AS q_kind, qh.quantity AS q_quantity, qh.anc_id AS quota_plan_id, qp.document_number AS quota_document, qpu.code AS quota_unit_code,
              d.den_value, d.den_source, d.den_period
         FROM sub s
         JOIN target o ON o.plan_id = s.id
         LEFT JOIN parent_hit ph ON ph.plan_id = o.plan_id AND ph.indicator_id = o.indicator_id
         LEFT JOIN quota_hit qh ON qh.plan_id = o.plan_id AND qh.indicator_id = o.indicator_id
         JOIN plan p ON p.id = o.plan_id
         JOIN org_unit u ON u.id = p.unit_id
         JOIN indicator i ON i.id = o.indicator_id
         LEFT JOIN plan pp ON pp.id = ph.anc_id
         LEFT JOIN org_unit ppu ON ppu.id = pp.unit_id
         LEFT JOIN plan qp ON qp.id = qh.anc_id
         LEFT JOIN org_unit qpu ON qpu.id = qp.unit_id
         LEFT JOIN ${DENOMINATOR_LATERAL({
           planId: "o.plan_id",
           unitId: "u.id",
           indicatorId: "o.indicator_id",
           lastYear: "to_char(p.period_end, 'YYYY')",
           when: "(o.kind LIKE 'quantity%' AND ph.kind LIKE 'share%') OR (qh.kind IS NOT NULL AND o.kind LIKE 'share%')",
         })} d ON true
        WHERE ph.plan_id IS NOT NULL OR qh.plan_id IS NOT NULL
        ORDER BY u.path, p.period_start, i.sort_order`,
      params,
    );
    const looserTargets: TargetFinding[] = [];
    const kindMismatches: TargetFinding[] = [];
    const notComparable: TargetFinding[] = [];
    const file = (r: PairRow, value: TargetValue, against: { value: TargetValue; planId: string; document: string | null; unitCode: string }, c: Comparison, quota: boolean) => {
      if (c.verdict === "not_compared" || (mayStand(c) && c.verdict !== "not_comparable")) return;
      const finding = Object.assign(new TargetFinding(), {
        planId: r.plan_id,
        planDocument: r.plan_document,
        unitCode: r.unit_code,
        unitName: r.unit_name,
        indicatorCode: r.indicator_code,
        value: toTargetValueView(value),
        parentValue: toTargetValueView(against.value),
        parentPlanId: against.planId,
        parentPlanDocument: against.document,
        parentUnitCode: against.unitCode,
        againstQuota: quota,
        comparison: toComparisonView(c),
      });
      (c.verdict === "looser" ? looserTargets : c.verdict === "not_comparable" ? notComparable : kindMismatches).push(finding);
    };
    for (const r of pairs) {
      const value = valueOfRow(r);
      const denominator = denominatorOfRow(r);
      if (r.p_kind && r.parent_plan_id) {
        const parentValue = valueOfRow({
          kind: r.p_kind,
          share: r.p_share,
          count: r.p_count,
          frequency_interval: r.p_frequency_interval,
          change_low: r.p_change_low,
          change_high: r.p_change_high,
          deadline: r.p_deadline,
          quantity: r.p_quantity,
          quantity_unit: r.quantity_unit,
        });
        const c = compareTargets(value, parentValue, r.direction, r.unit_count === null ? null : Number(r.unit_count), denominator);
        file(r, value, { value: parentValue, planId: r.parent_plan_id, document: r.parent_document, unitCode: r.parent_unit_code! }, c, false);
      }
      if (r.q_kind && r.quota_plan_id) {
        const quota: TargetValue = { kind: r.q_kind, quantity: Number(r.q_quantity), unit: r.quantity_unit };
        const c = compareWithQuota(value, quota, denominator);
        file(r, value, { value: quota, planId: r.quota_plan_id, document: r.quota_document, unitCode: r.quota_unit_code! }, c, true);
      }
    }

    // 2. the subtree's plans, and which of their child units have no plan overlapping their period
    const planRows = await ctx.db.query<{ id: string; kind: string; plan_document: string | null; plan_unit_code: string; unit_code: string | null; unit_name: string | null; period_start: string; period_end: string }>(
      `WITH RECURSIVE ${SUBTREE}
       SELECT s.id, CASE WHEN EXISTS (SELECT 1 FROM target_quota q WHERE q.plan_id = s.id) THEN 'plan with quotas' ELSE 'plan' END AS kind,
              NULL AS plan_document, NULL AS plan_unit_code, NULL AS unit_code, NULL AS unit_name,
              NULL AS period_start, NULL AS period_end
         FROM sub s
       UNION ALL
       SELECT p.id, 'missing', p.document_number, pu.code, c.code, c.name,
              to_char(p.period_start, 'YYYY-MM-DD'), to_char(p.period_end, 'YYYY-MM-DD')
         FROM sub s
         JOIN plan p ON p.id = s.id
         JOIN org_unit pu ON pu.id = p.unit_id
         JOIN org_unit c ON c.parent_id = p.unit_id
        WHERE c.valid_from <= p.period_end AND (c.valid_to IS NULL OR c.valid_to > p.period_start)
          AND ${inSubtreeOrAncestor("c.path", "$1")}
          AND NOT EXISTS (SELECT 1 FROM plan q WHERE q.unit_id = c.id AND q.period_start <= p.period_end AND q.period_end >= p.period_start)`,
      params,
    );
    const planIds = planRows.filter((r) => r.kind.startsWith("plan")).map((r) => r.id);
    const withQuotas = planRows.filter((r) => r.kind === "plan with quotas").map((r) => r.id);
    const unitsWithoutPlan = planRows
      .filter((r) => r.kind === "missing")
      .sort((a, b) => (a.plan_unit_code + a.period_start + a.unit_code!).localeCompare(b.plan_unit_code + b.period_start + b.unit_code!))
      .map((r) =>
        Object.assign(new UnitWithoutPlan(), {
          planId: r.id,
          planDocument: r.plan_document,
          planUnitCode: r.plan_unit_code,
          unitCode: r.unit_code!,
          unitName: r.unit_name!,
          periodStart: r.period_start,
          periodEnd: r.period_end,
        }),
      );

    // 3. assignments of the subtree judged against each plan's own effective target (two statements)
    const assignments = (await TargetAssignmentService.forPlans(ctx, planIds)).flat();
    const failingAssignments = assignments.filter((a) => a.meets === false);

    // 4. quota splits of the subtree that do not add up (two statements, only where the subtree has quotas)
    const splits = withQuotas.length > 0 ? (await QuotaService.forPlans(ctx, withQuotas)).flat() : [];
    const quotaShortfalls = splits.filter((q) => q.meets === false);

    return Object.assign(new ComplianceReport(), {
      plan,
      plansChecked: planIds.length,
      looserTargets,
      kindMismatches,
      notComparable,
      failingAssignments,
      quotaShortfalls,
      unitsWithoutPlan,
    });
  }
}

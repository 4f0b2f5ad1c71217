import type { AuthedContext } from "../context";
import { inSubtreeOrAncestor } from "../auth/scope";
import { PlanService } from "../plan/plan.service";
import type { Direction, FrequencyInterval, TargetKind } from "../common/enums";
import { UNITS_AT_LEVEL, valueOfRow } from "./effective-target.service";
import { compareTargets, mayStand } from "./target.rules";
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
  p_kind: TargetKind;
  p_share: string | null;
  p_count: number | null;
  p_frequency_interval: FrequencyInterval | null;
  p_change_low: string | null;
  p_change_high: string | null;
  p_deadline: string | null;
  parent_plan_id: string;
  parent_document: string | null;
  parent_unit_code: string;
  unit_count: string | null;
}

/**
 * The compliance report of a plan and its whole subtree of plans: own targets looser than (or not comparable
 * with) the parent's effective target, assignments that miss the plan's own target, child units with no plan
 * for the period. A fixed number of statements however large the subtree (one per finding type, plus the
 * assignments' effective targets).
 */
export class TargetComplianceService {
  static async report(ctx: AuthedContext, planId: string): Promise<ComplianceReport> {
    const plan = await PlanService.byId(ctx, planId, "planId");
    const params = [ctx.actor.scopePaths, plan.id];

    // 1. every own target of the subtree with its parent plan's effective target (nearest up the chain)
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
                t.frequency_interval, t.change_low, t.change_high, t.deadline
           FROM up JOIN target t ON t.plan_id = up.anc_id
          ORDER BY up.plan_id, t.indicator_id, up.depth
       )
       SELECT o.plan_id, p.document_number AS plan_document, u.code AS unit_code, u.name AS unit_name,
              i.code AS indicator_code, i.direction,
              o.kind, o.share, o.count, o.frequency_interval, o.change_low, o.change_high, to_char(o.deadline, 'YYYY-MM-DD') AS deadline,
              ph.kind AS p_kind, ph.share AS p_share, ph.count AS p_count, ph.frequency_interval AS p_frequency_interval,
              ph.change_low AS p_change_low, ph.change_high AS p_change_high, to_char(ph.deadline, 'YYYY-MM-DD') AS p_deadline,
              ph.anc_id AS parent_plan_id, pp.document_number AS parent_document, ppu.code AS parent_unit_code,
              CASE WHEN (o.kind LIKE 'count%') <> (ph.kind LIKE 'count%')
                   THEN ${UNITS_AT_LEVEL("u.id", "i.reporting_level", "p.period_start", "p.period_end")} END AS unit_count
         FROM sub s
         JOIN target o ON o.plan_id = s.id
         JOIN parent_hit ph ON ph.plan_id = o.plan_id AND ph.indicator_id = o.indicator_id
         JOIN plan p ON p.id = o.plan_id
         JOIN org_unit u ON u.id = p.unit_id
         JOIN indicator i ON i.id = o.indicator_id
         JOIN plan pp ON pp.id = ph.anc_id
         JOIN org_unit ppu ON ppu.id = pp.unit_id
        ORDER BY u.path, p.period_start, i.sort_order`,
      params,
    );
    const looserTargets: TargetFinding[] = [];
    const kindMismatches: TargetFinding[] = [];
    for (const r of pairs) {
      const value = valueOfRow(r);
      const parentValue = valueOfRow({
        kind: r.p_kind,
        share: r.p_share,
        count: r.p_count,
        frequency_interval: r.p_frequency_interval,
        change_low: r.p_change_low,
        change_high: r.p_change_high,
        deadline: r.p_deadline,
      });
      const c = compareTargets(value, parentValue, r.direction, r.unit_count === null ? null : Number(r.unit_count));
      if (mayStand(c)) continue;
      const finding = Object.assign(new TargetFinding(), {
        planId: r.plan_id,
        planDocument: r.plan_document,
        unitCode: r.unit_code,
        unitName: r.unit_name,
        indicatorCode: r.indicator_code,
        value: toTargetValueView(value),
        parentValue: toTargetValueView(parentValue),
        parentPlanId: r.parent_plan_id,
        parentPlanDocument: r.parent_document,
        parentUnitCode: r.parent_unit_code,
        comparison: toComparisonView(c),
      });
      (c.verdict === "looser" ? looserTargets : kindMismatches).push(finding);
    }

    // 2. the subtree's plans, and which of their child units have no plan overlapping their period
    const planRows = await ctx.db.query<{ id: string; kind: string; plan_document: string | null; plan_unit_code: string; unit_code: string | null; unit_name: string | null; period_start: string; period_end: string }>(
      `WITH RECURSIVE ${SUBTREE}
       SELECT s.id, 'plan' AS kind, NULL AS plan_document, NULL AS plan_unit_code, NULL AS unit_code, NULL AS unit_name,
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
    const planIds = planRows.filter((r) => r.kind === "plan").map((r) => r.id);
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

    return Object.assign(new ComplianceReport(), {
      plan,
      plansChecked: planIds.length,
      looserTargets,
      kindMismatches,
      failingAssignments,
      unitsWithoutPlan,
    });
  }
}

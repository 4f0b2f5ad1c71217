import type { AuthedContext } from "../context";
import { RefusalReason, type Direction, type FrequencyInterval, type PlanStatus, type TargetKind } from "../common/enums";
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from "../common/errors";
import { checkAuditReason } from "../common/text";
import { t } from "../i18n/i18n";
import { inSubtreeOrAncestor } from "../auth/scope";
import { insertAudit } from "../audit/audit.writer";
import { EffectiveTargetService, valueOfRow } from "../target/effective-target.service";
import { TargetService } from "../target/target.service";
import type { TargetValue } from "../target/target.model";
import { compareTargets, mayStand, type Comparison } from "../target/target.rules";
import { TargetRefusal } from "../target/target.results";
import { toComparisonView, toTargetValueView } from "../target/target.types";
import type { Plan } from "./plan.model";
import { PlanService, SELECT_PLAN } from "./plan.service";
import type { ActivatePlanInput, AttachPlanInput, ClosePlanInput, SupersedePlanInput } from "./plan.inputs";
import {
  approverOf,
  checkActivation,
  checkAttach,
  checkSupersede,
  checkTransition,
  findOverlap,
  mayApprove,
  overlapMessage,
  type LifecycleProblem,
} from "./plan.lifecycle.rules";
import { planLabel, planName } from "./plan.naming";
import { mayEditPlansOf } from "./plan.rules";
import {
  LooserTargetsRefused,
  PlanActivated,
  PlanAttached,
  PlanException,
  PlanRefusals,
  PlanSuperseded,
  type ExceptionOccasion,
} from "./plan.lifecycle.types";

/** A plan with what its life cycle needs: its unit, its parent plan, the plans above it. */
export interface LifecyclePlan extends Plan {
  unitParentId: number | null;
  unitCode: string;
  unitName: string;
  parentUnitId: number | null;
  parentUnitCode: string | null;
  parentStatus: PlanStatus | null;
  parentDocument: string | null;
  parentTitle: string | null;
  ancestorIds: string[];
}

const SELECT_LIFECYCLE = `${SELECT_PLAN}, u.parent_id AS "unitParentId", u.code AS "unitCode", u.name AS "unitName",
  pp.unit_id AS "parentUnitId", ppu.code AS "parentUnitCode", pp.status AS "parentStatus",
  pp.document_number AS "parentDocument", pp.title AS "parentTitle", plan_ancestor_ids(p.id)::text[] AS "ancestorIds"
  FROM plan p JOIN org_unit u ON u.id = p.unit_id
  LEFT JOIN plan pp ON pp.id = p.parent_plan_id LEFT JOIN org_unit ppu ON ppu.id = pp.unit_id`;

/** One own target that may not stand under the parent's effective target, with what an exception keeps of it. */
interface Finding {
  planId: string;
  unitPath: string;
  parentPlanId: string;
  indicatorId: number;
  value: TargetValue;
  parentValue: TargetValue;
  comparison: Comparison;
  refusal: TargetRefusal;
}

interface OwnTargetRow {
  plan_id: string;
  indicator_id: number;
  indicator_code: string;
  direction: Direction;
  kind: TargetKind;
  share: string | null;
  count: number | null;
  frequency_interval: FrequencyInterval | null;
  change_low: string | null;
  change_high: string | null;
  deadline: string | null;
}

interface ExceptionRow {
  id: string;
  plan_id: string;
  plan_document: string | null;
  unit_code: string;
  indicator_code: string;
  refusal: RefusalReason;
  occasion: ExceptionOccasion;
  value: TargetValue;
  parent_value: TargetValue;
  comparison: Comparison;
  parent_plan_id: string;
  source_plan_id: string;
  source_document: string | null;
  reason: string;
  recorded_by: string;
  recorded_at: Date;
}

const EXCEPTION_COLUMNS = `e.id, e.plan_id, p.document_number AS plan_document, u.code AS unit_code, i.code AS indicator_code,
  e.refusal, e.occasion, e.value, e.parent_value, e.comparison, e.parent_plan_id, e.source_plan_id,
  sp.document_number AS source_document, e.reason, e.recorded_by, e.recorded_at
  FROM plan_exception e JOIN plan p ON p.id = e.plan_id JOIN org_unit u ON u.id = p.unit_id
  JOIN indicator i ON i.id = e.indicator_id LEFT JOIN plan sp ON sp.id = e.source_plan_id`;

function toException(r: ExceptionRow): PlanException {
  return Object.assign(new PlanException(), {
    id: r.id,
    planId: r.plan_id,
    planDocument: r.plan_document,
    unitCode: r.unit_code,
    indicatorCode: r.indicator_code,
    refusal: r.refusal,
    occasion: r.occasion,
    value: toTargetValueView(r.value),
    parentValue: toTargetValueView(r.parent_value),
    comparison: toComparisonView(r.comparison),
    parentPlanId: r.parent_plan_id,
    sourcePlanId: r.source_plan_id,
    sourcePlanDocument: r.source_document,
    reason: r.reason,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at,
  });
}

/** A refusal of a rule, as the error its code says. */
function raise(problem: LifecycleProblem | null, details: Record<string, unknown> = {}): void {
  if (!problem) return;
  if (problem.code === "BAD_USER_INPUT") throw new BadUserInputError(problem.message, problem.field, details);
  throw new ConflictError(problem.message, { field: problem.field, ...details });
}

/** The plan_lifecycle trigger refused a write another request got in before (the checks above passed): CONFLICT. */
function fromDatabase(error: unknown, field: string): never {
  const e = error as { constraint?: string; message?: string; code?: string } | null;
  if (e?.constraint === "plan_lifecycle") {
    // the trigger's own text is English and names plans as the database knows them: say it in the catalog's words
    throw new ConflictError(t("plan:lifecycleRace"), { field });
  }
  throw error;
}

/**
 * A plan's life cycle: DRAFT → ACTIVE → CLOSED, or SUPERSEDED by a named plan; attaching a plan with no parent
 * to an approved parent; the tightening check on attaching and activating, and the exceptions recorded when
 * looser targets are let stand. Every change takes the plan's version and a reason, and is audited; a refusal
 * writes nothing (the checks all run before the one statement that writes).
 */
export class PlanLifecycleService {
  // ---------------------------------------------------------------- reads

  static async load(ctx: AuthedContext, planId: string, field: string): Promise<LifecyclePlan> {
    const id = PlanService.checkId(planId, field);
    const [row] = await ctx.db.query<LifecyclePlan>(`SELECT ${SELECT_LIFECYCLE} WHERE p.id = $2 AND ${inSubtreeOrAncestor("p.unit_path", "$1")}`, [
      ctx.actor.scopePaths,
      id,
    ]);
    if (!row) throw new NotFoundError("Plan", planId);
    return row;
  }

  static async exceptionsOf(ctx: AuthedContext, planIds: readonly string[]): Promise<PlanException[]> {
    if (planIds.length === 0) return [];
    const rows = await ctx.db.query<ExceptionRow>(
      `SELECT ${EXCEPTION_COLUMNS} WHERE e.plan_id = ANY($2::uuid[]) AND ${inSubtreeOrAncestor("e.unit_path", "$1")}
        ORDER BY u.path, e.recorded_at, i.sort_order`,
      [ctx.actor.scopePaths, [...planIds]],
    );
    return rows.map(toException);
  }

  /** The exceptions of a plan and of every plan below it (within the caller's scope): the compliance report's. */
  static async exceptionsOfSubtree(ctx: AuthedContext, planId: string): Promise<PlanException[]> {
    const rows = await ctx.db.query<ExceptionRow>(
      `WITH RECURSIVE sub AS (
         SELECT p.id, 0 AS depth FROM plan p WHERE p.id = $2 AND ${inSubtreeOrAncestor("p.unit_path", "$1")}
         UNION ALL
         SELECT c.id, s.depth + 1 FROM sub s JOIN plan c ON c.parent_plan_id = s.id
          WHERE s.depth < 32 AND ${inSubtreeOrAncestor("c.unit_path", "$1")}
       )
       SELECT ${EXCEPTION_COLUMNS} WHERE e.plan_id IN (SELECT id FROM sub) AND ${inSubtreeOrAncestor("e.unit_path", "$1")}
        ORDER BY u.path, e.recorded_at, i.sort_order`,
      [ctx.actor.scopePaths, planId],
    );
    return rows.map(toException);
  }

  // ---------------------------------------------------------------- checks

  /** FORBIDDEN unless the caller approves the plan (activates, closes, supersedes it). */
  static requireApprover(ctx: AuthedContext, plan: LifecyclePlan): void {
    if (mayApprove(ctx.actor, { unitId: plan.unitId, parentPlanUnitId: plan.parentUnitId })) return;
    const approver = approverOf({ unitId: plan.unitId, parentPlanUnitId: plan.parentUnitId });
    const who =
      approver.role === "ADMIN"
        ? t("plan:approverAdmin", { unit: plan.unitName, code: plan.unitCode })
        : t("plan:approverPlanner", { code: plan.parentUnitCode, parent: planName({ documentNumber: plan.parentDocument, title: plan.parentTitle ?? "" }) });
    throw new ForbiddenError(t("plan:approverForbidden", { plan: planName(plan), who }), { planId: plan.id });
  }

  /** Serializes activations of one unit's plans of one program (the plan_lifecycle trigger takes the same lock). */
  static async lockUnit(ctx: AuthedContext, plan: { programId: number; unitId: number }): Promise<void> {
    await ctx.db.query(`SELECT pg_advisory_xact_lock(hashtextextended('plan_active:' || $1::text || ':' || $2::text, 0))`, [plan.programId, plan.unitId]);
  }

  /** CONFLICT naming the plan of the same unit and program that would be active beside `plan` (ancestorIds: as it will be). */
  static async refuseOverlap(ctx: AuthedContext, plan: LifecyclePlan, ancestorIds: string[], ignore: string[] = []): Promise<void> {
    await PlanLifecycleService.lockUnit(ctx, plan);
    const others = await ctx.db.query<LifecyclePlan>(
      `SELECT ${SELECT_LIFECYCLE}
        WHERE p.unit_id = $2 AND p.program_id = $3 AND p.status = 'active' AND p.id <> ALL($6::uuid[])
          AND p.period_start <= $5::date AND p.period_end >= $4::date AND ${inSubtreeOrAncestor("p.unit_path", "$1")}
        ORDER BY p.period_start, p.id`,
      [ctx.actor.scopePaths, plan.unitId, plan.programId, plan.periodStart, plan.periodEnd, [plan.id, ...ignore]],
    );
    const clash = findOverlap({ ...plan, ancestorIds }, others);
    if (!clash) return;
    throw new ConflictError(overlapMessage(plan, clash, { code: clash.unitCode, name: clash.unitName }), {
      field: "input.planId",
      otherPlanId: clash.id,
      otherPlanDocument: clash.documentNumber,
      otherUnitCode: clash.unitCode,
    });
  }

  /**
   * The tightening check of `setTargets`, for whole plans: every own target of each plan against its (new) parent
   * plan's effective target (`compareTargets`: looser targets and kind mismatches may not stand). Two statements
   * plus one unit count per plan where a count meets a share.
   */
  static async tightening(ctx: AuthedContext, items: Array<{ plan: Plan; parentPlanId: string }>): Promise<Finding[]> {
    if (items.length === 0) return [];
    const own = await ctx.db.query<OwnTargetRow>(
      `SELECT t.plan_id, t.indicator_id, i.code AS indicator_code, i.direction, t.kind, t.share, t.count, t.frequency_interval,
              t.change_low, t.change_high, to_char(t.deadline, 'YYYY-MM-DD') AS deadline
         FROM target t JOIN indicator i ON i.id = t.indicator_id
        WHERE t.plan_id = ANY($1::uuid[]) ORDER BY i.sort_order, i.code`,
      [items.map((i) => i.plan.id)],
    );
    if (own.length === 0) return [];
    const parentIds = [...new Set(items.map((i) => i.parentPlanId))];
    const parents = await EffectiveTargetService.forPlans(ctx, parentIds, [...new Set(own.map((o) => o.indicator_id))]);
    const findings: Finding[] = [];
    const toWord: Array<{ refusal: TargetRefusal; plan: string; explanation: string; looser: boolean }> = [];
    const isCount = (kind: TargetKind) => kind.startsWith("count");
    for (const { plan, parentPlanId } of items) {
      const mine = own.filter((o) => o.plan_id === plan.id);
      const mixed = mine.filter((o) => {
        const p = parents.get(`${parentPlanId}:${o.indicator_id}`);
        return p && isCount(p.value.kind) !== isCount(o.kind);
      });
      const counts = mixed.length > 0 ? await TargetService.unitCounts(ctx, plan, mixed.map((o) => o.indicator_id)) : new Map<number, number>();
      for (const o of mine) {
        const parent = parents.get(`${parentPlanId}:${o.indicator_id}`);
        if (!parent) continue;
        const value = valueOfRow(o);
        const c = compareTargets(value, parent.value, o.direction, counts.get(o.indicator_id) ?? null);
        if (mayStand(c)) continue;
        const refusal = Object.assign(new TargetRefusal(), {
          indicatorCode: o.indicator_code,
          reason: c.verdict === "looser" ? RefusalReason.LOOSER_THAN_PARENT : RefusalReason.KIND_MISMATCH,
          message: "",
          requestedValue: toTargetValueView(value),
          parentValue: toTargetValueView(parent.value),
          parentPlanId: parent.sourcePlanId,
          parentPlanDocument: parent.sourcePlanDocument,
          parentUnitCode: parent.sourceUnitCode,
          comparison: toComparisonView(c),
        });
        toWord.push({ refusal, plan: planName(plan), explanation: c.explanation, looser: c.verdict === "looser" });
        findings.push({
          planId: plan.id,
          unitPath: plan.unitPath,
          parentPlanId,
          indicatorId: o.indicator_id,
          value,
          parentValue: parent.value,
          comparison: c,
          refusal,
        });
      }
    }
    // the plan that sets the parent value, as people know it: its document number and unit, never its id
    const unnamed = await PlanLifecycleService.undocumented(ctx, toWord.map((w) => w.refusal));
    for (const { refusal: r, plan, explanation, looser } of toWord) {
      const other = unnamed.get(r.parentPlanId);
      const source = r.parentPlanDocument
        ? `${r.parentPlanDocument} (${r.parentUnitCode})`
        : planLabel({ documentNumber: null, title: other?.title ?? "", unitName: other?.unitName });
      const params = { indicator: r.indicatorCode, plan, source, explanation };
      r.message = looser ? t("plan:targetLooser", params) : t("plan:targetNotComparable", params);
    }
    return findings;
  }

  /** Title and unit name of the source plans that have no document number (to name them without their id). */
  static async undocumented(
    ctx: AuthedContext,
    sources: ReadonlyArray<{ parentPlanId: string; parentPlanDocument?: string | null }>,
  ): Promise<Map<string, { title: string; unitName: string }>> {
    const ids = [...new Set(sources.filter((s) => !s.parentPlanDocument).map((s) => s.parentPlanId))];
    if (ids.length === 0) return new Map();
    const rows = await ctx.db.query<{ id: string; title: string; unitName: string }>(
      `SELECT p.id, p.title, u.name AS "unitName" FROM plan p JOIN org_unit u ON u.id = p.unit_id
        WHERE p.id = ANY($2::uuid[]) AND ${inSubtreeOrAncestor("p.unit_path", "$1")}`,
      [ctx.actor.scopePaths, ids],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  static refused(what: string, items: Array<{ plan: Plan; parentPlanId: string }>, findings: Finding[]): LooserTargetsRefused {
    const plans = items
      .map(({ plan, parentPlanId }) =>
        Object.assign(new PlanRefusals(), { plan, parentPlanId, refusals: findings.filter((f) => f.planId === plan.id).map((f) => f.refusal) }),
      )
      .filter((p) => p.refusals.length > 0);
    const params = { what, n: findings.length, list: findings.map((f) => f.refusal.indicatorCode).join(", ") };
    return Object.assign(new LooserTargetsRefused(), {
      message: findings.length === 1 ? t("plan:looserRefused.one", params) : t("plan:looserRefused.other", params),
      refusals: findings.map((f) => f.refusal),
      plans,
    });
  }

  /** Records each finding as an exception (one statement); returns them as read back. */
  static async recordExceptions(ctx: AuthedContext, occasion: ExceptionOccasion, reason: string, findings: Finding[]): Promise<PlanException[]> {
    if (findings.length === 0) return [];
    const rows = findings.map((f) => ({
      plan_id: f.planId,
      unit_path: f.unitPath,
      parent_plan_id: f.parentPlanId,
      source_plan_id: f.refusal.parentPlanId,
      indicator_id: f.indicatorId,
      refusal: f.refusal.reason,
      value: f.value,
      parent_value: f.parentValue,
      comparison: f.comparison,
    }));
    const ids = await ctx.db.query<{ id: string }>(
      `INSERT INTO plan_exception (plan_id, unit_path, parent_plan_id, source_plan_id, indicator_id, refusal, occasion, value,
                                   parent_value, comparison, reason, recorded_by, request_id)
       SELECT x.plan_id, x.unit_path, x.parent_plan_id, x.source_plan_id, x.indicator_id, x.refusal, $2, x.value, x.parent_value,
              x.comparison, $3, $4, $5
         FROM jsonb_to_recordset($1::jsonb) AS x(plan_id uuid, unit_path text, parent_plan_id uuid, source_plan_id uuid,
              indicator_id int, refusal text, value jsonb, parent_value jsonb, comparison jsonb)
       RETURNING id`,
      [JSON.stringify(rows), occasion, reason, ctx.actor.subject, ctx.requestId],
    );
    const read = await ctx.db.query<ExceptionRow>(`SELECT ${EXCEPTION_COLUMNS} WHERE e.id = ANY($1::uuid[]) ORDER BY u.path, i.sort_order`, [
      ids.map((r) => r.id),
    ]);
    return read.map(toException);
  }

  // ---------------------------------------------------------------- changes

  /** DRAFT → ACTIVE, by the plan's approver; checked against the parent; audited. */
  static async activate(ctx: AuthedContext, input: ActivatePlanInput): Promise<PlanActivated | LooserTargetsRefused> {
    const reason = checkAuditReason(input.reason);
    const plan = await PlanLifecycleService.load(ctx, input.planId, "input.planId");
    PlanLifecycleService.requireApprover(ctx, plan);
    PlanService.checkVersion(plan, input.version);
    const parent = plan.parentPlanId
      ? { id: plan.parentPlanId, status: plan.parentStatus!, documentNumber: plan.parentDocument, title: plan.parentTitle ?? "" }
      : null;
    raise(checkActivation(plan, parent), parent ? { parentPlanId: parent.id } : {});
    await PlanLifecycleService.refuseOverlap(ctx, plan, plan.ancestorIds);
    const items = plan.parentPlanId ? [{ plan, parentPlanId: plan.parentPlanId }] : [];
    const findings = await PlanLifecycleService.tightening(ctx, items);
    if (findings.length > 0 && !input.acceptLooser) return PlanLifecycleService.refused(t("plan:activating", { plan: planName(plan) }), items, findings);

    const rows = await ctx.db
      .query<{ id: string }>(
        `WITH u AS (
           UPDATE plan SET status = 'active', version = version + 1, updated_at = now(), status_changed_at = now()
            WHERE id = $1 AND version = $2 AND status = 'draft' RETURNING id, unit_path, version
         ), a AS (
           ${insertAudit(
             {
               actor: "$3",
               action: "plan.activate",
               entity: "plan",
               entityId: "u.id",
               planId: "u.id",
               unitPath: "u.unit_path",
               oldValue: "jsonb_build_object('status', 'draft', 'version', $2::int)",
               newValue: "jsonb_build_object('status', 'active', 'version', u.version, 'exceptions', $6::int)",
               reason: "$4",
               requestId: "$5",
             },
             "FROM u",
           )}
         )
         SELECT id FROM u`,
        [plan.id, input.version, ctx.actor.subject, reason, ctx.requestId, findings.length],
      )
      .catch((e) => fromDatabase(e, "input.planId"));
    if (rows.length !== 1) throw new ConflictError(t("plan:changedSince", { plan: planName(plan), version: input.version }), { planId: plan.id });
    const exceptions = await PlanLifecycleService.recordExceptions(ctx, "activate", reason, findings);
    return Object.assign(new PlanActivated(), { plan: await PlanService.reload(ctx, plan.id), exceptions });
  }

  /** A plan with no parent now implements an approved plan: checked against it as setTargets checks; audited. */
  static async attach(ctx: AuthedContext, input: AttachPlanInput): Promise<PlanAttached | LooserTargetsRefused> {
    const reason = checkAuditReason(input.reason);
    const plan = await PlanLifecycleService.load(ctx, input.planId, "input.planId");
    if (!mayEditPlansOf(ctx.actor.unitId, { id: plan.unitId, parentId: plan.unitParentId })) {
      throw new ForbiddenError(t("plan:attachForbidden"), { planId: plan.id });
    }
    PlanService.checkVersion(plan, input.version);
    const parent = await PlanLifecycleService.load(ctx, input.parentPlanId, "input.parentPlanId");
    raise(checkAttach(plan, parent), { parentPlanId: parent.id });
    const items = [{ plan, parentPlanId: parent.id }];
    const findings = await PlanLifecycleService.tightening(ctx, items);
    if (findings.length > 0 && !input.acceptLooser) {
      return PlanLifecycleService.refused(t("plan:attaching", { plan: planName(plan), parent: planName(parent) }), items, findings);
    }
    const rows = await ctx.db
      .query<{ id: string }>(
        `WITH u AS (
           UPDATE plan SET parent_plan_id = $6, version = version + 1, updated_at = now()
            WHERE id = $1 AND version = $2 AND parent_plan_id IS NULL RETURNING id, unit_path, version
         ), a AS (
           ${insertAudit(
             {
               actor: "$3",
               action: "plan.attach",
               entity: "plan",
               entityId: "u.id",
               planId: "u.id",
               unitPath: "u.unit_path",
               oldValue: "jsonb_build_object('parentPlanId', NULL, 'version', $2::int)",
               newValue: "jsonb_build_object('parentPlanId', $6::uuid, 'parentDocument', $7::text, 'version', u.version, 'exceptions', $8::int)",
               reason: "$4",
               requestId: "$5",
             },
             "FROM u",
           )}
         )
         SELECT id FROM u`,
        [plan.id, input.version, ctx.actor.subject, reason, ctx.requestId, parent.id, parent.documentNumber, findings.length],
      )
      .catch((e) => fromDatabase(e, "input.parentPlanId"));
    if (rows.length !== 1) throw new ConflictError(t("plan:changedSince", { plan: planName(plan), version: input.version }), { planId: plan.id });
    const exceptions = await PlanLifecycleService.recordExceptions(ctx, "attach", reason, findings);
    return Object.assign(new PlanAttached(), { plan: await PlanService.reload(ctx, plan.id), exceptions });
  }

  /** ACTIVE → CLOSED, by the plan's approver; refused (listing them) while active plans implement it. */
  static async close(ctx: AuthedContext, input: ClosePlanInput): Promise<Plan> {
    const reason = checkAuditReason(input.reason);
    const plan = await PlanLifecycleService.load(ctx, input.planId, "input.planId");
    PlanLifecycleService.requireApprover(ctx, plan);
    PlanService.checkVersion(plan, input.version);
    raise(checkTransition(plan, "closed"));
    const children = await ctx.db.query<{ planId: string; documentNumber: string | null; title: string; unitCode: string; unitName: string }>(
      `SELECT c.id AS "planId", c.document_number AS "documentNumber", c.title, u.code AS "unitCode", u.name AS "unitName"
         FROM plan c JOIN org_unit u ON u.id = c.unit_id
        WHERE c.parent_plan_id = $2 AND c.status = 'active' AND ${inSubtreeOrAncestor("c.unit_path", "$1")}
        ORDER BY u.path, c.period_start`,
      [ctx.actor.scopePaths, plan.id],
    );
    if (children.length > 0) {
      const list = children.map((c) => t("plan:childOfUnit", { plan: planName(c), unit: c.unitName, code: c.unitCode })).join("; ");
      const params = { plan: planName(plan), n: children.length, list };
      throw new ConflictError(children.length === 1 ? t("plan:closeHasChildren.one", params) : t("plan:closeHasChildren.other", params), {
        field: "input.planId",
        activeChildren: children,
      });
    }
    const rows = await ctx.db
      .query<{ id: string }>(
        `WITH u AS (
           UPDATE plan SET status = 'closed', version = version + 1, updated_at = now(), status_changed_at = now()
            WHERE id = $1 AND version = $2 AND status = 'active' RETURNING id, unit_path, version
         ), a AS (
           ${insertAudit(
             {
               actor: "$3",
               action: "plan.close",
               entity: "plan",
               entityId: "u.id",
               planId: "u.id",
               unitPath: "u.unit_path",
               oldValue: "jsonb_build_object('status', 'active', 'version', $2::int)",
               newValue: "jsonb_build_object('status', 'closed', 'version', u.version)",
               reason: "$4",
               requestId: "$5",
             },
             "FROM u",
           )}
         )
         SELECT id FROM u`,
        [plan.id, input.version, ctx.actor.subject, reason, ctx.requestId],
      )
      .catch((e) => fromDatabase(e, "input.planId"));
    if (rows.length !== 1) throw new ConflictError(t("plan:changedSince", { plan: planName(plan), version: input.version }), { planId: plan.id });
    return PlanService.reload(ctx, plan.id);
  }

  /**
   * ACTIVE → SUPERSEDED by another plan of the same unit and program, in one statement: the new plan becomes
   * ACTIVE (a draft is activated, with the checks of activatePlan), and the old plan's draft and active child
   * plans move to it (the active ones checked against it). Audited per plan.
   */
  static async supersede(ctx: AuthedContext, input: SupersedePlanInput): Promise<PlanSuperseded | LooserTargetsRefused> {
    const reason = checkAuditReason(input.reason);
    const old = await PlanLifecycleService.load(ctx, input.planId, "input.planId");
    PlanLifecycleService.requireApprover(ctx, old);
    PlanService.checkVersion(old, input.version);
    const by = await PlanLifecycleService.load(ctx, input.byPlanId, "input.byPlanId");
    if (by.version !== input.byVersion) {
      throw new ConflictError(t("plan:changedSinceAt", { plan: planName(by), version: input.byVersion, current: by.version }), {
        field: "input.byVersion",
        planId: by.id,
        currentVersion: by.version,
      });
    }
    const children = await ctx.db.query<LifecyclePlan>(
      `SELECT ${SELECT_LIFECYCLE} WHERE p.parent_plan_id = $2 AND p.status IN ('draft', 'active') AND ${inSubtreeOrAncestor("p.unit_path", "$1")}
        ORDER BY u.path, p.period_start`,
      [ctx.actor.scopePaths, old.id],
    );
    raise(checkSupersede(old, by, children));
    if (by.status === "draft") {
      PlanLifecycleService.requireApprover(ctx, by);
      const parent = by.parentPlanId
        ? { id: by.parentPlanId, status: by.parentStatus!, documentNumber: by.parentDocument, title: by.parentTitle ?? "" }
        : null;
      const problem = checkActivation(by, parent);
      raise(problem && { ...problem, field: "input.byPlanId" });
    }
    // the old plan leaves; its children will implement `by` (so they nest under it)
    await PlanLifecycleService.refuseOverlap(ctx, by, by.ancestorIds, [old.id, ...children.map((c) => c.id)]).catch((e: unknown) => {
      if (e instanceof ConflictError) throw new ConflictError(e.message, { ...e.details, field: "input.byPlanId" });
      throw e;
    });
    const items = [
      ...(by.status === "draft" && by.parentPlanId ? [{ plan: by as Plan, parentPlanId: by.parentPlanId }] : []),
      ...children.filter((c) => c.status === "active").map((c) => ({ plan: c as Plan, parentPlanId: by.id })),
    ];
    const findings = await PlanLifecycleService.tightening(ctx, items);
    if (findings.length > 0 && !input.acceptLooser) {
      return PlanLifecycleService.refused(t("plan:superseding", { old: planName(old), by: planName(by) }), items, findings);
    }
    const audit = (action: string, from: string, oldValue: string, newValue: string) =>
      insertAudit(
        { actor: "$5", action, entity: "plan", entityId: "x.id", planId: "x.id", unitPath: "x.unit_path", oldValue, newValue, reason: "$6", requestId: "$7" },
        from,
      );
    const rows = await ctx.db
      .query<{ id: string; role: string }>(
        `WITH x AS (
           UPDATE plan p SET
             status = CASE WHEN p.id = $1 THEN 'superseded' WHEN p.id = $3 THEN 'active' ELSE p.status END,
             superseded_by = CASE WHEN p.id = $1 THEN $3::uuid ELSE p.superseded_by END,
             parent_plan_id = CASE WHEN p.id IN ($1, $3) THEN p.parent_plan_id ELSE $3::uuid END,
             status_changed_at = CASE WHEN p.id = $1 OR (p.id = $3 AND p.status = 'draft') THEN now() ELSE p.status_changed_at END,
             version = p.version + 1, updated_at = now()
            WHERE (p.id = $1 AND p.version = $2 AND p.status = 'active')
               OR (p.id = $3 AND p.version = $4 AND p.status IN ('draft', 'active'))
               OR (p.id = ANY($8::uuid[]) AND p.parent_plan_id = $1 AND p.status IN ('draft', 'active'))
           RETURNING p.id, p.unit_path, p.version, p.status,
                     CASE WHEN p.id = $1 THEN 'old' WHEN p.id = $3 THEN 'by' ELSE 'moved' END AS role
         ),
         a1 AS (${audit("plan.supersede", "FROM x WHERE x.role = 'old'", "jsonb_build_object('status', 'active', 'version', $2::int)", "jsonb_build_object('status', 'superseded', 'supersededBy', $3::uuid, 'version', x.version)")}),
         a2 AS (${audit("plan.activate", "FROM x WHERE x.role = 'by' AND $9::boolean", "jsonb_build_object('status', 'draft', 'version', $4::int)", "jsonb_build_object('status', 'active', 'version', x.version, 'supersedes', $1::uuid)")}),
         a3 AS (${audit("plan.move", "FROM x WHERE x.role = 'moved'", "jsonb_build_object('parentPlanId', $1::uuid, 'version', x.version - 1)", "jsonb_build_object('parentPlanId', $3::uuid, 'version', x.version)")})
         SELECT id, role FROM x`,
        [old.id, input.version, by.id, input.byVersion, ctx.actor.subject, reason, ctx.requestId, children.map((c) => c.id), by.status === "draft"],
      )
      .catch((e) => fromDatabase(e, "input.byPlanId"));
    if (rows.length !== 2 + children.length) {
      throw new ConflictError(t("plan:supersedeRace", { old: planName(old), by: planName(by) }), { planId: old.id });
    }
    const exceptions = [
      ...(await PlanLifecycleService.recordExceptions(ctx, "activate", reason, findings.filter((f) => f.planId === by.id))),
      ...(await PlanLifecycleService.recordExceptions(ctx, "supersede", reason, findings.filter((f) => f.planId !== by.id))),
    ];
    for (const c of children) ctx.loaders.planById.clear(c.id);
    return Object.assign(new PlanSuperseded(), {
      plan: await PlanService.reload(ctx, old.id),
      by: await PlanService.reload(ctx, by.id),
      movedChildren: (await Promise.all(children.map((c) => ctx.loaders.planById.load(c.id)))).filter((p): p is Plan => !!p),
      exceptions,
    });
  }
}

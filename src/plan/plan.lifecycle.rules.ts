/**
 * Pure rules of a plan's life cycle (no I/O): DRAFT → ACTIVE → CLOSED, or SUPERSEDED by a named plan; who
 * approves a plan (activates, closes, supersedes it); where a plan may be attached; which active plans of a
 * unit would overlap; what a plan inherits, in words.
 */
import type { PlanStatus } from "../common/enums";
import { t } from "../i18n/i18n";
import { planName } from "./plan.naming";

/** The plan as these rules need it. */
export interface PlanRef {
  id: string;
  programId: number;
  unitId: number;
  status: PlanStatus;
  periodStart: string;
  periodEnd: string;
  documentNumber: string | null;
  title: string;
  parentPlanId: string | null;
}

/** A refusal: the input field it is about, the error code it answers and why. */
export interface LifecycleProblem {
  field: string;
  code: "BAD_USER_INPUT" | "CONFLICT";
  message: string;
}

/** A status as a predicate ("Plan X is …"), in the request's language. */
const statusWords = (status: PlanStatus): string => t(`plan:status.${status}`);

/** The moves of the life cycle; nothing leaves CLOSED or SUPERSEDED. */
export const TRANSITIONS: Readonly<Record<PlanStatus, readonly PlanStatus[]>> = {
  draft: ["active"],
  active: ["closed", "superseded"],
  closed: [],
  superseded: [],
};

export function checkTransition(plan: Pick<PlanRef, "status" | "documentNumber" | "title">, to: PlanStatus, field = "input.planId"): LifecycleProblem | null {
  if (TRANSITIONS[plan.status].includes(to)) return null;
  return {
    field,
    code: "CONFLICT",
    message: t("plan:transition", {
      plan: planName(plan),
      status: statusWords(plan.status),
      move: t(`plan:move.${to}`),
      hint: t(`plan:hint.${plan.status}`),
    }),
  };
}

/**
 * Who approves a plan (activates it, and later closes or supersedes it): a planner of the parent plan's unit,
 * or, for a plan with no parent, an admin of the plan's own unit.
 */
export function approverOf(plan: { unitId: number; parentPlanUnitId: number | null }): { unitId: number; role: "PLANNER" | "ADMIN" } {
  return plan.parentPlanUnitId === null ? { unitId: plan.unitId, role: "ADMIN" } : { unitId: plan.parentPlanUnitId, role: "PLANNER" };
}

export function mayApprove(actor: { unitId: number; roles: readonly string[] }, plan: { unitId: number; parentPlanUnitId: number | null }): boolean {
  const approver = approverOf(plan);
  return actor.unitId === approver.unitId && actor.roles.includes(approver.role);
}

/** Activation: only a draft, and only under an active parent (a draft parent is not approved yet). */
export function checkActivation(
  plan: Pick<PlanRef, "status" | "documentNumber" | "title">,
  parent: Pick<PlanRef, "id" | "status" | "documentNumber" | "title"> | null,
): LifecycleProblem | null {
  const transition = checkTransition(plan, "active");
  if (transition) return transition;
  if (parent && parent.status !== "active") {
    const why =
      parent.status === "draft"
        ? t("plan:parentStillDraft", { parent: planName(parent) })
        : t("plan:parentNotInForce", { parent: planName(parent), status: statusWords(parent.status) });
    return { field: "input.planId", code: "CONFLICT", message: t("plan:activationRefused", { plan: planName(plan), why }) };
  }
  return null;
}

/** Do two periods (inclusive ISO dates) share a day? */
export const periodsOverlap = (a: { periodStart: string; periodEnd: string }, b: { periodStart: string; periodEnd: string }): boolean =>
  a.periodStart <= b.periodEnd && b.periodStart <= a.periodEnd;

/** Does `outer` cover `inner` (inclusive ISO dates)? */
export const periodCovers = (outer: { periodStart: string; periodEnd: string }, inner: { periodStart: string; periodEnd: string }): boolean =>
  outer.periodStart <= inner.periodStart && inner.periodEnd <= outer.periodEnd;

/** One implements the other, directly or through plans between (`ancestorIds`: the plans above it). */
export const nested = (a: { id: string; ancestorIds: readonly string[] }, b: { id: string; ancestorIds: readonly string[] }): boolean =>
  a.ancestorIds.includes(b.id) || b.ancestorIds.includes(a.id);

/**
 * The first active plan of the same unit and program that overlaps `plan` in time while neither implements the
 * other (an annual plan under the unit's own five-year plan may overlap it); null when there is none.
 */
export function findOverlap<T extends Pick<PlanRef, "id" | "programId" | "unitId" | "status" | "periodStart" | "periodEnd"> & { ancestorIds: readonly string[] }>(
  plan: Pick<PlanRef, "id" | "programId" | "unitId" | "periodStart" | "periodEnd"> & { ancestorIds: readonly string[] },
  others: readonly T[],
): T | null {
  return (
    others.find(
      (o) => o.id !== plan.id && o.status === "active" && o.programId === plan.programId && o.unitId === plan.unitId && periodsOverlap(o, plan) && !nested(o, plan),
    ) ?? null
  );
}

export function overlapMessage(
  plan: Pick<PlanRef, "documentNumber" | "title">,
  other: Pick<PlanRef, "documentNumber" | "title" | "periodStart" | "periodEnd">,
  unit: { code: string; name: string },
): string {
  return t("plan:overlap", {
    other: planName(other),
    unit: unit.name,
    code: unit.code,
    start: other.periodStart,
    end: other.periodEnd,
    plan: planName(plan),
  });
}

/**
 * Attaching a plan that has no parent to `parent`: the plan must be a draft or active and have no parent yet;
 * the parent must be of the same program, ACTIVE (approved), issued by the plan's unit or the unit's parent,
 * and its period must cover the plan's.
 */
export function checkAttach(
  plan: PlanRef & { unitParentId: number | null },
  parent: PlanRef,
): LifecycleProblem | null {
  if (plan.status !== "draft" && plan.status !== "active") {
    return { field: "input.planId", code: "CONFLICT", message: t("plan:attachStatus", { plan: planName(plan), status: statusWords(plan.status) }) };
  }
  if (plan.parentPlanId !== null) {
    return {
      field: "input.planId",
      code: "CONFLICT",
      message: t("plan:attachHasParent", { plan: planName(plan) }),
    };
  }
  const field = "input.parentPlanId";
  if (parent.id === plan.id) return { field, code: "BAD_USER_INPUT", message: t("plan:attachSelf") };
  if (parent.programId !== plan.programId) {
    return { field, code: "BAD_USER_INPUT", message: t("plan:attachProgram", { parent: planName(parent), plan: planName(plan) }) };
  }
  if (parent.status !== "active") {
    const message =
      parent.status === "draft"
        ? t("plan:attachParentDraft", { parent: planName(parent) })
        : t("plan:attachParentNotInForce", { parent: planName(parent), status: statusWords(parent.status) });
    return { field, code: "BAD_USER_INPUT", message };
  }
  if (parent.unitId !== plan.unitId && parent.unitId !== plan.unitParentId) {
    return { field, code: "BAD_USER_INPUT", message: t("plan:attachParentUnit", { parent: planName(parent) }) };
  }
  if (!periodCovers(parent, plan)) {
    return {
      field,
      code: "BAD_USER_INPUT",
      message: t("plan:attachPeriod", {
        parent: planName(parent),
        parentStart: parent.periodStart,
        parentEnd: parent.periodEnd,
        plan: planName(plan),
        start: plan.periodStart,
        end: plan.periodEnd,
      }),
    };
  }
  return null;
}

/**
 * Superseding `old` (ACTIVE) by `by`: another plan of the same unit and program, a draft (activated in the same
 * step) or already active, that does not itself implement `old`, and whose period covers every child plan
 * of `old` that moves to it (`children`: old's draft and active children).
 */
export function checkSupersede(
  old: PlanRef,
  by: PlanRef & { ancestorIds: readonly string[] },
  children: ReadonlyArray<Pick<PlanRef, "id" | "documentNumber" | "title" | "periodStart" | "periodEnd">>,
): LifecycleProblem | null {
  const transition = checkTransition(old, "superseded");
  if (transition) return transition;
  const field = "input.byPlanId";
  if (by.id === old.id) return { field, code: "BAD_USER_INPUT", message: t("plan:supersedeSelf") };
  if (by.programId !== old.programId || by.unitId !== old.unitId) {
    return { field, code: "BAD_USER_INPUT", message: t("plan:supersedeOther", { by: planName(by), old: planName(old) }) };
  }
  if (by.status !== "draft" && by.status !== "active") {
    return { field, code: "BAD_USER_INPUT", message: t("plan:supersedeByStatus", { by: planName(by), status: statusWords(by.status) }) };
  }
  if (by.ancestorIds.includes(old.id)) {
    return { field, code: "BAD_USER_INPUT", message: t("plan:supersedeByChild", { by: planName(by), old: planName(old) }) };
  }
  const outside = children.filter((c) => !periodCovers(by, c));
  if (outside.length > 0) {
    return {
      field,
      code: "BAD_USER_INPUT",
      message: t("plan:supersedeCover", {
        by: planName(by),
        start: by.periodStart,
        end: by.periodEnd,
        children: outside.map(planName).join(", "),
        old: planName(old),
      }),
    };
  }
  return null;
}

/** What a plan inherits, and whether it is in force, in words. */
export function inheritanceNote(
  plan: Pick<PlanRef, "status" | "parentPlanId"> & { legalBasis: string | null },
  parent: (Pick<PlanRef, "documentNumber" | "title"> & { unitName: string | null }) | null,
): string {
  const force = t(`plan:force.${plan.status}`);
  if (plan.parentPlanId === null) {
    const basis = plan.legalBasis ? t("plan:restsOn", { basis: plan.legalBasis }) : "";
    return t("plan:noParentNote", { basis, force });
  }
  const from = parent ? `${planName(parent)}${parent.unitName ? ` (${parent.unitName})` : ""}` : t("plan:itsParentPlan");
  return t("plan:inheritsNote", { from, force });
}

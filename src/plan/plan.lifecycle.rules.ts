/**
 * Pure rules of a plan's life cycle (no I/O): DRAFT → ACTIVE → CLOSED, or SUPERSEDED by a named plan; who
 * approves a plan (activates, closes, supersedes it); where a plan may be attached; which active plans of a
 * unit would overlap; what a plan inherits, in words.
 */
import type { PlanStatus } from "../common/enums";

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

/** A plan in words: its document number, else its title in quotes. */
export const planName = (p: { documentNumber: string | null; title: string }): string => p.documentNumber ?? `"${p.title}"`;

const STATUS_WORDS: Record<PlanStatus, string> = { draft: "a draft", active: "active", closed: "closed", superseded: "superseded" };

/** The moves of the life cycle; nothing leaves CLOSED or SUPERSEDED. */
export const TRANSITIONS: Readonly<Record<PlanStatus, readonly PlanStatus[]>> = {
  draft: ["active"],
  active: ["closed", "superseded"],
  closed: [],
  superseded: [],
};

export function checkTransition(plan: Pick<PlanRef, "status" | "documentNumber" | "title">, to: PlanStatus, field = "input.planId"): LifecycleProblem | null {
  if (TRANSITIONS[plan.status].includes(to)) return null;
  const what: Record<PlanStatus, string> = { draft: "back to draft", active: "activated", closed: "closed", superseded: "superseded" };
  const hint: Record<PlanStatus, string> = {
    draft: "a draft is not in force: activate it, or leave it",
    active: "it is already in force",
    closed: "a closed plan stays closed",
    superseded: "a superseded plan stays superseded",
  };
  return {
    field,
    code: "CONFLICT",
    message: `Plan ${planName(plan)} is ${STATUS_WORDS[plan.status]} and cannot be ${what[to]}: ${hint[plan.status]}.`,
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
        ? `its parent plan ${planName(parent)} is still a draft: activate (approve) the parent first`
        : `its parent plan ${planName(parent)} is ${STATUS_WORDS[parent.status]} and no longer in force`;
    return { field: "input.planId", code: "CONFLICT", message: `Plan ${planName(plan)} cannot be activated: ${why}.` };
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
  return (
    `Plan ${planName(other)} of ${unit.name} (${unit.code}) is already active over ${other.periodStart} - ${other.periodEnd}, ` +
    `which overlaps plan ${planName(plan)}, and neither implements the other: two active plans would compete for the ` +
    `targets ${unit.name} is judged against. Close or supersede ${planName(other)} first, or make this plan implement it.`
  );
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
    return { field: "input.planId", code: "CONFLICT", message: `Plan ${planName(plan)} is ${STATUS_WORDS[plan.status]}: only a draft or active plan is attached.` };
  }
  if (plan.parentPlanId !== null) {
    return {
      field: "input.planId",
      code: "CONFLICT",
      message: `Plan ${planName(plan)} already implements a parent plan; only a plan with no parent is attached.`,
    };
  }
  const field = "input.parentPlanId";
  if (parent.id === plan.id) return { field, code: "BAD_USER_INPUT", message: "A plan cannot implement itself." };
  if (parent.programId !== plan.programId) {
    return { field, code: "BAD_USER_INPUT", message: `Plan ${planName(parent)} belongs to another program than ${planName(plan)}.` };
  }
  if (parent.status !== "active") {
    const why = parent.status === "draft" ? "is still a draft: a plan is attached only to an approved (ACTIVE) plan" : `is ${STATUS_WORDS[parent.status]} and no longer in force`;
    return { field, code: "BAD_USER_INPUT", message: `Plan ${planName(parent)} ${why}.` };
  }
  if (parent.unitId !== plan.unitId && parent.unitId !== plan.unitParentId) {
    return { field, code: "BAD_USER_INPUT", message: `Plan ${planName(parent)} is issued neither by the plan's unit nor by its parent unit.` };
  }
  if (!periodCovers(parent, plan)) {
    return {
      field,
      code: "BAD_USER_INPUT",
      message: `Plan ${planName(parent)} runs ${parent.periodStart} - ${parent.periodEnd}, which does not cover ${planName(plan)}'s period ${plan.periodStart} - ${plan.periodEnd}.`,
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
  if (by.id === old.id) return { field, code: "BAD_USER_INPUT", message: "A plan cannot supersede itself." };
  if (by.programId !== old.programId || by.unitId !== old.unitId) {
    return { field, code: "BAD_USER_INPUT", message: `Plan ${planName(by)} is not a plan of the same unit and program as ${planName(old)}.` };
  }
  if (by.status !== "draft" && by.status !== "active") {
    return { field, code: "BAD_USER_INPUT", message: `Plan ${planName(by)} is ${STATUS_WORDS[by.status]}: a plan is superseded by a draft or an active plan.` };
  }
  if (by.ancestorIds.includes(old.id)) {
    return { field, code: "BAD_USER_INPUT", message: `Plan ${planName(by)} implements ${planName(old)}: it cannot take its place.` };
  }
  const outside = children.filter((c) => !periodCovers(by, c));
  if (outside.length > 0) {
    return {
      field,
      code: "BAD_USER_INPUT",
      message: `Plan ${planName(by)} (${by.periodStart} - ${by.periodEnd}) does not cover the period of ${outside.map(planName).join(", ")}, which implement ${planName(old)} and would move to it.`,
    };
  }
  return null;
}

/** What a plan inherits, and whether it is in force, in words. */
export function inheritanceNote(
  plan: Pick<PlanRef, "status" | "parentPlanId"> & { legalBasis: string | null },
  parent: (Pick<PlanRef, "documentNumber" | "title"> & { unitName: string | null }) | null,
): string {
  const force: Record<PlanStatus, string> = {
    draft: "It is a draft: not in force, so no unit is judged against it until it is activated.",
    active: "It is active: units are judged against its effective targets.",
    closed: "It is closed: no longer in force.",
    superseded: "It is superseded by another plan: no longer in force.",
  };
  if (plan.parentPlanId === null) {
    const basis = plan.legalBasis ? ` It rests on: ${plan.legalBasis}.` : "";
    return `This plan has no parent plan: it inherits no target, and only its own targets apply (none are checked against a parent).${basis} ${force[plan.status]}`;
  }
  const from = parent ? `${planName(parent)}${parent.unitName ? ` (${parent.unitName})` : ""}` : "its parent plan";
  return `This plan inherits every target it does not set itself from ${from} and the plans above it; its own targets may only tighten theirs. ${force[plan.status]}`;
}

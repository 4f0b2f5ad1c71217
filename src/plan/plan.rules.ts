/** Pure rules of plans (no I/O): who may edit a unit's plans, and where a new plan may lie. */
import { isIsoDate } from "../common/period";
import { t } from "../i18n/i18n";

interface UnitRef {
  id: number;
  parentId: number | null;
}

/** A problem with an input field (relative to the input) and why. */
export interface PlanProblem {
  field: "periodStart" | "periodEnd" | "issuedOn";
  message: string;
}

/** The unit is `unitId` itself or one of its direct children. */
export const isSelfOrChild = (unit: UnitRef, unitId: number): boolean => unit.id === unitId || unit.parentId === unitId;

/** A planner edits (and creates) the plans of its own unit and of its direct children, nobody else's. */
export const mayEditPlansOf = (actorUnitId: number, unit: UnitRef): boolean => isSelfOrChild(unit, actorUnitId);

/**
 * The dates of a new plan: real ISO dates, a period that does not end before it starts, and lies within
 * the period of the plan it implements (a child plan cannot outlast or predate its parent); a plan with no
 * parent (`null`) only needs real dates.
 */
export function checkPlanDates(
  plan: { periodStart: string; periodEnd: string; issuedOn?: string | null },
  parent: { periodStart: string; periodEnd: string } | null,
): PlanProblem | null {
  for (const field of ["periodStart", "periodEnd", "issuedOn"] as const) {
    const v = plan[field];
    if (v != null && !isIsoDate(v)) return { field, message: t("plan:notADate", { value: v }) };
  }
  if (plan.periodEnd < plan.periodStart) return { field: "periodEnd", message: t("plan:endsBeforeStart") };
  if (!parent) return null;
  const within = t("plan:withinParent", { start: parent.periodStart, end: parent.periodEnd });
  if (plan.periodStart < parent.periodStart) return { field: "periodStart", message: within };
  if (plan.periodEnd > parent.periodEnd) return { field: "periodEnd", message: within };
  return null;
}

/** A problem with the new plan's place: which input field, and why. */
export interface PlacementProblem {
  field: "parentPlanId" | "unitCode" | "programCode" | "legalBasis";
  code: "BAD_USER_INPUT" | "FORBIDDEN";
  message: string;
}

/**
 * Where a new plan may go, as `createPlan` asks:
 * - under a parent plan (a draft or an active one; a closed or superseded plan takes no new plan), for the parent
 *   plan's unit or one of its children, by a PLANNER of the unit or of its parent unit; `programCode`, if given,
 *   must be the parent's program;
 * - with no parent: a top-level plan (the nation's, or a province planning before the national program is
 *   approved) for the caller's OWN unit only, by its PLANNER or ADMIN, naming its program and its legal basis.
 */
export function checkPlacement(p: {
  actor: { unitId: number; roles: readonly string[] };
  unit: UnitRef;
  parent: { unitId: number; status: string; programCode: string } | null;
  programCode: string | null;
  legalBasis: string | null;
}): PlacementProblem | null {
  if (p.parent) {
    if (p.parent.status !== "draft" && p.parent.status !== "active") {
      return { field: "parentPlanId", code: "BAD_USER_INPUT", message: t("plan:parentNotOpen", { status: t(`plan:status.${p.parent.status}`) }) };
    }
    if (p.programCode !== null && p.programCode !== p.parent.programCode) {
      return { field: "programCode", code: "BAD_USER_INPUT", message: t("plan:parentProgram", { parentProgram: p.parent.programCode, program: p.programCode }) };
    }
    if (!isSelfOrChild(p.unit, p.parent.unitId)) {
      return { field: "unitCode", code: "BAD_USER_INPUT", message: t("plan:unitUnderParent") };
    }
    if (!p.actor.roles.includes("PLANNER") || !mayEditPlansOf(p.actor.unitId, p.unit)) {
      return { field: "unitCode", code: "FORBIDDEN", message: t("plan:createForbidden") };
    }
    return null;
  }
  if (p.unit.id !== p.actor.unitId || !(p.actor.roles.includes("PLANNER") || p.actor.roles.includes("ADMIN"))) {
    return { field: "unitCode", code: "FORBIDDEN", message: t("plan:topLevelOwnUnit") };
  }
  if (p.programCode === null) {
    return { field: "programCode", code: "BAD_USER_INPUT", message: t("plan:topLevelProgram") };
  }
  if (p.legalBasis === null) {
    return {
      field: "legalBasis",
      code: "BAD_USER_INPUT",
      message: t("plan:topLevelLegalBasis"),
    };
  }
  return null;
}

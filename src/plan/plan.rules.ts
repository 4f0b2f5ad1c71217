/** Pure rules of plans (no I/O): who may edit a unit's plans, and where a new plan may lie. */
import { isIsoDate } from "../common/period";

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
 * the period of the plan it implements (a child plan cannot outlast or predate its parent).
 */
export function checkPlanDates(
  plan: { periodStart: string; periodEnd: string; issuedOn?: string | null },
  parent: { periodStart: string; periodEnd: string },
): PlanProblem | null {
  for (const field of ["periodStart", "periodEnd", "issuedOn"] as const) {
    const v = plan[field];
    if (v != null && !isIsoDate(v)) return { field, message: `"${v}" is not a date.` };
  }
  if (plan.periodEnd < plan.periodStart) return { field: "periodEnd", message: "The period ends before it starts." };
  const within = `The period must lie within the parent plan's (${parent.periodStart} - ${parent.periodEnd}).`;
  if (plan.periodStart < parent.periodStart) return { field: "periodStart", message: within };
  if (plan.periodEnd > parent.periodEnd) return { field: "periodEnd", message: within };
  return null;
}

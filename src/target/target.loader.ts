import DataLoader from "dataloader";
import type { AuthedContext } from "../context";
import type { AssignmentJudgement } from "./target-assignment.types";
import type { EffectiveTargetView } from "./target.types";
import { TargetAssignmentService } from "./target-assignment.service";
import { TargetService } from "./target.service";
import type { PlanningFigure, QuotaSplit } from "./quota.types";
import { QuotaService } from "./quota.service";
import { PlanningFigureService } from "./planning-figure.service";

/** Per-request loaders of targets (registered in src/loaders.ts): one batch for any number of plans. */
export function createTargetLoaders(ctx: () => AuthedContext) {
  return {
    effectiveTargetsByPlanId: new DataLoader<string, EffectiveTargetView[]>((ids) => TargetService.effectiveForPlans(ctx(), ids)),
    assignmentsByPlanId: new DataLoader<string, AssignmentJudgement[]>((ids) => TargetAssignmentService.forPlans(ctx(), ids)),
    quotaSplitsByPlanId: new DataLoader<string, QuotaSplit[]>((ids) => QuotaService.forPlans(ctx(), ids)),
    planningFiguresByPlanId: new DataLoader<string, PlanningFigure[]>((ids) => PlanningFigureService.forPlans(ctx(), ids)),
  };
}

import DataLoader from "dataloader";
import type { AuthedContext } from "../context";
import type { AssignmentView, EffectiveTargetView } from "./target.types";
import { TargetService } from "./target.service";

/** Per-request loaders of targets (registered in src/loaders.ts): one batch for any number of plans. */
export function createTargetLoaders(ctx: () => AuthedContext) {
  return {
    effectiveTargetsByPlanId: new DataLoader<string, EffectiveTargetView[]>((ids) => TargetService.effectiveForPlans(ctx(), ids)),
    assignmentsByPlanId: new DataLoader<string, AssignmentView[]>((ids) => TargetService.assignmentsForPlans(ctx(), ids)),
  };
}

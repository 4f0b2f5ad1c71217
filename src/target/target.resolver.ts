import { DateScalar } from "../common/date.scalar";
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../context";
import { Role } from "../auth/auth.types";
import { Plan } from "../plan/plan.model";
import { Indicator } from "../indicator/indicator.model";
import { OrgUnit } from "../org-unit/org-unit.model";
import { TargetService } from "./target.service";
import { TargetAssignmentService } from "./target-assignment.service";
import { TargetComplianceService } from "./target-compliance.service";
import { TargetHistoryService } from "./target-history.service";
import { AssignQuotasInput, AssignTargetInput, RemoveTargetInput, SetPlanningFiguresInput, SetTargetsInput } from "./target.inputs";
import { PlanningFigure, PlanningFiguresSet, QuotaSplit, SetPlanningFiguresResult } from "./quota.types";
import { QuotaService } from "./quota.service";
import { PlanningFigureService } from "./planning-figure.service";
import { SetTargetsResult, TargetRemoved, type TargetsRefused, type TargetsSet } from "./target.results";
import { AssignmentJudgement } from "./target-assignment.types";
import { ComplianceReport } from "./target-compliance.types";
import { TargetChainLink, TargetChange } from "./target-history.types";
import { EffectiveTargetView } from "./target.types";

@Resolver()
export class TargetResolver {
  @Authorized()
  @Query(() => [EffectiveTargetView], { description: "The effective targets of a unit for a period (its own plan's, else inherited), with provenance" })
  effectiveTargets(
    @Ctx() ctx: AuthedContext,
    @Arg("unitCode", () => String) unitCode: string,
    @Arg("period", () => String, { description: "2025, 2025-H1 or 2025-Q3" }) period: string,
    @Arg("indicators", () => [String], { nullable: true, description: "Indicator codes (default: all)" }) indicators?: string[] | null,
    @Arg("asOf", () => DateScalar, { nullable: true, description: "The date on which unitCode names the unit (default: the period's last day)" })
    asOf?: string | null,
  ): Promise<EffectiveTargetView[]> {
    return TargetService.effectiveForUnit(ctx, unitCode, period, indicators ?? null, asOf ?? null);
  }

  @Authorized()
  @Query(() => [TargetChainLink], { description: "One indicator's target down a chain of plans: the plans above this one (root first), the plan, and the plans below it" })
  targetChain(
    @Ctx() ctx: AuthedContext,
    @Arg("planId", () => ID) planId: string,
    @Arg("indicator", () => String) indicator: string,
  ): Promise<TargetChainLink[]> {
    return TargetHistoryService.chain(ctx, planId, indicator);
  }

  @Authorized()
  @Query(() => ComplianceReport, { description: "A plan and its whole subtree of plans checked against their parents" })
  complianceReport(@Ctx() ctx: AuthedContext, @Arg("planId", () => ID) planId: string): Promise<ComplianceReport> {
    return TargetComplianceService.report(ctx, planId);
  }

  @Authorized()
  @Query(() => [TargetChange], { description: "Every recorded change of a plan's target (and assignments) for one indicator, oldest first" })
  targetHistory(
    @Ctx() ctx: AuthedContext,
    @Arg("planId", () => ID) planId: string,
    @Arg("indicator", () => String) indicator: string,
  ): Promise<TargetChange[]> {
    return TargetHistoryService.history(ctx, planId, indicator);
  }

  @Authorized(Role.PLANNER)
  @Mutation(() => SetTargetsResult, { description: "Sets several targets of a plan, all or nothing; a target looser than the parent's is refused (TargetsRefused, nothing written)" })
  setTargets(@Ctx() ctx: AuthedContext, @Arg("input", () => SetTargetsInput) input: SetTargetsInput): Promise<TargetsSet | TargetsRefused> {
    return TargetService.setTargets(ctx, input);
  }

  @Authorized(Role.PLANNER)
  @Mutation(() => TargetRemoved, { description: "Removes a plan's own target; it falls back to the inherited one" })
  removeTarget(@Ctx() ctx: AuthedContext, @Arg("input", () => RemoveTargetInput) input: RemoveTargetInput): Promise<TargetRemoved> {
    return TargetService.removeTarget(ctx, input);
  }

  @Authorized(Role.PLANNER)
  @Mutation(() => AssignmentJudgement, { description: "Names the child units that must meet an indicator, judged against the plan's own target" })
  assignTarget(@Ctx() ctx: AuthedContext, @Arg("input", () => AssignTargetInput) input: AssignTargetInput): Promise<AssignmentJudgement> {
    return TargetAssignmentService.assign(ctx, input);
  }

  @Authorized(Role.PLANNER)
  @Mutation(() => QuotaSplit, {
    description:
      "Splits the plan's quantity target for an indicator into quotas for named children of its unit (on the plan's dates), all or nothing, audited; " +
      "each quota becomes the child's effective quantity target (provenance QUOTA). Answers whether the quotas add up (shortfall, children with none)",
  })
  assignQuotas(@Ctx() ctx: AuthedContext, @Arg("input", () => AssignQuotasInput) input: AssignQuotasInput): Promise<QuotaSplit> {
    return QuotaService.assign(ctx, input);
  }

  @Authorized(Role.PLANNER)
  @Mutation(() => SetPlanningFiguresResult, {
    description:
      "Sets (or removes, with a null denominator) the plan's planning figures: the denominators that turn its quantities into shares of its unit, " +
      "compared with a parent's share; a figure that makes an own target looser than the parent's share or the unit's quota is refused (TargetsRefused)",
  })
  setPlanningFigures(
    @Ctx() ctx: AuthedContext,
    @Arg("input", () => SetPlanningFiguresInput) input: SetPlanningFiguresInput,
  ): Promise<PlanningFiguresSet | TargetsRefused> {
    return PlanningFigureService.set(ctx, input);
  }
}

/** Target fields of a plan. */
@Resolver(() => Plan)
export class PlanTargetsResolver {
  @FieldResolver(() => [EffectiveTargetView], { description: "The plan's effective targets: its own and those it inherits, with provenance" })
  effectiveTargets(@Root() plan: Plan, @Ctx() ctx: AuthedContext): Promise<EffectiveTargetView[]> {
    return ctx.loaders.effectiveTargetsByPlanId.load(plan.id);
  }

  @FieldResolver(() => [AssignmentJudgement], { description: "Child units the plan names per indicator, judged against its own target" })
  assignments(@Root() plan: Plan, @Ctx() ctx: AuthedContext): Promise<AssignmentJudgement[]> {
    return ctx.loaders.assignmentsByPlanId.load(plan.id);
  }

  @FieldResolver(() => [QuotaSplit], {
    description: "The plan's quantity targets split into quotas for its child units, per indicator with quotas: their sum against the plan's quantity, the shortfall and the children with none",
  })
  quotaSplits(@Root() plan: Plan, @Ctx() ctx: AuthedContext): Promise<QuotaSplit[]> {
    return ctx.loaders.quotaSplitsByPlanId.load(plan.id);
  }

  @FieldResolver(() => [PlanningFigure], { description: "The plan's planning figures: denominators it plans for (setPlanningFigures)" })
  planningFigures(@Root() plan: Plan, @Ctx() ctx: AuthedContext): Promise<PlanningFigure[]> {
    return ctx.loaders.planningFiguresByPlanId.load(plan.id);
  }
}

/** Links of an effective target. */
@Resolver(() => EffectiveTargetView)
export class EffectiveTargetResolver {
  @FieldResolver(() => Indicator, { nullable: true })
  indicator(@Root() t: EffectiveTargetView, @Ctx() ctx: AuthedContext): Promise<Indicator | null> {
    return ctx.loaders.indicatorById.load(t.indicatorId);
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: "The unit whose plan sets the target" })
  sourceUnit(@Root() t: EffectiveTargetView, @Ctx() ctx: AuthedContext): Promise<OrgUnit | null> {
    return ctx.loaders.orgUnitById.load(t.sourceUnitId);
  }

  @FieldResolver(() => Plan, { nullable: true, description: "The plan that sets the target" })
  sourcePlan(@Root() t: EffectiveTargetView, @Ctx() ctx: AuthedContext): Promise<Plan | null> {
    return ctx.loaders.planById.load(t.sourcePlanId);
  }
}

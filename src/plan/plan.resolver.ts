import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../context";
import { Role } from "../auth/auth.types";
import { OrgUnit } from "../org-unit/org-unit.model";
import { Plan } from "./plan.model";
import { CreatePlanInput } from "./plan.inputs";
import { PlanService } from "./plan.service";
import { PlansArgs } from "./plan.types";

@Resolver(() => Plan)
export class PlanResolver {
  @Authorized()
  @Query(() => Plan, { description: "A plan by id; NOT_FOUND outside your scope" })
  plan(@Ctx() ctx: AuthedContext, @Arg("id", () => ID) id: string): Promise<Plan> {
    return PlanService.byId(ctx, id);
  }

  @Authorized()
  @Query(() => [Plan], { description: "A unit's plans, optionally only those covering a period" })
  plans(@Ctx() ctx: AuthedContext, @Args(() => PlansArgs) args: PlansArgs): Promise<Plan[]> {
    return PlanService.forUnit(ctx, args);
  }

  @Authorized(Role.PLANNER)
  @Mutation(() => Plan, { description: "A new plan implementing a parent plan, for its unit or a child unit, within its period" })
  createPlan(@Ctx() ctx: AuthedContext, @Arg("input", () => CreatePlanInput) input: CreatePlanInput): Promise<Plan> {
    return PlanService.create(ctx, input);
  }

  @FieldResolver(() => OrgUnit, { description: "The unit that issued the plan" })
  async unit(@Root() plan: Plan, @Ctx() ctx: AuthedContext): Promise<OrgUnit | null> {
    return ctx.loaders.orgUnitById.load(plan.unitId);
  }

  @FieldResolver(() => Plan, { nullable: true, description: "The plan this one implements" })
  parentPlan(@Root() plan: Plan, @Ctx() ctx: AuthedContext): Promise<Plan | null> | null {
    return plan.parentPlanId ? ctx.loaders.planById.load(plan.parentPlanId) : null;
  }

  @FieldResolver(() => [Plan], { description: "Plans that implement this one (within your scope)" })
  childPlans(@Root() plan: Plan, @Ctx() ctx: AuthedContext): Promise<Plan[]> {
    return ctx.loaders.childPlansByPlanId.load(plan.id);
  }
}

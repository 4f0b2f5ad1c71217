import DataLoader from "dataloader";
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../context";
import { Role } from "../auth/auth.types";
import { groupByKey } from "../loaders";
import { OrgUnit } from "../org-unit/org-unit.model";
import { ComplianceReport } from "../target/target-compliance.types";
import { Plan } from "./plan.model";
import { ActivatePlanInput, AttachPlanInput, ClosePlanInput, CreatePlanInput, SupersedePlanInput } from "./plan.inputs";
import { PlanService } from "./plan.service";
import { PlanLifecycleService } from "./plan.lifecycle.service";
import { inheritanceNote } from "./plan.lifecycle.rules";
import {
  ActivatePlanResult,
  AttachPlanResult,
  PlanException,
  SupersedePlanResult,
  type LooserTargetsRefused,
  type PlanActivated,
  type PlanAttached,
  type PlanSuperseded,
} from "./plan.lifecycle.types";
import { PlanPage, PlansArgs } from "./plan.types";
import { PageArgs } from "../common/pagination";
import { PlanPageService } from "./plan.page.service";

/** Per request: a plan's exceptions, batched (the request's context is the key, so nothing crosses users). */
const exceptionLoaders = new WeakMap<object, DataLoader<string, PlanException[]>>();
function exceptionsLoader(ctx: AuthedContext): DataLoader<string, PlanException[]> {
  let loader = exceptionLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids) => groupByKey(ids, await PlanLifecycleService.exceptionsOf(ctx, ids), (e) => e.planId));
    exceptionLoaders.set(ctx, loader);
  }
  return loader;
}

@Resolver(() => Plan)
export class PlanResolver {
  @Authorized()
  @Query(() => Plan, { description: "A plan by id; NOT_FOUND outside your scope" })
  plan(@Ctx() ctx: AuthedContext, @Arg("id", () => ID) id: string): Promise<Plan> {
    return PlanService.byId(ctx, id);
  }

  @Authorized()
  @Query(() => [Plan], {
    description: "A unit's plans, optionally only those covering a period",
    deprecationReason: "Use plansPage(first, after): the same plans, paginated as OrgUnit.children",
  })
  plans(@Ctx() ctx: AuthedContext, @Args(() => PlansArgs) args: PlansArgs): Promise<Plan[]> {
    return PlanService.forUnit(ctx, args);
  }

  @Authorized()
  @Query(() => PlanPage, { description: "A unit's plans, optionally only those covering a period: `first` after `after`, in the order of `plans`" })
  plansPage(@Ctx() ctx: AuthedContext, @Args(() => PlansArgs) args: PlansArgs, @Args(() => PageArgs) page: PageArgs): Promise<PlanPage> {
    return PlanPageService.forUnit(ctx, args, page);
  }

  @Authorized(Role.PLANNER, Role.ADMIN)
  @Mutation(() => Plan, {
    description:
      "A new plan, in DRAFT: implementing a parent plan, for its unit or a child unit, within its period (a PLANNER); or, with " +
      "no parent, a top-level plan of your own unit naming its program and legal basis (a PLANNER or ADMIN of the unit)",
  })
  createPlan(@Ctx() ctx: AuthedContext, @Arg("input", () => CreatePlanInput) input: CreatePlanInput): Promise<Plan> {
    return PlanService.create(ctx, input);
  }

  @Authorized(Role.PLANNER, Role.ADMIN)
  @Mutation(() => ActivatePlanResult, {
    description:
      "Approves a draft (DRAFT → ACTIVE): a PLANNER of the parent plan's unit, or an ADMIN of the plan's own unit for a plan " +
      "with no parent. Refused while the parent is a draft or another active plan of the unit overlaps it (CONFLICT naming it); " +
      "targets looser than the parent's answer LooserTargetsRefused unless acceptLooser records them as exceptions. Audited",
  })
  activatePlan(@Ctx() ctx: AuthedContext, @Arg("input", () => ActivatePlanInput) input: ActivatePlanInput): Promise<PlanActivated | LooserTargetsRefused> {
    return PlanLifecycleService.activate(ctx, input);
  }

  @Authorized(Role.PLANNER)
  @Mutation(() => AttachPlanResult, {
    description:
      "Attaches a plan with no parent to an approved (ACTIVE) plan of the same program whose period covers it (a PLANNER who " +
      "edits the plan): every own target is checked against the new parent as setTargets does; looser ones answer " +
      "LooserTargetsRefused unless acceptLooser records them as exceptions. Audited",
  })
  attachPlan(@Ctx() ctx: AuthedContext, @Arg("input", () => AttachPlanInput) input: AttachPlanInput): Promise<PlanAttached | LooserTargetsRefused> {
    return PlanLifecycleService.attach(ctx, input);
  }

  @Authorized(Role.PLANNER, Role.ADMIN)
  @Mutation(() => Plan, {
    description: "Closes an active plan (ACTIVE → CLOSED; whoever approves it); CONFLICT listing the active plans that implement it (extensions.activeChildren). Audited",
  })
  closePlan(@Ctx() ctx: AuthedContext, @Arg("input", () => ClosePlanInput) input: ClosePlanInput): Promise<Plan> {
    return PlanLifecycleService.close(ctx, input);
  }

  @Authorized(Role.PLANNER, Role.ADMIN)
  @Mutation(() => SupersedePlanResult, {
    description:
      "Replaces an active plan by another plan of the same unit and program (whoever approves both): the old plan becomes " +
      "SUPERSEDED, the new one ACTIVE (a draft is activated), and the old plan's child plans move to it. Audited",
  })
  supersedePlan(@Ctx() ctx: AuthedContext, @Arg("input", () => SupersedePlanInput) input: SupersedePlanInput): Promise<PlanSuperseded | LooserTargetsRefused> {
    return PlanLifecycleService.supersede(ctx, input);
  }

  @FieldResolver(() => OrgUnit, { description: "The unit that issued the plan" })
  async unit(@Root() plan: Plan, @Ctx() ctx: AuthedContext): Promise<OrgUnit | null> {
    return ctx.loaders.orgUnitById.load(plan.unitId);
  }

  @FieldResolver(() => Plan, { nullable: true, description: "The plan this one implements (null: a plan with no parent)" })
  parentPlan(@Root() plan: Plan, @Ctx() ctx: AuthedContext): Promise<Plan | null> | null {
    return plan.parentPlanId ? ctx.loaders.planById.load(plan.parentPlanId) : null;
  }

  @FieldResolver(() => Plan, {
    nullable: true,
    description: "The plan whose targets this one inherits (its parent); null for a plan with no parent, which inherits nothing",
  })
  inheritsFrom(@Root() plan: Plan, @Ctx() ctx: AuthedContext): Promise<Plan | null> | null {
    return plan.parentPlanId ? ctx.loaders.planById.load(plan.parentPlanId) : null;
  }

  @FieldResolver(() => Boolean, {
    description: "True for a plan with no parent: it inherits no target (its effectiveTargets are its own only), and rests on its legalBasis",
  })
  parentless(@Root() plan: Plan): boolean {
    return plan.parentPlanId === null;
  }

  @FieldResolver(() => Boolean, { description: "ACTIVE: units are judged against this plan's effective targets" })
  inForce(@Root() plan: Plan): boolean {
    return plan.status === "active";
  }

  @FieldResolver(() => String, { description: "What the plan inherits and whether it is in force, in words" })
  async inheritance(@Root() plan: Plan, @Ctx() ctx: AuthedContext): Promise<string> {
    const parent = plan.parentPlanId ? await ctx.loaders.planById.load(plan.parentPlanId) : null;
    const parentUnit = parent ? await ctx.loaders.orgUnitById.load(parent.unitId) : null;
    return inheritanceNote(plan, parent ? { documentNumber: parent.documentNumber, title: parent.title, unitName: parentUnit?.name ?? null } : null);
  }

  @FieldResolver(() => Plan, { nullable: true, description: "The plan that took this one's place (SUPERSEDED)" })
  supersededBy(@Root() plan: Plan, @Ctx() ctx: AuthedContext): Promise<Plan | null> | null {
    return plan.supersededById ? ctx.loaders.planById.load(plan.supersededById) : null;
  }

  @FieldResolver(() => [Plan], { description: "Plans that implement this one (within your scope)" })
  childPlans(@Root() plan: Plan, @Ctx() ctx: AuthedContext): Promise<Plan[]> {
    return ctx.loaders.childPlansByPlanId.load(plan.id);
  }

  @FieldResolver(() => [PlanException], {
    description: "Targets of this plan let stand as exceptions although looser than (or not comparable with) its parent's: why, who, when",
  })
  exceptions(@Root() plan: Plan, @Ctx() ctx: AuthedContext): Promise<PlanException[]> {
    return exceptionsLoader(ctx).load(plan.id);
  }
}

/** The compliance report shows the exceptions recorded in the plan's subtree. */
@Resolver(() => ComplianceReport)
export class ComplianceExceptionsResolver {
  @FieldResolver(() => [PlanException], {
    description: "Looser targets let stand as recorded exceptions (attached or activated with acceptLooser), in the plan's whole subtree",
  })
  exceptions(@Root() report: ComplianceReport, @Ctx() ctx: AuthedContext): Promise<PlanException[]> {
    return PlanLifecycleService.exceptionsOfSubtree(ctx, report.plan.id);
  }
}

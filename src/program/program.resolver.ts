import DataLoader from "dataloader";
import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../context";
import { Role } from "../auth/auth.types";
import { byKey, groupByKey } from "../loaders";
import { Indicator } from "../indicator/indicator.model";
import { Plan } from "../plan/plan.model";
import { Program } from "./program.model";
import { CreateProgramInput } from "./program.inputs";
import { ProgramService } from "./program.service";

/** Per request (keyed by its context, so nothing crosses users): programs by id and their catalogs. */
const loaders = new WeakMap<object, { byId: DataLoader<number, Program | null>; indicators: DataLoader<number, Indicator[]> }>();
function programLoaders(ctx: AuthedContext) {
  let l = loaders.get(ctx);
  if (!l) {
    l = {
      byId: new DataLoader(async (ids) => byKey(ids, await ProgramService.byIds(ctx, ids), (p) => Number(p.id))),
      indicators: new DataLoader(async (ids) => groupByKey(ids, await ProgramService.indicatorsOf(ctx, ids), (i) => Number(i.programId))),
    };
    loaders.set(ctx, l);
  }
  return l;
}

@Resolver(() => Program)
export class ProgramResolver {
  @Authorized()
  @Query(() => [Program], { description: "Every national program" })
  programs(@Ctx() ctx: AuthedContext): Promise<Program[]> {
    return ProgramService.list(ctx);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => Program, {
    description:
      "A new national program with its own indicator catalog; national admins only; audited. A later national plan of an " +
      "existing program (2026-2035 after 2021-2025) needs no new program: create the plan (createPlan with no parent) and the catalog carries over",
  })
  createProgram(@Ctx() ctx: AuthedContext, @Arg("input", () => CreateProgramInput) input: CreateProgramInput): Promise<Program> {
    return ProgramService.create(ctx, input);
  }

  @FieldResolver(() => [Indicator], { description: "The program's own indicator catalog" })
  indicators(@Root() program: Program, @Ctx() ctx: AuthedContext): Promise<Indicator[]> {
    return programLoaders(ctx).indicators.load(Number(program.id));
  }
}

@Resolver(() => Plan)
export class PlanProgramResolver {
  @FieldResolver(() => Program, { description: "The program the plan belongs to" })
  async program(@Root() plan: Plan, @Ctx() ctx: AuthedContext): Promise<Program | null> {
    return programLoaders(ctx).byId.load(plan.programId);
  }
}

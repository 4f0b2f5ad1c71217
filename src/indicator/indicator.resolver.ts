import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { AuthedContext } from "../context";
import { Role } from "../auth/auth.types";
import { Area } from "../common/enums";
import { Indicator } from "./indicator.model";
import { IndicatorService } from "./indicator.service";
import { IndicatorAdminService } from "./indicator.admin.service";
import { CreateIndicatorInput, UpdateIndicatorInput } from "./indicator.inputs";

@Resolver(() => Indicator)
export class IndicatorResolver {
  @Authorized()
  @Query(() => [Indicator], { description: "The indicator catalog, optionally of one area" })
  indicators(@Ctx() ctx: AuthedContext, @Arg("area", () => Area, { nullable: true }) area?: Area): Promise<Indicator[]> {
    return IndicatorService.list(ctx, area);
  }

  @Authorized()
  @Query(() => Indicator)
  indicator(@Ctx() ctx: AuthedContext, @Arg("code", () => String) code: string): Promise<Indicator> {
    return IndicatorService.byCode(ctx, code);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => Indicator, {
    description: "A new indicator of the catalog; national admins only (the catalog is the same for every province); audited",
  })
  createIndicator(@Ctx() ctx: AuthedContext, @Arg("input", () => CreateIndicatorInput) input: CreateIndicatorInput): Promise<Indicator> {
    return IndicatorAdminService.create(ctx, input);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => Indicator, {
    description:
      "Changes an indicator's names, area, what it is measured on or its place in the catalog; national admins only; audited. " +
      "valueKind, rollupRule, reportingLevel, periodType, periodRule and direction cannot change: stored reports, roll-up summaries " +
      "and targets depend on them",
  })
  updateIndicator(@Ctx() ctx: AuthedContext, @Arg("input", () => UpdateIndicatorInput) input: UpdateIndicatorInput): Promise<Indicator> {
    return IndicatorAdminService.update(ctx, input);
  }
}

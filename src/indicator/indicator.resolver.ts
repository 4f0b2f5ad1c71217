import { Arg, Authorized, Ctx, Query, Resolver } from "type-graphql";
import type { AuthedContext } from "../context";
import { Area } from "../common/enums";
import { Indicator } from "./indicator.entity";
import { IndicatorService } from "./indicator.service";

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
}

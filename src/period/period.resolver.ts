import { Authorized, Ctx, Query, Resolver } from "type-graphql";
import type { AuthedContext } from "../context";
import { ReportingPeriod } from "./period.types";
import { PeriodService } from "./period.service";

@Resolver(() => ReportingPeriod)
export class PeriodResolver {
  @Authorized()
  @Query(() => [ReportingPeriod], {
    description:
      "The periods a dashboard can offer, from the data: every year, half-year and quarter between the first day and the last day " +
      "of the plans you can see (your scope's and your ancestors'), newest first (within a year: the year, then halves, then quarters)",
  })
  periods(@Ctx() ctx: AuthedContext): Promise<ReportingPeriod[]> {
    return PeriodService.list(ctx);
  }
}

import { Authorized, Ctx, FieldResolver, Query, Resolver, Root, type ClassType } from "type-graphql";
import type { AuthedContext } from "../context";
import { ReportingPeriod } from "./period.types";
import { PeriodService } from "./period.service";
import { PeriodApproval, PeriodApprovalPage, ReportHistory, WithdrawnReport } from "../report/report.approval.types";
import { ReportingStatus } from "../reporting-status/reporting-status.types";

@Resolver(() => ReportingPeriod)
export class PeriodResolver {
  @Authorized()
  @Query(() => [ReportingPeriod], {
    description:
      "The periods a dashboard can offer, from the data: every year, half-year and quarter between the first day and the last day " +
      "of the plans you can see (your scope's and your ancestors'), and every period your subtree has reports for even when no plan covers it " +
      "(hasReports), newest first (within a year: the year, then halves, then quarters)",
  })
  periods(@Ctx() ctx: AuthedContext): Promise<ReportingPeriod[]> {
    return PeriodService.list(ctx);
  }
}

/**
 * `reportingPeriod`, the period object, on a type that returns its period as a code (`period`, deprecated): a
 * field resolver rather than a stored field, so every service that builds the type (and any copy of it) stays as it is.
 */
function reportingPeriodOf(type: ClassType<{ period: string }>) {
  @Resolver(() => type)
  class ReportingPeriodResolver {
    @FieldResolver(() => ReportingPeriod, { description: "The period: code, label in the request's language, first and last day" })
    reportingPeriod(@Root() root: { period: string }): ReportingPeriod {
      return ReportingPeriod.of(root.period);
    }
  }
  return ReportingPeriodResolver;
}

/** The period objects of approvals, report histories and withdrawals, and reporting status (issue 15, item 5). */
export const REPORTING_PERIOD_RESOLVERS = ([PeriodApproval, PeriodApprovalPage, WithdrawnReport, ReportHistory, ReportingStatus] as Array<
  ClassType<{ period: string }>
>).map(reportingPeriodOf);

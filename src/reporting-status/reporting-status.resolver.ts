import DataLoader from "dataloader";
import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../context";
import { Role } from "../auth/auth.types";
import { Plan } from "../plan/plan.model";
import { ReportingDeadlineService } from "./reporting-deadline.service";
import { ReportingStatusService } from "./reporting-status.service";
import {
  ReportingDeadline,
  ReportingDeadlinesSet,
  ReportingStatus,
  ReportingStatusArgs,
  ReportingStatusCsvArgs,
  SetReportingDeadlinesInput,
} from "./reporting-status.types";

@Resolver()
export class ReportingStatusResolver {
  @Authorized()
  @Query(() => ReportingStatus, {
    description:
      "Who has not reported: for each indicator, the units expected at its reporting level in the unit's subtree for the period (on the tree of asOf, default the period's last day), " +
      "how many reported, late (after the due day their plans set) and missing (no report, past it), and the units without and with a report, " +
      "`first` per list after `after` (a unit code cursor), each with its parent and report times. NOT_FOUND outside your subtree.",
  })
  reportingStatus(@Ctx() ctx: AuthedContext, @Args(() => ReportingStatusArgs) args: ReportingStatusArgs): Promise<ReportingStatus> {
    return ReportingStatusService.status(ctx, args);
  }

  @Authorized()
  @Query(() => String, {
    description:
      "reportingStatus as CSV text (RFC 4180), as GET /csv/reporting-status serves it (with a UTF-8 BOM): one line per indicator and unit expected, " +
      "with its parent, reported yes/no, its report time, status, late and missing flags, its due day and its latest report for the period (times in +07:00); at most 100,000 lines",
  })
  reportingStatusCsv(@Ctx() ctx: AuthedContext, @Args(() => ReportingStatusCsvArgs) args: ReportingStatusCsvArgs): Promise<string> {
    return ReportingStatusService.csv(ctx, args);
  }

  @Authorized(Role.PLANNER)
  @Mutation(() => ReportingDeadlinesSet, {
    description:
      "Sets (or, with no rule fields, removes) the plan's own reporting deadlines per period type: due N days after the period ends, or on day D of the month M months after its last month. " +
      "Inherited down the plan chain like targets. A planner of the plan, under its version, audited (plan.deadlines); a period of the plan due before it starts is refused",
  })
  setReportingDeadlines(
    @Ctx() ctx: AuthedContext,
    @Arg("input", () => SetReportingDeadlinesInput) input: SetReportingDeadlinesInput,
  ): Promise<ReportingDeadlinesSet> {
    return ReportingDeadlineService.set(ctx, input);
  }
}

/** The per-request loader of plans' deadlines (keyed by the request's loaders, which live as long as the request). */
const deadlineLoaders = new WeakMap<object, DataLoader<string, ReportingDeadline[]>>();

@Resolver(() => Plan)
export class PlanReportingDeadlinesResolver {
  @FieldResolver(() => [ReportingDeadline], {
    description: "When each period type's reports are due under the plan: its own rule, else the nearest one up its parent plans (setReportingDeadlines)",
  })
  reportingDeadlines(@Root() plan: Plan, @Ctx() ctx: AuthedContext): Promise<ReportingDeadline[]> {
    let loader = deadlineLoaders.get(ctx.loaders);
    if (!loader) {
      loader = new DataLoader((ids: readonly string[]) => ReportingDeadlineService.forPlans(ctx, ids));
      deadlineLoaders.set(ctx.loaders, loader);
    }
    return loader.load(plan.id);
  }
}

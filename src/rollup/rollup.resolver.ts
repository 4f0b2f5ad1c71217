import { Args, Authorized, Ctx, FieldResolver, Info, Query, Resolver, Root } from "type-graphql";
import { PageArgs } from "../common/pagination";
import type { GraphQLResolveInfo } from "graphql";
import { rollupNeeds } from "./rollup.selection";
import type { AuthedContext } from "../context";
import { RollupService } from "./rollup.service";
import {
  ComparisonArgs,
  ComparisonTrendArgs,
  NationalComparison,
  NationalTrend,
  ReportingUnits,
  RollupArgs,
  RollupPage,
  UnitRollup,
  UnitRollupPage,
} from "./rollup.types";

@Resolver()
export class RollupResolver {
  @Authorized()
  @Query(() => RollupPage, {
    description:
      "A unit's roll-up for a period (value, numerator/denominator, completeness, effective target, status, gap) with each child's, each judged against its own effective target. NOT_FOUND outside your subtree.",
  })
  rollup(@Ctx() ctx: AuthedContext, @Args(() => RollupArgs) args: RollupArgs, @Info() info: GraphQLResolveInfo): Promise<RollupPage> {
    return RollupService.page(ctx, args, rollupNeeds(info));
  }

  @Authorized()
  @Query(() => NationalComparison, { description: "Ministry only (token of the nation): every province × indicators, ranked" })
  nationalComparison(
    @Ctx() ctx: AuthedContext,
    @Args(() => ComparisonArgs) args: ComparisonArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<NationalComparison> {
    return RollupService.nationalComparison(ctx, args, rollupNeeds(info));
  }

  @Authorized()
  @Query(() => NationalTrend, {
    description:
      "Ministry only: one indicator over several periods on ONE tree (asOf, default the last day of the latest period): a line per " +
      "province, e.g. 2024, 2025 and 2026 on today's 34 provinces, earlier periods restated; a trend per province in one request",
  })
  nationalTrend(@Ctx() ctx: AuthedContext, @Args(() => ComparisonTrendArgs) args: ComparisonTrendArgs): Promise<NationalTrend> {
    return RollupService.nationalTrend(ctx, args);
  }

  @Authorized()
  @Query(() => String, {
    description:
      "The national comparison as CSV text (RFC 4180): one line per unit (the nation, then each province) and indicator, the same columns and cells as GET /csv/national-comparison (which adds a UTF-8 BOM); text a spreadsheet would run as a formula is prefixed with '",
  })
  nationalComparisonCsv(@Ctx() ctx: AuthedContext, @Args(() => ComparisonArgs) args: ComparisonArgs): Promise<string> {
    return RollupService.nationalComparisonCsv(ctx, args);
  }
}

const REPORTING_UNITS =
  "Units that reported, counted as units (a commune reporting two indicators counts once), at the lowest reporting level of the page's indicators; " +
  "every row of a page in one statement. All reports, approved or not (approvedOnly aside). Null when the page has no indicator";

/** The unit's children as a page (their rows are judged with the page: no statement of its own). */
@Resolver(() => RollupPage)
export class RollupPageResolver {
  @FieldResolver(() => UnitRollupPage, { description: "The unit's current children (a province's districts, a district's communes), `first` after `after`, by code" })
  childrenPage(@Root() page: RollupPage, @Args(() => PageArgs) args: PageArgs): UnitRollupPage {
    return RollupService.rowsPage(page.children, args);
  }

  @FieldResolver(() => ReportingUnits, { nullable: true, description: REPORTING_UNITS })
  reportingUnits(@Ctx() ctx: AuthedContext, @Root() page: RollupPage): Promise<ReportingUnits | null> {
    return page.reportingKey ? ctx.loaders.reportingUnits.load(page.reportingKey) : Promise.resolve(null);
  }
}

/** A row's reporting units: loaded with every other row of the request (one statement for a page's children). */
@Resolver(() => UnitRollup)
export class UnitRollupResolver {
  @FieldResolver(() => ReportingUnits, { nullable: true, description: REPORTING_UNITS })
  reportingUnits(@Ctx() ctx: AuthedContext, @Root() row: UnitRollup): Promise<ReportingUnits | null> {
    return row.reportingKey ? ctx.loaders.reportingUnits.load(row.reportingKey) : Promise.resolve(null);
  }
}

/** The provinces as a page (judged and ranked with the comparison: ranks are among all of them). */
@Resolver(() => NationalComparison)
export class NationalComparisonResolver {
  @FieldResolver(() => UnitRollupPage, { description: "One row per province, `first` after `after`, by code; ranks are among every province, whatever the page" })
  provincesPage(@Root() comparison: NationalComparison, @Args(() => PageArgs) args: PageArgs): UnitRollupPage {
    return RollupService.rowsPage(comparison.provinces, args);
  }
}

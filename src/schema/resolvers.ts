import { IndicatorResolver } from "../indicator/indicator.resolver";
import { OrgUnitResolver } from "../org-unit/org-unit.resolver";
import { OrgUnitReformResolver } from "../org-unit/org-unit.reform.resolver";
import { ComplianceExceptionsResolver, PlanResolver } from "../plan/plan.resolver";
import { PlanProgramResolver, ProgramResolver } from "../program/program.resolver";
import { EffectiveTargetResolver, PlanTargetsResolver, TargetResolver } from "../target/target.resolver";
import { ReportResolver } from "../report/report.resolver";
import { ReportApprovalResolver } from "../report/report.approval.resolver";
import { NationalComparisonResolver, RollupPageResolver, RollupResolver, UnitRollupResolver } from "../rollup/rollup.resolver";
import { PeriodResolver, REPORTING_PERIOD_RESOLVERS } from "../period/period.resolver";
import { PlanReportingDeadlinesResolver, ReportingStatusResolver } from "../reporting-status/reporting-status.resolver";
import { RollupSubscriptionResolver } from "../subscription/rollup-subscription.resolver";

/** Every resolver class of the API. Add new ones here. */
export const RESOLVERS = [OrgUnitResolver, OrgUnitReformResolver, PlanResolver, IndicatorResolver, ReportResolver, ReportApprovalResolver, RollupResolver, RollupPageResolver, UnitRollupResolver, NationalComparisonResolver, TargetResolver, PlanTargetsResolver, EffectiveTargetResolver, PeriodResolver, ComplianceExceptionsResolver, ProgramResolver, PlanProgramResolver, ReportingStatusResolver, PlanReportingDeadlinesResolver, ...REPORTING_PERIOD_RESOLVERS, RollupSubscriptionResolver];

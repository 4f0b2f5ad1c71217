import { InitialSchema1763900000000 } from "./1763900000000-InitialSchema";
import { ReportingSummaries1763900200000 } from "./1763900200000-ReportingSummaries";
import { RowLevelSecurity1763900300000 } from "./1763900300000-RowLevelSecurity";
import { RollupRowLevelSecurity1763900310000 } from "./1763900310000-RollupRowLevelSecurity";
import { AuditActorPolicy1763900320000 } from "./1763900320000-AuditActorPolicy";
import { MigrationStatus1763900600000 } from "./1763900600000-MigrationStatus";
import { SummaryPolicyByPath1763900700000 } from "./1763900700000-SummaryPolicyByPath";
import { OnePlanPerUnitPeriod1763900800000 } from "./1763900800000-OnePlanPerUnitPeriod";
import { AssignmentCounts1763900900000 } from "./1763900900000-AssignmentCounts";
import { DatedTree1763901100000 } from "./1763901100000-DatedTree";
import { TreeOfTheDate1763901200000 } from "./1763901200000-TreeOfTheDate";
import { ScopeAndCountsOverTime1763901300000 } from "./1763901300000-ScopeAndCountsOverTime";
import { SuccessionPolicies1763901400000 } from "./1763901400000-SuccessionPolicies";
import { PlanLifecycle1763901500000 } from "./1763901500000-PlanLifecycle";
import { UnitsAndQuantities1763901550000 } from "./1763901550000-UnitsAndQuantities";
import { QuotasAndPlanningFigures1763901560000 } from "./1763901560000-QuotasAndPlanningFigures";
import { ReportingDeadlines1763901700000 } from "./1763901700000-ReportingDeadlines";
import { ReportApproval1763901750000 } from "./1763901750000-ReportApproval";
import { ScopePathsCache1763901800000 } from "./1763901800000-ScopePathsCache";
import { IndicatorMinCompleteness1763901900000 } from "./1763901900000-IndicatorMinCompleteness";
import { RollupNotifications1763901920000 } from "./1763901920000-RollupNotifications";
import { TargetsVersion1763902020000 } from "./1763902020000-TargetsVersion";
import { BulkWrites1763902060000 } from "./1763902060000-BulkWrites";
import { InlinableScopeChecks1763902090000 } from "./1763902090000-InlinableScopeChecks";
import { SummaryApplyCachedPlans1763902100000 } from "./1763902100000-SummaryApplyCachedPlans";

/** Every migration, in order. Listed explicitly so the same classes run from ts-jest and from dist/. */
export const migrations = [InitialSchema1763900000000, ReportingSummaries1763900200000, RowLevelSecurity1763900300000, RollupRowLevelSecurity1763900310000, AuditActorPolicy1763900320000, MigrationStatus1763900600000, SummaryPolicyByPath1763900700000, OnePlanPerUnitPeriod1763900800000, AssignmentCounts1763900900000, DatedTree1763901100000, TreeOfTheDate1763901200000, ScopeAndCountsOverTime1763901300000, SuccessionPolicies1763901400000, PlanLifecycle1763901500000, UnitsAndQuantities1763901550000, QuotasAndPlanningFigures1763901560000, ReportingDeadlines1763901700000, ReportApproval1763901750000, ScopePathsCache1763901800000, IndicatorMinCompleteness1763901900000, RollupNotifications1763901920000, TargetsVersion1763902020000, BulkWrites1763902060000, InlinableScopeChecks1763902090000, SummaryApplyCachedPlans1763902100000];

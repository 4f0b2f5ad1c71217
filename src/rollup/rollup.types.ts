import { DateScalar } from "../common/date.scalar";
import { ArgsType, Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { ArrayMaxSize, ArrayMinSize, IsOptional, Matches, MaxLength, type ValidationArguments } from "class-validator";
import { t } from "../i18n/i18n";
import { Indicator } from "../indicator/indicator.model";
import { OrgUnit } from "../org-unit/org-unit.model";
import { EffectiveTargetView } from "../target/target.types";
import { OrgLevel, UnitOfMeasure } from "../common/enums";
import { CellRestatement, RestatedSource } from "./rollup.restate.types";
import { ReportingPeriod } from "../period/period.types";

export enum RollupStatus {
  MET = "met",
  NOT_MET = "not_met",
  NO_DATA = "no_data",
  NO_TARGET = "no_target",
  INSUFFICIENT_DATA = "insufficient_data",
  NOT_EXPECTED = "not_expected",
}
registerEnumType(RollupStatus, {
  name: "RollupStatus",
  description:
    "MET / NOT_MET against the effective target (direction-aware); NO_DATA: nothing reported (or nothing to compare); NO_TARGET: no plan sets one; " +
    "INSUFFICIENT_DATA: fewer units reported than the indicator's minCompleteness (percent of those expected): the value is shown, not judged nor ranked; " +
    "NOT_EXPECTED: no unit of the subtree reports the indicator (a province's indicator on a district), so there is nothing to miss. " +
    "A quantity target is judged on the sum so far over its plan's period (judgedPeriods): on a quarter's page NOT_MET means not reached yet",
});

const PERIOD = /^\d{4}(-(Q[1-4]|H[12]))?$/;
// "period must look like 2025, 2025-H1 or 2025-Q3", in the request's language
const PERIOD_MESSAGE = (a: ValidationArguments) => t("period:pattern", { field: a.property });
const APPROVED_ONLY =
  "Count approved data only: the reports of units whose data for their period is APPROVED (approvePeriod); values, completeness and status " +
  "are those of approved units alone (unitsReported = unitsApproved). Default false: all reported data, with the approved share beside it";

@ArgsType()
export class RollupArgs {
  @Field(() => String, { description: "GSO code of a unit of your subtree (VN for the nation)" })
  @MaxLength(10)
  unitCode!: string;

  @Field(() => String, { description: "2025-Q3, 2025-H1 or 2025" })
  @Matches(PERIOD, { message: PERIOD_MESSAGE })
  period!: string;

  @Field(() => [String], { nullable: true, description: "Indicator codes (default: the whole catalog)" })
  @IsOptional()
  @ArrayMaxSize(100)
  indicators?: string[] | null;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      "The date whose tree names the units and shapes the roll-up (default: the period's last day). A later date restates the period on its tree " +
      "(each unit from the units that went into it: restated, restatedFrom); an earlier one is refused (BAD_USER_INPUT) when the unit's tree changed in between",
  })
  @IsOptional()
  asOf?: string;
  @Field(() => Boolean, { defaultValue: false, description: APPROVED_ONLY })
  approvedOnly?: boolean = false;
}

@ArgsType()
export class ComparisonTrendArgs {
  @Field(() => [String], { description: "Up to 12 periods, e.g. [\"2024\", \"2025\", \"2026\"]: each compared on the same tree" })
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @Matches(PERIOD, { each: true, message: PERIOD_MESSAGE })
  periods!: string[];

  @Field(() => String, { description: "The indicator whose trend to draw" })
  @MaxLength(60)
  indicator!: string;

  @Field(() => DateScalar, {
    nullable: true,
    description: "The one tree every period is shown on (default: the last day of the latest period): earlier periods are restated onto it",
  })
  @IsOptional()
  asOf?: string;

  @Field(() => Boolean, { defaultValue: false, description: APPROVED_ONLY })
  approvedOnly?: boolean = false;
}

@ArgsType()
export class ComparisonArgs {
  @Field(() => String, { description: "2025-Q3, 2025-H1 or 2025" })
  @Matches(PERIOD, { message: PERIOD_MESSAGE })
  period!: string;

  @Field(() => [String], { nullable: true, description: "Indicator codes (default: the whole catalog)" })
  @IsOptional()
  @ArrayMaxSize(100)
  indicators?: string[] | null;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      "The date whose tree gives the provinces (default: the period's last day: 63 provinces for 2024, 34 for 2025); a later one restates the " +
      "period on its provinces (2024 on the 34 of 2026), an earlier one is refused when the tree changed in between",
  })
  @IsOptional()
  asOf?: string;

  @Field(() => Boolean, { defaultValue: false, description: APPROVED_ONLY })
  approvedOnly?: boolean = false;
}

@ObjectType({ simpleResolvers: true, description: "One indicator rolled up for one unit and period, judged against the unit's own effective target" })
export class RollupCell {
  @Field(() => Indicator)
  indicator!: Indicator;

  @Field(() => String)
  indicatorCode!: string;

  @Field(() => Float, {
    nullable: true,
    description: "By the indicator's rule: share of units and ratio of sums in percent, a sum for counts, yearly change in percent; null: no data",
  })
  value!: number | null;

  @Field(() => Float, { nullable: true, description: "Σ numerators (ratio indicators)" })
  numerator!: number | null;

  @Field(() => Float, { nullable: true, description: "Σ denominators (ratio indicators)" })
  denominator!: number | null;

  @Field(() => Float, { nullable: true, description: "Σ values (counts, frequencies, yes/no)" })
  sum!: number | null;

  @Field(() => UnitOfMeasure, { description: "What `value` is in: PERCENT for shares of units, ratios and yearly changes; the indicator's unit for sums" })
  unit!: UnitOfMeasure;

  @Field(() => UnitOfMeasure, { nullable: true, description: "What `numerator` (ratios) or `sum` (counts) count, and so quantity targets: the indicator's quantityUnit" })
  quantityUnit!: UnitOfMeasure | null;

  @Field(() => Float, { nullable: true, description: "Yearly change: Σ values of the same period a year before" })
  previousSum!: number | null;

  @Field(() => Int, { description: "Units that reported (at the indicator's reporting level)" })
  unitsReported!: number;

  @Field(() => Int, { description: "All units at the reporting level in the subtree, reported or not" })
  unitsExpected!: number;

  @Field(() => Int, { description: "Yes/no indicators: units meeting the measure (by the period rule)" })
  unitsMeeting!: number;

  @Field(() => Float, { nullable: true, description: "unitsReported / unitsExpected, 0..1", deprecationReason: "Use completenessPercent (0-100, the scale of every share)" })
  completeness!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "unitsReported / unitsExpected in percent, 0-100 (null: none expected); below the indicator's minCompleteness the cell is INSUFFICIENT_DATA",
  })
  completenessPercent!: number | null;

  @Field(() => Int, { description: "Units whose reported data here is approved (their unit and period APPROVED)" })
  unitsApproved!: number;

  @Field(() => Float, {
    nullable: true,
    description: "unitsApproved / unitsExpected, 0..1: the approved share, beside completeness",
    deprecationReason: "Use approvedPercent (0-100, the scale of every share)",
  })
  approved!: number | null;

  @Field(() => Float, { nullable: true, description: "unitsApproved / unitsExpected in percent, 0-100: the approved share, beside completenessPercent" })
  approvedPercent!: number | null;

  @Field(() => EffectiveTargetView, { nullable: true, description: "The unit's effective target, with the plan it comes from" })
  target!: EffectiveTargetView | null;

  @Field(() => RollupStatus)
  status!: RollupStatus;

  @Field(() => Float, {
    nullable: true,
    description: "What the target asks, in the unit of `measured` (a frequency: items the interval implies for the period; a quantity or quota: its number)",
  })
  required!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "What is compared: the value, or units meeting / items for count and frequency targets, or for a quantity the sum so far (Σ numerators of a ratio) over judgedPeriods",
  })
  measured!: number | null;

  @Field(() => [String], {
    nullable: true,
    description: "Quantity targets: the reporting periods summed (the plan's year on a quarter's page: 2026-Q1 is judged on 2026 so far); null for other kinds",
  })
  judgedPeriods!: string[] | null;

  @Field(() => Float, { nullable: true, description: "Distance to the target: > 0 short of it by this much; ≤ 0 met" })
  gap!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "National comparison: rank among the provinces with enough data (1 best, by direction); null without a value or below the indicator's minCompleteness",
  })
  rank!: number | null;

  // restating across reforms (src/rollup/rollup.restate.rules.ts)
  @Field(() => CellRestatement, {
    nullable: true,
    description: "Set when (part of) the period was reported on an earlier tree than that of asOf: how the cell was restated (units: the unit's restatedFrom)",
  })
  restated!: CellRestatement | null;
}

/** What the reportingUnits field resolver needs of a row (not in the schema): src/rollup/rollup.reporting-units.service.ts. */
export interface ReportingUnitsKey {
  /** the row's unit (on the tree of asOf); its units of the period's tree are found from it */
  unitIds: number[];
  level: string;
  periodStart: string;
  periodEnd: string;
  indicatorIds: number[];
}

@ObjectType({
  simpleResolvers: true,
  description:
    "How many units reported the page's indicators, counted as units (not unit × indicator): those of `level` in the unit's subtree on the " +
    "tree of the period (its last day) with at least one report in the period for any of the page's indicators",
})
export class ReportingUnits {
  @Field(() => OrgLevel, { description: "The lowest reporting level among the page's indicators on the tree of the period (communes, say)" })
  level!: OrgLevel;

  @Field(() => Int, { description: "Units of that level in the subtree on the tree of the period (the unit itself when it is of that level)" })
  expected!: number;

  @Field(() => Int, { description: "Distinct units of that level in the subtree with at least one report in the period for any indicator of the page" })
  reported!: number;

  @Field(() => Float, { nullable: true, description: "reported / expected in percent, 0-100 (null: none expected)" })
  percent!: number | null;
}

@ObjectType({ simpleResolvers: true, description: "A unit's roll-up of some indicators" })
export class UnitRollup {
  /** what reportingUnits counts (null: the page has no indicator) */
  reportingKey?: ReportingUnitsKey | null;

  @Field(() => OrgUnit)
  unit!: OrgUnit;

  @Field(() => [RollupCell])
  cells!: RollupCell[];

  // restating across reforms (src/rollup/rollup.restate.rules.ts)
  @Field(() => [RestatedSource], {
    description: "The units of the tree(s) that reported the period that this unit's cells are made of, per tree part; empty when it was reported on the tree asked",
  })
  restatedFrom!: RestatedSource[];
}

@ObjectType({ description: "A page of a roll-up's rows (children, provinces), ordered by unit code" })
export class UnitRollupPage {
  @Field(() => [UnitRollup])
  nodes!: UnitRollup[];

  @Field(() => Int, { description: "Rows over all pages" })
  totalCount!: number;

  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "Pass as `after` for the next page" })
  endCursor!: string | null;
}

@ObjectType({ simpleResolvers: true, description: "A unit's roll-up with each child's, every one judged against its own effective target" })
export class RollupPage {
  @Field(() => String, { deprecationReason: "Use reportingPeriod { code }" })
  period!: string;

  @Field(() => ReportingPeriod, { description: "The period: code, label in the request's language, first and last day" })
  reportingPeriod!: ReportingPeriod;

  @Field(() => OrgUnit)
  unit!: OrgUnit;

  @Field(() => [RollupCell])
  cells!: RollupCell[];

  // restating across reforms (src/rollup/rollup.restate.rules.ts)
  @Field(() => [RestatedSource], {
    description: "The units of the tree(s) that reported the period that this unit's cells are made of, per tree part; empty when it was reported on the tree asked",
  })
  restatedFrom!: RestatedSource[];

  @Field(() => [UnitRollup], {
    description: "The unit's current children (a province's districts, a district's communes)",
    deprecationReason: "Use childrenPage(first, after): the same rows, paginated as OrgUnit.children",
  })
  children!: UnitRollup[];

  @Field(() => Boolean, { description: "Whether only approved data is counted (the argument)" })
  approvedOnly!: boolean;

  /** what reportingUnits counts for the unit (null: the page has no indicator) */
  reportingKey?: ReportingUnitsKey | null;
}

@ObjectType({ simpleResolvers: true, description: "Every province side by side on the chosen indicators, ranked per indicator" })
export class NationalComparison {
  @Field(() => String, { deprecationReason: "Use reportingPeriod { code }" })
  period!: string;

  @Field(() => ReportingPeriod, { description: "The period: code, label in the request's language, first and last day" })
  reportingPeriod!: ReportingPeriod;

  @Field(() => [Indicator])
  indicators!: Indicator[];

  @Field(() => UnitRollup, { description: "The nation as a whole" })
  nation!: UnitRollup;

  @Field(() => [UnitRollup], {
    description: "One row per province, by code",
    deprecationReason: "Use provincesPage(first, after): the same rows, paginated as OrgUnit.children",
  })
  provinces!: UnitRollup[];

  @Field(() => Boolean, { description: "Whether only approved data is counted (the argument)" })
  approvedOnly!: boolean;
}

@ObjectType({ description: "One unit's cells of one indicator, one per period (in the trend's order of periods)" })
export class TrendLine {
  @Field(() => OrgUnit)
  unit!: OrgUnit;

  @Field(() => [RollupCell], { description: "The unit's cell for each period, oldest first: value, completeness, status against its target of that period" })
  points!: RollupCell[];
}

@ObjectType({ description: "One indicator over several periods on ONE tree: a line for the nation and for every province" })
export class NationalTrend {
  @Field(() => DateScalar, { description: "The tree every period is shown on; earlier periods restated onto it" })
  asOf!: string;

  @Field(() => [String], { description: "The periods, oldest first", deprecationReason: "Use reportingPeriods { code }" })
  periods!: string[];

  @Field(() => [ReportingPeriod], { description: "The periods, oldest first: code, label in the request's language, first and last day" })
  reportingPeriods!: ReportingPeriod[];

  @Field(() => Indicator)
  indicator!: Indicator;

  @Field(() => TrendLine)
  nation!: TrendLine;

  @Field(() => [TrendLine])
  provinces!: TrendLine[];
}

import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ArrayMaxSize, ArrayMinSize, IsOptional, MaxLength, MinLength, ValidateNested } from "class-validator";
import { DateScalar } from "../common/date.scalar";
import { OrgLevel, PeriodType } from "../common/enums";
import { PageArgs } from "../common/pagination";
import { Indicator } from "../indicator/indicator.model";
import { OrgUnit } from "../org-unit/org-unit.model";
import { Plan } from "../plan/plan.model";

/** A unit's state for one indicator and period (the words of reportingState in reporting-status.rules.ts). */
export const ReportingState = { REPORTED: "reported", LATE: "late", MISSING: "missing", PENDING: "pending" } as const;
export type ReportingState = (typeof ReportingState)[keyof typeof ReportingState];
registerEnumType(ReportingState, {
  name: "ReportingState",
  description:
    "REPORTED: reported (by the deadline, or no deadline is set); LATE: reported after the due day; " +
    "MISSING: no report and the due day has passed; PENDING: no report yet, not due (or no deadline)",
});

@ArgsType()
export class ReportingStatusCsvArgs {
  @Field(() => String, { description: "GSO code of a unit of your subtree (VN for the nation), on the tree of asOf" })
  @MaxLength(10)
  unitCode!: string;

  @Field(() => String, { description: "2025-Q3, 2025-H1 or 2025" })
  @MaxLength(10)
  period!: string;

  @Field(() => [String], { nullable: true, description: "Indicator codes, each of the period's type (default: every indicator of the period's type)" })
  @IsOptional()
  @ArrayMaxSize(100)
  indicators?: string[] | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: "The date whose tree names the unit and the units expected (default: the period's last day, as in rollup)",
  })
  @IsOptional()
  asOf?: string | null;
}

@ArgsType()
export class ReportingStatusArgs extends PageArgs {
  @Field(() => String, { description: "GSO code of a unit of your subtree (VN for the nation), on the tree of asOf" })
  @MaxLength(10)
  unitCode!: string;

  @Field(() => String, { description: "2025-Q3, 2025-H1 or 2025" })
  @MaxLength(10)
  period!: string;

  @Field(() => [String], { nullable: true, description: "Indicator codes, each of the period's type (default: every indicator of the period's type)" })
  @IsOptional()
  @ArrayMaxSize(100)
  indicators?: string[] | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: "The date whose tree names the unit and the units expected (default: the period's last day, as in rollup)",
  })
  @IsOptional()
  asOf?: string | null;
}

@ObjectType({ description: "When a period's reports are due, as a plan sets it for one period type (its own rule, or one it inherits up its chain)" })
export class ReportingDeadline {
  @Field(() => PeriodType)
  periodType!: PeriodType;

  @Field(() => Int, { nullable: true, description: "Due this many days after the period's last day (negative: before it)" })
  daysAfterEnd!: number | null;

  @Field(() => Int, { nullable: true, description: "With `day`: due in the month this many months after the period's last month (0: that month)" })
  monthsAfterEnd!: number | null;

  @Field(() => Int, { nullable: true, description: "With `monthsAfterEnd`: the day of that month (past the month's end: its last day)" })
  day!: number | null;

  @Field(() => String, { description: "The rule in words" })
  text!: string;

  @Field(() => String, { nullable: true, description: "The plan's own words for it, quoted" })
  sourceText!: string | null;

  @Field(() => Boolean, { description: "True when the rule comes from a plan up the chain, not the plan itself" })
  inherited!: boolean;

  @Field(() => ID, { description: "The plan that sets the rule" })
  sourcePlanId!: string;

  @Field(() => String, { nullable: true })
  sourcePlanDocument!: string | null;

  @Field(() => String, { description: "GSO code of the unit whose plan sets the rule" })
  sourceUnitCode!: string;

  @Field(() => String)
  setBy!: string;

  @Field(() => Date)
  setAt!: Date;
}

@ObjectType({ description: "A unit expected to report one indicator for the period, with where it stands" })
export class ReportingUnit {
  @Field(() => OrgUnit)
  unit!: OrgUnit;

  @Field(() => OrgUnit, { nullable: true, description: "Its parent on the tree of asOf (the district of a commune of the three-tier tree, the province of one of the two-tier tree)" })
  parent!: OrgUnit | null;

  @Field(() => ReportingState)
  status!: ReportingState;

  @Field(() => Date, { nullable: true, description: "When its report of this indicator and period was last written (null: none)" })
  reportedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "Its latest report of any indicator for this period (null: it reported nothing for the period)" })
  lastReportedAt!: Date | null;

  @Field(() => DateScalar, { nullable: true, description: "Its own due day for the period (its plan chain's rule; null: none)" })
  deadline!: string | null;
}

@ObjectType({ description: "A page of units, in code order" })
export class ReportingUnitPage {
  @Field(() => [ReportingUnit])
  nodes!: ReportingUnit[];

  @Field(() => Int, { description: "Units of this list, over all pages" })
  totalCount!: number;

  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "Pass as `after` for the next page (of this list: ask for this indicator alone)" })
  endCursor!: string | null;
}

@ObjectType({ description: "Who has reported one indicator for the period, and who has not" })
export class IndicatorReportingStatus {
  @Field(() => Indicator)
  indicator!: Indicator;

  @Field(() => String)
  indicatorCode!: string;

  @Field(() => OrgLevel, {
    nullable: true,
    description:
      "The level that reports it over the period (its two-tier level from 1/7/2025); null when no level does for the whole period (a district's indicator over 2025 straddles the reform)",
  })
  reportingLevel!: OrgLevel | null;

  @Field(() => DateScalar, { nullable: true, description: "The period's due day for the unit asked (its plan chain's rule; null: no deadline is set)" })
  deadline!: string | null;

  @Field(() => ReportingDeadline, { nullable: true, description: "The rule that gives `deadline`, and the plan that sets it" })
  deadlineRule!: ReportingDeadline | null;

  @Field(() => Int, {
    description:
      "Units at the reporting level in the subtree, on the tree of asOf and existing over the whole period, with a plan covering it: every unit that can report it (the template's rows)",
  })
  unitsExpected!: number;

  @Field(() => Int)
  unitsReported!: number;

  @Field(() => Int, { description: "unitsExpected − unitsReported (\"Chưa báo cáo\")" })
  unitsNotReported!: number;

  @Field(() => Int, { description: "Reported after their due day" })
  unitsLate!: number;

  @Field(() => Int, { description: "No report, and their due day has passed" })
  unitsMissing!: number;

  @Field(() => Float, {
    nullable: true,
    description: "unitsReported / unitsExpected, 0..1 (null: none expected)",
    deprecationReason: "Use completenessPercent (0-100, the scale of every share)",
  })
  completeness!: number | null;

  @Field(() => Float, { nullable: true, description: "unitsReported / unitsExpected in percent, 0-100 (null: none expected)" })
  get completenessPercent(): number | null {
    return this.completeness == null ? null : Math.round(this.completeness * 10_000) / 100;
  }

  @Field(() => Date, { nullable: true, description: "The latest report of the indicator for the period among these units" })
  lastReportedAt!: Date | null;

  @Field(() => ReportingUnitPage, { description: "Units without a report (MISSING or PENDING), with their parents: `first` of them after `after`" })
  notReported!: ReportingUnitPage;

  @Field(() => ReportingUnitPage, { description: "Units with a report (REPORTED or LATE), with their report times: `first` of them after `after`" })
  reported!: ReportingUnitPage;
}

@ObjectType({ description: "Who has not reported: per indicator, the units expected in a unit's subtree for a period, who reported, who is late or missing" })
export class ReportingStatus {
  @Field(() => String, { deprecationReason: "Use reportingPeriod { code }" })
  period!: string;

  @Field(() => OrgUnit)
  unit!: OrgUnit;

  @Field(() => DateScalar, { description: "The date whose tree gives the units expected" })
  asOf!: string;

  @Field(() => DateScalar, { description: "The day late and missing are judged on (today in Vietnam)" })
  today!: string;

  @Field(() => [IndicatorReportingStatus])
  indicators!: IndicatorReportingStatus[];
}

@InputType({ description: "A plan's rule for when one period type's reports are due: daysAfterEnd, or day (with monthsAfterEnd); none of them removes the plan's own rule" })
export class ReportingDeadlineInput {
  @Field(() => String, { description: "QUARTER, HALF_YEAR or YEAR" })
  @MaxLength(20)
  periodType!: string;

  @Field(() => Int, { nullable: true, description: "Due this many days after the period's last day (-366..366; never before the period starts)" })
  @IsOptional()
  daysAfterEnd?: number | null;

  @Field(() => Int, { nullable: true, description: "With `day`: the month, this many months after the period's last month (0, the default: that month; -11..12)" })
  @IsOptional()
  monthsAfterEnd?: number | null;

  @Field(() => Int, { nullable: true, description: "The day of that month (1..31; past the month's end: its last day)" })
  @IsOptional()
  day?: number | null;

  @Field(() => String, { nullable: true, description: "The plan's own words for it, quoted" })
  @IsOptional()
  @MaxLength(2000)
  sourceText?: string | null;
}

@InputType({ description: "Set (or remove) a plan's reporting deadlines per period type, all or nothing, under its version, audited" })
export class SetReportingDeadlinesInput {
  @Field(() => ID)
  planId!: string;

  @Field(() => Int, { description: "The plan's version as read" })
  version!: number;

  @Field(() => [ReportingDeadlineInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  deadlines!: ReportingDeadlineInput[];

  @Field(() => String)
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

@ObjectType({ description: "The plan after setReportingDeadlines, with its deadline per period type (its own or inherited)" })
export class ReportingDeadlinesSet {
  @Field(() => Plan)
  plan!: Plan;

  @Field(() => [ReportingDeadline])
  deadlines!: ReportingDeadline[];
}

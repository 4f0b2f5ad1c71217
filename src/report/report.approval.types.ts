import { ArgsType, Field, Float, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { IsOptional, Length, MaxLength } from "class-validator";
import { PageArgs } from "../common/pagination";
import { Indicator } from "../indicator/indicator.model";
import { OrgUnit } from "../org-unit/org-unit.model";

/** The state of a unit's data for a period (GraphQL names → stored words; OPEN is stored as no record). */
export const ApprovalState = { OPEN: "open", SUBMITTED: "submitted", RETURNED: "returned", APPROVED: "approved" } as const;
export type ApprovalState = (typeof ApprovalState)[keyof typeof ApprovalState];
registerEnumType(ApprovalState, {
  name: "ApprovalState",
  description:
    "A unit's data for a period: OPEN (nothing submitted), SUBMITTED (waits for its approver), RETURNED (sent back with a reason, or reopened: " +
    "corrected and submitted again), APPROVED (locked: new rows for the unit and period are refused with the row code LOCKED)",
});

export const ApprovalStepKind = { SUBMIT: "submit", APPROVE: "approve", RETURN: "return", REOPEN: "reopen" } as const;
export type ApprovalStepKind = (typeof ApprovalStepKind)[keyof typeof ApprovalStepKind];
registerEnumType(ApprovalStepKind, { name: "ApprovalStepKind", description: "A step of the reporting cycle" });

export const ReportChangeKind = { SUBMITTED: "submitted", UPDATED: "updated", WITHDRAWN: "withdrawn" } as const;
export type ReportChangeKind = (typeof ReportChangeKind)[keyof typeof ReportChangeKind];
registerEnumType(ReportChangeKind, {
  name: "ReportChangeKind",
  description: "SUBMITTED: the first value (or the first after a withdrawal); UPDATED: a changed value; WITHDRAWN: removed by its reporter, with a reason",
});

const PERIOD_FIELD = { description: "2025-Q3, 2025-H1 or 2025: the period whose data this is" };

@ObjectType({ description: "One step of a unit's data for a period: who, from which unit, when, why (from the audit log)" })
export class ApprovalStep {
  @Field(() => ApprovalStepKind)
  step!: ApprovalStepKind;

  @Field(() => ApprovalState, { description: "The state the step led to" })
  state!: ApprovalState;

  @Field(() => String, { description: "The caller (token subject)" })
  by!: string;

  @Field(() => String, { nullable: true, description: "The caller's unit (GSO code)" })
  byUnitCode!: string | null;

  @Field(() => Date)
  at!: Date;

  @Field(() => String, { nullable: true })
  reason!: string | null;
}

@ObjectType({ description: "Where a unit's data for a period stands in the reporting cycle, and who approves it" })
export class PeriodApproval {
  unitId!: number;
  approverId!: number | null;

  @Field(() => OrgUnit, { description: "The reporting unit, on the period's tree" })
  unit!: OrgUnit;

  @Field(() => String, { deprecationReason: "Use reportingPeriod { code }" })
  period!: string;

  @Field(() => ApprovalState)
  state!: ApprovalState;

  @Field(() => OrgUnit, {
    nullable: true,
    description:
      "The unit that approves, returns and reopens it: the nearest unit above it that exists today (its parent; for the old tree's units, the unit its " +
      "abolished district or province went into, e.g. the province for a commune of 2024). Null for the nation",
  })
  approver!: OrgUnit | null;

  @Field(() => Int, { description: "Report rows of the unit for the period, now" })
  reports!: number;

  @Field(() => String, { nullable: true })
  submittedBy!: string | null;

  @Field(() => Date, { nullable: true })
  submittedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "APPROVED: who approved it" })
  approvedBy!: string | null;

  @Field(() => String, { nullable: true, description: "APPROVED: the approver's unit (GSO code)" })
  approvedByUnitCode!: string | null;

  @Field(() => Date, { nullable: true })
  approvedAt!: Date | null;

  @Field(() => ApprovalStepKind, { nullable: true, description: "The last step (null: OPEN)" })
  lastStep!: ApprovalStepKind | null;

  @Field(() => String, { nullable: true })
  lastBy!: string | null;

  @Field(() => String, { nullable: true })
  lastByUnitCode!: string | null;

  @Field(() => Date, { nullable: true })
  lastAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The last step's reason (a return's or a reopen's, always given)" })
  reason!: string | null;

  @Field(() => [ApprovalStep], { description: "Every step, oldest first" })
  steps!: ApprovalStep[];
}

@ObjectType({ description: "Units by state (over the whole list, whatever the page or filter)" })
export class ApprovalCounts {
  @Field(() => Int)
  open!: number;

  @Field(() => Int)
  submitted!: number;

  @Field(() => Int)
  returned!: number;

  @Field(() => Int)
  approved!: number;
}

@ObjectType({ description: "A page of units with the state of their data for a period: the unit asked for first, then the units below it by depth and code" })
export class PeriodApprovalPage {
  @Field(() => String, { deprecationReason: "Use reportingPeriod { code }" })
  period!: string;

  @Field(() => ApprovalCounts)
  counts!: ApprovalCounts;

  @Field(() => [PeriodApproval])
  nodes!: PeriodApproval[];

  @Field(() => Int, { description: "Units matching (the state filter), over all pages" })
  totalCount!: number;

  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "Pass as `after` for the next page" })
  endCursor!: string | null;
}

@ArgsType()
export class PeriodApprovalsArgs extends PageArgs {
  @Field(() => String, { description: "A unit of your subtree (its code on the period's tree: 91 is old Kiên Giang in 2024)" })
  @MaxLength(10)
  unitCode!: string;

  @Field(() => String, PERIOD_FIELD)
  @MaxLength(10)
  period!: string;

  @Field(() => ApprovalState, { nullable: true, description: "Only units in this state (SUBMITTED: what waits for approval)" })
  @IsOptional()
  state?: ApprovalState | null;
}

@InputType({ description: "A reporting unit's data for a period, marked as submitted to its approver" })
export class SubmitPeriodInput {
  @Field(() => String, { description: "The reporting unit: yours or one of your subtree (valid over the whole period)" })
  @Length(1, 10)
  unitCode!: string;

  @Field(() => String, PERIOD_FIELD)
  @Length(1, 10)
  period!: string;

  @Field(() => String, { nullable: true, description: "A note for the approver" })
  @IsOptional()
  @MaxLength(500)
  reason?: string | null;
}

@InputType({ description: "Approve one unit's submitted data, or every submitted unit you approve" })
export class ApprovePeriodInput {
  @Field(() => String, PERIOD_FIELD)
  @Length(1, 10)
  period!: string;

  @Field(() => String, {
    nullable: true,
    description: "The unit whose data to approve; with allSubmitted, only units at or below it (default: all you approve)",
  })
  @IsOptional()
  @Length(1, 10)
  unitCode?: string | null;

  @Field(() => Boolean, { defaultValue: false, description: "Approve every SUBMITTED unit whose approver is your unit (none: an empty list)" })
  allSubmitted: boolean = false;

  @Field(() => String, { nullable: true, description: "A note kept in the audit log" })
  @IsOptional()
  @MaxLength(500)
  reason?: string | null;
}

@InputType({ description: "A unit's data for a period, with the reason its approver returns (SUBMITTED) or reopens (APPROVED) it" })
export class DecidePeriodInput {
  @Field(() => String, { description: "The reporting unit (its code on the period's tree)" })
  @Length(1, 10)
  unitCode!: string;

  @Field(() => String, PERIOD_FIELD)
  @Length(1, 10)
  period!: string;

  @Field(() => String, { description: "Why (required; kept in the audit log and shown to the reporter)" })
  @MaxLength(500)
  reason!: string;
}

@InputType({ description: "A report row sent by mistake, withdrawn by a reporter before its unit and period are approved" })
export class WithdrawReportInput {
  @Field(() => String)
  @Length(1, 10)
  unitCode!: string;

  @Field(() => String)
  @Length(1, 60)
  indicatorCode!: string;

  @Field(() => String, PERIOD_FIELD)
  @Length(1, 10)
  period!: string;

  @Field(() => String, { description: "Why (required; kept in the report's history)" })
  @MaxLength(500)
  reason!: string;
}

@ObjectType({ description: "A report row withdrawn: the values it held; roll-ups no longer count it" })
export class WithdrawnReport {
  @Field(() => String)
  unitCode!: string;

  @Field(() => String)
  indicatorCode!: string;

  @Field(() => String, { deprecationReason: "Use reportingPeriod { code }" })
  period!: string;

  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field(() => Float, { nullable: true })
  numerator!: number | null;

  @Field(() => Float, { nullable: true })
  denominator!: number | null;

  @Field(() => String)
  reason!: string;
}

@ArgsType()
export class ReportHistoryArgs {
  @Field(() => String, { description: "The reporting unit (its code on the period's tree), in your subtree" })
  @MaxLength(10)
  unitCode!: string;

  @Field(() => String)
  @MaxLength(60)
  indicatorCode!: string;

  @Field(() => String, PERIOD_FIELD)
  @MaxLength(10)
  period!: string;
}

@ObjectType({ description: "One change of a report: the values from then on (withdrawn: the values removed), who, when, why" })
export class ReportChange {
  @Field(() => ReportChangeKind)
  action!: ReportChangeKind;

  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field(() => Float, { nullable: true })
  numerator!: number | null;

  @Field(() => Float, { nullable: true })
  denominator!: number | null;

  @Field(() => String)
  by!: string;

  @Field(() => Date)
  at!: Date;

  @Field(() => String, { nullable: true, description: "The reason given (a withdrawal's always; a batch's when it gave one)" })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: "The batch: its idempotency key, else its request id" })
  batch!: string | null;
}

@ObjectType({ description: "Every change of one report (unit, indicator, period), oldest first, with where its period stands" })
export class ReportHistory {
  @Field(() => OrgUnit)
  unit!: OrgUnit;

  @Field(() => Indicator)
  indicator!: Indicator;

  @Field(() => String, { deprecationReason: "Use reportingPeriod { code }" })
  period!: string;

  @Field(() => ReportChange, { nullable: true, description: "The values in force (null: none, or withdrawn)" })
  current!: ReportChange | null;

  @Field(() => [ReportChange])
  changes!: ReportChange[];

  @Field(() => PeriodApproval, { description: "The unit's data for the period in the reporting cycle (APPROVED: locked)" })
  approval!: PeriodApproval;
}

import { Field, ID, InputType, Int } from "type-graphql";
import { IsBoolean, IsInt, IsOptional, Matches, MaxLength, MinLength } from "class-validator";
import { ISO_DATE } from "../common/period";
import { IsDateInRange, IsPlainName, isoDateMessage } from "../common/input-rules";

@InputType()
export class CreatePlanInput {
  @Field(() => ID, {
    nullable: true,
    description:
      "The plan this one implements (a draft or an active plan). Omit it for a top-level plan: the nation's, or a province " +
      "planning before the national program is approved; such a plan names its programCode and legalBasis, is for your own " +
      "unit only, and may be attached to an approved parent later (attachPlan)",
  })
  @IsOptional()
  parentPlanId?: string | null;

  @Field(() => String, {
    description: "GSO code of the issuing unit: the parent plan's unit or one of its children; with no parent, your own unit",
  })
  @MaxLength(10)
  unitCode!: string;

  @Field(() => String, { nullable: true, description: "The program's code (required with no parent; else the parent's program)" })
  @IsOptional()
  @MaxLength(40)
  programCode?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "What the plan rests on, in words (required with no parent), e.g. \"Pháp lệnh phòng, chống mại dâm 10/2003/PL-UBTVQH11; báo cáo tổng kết 2021-2025\"",
  })
  @IsOptional()
  @MinLength(3)
  @MaxLength(2000)
  @IsPlainName()
  legalBasis?: string | null;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(500)
  @IsPlainName()
  title!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(80)
  @IsPlainName()
  documentNumber?: string | null;

  @Field(() => String, { nullable: true, description: "ISO date" })
  @IsOptional()
  @Matches(ISO_DATE, isoDateMessage)
  @IsDateInRange()
  issuedOn?: string | null;

  @Field(() => String, { description: "ISO date, within the parent plan's period (if any)" })
  @Matches(ISO_DATE, isoDateMessage)
  @IsDateInRange()
  periodStart!: string;

  @Field(() => String, { description: "ISO date, within the parent plan's period (if any)" })
  @Matches(ISO_DATE, isoDateMessage)
  @IsDateInRange()
  periodEnd!: string;

  @Field(() => String)
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

/** The fields every change of a plan's life cycle takes. */
@InputType()
abstract class PlanChangeInput {
  @Field(() => ID)
  planId!: string;

  @Field(() => Int, { description: "The plan's version as you read it; CONFLICT if it changed since" })
  @IsInt()
  version!: number;

  @Field(() => String, { description: "Why (kept in the audit log, and on any exception recorded)" })
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

@InputType({
  description:
    "Approve a draft: a planner of the parent plan's unit (for a plan with no parent, an admin of the plan's own unit). " +
    "Refused while the parent is a draft, while another active plan of the unit overlaps it (unless one implements the " +
    "other), and, with targets looser than the parent's, unless acceptLooser records them as exceptions",
})
export class ActivatePlanInput extends PlanChangeInput {
  @Field(() => Boolean, {
    nullable: true,
    description: "Activate even with targets looser than (or not comparable with) the parent's, recording each as an exception with the reason",
  })
  @IsOptional()
  @IsBoolean()
  acceptLooser?: boolean | null;
}

@InputType({
  description:
    "Attach a plan with no parent to an approved (ACTIVE) plan of the same program, issued by the plan's unit or its " +
    "parent unit, whose period covers the plan's: every own target is checked against the new parent as setTargets does",
})
export class AttachPlanInput extends PlanChangeInput {
  @Field(() => ID, { description: "The plan to implement from now on" })
  parentPlanId!: string;

  @Field(() => Boolean, {
    nullable: true,
    description: "Attach even with targets looser than (or not comparable with) the parent's, recording each as an exception with the reason",
  })
  @IsOptional()
  @IsBoolean()
  acceptLooser?: boolean | null;
}

@InputType({ description: "Close an active plan (by whoever approves it); refused while active plans implement it (they are listed)" })
export class ClosePlanInput extends PlanChangeInput {}

@InputType({
  description:
    "Replace an active plan by another plan of the same unit and program (a draft is activated in the same step): the old " +
    "plan becomes SUPERSEDED, and its draft and active child plans move to the new one (checked against it)",
})
export class SupersedePlanInput extends PlanChangeInput {
  @Field(() => ID, { description: "The plan that takes its place" })
  byPlanId!: string;

  @Field(() => Int, { description: "That plan's version as you read it" })
  @IsInt()
  byVersion!: number;

  @Field(() => Boolean, {
    nullable: true,
    description: "Go ahead even where the new plan or a moved child plan has targets looser than its new parent's, recording each as an exception",
  })
  @IsOptional()
  @IsBoolean()
  acceptLooser?: boolean | null;
}

import { Field, Float, ID, InputType, Int } from "type-graphql";
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsInt,
  IsOptional,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from "class-validator";
import { FrequencyInterval, TargetKind } from "../common/enums";
import { t } from "../i18n/i18n";
import { ISO_DATE } from "../common/period";
import { IsDateInRange } from "../common/input-rules";

@InputType({ description: "One target of a plan; give the fields its kind needs" })
export class TargetInput {
  @Field(() => String, { description: "Indicator code, e.g. AWR_COMMUNE_ACTIVITY" })
  @MaxLength(60)
  indicator!: string;

  @Field(() => TargetKind)
  kind!: TargetKind;

  @Field(() => Float, { nullable: true, description: "percent 0-100 (share floor/ceiling, cumulative deadline)" })
  @IsOptional()
  @Min(0, { message: () => t("target:input.shareMin") })
  @Max(100, { message: () => t("target:input.shareMax") })
  share?: number | null;

  @Field(() => Int, { nullable: true, description: "number of units (count floor/ceiling)" })
  @IsOptional()
  @IsInt()
  @Min(0, { message: () => t("target:input.countMin") })
  count?: number | null;

  @Field(() => FrequencyInterval, { nullable: true })
  @IsOptional()
  frequencyInterval?: FrequencyInterval | null;

  @Field(() => Float, { nullable: true, description: "yearly change, low end, percent" })
  @IsOptional()
  @Min(-1000)
  @Max(1000)
  changeLow?: number | null;

  @Field(() => Float, { nullable: true, description: "yearly change, high end, percent" })
  @IsOptional()
  @Min(-1000)
  @Max(1000)
  changeHigh?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "quantity floor/ceiling: how many of the indicator's quantityUnit in the plan's period (60000 people); a whole number ≥ 0",
  })
  @IsOptional()
  quantity?: number | null;

  @Field(() => String, { nullable: true, description: "ISO date within the plan's period (cumulative deadline)" })
  @IsOptional()
  @Matches(ISO_DATE, { message: () => t("target:input.deadline") })
  @IsDateInRange()
  deadline?: string | null;

  @Field(() => String, { nullable: true, description: "The document's own words for this target" })
  @IsOptional()
  @MaxLength(2000)
  sourceText?: string | null;
}

@InputType()
export class SetTargetsInput {
  @Field(() => ID)
  planId!: string;

  @Field(() => Int, { description: "The plan's version as you read it; CONFLICT if it changed since" })
  @IsInt()
  version!: number;

  @Field(() => String, { description: "Why (kept in the history)" })
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;

  @Field(() => [TargetInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  targets!: TargetInput[];
}

@InputType()
export class RemoveTargetInput {
  @Field(() => ID)
  planId!: string;

  @Field(() => Int)
  @IsInt()
  version!: number;

  @Field(() => String, { description: "Indicator code" })
  @MaxLength(60)
  indicator!: string;

  @Field(() => String)
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

@InputType({ description: "Name the child units that must meet an indicator (replaces the plan's list for it)" })
export class AssignTargetInput {
  @Field(() => ID)
  planId!: string;

  @Field(() => Int)
  @IsInt()
  version!: number;

  @Field(() => String, { description: "Indicator code" })
  @MaxLength(60)
  indicator!: string;

  @Field(() => [String], { description: "GSO codes of units under the plan's unit, at the indicator's reporting level" })
  @ArrayMaxSize(1000)
  unitCodes!: string[];

  @Field(() => String)
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

@InputType({ description: "One child unit's quota: its part of the plan's quantity" })
export class QuotaInput {
  @Field(() => String, { description: "GSO code of a child of the plan's unit on the plan's dates (from 1/7/2025 a province's children are communes)" })
  @MaxLength(10)
  unitCode!: string;

  @Field(() => Float, { description: "How many of the indicator's quantityUnit: a whole number ≥ 0" })
  quantity!: number;
}

@InputType({
  description:
    "Split the plan's quantity target for an indicator into quotas for named child units (replaces the plan's quotas for it; an empty list removes them)",
})
export class AssignQuotasInput {
  @Field(() => ID)
  planId!: string;

  @Field(() => Int, { description: "The plan's version as you read it; CONFLICT if it changed since" })
  @IsInt()
  version!: number;

  @Field(() => String, { description: "Indicator code; the plan's effective target for it must be a QUANTITY_FLOOR or QUANTITY_CEILING" })
  @MaxLength(60)
  indicator!: string;

  @Field(() => [QuotaInput])
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  quotas!: QuotaInput[];

  @Field(() => String)
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

@InputType({ description: "A planning figure: the denominator a plan plans for on a ratio indicator (the industrial-zone workers it counts on)" })
export class PlanningFigureInput {
  @Field(() => String, { description: "Indicator code (a RATIO indicator)" })
  @MaxLength(60)
  indicator!: string;

  @Field(() => Float, { nullable: true, description: "How many of the indicator's numeratorUnit the share is of: a whole number > 0; null removes the figure" })
  @IsOptional()
  denominator?: number | null;
}

@InputType({
  description:
    "Set the plan's planning figures, all or nothing: the denominators that turn its quantity targets into shares of its unit, to compare with a parent's share",
})
export class SetPlanningFiguresInput {
  @Field(() => ID)
  planId!: string;

  @Field(() => Int, { description: "The plan's version as you read it; CONFLICT if it changed since" })
  @IsInt()
  version!: number;

  @Field(() => [PlanningFigureInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  figures!: PlanningFigureInput[];

  @Field(() => String)
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

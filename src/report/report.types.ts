import { Field, Float, InputType, Int, ObjectType } from "type-graphql";
import { ArrayMaxSize, ArrayMinSize, IsOptional, Length, MaxLength, ValidateNested } from "class-validator";

/** Most rows one mutation takes (a province's communes for a quarter fit several times over). */
export const MAX_BATCH_ROWS = 10_000;

@InputType({ description: "One value of one unit for one indicator and period" })
export class ReportRowInput {
  @Field(() => String, { description: "GSO code of the reporting unit (in your subtree)" })
  @Length(1, 10)
  unitCode!: string;

  @Field(() => String, { description: "Indicator code, e.g. AWR_COMMUNE_ACTIVITY" })
  @Length(1, 60)
  indicatorCode!: string;

  @Field(() => String, { description: "2025-Q3, 2025-H1 or 2025: of the indicator's period type" })
  @Length(1, 10)
  period!: string;

  @Field(() => Float, { nullable: true, description: "yes/no (0 or 1), count or frequency: the value" })
  value?: number | null;

  @Field(() => Float, { nullable: true, description: "ratio: the numerator (≤ denominator)" })
  numerator?: number | null;

  @Field(() => Float, { nullable: true, description: "ratio: the denominator" })
  denominator?: number | null;
}

@InputType({ description: "A batch of report rows: validated whole, written all or nothing" })
export class SubmitReportsInput {
  @Field(() => [ReportRowInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ROWS)
  @ValidateNested({ each: true })
  rows!: ReportRowInput[];

  @Field(() => Boolean, { defaultValue: false, description: "Validate and count, write nothing" })
  dryRun: boolean = false;

  @Field(() => String, {
    nullable: true,
    description: "Client key of this batch: a retry with the same key and rows answers the first result; the same key with other rows is refused (CONFLICT)",
  })
  @IsOptional()
  @MaxLength(200)
  idempotencyKey?: string | null;
  @Field(() => String, {
    nullable: true,
    description: "Why these values are sent (a correction after a return or reopen, say): kept with each new or changed report in its history (reportHistory)",
  })
  @IsOptional()
  @MaxLength(500)
  reason?: string | null;
}

@ObjectType({ description: "What a report batch did (or, in a dry run, would do)" })
export class SubmitReportsResult {
  @Field(() => Boolean)
  dryRun!: boolean;

  @Field(() => Boolean, { description: "True when this answers an earlier batch with the same idempotency key" })
  replayed!: boolean;

  @Field(() => Int, { description: "Rows received" })
  received!: number;

  @Field(() => Int, { description: "New reports" })
  inserted!: number;

  @Field(() => Int, { description: "Reports whose value changed (each one audited with old and new value)" })
  updated!: number;

  @Field(() => Int, { description: "Rows identical to what is stored" })
  unchanged!: number;
}

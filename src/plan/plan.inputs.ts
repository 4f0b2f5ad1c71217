import { Field, ID, InputType } from "type-graphql";
import { IsOptional, Matches, MaxLength, MinLength } from "class-validator";
import { ISO_DATE } from "../common/period";
import { IsDateInRange, IsPlainName } from "../common/input-rules";

@InputType()
export class CreatePlanInput {
  @Field(() => ID, { description: "The plan this one implements" })
  parentPlanId!: string;

  @Field(() => String, { description: "GSO code of the issuing unit: the parent plan's unit or one of its children" })
  @MaxLength(10)
  unitCode!: string;

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
  @Matches(ISO_DATE, { message: "issuedOn must be an ISO date (YYYY-MM-DD)" })
  @IsDateInRange()
  issuedOn?: string | null;

  @Field(() => String, { description: "ISO date, within the parent plan's period" })
  @Matches(ISO_DATE, { message: "periodStart must be an ISO date (YYYY-MM-DD)" })
  @IsDateInRange()
  periodStart!: string;

  @Field(() => String, { description: "ISO date, within the parent plan's period" })
  @Matches(ISO_DATE, { message: "periodEnd must be an ISO date (YYYY-MM-DD)" })
  @IsDateInRange()
  periodEnd!: string;

  @Field(() => String)
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

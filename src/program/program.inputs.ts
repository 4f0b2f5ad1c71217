import { Field, InputType, Int } from "type-graphql";
import { ArrayMaxSize, IsInt, IsOptional, Length, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from "class-validator";
import { Area, Direction, OrgLevel, PeriodRule, PeriodType, RollupRule, ValueKind } from "../common/enums";
import { IsPlainName } from "../common/input-rules";
import { t } from "../i18n/i18n";

/** One indicator of a new program's own catalog: the fields of createIndicator. */
@InputType({
  description:
    "An indicator of the new program's catalog. The settings must fit together as in createIndicator: SHARE_OF_UNITS needs " +
    "YES_NO, RATIO_OF_SUMS needs RATIO (and a RATIO rolls up only so), YES_NO combines periods by ALL, ANY or LATEST, the others by SUM or LATEST",
})
export class ProgramIndicatorInput {
  @Field(() => String, { description: "Stable code: capital letters, digits and _ (2-60); not used by any program yet" })
  @Matches(/^\s*[A-Za-z0-9_]{2,60}\s*$/, { message: (a) => t("indicator:codeFormat", { field: a.property }) })
  code!: string;

  @Field(() => String)
  @Length(1, 500)
  @IsPlainName()
  nameVi!: string;

  @Field(() => String)
  @Length(1, 500)
  @IsPlainName()
  nameEn!: string;

  @Field(() => Area)
  area!: Area;

  @Field(() => ValueKind)
  valueKind!: ValueKind;

  @Field(() => Direction)
  direction!: Direction;

  @Field(() => RollupRule)
  rollupRule!: RollupRule;

  @Field(() => OrgLevel, { description: "Level of the units that report it (PROVINCE, DISTRICT or COMMUNE)" })
  reportingLevel!: OrgLevel;

  @Field(() => PeriodType)
  periodType!: PeriodType;

  @Field(() => PeriodRule)
  periodRule!: PeriodRule;

  @Field(() => String, { description: "What is counted (numerator / denominator, or units)" })
  @Length(1, 500)
  measuredOn!: string;

  @Field(() => Int, { nullable: true, description: "Position in the catalog (default: the order given, after the last)" })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  sortOrder?: number | null;
}

@InputType({ description: "A new national program with its own indicator catalog (national admins only)" })
export class CreateProgramInput {
  @Field(() => String, { description: "Stable code: capital letters, digits and _ (2-40)" })
  @Matches(/^\s*[A-Za-z0-9_]{2,40}\s*$/, { message: (a) => t("program:codeFormat", { field: a.property }) })
  code!: string;

  @Field(() => String)
  @Length(1, 500)
  @IsPlainName()
  nameVi!: string;

  @Field(() => String)
  @Length(1, 500)
  @IsPlainName()
  nameEn!: string;

  @Field(() => [ProgramIndicatorInput], { nullable: true, description: "The program's own catalog (more indicators may follow)" })
  @IsOptional()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  indicators?: ProgramIndicatorInput[] | null;

  @Field(() => String, { description: "Why (kept in the audit log)" })
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

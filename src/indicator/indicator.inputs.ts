import { Field, Float, InputType, Int } from "type-graphql";
import { IsInt, IsOptional, Length, Matches, Max, MaxLength, Min, MinLength } from "class-validator";
import { Area, Direction, OrgLevel, PeriodRule, PeriodType, RollupRule, UnitOfMeasure, ValueKind } from "../common/enums";
import { t } from "../i18n/i18n";

const INDICATOR_CODE = /^\s*[A-Za-z0-9_]{2,60}\s*$/;

@InputType({
  description:
    "A new indicator of the program's catalog (national admins only). The settings must fit together: SHARE_OF_UNITS needs YES_NO, " +
    "RATIO_OF_SUMS needs RATIO (and a RATIO rolls up only so), YES_NO combines periods by ALL, ANY or LATEST, the others by SUM or LATEST.",
})
export class CreateIndicatorInput {
  @Field(() => String, { description: "Stable code: capital letters, digits and _ (2-60), e.g. AWR_COMMUNE_ACTIVITY; not used yet" })
  @Matches(INDICATOR_CODE, { message: (a) => t("indicator:codeFormat", { field: a.property }) })
  code!: string;

  @Field(() => String, { nullable: true, description: "The program whose catalog it joins (default: the only program, when there is one)" })
  @IsOptional()
  @MaxLength(60)
  programCode?: string | null;

  @Field(() => String, { description: "Name as the plans word it (Vietnamese)" })
  @Length(1, 500)
  nameVi!: string;

  @Field(() => String)
  @Length(1, 500)
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

  @Field(() => PeriodType, { description: "Length of one reporting period" })
  periodType!: PeriodType;

  @Field(() => PeriodRule, { description: "How reports of shorter periods make a longer one" })
  periodRule!: PeriodRule;

  @Field(() => String, { description: "What is counted (numerator / denominator, or units)" })
  @Length(1, 500)
  measuredOn!: string;

  @Field(() => UnitOfMeasure, {
    nullable: true,
    description: "What the value is in: PERCENT for YES_NO and RATIO (the default); for COUNT (default ITEMS) and FREQUENCY (default TIMES) the thing counted",
  })
  @IsOptional()
  unit?: UnitOfMeasure | null;

  @Field(() => UnitOfMeasure, { nullable: true, description: "RATIO only: what the numerator counts (default ITEMS), the unit of quantity targets on it" })
  @IsOptional()
  numeratorUnit?: UnitOfMeasure | null;

  @Field(() => Float, {
    nullable: true,
    description: "Percent (0-100) of the units expected that must report for a roll-up cell to be judged and ranked (default 50)",
  })
  @IsOptional()
  @Min(0)
  @Max(100)
  minCompleteness?: number | null;

  @Field(() => Int, { nullable: true, description: "Position in the catalog (default: after the last)" })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  sortOrder?: number | null;

  @Field(() => String, { description: "Why (kept in the audit log)" })
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

@InputType({
  description:
    "Changes the descriptive fields of an indicator, its units included (national admins only). What decides the math (valueKind, rollupRule, " +
    "reportingLevel, periodType, periodRule, direction) cannot change: stored reports, roll-up summaries and targets were made " +
    "under those settings and would silently mean something else; create a new indicator instead.",
})
export class UpdateIndicatorInput {
  @Field(() => String, { description: "Code of the indicator" })
  @Matches(INDICATOR_CODE, { message: (a) => t("indicator:codeFormat", { field: a.property }) })
  code!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 500)
  nameVi?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 500)
  nameEn?: string | null;

  @Field(() => Area, { nullable: true })
  @IsOptional()
  area?: Area | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 500)
  measuredOn?: string | null;

  @Field(() => UnitOfMeasure, {
    nullable: true,
    description: "COUNT and FREQUENCY only: what is counted (no stored number changes: a quantity of 100 stays 100)",
  })
  @IsOptional()
  unit?: UnitOfMeasure | null;

  @Field(() => UnitOfMeasure, { nullable: true, description: "RATIO only: what the numerator counts" })
  @IsOptional()
  numeratorUnit?: UnitOfMeasure | null;

  @Field(() => Float, {
    nullable: true,
    description: "Percent (0-100) of the units expected that must report for a roll-up cell to be judged and ranked; cells are judged anew at once (no stored figure changes)",
  })
  @IsOptional()
  @Min(0)
  @Max(100)
  minCompleteness?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  sortOrder?: number | null;

  @Field(() => String, { description: "Why (kept in the audit log)" })
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

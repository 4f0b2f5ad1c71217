import { Field, InputType, Int, ObjectType } from "type-graphql";
import { ArrayMaxSize, IsOptional, Length, MaxLength, MinLength, ValidateNested } from "class-validator";
import { DateScalar } from "../common/date.scalar";
import { SuccessionRelation } from "./org-unit.types";

/** The longest reform batch one request takes (the 2025 crosswalk has 10.8k rows: send it in parts or use the CLI). */
export const MAX_REFORM_ROWS = 5000;

@InputType({ description: "One crosswalk row, the columns of vn-admin-2025-mapping.csv: an old unit and the new unit it went into" })
export class CrosswalkRowInput {
  @Field(() => String) @Length(1, 10) oldCode!: string;
  @Field(() => String, { defaultValue: "" }) @MaxLength(200) oldName: string = "";
  @Field(() => String, { description: "province, district or commune" }) @MaxLength(20) oldLevel!: string;
  @Field(() => String, { defaultValue: "", description: "checked when given" }) @MaxLength(10) oldParentCode: string = "";
  @Field(() => String, { defaultValue: "", description: "checked when given" }) @MaxLength(10) oldProvinceCode: string = "";
  @Field(() => String) @Length(1, 10) newCode!: string;
  @Field(() => String, { defaultValue: "" }) @MaxLength(200) newName: string = "";
  @Field(() => String) @MaxLength(20) newLevel!: string;
  @Field(() => String, { defaultValue: "" }) @MaxLength(10) newProvinceCode: string = "";
  @Field(() => String, { description: "full or partial" }) @MaxLength(20) relation!: string;
  @Field(() => String, { defaultValue: "unchecked", description: "bando, resolution, corrected or unchecked" })
  @MaxLength(20)
  check: string = "unchecked";
}

@InputType({ description: "A unit the reform opens on its date" })
export class UnitOpeningInput {
  @Field(() => String) @Length(1, 10) code!: string;
  @Field(() => String) @Length(1, 200) name!: string;
  @Field(() => String, { description: "province or commune (district only before 1/7/2025)" }) @MaxLength(20) level!: string;
  @Field(() => String) @MaxLength(40) type!: string;
  @Field(() => String, { description: "Code of its parent on the reform's date (VN for a province)" }) @MaxLength(10) parentCode!: string;
}

@InputType({ description: "A reform of the tree: old units close on effectiveOn, new ones open, successions link them; all or nothing" })
export class RecordReformInput {
  @Field(() => DateScalar, { description: "First day of the new units; the old ones end the day before" })
  effectiveOn!: string;

  @Field(() => [CrosswalkRowInput], { description: `At most ${MAX_REFORM_ROWS} rows` })
  @ArrayMaxSize(MAX_REFORM_ROWS)
  @ValidateNested({ each: true })
  rows!: CrosswalkRowInput[];

  @Field(() => [UnitOpeningInput], { nullable: true, description: "Units to open (default none)" })
  @ArrayMaxSize(MAX_REFORM_ROWS)
  @ValidateNested({ each: true })
  opens?: UnitOpeningInput[] | null;

  @Field(() => [String], { nullable: true, description: "Codes of units that end with no successor (default none)" })
  @ArrayMaxSize(MAX_REFORM_ROWS)
  closes?: string[] | null;

  @Field(() => String, { description: "Why, e.g. the resolution's number (kept in the audit log)" })
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

@ObjectType({ description: "What a recorded reform did" })
export class ReformRecorded {
  @Field(() => DateScalar) effectiveOn!: string;
  @Field(() => Int) closed!: number;
  @Field(() => Int) opened!: number;
  @Field(() => Int) successions!: number;
  @Field(() => Int, { description: "Rows whose old unit continues as itself (nothing written)" }) continued!: number;
}

@InputType({ description: "Corrects one succession (an unchecked crosswalk pair found wrong): its relation, or its removal" })
export class CorrectSuccessionInput {
  @Field(() => String, { description: "Code of the old unit, as it was the day before `on`" })
  @Length(1, 10)
  oldCode!: string;

  @Field(() => String, { description: "Code of the new unit, as it is on `on`" })
  @Length(1, 10)
  newCode!: string;

  @Field(() => DateScalar, { description: "The day the new unit took over (the reform's date)" })
  on!: string;

  @Field(() => SuccessionRelation, { nullable: true, description: "The right relation; null removes a pair that is wrong" })
  @IsOptional()
  relation?: SuccessionRelation | null;

  @Field(() => String, { description: "Why, e.g. the resolution that shows it (kept in the audit log)" })
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

@ObjectType({ description: "A succession after its correction" })
export class SuccessionCorrected {
  @Field(() => String) oldCode!: string;
  @Field(() => String) newCode!: string;
  @Field(() => DateScalar) on!: string;
  @Field(() => SuccessionRelation, { nullable: true, description: "null: the pair was removed" }) relation!: SuccessionRelation | null;
  @Field(() => SuccessionRelation, { nullable: true, description: "Before the correction (null: the pair was added)" })
  previousRelation!: SuccessionRelation | null;
}

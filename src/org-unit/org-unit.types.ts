import { ArgsType, Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateScalar } from "../common/date.scalar";
import { IsOptional, Length, MaxLength } from "class-validator";
import { OrgLevel } from "../common/enums";
import { PageArgs } from "../common/pagination";
import { OrgUnit } from "./org-unit.model";

@ObjectType({ description: "A page of org units, ordered by code" })
export class OrgUnitPage {
  @Field(() => [OrgUnit])
  nodes!: OrgUnit[];

  @Field(() => Int, { description: "Units matching, over all pages" })
  totalCount!: number;

  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "Pass as `after` for the next page" })
  endCursor!: string | null;
}

@ArgsType()
export class OrgUnitSearchArgs extends PageArgs {
  @Field(() => String, { description: "Part of the name; accents and case are ignored (\"Ha Long\" finds \"Hạ Long\")" })
  @Length(1, 100)
  text!: string;

  @Field(() => String, { nullable: true, description: "Search only below this unit (default: your own unit)" })
  @IsOptional()
  @MaxLength(10)
  under?: string;

  @Field(() => OrgLevel, { nullable: true })
  @IsOptional()
  level?: OrgLevel;

  @Field(() => DateScalar, { nullable: true, description: "The tree of this date (default: today)" })
  @IsOptional()
  asOf?: string;

  @Field(() => Boolean, {
    defaultValue: false,
    description: "Also find units of any date, by any name they bore (abolished units with their dates and successors)",
  })
  includeHistorical: boolean = false;
}

export enum SuccessionRelation {
  FULL = "FULL",
  PARTIAL = "PARTIAL",
}
registerEnumType(SuccessionRelation, {
  name: "SuccessionRelation",
  description: "FULL: the whole old unit went into the new one; PARTIAL: only part of it (it was split)",
});

@ObjectType({ description: "One link of a reform: an old unit and a new one" })
export class UnitSuccession {
  @Field(() => OrgUnit, { description: "The unit at the other end: the new one (successors) or the old one (predecessors)" })
  unit!: OrgUnit;

  @Field(() => SuccessionRelation)
  relation!: SuccessionRelation;

  @Field(() => DateScalar, { description: "The day the new unit took over" })
  on!: string;

  @Field(() => String, { description: "How the pair was checked: bando, resolution, corrected, codes, or unchecked" })
  verification!: string;
}

@ObjectType({ description: "A name (and type) a unit bore before its current one" })
export class FormerName {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  type!: string;

  @Field(() => DateScalar)
  validFrom!: string;

  @Field(() => DateScalar, { description: "First day of the next name" })
  validTo!: string;
}

import { ArgsType, Field, Int, ObjectType } from "type-graphql";
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
}

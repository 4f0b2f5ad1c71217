import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { DeltaUnit } from "../common/enums";
import { EffectiveTargetView } from "./target.types";

@ObjectType({ description: "Named child units for an indicator, judged against the plan's own effective target" })
export class AssignmentJudgement {
  @Field(() => ID)
  planId!: string;

  @Field(() => String, { nullable: true })
  planDocument!: string | null;

  @Field(() => String)
  unitCode!: string;

  @Field(() => String)
  indicatorCode!: string;

  @Field(() => [String], { description: "Codes of the named units you may see (a district sees itself, not its siblings)" })
  unitCodes!: string[];

  @Field(() => [String], { description: "Names of the named units you may see" })
  unitNames!: string[];

  @Field(() => Int, { description: "How many units are named, those you may not see included (the judgement counts them all)" })
  named!: number;

  @Field(() => Int, { description: "How many units the plan's unit has at the indicator's reporting level" })
  total!: number;

  @Field(() => Float, { nullable: true, description: "named / total, percent" })
  share!: number | null;

  @Field(() => EffectiveTargetView, { nullable: true, description: "The plan's effective target the assignment must meet" })
  target!: EffectiveTargetView | null;

  @Field(() => Boolean, { description: "false when naming units cannot meet the target's kind, or there is no target" })
  applicable!: boolean;

  @Field(() => Boolean, { nullable: true })
  meets!: boolean | null;

  @Field(() => Float, { nullable: true, description: "> 0 clears the target by this much, < 0 misses it" })
  margin!: number | null;

  @Field(() => DeltaUnit, { nullable: true })
  marginUnit!: DeltaUnit | null;

  @Field(() => Int, { nullable: true, description: "How many units must be named to meet the target" })
  needed!: number | null;

  @Field(() => String)
  explanation!: string;
}

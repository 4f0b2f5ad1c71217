import { Field, Int, ObjectType } from "type-graphql";
import { Plan } from "../plan/plan.model";
import { EffectiveTargetView, TargetValueView } from "./target.types";

@ObjectType({ description: "One recorded change of a target, an assignment or a quota split" })
export class TargetChange {
  @Field(() => Date)
  occurredAt!: Date;

  @Field(() => String)
  actor!: string;

  @Field(() => String, { description: "target.set, target.remove, target.assign or target.quotas" })
  action!: string;

  @Field(() => TargetValueView, { nullable: true })
  oldValue!: TargetValueView | null;

  @Field(() => TargetValueView, { nullable: true })
  newValue!: TargetValueView | null;

  @Field(() => [String], { nullable: true, description: "Assignments and quota splits: unit codes before" })
  oldUnitCodes!: string[] | null;

  @Field(() => [String], { nullable: true, description: "Assignments and quota splits: unit codes after" })
  newUnitCodes!: string[] | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => Int, { description: "The plan's version after the change" })
  planVersion!: number;
}

@ObjectType({ description: "One plan of a chain, with its own and its effective target for one indicator" })
export class TargetChainLink {
  @Field(() => Int, { description: "0 for the root of the chain, growing downwards" })
  level!: number;

  @Field(() => Plan)
  plan!: Plan;

  @Field(() => String)
  unitCode!: string;

  @Field(() => TargetValueView, { nullable: true, description: "The plan's own target, if it sets one" })
  own!: TargetValueView | null;

  @Field(() => EffectiveTargetView, { nullable: true })
  effective!: EffectiveTargetView | null;
}

import { createUnionType, Field, ID, ObjectType } from "type-graphql";
import { RefusalReason } from "../common/enums";
import { Plan } from "../plan/plan.model";
import { EffectiveTargetView, TargetComparisonView, TargetValueView } from "./target.types";

/** What the target mutations answer. */
@ObjectType({ description: "One requested target that may not stand under the parent plan's" })
export class TargetRefusal {
  @Field(() => String)
  indicatorCode!: string;

  @Field(() => RefusalReason)
  reason!: RefusalReason;

  @Field(() => String)
  message!: string;

  @Field(() => TargetValueView)
  requestedValue!: TargetValueView;

  @Field(() => TargetValueView)
  parentValue!: TargetValueView;

  @Field(() => ID, { description: "The plan that sets the parent value (the parent plan or one above it)" })
  parentPlanId!: string;

  @Field(() => String, { nullable: true })
  parentPlanDocument!: string | null;

  @Field(() => String)
  parentUnitCode!: string;

  @Field(() => TargetComparisonView)
  comparison!: TargetComparisonView;
}

@ObjectType({ description: "The targets were written; the plan's new version is in plan.version" })
export class TargetsSet {
  @Field(() => Plan)
  plan!: Plan;

  @Field(() => [EffectiveTargetView], { description: "The effective targets of the indicators set" })
  targets!: EffectiveTargetView[];
}

@ObjectType({ description: "Nothing was written: every refusal is listed" })
export class TargetsRefused {
  @Field(() => [TargetRefusal])
  refusals!: TargetRefusal[];
}

export const SetTargetsResult = createUnionType({
  name: "SetTargetsResult",
  types: () => [TargetsSet, TargetsRefused] as const,
  resolveType: (value) => ("refusals" in value ? TargetsRefused : TargetsSet),
});

@ObjectType({ description: "The own target was removed; the plan now inherits" })
export class TargetRemoved {
  @Field(() => Plan)
  plan!: Plan;

  @Field(() => EffectiveTargetView, { nullable: true, description: "What applies now (inherited), if anything" })
  effective!: EffectiveTargetView | null;
}

import { createUnionType, Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { RefusalReason } from "../common/enums";
import { TargetRefusal } from "../target/target.results";
import { TargetComparisonView, TargetValueView } from "../target/target.types";
import { Plan } from "./plan.model";

/** When an exception was recorded. */
export const ExceptionOccasion = { ATTACH: "attach", ACTIVATE: "activate", SUPERSEDE: "supersede" } as const;
export type ExceptionOccasion = (typeof ExceptionOccasion)[keyof typeof ExceptionOccasion];
registerEnumType(ExceptionOccasion, {
  name: "ExceptionOccasion",
  description: "ATTACH: attached to a parent plan; ACTIVATE: activated under its parent; SUPERSEDE: moved to the plan that superseded its parent",
});

@ObjectType({
  description:
    "A plan's own target that was looser than (or not comparable with) its parent's when the plan was attached or " +
    "activated, let stand as a recorded exception: which target, both values, why, who, when",
})
export class PlanException {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  planId!: string;

  @Field(() => String, { nullable: true })
  planDocument!: string | null;

  @Field(() => String)
  unitCode!: string;

  @Field(() => String)
  indicatorCode!: string;

  @Field(() => RefusalReason, { description: "What the tightening check found" })
  refusal!: RefusalReason;

  @Field(() => ExceptionOccasion)
  occasion!: ExceptionOccasion;

  @Field(() => TargetValueView, { description: "The plan's own target when the exception was recorded" })
  value!: TargetValueView;

  @Field(() => TargetValueView, { description: "The parent's effective target it was compared with" })
  parentValue!: TargetValueView;

  @Field(() => TargetComparisonView)
  comparison!: TargetComparisonView;

  @Field(() => ID, { description: "The parent plan the plan was attached or activated under" })
  parentPlanId!: string;

  @Field(() => ID, { description: "The plan up the chain that sets the parent value" })
  sourcePlanId!: string;

  @Field(() => String, { nullable: true })
  sourcePlanDocument!: string | null;

  @Field(() => String, { description: "Why it was let stand" })
  reason!: string;

  @Field(() => String, { description: "Who recorded it (the token's subject)" })
  recordedBy!: string;

  @Field(() => Date)
  recordedAt!: Date;
}

@ObjectType({ description: "One plan's targets that may not stand under its (new) parent's" })
export class PlanRefusals {
  @Field(() => Plan)
  plan!: Plan;

  @Field(() => ID)
  parentPlanId!: string;

  @Field(() => [TargetRefusal])
  refusals!: TargetRefusal[];
}

@ObjectType({
  description:
    "Nothing was written: targets are looser than (or not comparable with) the parent's. Fix them (setTargets), or repeat " +
    "with acceptLooser: true to let them stand as recorded exceptions",
})
export class LooserTargetsRefused {
  @Field(() => String)
  message!: string;

  @Field(() => [TargetRefusal], { description: "Every refusal, of every plan concerned" })
  refusals!: TargetRefusal[];

  @Field(() => [PlanRefusals], { description: "The same, per plan" })
  plans!: PlanRefusals[];
}

@ObjectType({ description: "The plan is ACTIVE: its effective targets now apply" })
export class PlanActivated {
  @Field(() => Plan)
  plan!: Plan;

  @Field(() => [PlanException], { description: "Looser targets let stand (with acceptLooser)" })
  exceptions!: PlanException[];
}

@ObjectType({ description: "The plan now implements its new parent and inherits from it" })
export class PlanAttached {
  @Field(() => Plan)
  plan!: Plan;

  @Field(() => [PlanException], { description: "Looser targets let stand (with acceptLooser)" })
  exceptions!: PlanException[];
}

@ObjectType({ description: "The old plan is SUPERSEDED; the new one is ACTIVE and its child plans moved to it" })
export class PlanSuperseded {
  @Field(() => Plan, { description: "The superseded plan" })
  plan!: Plan;

  @Field(() => Plan, { description: "The plan that took its place (ACTIVE)" })
  by!: Plan;

  @Field(() => [Plan], { description: "Child plans (draft and active) that now implement the new plan" })
  movedChildren!: Plan[];

  @Field(() => [PlanException], { description: "Looser targets let stand (with acceptLooser)" })
  exceptions!: PlanException[];
}

const refused = (value: object) => "refusals" in value && "plans" in value;

export const ActivatePlanResult = createUnionType({
  name: "ActivatePlanResult",
  types: () => [PlanActivated, LooserTargetsRefused] as const,
  resolveType: (value) => (refused(value) ? LooserTargetsRefused : PlanActivated),
});

export const AttachPlanResult = createUnionType({
  name: "AttachPlanResult",
  types: () => [PlanAttached, LooserTargetsRefused] as const,
  resolveType: (value) => (refused(value) ? LooserTargetsRefused : PlanAttached),
});

export const SupersedePlanResult = createUnionType({
  name: "SupersedePlanResult",
  types: () => [PlanSuperseded, LooserTargetsRefused] as const,
  resolveType: (value) => (refused(value) ? LooserTargetsRefused : PlanSuperseded),
});

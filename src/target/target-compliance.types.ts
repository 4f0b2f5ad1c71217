import { Field, ID, Int, ObjectType } from "type-graphql";
import { Plan } from "../plan/plan.model";
import { AssignmentJudgement } from "./target-assignment.types";
import { QuotaSplit } from "./quota.types";
import { TargetComparisonView, TargetValueView } from "./target.types";

@ObjectType({ description: "A plan's own target that is looser than (or not comparable with) its parent's effective target, or its unit's quota" })
export class TargetFinding {
  @Field(() => ID)
  planId!: string;

  @Field(() => String, { nullable: true })
  planDocument!: string | null;

  @Field(() => String)
  unitCode!: string;

  @Field(() => String)
  unitName!: string;

  @Field(() => String)
  indicatorCode!: string;

  @Field(() => TargetValueView)
  value!: TargetValueView;

  @Field(() => TargetValueView)
  parentValue!: TargetValueView;

  @Field(() => ID)
  parentPlanId!: string;

  @Field(() => String, { nullable: true })
  parentPlanDocument!: string | null;

  @Field(() => String)
  parentUnitCode!: string;

  @Field(() => Boolean, { description: "true: parentValue is the unit's quota from parentPlanId (its part of that plan's quantity), not the plan's whole target" })
  againstQuota!: boolean;

  @Field(() => TargetComparisonView)
  comparison!: TargetComparisonView;
}

@ObjectType({ description: "A child unit of a plan's unit with no plan of its own overlapping the plan's period" })
export class UnitWithoutPlan {
  @Field(() => ID)
  planId!: string;

  @Field(() => String, { nullable: true })
  planDocument!: string | null;

  @Field(() => String, { description: "The plan's unit" })
  planUnitCode!: string;

  @Field(() => String)
  unitCode!: string;

  @Field(() => String)
  unitName!: string;

  @Field(() => String)
  periodStart!: string;

  @Field(() => String)
  periodEnd!: string;
}

@ObjectType({ description: "A plan and its whole subtree of plans checked against their parents" })
export class ComplianceReport {
  @Field(() => Plan)
  plan!: Plan;

  @Field(() => Int, { description: "Plans in the subtree (the plan included)" })
  plansChecked!: number;

  @Field(() => [TargetFinding], { description: "Own targets looser than the parent's effective target" })
  looserTargets!: TargetFinding[];

  @Field(() => [TargetFinding], { description: "Own targets of a kind that cannot be compared with the parent's" })
  kindMismatches!: TargetFinding[];

  @Field(() => [TargetFinding], {
    description:
      "NOT_COMPARABLE pairs: a quantity against a parent's share (or a share against a quota) with no denominator to turn one into the other; comparison.missing says what is needed. They stand (never refused) but are listed here",
  })
  notComparable!: TargetFinding[];

  @Field(() => [AssignmentJudgement], { description: "Assignments whose named units do not meet the plan's own target" })
  failingAssignments!: AssignmentJudgement[];

  @Field(() => [QuotaSplit], { description: "Quota splits whose quotas do not add up to the plan's quantity: shortfall (or excess) and the child units with none" })
  quotaShortfalls!: QuotaSplit[];

  @Field(() => [UnitWithoutPlan])
  unitsWithoutPlan!: UnitWithoutPlan[];
}

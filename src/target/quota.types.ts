import { createUnionType, Field, Float, ID, Int, ObjectType } from "type-graphql";
import { DenominatorSource, UnitOfMeasure } from "../common/enums";
import { Plan } from "../plan/plan.model";
import { TargetsRefused } from "./target.results";
import { EffectiveTargetView, TargetValueView } from "./target.types";

/** GraphQL views of quotas and planning figures. */
@ObjectType({ description: "One child unit's quota: its part of the plan's quantity, and its effective quantity target" })
export class QuotaView {
  @Field(() => String)
  unitCode!: string;

  @Field(() => String)
  unitName!: string;

  @Field(() => Float)
  quantity!: number;

  @Field(() => TargetValueView, { description: 'The quota as a target: "at least 1,200 businesses"' })
  value!: TargetValueView;
}

@ObjectType({ description: "A child unit of the plan's unit (over the plan's period) with no quota" })
export class UnitWithoutQuota {
  @Field(() => String)
  unitCode!: string;

  @Field(() => String)
  unitName!: string;
}

@ObjectType({
  description:
    "A plan's quantity target split into quotas for its child units, with whether they add up: the sum must reach the plan's quantity " +
    "(at most reach it, for a ceiling); the shortfall says how many are still to be given out, and which children have none",
})
export class QuotaSplit {
  @Field(() => ID)
  planId!: string;

  @Field(() => String, { nullable: true })
  planDocument!: string | null;

  @Field(() => String, { description: "The plan's unit" })
  unitCode!: string;

  @Field(() => String)
  indicatorCode!: string;

  @Field(() => UnitOfMeasure, { nullable: true, description: "What the quantities count" })
  unit!: UnitOfMeasure | null;

  @Field(() => EffectiveTargetView, { nullable: true, description: "The plan's effective target the quotas split (a QUANTITY_FLOOR or QUANTITY_CEILING)" })
  target!: EffectiveTargetView | null;

  @Field(() => [QuotaView], { description: "The quotas you may see (a commune sees its own, not its siblings'); sum and counts are over all of them" })
  quotas!: QuotaView[];

  @Field(() => Float, { description: "Σ of every quota" })
  sum!: number;

  @Field(() => Float, { nullable: true, description: "The plan's quantity" })
  required!: number | null;

  @Field(() => Float, { nullable: true, description: "QUANTITY_FLOOR: how many are still to be given out (0 when the quotas reach the plan's quantity)" })
  shortfall!: number | null;

  @Field(() => Float, { nullable: true, description: "QUANTITY_CEILING: by how much the quotas exceed the plan's quantity" })
  excess!: number | null;

  @Field(() => Boolean, { nullable: true, description: "Do the quotas add up? null: the plan has no quantity target for the indicator" })
  meets!: boolean | null;

  @Field(() => Int, { description: "Child units with a quota" })
  named!: number;

  @Field(() => Int, { description: "Child units of the plan's unit over the plan's period" })
  children!: number;

  @Field(() => Int, { description: "Child units without a quota (all of them, those you may not see included)" })
  withoutQuotaCount!: number;

  @Field(() => [UnitWithoutQuota], { description: "The child units without a quota that you may see" })
  unitsWithoutQuota!: UnitWithoutQuota[];

  @Field(() => String)
  explanation!: string;
}

@ObjectType({ description: "A plan's planning figure: the denominator it plans for on a ratio indicator" })
export class PlanningFigure {
  @Field(() => String)
  indicatorCode!: string;

  @Field(() => Float)
  denominator!: number;

  @Field(() => UnitOfMeasure, { nullable: true, description: "What it counts (the indicator's numeratorUnit)" })
  unit!: UnitOfMeasure | null;

  @Field(() => DenominatorSource, { description: "PLANNING_FIGURE here (reads of reported denominators say REPORTED)" })
  source!: DenominatorSource;

  @Field(() => String)
  setBy!: string;

  @Field(() => Date)
  setAt!: Date;
}

@ObjectType({ description: "The planning figures were written; the plan's new version is in plan.version" })
export class PlanningFiguresSet {
  @Field(() => Plan)
  plan!: Plan;

  @Field(() => [PlanningFigure], { description: "Every planning figure of the plan now" })
  figures!: PlanningFigure[];

  @Field(() => [EffectiveTargetView], { description: "The plan's effective targets on the indicators given, compared with their parents through the new figures" })
  targets!: EffectiveTargetView[];
}

export const SetPlanningFiguresResult = createUnionType({
  name: "SetPlanningFiguresResult",
  types: () => [PlanningFiguresSet, TargetsRefused] as const,
  resolveType: (value) => ("refusals" in value ? TargetsRefused : PlanningFiguresSet),
});

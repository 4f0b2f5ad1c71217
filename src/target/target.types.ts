import { createUnionType, Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Plan } from "../plan/plan.entity";
import type { EffectiveTarget, TargetValue } from "./target.model";
import { compareTargets, describeTarget, type Comparison } from "./target.rules";

/** GraphQL enums whose values are the words stored in the database. */
export enum TargetKindEnum {
  SHARE_FLOOR = "share_floor",
  SHARE_CEILING = "share_ceiling",
  COUNT_FLOOR = "count_floor",
  COUNT_CEILING = "count_ceiling",
  FREQUENCY = "frequency",
  CHANGE_RANGE = "change_range",
  CUMULATIVE_DEADLINE = "cumulative_deadline",
}
export enum FrequencyIntervalEnum {
  DAY = "day",
  WEEK = "week",
  MONTH = "month",
  QUARTER = "quarter",
  HALF_YEAR = "half_year",
  YEAR = "year",
}
export enum TargetVerdict {
  TIGHTER = "tighter",
  EQUAL = "equal",
  LOOSER = "looser",
  KIND_MISMATCH = "kind_mismatch",
}
export enum DeltaUnitEnum {
  PERCENTAGE_POINTS = "percentage_points",
  UNITS = "units",
  INTERVAL_STEPS = "interval_steps",
  DAYS = "days",
}
export enum TargetProvenance {
  OWN = "own",
  INHERITED = "inherited",
}
registerEnumType(TargetKindEnum, {
  name: "TargetKind",
  description: "SHARE_FLOOR ≥ x%, SHARE_CEILING ≤ x%, COUNT_FLOOR at least n units, COUNT_CEILING at most n, FREQUENCY at least once per interval, CHANGE_RANGE yearly change low-high %, CUMULATIVE_DEADLINE x% by a date",
});
registerEnumType(FrequencyIntervalEnum, { name: "FrequencyInterval", description: "Shorter is tighter: DAY < WEEK < MONTH < QUARTER < HALF_YEAR < YEAR" });
registerEnumType(TargetVerdict, { name: "TargetVerdict", description: "How a target stands against its parent's" });
registerEnumType(DeltaUnitEnum, { name: "DeltaUnit" });
registerEnumType(TargetProvenance, { name: "TargetProvenance", description: "OWN: set by the plan itself; INHERITED: from a plan up its chain" });

@ObjectType("TargetValue", { simpleResolvers: true, description: "What a target asks; the fields set depend on the kind (shares and changes in percent)" })
export class TargetValueView {
  @Field(() => TargetKindEnum)
  kind!: TargetKindEnum;

  @Field(() => Float, { nullable: true, description: "percent (share floor/ceiling, cumulative deadline)" })
  share!: number | null;

  @Field(() => Int, { nullable: true, description: "number of units (count floor/ceiling)" })
  count!: number | null;

  @Field(() => FrequencyIntervalEnum, { nullable: true })
  frequencyInterval!: FrequencyIntervalEnum | null;

  @Field(() => Float, { nullable: true, description: "percent per year (change range)" })
  changeLow!: number | null;

  @Field(() => Float, { nullable: true, description: "percent per year (change range)" })
  changeHigh!: number | null;

  @Field(() => String, { nullable: true, description: "ISO date (cumulative deadline)" })
  deadline!: string | null;

  @Field(() => String, { description: 'In words: "≥ 70%", "at least once per month", "3% to 5% a year"' })
  text!: string;
}

export function toTargetValueView(v: TargetValue): TargetValueView {
  return Object.assign(new TargetValueView(), {
    kind: v.kind as TargetKindEnum,
    share: v.share ?? null,
    count: v.count ?? null,
    frequencyInterval: (v.frequencyInterval ?? null) as FrequencyIntervalEnum | null,
    changeLow: v.changeLow ?? null,
    changeHigh: v.changeHigh ?? null,
    deadline: v.deadline ?? null,
    text: describeTarget(v),
  });
}

@ObjectType("TargetComparison", { simpleResolvers: true, description: "How a target stands against its parent's, and by how much" })
export class TargetComparisonView {
  @Field(() => TargetVerdict)
  verdict!: TargetVerdict;

  @Field(() => Float, { nullable: true, description: "> 0: tighter than the parent by this much; < 0: looser" })
  delta!: number | null;

  @Field(() => DeltaUnitEnum, { nullable: true })
  deltaUnit!: DeltaUnitEnum | null;

  @Field(() => Int, { nullable: true, description: "cumulative deadlines: days earlier than the parent's (negative: later)" })
  daysEarlier!: number | null;

  @Field(() => String)
  explanation!: string;
}

export function toComparisonView(c: Comparison): TargetComparisonView {
  return Object.assign(new TargetComparisonView(), {
    verdict: c.verdict as TargetVerdict,
    delta: c.delta,
    deltaUnit: c.deltaUnit as DeltaUnitEnum | null,
    daysEarlier: c.daysEarlier ?? null,
    explanation: c.explanation,
  });
}

@ObjectType("ParentTarget", { simpleResolvers: true, description: "The target a plan's target must not loosen: the effective target of its parent plan" })
export class ParentTargetView {
  @Field(() => TargetValueView)
  value!: TargetValueView;

  @Field(() => ID)
  planId!: string;

  @Field(() => String, { nullable: true })
  planDocument!: string | null;

  @Field(() => String)
  unitCode!: string;
}

@ObjectType("EffectiveTarget", { simpleResolvers: true, description: "The target that applies for an indicator, with where it comes from" })
export class EffectiveTargetView {
  unitId!: number;
  indicatorId!: number;
  sourceUnitId!: number;

  @Field(() => String, { description: "Indicator code" })
  indicatorCode!: string;

  @Field(() => String, { description: "The unit the target applies to" })
  unitCode!: string;

  @Field(() => TargetValueView)
  value!: TargetValueView;

  @Field(() => Boolean)
  inherited!: boolean;

  @Field(() => TargetProvenance)
  provenance!: TargetProvenance;

  @Field(() => ID, { description: "The plan that sets the target" })
  sourcePlanId!: string;

  @Field(() => String, { nullable: true, description: "Its document number, e.g. 1629/QĐ-TTg" })
  sourcePlanDocument!: string | null;

  @Field(() => String, { description: "Code of the unit that issued the source plan" })
  sourceUnitCode!: string;

  @Field(() => ID, { nullable: true, description: "The unit's own plan covering the period, if any" })
  planId!: string | null;

  @Field(() => ParentTargetView, { nullable: true, description: "The source plan's parent's effective target" })
  parent!: ParentTargetView | null;

  @Field(() => TargetComparisonView, { nullable: true, description: "How much tighter than the parent (null: no parent target)" })
  comparedToParent!: TargetComparisonView | null;
}

/**
 * Views of the parts that units inheriting the same target share (EffectiveTargetService hands them the
 * same value and parent objects): a province page judges hundreds of cells against a handful of targets.
 */
const valueViews = new WeakMap<TargetValue, TargetValueView>();
const parentViews = new WeakMap<object, { parent: ParentTargetView; comparison: TargetComparisonView | null }>();

function sharedValueView(v: TargetValue): TargetValueView {
  let view = valueViews.get(v);
  if (!view) valueViews.set(v, (view = toTargetValueView(v)));
  return view;
}

function sharedParentView(t: EffectiveTarget & { parent: NonNullable<EffectiveTarget["parent"]> }) {
  let view = parentViews.get(t.parent);
  if (!view) {
    const comparison = t.direction ? compareTargets(t.value, t.parent.value, t.direction, t.unitCount ?? null) : null;
    view = {
      parent: Object.assign(new ParentTargetView(), {
        value: sharedValueView(t.parent.value),
        planId: t.parent.planId,
        planDocument: t.parent.planDocument,
        unitCode: t.parent.unitCode,
      }),
      comparison: comparison ? toComparisonView(comparison) : null,
    };
    parentViews.set(t.parent, view);
  }
  return view;
}

export function toEffectiveTargetView(t: EffectiveTarget): EffectiveTargetView {
  const parent = t.parent ? sharedParentView(t as EffectiveTarget & { parent: NonNullable<EffectiveTarget["parent"]> }) : null;
  return Object.assign(new EffectiveTargetView(), {
    unitId: t.unitId,
    indicatorId: t.indicatorId,
    sourceUnitId: t.sourceUnitId,
    indicatorCode: t.indicatorCode ?? String(t.indicatorId),
    unitCode: t.unitCode ?? String(t.unitId),
    value: sharedValueView(t.value),
    inherited: t.inherited,
    provenance: t.inherited ? TargetProvenance.INHERITED : TargetProvenance.OWN,
    sourcePlanId: t.sourcePlanId,
    sourcePlanDocument: t.sourcePlanDocument,
    sourceUnitCode: t.sourceUnitCode,
    planId: t.planId,
    parent: parent?.parent ?? null,
    comparedToParent: parent?.comparison ?? null,
  });
}

// ------------------------------------------------------------------ mutation results

export enum RefusalReason {
  LOOSER_THAN_PARENT = "looser_than_parent",
  KIND_MISMATCH = "kind_mismatch",
}
registerEnumType(RefusalReason, { name: "RefusalReason" });

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

// ------------------------------------------------------------------ assignments, history, chain, compliance

@ObjectType("AssignmentJudgement", { description: "Named child units for an indicator, judged against the plan's own effective target" })
export class AssignmentView {
  @Field(() => ID)
  planId!: string;

  @Field(() => String, { nullable: true })
  planDocument!: string | null;

  @Field(() => String)
  unitCode!: string;

  @Field(() => String)
  indicatorCode!: string;

  @Field(() => [String], { description: "Codes of the named units" })
  unitCodes!: string[];

  @Field(() => [String], { description: "Names of the named units" })
  unitNames!: string[];

  @Field(() => Int, { description: "How many units are named" })
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

  @Field(() => DeltaUnitEnum, { nullable: true })
  marginUnit!: DeltaUnitEnum | null;

  @Field(() => Int, { nullable: true, description: "How many units must be named to meet the target" })
  needed!: number | null;

  @Field(() => String)
  explanation!: string;
}

@ObjectType({ description: "One recorded change of a target or an assignment" })
export class TargetChange {
  @Field(() => Date)
  occurredAt!: Date;

  @Field(() => String)
  actor!: string;

  @Field(() => String, { description: "target.set, target.remove or target.assign" })
  action!: string;

  @Field(() => TargetValueView, { nullable: true })
  oldValue!: TargetValueView | null;

  @Field(() => TargetValueView, { nullable: true })
  newValue!: TargetValueView | null;

  @Field(() => [String], { nullable: true, description: "Assignments: unit codes before" })
  oldUnitCodes!: string[] | null;

  @Field(() => [String], { nullable: true, description: "Assignments: unit codes after" })
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

@ObjectType({ description: "A plan's own target that is looser than (or not comparable with) its parent's effective target" })
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

  @Field(() => [AssignmentView], { description: "Assignments whose named units do not meet the plan's own target" })
  failingAssignments!: AssignmentView[];

  @Field(() => [UnitWithoutPlan])
  unitsWithoutPlan!: UnitWithoutPlan[];
}

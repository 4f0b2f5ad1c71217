import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
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

@ObjectType("TargetValue", { description: "What a target asks; the fields set depend on the kind (shares and changes in percent)" })
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

@ObjectType("TargetComparison", { description: "How a target stands against its parent's, and by how much" })
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

@ObjectType("ParentTarget", { description: "The target a plan's target must not loosen: the effective target of its parent plan" })
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

@ObjectType("EffectiveTarget", { description: "The target that applies for an indicator, with where it comes from" })
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

export function toEffectiveTargetView(t: EffectiveTarget): EffectiveTargetView {
  const comparison =
    t.parent && t.direction ? compareTargets(t.value, t.parent.value, t.direction, t.unitCount ?? null) : null;
  return Object.assign(new EffectiveTargetView(), {
    unitId: t.unitId,
    indicatorId: t.indicatorId,
    sourceUnitId: t.sourceUnitId,
    indicatorCode: t.indicatorCode ?? String(t.indicatorId),
    unitCode: t.unitCode ?? String(t.unitId),
    value: toTargetValueView(t.value),
    inherited: t.inherited,
    provenance: t.inherited ? TargetProvenance.INHERITED : TargetProvenance.OWN,
    sourcePlanId: t.sourcePlanId,
    sourcePlanDocument: t.sourcePlanDocument,
    sourceUnitCode: t.sourceUnitCode,
    planId: t.planId,
    parent: t.parent
      ? Object.assign(new ParentTargetView(), {
          value: toTargetValueView(t.parent.value),
          planId: t.parent.planId,
          planDocument: t.parent.planDocument,
          unitCode: t.parent.unitCode,
        })
      : null,
    comparedToParent: comparison ? toComparisonView(comparison) : null,
  });
}

import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { t as translate } from "../i18n/i18n";
import { currentLanguage, withLanguage, type Language } from "../i18n/i18n.language";
import { DeltaUnit, DenominatorSource, FrequencyInterval, TargetKind, TargetProvenance, TargetVerdict, UnitOfMeasure } from "../common/enums";
import type { EffectiveTarget, TargetValue } from "./target.model";
import { compareWithQuota } from "./quota.rules";
import { compareTargets, describeTarget, type Comparison } from "./target.rules";

/** Words made once, when a field first asks for them, in the language of the request that is running now. */
function wordsLater<T>(words: () => T): () => T {
  const language = currentLanguage();
  let made: { value: T } | undefined;
  return () => (made ??= { value: withLanguage(language, words) }).value;
}

/** The view of `object` in the current request's language, made once per object and language. */
function viewInLanguage<O extends object, V>(
  views: WeakMap<O, Partial<Record<Language, V>>>,
  object: O,
  make: () => V,
  language: Language = currentLanguage(),
): V {
  let byLanguage = views.get(object);
  if (!byLanguage) views.set(object, (byLanguage = {}));
  return (byLanguage[language] ??= make());
}

/** GraphQL views of target values and effective targets (the pure types are in target.model.ts). */
@ObjectType("TargetValue", { simpleResolvers: true, description: "What a target asks; the fields set depend on the kind (shares and changes in percent)" })
export class TargetValueView {
  @Field(() => TargetKind)
  kind!: TargetKind;

  @Field(() => Float, { nullable: true, description: "percent (share floor/ceiling, cumulative deadline)" })
  share!: number | null;

  @Field(() => Int, { nullable: true, description: "number of units (count floor/ceiling)" })
  count!: number | null;

  @Field(() => FrequencyInterval, { nullable: true })
  frequencyInterval!: FrequencyInterval | null;

  @Field(() => Float, { nullable: true, description: "percent per year (change range)" })
  changeLow!: number | null;

  @Field(() => Float, { nullable: true, description: "percent per year (change range)" })
  changeHigh!: number | null;

  @Field(() => String, { nullable: true, description: "ISO date (cumulative deadline)" })
  deadline!: string | null;

  @Field(() => Float, { nullable: true, description: "how many of `unit` in the plan's period (quantity floor/ceiling); a whole number" })
  quantity!: number | null;

  @Field(() => UnitOfMeasure, { nullable: true, description: "what a quantity counts (the indicator's quantityUnit); null for the other kinds" })
  unit!: UnitOfMeasure | null;

  /** the value in words, made only when `text` is asked (a national page holds 1,000s of targets), in the language of the request that made the view */
  private describe!: () => string;

  @Field(() => String, { description: 'In words: "≥ 70%", "at least once per month", "3% to 5% a year", "at least 60,000 people"' })
  get text(): string {
    return this.describe();
  }
}

export function toTargetValueView(v: TargetValue): TargetValueView {
  return Object.assign(new TargetValueView(), {
    kind: v.kind,
    share: v.share ?? null,
    count: v.count ?? null,
    frequencyInterval: v.frequencyInterval ?? null,
    changeLow: v.changeLow ?? null,
    changeHigh: v.changeHigh ?? null,
    deadline: v.deadline ?? null,
    quantity: v.quantity ?? null,
    unit: v.kind === "quantity_floor" || v.kind === "quantity_ceiling" ? (v.unit ?? null) : null,
    describe: wordsLater(() => describeTarget(v)),
  });
}

@ObjectType("TargetComparison", { simpleResolvers: true, description: "How a target stands against its parent's, and by how much" })
export class TargetComparisonView {
  @Field(() => TargetVerdict)
  verdict!: TargetVerdict;

  @Field(() => Float, { nullable: true, description: "> 0: tighter than the parent by this much; < 0: looser" })
  delta!: number | null;

  @Field(() => DeltaUnit, { nullable: true })
  deltaUnit!: DeltaUnit | null;

  @Field(() => Int, { nullable: true, description: "cumulative deadlines: days earlier than the parent's (negative: later)" })
  daysEarlier!: number | null;

  @Field(() => Float, { nullable: true, description: "A quantity against a share: the denominator that turned the quantity into a share" })
  denominator!: number | null;

  @Field(() => DenominatorSource, { nullable: true, description: "Where the denominator comes from (the plan's planning figure, else the latest reported)" })
  denominatorSource!: DenominatorSource | null;

  @Field(() => String, { nullable: true, description: "REPORTED: the period of the report summary it was read from" })
  denominatorPeriod!: string | null;

  @Field(() => String, { nullable: true, description: "NOT_COMPARABLE: what is missing to compare the two" })
  missing!: string | null;

  @Field(() => String)
  explanation!: string;
}

export function toComparisonView(c: Comparison): TargetComparisonView {
  return Object.assign(new TargetComparisonView(), {
    verdict: c.verdict,
    delta: c.delta,
    deltaUnit: c.deltaUnit,
    daysEarlier: c.daysEarlier ?? null,
    denominator: c.denominator?.value ?? null,
    denominatorSource: c.denominator?.source ?? null,
    denominatorPeriod: c.denominator?.period ?? null,
    missing: c.missing ?? null,
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

  @Field(() => Boolean, { description: "true: this is the unit's quota from planId (its part of that plan's quantity), which its own target may raise, never lower" })
  isQuota!: boolean;
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

  /** provenanceText's words, made once when first asked (in the language of the request that made the view) */
  private provenanceWords!: () => string;

  @Field(() => String, { description: 'Where it comes from, in words: "own target of plan 07/KH-UBND (01)", "quota from plan 06/KH-UBND (01)"' })
  get provenanceText(): string {
    return this.provenanceWords();
  }

  @Field(() => ID, { description: "The plan that sets the target" })
  sourcePlanId!: string;

  @Field(() => String, { nullable: true, description: "Its document number, e.g. 1629/QĐ-TTg" })
  sourcePlanDocument!: string | null;

  @Field(() => String, { description: "Code of the unit that issued the source plan" })
  sourceUnitCode!: string;

  @Field(() => ID, { nullable: true, description: "The unit's own plan covering the period, if any" })
  planId!: string | null;

  @Field(() => ParentTargetView, { nullable: true, description: "What this target must not loosen: the source plan's parent's effective target, or the unit's quota (isQuota) where its own target stands against one; for a quota, the whole it is a part of" })
  parent!: ParentTargetView | null;

  /** the comparison, made once when first asked (shared by the units that inherit the same target) */
  private compareToParent!: () => TargetComparisonView | null;

  @Field(() => TargetComparisonView, { nullable: true, description: "How much tighter than the parent (null: no parent target)" })
  get comparedToParent(): TargetComparisonView | null {
    return this.compareToParent();
  }
}

/**
 * Views of the parts that units inheriting the same target share (EffectiveTargetService hands them the
 * same value and parent objects, and the targets cache hands them to every request): a province page judges
 * hundreds of cells against a handful of targets. Their words are in one language, so a view is kept per
 * object and language; the comparison with the parent, and every text, are made only when asked.
 */
type ParentViews = { parent: ParentTargetView; comparison: () => TargetComparisonView | null };
const valueViews = new WeakMap<TargetValue, Partial<Record<Language, TargetValueView>>>();
const parentViews = new WeakMap<object, Partial<Record<Language, ParentViews>>>();

function sharedValueView(v: TargetValue): TargetValueView {
  return viewInLanguage(valueViews, v, () => toTargetValueView(v));
}

function sharedParentView(t: EffectiveTarget & { parent: NonNullable<EffectiveTarget["parent"]> }): ParentViews {
  return viewInLanguage(parentViews, t.parent, () => ({
    parent: Object.assign(new ParentTargetView(), {
      value: sharedValueView(t.parent.value),
      planId: t.parent.planId,
      planDocument: t.parent.planDocument,
      unitCode: t.parent.unitCode,
      isQuota: !!t.parent.quota,
    }),
    comparison: wordsLater(() => {
      const comparison = t.parent.quota
        ? compareWithQuota(t.value, t.parent.value, t.denominator ?? null)
        : t.direction
          ? compareTargets(t.value, t.parent.value, t.direction, t.unitCount ?? null, t.denominator ?? null)
          : null;
      return comparison ? toComparisonView(comparison) : null;
    }),
  }));
}

const targetViews = new WeakMap<EffectiveTarget, Partial<Record<Language, EffectiveTargetView>>>();

/** An effective target's view, kept per target object and language like its parts (a cached target is shown by every page). */
export function toEffectiveTargetView(t: EffectiveTarget): EffectiveTargetView {
  return toEffectiveTargetViewIn(t, currentLanguage());
}

/** The same in a language the caller read once (a page shows a thousand targets). */
export function toEffectiveTargetViewIn(t: EffectiveTarget, language: Language): EffectiveTargetView {
  return viewInLanguage(targetViews, t, () => newEffectiveTargetView(t), language);
}

function newEffectiveTargetView(t: EffectiveTarget): EffectiveTargetView {
  const parent = t.parent ? sharedParentView(t as EffectiveTarget & { parent: NonNullable<EffectiveTarget["parent"]> }) : null;
  return Object.assign(new EffectiveTargetView(), {
    unitId: t.unitId,
    indicatorId: t.indicatorId,
    sourceUnitId: t.sourceUnitId,
    indicatorCode: t.indicatorCode ?? String(t.indicatorId),
    unitCode: t.unitCode ?? String(t.unitId),
    value: sharedValueView(t.value),
    inherited: t.inherited,
    provenance: t.fromQuota ? TargetProvenance.QUOTA : t.inherited ? TargetProvenance.INHERITED : TargetProvenance.OWN,
    provenanceWords: wordsLater(() =>
      translate(t.fromQuota ? "target:provenance.quota" : t.inherited ? "target:provenance.inherited" : "target:provenance.own", {
        plan: t.sourcePlanDocument ?? `"${t.sourcePlanTitle ?? t.sourcePlanId}"`,
        unit: t.sourceUnitCode,
      }),
    ),
    sourcePlanId: t.sourcePlanId,
    sourcePlanDocument: t.sourcePlanDocument,
    sourceUnitCode: t.sourceUnitCode,
    planId: t.planId,
    parent: parent?.parent ?? null,
    compareToParent: parent?.comparison ?? (() => null),
  });
}

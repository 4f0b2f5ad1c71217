/**
 * Pure rules of targets (no I/O): may a child target stand under its parent's, by how much is it
 * tighter, does a list of named child units meet a share, and input checks of a target value.
 */
import type { DeltaUnit, Direction, TargetKind, TargetVerdict, UnitOfMeasure, ValueKind } from "../common/enums";
import { isIsoDate } from "../common/period";
import { formatNumber, t } from "../i18n/i18n";
import { FREQUENCY_ORDER, isQuantityKind, type Denominator, type TargetValue } from "./target.model";

/** How a child target stands against its parent's. `delta` > 0: tighter by that much; < 0: looser. */
export interface Comparison {
  verdict: TargetVerdict;
  delta: number | null;
  deltaUnit: DeltaUnit | null;
  /** for cumulative deadlines: how many days earlier the child's deadline is (negative: later) */
  daysEarlier?: number | null;
  /** a quantity against a share: the denominator used (null: none was known) */
  denominator?: Denominator | null;
  /** NOT_COMPARABLE: what would make the pair comparable */
  missing?: string | null;
  explanation: string;
}

const EPS = 1e-9;
const round2 = (n: number) => Math.round(n * 100) / 100;
const isShareBound = (k: TargetKind) => k === "share_floor" || k === "share_ceiling";
const isCountBound = (k: TargetKind) => k === "count_floor" || k === "count_ceiling";
const isBound = (k: TargetKind) => isShareBound(k) || isCountBound(k);
const isFloor = (k: TargetKind) => k === "share_floor" || k === "count_floor" || k === "quantity_floor";

/** 60000 → "60,000" in English, "60.000" in Vietnamese (the request's language) */
export const fmtQuantity = (n: number) => formatNumber(n, 2);

/** The unit of measure in words, "people" (`one`: "person"), in the request's language. */
export const unitWords = (unit: UnitOfMeasure, one = false) => t(`target:unit.${unit}.${one ? "one" : "many"}`);

/** "60,000 people", "1 case" ("60.000 người"); the bare number when the unit is not known. */
export function quantityInWords(n: number, unit: UnitOfMeasure | null | undefined): string {
  if (!unit) return fmtQuantity(n);
  return t("target:quantity", { n: round2(n), measure: unitWords(unit, n === 1) });
}

/** A kind of target in words ("share floor", "tỷ lệ tối thiểu"). */
export const kindInWords = (kind: TargetKind) => t(`target:kind.${kind}`);

/**
 * A target in words, in the request's language: "≥ 70%", "at least once per month", "3% to 5% a year",
 * "100% by 2025-12-31", "at least 60,000 people" ("ít nhất 60.000 người").
 */
export function describeTarget(v: TargetValue): string {
  const many = (n: number | null | undefined) => (n === 1 ? "one" : "many");
  switch (v.kind) {
    case "share_floor":
      return t("target:value.shareFloor", { share: round2(v.share ?? 0) });
    case "share_ceiling":
      return t("target:value.shareCeiling", { share: round2(v.share ?? 0) });
    case "count_floor":
      return t(`target:value.countFloor.${many(v.count)}`, { n: v.count ?? 0 });
    case "count_ceiling":
      return t(`target:value.countCeiling.${many(v.count)}`, { n: v.count ?? 0 });
    case "frequency":
      return t("target:value.frequency", { interval: t(`target:interval.${v.frequencyInterval ?? "unknown"}`) });
    case "change_range":
      return t("target:value.changeRange", { low: round2(v.changeLow ?? 0), high: round2(v.changeHigh ?? 0) });
    case "cumulative_deadline":
      return t("target:value.cumulativeDeadline", { share: round2(v.share ?? 0), deadline: v.deadline ?? "?" });
    case "quantity_floor":
      return t("target:value.quantityFloor", { quantity: quantityInWords(v.quantity ?? 0, v.unit) });
    case "quantity_ceiling":
      return t("target:value.quantityCeiling", { quantity: quantityInWords(v.quantity ?? 0, v.unit) });
  }
}

function verdictOf(delta: number): TargetVerdict {
  if (delta > EPS) return "tighter";
  if (delta < -EPS) return "looser";
  return "equal";
}

function mismatch(child: TargetValue, parent: TargetValue, why?: string): Comparison {
  return {
    verdict: "kind_mismatch",
    delta: null,
    deltaUnit: null,
    explanation: why ?? t("target:compare.kindMismatch", { child: kindInWords(child.kind), parent: kindInWords(parent.kind) }),
  };
}

function said(verdict: TargetVerdict, delta: number, unit: DeltaUnit): string {
  if (verdict === "equal") return t("target:compare.equal");
  const key = verdict === "tighter" ? "target:compare.tighterBy" : "target:compare.looserBy";
  return t(key, { delta: round2(Math.abs(delta)), measure: t(`target:deltaUnit.${unit}`) });
}

/** "<child> against <parent>: <said>." */
const against = (child: TargetValue, parent: TargetValue, said: string) =>
  t("target:compare.against", { child: describeTarget(child), parent: describeTarget(parent), said });

const dayNumber = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);

/**
 * Compares a child target with its parent's. Rules by kind:
 * - floors: higher is tighter; ceilings: lower is tighter; a floor against a ceiling is a mismatch;
 * - a count meets a share through `unitCount`, the number of units at the counted level under the child
 *   plan's unit (1 of 8 districts = 12.5%); without it the two cannot be compared;
 * - frequency: a shorter interval is tighter (day < week < month < quarter < half-year < year) when more is
 *   better, a longer one when less is better;
 * - change range: the binding bound is compared (the low bound when higher is better, the high one otherwise);
 * - cumulative deadline: the deadline may only come earlier and the share only rise (fall when less is better);
 * - quantities (compareQuantity): a quantity under a quantity is NOT_COMPARED (a commune's part is not the city's
 *   whole: quotas split it); a quantity under a share meets it through the child's denominator, else it is
 *   NOT_COMPARABLE; a share under a quantity is NOT_COMPARED;
 * - anything else (a frequency against a share...) is a kind mismatch.
 */
export function compareTargets(
  child: TargetValue,
  parent: TargetValue,
  direction: Direction,
  unitCount?: number | null,
  denominator?: Denominator | null,
): Comparison {
  if (isQuantityKind(child.kind) || isQuantityKind(parent.kind)) return compareQuantity(child, parent, denominator ?? null);
  const higher = direction === "higher_is_better";
  if (isBound(child.kind) && isBound(parent.kind)) {
    if (isFloor(child.kind) !== isFloor(parent.kind)) {
      return mismatch(child, parent, t("target:compare.floorVsCeiling"));
    }
    const floor = isFloor(child.kind);
    if (isShareBound(child.kind) === isShareBound(parent.kind)) {
      const unit: DeltaUnit = isShareBound(child.kind) ? "percentage_points" : "units";
      const c = isShareBound(child.kind) ? child.share! : child.count!;
      const p = isShareBound(parent.kind) ? parent.share! : parent.count!;
      const delta = floor ? c - p : p - c;
      const verdict = verdictOf(delta);
      return { verdict, delta: round2(delta), deltaUnit: unit, explanation: against(child, parent, said(verdict, delta, unit)) };
    }
    if (!unitCount || unitCount <= 0) {
      return mismatch(child, parent, t("target:compare.countVsShare"));
    }
    const asShare = (v: TargetValue) => (isShareBound(v.kind) ? v.share! : (v.count! / unitCount) * 100);
    const c = asShare(child);
    const p = asShare(parent);
    const delta = floor ? c - p : p - c;
    const verdict = verdictOf(delta);
    const countSide = isCountBound(child.kind) ? child : parent;
    const conversion = t("target:compare.conversion", { n: countSide.count, total: unitCount, share: round2((countSide.count! / unitCount) * 100) });
    return {
      verdict,
      delta: round2(delta),
      deltaUnit: "percentage_points",
      explanation: t("target:compare.againstConverted", {
        child: describeTarget(child),
        parent: describeTarget(parent),
        conversion,
        said: said(verdict, delta, "percentage_points"),
      }),
    };
  }
  if (child.kind !== parent.kind) return mismatch(child, parent);
  switch (child.kind) {
    case "frequency": {
      const ci = FREQUENCY_ORDER.indexOf(child.frequencyInterval!);
      const pi = FREQUENCY_ORDER.indexOf(parent.frequencyInterval!);
      const delta = higher ? pi - ci : ci - pi;
      const verdict = verdictOf(delta);
      return { verdict, delta, deltaUnit: "interval_steps", explanation: against(child, parent, said(verdict, delta, "interval_steps")) };
    }
    case "change_range": {
      const delta = higher ? child.changeLow! - parent.changeLow! : parent.changeHigh! - child.changeHigh!;
      const verdict = verdictOf(delta);
      const bound = t(higher ? "target:bound.low" : "target:bound.high");
      return {
        verdict,
        delta: round2(delta),
        deltaUnit: "percentage_points",
        explanation: t("target:compare.againstBinding", {
          child: describeTarget(child),
          parent: describeTarget(parent),
          bound,
          said: said(verdict, delta, "percentage_points"),
        }),
      };
    }
    case "cumulative_deadline": {
      const shareDelta = higher ? child.share! - parent.share! : parent.share! - child.share!;
      const daysEarlier = dayNumber(parent.deadline!) - dayNumber(child.deadline!);
      let verdict: TargetVerdict;
      if (shareDelta < -EPS || daysEarlier < 0) verdict = "looser";
      else if (Math.abs(shareDelta) <= EPS && daysEarlier === 0) verdict = "equal";
      else verdict = "tighter";
      const parts = [
        Math.abs(shareDelta) > EPS
          ? t(shareDelta > 0 ? "target:compare.shareTighter" : "target:compare.shareLooser", { delta: round2(Math.abs(shareDelta)) })
          : t("target:compare.sameShare"),
        daysEarlier !== 0
          ? t(daysEarlier > 0 ? "target:compare.deadlineEarlier" : "target:compare.deadlineLater", { days: Math.abs(daysEarlier) })
          : t("target:compare.sameDeadline"),
      ];
      const onlyDays = Math.abs(shareDelta) <= EPS && daysEarlier !== 0;
      return {
        verdict,
        delta: onlyDays ? daysEarlier : round2(shareDelta),
        deltaUnit: onlyDays ? "days" : "percentage_points",
        daysEarlier,
        explanation: t("target:compare.againstParts", {
          child: describeTarget(child),
          parent: describeTarget(parent),
          verdict: t(`target:verdict.${verdict}`),
          parts: parts.join(t("target:compare.partsJoin")),
        }),
      };
    }
    default:
      return mismatch(child, parent);
  }
}

/** Where a denominator comes from, in words. */
export function denominatorInWords(d: Denominator, unit: UnitOfMeasure | null | undefined): string {
  const what = quantityInWords(d.value, unit);
  if (d.source === "planning_figure") return t("target:denominator.figure", { what });
  return d.period ? t("target:denominator.reportedIn", { what, period: d.period }) : t("target:denominator.reported", { what });
}

/** What a NOT_COMPARABLE quantity against a share lacks (in the request's language). */
export const missingDenominator = () => t("target:missingDenominator");

const SHARE_BOUNDS: readonly TargetKind[] = ["share_floor", "share_ceiling"];

/** The quantity rules of compareTargets (one side at least is a quantity). */
function compareQuantity(child: TargetValue, parent: TargetValue, denominator: Denominator | null): Comparison {
  const childQ = isQuantityKind(child.kind);
  const parentQ = isQuantityKind(parent.kind);
  if (childQ && parentQ) {
    return {
      verdict: "not_compared",
      delta: null,
      deltaUnit: null,
      explanation: t("target:compare.quantityUnderQuantity", { child: describeTarget(child), parent: describeTarget(parent) }),
    };
  }
  if (!childQ && SHARE_BOUNDS.includes(child.kind)) {
    return {
      verdict: "not_compared",
      delta: null,
      deltaUnit: null,
      explanation: t("target:compare.shareUnderQuantity", { child: describeTarget(child), parent: describeTarget(parent) }),
    };
  }
  if (!childQ || !SHARE_BOUNDS.includes(parent.kind)) return mismatch(child, parent);
  if (isFloor(child.kind) !== isFloor(parent.kind)) return mismatch(child, parent, t("target:compare.floorVsCeiling"));
  if (!denominator || !(denominator.value > 0)) {
    return {
      verdict: "not_comparable",
      delta: null,
      deltaUnit: null,
      denominator: null,
      missing: missingDenominator(),
      explanation: t("target:compare.notComparable", { child: describeTarget(child), parent: describeTarget(parent), missing: missingDenominator() }),
    };
  }
  const share = (child.quantity! / denominator.value) * 100;
  const delta = isFloor(child.kind) ? share - parent.share! : parent.share! - share;
  const verdict = verdictOf(delta);
  return {
    verdict,
    delta: round2(delta),
    deltaUnit: "percentage_points",
    denominator,
    explanation: t("target:compare.quantityAsShare", {
      child: describeTarget(child),
      denominator: denominatorInWords(denominator, child.unit),
      share: round2(share),
      parent: describeTarget(parent),
      said: said(verdict, delta, "percentage_points"),
    }),
  };
}

/**
 * May a target compared so stand under its parent's? Tighter or equal may; so may a quantity under a quantity
 * (NOT_COMPARED: quotas check the sum) and a quantity under a share without a denominator (NOT_COMPARABLE: never
 * refused, listed in the compliance report). Looser targets and kind mismatches may not.
 */
export const mayStand = (c: Comparison): boolean =>
  c.verdict === "tighter" || c.verdict === "equal" || c.verdict === "not_compared" || c.verdict === "not_comparable";

/** May `child` stand under `parent` (tighter or equal)? Kind mismatches may not. */
export function isTighterOrEqual(
  child: TargetValue,
  parent: TargetValue,
  direction: Direction,
  unitCount?: number | null,
): boolean {
  return mayStand(compareTargets(child, parent, direction, unitCount));
}

/** Does naming `named` of `total` child units meet the plan's own target for the indicator? */
export interface AssignmentCheck {
  /** false when the target is not a share or count floor (or there is none) */
  applicable: boolean;
  named: number;
  total: number;
  /** named / total, percent */
  share: number | null;
  meets: boolean | null;
  /** by how much the named units clear (> 0) or miss (< 0) the target */
  margin: number | null;
  marginUnit: DeltaUnit | null;
  /** how many units must be named to meet the target */
  needed: number | null;
  explanation: string;
}

export function judgeAssignment(named: number, total: number, target: TargetValue | null): AssignmentCheck {
  const base = { named, total, share: total > 0 ? round2((named / total) * 100) : null };
  if (!target) {
    return { ...base, applicable: false, meets: null, margin: null, marginUnit: null, needed: null, explanation: t("target:assign.noTarget") };
  }
  if ((target.kind === "share_floor" || target.kind === "cumulative_deadline") && total > 0) {
    const share = (named / total) * 100;
    const margin = share - target.share!;
    const meets = margin >= -EPS;
    const needed = Math.ceil((target.share! * total) / 100 - EPS);
    const how = meets
      ? t("target:assign.clearsPoints", { margin: round2(margin) })
      : t("target:assign.missesPoints", { margin: round2(-margin), needed, total });
    return {
      ...base,
      applicable: true,
      meets,
      margin: round2(margin),
      marginUnit: "percentage_points",
      needed,
      explanation: t("target:assign.share", { named, total, share: round2(share), target: describeTarget(target), how }),
    };
  }
  if (target.kind === "count_floor") {
    const margin = named - target.count!;
    const meets = margin >= 0;
    const how = meets ? t("target:assign.clears", { margin }) : t("target:assign.misses", { margin: -margin });
    return {
      ...base,
      applicable: true,
      meets,
      margin,
      marginUnit: "units",
      needed: target.count!,
      explanation: t("target:assign.count", { named, target: describeTarget(target), how }),
    };
  }
  return {
    ...base,
    applicable: false,
    meets: null,
    margin: null,
    marginUnit: null,
    needed: null,
    explanation: t("target:assign.cannot", { target: describeTarget(target), kind: target.kind }),
  };
}

/** A refusal of an input value: the field (relative to the target input) and why. */
export interface ValueProblem {
  field: string;
  message: string;
}

/**
 * Shape of a target value against its kind and the plan's period: the fields the kind needs, shares in
 * 0-100, counts not negative, low ≤ high, a deadline within the period. Returns the first problem.
 */
export function checkTargetValue(v: TargetValue, period: { start: string; end: string }): ValueProblem | null {
  const needs: Record<TargetKind, Array<keyof TargetValue>> = {
    quantity_floor: ["quantity"],
    quantity_ceiling: ["quantity"],
    share_floor: ["share"],
    share_ceiling: ["share"],
    count_floor: ["count"],
    count_ceiling: ["count"],
    frequency: ["frequencyInterval"],
    change_range: ["changeLow", "changeHigh"],
    cumulative_deadline: ["share", "deadline"],
  };
  for (const field of needs[v.kind]) {
    if (v[field] === null || v[field] === undefined) return { field, message: t("target:check.needs", { kind: v.kind, field }) };
  }
  if (v.share !== null && v.share !== undefined && (!Number.isFinite(v.share) || v.share < 0 || v.share > 100)) {
    return { field: "share", message: t("target:check.share", { value: v.share }) };
  }
  if (v.count !== null && v.count !== undefined && (!Number.isInteger(v.count) || v.count < 0)) {
    return { field: "count", message: t("target:check.count", { value: v.count }) };
  }
  if (v.quantity !== null && v.quantity !== undefined) {
    const problem = checkQuantity(v.quantity, v.unit);
    if (problem) return { field: "quantity", message: problem };
  }
  for (const field of ["changeLow", "changeHigh"] as const) {
    const x = v[field];
    if (x !== null && x !== undefined && (!Number.isFinite(x) || Math.abs(x) > 1000)) {
      return { field, message: t("target:check.change", { field, value: x }) };
    }
  }
  if (v.changeLow != null && v.changeHigh != null && v.changeLow > v.changeHigh) {
    return { field: "changeLow", message: t("target:check.range", { low: v.changeLow, high: v.changeHigh }) };
  }
  if (v.deadline != null) {
    if (!isIsoDate(v.deadline)) {
      return { field: "deadline", message: t("target:check.deadlineFormat", { deadline: v.deadline }) };
    }
    if (v.deadline < period.start || v.deadline > period.end) {
      return { field: "deadline", message: t("target:check.deadlinePeriod", { deadline: v.deadline, start: period.start, end: period.end }) };
    }
  }
  return null;
}

/** The largest quantity accepted (far above any plan's: 100,000 students; well within exact doubles). */
export const MAX_QUANTITY = 1e12;

/**
 * A quantity of people, cases, inspections... (every quantity unit counts whole things): a whole number, 0 or
 * more. Null when it is fine, else why not.
 */
export function checkQuantity(q: number, unit: UnitOfMeasure | null | undefined, of: "quantity" | "denominator" = "quantity"): string | null {
  const what = unit ? t(`target:check.${of}Of`, { unit: unitWords(unit) }) : t(`target:check.${of}Bare`);
  if (!Number.isFinite(q) || q < 0) return t("target:check.quantityNegative", { what, value: q });
  if (unit !== "percent" && !Number.isInteger(q)) return t("target:check.quantityWhole", { what, value: q });
  if (q > MAX_QUANTITY) return t("target:check.quantityMax", { what, max: MAX_QUANTITY, value: q });
  return null;
}

/**
 * May a target of this kind be set on an indicator of this value kind? A quantity counts things: it is refused on
 * a yes/no indicator (a share of units: say how many units with COUNT_FLOOR, or which share with SHARE_FLOOR).
 */
export function checkKindForIndicator(kind: TargetKind, valueKind: ValueKind, indicatorCode: string): ValueProblem | null {
  if (isQuantityKind(kind) && valueKind === "yes_no") {
    return {
      field: "kind",
      message: t("target:check.kindForYesNo", { indicator: indicatorCode, kind: kind.toUpperCase() }),
    };
  }
  return null;
}

/** Only the fields the kind uses (an input may carry stray ones). */
export function normalizeTargetValue(v: TargetValue): TargetValue {
  const out: TargetValue = { kind: v.kind, share: null, count: null, frequencyInterval: null, changeLow: null, changeHigh: null, deadline: null, quantity: null };
  if (v.unit) out.unit = v.unit;
  switch (v.kind) {
    case "share_floor":
    case "share_ceiling":
      out.share = v.share ?? null;
      break;
    case "count_floor":
    case "count_ceiling":
      out.count = v.count ?? null;
      break;
    case "frequency":
      out.frequencyInterval = v.frequencyInterval ?? null;
      break;
    case "change_range":
      out.changeLow = v.changeLow ?? null;
      out.changeHigh = v.changeHigh ?? null;
      break;
    case "cumulative_deadline":
      out.share = v.share ?? null;
      out.deadline = v.deadline ?? null;
      break;
    case "quantity_floor":
    case "quantity_ceiling":
      out.quantity = v.quantity ?? null;
      break;
  }
  return out;
}

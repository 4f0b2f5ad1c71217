/**
 * Pure rules of targets (no I/O): may a child target stand under its parent's, by how much is it
 * tighter, does a list of named child units meet a share, and input checks of a target value.
 */
import type { DeltaUnit, Direction, TargetKind, TargetVerdict, UnitOfMeasure, ValueKind } from "../common/enums";
import { isIsoDate } from "../common/period";
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

const fmt = (n: number) => String(round2(n));
const QUANTITY_FORMAT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
/** 60000 → "60,000" */
export const fmtQuantity = (n: number) => QUANTITY_FORMAT.format(n);

const UNIT_WORDS: Record<UnitOfMeasure, [one: string, many: string]> = {
  percent: ["percent", "percent"],
  people: ["person", "people"],
  cases: ["case", "cases"],
  inspections: ["inspection", "inspections"],
  businesses: ["business", "businesses"],
  items: ["item", "items"],
  times: ["time", "times"],
};

/** "60,000 people", "1 case"; the bare number when the unit is not known. */
export function quantityInWords(n: number, unit: UnitOfMeasure | null | undefined): string {
  if (!unit) return fmtQuantity(n);
  return `${fmtQuantity(n)} ${UNIT_WORDS[unit][n === 1 ? 0 : 1]}`;
}

/** A target in words: "≥ 70%", "at least once per month", "+3% to +5% a year", "100% by 2025-12-31". */
export function describeTarget(v: TargetValue): string {
  switch (v.kind) {
    case "share_floor":
      return `≥ ${fmt(v.share ?? 0)}%`;
    case "share_ceiling":
      return `≤ ${fmt(v.share ?? 0)}%`;
    case "count_floor":
      return `at least ${v.count ?? 0} unit${v.count === 1 ? "" : "s"}`;
    case "count_ceiling":
      return `at most ${v.count ?? 0} unit${v.count === 1 ? "" : "s"}`;
    case "frequency":
      return `at least once per ${(v.frequencyInterval ?? "?").replace("_", "-")}`;
    case "change_range":
      return `${fmt(v.changeLow ?? 0)}% to ${fmt(v.changeHigh ?? 0)}% a year`;
    case "cumulative_deadline":
      return `${fmt(v.share ?? 0)}% by ${v.deadline ?? "?"}`;
    case "quantity_floor":
      return `at least ${quantityInWords(v.quantity ?? 0, v.unit)}`;
    case "quantity_ceiling":
      return `at most ${quantityInWords(v.quantity ?? 0, v.unit)}`;
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
    explanation: why ?? `A ${child.kind.replace("_", " ")} target cannot be compared with a ${parent.kind.replace("_", " ")} target.`,
  };
}

function said(verdict: TargetVerdict, delta: number, unit: DeltaUnit): string {
  const words: Record<DeltaUnit, string> = {
    percentage_points: "percentage points",
    units: "units",
    interval_steps: "interval steps",
    days: "days",
    quantity: "of the unit of measure",
  };
  if (verdict === "equal") return "as tight as the parent";
  return `${verdict} than the parent by ${fmt(Math.abs(delta))} ${words[unit]}`;
}

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
      return mismatch(child, parent, "A floor cannot be compared with a ceiling.");
    }
    const floor = isFloor(child.kind);
    if (isShareBound(child.kind) === isShareBound(parent.kind)) {
      const unit: DeltaUnit = isShareBound(child.kind) ? "percentage_points" : "units";
      const c = isShareBound(child.kind) ? child.share! : child.count!;
      const p = isShareBound(parent.kind) ? parent.share! : parent.count!;
      const delta = floor ? c - p : p - c;
      const verdict = verdictOf(delta);
      return { verdict, delta: round2(delta), deltaUnit: unit, explanation: `${describeTarget(child)} against ${describeTarget(parent)}: ${said(verdict, delta, unit)}.` };
    }
    if (!unitCount || unitCount <= 0) {
      return mismatch(child, parent, "A count cannot be compared with a share without the number of units it counts.");
    }
    const asShare = (v: TargetValue) => (isShareBound(v.kind) ? v.share! : (v.count! / unitCount) * 100);
    const c = asShare(child);
    const p = asShare(parent);
    const delta = floor ? c - p : p - c;
    const verdict = verdictOf(delta);
    const countSide = isCountBound(child.kind) ? child : parent;
    const conversion = `${countSide.count} of ${unitCount} units = ${fmt((countSide.count! / unitCount) * 100)}%`;
    return {
      verdict,
      delta: round2(delta),
      deltaUnit: "percentage_points",
      explanation: `${describeTarget(child)} against ${describeTarget(parent)} (${conversion}): ${said(verdict, delta, "percentage_points")}.`,
    };
  }
  if (child.kind !== parent.kind) return mismatch(child, parent);
  switch (child.kind) {
    case "frequency": {
      const ci = FREQUENCY_ORDER.indexOf(child.frequencyInterval!);
      const pi = FREQUENCY_ORDER.indexOf(parent.frequencyInterval!);
      const delta = higher ? pi - ci : ci - pi;
      const verdict = verdictOf(delta);
      return { verdict, delta, deltaUnit: "interval_steps", explanation: `${describeTarget(child)} against ${describeTarget(parent)}: ${said(verdict, delta, "interval_steps")}.` };
    }
    case "change_range": {
      const delta = higher ? child.changeLow! - parent.changeLow! : parent.changeHigh! - child.changeHigh!;
      const verdict = verdictOf(delta);
      const bound = higher ? "low" : "high";
      return {
        verdict,
        delta: round2(delta),
        deltaUnit: "percentage_points",
        explanation: `${describeTarget(child)} against ${describeTarget(parent)} (binding ${bound} bound): ${said(verdict, delta, "percentage_points")}.`,
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
        Math.abs(shareDelta) > EPS ? `share ${shareDelta > 0 ? "tighter" : "looser"} by ${fmt(Math.abs(shareDelta))} percentage points` : "same share",
        daysEarlier !== 0 ? `deadline ${Math.abs(daysEarlier)} days ${daysEarlier > 0 ? "earlier" : "later"}` : "same deadline",
      ];
      const onlyDays = Math.abs(shareDelta) <= EPS && daysEarlier !== 0;
      return {
        verdict,
        delta: onlyDays ? daysEarlier : round2(shareDelta),
        deltaUnit: onlyDays ? "days" : "percentage_points",
        daysEarlier,
        explanation: `${describeTarget(child)} against ${describeTarget(parent)}: ${verdict} (${parts.join(", ")}).`,
      };
    }
    default:
      return mismatch(child, parent);
  }
}

/** Where a denominator comes from, in words. */
export function denominatorInWords(d: Denominator, unit: UnitOfMeasure | null | undefined): string {
  const what = quantityInWords(d.value, unit);
  return d.source === "planning_figure"
    ? `${what} (planning figure of the plan)`
    : `${what} (the latest reported denominator${d.period ? `, ${d.period}` : ""}: the plan has no planning figure)`;
}

/** What a NOT_COMPARABLE quantity against a share lacks. */
export const MISSING_DENOMINATOR =
  "a denominator for the quantity: a planning figure on the plan (setPlanningFigures), or a reported denominator of its unit";

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
      explanation: `${describeTarget(child)} under ${describeTarget(parent)}: a quantity is not compared with the quantity above it (a part is not the whole); quotas split the parent's quantity, and their sum is checked against it.`,
    };
  }
  if (!childQ && SHARE_BOUNDS.includes(child.kind)) {
    return {
      verdict: "not_compared",
      delta: null,
      deltaUnit: null,
      explanation: `${describeTarget(child)} under ${describeTarget(parent)}: a share of the unit is not compared with a total quantity above it; a quota of the unit would be.`,
    };
  }
  if (!childQ || !SHARE_BOUNDS.includes(parent.kind)) return mismatch(child, parent);
  if (isFloor(child.kind) !== isFloor(parent.kind)) return mismatch(child, parent, "A floor cannot be compared with a ceiling.");
  if (!denominator || !(denominator.value > 0)) {
    return {
      verdict: "not_comparable",
      delta: null,
      deltaUnit: null,
      denominator: null,
      missing: MISSING_DENOMINATOR,
      explanation: `${describeTarget(child)} against ${describeTarget(parent)}: not comparable without the unit's denominator (${MISSING_DENOMINATOR}).`,
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
    explanation: `${describeTarget(child)} of ${denominatorInWords(denominator, child.unit)} = ${fmt(share)}% against ${describeTarget(parent)}: ${said(verdict, delta, "percentage_points")}.`,
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
    return { ...base, applicable: false, meets: null, margin: null, marginUnit: null, needed: null, explanation: "The plan has no target for this indicator to meet." };
  }
  if ((target.kind === "share_floor" || target.kind === "cumulative_deadline") && total > 0) {
    const share = (named / total) * 100;
    const margin = share - target.share!;
    const meets = margin >= -EPS;
    const needed = Math.ceil((target.share! * total) / 100 - EPS);
    const how = meets ? `clears it by ${fmt(margin)} points` : `misses it by ${fmt(-margin)} points; ${needed} of ${total} are needed`;
    return {
      ...base,
      applicable: true,
      meets,
      margin: round2(margin),
      marginUnit: "percentage_points",
      needed,
      explanation: `${named} of ${total} units named = ${fmt(share)}% against ${describeTarget(target)}: ${how}.`,
    };
  }
  if (target.kind === "count_floor") {
    const margin = named - target.count!;
    const meets = margin >= 0;
    const how = meets ? `clears it by ${margin}` : `misses it by ${-margin}`;
    return {
      ...base,
      applicable: true,
      meets,
      margin,
      marginUnit: "units",
      needed: target.count!,
      explanation: `${named} units named against ${describeTarget(target)}: ${how}.`,
    };
  }
  return {
    ...base,
    applicable: false,
    meets: null,
    margin: null,
    marginUnit: null,
    needed: null,
    explanation: `Naming units cannot meet a target "${describeTarget(target)}" (${target.kind}).`,
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
    if (v[field] === null || v[field] === undefined) return { field, message: `A ${v.kind} target needs ${field}.` };
  }
  if (v.share !== null && v.share !== undefined && (!Number.isFinite(v.share) || v.share < 0 || v.share > 100)) {
    return { field: "share", message: `share must lie between 0 and 100 (percent); got ${v.share}.` };
  }
  if (v.count !== null && v.count !== undefined && (!Number.isInteger(v.count) || v.count < 0)) {
    return { field: "count", message: `count must be a whole number ≥ 0; got ${v.count}.` };
  }
  if (v.quantity !== null && v.quantity !== undefined) {
    const problem = checkQuantity(v.quantity, v.unit);
    if (problem) return { field: "quantity", message: problem };
  }
  for (const field of ["changeLow", "changeHigh"] as const) {
    const x = v[field];
    if (x !== null && x !== undefined && (!Number.isFinite(x) || Math.abs(x) > 1000)) {
      return { field, message: `${field} must be a percent between -1000 and 1000; got ${x}.` };
    }
  }
  if (v.changeLow != null && v.changeHigh != null && v.changeLow > v.changeHigh) {
    return { field: "changeLow", message: `The range's low end ${v.changeLow} exceeds its high end ${v.changeHigh}.` };
  }
  if (v.deadline != null) {
    if (!isIsoDate(v.deadline)) {
      return { field: "deadline", message: `"${v.deadline}" is not an ISO date (YYYY-MM-DD).` };
    }
    if (v.deadline < period.start || v.deadline > period.end) {
      return { field: "deadline", message: `The deadline ${v.deadline} lies outside the plan's period ${period.start} - ${period.end}.` };
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
export function checkQuantity(q: number, unit: UnitOfMeasure | null | undefined): string | null {
  const what = unit ? `A quantity of ${UNIT_WORDS[unit][1]}` : "A quantity";
  if (!Number.isFinite(q) || q < 0) return `${what} must not be negative; got ${q}.`;
  if (unit !== "percent" && !Number.isInteger(q)) return `${what} is a whole number; got ${q}.`;
  if (q > MAX_QUANTITY) return `${what} must be at most ${fmtQuantity(MAX_QUANTITY)}; got ${q}.`;
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
      message: `${indicatorCode} is a yes/no indicator (a share of units): a ${kind.toUpperCase()} target has nothing to count; use SHARE_FLOOR or COUNT_FLOOR.`,
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

/**
 * The roll-up math as pure functions (no I/O):
 * - how one unit's reports of shorter periods make a longer period (the indicator's period rule),
 * - how aggregates of many units make a value (share of units, ratio of sums, sum, yearly change),
 * - completeness, the count a frequency target implies for a period, status and gap against a target
 *   (direction-aware), and ranks.
 * The write path stores UnitAggregate sums per (unit and every ancestor, indicator, period); the read
 * path turns them into values here.
 */
import type { Direction, PeriodRule, PeriodType, RollupRule, ValueKind } from "../common/enums";
import type { TargetValue } from "../target/target.model";

// the vocabularies of src/common/enums.ts under the names the roll-up code uses
export type ValueKindName = ValueKind;
export type RollupRuleName = RollupRule;
export type PeriodRuleName = PeriodRule;
export type DirectionName = Direction;
export type PeriodTypeName = PeriodType;
/** What judge() answers; a cell's status adds what coverage decides (rollup.coverage.rules.ts). */
export type StatusName = "met" | "not_met" | "no_data" | "no_target";

/** Sums that re-aggregate exactly: add two of them and you have the aggregate of both sets of units. */
export interface UnitAggregate {
  valueSum: number;
  numeratorSum: number;
  denominatorSum: number;
  unitsReported: number;
  unitsMeeting: number;
}

export const EMPTY_AGGREGATE: UnitAggregate = {
  valueSum: 0,
  numeratorSum: 0,
  denominatorSum: 0,
  unitsReported: 0,
  unitsMeeting: 0,
};

/** One stored report of a unit (numbers already parsed). */
export interface ReportValue {
  periodCode: string;
  /** ISO date: the latest report is the one that starts last */
  periodStart: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

export const MONTHS: Record<PeriodTypeName, number> = { quarter: 3, half_year: 6, year: 12 };

/** Codes of the periods a report's period feeds: itself, its half-year and its year ("2025-Q3" → 2025-Q3, 2025-H2, 2025). */
export function containingPeriods(code: string): string[] {
  const year = code.slice(0, 4);
  const q = /-Q([1-4])$/.exec(code);
  if (q) return [code, `${year}-H${Number(q[1]) <= 2 ? 1 : 2}`, year];
  if (/-H[12]$/.test(code)) return [code, year];
  return [code];
}

export function periodTypeOf(code: string): PeriodTypeName {
  return code.includes("-Q") ? "quarter" : code.includes("-H") ? "half_year" : "year";
}

/** The same period one year earlier ("2025-Q3" → "2024-Q3"). */
export function previousYearPeriod(code: string): string {
  return `${Number(code.slice(0, 4)) - 1}${code.slice(4)}`;
}

/** How many reports of `reportType` make `period` (a year holds 4 quarters); 0 when they cannot. */
export function subPeriodCount(period: PeriodTypeName, reportType: PeriodTypeName): number {
  return MONTHS[period] % MONTHS[reportType] === 0 ? MONTHS[period] / MONTHS[reportType] : 0;
}

/**
 * One unit's aggregate for a period from its reports inside it, by the period rule:
 * - yes/no ALL: meets only when it said yes in every sub-period (a missing quarter is not a yes);
 *   ANY: yes in at least one; LATEST: its latest report;
 * - ratio SUM: numerators and denominators add up (flows); LATEST: the latest report (stocks);
 * - count/frequency SUM: values add up; LATEST: the latest report.
 * Null when the unit reported nothing in the period.
 */
export function combineUnitPeriod(
  kind: ValueKindName,
  rule: PeriodRuleName,
  reports: ReportValue[],
  expectedSubPeriods: number,
): UnitAggregate | null {
  if (reports.length === 0) return null;
  const latest = reports.reduce((a, b) => (b.periodStart > a.periodStart ? b : a));
  if (kind === "yes_no") {
    const yes = (r: ReportValue) => r.value === 1;
    const meets =
      rule === "all"
        ? reports.length >= expectedSubPeriods && reports.every(yes)
        : rule === "any"
          ? reports.some(yes)
          : yes(latest);
    return { ...EMPTY_AGGREGATE, valueSum: meets ? 1 : 0, unitsReported: 1, unitsMeeting: meets ? 1 : 0 };
  }
  const picked = rule === "latest" ? [latest] : reports;
  const sum = (f: (r: ReportValue) => number | null) => picked.reduce((acc, r) => acc + (f(r) ?? 0), 0);
  if (kind === "ratio") {
    return { ...EMPTY_AGGREGATE, numeratorSum: sum((r) => r.numerator), denominatorSum: sum((r) => r.denominator), unitsReported: 1 };
  }
  return { ...EMPTY_AGGREGATE, valueSum: sum((r) => r.value), unitsReported: 1 };
}

/** Adds aggregates (what the write path does for every ancestor, as deltas). */
export function addAggregates(...parts: UnitAggregate[]): UnitAggregate {
  return parts.reduce(
    (a, b) => ({
      valueSum: a.valueSum + b.valueSum,
      numeratorSum: a.numeratorSum + b.numeratorSum,
      denominatorSum: a.denominatorSum + b.denominatorSum,
      unitsReported: a.unitsReported + b.unitsReported,
      unitsMeeting: a.unitsMeeting + b.unitsMeeting,
    }),
    EMPTY_AGGREGATE,
  );
}

const round = (n: number, digits = 3) => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/**
 * The value of an aggregate by the indicator's roll-up rule (percent for shares, ratios and changes):
 * - SHARE_OF_UNITS: units meeting / ALL units expected (not only those that reported) × 100;
 * - RATIO_OF_SUMS: Σ numerators / Σ denominators × 100 (never a mean of percentages);
 * - SUM: Σ values;
 * - YEARLY_CHANGE: (Σ this period − Σ same period a year before) / Σ a year before × 100.
 * Null (no data) when nobody reported, a denominator is 0, or there is nothing to compare with.
 */
export function rollupValue(
  rule: RollupRuleName,
  agg: UnitAggregate,
  unitsExpected: number,
  previous: UnitAggregate | null = null,
): number | null {
  if (agg.unitsReported === 0) return null;
  switch (rule) {
    case "share_of_units":
      return unitsExpected > 0 ? round((agg.unitsMeeting / unitsExpected) * 100) : null;
    case "ratio_of_sums":
      return agg.denominatorSum > 0 ? round((agg.numeratorSum / agg.denominatorSum) * 100) : null;
    case "sum":
      return round(agg.valueSum);
    case "yearly_change":
      if (!previous || previous.unitsReported === 0 || previous.valueSum <= 0) return null;
      return round(((agg.valueSum - previous.valueSum) / previous.valueSum) * 100);
  }
}

/** Units reported / units expected, 0..1 (null when no unit is expected); the 0..100 one is completenessPercent. */
export function completeness(unitsReported: number, unitsExpected: number): number | null {
  return unitsExpected > 0 ? round(Math.min(unitsReported, unitsExpected) / unitsExpected, 4) : null;
}

const INTERVAL_MONTHS: Record<string, number> = { month: 1, quarter: 3, half_year: 6, year: 12 };

/**
 * Items a frequency target asks for in a period: monthly → 3 a quarter, 6 a half-year, 12 a year;
 * quarterly → 1 a quarter, 4 a year; weekly → days / 7; daily → days. An interval longer than the
 * period asks a fraction (half-yearly, judged over a quarter: 0.5, so one item meets it and none does not).
 */
export function requiredCount(interval: string, period: { type: PeriodTypeName; start: string; end: string }): number {
  if (interval === "day" || interval === "week") {
    const days = Math.round((Date.parse(period.end) - Date.parse(period.start)) / 86_400_000) + 1;
    return interval === "day" ? days : round(days / 7, 2);
  }
  const months = INTERVAL_MONTHS[interval];
  if (!months) throw new Error(`Unknown frequency interval ${interval}`);
  return round(MONTHS[period.type] / months, 2);
}

export interface JudgeInput {
  direction: DirectionName;
  rollupRule: RollupRuleName;
  /** the roll-up value (percent for shares, ratios and changes; a sum for counts) */
  value: number | null;
  agg: UnitAggregate;
  period: { type: PeriodTypeName; start: string; end: string };
  /** quantity targets: the aggregate of the periods judged (quantityPeriods), when not the period's own */
  quantityAgg?: UnitAggregate | null;
}

/** The reporting period a span of dates is exactly ("2026", "2026-H1", "2026-Q3"), or null. */
export function periodCodeOf(start: string, end: string): string | null {
  const year = start.slice(0, 4);
  if (end.slice(0, 4) !== year) return null;
  const spans: Array<[string, string, string]> = [
    [year, "01-01", "12-31"],
    [`${year}-H1`, "01-01", "06-30"],
    [`${year}-H2`, "07-01", "12-31"],
    [`${year}-Q1`, "01-01", "03-31"],
    [`${year}-Q2`, "04-01", "06-30"],
    [`${year}-Q3`, "07-01", "09-30"],
    [`${year}-Q4`, "10-01", "12-31"],
  ];
  return spans.find(([, from, to]) => start.slice(5) === from && end.slice(5) === to)?.[0] ?? null;
}

/**
 * The reporting periods whose reports a quantity target is judged on, on a roll-up of `viewed`:
 * - the target's plan is for one reporting period (Hà Nội's 2026, a half-year plan): that period. A quarter's
 *   page of a yearly plan judges the year's sum so far against the year's quantity; there is no "in progress"
 *   status, so NOT_MET there means "not reached yet" (the cell's judgedPeriods say which periods were summed);
 * - the plan is for whole years (a five-year plan): its years from the first through the viewed one (the sum so
 *   far);
 * - any other span (a plan from March to December): the viewed period, judged as it is.
 */
export function quantityPeriods(plan: { start: string; end: string }, viewed: { code: string; year: number }): string[] {
  const own = periodCodeOf(plan.start, plan.end);
  if (own) return [own];
  const first = Number(plan.start.slice(0, 4));
  const last = Number(plan.end.slice(0, 4));
  if (plan.start.slice(5) === "01-01" && plan.end.slice(5) === "12-31" && first < last) {
    const years: string[] = [];
    for (let y = first; y <= Math.min(last, viewed.year); y++) years.push(String(y));
    return years;
  }
  return [viewed.code];
}

/**
 * One unit's (or subtree's) aggregate over the periods a quantity is judged on: flows (SUM, and yes/no rules) add
 * up; stocks (LATEST) take the latest period that has reports. Null when none of them has any.
 */
export function combineQuantityPeriods(rule: PeriodRuleName, aggs: Array<UnitAggregate | null | undefined>): UnitAggregate | null {
  const present = aggs.filter((a): a is UnitAggregate => !!a && a.unitsReported > 0);
  if (present.length === 0) return null;
  return rule === "latest" ? present[present.length - 1]! : addAggregates(...present);
}

export interface Judgement {
  status: StatusName;
  /** what the target asks, in the unit of `measured` */
  required: number | null;
  /** what is compared with `required`: the value, or units meeting / items for count and frequency targets */
  measured: number | null;
  /** distance to the target: > 0 short of it by this much; ≤ 0 met (|gap| beyond it) */
  gap: number | null;
}

/**
 * Met / not met / no data against a target, direction-aware:
 * - share floor / ceiling and count floor / ceiling carry their own direction (≥ / ≤);
 * - a count target on a share-of-units indicator counts units meeting ("at least 1 district");
 *   on any other indicator it counts the summed value;
 * - frequency: items in the period against the count the interval implies (≥, or ≤ when less is better);
 * - change range: higher-is-better is met at or above the low bound, lower-is-better at or below the
 *   high bound;
 * - cumulative deadline: the share reached so far against the share due (≥, or ≤ when less is better);
 * - quantity floor / ceiling: the sum so far over the periods judged (quantityAgg: Σ numerators of a ratio,
 *   "60,000 workers informed"; Σ values of a count) against the quantity (≥ / ≤).
 */
export function judge(input: JudgeInput, target: TargetValue | null | undefined): Judgement {
  if (!target) return { status: "no_target", required: null, measured: input.value, gap: null };
  const higher = input.direction !== "lower_is_better";
  let atLeast: boolean;
  let required: number | null;
  let measured: number | null;
  switch (target.kind) {
    case "share_floor":
    case "share_ceiling":
      atLeast = target.kind === "share_floor";
      required = target.share ?? null;
      measured = input.value;
      break;
    case "count_floor":
    case "count_ceiling":
      atLeast = target.kind === "count_floor";
      required = target.count ?? null;
      measured =
        input.agg.unitsReported === 0 ? null : input.rollupRule === "share_of_units" ? input.agg.unitsMeeting : input.agg.valueSum;
      break;
    case "frequency":
      atLeast = higher;
      required = target.frequencyInterval ? requiredCount(target.frequencyInterval, input.period) : null;
      measured = input.agg.unitsReported === 0 ? null : input.agg.valueSum;
      break;
    case "change_range":
      atLeast = higher;
      required = (higher ? target.changeLow : target.changeHigh) ?? null;
      measured = input.value;
      break;
    case "cumulative_deadline":
      atLeast = higher;
      required = target.share ?? null;
      measured = input.value;
      break;
    case "quantity_floor":
    case "quantity_ceiling": {
      atLeast = target.kind === "quantity_floor";
      required = target.quantity ?? null;
      const q = input.quantityAgg === undefined ? input.agg : input.quantityAgg;
      measured = !q || q.unitsReported === 0 ? null : input.rollupRule === "ratio_of_sums" ? q.numeratorSum : q.valueSum;
      break;
    }
    default:
      return { status: "no_target", required: null, measured: input.value, gap: null };
  }
  if (measured === null || required === null) return { status: "no_data", required, measured, gap: null };
  const gap = round(atLeast ? required - measured : measured - required);
  return { status: gap <= 1e-9 ? "met" : "not_met", required, measured, gap };
}

/**
 * Competition ranks (1, 2, 2, 4) of values, best first by direction; null values get no rank.
 */
export function rank(values: (number | null)[], direction: DirectionName): (number | null)[] {
  // best first; a value's rank is 1 + how many are strictly better (the first of its ties' position)
  const better = direction === "lower_is_better" ? 1 : -1;
  const keys = new Float64Array(values.length);
  const order: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    keys[i] = better * v;
    order.push(i);
  }
  order.sort((a, b) => keys[a]! - keys[b]!);
  const ranks: (number | null)[] = new Array(values.length).fill(null);
  for (let position = 0; position < order.length; position++) {
    const i = order[position]!;
    const prev = position > 0 ? order[position - 1]! : -1;
    ranks[i] = prev >= 0 && keys[prev] === keys[i] ? ranks[prev]! : position + 1;
  }
  return ranks;
}

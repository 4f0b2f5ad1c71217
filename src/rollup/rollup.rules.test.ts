import {
  EMPTY_AGGREGATE,
  addAggregates,
  combineQuantityPeriods,
  combineUnitPeriod,
  periodCodeOf,
  quantityPeriods,
  completeness,
  containingPeriods,
  judge,
  previousYearPeriod,
  rank,
  requiredCount,
  rollupValue,
  subPeriodCount,
  type JudgeInput,
  type ReportValue,
  type UnitAggregate,
} from "./rollup.rules";
import type { TargetValue } from "../target/target.model";

const q = (n: number, value: number | null, numerator: number | null = null, denominator: number | null = null): ReportValue => ({
  periodCode: `2025-Q${n}`,
  periodStart: `2025-${String((n - 1) * 3 + 1).padStart(2, "0")}-01`,
  value,
  numerator,
  denominator,
});
const agg = (a: Partial<UnitAggregate>): UnitAggregate => ({ ...EMPTY_AGGREGATE, ...a });

describe("periods", () => {
  it.each([
    ["2025-Q3", ["2025-Q3", "2025-H2", "2025"]],
    ["2025-Q2", ["2025-Q2", "2025-H1", "2025"]],
    ["2025-H1", ["2025-H1", "2025"]],
    ["2025", ["2025"]],
  ])("%s feeds %j", (code, expected) => expect(containingPeriods(code)).toEqual(expected));

  it.each([
    ["year", "quarter", 4],
    ["half_year", "quarter", 2],
    ["quarter", "quarter", 1],
    ["year", "half_year", 2],
    ["quarter", "year", 0],
  ] as const)("a %s holds %s reports: %i", (period, type, n) => expect(subPeriodCount(period, type)).toBe(n));

  it("compares with the same period a year before", () => {
    expect(previousYearPeriod("2025")).toBe("2024");
    expect(previousYearPeriod("2025-Q3")).toBe("2024-Q3");
  });
});

describe("period rules: one unit's year from its quarters", () => {
  it.each([
    ["yes/no ALL, yes every quarter", "all", [q(1, 1), q(2, 1), q(3, 1), q(4, 1)], 1],
    ["yes/no ALL, one no", "all", [q(1, 1), q(2, 0), q(3, 1), q(4, 1)], 0],
    ["yes/no ALL, a quarter missing", "all", [q(1, 1), q(2, 1), q(3, 1)], 0],
    ["yes/no ANY, one yes", "any", [q(1, 0), q(2, 1), q(3, 0)], 1],
    ["yes/no ANY, no yes", "any", [q(1, 0), q(2, 0)], 0],
    ["yes/no LATEST, last is yes", "latest", [q(3, 1), q(1, 0), q(2, 0)], 1],
    ["yes/no LATEST, last is no", "latest", [q(1, 1), q(2, 0)], 0],
  ] as const)("%s → meets %i", (_name, rule, reports, meets) => {
    const a = combineUnitPeriod("yes_no", rule, [...reports], 4)!;
    expect(a).toEqual(agg({ valueSum: meets, unitsReported: 1, unitsMeeting: meets }));
  });

  it("ratio SUM adds numerators and denominators (flows); LATEST takes the last report (stocks)", () => {
    const reports = [q(1, null, 3, 10), q(2, null, 5, 20), q(3, null, 9, 30)];
    expect(combineUnitPeriod("ratio", "sum", reports, 4)).toEqual(agg({ numeratorSum: 17, denominatorSum: 60, unitsReported: 1 }));
    expect(combineUnitPeriod("ratio", "latest", reports, 4)).toEqual(agg({ numeratorSum: 9, denominatorSum: 30, unitsReported: 1 }));
  });

  it("counts sum over quarters; nothing reported is no aggregate", () => {
    expect(combineUnitPeriod("count", "sum", [q(1, 4), q(2, 0), q(4, 7)], 4)).toEqual(agg({ valueSum: 11, unitsReported: 1 }));
    expect(combineUnitPeriod("frequency", "sum", [q(1, 2), q(2, 4)], 4)).toEqual(agg({ valueSum: 6, unitsReported: 1 }));
    expect(combineUnitPeriod("count", "sum", [], 4)).toBeNull();
  });
});

describe("roll-up rules", () => {
  it("share of units counts every expected unit, not only those that reported", () => {
    // 10 communes expected, 4 reported, 3 of them yes: 30%, not 75%
    expect(rollupValue("share_of_units", agg({ unitsReported: 4, unitsMeeting: 3, valueSum: 3 }), 10)).toBe(30);
    expect(rollupValue("share_of_units", agg({ unitsReported: 0 }), 10)).toBeNull();
  });

  it("ratio of sums, never the mean of percentages", () => {
    // 1/2 (50%) and 90/100 (90%): the mean would be 70%, the ratio of sums is 91/102
    const total = addAggregates(agg({ numeratorSum: 1, denominatorSum: 2, unitsReported: 1 }), agg({ numeratorSum: 90, denominatorSum: 100, unitsReported: 1 }));
    expect(rollupValue("ratio_of_sums", total, 2)).toBe(89.216);
    expect(rollupValue("ratio_of_sums", agg({ unitsReported: 1 }), 1)).toBeNull();
  });

  it("sums, and the yearly change against the previous year's sum", () => {
    expect(rollupValue("sum", agg({ valueSum: 42, unitsReported: 3 }), 5)).toBe(42);
    expect(rollupValue("yearly_change", agg({ valueSum: 63, unitsReported: 2 }), 2, agg({ valueSum: 60, unitsReported: 2 }))).toBe(5);
    expect(rollupValue("yearly_change", agg({ valueSum: 57, unitsReported: 2 }), 2, agg({ valueSum: 60, unitsReported: 2 }))).toBe(-5);
    expect(rollupValue("yearly_change", agg({ valueSum: 63, unitsReported: 2 }), 2, null)).toBeNull();
    expect(rollupValue("yearly_change", agg({ valueSum: 63, unitsReported: 2 }), 2, agg({ valueSum: 0, unitsReported: 2 }))).toBeNull();
  });

  it("completeness is reported / expected", () => {
    expect(completeness(3, 7)).toBe(0.4286);
    expect(completeness(0, 0)).toBeNull();
  });
});

describe("frequency targets: items the interval implies for the period", () => {
  it.each([
    ["month", "quarter", 3],
    ["month", "half_year", 6],
    ["month", "year", 12],
    ["quarter", "quarter", 1],
    ["quarter", "year", 4],
    ["half_year", "quarter", 0.5],
  ] as const)("%s over a %s: %d", (interval, type, n) => {
    const period = { type, start: "2025-01-01", end: type === "quarter" ? "2025-03-31" : type === "half_year" ? "2025-06-30" : "2025-12-31" };
    expect(requiredCount(interval, period)).toBe(n);
  });
  it("weeks and days count the period's days", () => {
    expect(requiredCount("day", { type: "quarter", start: "2025-01-01", end: "2025-03-31" })).toBe(90);
    expect(requiredCount("week", { type: "year", start: "2025-01-01", end: "2025-12-31" })).toBe(52.14);
  });
});

describe("status and gap against a target", () => {
  const QUARTER = { type: "quarter" as const, start: "2025-01-01", end: "2025-03-31" };
  const input = (over: Partial<JudgeInput>): JudgeInput => ({
    direction: "higher_is_better",
    rollupRule: "ratio_of_sums",
    value: null,
    agg: agg({ unitsReported: 1 }),
    period: QUARTER,
    ...over,
  });
  const share = (kind: "share_floor" | "share_ceiling", s: number): TargetValue => ({ kind, share: s });

  it.each([
    ["share floor met", input({ value: 80 }), share("share_floor", 75), "met", -5],
    ["share floor met exactly", input({ value: 75 }), share("share_floor", 75), "met", 0],
    ["share floor not met", input({ value: 70 }), share("share_floor", 75), "not_met", 5],
    ["share ceiling met (less is better)", input({ direction: "lower_is_better", value: 4 }), share("share_ceiling", 5), "met", -1],
    ["share ceiling not met", input({ direction: "lower_is_better", value: 7.5 }), share("share_ceiling", 5), "not_met", 2.5],
    [
      "count floor on a share of units counts units meeting (1 of 8 districts)",
      input({ rollupRule: "share_of_units", value: 12.5, agg: agg({ unitsReported: 2, unitsMeeting: 1 }) }),
      { kind: "count_floor", count: 1 } as TargetValue,
      "met",
      0,
    ],
    [
      "count floor on a share of units, none meeting",
      input({ rollupRule: "share_of_units", value: 0, agg: agg({ unitsReported: 8, unitsMeeting: 0 }) }),
      { kind: "count_floor", count: 1 } as TargetValue,
      "not_met",
      1,
    ],
    [
      "count ceiling (less is better) on a sum",
      input({ direction: "lower_is_better", rollupRule: "sum", value: 12, agg: agg({ unitsReported: 3, valueSum: 12 }) }),
      { kind: "count_ceiling", count: 10 } as TargetValue,
      "not_met",
      2,
    ],
    [
      "monthly press items: 2 in a quarter is short of 3",
      input({ rollupRule: "sum", value: 2, agg: agg({ unitsReported: 1, valueSum: 2 }) }),
      { kind: "frequency", frequencyInterval: "month" } as TargetValue,
      "not_met",
      1,
    ],
    [
      "monthly press items: 4 in a quarter",
      input({ rollupRule: "sum", value: 4, agg: agg({ unitsReported: 1, valueSum: 4 }) }),
      { kind: "frequency", frequencyInterval: "month" } as TargetValue,
      "met",
      -1,
    ],
    [
      "quarterly press items: 1 in a quarter",
      input({ rollupRule: "sum", value: 1, agg: agg({ unitsReported: 1, valueSum: 1 }) }),
      { kind: "frequency", frequencyInterval: "quarter" } as TargetValue,
      "met",
      0,
    ],
    ["change 3-5%, +6.7% (higher is better: at least the low bound)", input({ rollupRule: "yearly_change", value: 6.667 }), { kind: "change_range", changeLow: 3, changeHigh: 5 } as TargetValue, "met", -3.667],
    ["change 4-6%, +0%", input({ rollupRule: "yearly_change", value: 0 }), { kind: "change_range", changeLow: 4, changeHigh: 6 } as TargetValue, "not_met", 4],
    [
      "change -10..-5% (lower is better: at most the high bound), -8%",
      input({ direction: "lower_is_better", rollupRule: "yearly_change", value: -8 }),
      { kind: "change_range", changeLow: -10, changeHigh: -5 } as TargetValue,
      "met",
      -3,
    ],
    [
      "change -10..-5% (lower is better), -2%",
      input({ direction: "lower_is_better", rollupRule: "yearly_change", value: -2 }),
      { kind: "change_range", changeLow: -10, changeHigh: -5 } as TargetValue,
      "not_met",
      3,
    ],
    ["cumulative deadline 100% by 2025, at 60%", input({ value: 60 }), { kind: "cumulative_deadline", share: 100, deadline: "2025-12-31" } as TargetValue, "not_met", 40],
  ])("%s", (_name, i, target, status, gap) => {
    const j = judge(i, target);
    expect(j.status).toBe(status);
    expect(j.gap).toBeCloseTo(gap, 3);
  });

  it("no data when nothing was reported; no target when no plan sets one", () => {
    expect(judge(input({ value: null, agg: EMPTY_AGGREGATE }), share("share_floor", 70))).toMatchObject({ status: "no_data", gap: null });
    expect(judge(input({ rollupRule: "sum", agg: EMPTY_AGGREGATE }), { kind: "frequency", frequencyInterval: "month" })).toMatchObject({
      status: "no_data",
      required: 3,
    });
    expect(judge(input({ value: 80 }), null)).toMatchObject({ status: "no_target", gap: null });
  });
});

describe("quantity targets: the sum so far over the plan's period", () => {
  const viewed = (code: string) => ({ code, year: Number(code.slice(0, 4)) });
  it.each([
    ["a year", "2026-01-01", "2026-12-31", "2026"],
    ["a first half", "2026-01-01", "2026-06-30", "2026-H1"],
    ["a second half", "2026-07-01", "2026-12-31", "2026-H2"],
    ["a quarter", "2026-04-01", "2026-06-30", "2026-Q2"],
    ["March to December", "2026-03-01", "2026-12-31", null],
    ["two years", "2025-01-01", "2026-12-31", null],
  ] as const)("%s is period %s", (_n, start, end, code) => expect(periodCodeOf(start, end)).toBe(code));

  it.each([
    ["a yearly plan, its year", "2026-01-01", "2026-12-31", "2026", ["2026"]],
    ["a yearly plan seen on a quarter: the year so far", "2026-01-01", "2026-12-31", "2026-Q1", ["2026"]],
    ["a half-year plan seen on its quarter", "2026-01-01", "2026-06-30", "2026-Q2", ["2026-H1"]],
    ["a five-year plan seen in its third year: its years so far", "2021-01-01", "2025-12-31", "2023-Q2", ["2021", "2022", "2023"]],
    ["a five-year plan seen in its last year", "2021-01-01", "2025-12-31", "2025", ["2021", "2022", "2023", "2024", "2025"]],
    ["an odd span: the period as it is", "2026-03-01", "2026-12-31", "2026-Q3", ["2026-Q3"]],
  ] as const)("%s", (_n, start, end, code, expected) => expect(quantityPeriods({ start, end }, viewed(code))).toEqual(expected));

  it("flows add up over the periods, stocks take the latest that has reports", () => {
    const a = agg({ valueSum: 40, numeratorSum: 4000, denominatorSum: 9000, unitsReported: 3 });
    const b = agg({ valueSum: 60, numeratorSum: 5000, denominatorSum: 9500, unitsReported: 4 });
    expect(combineQuantityPeriods("sum", [a, null, b])).toMatchObject({ valueSum: 100, numeratorSum: 9000 });
    expect(combineQuantityPeriods("latest", [a, b, agg({ unitsReported: 0 })])).toBe(b);
    expect(combineQuantityPeriods("sum", [null, undefined])).toBeNull();
  });

  const YEAR = { type: "year" as const, start: "2026-01-01", end: "2026-12-31" };
  const Q1 = { type: "quarter" as const, start: "2026-01-01", end: "2026-03-31" };
  const qty = (kind: "quantity_floor" | "quantity_ceiling", n: number): TargetValue => ({ kind, quantity: n, unit: "people" });
  const base = { direction: "higher_is_better" as const, value: null, period: YEAR };
  it.each([
    // 60,000 industrial-zone workers informed: met by the sum of numerators
    ["ratio: Σ numerators reach the quantity", { ...base, rollupRule: "ratio_of_sums" as const, agg: agg({ numeratorSum: 61000, denominatorSum: 95000, unitsReported: 30 }) }, qty("quantity_floor", 60000), "met", 61000, -1000],
    ["ratio: Σ numerators short", { ...base, rollupRule: "ratio_of_sums" as const, agg: agg({ numeratorSum: 42000, denominatorSum: 95000, unitsReported: 30 }) }, qty("quantity_floor", 60000), "not_met", 42000, 18000],
    ["count: Σ values (100 cases tried)", { ...base, rollupRule: "yearly_change" as const, agg: agg({ valueSum: 104, unitsReported: 12 }) }, qty("quantity_floor", 100), "met", 104, -4],
    ["a quota of 1,200 inspections, 500 so far", { ...base, rollupRule: "ratio_of_sums" as const, agg: agg({ numeratorSum: 500, denominatorSum: 800, unitsReported: 1 }) }, qty("quantity_floor", 1200), "not_met", 500, 700],
    ["a ceiling within", { ...base, direction: "lower_is_better" as const, rollupRule: "sum" as const, agg: agg({ valueSum: 3, unitsReported: 2 }) }, qty("quantity_ceiling", 5), "met", 3, -2],
    ["a ceiling exceeded", { ...base, direction: "lower_is_better" as const, rollupRule: "sum" as const, agg: agg({ valueSum: 7, unitsReported: 2 }) }, qty("quantity_ceiling", 5), "not_met", 7, 2],
    ["nothing reported", { ...base, rollupRule: "sum" as const, agg: EMPTY_AGGREGATE }, qty("quantity_floor", 5), "no_data", null, null],
    // a quarter's page of a yearly quantity: judged on the year so far (quantityAgg), not the quarter alone
    ["a quarter judged on the year so far", { ...base, period: Q1, rollupRule: "sum" as const, agg: agg({ valueSum: 20, unitsReported: 2 }), quantityAgg: agg({ valueSum: 20, unitsReported: 2 }) }, qty("quantity_floor", 100), "not_met", 20, 80],
    ["the year so far has nothing", { ...base, period: Q1, rollupRule: "sum" as const, agg: EMPTY_AGGREGATE, quantityAgg: null }, qty("quantity_floor", 100), "no_data", null, null],
  ] as const)("%s", (_n, input, target, status, measured, gap) => {
    const j = judge(input as JudgeInput, target);
    expect(j).toMatchObject({ status, measured, gap, required: target.quantity });
  });
});

describe("ranks", () => {
  // best first by direction, ties share a rank (1, 2, 2, 4), no value no rank
  it.each<[(number | null)[], "higher_is_better" | "lower_is_better", (number | null)[]]>([
    [[50, 80, null, 80, 10], "higher_is_better", [3, 1, null, 1, 4]],
    [[50, 80, null, 80, 10], "lower_is_better", [2, 3, null, 3, 1]],
    [[], "higher_is_better", []],
    [[null, null], "higher_is_better", [null, null]],
    [[7, 7, 7], "lower_is_better", [1, 1, 1]],
    [[1, 2, 2, 2, 3, 0], "higher_is_better", [5, 2, 2, 2, 1, 6]],
    [[-1.5, 0, -1.5, 2.25], "lower_is_better", [1, 3, 1, 4]],
  ])("rank(%j, %s) = %j", (values, direction, ranks) => {
    expect(rank(values, direction)).toEqual(ranks);
  });
});

import type { Direction, TargetVerdict } from "../common/enums";
import type { TargetValue } from "./target.model";
import {
  checkKindForIndicator,
  checkQuantity,
  checkTargetValue,
  compareTargets,
  describeTarget,
  isTighterOrEqual,
  judgeAssignment,
  mayStand,
  normalizeTargetValue,
} from "./target.rules";

const share = (kind: "share_floor" | "share_ceiling", s: number): TargetValue => ({ kind, share: s });
const count = (kind: "count_floor" | "count_ceiling", c: number): TargetValue => ({ kind, count: c });
const freq = (i: TargetValue["frequencyInterval"]): TargetValue => ({ kind: "frequency", frequencyInterval: i });
const range = (lo: number, hi: number): TargetValue => ({ kind: "change_range", changeLow: lo, changeHigh: hi });
const byDate = (s: number, d: string): TargetValue => ({ kind: "cumulative_deadline", share: s, deadline: d });
const H: Direction = "higher_is_better";
const L: Direction = "lower_is_better";

describe("compareTargets / isTighterOrEqual", () => {
  const cases: Array<[string, TargetValue, TargetValue, Direction, number | null, TargetVerdict, number | null]> = [
    // share floors: higher is tighter (HCMC 100% vs national 70%, Quảng Ninh 75%, Lai Châu 70%)
    ["share floor tighter", share("share_floor", 100), share("share_floor", 70), H, null, "tighter", 30],
    ["share floor equal", share("share_floor", 70), share("share_floor", 70), H, null, "equal", 0],
    ["share floor looser", share("share_floor", 65), share("share_floor", 70), H, null, "looser", -5],
    ["share floor, less-is-better indicator: still a floor", share("share_floor", 80), share("share_floor", 70), L, null, "tighter", 10],
    // share ceilings: lower is tighter
    ["share ceiling tighter", share("share_ceiling", 3), share("share_ceiling", 5), L, null, "tighter", 2],
    ["share ceiling equal", share("share_ceiling", 5), share("share_ceiling", 5), L, null, "equal", 0],
    ["share ceiling looser", share("share_ceiling", 8), share("share_ceiling", 5), L, null, "looser", -3],
    ["share ceiling, more-is-better indicator", share("share_ceiling", 8), share("share_ceiling", 5), H, null, "looser", -3],
    // counts
    ["count floor tighter", count("count_floor", 3), count("count_floor", 1), H, null, "tighter", 2],
    ["count floor equal", count("count_floor", 1), count("count_floor", 1), H, null, "equal", 0],
    ["count floor looser", count("count_floor", 0), count("count_floor", 1), H, null, "looser", -1],
    ["count ceiling tighter", count("count_ceiling", 2), count("count_ceiling", 4), L, null, "tighter", 2],
    ["count ceiling looser", count("count_ceiling", 5), count("count_ceiling", 4), L, null, "looser", -1],
    // count versus share through the number of units counted: Lai Châu 1 of 8 districts = 12.5% vs ≥ 10%
    ["count meets share (Lai Châu)", count("count_floor", 1), share("share_floor", 10), H, 8, "tighter", 2.5],
    ["count equals share", count("count_floor", 2), share("share_floor", 25), H, 8, "equal", 0],
    ["count misses share (1 of 13 vs 10%)", count("count_floor", 1), share("share_floor", 10), H, 13, "looser", -2.31],
    ["share under count (20% of 8 = 1.6 ≥ 1)", share("share_floor", 20), count("count_floor", 1), H, 8, "tighter", 7.5],
    ["share under count looser (10% of 8 < 1)", share("share_floor", 10), count("count_floor", 1), H, 8, "looser", -2.5],
    ["count ceiling vs share ceiling", count("count_ceiling", 1), share("share_ceiling", 20), L, 10, "tighter", 10],
    ["count vs share without a unit count", count("count_floor", 1), share("share_floor", 10), H, null, "kind_mismatch", null],
    ["floor vs ceiling", share("share_floor", 10), share("share_ceiling", 10), H, null, "kind_mismatch", null],
    // frequency: shorter interval tighter when more is better
    ["frequency tighter (week under month)", freq("week"), freq("month"), H, null, "tighter", 1],
    ["frequency equal", freq("month"), freq("month"), H, null, "equal", 0],
    ["frequency looser (Lai Châu quarter under month)", freq("quarter"), freq("month"), H, null, "looser", -1],
    ["frequency day under year", freq("day"), freq("year"), H, null, "tighter", 5],
    ["frequency half-year under quarter", freq("half_year"), freq("quarter"), H, null, "looser", -1],
    ["frequency, less is better: longer is tighter", freq("year"), freq("quarter"), L, null, "tighter", 2],
    ["frequency, less is better: shorter is looser", freq("week"), freq("month"), L, null, "looser", -1],
    // change range: the binding bound
    ["range 4-6 under 3-5 (Quảng Ninh)", range(4, 6), range(3, 5), H, null, "tighter", 1],
    ["range 2-6 under 3-5", range(2, 6), range(3, 5), H, null, "looser", -1],
    ["range 3-5 under 3-5", range(3, 5), range(3, 5), H, null, "equal", 0],
    ["range 3-7 under 3-5: same binding bound", range(3, 7), range(3, 5), H, null, "equal", 0],
    ["range, less is better: high bound binds (-6..-4 under -5..-3)", range(-6, -4), range(-5, -3), L, null, "tighter", 1],
    ["range, less is better: -5..-2 under -5..-3 looser", range(-5, -2), range(-5, -3), L, null, "looser", -1],
    // cumulative deadline: earlier and not lower
    ["deadline equal", byDate(100, "2025-12-31"), byDate(100, "2025-12-31"), H, null, "equal", 0],
    ["deadline earlier", byDate(100, "2025-06-30"), byDate(100, "2025-12-31"), H, null, "tighter", 184],
    ["deadline later", byDate(100, "2026-06-30"), byDate(100, "2025-12-31"), H, null, "looser", -181],
    ["deadline share higher", byDate(100, "2025-12-31"), byDate(90, "2025-12-31"), H, null, "tighter", 10],
    ["deadline share lower", byDate(80, "2025-06-30"), byDate(90, "2025-12-31"), H, null, "looser", -10],
    ["deadline, less is better: share lower tighter", byDate(5, "2025-12-31"), byDate(10, "2025-12-31"), L, null, "tighter", 5],
    ["deadline, less is better: share higher looser", byDate(15, "2025-12-31"), byDate(10, "2025-12-31"), L, null, "looser", -5],
    // kind mismatches
    ["frequency vs share", freq("month"), share("share_floor", 70), H, null, "kind_mismatch", null],
    ["share vs frequency", share("share_floor", 70), freq("month"), H, 8, "kind_mismatch", null],
    ["range vs share", range(3, 5), share("share_floor", 3), H, null, "kind_mismatch", null],
    ["deadline vs share floor", byDate(100, "2025-12-31"), share("share_floor", 20), H, null, "kind_mismatch", null],
    ["count vs frequency", count("count_floor", 1), freq("month"), H, 8, "kind_mismatch", null],
  ];
  it.each(cases)("%s", (_name, child, parent, direction, units, verdict, delta) => {
    const c = compareTargets(child, parent, direction, units);
    expect(c.verdict).toBe(verdict);
    expect(c.delta).toBe(delta);
    expect(isTighterOrEqual(child, parent, direction, units)).toBe(verdict === "tighter" || verdict === "equal");
    expect(c.explanation.length).toBeGreaterThan(10);
  });

  it("names the units of the delta", () => {
    expect(compareTargets(count("count_floor", 1), share("share_floor", 10), H, 8)).toMatchObject({
      deltaUnit: "percentage_points",
      explanation: expect.stringContaining("1 of 8 units = 12.5%"),
    });
    expect(compareTargets(freq("week"), freq("month"), H).deltaUnit).toBe("interval_steps");
    expect(compareTargets(count("count_floor", 3), count("count_floor", 1), H).deltaUnit).toBe("units");
    expect(compareTargets(byDate(100, "2025-06-30"), byDate(100, "2025-12-31"), H)).toMatchObject({ deltaUnit: "days", daysEarlier: 184 });
  });
});

describe("judgeAssignment", () => {
  it.each([
    // Quảng Ninh: 5 of 13 districts for pilot models against its own ≥ 40%
    ["5 of 13 vs ≥ 40%", 5, 13, share("share_floor", 40), false, -1.54, 6],
    // 8 of 13 districts integrating the program against its own ≥ 60%
    ["8 of 13 vs ≥ 60%", 8, 13, share("share_floor", 60), true, 1.54, 8],
    ["exactly the share", 4, 8, share("share_floor", 50), true, 0, 4],
    ["count floor met", 1, 8, count("count_floor", 1), true, 0, 1],
    ["count floor missed", 1, 8, count("count_floor", 2), false, -1, 2],
  ] as const)("%s", (_n, named, total, target, meets, margin, needed) => {
    const j = judgeAssignment(named, total, target);
    expect(j).toMatchObject({ applicable: true, meets, margin, needed });
  });

  it("says plainly what it finds", () => {
    expect(judgeAssignment(5, 13, share("share_floor", 40)).explanation).toBe(
      "5 of 13 units named = 38.46% against ≥ 40%: misses it by 1.54 points; 6 of 13 are needed.",
    );
    expect(judgeAssignment(8, 13, share("share_floor", 60)).explanation).toBe("8 of 13 units named = 61.54% against ≥ 60%: clears it by 1.54 points.");
  });

  it("does not judge what naming units cannot meet", () => {
    expect(judgeAssignment(3, 8, freq("month"))).toMatchObject({ applicable: false, meets: null });
    expect(judgeAssignment(3, 8, null)).toMatchObject({ applicable: false, meets: null });
  });
});

describe("checkTargetValue", () => {
  const period = { start: "2025-01-01", end: "2025-12-31" };
  it.each([
    ["share above 100", share("share_floor", 101), "share"],
    ["share below 0", share("share_ceiling", -1), "share"],
    ["negative count", count("count_floor", -1), "count"],
    ["fractional count", count("count_floor", 1.5), "count"],
    ["range low above high", range(6, 4), "changeLow"],
    ["deadline after the period", byDate(100, "2026-01-01"), "deadline"],
    ["deadline before the period", byDate(100, "2024-12-31"), "deadline"],
    ["not a date", byDate(100, "2025-02-30"), "deadline"],
    ["missing share", { kind: "share_floor" } as TargetValue, "share"],
    ["missing interval", { kind: "frequency" } as TargetValue, "frequencyInterval"],
    ["missing high", { kind: "change_range", changeLow: 3 } as TargetValue, "changeHigh"],
  ] as const)("refuses %s", (_n, value, field) => {
    expect(checkTargetValue(value, period)?.field).toBe(field);
  });

  it.each([
    share("share_floor", 0),
    share("share_floor", 100),
    count("count_floor", 0),
    freq("month"),
    range(-5, -5),
    byDate(100, "2025-12-31"),
  ])("accepts %o", (value) => {
    expect(checkTargetValue(value, period)).toBeNull();
  });

  it("keeps only the fields of the kind, and describes values", () => {
    expect(normalizeTargetValue({ kind: "frequency", frequencyInterval: "month", share: 50 })).toMatchObject({ share: null, frequencyInterval: "month" });
    expect(describeTarget(range(3, 5))).toBe("3% to 5% a year");
    expect(describeTarget(freq("half_year"))).toBe("at least once per half-year");
    expect(describeTarget(byDate(100, "2025-12-31"))).toBe("100% by 2025-12-31");
  });
});

describe("quantities (QUANTITY_FLOOR / QUANTITY_CEILING)", () => {
  const qty = (kind: "quantity_floor" | "quantity_ceiling", n: number, unit: TargetValue["unit"] = "people"): TargetValue => ({ kind, quantity: n, unit });
  const planned = (value: number) => ({ value, source: "planning_figure" as const });
  const reported = (value: number) => ({ value, source: "reported" as const, period: "2025-Q4" });

  // child, parent, denominator, verdict, delta, may stand
  const cases: Array<[string, TargetValue, TargetValue, ReturnType<typeof planned> | ReturnType<typeof reported> | null, TargetVerdict, number | null, boolean]> = [
    // only-tighten does not compare a part with the whole: quotas do that
    ["a commune's quantity under the city's", qty("quantity_floor", 500), qty("quantity_floor", 60000), null, "not_compared", null, true],
    ["a larger quantity under a smaller one", qty("quantity_floor", 70000), qty("quantity_floor", 60000), null, "not_compared", null, true],
    ["a quantity ceiling under a quantity floor", qty("quantity_ceiling", 5), qty("quantity_floor", 60000), null, "not_compared", null, true],
    // Hà Nội's 60,000 industrial-zone workers against the national ≥ 60%
    ["60,000 of 95,000 planned = 63.16% ≥ 60%", qty("quantity_floor", 60000), share("share_floor", 60), planned(95000), "tighter", 3.16, true],
    ["57,000 of 95,000 = 60% exactly", qty("quantity_floor", 57000), share("share_floor", 60), planned(95000), "equal", 0, true],
    ["50,000 of 95,000 = 52.63% < 60%", qty("quantity_floor", 50000), share("share_floor", 60), planned(95000), "looser", -7.37, false],
    ["the latest reported denominator", qty("quantity_floor", 60000), share("share_floor", 60), reported(120000), "looser", -10, false],
    ["no denominator: not comparable, never refused", qty("quantity_floor", 60000), share("share_floor", 60), null, "not_comparable", null, true],
    ["a zero denominator is none", qty("quantity_floor", 60000), share("share_floor", 60), planned(0), "not_comparable", null, true],
    ["quantity ceiling under share ceiling", qty("quantity_ceiling", 5, "cases"), share("share_ceiling", 10), planned(100), "tighter", 5, true],
    ["quantity floor under share ceiling", qty("quantity_floor", 5), share("share_ceiling", 10), planned(100), "kind_mismatch", null, false],
    // a share under a total quantity: a part's share says nothing of the whole's count
    ["a share under a quantity", share("share_floor", 65), qty("quantity_floor", 60000), planned(95000), "not_compared", null, true],
    // other kinds do not meet a quantity
    ["a frequency under a quantity", freq("month"), qty("quantity_floor", 3, "items"), null, "kind_mismatch", null, false],
    ["a quantity under a frequency", qty("quantity_floor", 3, "items"), freq("month"), null, "kind_mismatch", null, false],
    ["a quantity under a count of units", qty("quantity_floor", 3), count("count_floor", 1), planned(10), "kind_mismatch", null, false],
    ["a quantity under a change range", qty("quantity_floor", 100, "cases"), range(3, 5), null, "kind_mismatch", null, false],
    ["a quantity under a cumulative deadline", qty("quantity_floor", 100, "businesses"), byDate(100, "2025-12-31"), planned(100), "kind_mismatch", null, false],
  ];
  it.each(cases)("%s", (_name, child, parent, denominator, verdict, delta, stands) => {
    const c = compareTargets(child, parent, H, null, denominator);
    expect(c.verdict).toBe(verdict);
    expect(c.delta).toBe(delta);
    expect(mayStand(c)).toBe(stands);
    expect(c.explanation.length).toBeGreaterThan(20);
  });

  it("says which denominator it used, or what is missing", () => {
    expect(compareTargets(qty("quantity_floor", 60000), share("share_floor", 60), H, null, planned(95000)).explanation).toBe(
      "at least 60,000 people of 95,000 people (planning figure of the plan) = 63.16% against ≥ 60%: tighter than the parent by 3.16 percentage points.",
    );
    expect(compareTargets(qty("quantity_floor", 60000), share("share_floor", 60), H, null, reported(95000)).explanation).toContain(
      "the latest reported denominator, 2025-Q4: the plan has no planning figure",
    );
    const none = compareTargets(qty("quantity_floor", 60000), share("share_floor", 60), H, null, null);
    expect(none.missing).toMatch(/planning figure/);
    expect(none.denominator).toBeNull();
  });

  it("describes quantities in their unit", () => {
    expect(describeTarget(qty("quantity_floor", 60000))).toBe("at least 60,000 people");
    expect(describeTarget(qty("quantity_floor", 1, "cases"))).toBe("at least 1 case");
    expect(describeTarget(qty("quantity_ceiling", 2937, "businesses"))).toBe("at most 2,937 businesses");
    expect(describeTarget({ kind: "quantity_floor", quantity: 3 })).toBe("at least 3");
  });

  it.each([
    ["missing quantity", { kind: "quantity_floor", unit: "people" } as TargetValue, "quantity"],
    ["negative quantity", qty("quantity_floor", -1), "quantity"],
    ["fractional quantity of people", qty("quantity_floor", 2.5), "quantity"],
    ["fractional quantity, unit unknown", { kind: "quantity_ceiling", quantity: 0.5 } as TargetValue, "quantity"],
    ["absurdly large", qty("quantity_floor", 1e13), "quantity"],
    ["not a number", qty("quantity_floor", Number.NaN), "quantity"],
  ] as const)("refuses %s", (_n, value, field) => {
    expect(checkTargetValue(value, { start: "2026-01-01", end: "2026-12-31" })?.field).toBe(field);
  });

  it("accepts whole quantities, zero included", () => {
    for (const n of [0, 1, 60000, 100000]) expect(checkTargetValue(qty("quantity_floor", n), { start: "2026-01-01", end: "2026-12-31" })).toBeNull();
    expect(checkQuantity(2.5, "percent")).toBeNull();
    expect(checkQuantity(2.5, "cases")).toBe("A quantity of cases is a whole number; got 2.5.");
  });

  it("refuses a quantity on a yes/no indicator, and only there", () => {
    expect(checkKindForIndicator("quantity_floor", "yes_no", "AWR_COMMUNE_ACTIVITY")).toMatchObject({ field: "kind" });
    expect(checkKindForIndicator("quantity_ceiling", "yes_no", "AWR_COMMUNE_ACTIVITY")).toMatchObject({ field: "kind" });
    for (const kind of ["ratio", "count", "frequency"] as const) expect(checkKindForIndicator("quantity_floor", kind, "X")).toBeNull();
    expect(checkKindForIndicator("share_floor", "yes_no", "X")).toBeNull();
  });

  it("keeps the quantity (and its unit) of a quantity kind only", () => {
    expect(normalizeTargetValue({ kind: "quantity_floor", quantity: 5, share: 3, unit: "cases" })).toMatchObject({ quantity: 5, share: null, unit: "cases" });
    expect(normalizeTargetValue({ kind: "share_floor", share: 3, quantity: 5 })).toMatchObject({ quantity: null, share: 3 });
  });

  it("naming units cannot meet a quantity", () => {
    expect(judgeAssignment(3, 8, qty("quantity_floor", 100))).toMatchObject({ applicable: false, meets: null });
  });
});

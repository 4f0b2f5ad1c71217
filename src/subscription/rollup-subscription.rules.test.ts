import { changedCells, concerns, parseNotice, SubscriptionSlots, yearsRead, type RollupInterest } from "./rollup-subscription.rules";

// Quảng Ninh is /1/22/ here, one of its communes /1/22/300/; Lai Châu /1/12/
const quangNinh2025Q1: RollupInterest = { paths: ["/1/22/"], years: ["2025", "2024"], indicators: [3, 4] };

describe("parseNotice", () => {
  it.each([
    ['{"p":["/1/22/300/"],"d":["2025-Q1","2025-H1","2025"],"i":[3]}', { paths: ["/1/22/300/"], broad: false, periods: ["2025-Q1", "2025-H1", "2025"], indicators: [3] }],
    ['{"b":["/1/22/"],"d":null,"i":null}', { paths: ["/1/22/"], broad: true, periods: null, indicators: null }],
    ['{"p":["/1/"]}', { paths: ["/1/"], broad: false, periods: null, indicators: null }],
    ["not json", undefined],
    ["[1]", undefined],
    ['{"p":"/1/"}', undefined],
    ['{"p":["/1/"],"i":["3"]}', undefined],
    ['{"p":["/1/"],"d":[2025]}', undefined],
    ["null", undefined],
  ])("%s", (payload, expected) => {
    expect(parseNotice(payload)).toEqual(expected);
  });

  it("reads a missing payload as not ours", () => {
    expect(parseNotice(undefined)).toBeUndefined();
  });
});

describe("concerns", () => {
  const notice = (over: object) => ({ paths: ["/1/22/300/"], broad: false, periods: ["2025-Q1"], indicators: [3], ...over });
  it.each([
    ["a commune of the subtree, the period, an indicator shown", notice({}), true],
    ["the unit itself", notice({ paths: ["/1/22/"] }), true],
    ["another province", notice({ paths: ["/1/12/400/"] }), false],
    ["a province whose path starts alike (/1/220/ is not /1/22/)", notice({ paths: ["/1/220/"] }), false],
    ["the nation's row only", notice({ paths: ["/1/"] }), false],
    ["cut to the nation: anything below may have changed", notice({ paths: ["/1/"], broad: true }), true],
    ["cut to another province", notice({ paths: ["/1/12/"], broad: true }), false],
    ["the year containing the period", notice({ periods: ["2025"] }), true],
    ["the year before (yearly change)", notice({ periods: ["2024-Q1"] }), true],
    ["another year", notice({ periods: ["2026-Q1", "2026"] }), false],
    ["any period", notice({ periods: null }), true],
    ["an indicator not shown", notice({ indicators: [9] }), false],
    ["any indicator", notice({ indicators: null }), true],
    ["one of several paths", notice({ paths: ["/1/12/400/", "/1/22/301/"] }), true],
    ["a payload not understood: re-read", undefined, true],
  ])("%s", (_what, n, expected) => {
    expect(concerns(n, quangNinh2025Q1)).toBe(expected);
  });

  it("takes every indicator when the page shows the whole catalog, and the units it is restated from", () => {
    const restated: RollupInterest = { paths: ["/1/91/", "/1/93/"], years: ["2024", "2023"], indicators: [] };
    expect(concerns(notice({ paths: ["/1/93/500/"], periods: ["2024"], indicators: [77] }), restated)).toBe(true);
  });
});

describe("yearsRead", () => {
  it.each([
    ["2025-Q3", ["2025", "2024"]],
    ["2026-H1", ["2026", "2025"]],
    ["2024", ["2024", "2023"]],
  ])("%s", (period, years) => expect(yearsRead(period)).toEqual(years));
});

describe("changedCells", () => {
  const cell = (value: number | null, status = "met") => ({ value, status });
  it("sends every cell first, then only the ones whose figures changed", () => {
    const first = changedCells(new Map(), [
      { key: "1:A", cell: cell(10) },
      { key: "1:B", cell: cell(null, "no_data") },
    ]);
    expect(first.changed.map((c) => c.key)).toEqual(["1:A", "1:B"]);
    const second = changedCells(first.state, [
      { key: "1:A", cell: cell(10) },
      { key: "1:B", cell: cell(5, "not_met") },
    ]);
    expect(second.changed).toEqual([{ key: "1:B", cell: cell(5, "not_met") }]);
    const third = changedCells(second.state, [
      { key: "1:A", cell: cell(10, "not_met") }, // a status alone counts
      { key: "1:B", cell: cell(5, "not_met") },
    ]);
    expect(third.changed.map((c) => c.key)).toEqual(["1:A"]);
    expect(changedCells(third.state, [{ key: "1:A", cell: cell(10, "not_met") }, { key: "1:B", cell: cell(5, "not_met") }]).changed).toEqual([]);
  });
});

describe("SubscriptionSlots", () => {
  it("holds at most max per token, and frees a slot on release", () => {
    const slots = new SubscriptionSlots(2);
    expect([slots.acquire("a"), slots.acquire("a"), slots.acquire("a"), slots.acquire("b")]).toEqual([true, true, false, true]);
    slots.release("a");
    expect(slots.acquire("a")).toBe(true);
    expect(slots.acquire("a")).toBe(false);
  });
});

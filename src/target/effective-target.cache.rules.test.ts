import { admit, emptyState, lookup, store, visibleTo } from "./effective-target.cache.rules";

const Q1 = { start: "2025-01-01", end: "2025-03-31" };
const Y = { start: "2025-01-01", end: "2025-12-31" };
const NATION = ["/1/"];
const PROVINCE = ["/1/22/"];
const OTHER = ["/1/40/"];
// a province after a merger: its own path, then the path of the province that became part of it
const MERGED = ["/1/22/", "/1/23/"];

describe("visibleTo: the caller's subtree and ancestors, as row-level security shows org_unit", () => {
  it.each([
    ["the nation sees a commune", "/1/22/300/", NATION, true],
    ["a province sees its own commune", "/1/22/300/", PROVINCE, true],
    ["a province sees the nation (an ancestor)", "/1/", PROVINCE, true],
    ["a province sees itself", "/1/22/", PROVINCE, true],
    ["a province does not see another's commune", "/1/40/300/", PROVINCE, false],
    ["nor another province", "/1/40/", PROVINCE, false],
    ["'/1/2/' is not an ancestor of '/1/22/'", "/1/2/", PROVINCE, false],
    ["a merged province sees the communes of its predecessor", "/1/23/7/", MERGED, true],
  ])("%s", (_name, path, scope, expected) => {
    expect(visibleTo(path, scope)).toBe(expected);
  });
});

describe("admit: a request's version against the cache's", () => {
  it.each([
    ["the same version: use", 5, 5, false, "use", 5],
    ["a newer version: use, after dropping everything", 5, 6, false, "use", 6],
    ["an older version (began before a write another request saw): bypass", 6, 5, false, "bypass", 6],
    ["its own transaction changed targets: bypass, keeping the version", 5, 6, true, "bypass", 5],
  ] as const)("%s", (_name, held, asked, written, expected, after) => {
    const state = emptyState<string>(held);
    store(state, NATION, Q1, [1], [10], new Map([["1:10", "t"]]), new Map([[1, "/1/"]]));
    expect(admit(state, asked, written)).toBe(expected);
    expect(state.version).toBe(after);
    expect(state.size).toBe(after === held ? 1 : 0);
    expect(lookup(state, NATION, Q1, [1], [10]).found.size).toBe(after === held ? 1 : 0);
  });
});

describe("lookup and store", () => {
  const filled = () => {
    const state = emptyState<string>(1);
    // unit 2 (a province) shareable; unit 3 (a commune whose chain leaves its line) is not
    store(state, NATION, Q1, [2, 3], [10, 11], new Map([["2:10", "p10"], ["3:10", "c10"]]), new Map([[2, "/1/22/"]]));
    return state;
  };

  it.each([
    ["the filler gets every pair, none missing", NATION, Q1, [2, 3], [10, 11], { "2:10": "p10", "3:10": "c10" }, [], []],
    ["a caller that sees a shared unit gets it", PROVINCE, Q1, [2], [10, 11], { "2:10": "p10" }, [], []],
    ["a caller that does not see a shared unit gets nothing, and resolves nothing", OTHER, Q1, [2], [10], {}, [], []],
    ["a unit kept for another scope only is missing for this one", PROVINCE, Q1, [3], [10], {}, [3], [10]],
    ["an indicator not asked before is missing", NATION, Q1, [2], [10, 12], { "2:10": "p10" }, [2], [12]],
    ["another period is missing", NATION, Y, [2], [10], {}, [2], [10]],
    ["a unit asked twice is looked up once", NATION, Q1, [2, 2], [10], { "2:10": "p10" }, [], []],
  ] as const)("%s", (_name, scope, period, units, indicators, found, missingUnits, missingIndicators) => {
    const r = lookup(filled(), scope, period, units, indicators);
    expect(Object.fromEntries(r.found)).toEqual(found);
    expect(r.missingUnits).toEqual(missingUnits);
    expect(r.missingIndicators).toEqual(missingIndicators);
  });

  it("does not share a shareable unit its filler does not see (it resolved nothing for it)", () => {
    const state = emptyState<string>(1);
    store(state, OTHER, Q1, [2], [10], new Map(), new Map([[2, "/1/22/"]]));
    expect(state.shared.size).toBe(0);
    expect(lookup(state, NATION, Q1, [2], [10]).missingUnits).toEqual([2]);
    expect(lookup(state, OTHER, Q1, [2], [10])).toMatchObject({ found: new Map(), missingUnits: [] });
  });

  it("drops everything rather than grow past its bound", () => {
    const state = emptyState<string>(1);
    store(state, NATION, Q1, [1], [10], new Map([["1:10", "t"]]), new Map([[1, "/1/"]]));
    store(state, NATION, Q1, [100, 101], [10], new Map(), new Map(), 3);
    expect(state.size).toBe(3);
    store(state, NATION, Q1, [102], [10], new Map(), new Map(), 3);
    expect(state.size).toBe(1);
    expect(lookup(state, NATION, Q1, [1], [10]).missingUnits).toEqual([1]);
  });
});

import { parsePeriod } from "../common/period";
import {
  RestatedFigures,
  candidatesWithPreviousYear,
  partsForIndicator,
  periodCandidates,
  reportedOnEarlierTree,
  reportingLevelOn,
  treeParts,
  type SourceLink,
  type TreePart,
} from "./rollup.restate.rules";

/** The days the seed's tree changed: mergers of 1/1/2025, the two-tier reform of 1/7/2025. */
const CHANGES = ["2000-01-01", "2025-01-01", "2025-07-01"];
const codes = (parts: TreePart[]) => parts.map((p) => `${p.which}:${p.code}${p.whole ? " whole" : ""}`);

describe("tree parts of a period", () => {
  it("a year has itself, its halves and its quarters as candidates; a half its quarters; a quarter itself", () => {
    expect(periodCandidates(parsePeriod("2025")).map((c) => c.code)).toEqual(["2025", "2025-H1", "2025-H2", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]);
    expect(periodCandidates(parsePeriod("2025-H2")).map((c) => [c.code, c.from, c.to])).toEqual([
      ["2025-H2", "2025-07-01", "2025-12-31"],
      ["2025-Q3", "2025-07-01", "2025-09-30"],
      ["2025-Q4", "2025-10-01", "2025-12-31"],
    ]);
    expect(periodCandidates(parsePeriod("2024-Q1"), "prev")).toEqual([{ which: "prev", code: "2024-Q1", from: "2024-01-01", to: "2024-03-31", whole: true }]);
  });

  it.each([
    // a change on the first day of a period does not cut it
    ["2024", CHANGES, ["cur:2024", "prev:2023"]],
    ["2025-H1", CHANGES, ["cur:2025-H1", "prev:2024-H1"]],
    // the reform cuts 2025 into its halves, and the year is also read whole (for yearly indicators)
    ["2025", CHANGES, ["cur:2025-H1", "cur:2025 whole", "cur:2025-H2", "prev:2024"]],
    ["2026", CHANGES, ["cur:2026", "prev:2025-H1", "prev:2025 whole", "prev:2025-H2"]],
    // a change on 1/10: Q1-Q3 of the year then Q4 (the largest periods no change cuts)
    ["2024", ["2024-10-01"], ["cur:2024-H1", "cur:2024 whole", "cur:2024-Q3", "cur:2024-Q4", "prev:2023"]],
    // a change inside a quarter does not cut the quarter (its reports are on the tree of its end)
    ["2024-H1", ["2024-02-15"], ["cur:2024-Q1", "cur:2024-H1 whole", "cur:2024-Q2", "prev:2023-H1"]],
  ])("%s with changes on %j: %j", (period, changes, expected) => {
    expect(codes(treeParts(candidatesWithPreviousYear(parsePeriod(period)), changes))).toEqual(expected);
  });

  it("a part was reported on an earlier tree when the tree changed after its end, on or before asOf", () => {
    const h1 = { to: "2025-06-30" };
    expect(reportedOnEarlierTree(h1, "2025-12-31", CHANGES)).toBe(true);
    expect(reportedOnEarlierTree(h1, "2025-06-30", CHANGES)).toBe(false);
    expect(reportedOnEarlierTree({ to: "2024-12-31" }, "2024-12-31", CHANGES)).toBe(false);
    expect(reportedOnEarlierTree({ to: "2024-12-31" }, "2026-01-01", CHANGES)).toBe(true);
  });

  it("the reporting level follows the tree of the day: districts until 30/6/2025, communes after", () => {
    const crimes = { reportingLevel: "district", reportingLevelTwoTier: "commune" };
    expect(reportingLevelOn(crimes, "2025-06-30")).toBe("district");
    expect(reportingLevelOn(crimes, "2025-07-01")).toBe("commune");
  });
});

describe("the parts an indicator reads", () => {
  const parts = treeParts(candidatesWithPreviousYear(parsePeriod("2025")), CHANGES);
  it.each([
    ["quarterly ALL (yes/no)", { periodType: "quarter", periodRule: "all" }, ["2025-H1", "2025-H2"]],
    ["quarterly SUM (counts, flows)", { periodType: "quarter", periodRule: "sum" }, ["2025-H1", "2025-H2"]],
    ["half-yearly ANY", { periodType: "half_year", periodRule: "any" }, ["2025-H1", "2025-H2"]],
    // a stock or a latest status: the state at the period's end, on the tree of its end
    ["quarterly LATEST (stocks)", { periodType: "quarter", periodRule: "latest" }, ["2025-H2"]],
    // no half holds a yearly report: the year whole (only a unit that lived through it could report it)
    ["yearly LATEST", { periodType: "year", periodRule: "latest" }, ["2025"]],
  ] as const)("%s: %j", (_name, indicator, expected) => {
    expect(partsForIndicator(parts, "cur", indicator).map((p) => p.code)).toEqual(expected);
  });

  it("a period in one part is read as it is, whatever the rule", () => {
    const one = treeParts(candidatesWithPreviousYear(parsePeriod("2024")), CHANGES);
    for (const periodRule of ["all", "latest", "sum"] as const) {
      expect(partsForIndicator(one, "cur", { periodType: "quarter", periodRule }).map((p) => p.code)).toEqual(["2024"]);
    }
    expect(partsForIndicator(one, "prev", { periodType: "year", periodRule: "latest" }).map((p) => p.code)).toEqual(["2023"]);
  });
});

describe("a restated figure: sums of the sources' summaries, per part", () => {
  // unit 100 (a new commune from 1/7/2025) is made of old communes 1 and 2 wholly, and of old commune 3 in part
  // (split); in 2025-H2 it reports itself. Indicator 7: quarterly yes/no ALL; 8: quarterly ratio LATEST; 9: yearly.
  const parts = treeParts(candidatesWithPreviousYear(parsePeriod("2025")), CHANGES);
  const links: SourceLink[] = [
    { unitId: 100, partCode: "2025-H1", srcId: 1, whole: true },
    { unitId: 100, partCode: "2025-H1", srcId: 2, whole: true },
    { unitId: 100, partCode: "2025-H1", srcId: 3, whole: false },
    { unitId: 100, partCode: "2025-H2", srcId: 100, whole: true },
    { unitId: 100, partCode: "2025", srcId: 100, whole: true },
    { unitId: 100, partCode: "2024", srcId: 1, whole: true },
    { unitId: 100, partCode: "2024", srcId: 2, whole: true },
    { unitId: 100, partCode: "2024", srcId: 3, whole: false },
  ];
  const s = (src: number, ind: number, part: string, v: number, n: number, d: number, rep: number, meet: number) =>
    [src, ind, part, v, n, d, rep, meet] as const;
  const summaries = [
    // H1: 1 met (yes both quarters), 2 did not; 3 (split) met
    s(1, 7, "2025-H1", 1, 0, 0, 1, 1),
    s(2, 7, "2025-H1", 0, 0, 0, 1, 0),
    s(3, 7, "2025-H1", 1, 0, 0, 1, 1),
    s(100, 7, "2025-H2", 1, 0, 0, 1, 1),
    // a stock: H1's latest 30/100 and 10/50, H2's latest 45/120 (the last part only)
    s(1, 8, "2025-H1", 0, 30, 100, 1, 0),
    s(2, 8, "2025-H1", 0, 10, 50, 1, 0),
    s(100, 8, "2025-H2", 0, 45, 120, 1, 0),
    // yearly change: 2024 by the same sources (3 left out)
    s(1, 10, "2024", 6, 0, 0, 1, 0),
    s(2, 10, "2024", 4, 0, 0, 1, 0),
    s(3, 10, "2024", 100, 0, 0, 1, 0),
    s(1, 10, "2025-H1", 3, 0, 0, 1, 0),
    s(100, 10, "2025-H2", 9, 0, 0, 1, 0),
  ];
  const counts = [
    [1, "2025-H1", "commune", 1],
    [2, "2025-H1", "commune", 1],
    [3, "2025-H1", "commune", 1],
    [1, "2024", "commune", 1],
    [100, "2025-H2", "commune", 1],
    [100, "2025", "commune", 1],
  ] as const;
  const figures = new RestatedFigures(parts, links, summaries, counts, "2025-12-31", CHANGES);
  const ind = (id: number, periodType: "quarter" | "year", periodRule: "all" | "latest" | "sum") => ({
    id,
    periodType,
    periodRule,
    reportingLevel: "commune",
    reportingLevelTwoTier: "commune",
  });

  it("ALL: each unit judged over its part, combined as units meeting over unit-parts expected; the split unit expected, not counted", () => {
    const f = figures.figure(100, ind(7, "quarter", "all"), false);
    // H1: 1 and 2 counted (1 meets), 3 left out but expected: 3 expected; H2: itself
    expect(f.agg).toEqual({ valueSum: 2, numeratorSum: 0, denominatorSum: 0, unitsReported: 3, unitsMeeting: 2 });
    expect(f.unitsExpected).toBe(4);
    expect(f.parts.map((p) => [p.part.code, p.subPeriods, p.unitsReported, p.unitsExpected])).toEqual([
      ["2025-H1", 2, 2, 3],
      ["2025-H2", 2, 1, 1],
    ]);
    expect(f.leftOut).toEqual([{ srcId: 3, unitsReported: 1 }]);
    expect(f.restated).toBe(true);
  });

  it("LATEST: the last part only (the stock at the period's end)", () => {
    const f = figures.figure(100, ind(8, "quarter", "latest"), false);
    expect(f.agg).toMatchObject({ numeratorSum: 45, denominatorSum: 120, unitsReported: 1 });
    expect(f.parts.map((p) => p.part.code)).toEqual(["2025-H2"]);
    expect(f.leftOut).toEqual([]);
    // the part read was reported on the tree asked, by the unit itself, but the period was not: still flagged
    expect(f.restated).toBe(true);
  });

  it("yearly change: the year before restated by the same sources, the split unit left out of both", () => {
    const f = figures.figure(100, ind(10, "quarter", "sum"), true);
    expect(f.agg.valueSum).toBe(12); // 3 in H1 (source 1) + 9 in H2
    expect(f.previous).toMatchObject({ valueSum: 10, unitsReported: 2 }); // 6 + 4, not the split unit's 100
  });

  it("a yearly indicator in a cut year reads the year whole, on the tree of its end", () => {
    const f = figures.figure(100, ind(9, "year", "latest"), false);
    expect(f.parts.map((p) => [p.part.code, p.subPeriods, p.unitsExpected])).toEqual([["2025", 1, 1]]);
    expect(f.agg.unitsReported).toBe(0);
  });

  it("lists the sources per part with what they reported; nothing for a unit read on its own tree", () => {
    const indicators = [
      { id: 7, code: "ACTIVITY" },
      { id: 8, code: "STOCK" },
    ];
    expect(figures.sourcesOf(100, indicators)).toEqual([
      { srcId: 1, period: "2025-H1", whole: true, indicatorsReported: ["ACTIVITY", "STOCK"] },
      { srcId: 2, period: "2025-H1", whole: true, indicatorsReported: ["ACTIVITY", "STOCK"] },
      { srcId: 3, period: "2025-H1", whole: false, indicatorsReported: ["ACTIVITY"] },
      { srcId: 100, period: "2025-H2", whole: true, indicatorsReported: ["ACTIVITY", "STOCK"] },
    ]);
    expect(figures.hasSources(100)).toBe(true);
    expect(figures.hasSources(999)).toBe(false);

    const sameTree = new RestatedFigures(
      treeParts(candidatesWithPreviousYear(parsePeriod("2025-Q3")), CHANGES),
      [{ unitId: 100, partCode: "2025-Q3", srcId: 100, whole: true }],
      [s(100, 7, "2025-Q3", 1, 0, 0, 1, 1)],
      [[100, "2025-Q3", "commune", 1]],
      "2025-09-30",
      CHANGES,
    );
    expect(sameTree.sourcesOf(100, indicators)).toEqual([]);
    const f = sameTree.figure(100, ind(7, "quarter", "all"), false);
    expect(f).toMatchObject({ restated: false, unitsExpected: 1, agg: { unitsMeeting: 1 } });
  });
});

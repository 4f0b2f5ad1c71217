import { cellStatus, completenessPercent, hasEnoughData, rankWithEnoughData, type Coverage } from "./rollup.coverage.rules";

const c = (unitsReported: number, unitsExpected: number, minCompleteness = 50): Coverage => ({ unitsReported, unitsExpected, minCompleteness });

describe("completeness in percent", () => {
  it.each([
    [3, 7, 42.86],
    [2, 177, 1.13],
    [177, 177, 100],
    [0, 10, 0],
    [12, 10, 100],
    [0, 0, null],
  ])("%i of %i reported: %p", (reported, expected, percent) => expect(completenessPercent(reported, expected)).toBe(percent));
});

describe("enough data to judge", () => {
  it.each([
    ["half of them at the default 50%", c(5, 10), true],
    ["just below half", c(88, 177), false],
    ["just above half", c(89, 177), true],
    ["2 of 177 communes", c(2, 177), false],
    ["nobody", c(0, 10), false],
    ["a minimum of 0: any report", c(1, 177, 0), true],
    ["a minimum of 0 and nobody", c(0, 177, 0), false],
    ["a minimum of 100: one missing", c(9, 10, 100), false],
    ["a minimum of 100: all", c(10, 10, 100), true],
    ["1 of 3 at a minimum of 33.33% (compared exactly, not on a rounded share)", c(1, 3, 33.33), true],
    ["none expected but some reported: the data stands", c(2, 0), true],
  ])("%s", (_, coverage, enough) => expect(hasEnoughData(coverage)).toBe(enough));
});

describe("a cell's status", () => {
  it.each([
    ["nobody at the reporting level (a province's indicator on a district)", c(0, 0), "no_target", "not_expected"],
    ["nobody at the reporting level, a target inherited", c(0, 0), "no_data", "not_expected"],
    ["units expected, none reported", c(0, 177), "no_data", "no_data"],
    ["units expected, none reported, no target", c(0, 177), "no_target", "no_data"],
    ["2 of 177 reported, met", c(2, 177), "met", "insufficient_data"],
    ["2 of 177 reported, not met", c(2, 177), "not_met", "insufficient_data"],
    ["2 of 177 reported, no target", c(2, 177), "no_target", "insufficient_data"],
    ["enough reported, met", c(100, 177), "met", "met"],
    ["enough reported, not met", c(100, 177), "not_met", "not_met"],
    ["enough reported, no target", c(100, 177), "no_target", "no_target"],
    ["enough reported, nothing to compare (denominators 0)", c(100, 177), "no_data", "no_data"],
    ["a minimum of 20%: 40 of 177 judged", c(40, 177, 20), "met", "met"],
  ] as const)("%s", (_, coverage, judged, status) => expect(cellStatus(coverage, judged)).toBe(status));
});

describe("ranks among cells with enough data", () => {
  it("leaves unranked the cells below the minimum, whatever their value", () => {
    const cells = [
      { ...c(2, 177), value: 0 }, // alone it would be first at 0%
      { ...c(0, 106), value: null },
      { ...c(100, 120), value: 80 },
      { ...c(60, 100), value: 90 },
      { ...c(10, 100), value: 99 },
    ];
    expect(rankWithEnoughData(cells, "higher_is_better")).toEqual([null, null, 2, 1, null]);
    expect(rankWithEnoughData(cells, "lower_is_better")).toEqual([null, null, 1, 2, null]);
  });

  it("ranks nobody when nobody has enough data", () => {
    expect(rankWithEnoughData([{ ...c(2, 177), value: 0 }, { ...c(0, 106), value: null }], "higher_is_better")).toEqual([null, null]);
  });
});

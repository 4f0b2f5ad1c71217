import { OrgLevel, PeriodRule, RollupRule, UnitOfMeasure, ValueKind } from "../common/enums";
import { withLanguage } from "../i18n/i18n.language";
import { INDICATORS } from "../../seeds/indicators.data";
import {
  checkIndicatorSettings,
  INDICATOR_CODE,
  isWholeUnit,
  quantityUnitOf,
  resolveIndicatorUnits,
  type IndicatorSettings,
} from "./indicator.rules";

const s = (valueKind: ValueKind, rollupRule: RollupRule, periodRule: PeriodRule, reportingLevel: OrgLevel = OrgLevel.COMMUNE): IndicatorSettings => ({
  valueKind,
  rollupRule,
  periodRule,
  reportingLevel,
});
const { YES_NO, RATIO, COUNT, FREQUENCY } = ValueKind;
const { SHARE_OF_UNITS, RATIO_OF_SUMS, SUM, YEARLY_CHANGE } = RollupRule;
const { ALL, ANY, LATEST } = PeriodRule;

describe("checkIndicatorSettings", () => {
  it.each([
    ["yes/no share of units, all quarters", s(YES_NO, SHARE_OF_UNITS, ALL), null],
    ["yes/no share of units, any", s(YES_NO, SHARE_OF_UNITS, ANY), null],
    ["yes/no share of units, latest", s(YES_NO, SHARE_OF_UNITS, LATEST), null],
    ["yes/no summed (units meeting)", s(YES_NO, SUM, LATEST), null],
    ["ratio of sums, latest", s(RATIO, RATIO_OF_SUMS, LATEST), null],
    ["ratio of sums, summed", s(RATIO, RATIO_OF_SUMS, PeriodRule.SUM), null],
    ["count summed", s(COUNT, SUM, PeriodRule.SUM), null],
    ["count yearly change", s(COUNT, YEARLY_CHANGE, PeriodRule.SUM, OrgLevel.DISTRICT), null],
    ["frequency summed", s(FREQUENCY, SUM, PeriodRule.SUM, OrgLevel.PROVINCE), null],
    ["count, latest", s(COUNT, SUM, LATEST), null],
    // the CHECK constraints of the table
    ["share of units of a count", s(COUNT, SHARE_OF_UNITS, PeriodRule.SUM), "rollupRule"],
    ["share of units of a ratio", s(RATIO, SHARE_OF_UNITS, LATEST), "rollupRule"],
    ["ratio of sums of a count", s(COUNT, RATIO_OF_SUMS, PeriodRule.SUM), "rollupRule"],
    ["ratio of sums of a yes/no", s(YES_NO, RATIO_OF_SUMS, ALL), "rollupRule"],
    ["yes/no summed over quarters", s(YES_NO, SHARE_OF_UNITS, PeriodRule.SUM), "periodRule"],
    ["ratio over all quarters", s(RATIO, RATIO_OF_SUMS, ALL), "periodRule"],
    ["ratio over any quarter", s(RATIO, RATIO_OF_SUMS, ANY), "periodRule"],
    // what the roll-up can compute
    ["ratio summed", s(RATIO, SUM, LATEST), "rollupRule"],
    ["ratio yearly change", s(RATIO, YEARLY_CHANGE, PeriodRule.SUM), "rollupRule"],
    ["count over all quarters", s(COUNT, SUM, ALL), "periodRule"],
    ["frequency over any quarter", s(FREQUENCY, SUM, ANY), "periodRule"],
    ["reported by the nation", s(COUNT, SUM, PeriodRule.SUM, OrgLevel.NATION), "reportingLevel"],
  ] as const)("%s", (_name, settings, field) => {
    const problem = checkIndicatorSettings(settings);
    expect(problem?.field ?? null).toBe(field);
    if (problem) expect(problem.message.length).toBeGreaterThan(10);
  });

  it("accepts every indicator of the seeded catalog", () => {
    for (const i of INDICATORS) {
      const settings = s(i.valueKind as ValueKind, i.rollupRule as RollupRule, i.periodRule as PeriodRule, i.reportingLevel as OrgLevel);
      expect({ code: i.code, problem: checkIndicatorSettings(settings) }).toEqual({ code: i.code, problem: null });
      expect(i.code).toMatch(INDICATOR_CODE);
    }
  });
});

describe("units of measure", () => {
  const { PERCENT, PEOPLE, CASES, ITEMS, TIMES, BUSINESSES } = UnitOfMeasure;
  it.each([
    ["yes/no: percent by default", YES_NO, null, null, { unit: PERCENT, numeratorUnit: null }],
    ["ratio: percent, numerator items by default", RATIO, null, null, { unit: PERCENT, numeratorUnit: ITEMS }],
    ["ratio of people informed", RATIO, PERCENT, PEOPLE, { unit: PERCENT, numeratorUnit: PEOPLE }],
    ["count: items by default", COUNT, null, null, { unit: ITEMS, numeratorUnit: null }],
    ["count of cases", COUNT, CASES, null, { unit: CASES, numeratorUnit: null }],
    ["frequency: times by default", FREQUENCY, null, null, { unit: TIMES, numeratorUnit: null }],
    ["yes/no counted in people", YES_NO, PEOPLE, null, "unit"],
    ["ratio in businesses", RATIO, BUSINESSES, PEOPLE, "unit"],
    ["count in percent", COUNT, PERCENT, null, "unit"],
    ["numerator unit on a count", COUNT, CASES, PEOPLE, "numeratorUnit"],
    ["numerator unit on a yes/no", YES_NO, null, PEOPLE, "numeratorUnit"],
    ["a numerator in percent", RATIO, null, PERCENT, "numeratorUnit"],
  ] as const)("%s", (_name, kind, unit, numeratorUnit, expected) => {
    const r = resolveIndicatorUnits(kind, unit, numeratorUnit);
    if (typeof expected === "string") expect("field" in r && r.field).toBe(expected);
    else expect(r).toEqual(expected);
  });

  it("a quantity counts a ratio's numerator, a count's unit, nothing of a yes/no; only PERCENT is not whole", () => {
    expect(quantityUnitOf(RATIO, PERCENT, PEOPLE)).toBe(PEOPLE);
    expect(quantityUnitOf(COUNT, CASES, null)).toBe(CASES);
    expect(quantityUnitOf(FREQUENCY, ITEMS, null)).toBe(ITEMS);
    expect(quantityUnitOf(YES_NO, PERCENT, null)).toBeNull();
    expect(Object.values(UnitOfMeasure).filter((u) => !isWholeUnit(u))).toEqual([PERCENT]);
    expect(isWholeUnit(null)).toBe(false);
  });

  it("the seeded catalog's units fit their value kinds, and every ratio says what its numerator counts", () => {
    for (const i of INDICATORS) {
      const r = resolveIndicatorUnits(i.valueKind as ValueKind, i.unit, i.numeratorUnit ?? null);
      expect({ code: i.code, r }).toEqual({ code: i.code, r: { unit: i.unit, numeratorUnit: i.numeratorUnit ?? null } });
      if (i.valueKind === "ratio") expect({ code: i.code, n: i.numeratorUnit }).toEqual({ code: i.code, n: expect.any(String) });
    }
  });
});

describe("the problems in the request's language (enum values stay English identifiers)", () => {
  it.each([
    ["vi", "Chỉ tiêu COUNT gộp các kỳ theo SUM hoặc LATEST (ALL và ANY dành cho YES_NO)."],
    ["en", "A COUNT indicator combines its periods by SUM or LATEST (ALL and ANY are for YES_NO)."],
  ] as const)("%s", (language, message) => {
    const problem = withLanguage(language, () => checkIndicatorSettings(s(ValueKind.COUNT, RollupRule.SUM, PeriodRule.ALL)));
    expect(problem).toEqual({ field: "periodRule", message });
  });
});

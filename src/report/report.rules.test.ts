import { parsePeriod } from "../common/period";
import {
  canonicalPayload,
  duplicateRows,
  normalizeRow,
  reportingLevelOn,
  subPeriodsWithin,
  unitNotInPeriod,
  validateRow,
  type ReportRow,
  type ResolvedRow,
  type UnitVersion,
} from "./report.rules";

const commune = { id: 7, level: "commune" };
const yesNo = { id: 1, valueKind: "yes_no", reportingLevel: "commune", periodType: "quarter" };
const ratio = { id: 2, valueKind: "ratio", reportingLevel: "commune", periodType: "quarter" };
const count = { id: 3, valueKind: "count", reportingLevel: "commune", periodType: "quarter" };
const ok = (indicator: ResolvedRow["indicator"]): ResolvedRow => ({ unit: commune, indicator, coveredByPlan: true });
const row = (over: Partial<ReportRow>): ReportRow => ({ unitCode: "07192", indicatorCode: "X", period: "2025-Q1", ...over });

describe("validateRow", () => {
  it.each([
    ["a yes", row({ value: 1 }), ok(yesNo), []],
    ["a no", row({ value: 0 }), ok(yesNo), []],
    ["a ratio", row({ numerator: 3, denominator: 3 }), ok(ratio), []],
    ["a count", row({ value: 12 }), ok(count), []],
    ["yes/no of 2", row({ value: 2 }), ok(yesNo), [["value", "NOT_YES_NO"]]],
    ["yes/no of -1", row({ value: -1 }), ok(yesNo), [["value", "NOT_YES_NO"]]],
    ["yes/no missing", row({}), ok(yesNo), [["value", "MISSING_VALUE"]]],
    ["yes/no with a numerator", row({ value: 1, numerator: 1 }), ok(yesNo), [["numerator", "UNEXPECTED_VALUE"]]],
    ["negative count", row({ value: -4 }), ok(count), [["value", "NEGATIVE_VALUE"]]],
    ["fractional count", row({ value: 1.5 }), ok(count), [["value", "NOT_WHOLE_NUMBER"]]],
    ["huge count", row({ value: 1e12 }), ok(count), [["value", "TOO_LARGE"]]],
    ["numerator > denominator", row({ numerator: 11, denominator: 10 }), ok(ratio), [["numerator", "NUMERATOR_EXCEEDS_DENOMINATOR"]]],
    ["negative denominator", row({ numerator: 1, denominator: -10 }), ok(ratio), [["denominator", "NEGATIVE_VALUE"]]],
    ["ratio without denominator", row({ numerator: 1 }), ok(ratio), [["denominator", "MISSING_VALUE"]]],
    ["ratio with a value", row({ value: 3, numerator: 1, denominator: 2 }), ok(ratio), [["value", "UNEXPECTED_VALUE"]]],
    ["unknown unit", row({ value: 1 }), { unit: null, indicator: yesNo, coveredByPlan: false }, [["unitCode", "UNKNOWN_UNIT"]]],
    ["unknown indicator", row({ value: 1 }), { unit: commune, indicator: null, coveredByPlan: false }, [["indicatorCode", "UNKNOWN_INDICATOR"]]],
    ["malformed period", row({ period: "2025-Q5", value: 1 }), ok(yesNo), [["period", "BAD_PERIOD"]]],
    ["half-year for a quarterly indicator", row({ period: "2025-H1", value: 1 }), ok(yesNo), [["period", "WRONG_PERIOD_TYPE"]]],
    ["period outside every plan", row({ period: "2019-Q1", value: 1 }), { ...ok(yesNo), coveredByPlan: false }, [["period", "OUTSIDE_PLAN"]]],
    [
      "district reporting a commune measure",
      row({ unitCode: "198", value: 1 }),
      { unit: { id: 9, level: "district" }, indicator: yesNo, coveredByPlan: true },
      [["unitCode", "WRONG_UNIT_LEVEL"]],
    ],
  ] as const)("%s", (_name, r, resolved, expected) => {
    expect(validateRow(r, 4, resolved).map((e) => [e.field, e.code])).toEqual(expected);
    for (const e of validateRow(r, 4, resolved)) expect(e.index).toBe(4);
  });
});

describe("batches", () => {
  it("flags a repeated unit, indicator and period", () => {
    const rows = [row({ value: 1 }), row({ value: 0, unitCode: " 07192 " }), row({ value: 0, period: "2025-Q2" })];
    expect(duplicateRows(rows)).toEqual([{ index: 1, field: "period", code: "DUPLICATE_ROW", message: "Same unit, indicator and period as row 0." }]);
  });

  it("normalizes a valid row with its period dates", () => {
    expect(normalizeRow(row({ period: "2025-Q3", numerator: 1, denominator: 2 }), ok(ratio))).toEqual({
      unitId: 7,
      unitPath: null,
      unitCode: "07192",
      indicatorId: 2,
      periodCode: "2025-Q3",
      periodType: "quarter",
      periodStart: "2025-07-01",
      periodEnd: "2025-09-30",
      value: null,
      numerator: 1,
      denominator: 2,
    });
  });

  it("keeps the unit's path when the lookup gave it", () => {
    expect(normalizeRow(row({ value: 1 }), { unit: { ...commune, path: "/1/2/7/" }, indicator: yesNo, coveredByPlan: true }).unitPath).toBe("/1/2/7/");
  });

  it("the payload text ignores case and spaces of codes but not values", () => {
    expect(canonicalPayload([row({ unitCode: " 07192", indicatorCode: "x", value: 1 })])).toBe(canonicalPayload([row({ indicatorCode: "X", value: 1 })]));
    expect(canonicalPayload([row({ value: 1 })])).not.toBe(canonicalPayload([row({ value: 0 })]));
  });
});

// ---- reports on the tree of their period (the two-tier reform of 1/7/2025) ----

const byCommune = { reportingLevel: "commune", reportingLevelTwoTier: "commune" };
const byDistrict = { reportingLevel: "district", reportingLevelTwoTier: "commune" };
const byProvince = { reportingLevel: "province", reportingLevelTwoTier: "province" };

describe("reportingLevelOn", () => {
  it.each([
    ["a commune measure before the reform", byCommune, "2024-Q4", "commune"],
    ["a commune measure after it", byCommune, "2025-Q3", "commune"],
    ["a commune measure over 2025 (same level on both trees)", byCommune, "2025", "commune"],
    ["a province measure over 2025", byProvince, "2025", "province"],
    ["a district measure in 2025-Q2 (last quarter of the districts)", byDistrict, "2025-Q2", "district"],
    ["a district measure in 2025-H1", byDistrict, "2025-H1", "district"],
    ["a district measure in 2025-Q3: the commune reports it", byDistrict, "2025-Q3", "commune"],
    ["a district measure in 2025-H2", byDistrict, "2025-H2", "commune"],
    ["a district measure in 2026", byDistrict, "2026", "commune"],
    ["a district measure in 2024", byDistrict, "2024", "district"],
    ["a district measure over 2025: no level reports the whole year", byDistrict, "2025", null],
    ["an indicator without a two-tier level keeps its level", { reportingLevel: "district" }, "2025-Q3", "district"],
  ] as const)("%s", (_name, indicator, period, expected) => {
    expect(reportingLevelOn(indicator, parsePeriod(period))).toBe(expected);
  });
});

describe("subPeriodsWithin", () => {
  it.each([
    ["2025 of a unit closed on 1/7/2025", "2025", "2000-01-01", "2025-07-01", ["2025-H1", "2025-Q1", "2025-Q2"]],
    ["2025 of a unit opened on 1/7/2025", "2025", "2025-07-01", null, ["2025-H2", "2025-Q3", "2025-Q4"]],
    ["2025 of a unit of the June 2025 list (1/1 to 1/7/2025)", "2025", "2025-01-01", "2025-07-01", ["2025-H1", "2025-Q1", "2025-Q2"]],
    ["a unit opened mid-quarter: only whole parts", "2025", "2025-02-15", null, ["2025-H2", "2025-Q2", "2025-Q3", "2025-Q4"]],
    ["a unit closed on the last day of a quarter misses it (the day is not in its life)", "2025", "2000-01-01", "2025-06-30", ["2025-Q1"]],
    ["a unit that lived within one quarter has no whole part", "2025", "2025-04-10", "2025-05-20", []],
    ["a half-year clips to its quarters", "2025-H1", "2000-01-01", "2025-04-01", ["2025-Q1"]],
    ["a half-year, the other side", "2025-H2", "2025-08-01", null, ["2025-Q4"]],
    ["a quarter has no smaller parts", "2025-Q3", "2025-07-01", null, []],
    ["never the period itself", "2025", "2000-01-01", null, ["2025-H1", "2025-H2", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]],
  ] as const)("%s", (_name, period, from, to, expected) => {
    expect(subPeriodsWithin(parsePeriod(period), from, to)).toEqual(expected);
  });
});

const quyetThang: UnitVersion = { name: "Phường Quyết Thắng", level: "commune", validFrom: "2000-01-01", validTo: "2025-07-01", successors: ["03388 Phường Đoàn Kết"] };
const quyetTien: UnitVersion = { name: "Phường Quyết Tiến", level: "commune", validFrom: "2000-01-01", validTo: "2025-07-01", successors: ["03388 Phường Đoàn Kết"] };
const doanKet: UnitVersion = { name: "Phường Đoàn Kết", level: "commune", validFrom: "2025-07-01", validTo: null, successors: [] };
const laiChauCity: UnitVersion = { name: "Thành phố Lai Châu", level: "district", validFrom: "2000-01-01", validTo: "2025-07-01", successors: [] };
const mergedEarly: UnitVersion = { name: "Xã Cũ", level: "commune", validFrom: "2000-01-01", validTo: "2025-01-01", successors: [] };

describe("unitNotInPeriod", () => {
  it.each<[string, string, string, UnitVersion[], string, string]>([
    [
      "a commune abolished on 1/7/2025, for 2025-Q3: its successor",
      "03386",
      "2025-Q3",
      [quyetThang],
      "UNIT_NOT_IN_PERIOD",
      "Phường Quyết Thắng (03386) was closed on 2025-07-01, before 2025-Q3: report on 03388 Phường Đoàn Kết.",
    ],
    [
      "the same commune for the whole of 2025: the parts it lived, then its successor",
      "03386",
      "2025",
      [quyetThang],
      "UNIT_NOT_IN_PERIOD",
      "Phường Quyết Thắng (03386) existed from 2000-01-01 until 2025-07-01: report 2025-H1, 2025-Q1, 2025-Q2 instead; " +
        "from 2025-07-01 report on 03388 Phường Đoàn Kết.",
    ],
    [
      "a reused code over 2025: both units it named, each with its parts",
      "03388",
      "2025",
      [quyetTien, doanKet],
      "UNIT_NOT_IN_PERIOD",
      "Phường Quyết Tiến (03388) existed from 2000-01-01 until 2025-07-01: report 2025-H1, 2025-Q1, 2025-Q2 instead; " +
        "from 2025-07-01 report on 03388 Phường Đoàn Kết; Phường Đoàn Kết (03388) existed from 2025-07-01: report 2025-H2, 2025-Q3, 2025-Q4 instead.",
    ],
    [
      "a new commune's code before it named anything",
      "03399",
      "2025-Q1",
      [{ ...doanKet, name: "Xã Mới" }],
      "UNIT_NOT_IN_PERIOD",
      "03399 names Xã Mới only from 2025-07-01, after 2025-Q1.",
    ],
    [
      "a unit merged away on 1/1/2025, without a recorded successor",
      "01234",
      "2025-Q1",
      [mergedEarly],
      "UNIT_NOT_IN_PERIOD",
      "Xã Cũ (01234) was closed on 2025-01-01, before 2025-Q1.",
    ],
    [
      "a unit that lived within the quarter asked for",
      "01235",
      "2025-Q2",
      [{ ...mergedEarly, validFrom: "2025-04-15", validTo: "2025-07-01" }],
      "UNIT_NOT_IN_PERIOD",
      "Xã Cũ (01235) existed from 2025-04-15 until 2025-07-01, not the whole of 2025-Q2.",
    ],
    [
      "a district for 2025-Q3: no districts in the two-tier tree",
      "105",
      "2025-Q3",
      [laiChauCity],
      "LEVEL_NOT_IN_TREE",
      "105 is a district, and districts were abolished on 1/7/2025: 2025-Q3 is reported by the communes (or the province) of the two-tier tree.",
    ],
    [
      "a district for the whole of 2025 (ends after the reform)",
      "105",
      "2025",
      [laiChauCity],
      "LEVEL_NOT_IN_TREE",
      "105 is a district, and districts were abolished on 1/7/2025: 2025 is reported by the communes (or the province) of the two-tier tree.",
    ],
  ])("%s", (_name, unitCode, period, versions, code, message) => {
    const error = unitNotInPeriod({ unitCode, indicatorCode: "X", period, value: 1 }, 3, parsePeriod(period), versions);
    expect(error).toEqual({ index: 3, field: "unitCode", code, message });
  });
});

describe("validateRow on the tree of the period", () => {
  const districtCount = { id: 5, valueKind: "count", ...byDistrict, periodType: "quarter" };
  const districtYearly = { id: 6, valueKind: "yes_no", ...byDistrict, periodType: "year" };
  const communeYesNo = { id: 1, valueKind: "yes_no", ...byCommune, periodType: "quarter" };
  const at = (level: string, indicator: ResolvedRow["indicator"]): ResolvedRow => ({ unit: { id: 8, level }, indicator, coveredByPlan: true });
  const gone = (versions: UnitVersion[], indicator: ResolvedRow["indicator"] = communeYesNo): ResolvedRow => ({
    unit: null,
    indicator,
    coveredByPlan: false,
    otherVersions: versions,
  });

  it.each<[string, ReportRow, ResolvedRow, Array<[string, string]>]>([
    ["a district measure by a new commune in 2025-Q3 (its two-tier level)", row({ period: "2025-Q3", value: 4 }), at("commune", districtCount), []],
    ["a district measure by a commune in 2025-Q1", row({ period: "2025-Q1", value: 4 }), at("commune", districtCount), [["unitCode", "WRONG_UNIT_LEVEL"]]],
    ["a district measure by a district in 2025-Q1", row({ unitCode: "105", period: "2025-Q1", value: 4 }), at("district", districtCount), []],
    ["a district measure by the province in 2025-Q3", row({ unitCode: "12", period: "2025-Q3", value: 4 }), at("province", districtCount), [["unitCode", "WRONG_UNIT_LEVEL"]]],
    ["a yearly district measure over 2025 (straddles the reform)", row({ unitCode: "12", period: "2025", value: 1 }), at("province", districtYearly), [["period", "LEVEL_NOT_IN_TREE"]]],
    ["a yearly district measure in 2024 by a district", row({ unitCode: "105", period: "2024", value: 1 }), at("district", districtYearly), []],
    ["a commune measure in 2025-Q3 by a new commune", row({ period: "2025-Q3", value: 1 }), at("commune", communeYesNo), []],
    ["an abolished commune for 2025-Q3", row({ unitCode: "03386", period: "2025-Q3", value: 1 }), gone([quyetThang]), [["unitCode", "UNIT_NOT_IN_PERIOD"]]],
    ["a district for 2025-Q3", row({ unitCode: "105", period: "2025-Q3", value: 1 }), gone([laiChauCity], districtCount), [["unitCode", "LEVEL_NOT_IN_TREE"]]],
    [
      "an abolished commune with a bad value too: both named",
      row({ unitCode: "03386", period: "2025-Q3", value: 2 }),
      gone([quyetThang]),
      [["unitCode", "UNIT_NOT_IN_PERIOD"], ["value", "NOT_YES_NO"]],
    ],
    ["a known code with a malformed period: only the period is wrong", row({ unitCode: "03386", period: "2025-Q9", value: 1 }), gone([quyetThang]), [["period", "BAD_PERIOD"]]],
    [
      "an unknown code with a malformed period: both",
      row({ unitCode: "99999", period: "2025-Q9", value: 1 }),
      { unit: null, indicator: communeYesNo, coveredByPlan: false },
      [["unitCode", "UNKNOWN_UNIT"], ["period", "BAD_PERIOD"]],
    ],
    ["a code with no unit at all in the caller's area", row({ unitCode: "99999", value: 1 }), gone([]), [["unitCode", "UNKNOWN_UNIT"]]],
  ])("%s", (_name, r, resolved, expected) => {
    expect(validateRow(r, 2, resolved).map((e) => [e.field, e.code])).toEqual(expected);
  });

  it("names the levels in its messages", () => {
    const [early] = validateRow(row({ period: "2025-Q1", value: 4, indicatorCode: "ENF_CRIMES_HANDLED" }), 0, at("commune", districtCount));
    expect(early!.message).toBe("ENF_CRIMES_HANDLED is reported by district units in 2025-Q1; 07192 is a commune.");
    const [straddle] = validateRow(row({ unitCode: "12", period: "2025", value: 1, indicatorCode: "PRV_DISTRICT_OWN_PLAN" }), 0, at("province", districtYearly));
    expect(straddle!.message).toBe(
      "PRV_DISTRICT_OWN_PLAN is reported by districts until 30/6/2025 and by commune units from 1/7/2025; " +
        "2025 straddles the reform: report its parts before and after 1/7/2025 instead.",
    );
  });
});

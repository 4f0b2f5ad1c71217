import { canonicalPayload, duplicateRows, normalizeRow, validateRow, type ReportRow, type ResolvedRow } from "./report.rules";

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

  it("the payload text ignores case and spaces of codes but not values", () => {
    expect(canonicalPayload([row({ unitCode: " 07192", indicatorCode: "x", value: 1 })])).toBe(canonicalPayload([row({ indicatorCode: "X", value: 1 })]));
    expect(canonicalPayload([row({ value: 1 })])).not.toBe(canonicalPayload([row({ value: 0 })]));
  });
});

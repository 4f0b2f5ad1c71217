import { isIsoDate, parsePeriod } from "./period";

describe("isIsoDate", () => {
  it.each([
    ["2025-07-01", true],
    ["2024-02-29", true],
    ["2025-02-29", false],
    ["2025-13-01", false],
    ["2025-7-1", false],
    ["01/07/2025", false],
    ["", false],
  ])("isIsoDate(%j) is %s", (value, ok) => {
    expect(isIsoDate(value)).toBe(ok);
  });
});

describe("parsePeriod", () => {
  it.each([
    ["2025", { type: "year", start: "2025-01-01", end: "2025-12-31" }],
    ["2024-H1", { type: "half_year", start: "2024-01-01", end: "2024-06-30" }],
    ["2024-Q1", { type: "quarter", start: "2024-01-01", end: "2024-03-31" }],
    [" 2025-Q4 ", { type: "quarter", start: "2025-10-01", end: "2025-12-31" }],
  ])("%j is %j", (code, expected) => {
    expect(parsePeriod(code)).toMatchObject(expected);
  });

  it.each(["2025-Q5", "25", "2025-h1", "1999"])("%j is BAD_USER_INPUT", (code) => {
    expect(() => parsePeriod(code)).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT" }));
  });
});

import { withLanguage } from "../i18n/i18n.language";
import { dueBeforeStart, dueDate, periodTypeOf, periodsOfType, reportingState, ruleOf, ruleText } from "./reporting-status.rules";

describe("periodTypeOf", () => {
  it.each([
    ["QUARTER", "quarter"],
    ["quarter", "quarter"],
    [" Half_Year ", "half_year"],
    ["HALF-YEAR", "half_year"],
    ["half year", "half_year"],
    ["YEAR", "year"],
    ["MONTH", null],
    ["Q3", null],
    ["", null],
    ["__proto__", null],
  ])("%j is %j", (text, type) => expect(periodTypeOf(text)).toBe(type));
});

describe("dueDate", () => {
  it.each([
    // Quảng Ninh's text: half-year reports by 15/6, the year's by 15/12 (day 15 of the period's last month)
    ["2024-06-30", { monthsAfterEnd: 0, day: 15 }, "2024-06-15"],
    ["2024-12-31", { monthsAfterEnd: 0, day: 15 }, "2024-12-15"],
    // the month after the quarter, and months over the year's end
    ["2024-06-30", { monthsAfterEnd: 1, day: 10 }, "2024-07-10"],
    ["2025-12-31", { monthsAfterEnd: 1, day: 10 }, "2026-01-10"],
    ["2025-12-31", { monthsAfterEnd: 12, day: 5 }, "2026-12-05"],
    ["2025-03-31", { monthsAfterEnd: -2, day: 20 }, "2025-01-20"],
    ["2025-03-31", { monthsAfterEnd: -3, day: 20 }, "2024-12-20"],
    // a day past the month's end is its last day (leap years too)
    ["2025-06-30", { monthsAfterEnd: 0, day: 31 }, "2025-06-30"],
    ["2024-12-31", { monthsAfterEnd: 2, day: 31 }, "2025-02-28"],
    ["2023-12-31", { monthsAfterEnd: 2, day: 30 }, "2024-02-29"],
    // days after the end, over months and years, and before the end
    ["2024-06-30", { daysAfterEnd: 10 }, "2024-07-10"],
    ["2024-12-31", { daysAfterEnd: 1 }, "2025-01-01"],
    ["2024-03-31", { daysAfterEnd: 0 }, "2024-03-31"],
    ["2024-03-31", { daysAfterEnd: -31 }, "2024-02-29"],
    ["2024-12-31", { daysAfterEnd: 366 }, "2026-01-01"],
  ] as const)("%s under %j is %s", (end, rule, due) => expect(dueDate(end, rule)).toBe(due));
});

describe("ruleOf", () => {
  it("reads the two forms, a day alone as the period's last month, and nothing as no rule (remove)", () => {
    expect(ruleOf({ daysAfterEnd: 10 })).toEqual({ rule: { daysAfterEnd: 10 } });
    expect(ruleOf({ daysAfterEnd: 0, monthsAfterEnd: null, day: null })).toEqual({ rule: { daysAfterEnd: 0 } });
    expect(ruleOf({ monthsAfterEnd: 1, day: 10 })).toEqual({ rule: { monthsAfterEnd: 1, day: 10 } });
    expect(ruleOf({ day: 15 })).toEqual({ rule: { monthsAfterEnd: 0, day: 15 } });
    expect(ruleOf({})).toEqual({ rule: null });
    expect(ruleOf({ daysAfterEnd: null, monthsAfterEnd: null, day: null })).toEqual({ rule: null });
  });

  it.each([
    [{ daysAfterEnd: 10, day: 15 }, "day", /either/],
    [{ daysAfterEnd: 10, monthsAfterEnd: 0 }, "monthsAfterEnd", /either/],
    [{ monthsAfterEnd: 1 }, "day", /needs the day/],
    [{ day: 0 }, "day", /1 to 31/],
    [{ day: 32 }, "day", /1 to 31/],
    [{ day: 1.5 }, "day", /whole number/],
    [{ monthsAfterEnd: 13, day: 1 }, "monthsAfterEnd", /-11 to 12/],
    [{ daysAfterEnd: 400 }, "daysAfterEnd", /-366 to 366/],
    [{ daysAfterEnd: Number.NaN }, "daysAfterEnd", /whole number/],
  ])("refuses %j on %s", (input, field, message) => {
    const r = ruleOf(input);
    expect(r).toMatchObject({ field });
    expect("message" in r && r.message).toMatch(message);
  });

  it.each([
    [{ daysAfterEnd: 10, day: 15 }, "Chỉ nhập daysAfterEnd, hoặc day (kèm monthsAfterEnd), không nhập cả hai."],
    [{ monthsAfterEnd: 1 }, "monthsAfterEnd cần kèm day: ngày trong tháng đó mà báo cáo đến hạn."],
    [{ day: 32 }, "day phải là số nguyên từ 1 đến 31, không phải 32."],
  ])("says why %j is refused in Vietnamese", (input, message) => {
    expect(withLanguage("vi", () => ruleOf(input))).toMatchObject({ message });
  });
});

describe("periodsOfType", () => {
  it("lists the periods of a type overlapping a span, in order", () => {
    expect(periodsOfType("half_year", "2021-01-01", "2025-12-31").map((p) => p.code)).toEqual(
      ["2021", "2022", "2023", "2024", "2025"].flatMap((y) => [`${y}-H1`, `${y}-H2`]),
    );
    expect(periodsOfType("quarter", "2025-07-01", "2025-12-31").map((p) => p.code)).toEqual(["2025-Q3", "2025-Q4"]);
    // a half-year plan overlaps its year
    expect(periodsOfType("year", "2025-07-01", "2025-12-31").map((p) => p.code)).toEqual(["2025"]);
    expect(periodsOfType("quarter", "2025-02-10", "2025-02-20").map((p) => p.code)).toEqual(["2025-Q1"]);
  });
});

describe("dueBeforeStart", () => {
  const plan = { start: "2021-01-01", end: "2025-12-31" };
  it("is null for rules that never make a period due before it starts (the seeds' 15/6 and 15/12; a day before the end)", () => {
    expect(dueBeforeStart("half_year", plan, { monthsAfterEnd: 0, day: 15 })).toBeNull();
    expect(dueBeforeStart("year", plan, { monthsAfterEnd: 0, day: 15 })).toBeNull();
    expect(dueBeforeStart("quarter", plan, { daysAfterEnd: -89 })).toBeNull(); // Q1 of a leap year: 91 days
    expect(dueBeforeStart("quarter", plan, { monthsAfterEnd: -2, day: 1 })).toBeNull(); // the quarter's first day
  });

  it("names the first period due before it starts", () => {
    expect(dueBeforeStart("quarter", plan, { daysAfterEnd: -90 })).toMatchObject({ period: { code: "2021-Q1", start: "2021-01-01" }, due: "2020-12-31" });
    expect(dueBeforeStart("quarter", plan, { monthsAfterEnd: -3, day: 31 })).toMatchObject({ period: { code: "2021-Q1" }, due: "2020-12-31" });
    expect(dueBeforeStart("half_year", plan, { monthsAfterEnd: -6, day: 1 })).toMatchObject({ period: { code: "2021-H1" }, due: "2020-12-01" });
    // Q1 of 2024 (a leap year) is 91 days long: -90 days is its first day, -91 its eve
    expect(dueBeforeStart("quarter", { start: "2024-01-01", end: "2024-03-31" }, { daysAfterEnd: -90 })).toBeNull();
    expect(dueBeforeStart("quarter", { start: "2024-01-01", end: "2024-12-31" }, { daysAfterEnd: -91 })).toMatchObject({ period: { code: "2024-Q1" } });
  });
});

describe("ruleText", () => {
  it.each([
    ["quarter", { daysAfterEnd: 10 }, "a quarter's reports are due 10 days after it ends"],
    ["quarter", { daysAfterEnd: 1 }, "a quarter's reports are due 1 day after it ends"],
    ["quarter", { daysAfterEnd: 0 }, "a quarter's reports are due on its last day"],
    ["quarter", { daysAfterEnd: -5 }, "a quarter's reports are due 5 days before it ends"],
    ["half_year", { monthsAfterEnd: 0, day: 15 }, "a half-year's reports are due on day 15 of its last month"],
    ["year", { monthsAfterEnd: 1, day: 10 }, "a year's reports are due on day 10 of the month after it"],
    ["year", { monthsAfterEnd: 2, day: 10 }, "a year's reports are due on day 10 of the month 2 months after its last month"],
    ["quarter", { monthsAfterEnd: -1, day: 20 }, "a quarter's reports are due on day 20 of the month 1 month before its last month"],
  ] as const)("%s %j: %s", (type, rule, text) => expect(ruleText(type, rule)).toBe(text));

  it.each([
    ["quarter", { daysAfterEnd: 10 }, "Báo cáo quý phải nộp chậm nhất 10 ngày sau ngày kết thúc kỳ"],
    ["quarter", { daysAfterEnd: 0 }, "Báo cáo quý phải nộp chậm nhất vào ngày cuối cùng của kỳ"],
    ["quarter", { daysAfterEnd: -5 }, "Báo cáo quý phải nộp chậm nhất 5 ngày trước ngày kết thúc kỳ"],
    ["half_year", { monthsAfterEnd: 0, day: 15 }, "Báo cáo 6 tháng phải nộp chậm nhất vào ngày 15 của tháng cuối của kỳ"],
    ["year", { monthsAfterEnd: 1, day: 10 }, "Báo cáo năm phải nộp chậm nhất vào ngày 10 của tháng liền sau kỳ"],
    ["year", { monthsAfterEnd: 2, day: 10 }, "Báo cáo năm phải nộp chậm nhất vào ngày 10 của tháng thứ 2 sau tháng cuối của kỳ"],
    ["quarter", { monthsAfterEnd: -1, day: 20 }, "Báo cáo quý phải nộp chậm nhất vào ngày 20 của tháng liền trước tháng cuối của kỳ"],
    ["quarter", { monthsAfterEnd: -2, day: 20 }, "Báo cáo quý phải nộp chậm nhất vào ngày 20 của tháng cách tháng cuối của kỳ 2 tháng về trước"],
  ] as const)("in Vietnamese, %s %j: %s", (type, rule, text) => expect(withLanguage("vi", () => ruleText(type, rule))).toBe(text));
});

describe("reportingState", () => {
  it.each([
    // reported by the due day (the due day itself is on time), after it, with no deadline
    [{ reportedOn: "2024-07-10", due: "2024-07-10", today: "2026-01-01" }, "reported"],
    [{ reportedOn: "2024-07-11", due: "2024-07-10", today: "2026-01-01" }, "late"],
    [{ reportedOn: "2030-01-01", due: null, today: "2026-01-01" }, "reported"],
    // no report: past the due day, on it, before it, with no deadline
    [{ reportedOn: null, due: "2024-07-10", today: "2024-07-11" }, "missing"],
    [{ reportedOn: null, due: "2024-07-10", today: "2024-07-10" }, "pending"],
    [{ reportedOn: null, due: "2024-07-10", today: "2024-07-01" }, "pending"],
    [{ reportedOn: null, due: null, today: "2026-01-01" }, "pending"],
  ] as const)("%j is %s", (input, state) => expect(reportingState(input)).toBe(state));
});

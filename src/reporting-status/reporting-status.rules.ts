/**
 * Pure rules of reporting deadlines and of a unit's reporting state (no I/O).
 *
 * A deadline rule says when a period's reports are due, per period type, in one of two forms:
 * - `daysAfterEnd: N`: the period's last day + N days (10: quarter reports within 10 days after the quarter;
 *   0: on its last day; a negative N: before the period ends, never before it starts);
 * - `monthsAfterEnd: M, day: D`: day D of the month M months after the period's last month (M = 0: that month
 *   itself). Quảng Ninh's "trước ngày 15/6 (đối với báo cáo 6 tháng) và trước ngày 15/12 (đối với báo cáo tổng kết
 *   năm)" is `{ monthsAfterEnd: 0, day: 15 }` for half-years and years: 2024-H1 due 15/6/2024, 2024-H2 and 2024 due
 *   15/12/2024. A day past the month's end is its last day (day 31 in June is 30/6).
 * A report is on time through the whole due day, in Vietnam's time ("trước ngày 15/6" is read as "by 15/6").
 *
 * The database computes the same dates (reporting_due_date, migration 1763901700000) for its counts.
 */
import type { PeriodType } from "../common/enums";
import { parsePeriod, type Period } from "../common/period";
import { t } from "../i18n/i18n";

export type DeadlineRule = { daysAfterEnd: number; monthsAfterEnd?: undefined; day?: undefined } | { monthsAfterEnd: number; day: number; daysAfterEnd?: undefined };

/** How far from the period's end a rule may reach. */
export const RULE_BOUNDS = { daysAfterEnd: [-366, 366], monthsAfterEnd: [-11, 12], day: [1, 31] } as const;

const PERIOD_TYPES: Record<string, PeriodType> = { QUARTER: "quarter", HALF_YEAR: "half_year", YEAR: "year" };

/** QUARTER, HALF_YEAR or YEAR (any case; HALF-YEAR and "half year" too), or null for anything else. */
export function periodTypeOf(text: string): PeriodType | null {
  const key = String(text ?? "").trim().toUpperCase().replace(/[\s-]+/g, "_");
  return Object.hasOwn(PERIOD_TYPES, key) ? PERIOD_TYPES[key]! : null;
}

const DAY_MS = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const utc = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** The date a period ending on `periodEnd` is due under `rule`. */
export function dueDate(periodEnd: string, rule: DeadlineRule): string {
  if (rule.daysAfterEnd !== undefined) return iso(utc(periodEnd) + rule.daysAfterEnd * DAY_MS);
  const end = new Date(utc(periodEnd));
  const month = end.getUTCMonth() + rule.monthsAfterEnd!; // Date.UTC carries months over years both ways
  const lastDay = new Date(Date.UTC(end.getUTCFullYear(), month + 1, 0)).getUTCDate();
  return iso(Date.UTC(end.getUTCFullYear(), month, Math.min(rule.day!, lastDay)));
}

type RuleInput = { daysAfterEnd?: number | null; monthsAfterEnd?: number | null; day?: number | null };

/**
 * A rule from its input fields: `{ rule }` (null: no rule, i.e. remove the plan's own), or the field in error and
 * why (both forms at once, a month without a day, a number out of range or not whole).
 */
export function ruleOf(input: RuleInput): { rule: DeadlineRule | null } | { field: keyof RuleInput; message: string } {
  const given = (v: number | null | undefined): v is number => v !== null && v !== undefined;
  for (const field of ["daysAfterEnd", "monthsAfterEnd", "day"] as const) {
    const v = input[field];
    if (!given(v)) continue;
    const [lo, hi] = RULE_BOUNDS[field];
    if (!Number.isInteger(v) || v < lo || v > hi) return { field, message: t("reportingStatus:outOfRange", { field, lo, hi, value: v }) };
  }
  if (given(input.daysAfterEnd)) {
    if (given(input.monthsAfterEnd) || given(input.day)) {
      const field = given(input.day) ? "day" : "monthsAfterEnd";
      return { field, message: t("reportingStatus:bothForms") };
    }
    return { rule: { daysAfterEnd: input.daysAfterEnd } };
  }
  if (given(input.day)) return { rule: { monthsAfterEnd: input.monthsAfterEnd ?? 0, day: input.day } };
  if (given(input.monthsAfterEnd)) return { field: "day", message: t("reportingStatus:dayNeeded") };
  return { rule: null };
}

/** Every period of `type` that overlaps [start, end] (inclusive ISO dates), in order. */
export function periodsOfType(type: PeriodType, start: string, end: string): Period[] {
  const parts = type === "quarter" ? ["-Q1", "-Q2", "-Q3", "-Q4"] : type === "half_year" ? ["-H1", "-H2"] : [""];
  const periods: Period[] = [];
  for (let year = Number(start.slice(0, 4)); year <= Number(end.slice(0, 4)); year++) {
    for (const part of parts) {
      const p = parsePeriod(`${year}${part}`);
      if (p.start <= end && p.end >= start) periods.push(p);
    }
  }
  return periods;
}

/** The first period of `type` within a plan's span that the rule would make due before it starts, or null. */
export function dueBeforeStart(type: PeriodType, span: { start: string; end: string }, rule: DeadlineRule): { period: Period; due: string } | null {
  for (const period of periodsOfType(type, span.start, span.end)) {
    const due = dueDate(period.end, rule);
    if (due < period.start) return { period, due };
  }
  return null;
}

/** The rule in words, in the current language: "a quarter's reports are due 10 days after it ends", "… on day 15 of its last month". */
export function ruleText(type: PeriodType, rule: DeadlineRule): string {
  const period = t(`reportingStatus:whose.${type}`);
  if (rule.daysAfterEnd !== undefined) {
    const n = rule.daysAfterEnd;
    if (n === 0) return t("reportingStatus:rule.lastDay", { period });
    const days = t(Math.abs(n) === 1 ? "reportingStatus:days.one" : "reportingStatus:days.many", { n: Math.abs(n) });
    return t(n > 0 ? "reportingStatus:rule.after" : "reportingStatus:rule.before", { period, days });
  }
  const m = rule.monthsAfterEnd!;
  const month =
    m === 0
      ? t("reportingStatus:month.last")
      : m === 1
        ? t("reportingStatus:month.next")
        : m > 0
          ? t("reportingStatus:month.after", { n: m })
          : m === -1
            ? t("reportingStatus:month.beforeOne")
            : t("reportingStatus:month.beforeMany", { n: -m });
  return t("reportingStatus:rule.onDay", { period, day: rule.day, month });
}

/**
 * Where a unit stands for one indicator and period: REPORTED (on time, or no deadline), LATE (reported after the
 * due day), MISSING (no report, the due day has passed), PENDING (no report yet: not due, or no deadline).
 * `reportedOn`: the day (in Vietnam) its report was last written; `today`: the day it is judged on.
 */
export type ReportingState = "reported" | "late" | "missing" | "pending";

export function reportingState(o: { reportedOn: string | null; due: string | null; today: string }): ReportingState {
  if (o.reportedOn !== null) return o.due !== null && o.reportedOn > o.due ? "late" : "reported";
  return o.due !== null && o.today > o.due ? "missing" : "pending";
}

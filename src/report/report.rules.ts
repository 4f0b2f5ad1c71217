/**
 * Pure rules of report rows (no I/O): what a row must hold for its indicator, unit and period. The
 * GraphQL mutation and the CSV import both run every row through validateRow after one set-based
 * lookup of the codes, so they accept and refuse exactly the same rows.
 */
import { parsePeriod, type Period } from "../common/period";
import { TWO_TIER_FROM } from "../org-unit/org-unit.reform.rules";
import { hasMessage, t } from "../i18n/i18n";
import { currentLanguage } from "../i18n/i18n.language";
import { lockedRow, type Lock } from "./report.approval.rules";

/** One submitted row, as the client sends it. */
export interface ReportRow {
  unitCode: string;
  indicatorCode: string;
  period: string;
  value?: number | null;
  numerator?: number | null;
  denominator?: number | null;
}

/** What the lookup found for a row's codes (null: unknown, or outside the caller's subtree). */
export interface ResolvedRow {
  /** the unit the code names over the whole period (a report is on the tree of its period) */
  unit: { id: number; level: string; path?: string } | null;
  indicator: { id: number; valueKind: string; reportingLevel: string; reportingLevelTwoTier?: string; periodType: string } | null;
  /** when no unit of the code covers the whole period: the units the code named on other dates (in scope) */
  otherVersions?: UnitVersion[];
  /** a plan of the unit or of one of its ancestors covers the whole period */
  coveredByPlan: boolean;
  /** the unit's data for the period is approved: who approved it and when (the row is LOCKED) */
  lock?: Lock | null;
}

/** A unit a code named, with its dates and where it went. */
export interface UnitVersion {
  name: string;
  level: string;
  validFrom: string;
  validTo: string | null;
  /** "code name" of each successor */
  successors: string[];
}

export type RowErrorCode =
  | "UNKNOWN_UNIT"
  | "UNIT_NOT_IN_PERIOD"
  | "LEVEL_NOT_IN_TREE"
  | "UNKNOWN_INDICATOR"
  | "BAD_PERIOD"
  | "WRONG_PERIOD_TYPE"
  | "OUTSIDE_PLAN"
  | "WRONG_UNIT_LEVEL"
  | "MISSING_VALUE"
  | "UNEXPECTED_VALUE"
  | "NEGATIVE_VALUE"
  | "NOT_A_NUMBER"
  | "TOO_LARGE"
  | "NOT_YES_NO"
  | "NOT_WHOLE_NUMBER"
  | "NUMERATOR_EXCEEDS_DENOMINATOR"
  | "DUPLICATE_ROW"
  | "LOCKED";

export interface RowError {
  /** 0-based position of the row in the batch (the CSV import prints line numbers) */
  index: number;
  field: string;
  code: RowErrorCode;
  message: string;
  /** LOCKED: who approved the row's unit and period (of which unit), and when */
  approvedBy?: string;
  approvedByUnitCode?: string | null;
  approvedAt?: string;
}

/** A valid row, ready to write. */
export interface NormalizedRow {
  unitId: number;
  /** the unit's path when the lookup gave it (the write stores it; the database checks it) */
  unitPath: string | null;
  /** the unit's code as the lookup matched it (trimmed, upper case) */
  unitCode: string;
  indicatorId: number;
  periodCode: string;
  periodType: string;
  periodStart: string;
  periodEnd: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

/** numeric(14,3) holds up to 10^11 − 0.001 */
export const MAX_VALUE = 99_999_999_999;

/** The period of a row, or null when it is malformed. */
export function periodOf(code: string): Period | null {
  try {
    return parsePeriod(String(code ?? ""));
  } catch {
    return null;
  }
}

const present = (v: number | null | undefined): v is number => v !== null && v !== undefined;

function checkNumber(index: number, field: string, v: number, errors: RowError[]): boolean {
  if (!Number.isFinite(v)) {
    errors.push({ index, field, code: "NOT_A_NUMBER", message: t("report:row.notANumber", { field }) });
    return false;
  }
  if (v < 0) {
    errors.push({ index, field, code: "NEGATIVE_VALUE", message: t("report:row.negative", { field, value: v }) });
    return false;
  }
  if (v > MAX_VALUE) {
    errors.push({ index, field, code: "TOO_LARGE", message: t("report:row.tooLarge", { field, max: MAX_VALUE }) });
    return false;
  }
  return true;
}

/** A level in words ("commune", "cấp xã"); an unknown one as it is. */
const levelWords = (level: string) => (hasMessage(`report:level.${level}`, currentLanguage()) ? t(`report:level.${level}`) : level);

/** "X is reported per year, not per quarter" (also the template route's refusal). */
export const wrongPeriodType = (indicator: string, expected: string, given: string) =>
  t("report:row.wrongPeriodType", { indicator, expected: t(`report:period.${expected}`), given: t(`report:period.${given}`) });

/** Every problem of one row (empty when it is valid). */
export function validateRow(row: ReportRow, index: number, resolved: ResolvedRow): RowError[] {
  const errors: RowError[] = [];
  const { unit, indicator } = resolved;
  const period = periodOf(row.period);
  if (!unit && period && resolved.otherVersions?.length) errors.push(unitNotInPeriod(row, index, period, resolved.otherVersions));
  // a malformed period has no dates to resolve the code on: a code that names a unit is not unknown (BAD_PERIOD below)
  else if (!unit && !resolved.otherVersions?.length) errors.push({ index, field: "unitCode", code: "UNKNOWN_UNIT", message: t("report:row.unknownUnit", { code: row.unitCode }) });
  if (!indicator) {
    errors.push({ index, field: "indicatorCode", code: "UNKNOWN_INDICATOR", message: t("report:row.unknownIndicator", { code: row.indicatorCode }) });
  }
  if (!period) {
    errors.push({ index, field: "period", code: "BAD_PERIOD", message: t("report:row.badPeriod", { period: row.period }) });
  } else if (indicator && period.type !== indicator.periodType) {
    errors.push({
      index,
      field: "period",
      code: "WRONG_PERIOD_TYPE",
      message: wrongPeriodType(row.indicatorCode, indicator.periodType, period.type),
    });
  } else if (unit && indicator && !resolved.coveredByPlan) {
    errors.push({ index, field: "period", code: "OUTSIDE_PLAN", message: t("report:row.outsidePlan", { unit: row.unitCode, period: period.code }) });
  }
  const level = indicator && period ? reportingLevelOn(indicator, period) : indicator?.reportingLevel;
  if (unit && indicator && period && level === null) {
    errors.push({
      index,
      field: "period",
      code: "LEVEL_NOT_IN_TREE",
      message: t("report:row.levelNotInTree", { indicator: row.indicatorCode, level: levelWords(indicator.reportingLevelTwoTier ?? ""), period: period.code }),
    });
  } else if (unit && indicator && level && unit.level !== level) {
    errors.push({
      index,
      field: "unitCode",
      code: "WRONG_UNIT_LEVEL",
      message: t("report:row.wrongUnitLevel", {
        indicator: row.indicatorCode,
        level: levelWords(level),
        period: period?.code ?? t("report:row.thisPeriod"),
        unit: row.unitCode,
        unitLevel: levelWords(unit.level),
      }),
    });
  }
  if (unit && resolved.lock) errors.push(lockedRow(row, index, resolved.lock));
  if (!indicator) return errors;

  if (indicator.valueKind === "ratio") {
    if (present(row.value)) errors.push({ index, field: "value", code: "UNEXPECTED_VALUE", message: t("report:row.ratioNoValue") });
    let ok = true;
    for (const field of ["numerator", "denominator"] as const) {
      const v = row[field];
      if (!present(v)) {
        errors.push({ index, field, code: "MISSING_VALUE", message: t("report:row.needs", { indicator: row.indicatorCode, field }) });
        ok = false;
      } else if (!checkNumber(index, field, v, errors)) ok = false;
    }
    if (ok && row.numerator! > row.denominator!) {
      errors.push({
        index,
        field: "numerator",
        code: "NUMERATOR_EXCEEDS_DENOMINATOR",
        message: t("report:row.numeratorExceeds", { numerator: row.numerator, denominator: row.denominator }),
      });
    }
    return errors;
  }

  for (const field of ["numerator", "denominator"] as const) {
    if (present(row[field])) {
      errors.push({ index, field, code: "UNEXPECTED_VALUE", message: t("report:row.takesValue", { indicator: row.indicatorCode, field }) });
    }
  }
  if (!present(row.value)) {
    errors.push({ index, field: "value", code: "MISSING_VALUE", message: t("report:row.needsValue", { indicator: row.indicatorCode }) });
  } else if (indicator.valueKind === "yes_no") {
    if (row.value !== 0 && row.value !== 1) {
      errors.push({ index, field: "value", code: "NOT_YES_NO", message: t("report:row.notYesNo", { value: row.value }) });
    }
  } else if (checkNumber(index, "value", row.value, errors) && !Number.isInteger(row.value)) {
    errors.push({ index, field: "value", code: "NOT_WHOLE_NUMBER", message: t("report:row.notWhole", { value: row.value }) });
  }
  return errors;
}

/** Rows that repeat an earlier row's unit, indicator and period (the batch would be ambiguous). */
export function duplicateRows(rows: ReportRow[]): RowError[] {
  const seen = new Map<string, number>();
  const errors: RowError[] = [];
  rows.forEach((row, index) => {
    const key = `${String(row.unitCode).trim().toUpperCase()}|${String(row.indicatorCode).trim().toUpperCase()}|${String(row.period).trim()}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else errors.push({ index, field: "period", code: "DUPLICATE_ROW", message: t("report:row.duplicate", { first }) });
  });
  return errors;
}

/** A valid row with its resolved ids and period dates. */
export function normalizeRow(row: ReportRow, resolved: ResolvedRow): NormalizedRow {
  const period = periodOf(row.period)!;
  const ratio = resolved.indicator!.valueKind === "ratio";
  return {
    unitId: resolved.unit!.id,
    unitPath: resolved.unit!.path ?? null,
    unitCode: String(row.unitCode ?? "").trim().toUpperCase(),
    indicatorId: resolved.indicator!.id,
    periodCode: period.code,
    periodType: period.type,
    periodStart: period.start,
    periodEnd: period.end,
    value: ratio ? null : row.value!,
    numerator: ratio ? row.numerator! : null,
    denominator: ratio ? row.denominator! : null,
  };
}

/** A stable text of a batch (for idempotency keys: same key, different payload is refused). */
export function canonicalPayload(rows: ReportRow[]): string {
  return JSON.stringify(
    rows.map((r) => [
      String(r.unitCode).trim().toUpperCase(),
      String(r.indicatorCode).trim().toUpperCase(),
      String(r.period).trim(),
      r.value ?? null,
      r.numerator ?? null,
      r.denominator ?? null,
    ]),
  );
}

/**
 * The level that reports an indicator over a period: its reporting level before the two-tier reform, its
 * two-tier level from 1/7/2025, and null for a period that straddles the reform when the two differ (a
 * district's indicator in 2025: no level reports it for the whole year).
 */
export function reportingLevelOn(
  indicator: { reportingLevel: string; reportingLevelTwoTier?: string },
  period: Period,
): string | null {
  const twoTier = indicator.reportingLevelTwoTier ?? indicator.reportingLevel;
  if (period.end < TWO_TIER_FROM) return indicator.reportingLevel;
  if (period.start >= TWO_TIER_FROM) return twoTier;
  return twoTier === indicator.reportingLevel ? twoTier : null;
}

const QUARTERS = ["Q1", "Q2", "Q3", "Q4"] as const;

/** The quarters and half-years of `period` that lie wholly within [from, to). */
export function subPeriodsWithin(period: Period, from: string, to: string | null): string[] {
  const parts: Period[] = [];
  for (const h of ["H1", "H2"]) parts.push(parsePeriod(`${period.year}-${h}`));
  for (const q of QUARTERS) parts.push(parsePeriod(`${period.year}-${q}`));
  return parts
    .filter((p) => p.start >= period.start && p.end <= period.end && p.code !== period.code)
    .filter((p) => p.start >= from && (to === null || p.end < to))
    .map((p) => p.code);
}

/**
 * A row whose code names no unit over the whole period, though it names one on other dates: a district
 * after 30/6/2025 (LEVEL_NOT_IN_TREE), a unit abolished or opened within or before the period
 * (UNIT_NOT_IN_PERIOD, naming its successors, or the sub-periods it can report).
 */
export function unitNotInPeriod(row: ReportRow, index: number, period: Period, versions: UnitVersion[]): RowError {
  if (period.end >= TWO_TIER_FROM && versions.every((v) => v.level === "district")) {
    return {
      index,
      field: "unitCode",
      code: "LEVEL_NOT_IN_TREE",
      message: t("report:row.districtAbolished", { unit: row.unitCode, period: period.code }),
    };
  }
  const overlapping = versions.filter((v) => v.validFrom <= period.end && (v.validTo === null || v.validTo > period.start));
  const closedBefore = versions.filter((v) => v.validTo !== null && v.validTo <= period.start);
  const parts: string[] = [];
  for (const v of overlapping) {
    const span = v.validTo
      ? t("report:row.existedFromUntil", { name: v.name, code: row.unitCode, from: v.validFrom, until: v.validTo })
      : t("report:row.existedFrom", { name: v.name, code: row.unitCode, from: v.validFrom });
    const subs = subPeriodsWithin(period, v.validFrom, v.validTo);
    parts.push(subs.length ? t("report:row.reportInstead", { span, periods: subs.join(", ") }) : t("report:row.notWhole.period", { span, period: period.code }));
    if (v.validTo && v.successors.length) parts.push(t("report:row.successorsFrom", { from: v.validTo, successors: v.successors.join(", ") }));
  }
  if (overlapping.length === 0) {
    const last = closedBefore[closedBefore.length - 1];
    if (last) {
      const words = { name: last.name, code: row.unitCode, until: last.validTo, period: period.code, successors: last.successors.join(", ") };
      parts.push(t(last.successors.length ? "report:row.closedBeforeReport" : "report:row.closedBefore", words));
    } else {
      const first = versions[0]!;
      parts.push(t("report:row.onlyFrom", { code: row.unitCode, name: first.name, from: first.validFrom, period: period.code }));
    }
  }
  return { index, field: "unitCode", code: "UNIT_NOT_IN_PERIOD", message: t("report:row.sentence", { text: parts.join(t("report:row.partsJoin")) }) };
}

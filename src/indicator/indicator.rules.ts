/**
 * Which settings of an indicator go together, as pure functions (no I/O). The first four are the
 * CHECK constraints of the indicator table (migration 1763900000000), checked here first so that
 * a bad combination answers BAD_USER_INPUT naming the field instead of a bare database error; the
 * others are what the roll-up math (src/rollup/rollup.rules.ts) can compute at all.
 */
import { OrgLevel, PeriodRule, RollupRule, UnitOfMeasure, ValueKind } from "../common/enums";
import { t } from "../i18n/i18n";

export const INDICATOR_CODE = /^[A-Z0-9_]{2,60}$/;

export interface IndicatorSettings {
  valueKind: ValueKind;
  rollupRule: RollupRule;
  periodRule: PeriodRule;
  reportingLevel: OrgLevel;
}

export interface SettingProblem {
  /** the input field, without the `input.` prefix */
  field: keyof IndicatorSettings;
  message: string;
}

const YES_NO_PERIOD_RULES: readonly PeriodRule[] = [PeriodRule.ALL, PeriodRule.ANY, PeriodRule.LATEST];
const NUMBER_PERIOD_RULES: readonly PeriodRule[] = [PeriodRule.SUM, PeriodRule.LATEST];

/** The first problem of a combination of settings, or null when they fit together. */
export function checkIndicatorSettings(s: IndicatorSettings): SettingProblem | null {
  if (s.reportingLevel === OrgLevel.NATION) {
    return { field: "reportingLevel", message: t("indicator:reportingLevelNation") };
  }
  // CHECK (rollup_rule <> 'share_of_units' OR value_kind = 'yes_no')
  if (s.rollupRule === RollupRule.SHARE_OF_UNITS && s.valueKind !== ValueKind.YES_NO) {
    return { field: "rollupRule", message: t("indicator:shareOfUnits") };
  }
  // CHECK (rollup_rule <> 'ratio_of_sums' OR value_kind = 'ratio')
  if (s.rollupRule === RollupRule.RATIO_OF_SUMS && s.valueKind !== ValueKind.RATIO) {
    return { field: "rollupRule", message: t("indicator:ratioOfSums") };
  }
  // the roll-up keeps a ratio's numerators and denominators only: summed "values" of a ratio would always be 0
  if (s.valueKind === ValueKind.RATIO && s.rollupRule !== RollupRule.RATIO_OF_SUMS) {
    return { field: "rollupRule", message: t("indicator:ratioRollup") };
  }
  // CHECK (value_kind <> 'yes_no' OR period_rule IN ('all','any','latest'))
  if (s.valueKind === ValueKind.YES_NO && !YES_NO_PERIOD_RULES.includes(s.periodRule)) {
    return { field: "periodRule", message: t("indicator:yesNoPeriods") };
  }
  // CHECK (value_kind <> 'ratio' OR period_rule IN ('sum','latest')); counts and frequencies likewise add up or take the latest
  if (s.valueKind !== ValueKind.YES_NO && !NUMBER_PERIOD_RULES.includes(s.periodRule)) {
    return { field: "periodRule", message: t("indicator:numberPeriods", { kind: s.valueKind.toUpperCase() }) };
  }
  return null;
}

/** A problem with the units of an indicator (the input field, without `input.`). */
export interface UnitProblem {
  field: "unit" | "numeratorUnit";
  message: string;
}

export interface IndicatorUnits {
  unit: UnitOfMeasure;
  numeratorUnit: UnitOfMeasure | null;
}

/** Every unit but PERCENT counts whole things (people, cases, inspections, businesses, items, times). */
export const isWholeUnit = (unit: UnitOfMeasure | null | undefined): boolean => !!unit && unit !== UnitOfMeasure.PERCENT;

/**
 * The units of an indicator, given or by default, and whether they fit its value kind (the CHECK constraints of
 * migration 1763901550000): yes/no and ratio values are PERCENT; a count or frequency counts a whole thing
 * (default ITEMS for a count, TIMES for a frequency); only a ratio has a numerator unit, a whole thing
 * (default ITEMS).
 */
export function resolveIndicatorUnits(
  valueKind: ValueKind,
  unit: UnitOfMeasure | null | undefined,
  numeratorUnit: UnitOfMeasure | null | undefined,
): IndicatorUnits | UnitProblem {
  const percent = valueKind === ValueKind.YES_NO || valueKind === ValueKind.RATIO;
  const u = unit ?? (percent ? UnitOfMeasure.PERCENT : valueKind === ValueKind.FREQUENCY ? UnitOfMeasure.TIMES : UnitOfMeasure.ITEMS);
  if (percent && u !== UnitOfMeasure.PERCENT) {
    return { field: "unit", message: t("indicator:unitPercent", { kind: valueKind.toUpperCase() }) };
  }
  if (!percent && u === UnitOfMeasure.PERCENT) {
    return { field: "unit", message: t("indicator:unitWhole", { kind: valueKind.toUpperCase() }) };
  }
  if (valueKind !== ValueKind.RATIO) {
    if (numeratorUnit != null) return { field: "numeratorUnit", message: t("indicator:numeratorOnlyRatio") };
    return { unit: u, numeratorUnit: null };
  }
  const n = numeratorUnit ?? UnitOfMeasure.ITEMS;
  if (n === UnitOfMeasure.PERCENT) return { field: "numeratorUnit", message: t("indicator:numeratorWhole") };
  return { unit: u, numeratorUnit: n };
}

/** What a quantity target on the indicator counts: a ratio's numerator unit, a count's or frequency's unit; none for yes/no. */
export function quantityUnitOf(valueKind: ValueKind, unit: UnitOfMeasure, numeratorUnit: UnitOfMeasure | null): UnitOfMeasure | null {
  if (valueKind === ValueKind.YES_NO) return null;
  return valueKind === ValueKind.RATIO ? numeratorUnit : unit;
}

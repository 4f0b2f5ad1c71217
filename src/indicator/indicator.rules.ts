/**
 * Which settings of an indicator go together, as pure functions (no I/O). The first four are the
 * CHECK constraints of the indicator table (migration 1763900000000), checked here first so that
 * a bad combination answers BAD_USER_INPUT naming the field instead of a bare database error; the
 * others are what the roll-up math (src/rollup/rollup.rules.ts) can compute at all.
 */
import { OrgLevel, PeriodRule, RollupRule, ValueKind } from "../common/enums";

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
    return { field: "reportingLevel", message: "Indicators are reported by provinces, districts or communes, not by the nation." };
  }
  // CHECK (rollup_rule <> 'share_of_units' OR value_kind = 'yes_no')
  if (s.rollupRule === RollupRule.SHARE_OF_UNITS && s.valueKind !== ValueKind.YES_NO) {
    return { field: "rollupRule", message: "SHARE_OF_UNITS counts units that said yes: it needs valueKind YES_NO." };
  }
  // CHECK (rollup_rule <> 'ratio_of_sums' OR value_kind = 'ratio')
  if (s.rollupRule === RollupRule.RATIO_OF_SUMS && s.valueKind !== ValueKind.RATIO) {
    return { field: "rollupRule", message: "RATIO_OF_SUMS adds numerators and denominators: it needs valueKind RATIO." };
  }
  // the roll-up keeps a ratio's numerators and denominators only: summed "values" of a ratio would always be 0
  if (s.valueKind === ValueKind.RATIO && s.rollupRule !== RollupRule.RATIO_OF_SUMS) {
    return { field: "rollupRule", message: "A RATIO rolls up as RATIO_OF_SUMS (Σ numerators / Σ denominators), never as a sum or change of percentages." };
  }
  // CHECK (value_kind <> 'yes_no' OR period_rule IN ('all','any','latest'))
  if (s.valueKind === ValueKind.YES_NO && !YES_NO_PERIOD_RULES.includes(s.periodRule)) {
    return { field: "periodRule", message: "A YES_NO indicator combines its periods by ALL, ANY or LATEST." };
  }
  // CHECK (value_kind <> 'ratio' OR period_rule IN ('sum','latest')); counts and frequencies likewise add up or take the latest
  if (s.valueKind !== ValueKind.YES_NO && !NUMBER_PERIOD_RULES.includes(s.periodRule)) {
    return { field: "periodRule", message: `A ${s.valueKind.toUpperCase()} indicator combines its periods by SUM or LATEST (ALL and ANY are for YES_NO).` };
  }
  return null;
}

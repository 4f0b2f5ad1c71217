/** Shapes of the hand-written seed data (indicator catalog and the seed documents' plans). */
export type Area = "awareness" | "prevention" | "enforcement" | "harm_reduction" | "training";
export type ValueKind = "yes_no" | "ratio" | "count" | "frequency";
export type Direction = "higher_is_better" | "lower_is_better";
export type RollupRule = "share_of_units" | "ratio_of_sums" | "sum" | "yearly_change";
export type ReportingLevel = "province" | "district" | "commune";
export type PeriodType = "quarter" | "half_year" | "year";
export type PeriodRule = "all" | "any" | "sum" | "latest";
export type TargetKind =
  | "share_floor"
  | "share_ceiling"
  | "count_floor"
  | "count_ceiling"
  | "frequency"
  | "change_range"
  | "cumulative_deadline";
export type FrequencyInterval = "day" | "week" | "month" | "quarter" | "half_year" | "year";

export interface IndicatorSeed {
  code: string;
  nameVi: string;
  nameEn: string;
  area: Area;
  valueKind: ValueKind;
  direction: Direction;
  rollupRule: RollupRule;
  reportingLevel: ReportingLevel;
  /** who reports it in the two-tier tree (from 1/7/2025, no districts): a district's indicator goes to the commune */
  reportingLevelTwoTier: Exclude<ReportingLevel, "district">;
  periodType: PeriodType;
  periodRule: PeriodRule;
  measuredOn: string;
}

export interface TargetSeed {
  indicator: string;
  kind: TargetKind;
  /** percent, 0-100 (share_floor, share_ceiling, cumulative_deadline) */
  share?: number;
  /** number of units (count_floor, count_ceiling) */
  count?: number;
  frequencyInterval?: FrequencyInterval;
  /** percent per year (change_range) */
  changeLow?: number;
  changeHigh?: number;
  /** ISO date (cumulative_deadline) */
  deadline?: string;
  /** the document's own words for this target, quoted */
  sourceText: string;
}

export interface AssignmentSeed {
  indicator: string;
  /** GSO codes of the named child units */
  unitCodes: string[];
}

export interface PlanSeed {
  /** stable key used by parentKey and by tests */
  key: string;
  /** GSO code of the owning unit; "VN" for the nation */
  unitCode: string;
  parentKey?: string;
  title: string;
  documentNumber?: string;
  /** ISO date */
  issuedOn?: string;
  periodStart: string;
  periodEnd: string;
  /** which file of shared/seeds (or other source) this plan comes from */
  source: string;
  targets: TargetSeed[];
  assignments?: AssignmentSeed[];
}

/** Shapes of the hand-written seed data (indicator catalog and the seed documents' plans). */
import type { Area, Direction, FrequencyInterval, PeriodRule, PeriodType, PlanStatus, RollupRule, SubnationalLevel, TargetKind, UnitOfMeasure, ValueKind } from "../src/common/enums";

export interface IndicatorSeed {
  code: string;
  nameVi: string;
  nameEn: string;
  area: Area;
  valueKind: ValueKind;
  direction: Direction;
  rollupRule: RollupRule;
  reportingLevel: SubnationalLevel;
  /** who reports it in the two-tier tree (from 1/7/2025, no districts): a district's indicator goes to the commune */
  reportingLevelTwoTier: Exclude<SubnationalLevel, "district">;
  periodType: PeriodType;
  periodRule: PeriodRule;
  /** what the value is in: percent for yes/no and ratio indicators, the thing counted otherwise */
  unit: UnitOfMeasure;
  /** ratio indicators: what the numerator counts (the unit of a quantity target on it) */
  numeratorUnit?: Exclude<UnitOfMeasure, "percent">;
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
  /** a whole number of the indicator's quantity unit (quantity_floor, quantity_ceiling) */
  quantity?: number;
  /** the document's own words for this target, quoted */
  sourceText: string;
}

export interface AssignmentSeed {
  indicator: string;
  /** GSO codes of the named child units */
  unitCodes: string[];
}

/** A plan's quantity target split into quotas for named child units (as assignQuotas does). */
export interface QuotaSeed {
  /** the indicator of one of the plan's own quantity targets */
  indicator: string;
  /** GSO codes of child units of the plan's unit on the plan's dates, and each one's quota */
  quotas: Array<{ unitCode: string; quantity: number }>;
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
  /** ACTIVE unless said (a plan being drafted is DRAFT) */
  status?: Extract<PlanStatus, "draft" | "active">;
  /** what a plan with no parent rests on, in words */
  legalBasis?: string;
  targets: TargetSeed[];
  assignments?: AssignmentSeed[];
  quotas?: QuotaSeed[];
}

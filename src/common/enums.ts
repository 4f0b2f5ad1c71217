import { registerEnumType } from "type-graphql";

/**
 * Every vocabulary of the domain, once: each is a constant object (GraphQL enum names → the words
 * stored in the database) and a type of the same name (the union of those words). Code may write
 * `OrgLevel.NATION` or `"nation"`; the seed data writes the words; GraphQL shows the names.
 */
type Words<T> = T[keyof T];

export const OrgLevel = { NATION: "nation", PROVINCE: "province", DISTRICT: "district", COMMUNE: "commune" } as const;
export type OrgLevel = Words<typeof OrgLevel>;
/** Every level but the nation's: the levels a new unit and an indicator's reports may have. */
export type SubnationalLevel = Exclude<OrgLevel, "nation">;

export const Area = {
  AWARENESS: "awareness",
  PREVENTION: "prevention",
  ENFORCEMENT: "enforcement",
  HARM_REDUCTION: "harm_reduction",
  TRAINING: "training",
} as const;
export type Area = Words<typeof Area>;

export const ValueKind = { YES_NO: "yes_no", RATIO: "ratio", COUNT: "count", FREQUENCY: "frequency" } as const;
export type ValueKind = Words<typeof ValueKind>;

export const Direction = { HIGHER_IS_BETTER: "higher_is_better", LOWER_IS_BETTER: "lower_is_better" } as const;
export type Direction = Words<typeof Direction>;

export const RollupRule = {
  SHARE_OF_UNITS: "share_of_units",
  RATIO_OF_SUMS: "ratio_of_sums",
  SUM: "sum",
  YEARLY_CHANGE: "yearly_change",
} as const;
export type RollupRule = Words<typeof RollupRule>;

export const PeriodType = { QUARTER: "quarter", HALF_YEAR: "half_year", YEAR: "year" } as const;
export type PeriodType = Words<typeof PeriodType>;

export const PeriodRule = { ALL: "all", ANY: "any", SUM: "sum", LATEST: "latest" } as const;
export type PeriodRule = Words<typeof PeriodRule>;

export const PlanStatus = { DRAFT: "draft", ACTIVE: "active", CLOSED: "closed", SUPERSEDED: "superseded" } as const;
export type PlanStatus = Words<typeof PlanStatus>;

export const TargetKind = {
  SHARE_FLOOR: "share_floor",
  SHARE_CEILING: "share_ceiling",
  COUNT_FLOOR: "count_floor",
  COUNT_CEILING: "count_ceiling",
  FREQUENCY: "frequency",
  CHANGE_RANGE: "change_range",
  CUMULATIVE_DEADLINE: "cumulative_deadline",
  QUANTITY_FLOOR: "quantity_floor",
  QUANTITY_CEILING: "quantity_ceiling",
} as const;
export type TargetKind = Words<typeof TargetKind>;

/**
 * What an indicator counts, one list for the catalog, targets, quotas and roll-ups: PERCENT for yes/no and
 * ratio indicators (and every share); the others are whole things (people informed, cases tried...).
 */
export const UnitOfMeasure = {
  PERCENT: "percent",
  PEOPLE: "people",
  CASES: "cases",
  INSPECTIONS: "inspections",
  BUSINESSES: "businesses",
  ITEMS: "items",
  TIMES: "times",
} as const;
export type UnitOfMeasure = Words<typeof UnitOfMeasure>;

/** Where the denominator that turns a quantity into a share comes from. */
export const DenominatorSource = { PLANNING_FIGURE: "planning_figure", REPORTED: "reported" } as const;
export type DenominatorSource = Words<typeof DenominatorSource>;

/** Shortest first: a shorter interval asks more often. */
export const FrequencyInterval = {
  DAY: "day",
  WEEK: "week",
  MONTH: "month",
  QUARTER: "quarter",
  HALF_YEAR: "half_year",
  YEAR: "year",
} as const;
export type FrequencyInterval = Words<typeof FrequencyInterval>;

export const TargetVerdict = {
  TIGHTER: "tighter",
  EQUAL: "equal",
  LOOSER: "looser",
  KIND_MISMATCH: "kind_mismatch",
  /** a quantity against a quantity above it: a part is not the whole (quotas check the sum instead); stands */
  NOT_COMPARED: "not_compared",
  /** a quantity against a share without the denominator that would turn one into the other; stands, and is listed */
  NOT_COMPARABLE: "not_comparable",
} as const;
export type TargetVerdict = Words<typeof TargetVerdict>;

export const DeltaUnit = {
  PERCENTAGE_POINTS: "percentage_points",
  UNITS: "units",
  INTERVAL_STEPS: "interval_steps",
  DAYS: "days",
  /** in the indicator's unit of measure (people, cases...): a quantity against a quota */
  QUANTITY: "quantity",
} as const;
export type DeltaUnit = Words<typeof DeltaUnit>;

export const TargetProvenance = { OWN: "own", INHERITED: "inherited", QUOTA: "quota" } as const;
export type TargetProvenance = Words<typeof TargetProvenance>;

export const RefusalReason = {
  LOOSER_THAN_PARENT: "looser_than_parent",
  KIND_MISMATCH: "kind_mismatch",
  LOOSER_THAN_QUOTA: "looser_than_quota",
} as const;
export type RefusalReason = Words<typeof RefusalReason>;

registerEnumType(OrgLevel, { name: "OrgLevel", description: "Tier of the administrative tree" });
registerEnumType(Area, { name: "Area", description: "Program area an indicator belongs to" });
registerEnumType(ValueKind, { name: "ValueKind", description: "What a report of the indicator holds" });
registerEnumType(Direction, { name: "Direction", description: "Whether more or less is better" });
registerEnumType(RollupRule, { name: "RollupRule", description: "How reports combine up the tree" });
registerEnumType(PeriodType, { name: "PeriodType" });
registerEnumType(PeriodRule, {
  name: "PeriodRule",
  description: "How reports of shorter periods make a longer one (ALL: yes in every sub-period; LATEST: last report)",
});
registerEnumType(PlanStatus, {
  name: "PlanStatus",
  description: "DRAFT (edited freely, not effective) → ACTIVE (approved: gives effective targets) → CLOSED, or SUPERSEDED by a named plan",
});
registerEnumType(TargetKind, {
  name: "TargetKind",
  description:
    "SHARE_FLOOR ≥ x%, SHARE_CEILING ≤ x%, COUNT_FLOOR at least n units, COUNT_CEILING at most n, FREQUENCY at least once per interval, " +
    "CHANGE_RANGE yearly change low-high %, CUMULATIVE_DEADLINE x% by a date, QUANTITY_FLOOR at least n of the indicator's quantityUnit " +
    "in the period (60,000 people informed), QUANTITY_CEILING at most n",
});
registerEnumType(FrequencyInterval, { name: "FrequencyInterval", description: "Shorter is tighter: DAY < WEEK < MONTH < QUARTER < HALF_YEAR < YEAR" });
registerEnumType(TargetVerdict, {
  name: "TargetVerdict",
  description:
    "How a target stands against its parent's. NOT_COMPARED: a quantity under a quantity (a part is not the whole: quotas check the sum); " +
    "NOT_COMPARABLE: a quantity under a share without a denominator (planning figure or reported); both stand, the second is listed in the compliance report",
});
registerEnumType(UnitOfMeasure, {
  name: "UnitOfMeasure",
  description: "What an indicator counts: PERCENT for yes/no and ratio indicators; PEOPLE, CASES, INSPECTIONS, BUSINESSES, ITEMS, TIMES are whole numbers",
});
registerEnumType(DenominatorSource, {
  name: "DenominatorSource",
  description: "PLANNING_FIGURE: set on the plan (setPlanningFigures); REPORTED: the unit's latest reported denominator",
});
registerEnumType(DeltaUnit, { name: "DeltaUnit" });
registerEnumType(TargetProvenance, {
  name: "TargetProvenance",
  description: "OWN: set by the plan itself; INHERITED: from a plan up its chain; QUOTA: the unit's quota from a plan of its parent unit (assignQuotas)",
});
registerEnumType(RefusalReason, { name: "RefusalReason" });

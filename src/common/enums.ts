import { registerEnumType } from "type-graphql";

/** GraphQL enums whose values are the words stored in the database. */
export enum OrgLevel {
  NATION = "nation",
  PROVINCE = "province",
  DISTRICT = "district",
  COMMUNE = "commune",
}
export enum Area {
  AWARENESS = "awareness",
  PREVENTION = "prevention",
  ENFORCEMENT = "enforcement",
  HARM_REDUCTION = "harm_reduction",
  TRAINING = "training",
}
export enum ValueKind {
  YES_NO = "yes_no",
  RATIO = "ratio",
  COUNT = "count",
  FREQUENCY = "frequency",
}
export enum Direction {
  HIGHER_IS_BETTER = "higher_is_better",
  LOWER_IS_BETTER = "lower_is_better",
}
export enum RollupRule {
  SHARE_OF_UNITS = "share_of_units",
  RATIO_OF_SUMS = "ratio_of_sums",
  SUM = "sum",
  YEARLY_CHANGE = "yearly_change",
}
export enum PeriodType {
  QUARTER = "quarter",
  HALF_YEAR = "half_year",
  YEAR = "year",
}
export enum PeriodRule {
  ALL = "all",
  ANY = "any",
  SUM = "sum",
  LATEST = "latest",
}
export enum PlanStatus {
  DRAFT = "draft",
  ACTIVE = "active",
  CLOSED = "closed",
}

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
registerEnumType(PlanStatus, { name: "PlanStatus" });

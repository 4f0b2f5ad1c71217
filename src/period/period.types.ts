import { Field, ObjectType } from "type-graphql";
import { PeriodType } from "../common/enums";
import { DateScalar } from "../common/date.scalar";

@ObjectType("Period", { description: "A reporting period a dashboard can offer: a year, half-year or quarter within the plans you can see" })
export class ReportingPeriod {
  @Field(() => String, { description: "2025, 2025-H1 or 2025-Q3: what rollup, nationalComparison and effectiveTargets take as `period`" })
  code!: string;

  @Field(() => PeriodType)
  type!: PeriodType;

  @Field(() => DateScalar, { description: "Its first day" })
  start!: string;

  @Field(() => DateScalar, { description: "Its last day (the default date of its tree in rollup and nationalComparison)" })
  end!: string;

  @Field(() => Boolean, { description: "Whether your own unit (or an earlier unit now part of it) has reports for it" })
  hasReports!: boolean;
}

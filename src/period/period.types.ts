import { Field, ObjectType } from "type-graphql";
import { PeriodType } from "../common/enums";
import { DateScalar } from "../common/date.scalar";
import { parsePeriod, periodLabel, type Period } from "../common/period";

@ObjectType("Period", {
  description:
    "A reporting period (a year, half-year or quarter): its code, its name in the request's language and its days. " +
    "The `periods` query lists those a dashboard can offer; roll-ups, comparisons and approvals return the period they are for",
})
export class ReportingPeriod {
  @Field(() => String, { description: "2025, 2025-H1 or 2025-Q3: what rollup, nationalComparison and effectiveTargets take as `period`" })
  code!: string;

  @Field(() => String, {
    description: "Its name in the request's language (Accept-Language): \"Quý 1/2025\", \"6 tháng đầu năm 2025\", \"Năm 2025\" / \"Q1 2025\", \"H1 2025\", \"2025\"",
  })
  label!: string;

  @Field(() => PeriodType)
  type!: PeriodType;

  @Field(() => DateScalar, { description: "Its first day" })
  start!: string;

  @Field(() => DateScalar, { description: "Its last day (the default date of its tree in rollup and nationalComparison)" })
  end!: string;

  @Field(() => Boolean, {
    nullable: true,
    description: "In the `periods` list: whether your own unit (or an earlier unit now part of it) has reports for it; null where a period is returned elsewhere",
  })
  hasReports!: boolean | null;

  /** The object of a period (parsed, or its code), labelled in the current request's language. */
  static of(period: Period | string, hasReports: boolean | null = null): ReportingPeriod {
    const p = typeof period === "string" ? parsePeriod(period) : period;
    return Object.assign(new ReportingPeriod(), { code: p.code, label: periodLabel(p), type: p.type, start: p.start, end: p.end, hasReports });
  }
}

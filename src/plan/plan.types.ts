import { DateScalar } from "../common/date.scalar";
import { ArgsType, Field, Int, ObjectType } from "type-graphql";
import { Plan } from "./plan.model";
import { IsOptional, Matches, MaxLength } from "class-validator";
import { t } from "../i18n/i18n";

@ArgsType()
export class PlansArgs {
  @Field(() => String, { description: "GSO code of the unit whose plans to list" })
  @MaxLength(10)
  unitCode!: string;

  @Field(() => String, { nullable: true, description: "Only plans whose period overlaps this one: 2025, 2025-H1 or 2025-Q3" })
  @IsOptional()
  @Matches(/^\d{4}(-(Q[1-4]|H[12]))?$/, { message: (a) => t("plan:periodFormat", { field: a.property }) })
  period?: string;

  @Field(() => DateScalar, {
    nullable: true,
    description: "The date on which unitCode names the unit (default: the period's first day if a period is given, else today)",
  })
  @IsOptional()
  asOf?: string;
}

@ObjectType({ description: "A page of a unit's plans, in the order of `plans` (by first day, then the longest first)" })
export class PlanPage {
  @Field(() => [Plan])
  nodes!: Plan[];

  @Field(() => Int, { description: "Plans matching, over all pages" })
  totalCount!: number;

  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "Pass as `after` for the next page" })
  endCursor!: string | null;
}

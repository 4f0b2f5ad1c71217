import { DateScalar } from "../common/date.scalar";
import { ArgsType, Field } from "type-graphql";
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

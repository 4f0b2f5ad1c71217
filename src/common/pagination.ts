import { ArgsType, Field, Int } from "type-graphql";
import { IsOptional, Max, MaxLength, Min } from "class-validator";

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 50, description: "Page size, 1-200" })
  @Min(1)
  @Max(200)
  first: number = 50;

  @Field(() => String, { nullable: true, description: "endCursor of the previous page" })
  @IsOptional()
  @MaxLength(200)
  after?: string;
}

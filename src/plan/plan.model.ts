import { Field, ID, Int, ObjectType } from "type-graphql";
import { PlanStatus } from "../common/enums";

/**
 * A unit's plan (kế hoạch) for a period, implementing a parent plan or, at the top, resting on its legal basis:
 * the GraphQL type, and the shape hand-written SQL reads plan rows into (SELECT_PLAN). No ORM mapping.
 */
@ObjectType({ description: "A unit's plan for a period, implementing a parent plan (or, with no parent, resting on its legal basis)" })
export class Plan {
  @Field(() => ID)
  id!: string;

  programId!: number;
  unitId!: number;
  unitPath!: string;
  parentPlanId!: string | null;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true, description: "e.g. 434/KH-UBND" })
  documentNumber!: string | null;

  @Field(() => String, { nullable: true, description: "ISO date the document was issued" })
  issuedOn!: string | null;

  @Field(() => String, { description: "ISO date" })
  periodStart!: string;

  @Field(() => String, { description: "ISO date" })
  periodEnd!: string;

  @Field(() => PlanStatus, { description: "Only ACTIVE plans give effective targets; a DRAFT is edited freely and judged against by no one" })
  status!: PlanStatus;

  @Field(() => String, { nullable: true, description: "What a plan with no parent rests on, in words (a law, the unit's own review)" })
  legalBasis!: string | null;

  supersededById!: string | null;

  @Field(() => Date, { nullable: true, description: "When the status last changed (activated, closed, superseded)" })
  statusChangedAt!: Date | null;

  @Field(() => Int, { description: "Increases on every change; pass it back to edit (optimistic locking)" })
  version!: number;

  createdBy!: string;

  @Field(() => Date)
  updatedAt!: Date;
}

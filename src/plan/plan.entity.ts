import { Column, Entity, PrimaryColumn } from "typeorm";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { PlanStatus } from "../common/enums";

/** A unit's plan (kế hoạch) for a period, implementing a parent plan. */
@ObjectType({ description: "A unit's plan for a period, implementing a parent plan" })
@Entity("plan")
export class Plan {
  @Field(() => ID)
  @PrimaryColumn({ type: "uuid" })
  id!: string;

  @Column({ type: "integer", name: "program_id" })
  programId!: number;

  @Column({ type: "integer", name: "unit_id" })
  unitId!: number;

  @Column({ type: "text", name: "unit_path" })
  unitPath!: string;

  @Column({ type: "uuid", name: "parent_plan_id", nullable: true })
  parentPlanId!: string | null;

  @Field(() => String)
  @Column({ type: "text" })
  title!: string;

  @Field(() => String, { nullable: true, description: "e.g. 434/KH-UBND" })
  @Column({ type: "text", name: "document_number", nullable: true })
  documentNumber!: string | null;

  @Field(() => String, { nullable: true, description: "ISO date the document was issued" })
  @Column({ type: "date", name: "issued_on", nullable: true })
  issuedOn!: string | null;

  @Field(() => String, { description: "ISO date" })
  @Column({ type: "date", name: "period_start" })
  periodStart!: string;

  @Field(() => String, { description: "ISO date" })
  @Column({ type: "date", name: "period_end" })
  periodEnd!: string;

  @Field(() => PlanStatus)
  @Column({ type: "text" })
  status!: PlanStatus;

  @Field(() => Int, { description: "Increases on every change; pass it back to edit (optimistic locking)" })
  @Column({ type: "integer" })
  version!: number;

  @Column({ type: "text", name: "created_by" })
  createdBy!: string;

  @Field(() => Date)
  @Column({ type: "timestamptz", name: "updated_at" })
  updatedAt!: Date;
}

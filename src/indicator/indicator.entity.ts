import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { Field, Int, ObjectType } from "type-graphql";
import { Area, Direction, OrgLevel, PeriodRule, PeriodType, RollupRule, ValueKind } from "../common/enums";

/** A measure of a program: what is reported, by whom, how often, and how it rolls up. */
@ObjectType({ description: "An indicator of the program catalog" })
@Entity("indicator")
export class Indicator {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ type: "integer", name: "program_id" })
  programId!: number;

  @Field(() => String, { description: "Stable code, e.g. AWR_COMMUNE_ACTIVITY" })
  @Column({ type: "text" })
  code!: string;

  @Field(() => String, { description: "Name as the plans word it (Vietnamese)" })
  @Column({ type: "text", name: "name_vi" })
  nameVi!: string;

  @Field(() => String)
  @Column({ type: "text", name: "name_en" })
  nameEn!: string;

  @Field(() => Area)
  @Column({ type: "text" })
  area!: Area;

  @Field(() => ValueKind)
  @Column({ type: "text", name: "value_kind" })
  valueKind!: ValueKind;

  @Field(() => Direction)
  @Column({ type: "text" })
  direction!: Direction;

  @Field(() => RollupRule)
  @Column({ type: "text", name: "rollup_rule" })
  rollupRule!: RollupRule;

  @Field(() => OrgLevel, { description: "Level of the units that report it" })
  @Column({ type: "text", name: "reporting_level" })
  reportingLevel!: OrgLevel;

  @Field(() => PeriodType, { description: "Length of one reporting period" })
  @Column({ type: "text", name: "period_type" })
  periodType!: PeriodType;

  @Field(() => PeriodRule, { description: "How reports of shorter periods make a longer one" })
  @Column({ type: "text", name: "period_rule" })
  periodRule!: PeriodRule;

  @Field(() => String, { description: "What is counted (numerator / denominator, or units)" })
  @Column({ type: "text", name: "measured_on" })
  measuredOn!: string;

  @Field(() => Int, { description: "Position in the catalog (lists are ordered by it)" })
  @Column({ type: "integer", name: "sort_order" })
  sortOrder!: number;
}

@ObjectType({ description: "A national program whose plans cascade down the tree" })
@Entity("program")
export class Program {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Field(() => String)
  @Column({ type: "text" })
  code!: string;

  @Field(() => String)
  @Column({ type: "text", name: "name_vi" })
  nameVi!: string;

  @Field(() => String)
  @Column({ type: "text", name: "name_en" })
  nameEn!: string;
}

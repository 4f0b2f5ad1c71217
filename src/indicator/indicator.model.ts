import { Field, Float, Int, ObjectType } from "type-graphql";
import { Area, Direction, OrgLevel, PeriodRule, PeriodType, RollupRule, UnitOfMeasure, ValueKind } from "../common/enums";

/**
 * A measure of a program: what is reported, by whom, how often, and how it rolls up: the GraphQL type,
 * and the shape hand-written SQL reads indicator rows into (SELECT_INDICATOR). No ORM mapping.
 */
@ObjectType({ description: "An indicator of the program catalog" })
export class Indicator {
  id!: number;
  programId!: number;

  @Field(() => String, { description: "Stable code, e.g. AWR_COMMUNE_ACTIVITY" })
  code!: string;

  @Field(() => String, { description: "Name as the plans word it (Vietnamese)" })
  nameVi!: string;

  @Field(() => String)
  nameEn!: string;

  @Field(() => Area)
  area!: Area;

  @Field(() => ValueKind)
  valueKind!: ValueKind;

  @Field(() => Direction)
  direction!: Direction;

  @Field(() => RollupRule)
  rollupRule!: RollupRule;

  @Field(() => OrgLevel, { description: "Level of the units that report it" })
  reportingLevel!: OrgLevel;

  @Field(() => OrgLevel, { description: "Level of the units that report it in the two-tier tree, from 1/7/2025 (no districts)" })
  reportingLevelTwoTier!: OrgLevel;

  @Field(() => PeriodType, { description: "Length of one reporting period" })
  periodType!: PeriodType;

  @Field(() => PeriodRule, { description: "How reports of shorter periods make a longer one" })
  periodRule!: PeriodRule;

  @Field(() => String, { description: "What is counted (numerator / denominator, or units)" })
  measuredOn!: string;

  @Field(() => UnitOfMeasure, { description: "What a report's value is in: PERCENT for yes/no and ratio indicators, the thing counted for counts and frequencies" })
  unit!: UnitOfMeasure;

  @Field(() => UnitOfMeasure, { nullable: true, description: "Ratio indicators: what the numerator counts (PEOPLE for workers informed)" })
  numeratorUnit!: UnitOfMeasure | null;

  @Field(() => UnitOfMeasure, {
    nullable: true,
    description: "What a quantity target (QUANTITY_FLOOR / QUANTITY_CEILING) and a quota of the indicator count: a ratio's numeratorUnit, a count's unit; null for yes/no indicators (no quantity targets)",
  })
  quantityUnit!: UnitOfMeasure | null;

  @Field(() => Float, {
    description: "Percent (0-100) of the units expected that must report for a roll-up cell to be judged and ranked; below it the cell is INSUFFICIENT_DATA",
  })
  minCompleteness!: number;

  @Field(() => Int, { description: "Position in the catalog (lists are ordered by it)" })
  sortOrder!: number;
}


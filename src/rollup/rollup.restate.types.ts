import { Field, Int, ObjectType } from "type-graphql";
import { OrgUnit } from "../org-unit/org-unit.model";
import { ReportingPeriod } from "../period/period.types";

/**
 * Restating across reforms in the API (src/rollup/rollup.restate.rules.ts). Lists of units sit on the unit
 * (`restatedFrom`), once, and a cell carries scalars and lists of scalars only: a page asks cells per child and
 * indicator (34 × 20 in the national comparison), and a list of objects in every cell would multiply its cost
 * past the API's limit (src/security/security.limits.ts).
 */
@ObjectType({
  simpleResolvers: true,
  description: "A unit of the tree that reported (part of) the period, which a roll-up on a later tree reads for one of its units",
})
export class RestatedSource {
  @Field(() => OrgUnit, { description: "The unit, reached on its last day up to asOf (an old commune on 2025-06-30)" })
  unit!: OrgUnit;

  @Field(() => String, { description: "The tree part it answers for (the period, or 2025-H1 of 2025)", deprecationReason: "Use reportingPeriod { code }" })
  period!: string;

  @Field(() => ReportingPeriod, { description: "The tree part it answers for (the period, or 2025-H1 of 2025), with its label and days" })
  reportingPeriod!: ReportingPeriod;

  @Field(() => Boolean, {
    description:
      "True: it is the unit itself or went wholly into it (full successions up to asOf), and its figures are summed. False: it was split " +
      "among several units (a partial succession): its figures cannot be divided without weights the register does not give, so they are " +
      "left out here (still expected, so completeness shows them missing) and count in the unit that holds it whole (the province)",
  })
  whole!: boolean;

  @Field(() => [String], { description: "The indicators (of those asked) it reported in that part" })
  indicatorsReported!: string[];
}

@ObjectType({
  simpleResolvers: true,
  description:
    "A cell read (partly) on a later tree than the one that reported its period: exact by the indicator's own rule from the summaries of the " +
    "units listed in the unit's restatedFrom, per tree part (2025: 2025-H1 on the three-tier tree, 2025-H2 on the two-tier one)",
})
export class CellRestatement {
  @Field(() => Boolean, { description: "True when no unit was left out: the value is that of the unit's territory" })
  exact!: boolean;

  @Field(() => Int, { description: "Units split among several units (restatedFrom with whole false) counted as expected and not as reported" })
  unitsLeftOut!: number;

  @Field(() => Int, { description: "Of the units left out, those that reported the indicator (their reports are not in the value)" })
  leftOutReported!: number;

  @Field(() => [String], { description: "The tree parts read: 2025-H1 and 2025-H2 for 2025; the last only for a LATEST indicator; the period whole for one reported yearly" })
  parts!: string[];

  @Field(() => [Int], { description: "Per part: the indicator's reporting periods it holds (2 quarters in a half-year)" })
  subPeriods!: number[];

  @Field(() => [Int], { description: "Per part: units that reported, each judged over the part by the indicator's period rule" })
  unitsReported!: number[];

  @Field(() => [Int], { description: "Per part: units expected at the reporting level of the part's tree (unitsExpected is their sum)" })
  unitsExpected!: number[];
}

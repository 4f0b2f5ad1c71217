import { Field, ObjectType } from "type-graphql";
import { OrgLevel } from "../common/enums";
import { DateScalar } from "../common/date.scalar";

/**
 * A unit of the administrative tree (nation, province, district, commune), valid over a span of dates:
 * the GraphQL type, and the shape hand-written SQL reads org_unit rows into (SELECT_UNIT). No ORM mapping.
 */
@ObjectType({ description: "A unit of Vietnam's administrative tree, valid from validFrom until the day before validTo" })
export class OrgUnit {
  id!: number;

  @Field(() => String, { description: "GSO code (string with leading zeros); VN for the nation. A code may name other units on other dates" })
  code!: string;

  @Field(() => String, { description: "Its latest name (earlier ones in formerNames)" })
  name!: string;

  nameSearch!: string;

  @Field(() => OrgLevel)
  level!: OrgLevel;

  @Field(() => String, { nullable: true, description: "Tỉnh, Thành phố Trung ương, Huyện, Quận, Thị xã, Thành phố, Xã, Phường, Thị trấn or Đặc khu" })
  type!: string | null;

  parentId!: number | null;
  path!: string;
  depth!: number;
  provinceId!: number | null;
  districtId!: number | null;

  @Field(() => DateScalar, { description: "First day the unit exists (ISO date)" })
  validFrom!: string;

  @Field(() => DateScalar, { nullable: true, description: "First day it no longer exists (ISO date), null while it does" })
  validTo!: string | null;

  /** The date the unit was reached at, within its validity: its children and counts are those of that day. */
  @Field(() => DateScalar, { description: "The date this unit was looked up at: its children are those of that day" })
  asOf!: string;
}

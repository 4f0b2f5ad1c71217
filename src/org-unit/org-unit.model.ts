import { Field, ObjectType } from "type-graphql";
import { OrgLevel } from "../common/enums";

/**
 * A unit of the administrative tree (nation, province, district, commune), valid over a span of dates:
 * the GraphQL type, and the shape hand-written SQL reads org_unit rows into (SELECT_UNIT). No ORM mapping.
 */
@ObjectType({ description: "A unit of Vietnam's administrative tree" })
export class OrgUnit {
  id!: number;

  @Field(() => String, { description: "GSO code (string with leading zeros); VN for the nation" })
  code!: string;

  @Field(() => String)
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

  @Field(() => String, { description: "First day the unit exists in this form (ISO date)" })
  validFrom!: string;

  @Field(() => String, { nullable: true, description: "Last day before the unit was replaced, if it was" })
  validTo!: string | null;
}

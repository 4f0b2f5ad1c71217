import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { Field, ObjectType } from "type-graphql";
import { OrgLevel } from "../common/enums";

/** A unit of the administrative tree (nation, province, district, commune), valid over a span of dates. */
@ObjectType({ description: "A unit of Vietnam's administrative tree" })
@Entity("org_unit")
export class OrgUnit {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Field(() => String, { description: "GSO code (string with leading zeros); VN for the nation" })
  @Column({ type: "text" })
  code!: string;

  @Field(() => String)
  @Column({ type: "text" })
  name!: string;

  @Column({ type: "text", name: "name_search" })
  nameSearch!: string;

  @Field(() => OrgLevel)
  @Column({ type: "text" })
  level!: OrgLevel;

  @Field(() => String, { nullable: true, description: "Tỉnh, Thành phố Trung ương, Huyện, Quận, Thị xã, Thành phố, Xã, Phường, Thị trấn or Đặc khu" })
  @Column({ type: "text", name: "unit_type", nullable: true })
  type!: string | null;

  @Column({ type: "integer", name: "parent_id", nullable: true })
  parentId!: number | null;

  @Column({ type: "text" })
  path!: string;

  @Column({ type: "smallint" })
  depth!: number;

  @Column({ type: "integer", name: "province_id", nullable: true })
  provinceId!: number | null;

  @Column({ type: "integer", name: "district_id", nullable: true })
  districtId!: number | null;

  @Field(() => String, { description: "First day the unit exists in this form (ISO date)" })
  @Column({ type: "date", name: "valid_from" })
  validFrom!: string;

  @Field(() => String, { nullable: true, description: "Last day before the unit was replaced, if it was" })
  @Column({ type: "date", name: "valid_to", nullable: true })
  validTo!: string | null;
}

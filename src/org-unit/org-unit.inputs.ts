import { Field, InputType } from "type-graphql";
import { IsOptional, Length, Matches, MaxLength, MinLength } from "class-validator";
import { ISO_DATE } from "../common/period";
import { IsDateInRange, IsPlainName, isoDateMessage } from "../common/input-rules";
import { t } from "../i18n/i18n";

const UNIT_CODE = /^\s*[0-9A-Za-z]{2,5}\s*$/;
const gsoCodeMessage = { message: (args: { property: string }) => t("orgUnit:gsoCodeField", { field: args.property }) };
const TYPES = "province: Tỉnh, Thành phố Trung ương; district: Huyện, Quận, Thị xã, Thành phố; commune: Xã, Phường, Thị trấn, Đặc khu";

@InputType({ description: "A new unit under a unit of your subtree; its level follows from the parent's" })
export class CreateOrgUnitInput {
  @Field(() => String, { description: "GSO code of the parent: your own unit or one below it (a commune has no children)" })
  @Matches(UNIT_CODE, gsoCodeMessage)
  parentCode!: string;

  @Field(() => String, { description: "GSO code of the new unit (2-5 digits or capital letters), not used by any current unit" })
  @Matches(UNIT_CODE, gsoCodeMessage)
  code!: string;

  @Field(() => String, { description: "Official name with its type, e.g. \"Xã Hạ Long\" (1-200 characters)" })
  @Length(1, 200)
  @IsPlainName()
  name!: string;

  @Field(() => String, { description: `Unit type fitting the level (${TYPES})` })
  @MaxLength(40)
  type!: string;

  @Field(() => String, { nullable: true, description: "First day the unit exists (ISO date; default today in Vietnam), not before its parent's" })
  @IsOptional()
  @Matches(ISO_DATE, isoDateMessage)
  @IsDateInRange()
  validFrom?: string | null;

  @Field(() => String, { description: "Why (kept in the audit log)" })
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

@InputType({
  description:
    "Corrects a unit below your own unit: its name and/or type (within its level). Code, level, parent and dates do not change: " +
    "moving, merging or splitting units is a reform of the tree (new units and successions), out of scope here.",
})
export class UpdateOrgUnitInput {
  @Field(() => String, { description: "GSO code of a unit strictly below your own unit" })
  @Matches(UNIT_CODE, gsoCodeMessage)
  code!: string;

  @Field(() => String, { nullable: true, description: "New name (1-200 characters)" })
  @IsOptional()
  @Length(1, 200)
  @IsPlainName()
  name?: string | null;

  @Field(() => String, { nullable: true, description: `New type, fitting the unit's level (${TYPES})` })
  @IsOptional()
  @MaxLength(40)
  type?: string | null;

  @Field(() => String, { description: "Why (kept in the audit log)" })
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

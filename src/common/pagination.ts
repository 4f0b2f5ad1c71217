import { ArgsType, Field, Int } from "type-graphql";
import { IsOptional, Max, MaxLength, Min } from "class-validator";
import { BadUserInputError } from "./errors";
import { t } from "../i18n/i18n";

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

/** The cursor of a page's last key (opaque to clients: they pass `endCursor` back as `after`). */
export function encodeCursor(key: string): string {
  return Buffer.from(key, "utf8").toString("base64url");
}

/**
 * The key a cursor from encodeCursor stands for. Anything else (not base64url, not what this API
 * encodes, or a key of the wrong shape) is BAD_USER_INPUT: an empty page would look like the end.
 */
export function decodeCursor(cursor: string, keyShape: RegExp, field = "after"): string {
  const key = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, "base64url").toString("utf8") : "";
  if (!keyShape.test(key) || encodeCursor(key) !== cursor) {
    throw new BadUserInputError(t("common:badCursor", { field }), field);
  }
  return key;
}

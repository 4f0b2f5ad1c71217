import { ValidateBy, type ValidationOptions } from "class-validator";
import { t } from "../i18n/i18n";

/**
 * Rules on the shape of input that several input classes share, each a pure function (tested in
 * input-rules.test.ts) and a class-validator decorator that applies it.
 */

/** Dates the API accepts: the documents it holds start after 1945 and plans do not reach past 2100. */
export const DATE_RANGE = { min: "1945-01-01", max: "2100-12-31" } as const;

/** False for a YYYY-MM-DD date outside DATE_RANGE; anything else is left to the ISO-date check. */
export function isDateInRange(value: unknown): boolean {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return true;
  return value >= DATE_RANGE.min && value <= DATE_RANGE.max;
}

/** A date between DATE_RANGE.min and DATE_RANGE.max (1945-2100). */
export function IsDateInRange(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: "isDateInRange",
      validator: {
        validate: (value) => isDateInRange(value),
        defaultMessage: (args) => t("common:validation.dateInRange", { field: args?.property, ...DATE_RANGE }),
      },
    },
    options,
  );
}

/**
 * Characters a name must not hold: control characters (C0, DEL, C1: NUL, tab, newline, bell…),
 * invisible format characters, the bidirectional controls among them (U+202E RIGHT-TO-LEFT
 * OVERRIDE and friends, which make "Xã …" display as something else), and line/paragraph separators.
 */
const UNSAFE_IN_NAME = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** The first character a name must not hold, as "U+202E", or null. */
export function unsafeNameCharacter(value: string): string | null {
  const match = UNSAFE_IN_NAME.exec(value);
  if (!match) return null;
  return `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** A name shown to people (units, plans): no control, invisible or bidirectional-override characters. */
export function IsPlainName(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: "isPlainName",
      validator: {
        validate: (value) => typeof value !== "string" || unsafeNameCharacter(value) === null,
        defaultMessage: (args) =>
          t("common:validation.plainName", { field: args?.property, found: unsafeNameCharacter(String(args?.value)) }),
      },
    },
    options,
  );
}

/** The message of an ISO-date check, in the request's language (for `@Matches(ISO_DATE, isoDateMessage)`). */
export const isoDateMessage = { message: (args: { property: string }) => t("common:validation.isoDate", { field: args.property }) };

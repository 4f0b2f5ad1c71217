import { AsyncLocalStorage } from "node:async_hooks";
import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import { BadUserInputError } from "./errors";
import { isIsoDate } from "./period";
import { t } from "../i18n/i18n";

/**
 * A calendar day, YYYY-MM-DD. Parsing only takes the string: whether it is a real day is checked where it
 * is used (`checkDate`), so a wrong date answers BAD_USER_INPUT naming its argument, the same whether it
 * came inline or as a variable.
 */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: "Date",
  description: "A calendar day, YYYY-MM-DD (e.g. 2025-07-01)",
  serialize: (value) => String(value),
  parseValue: (value) => {
    if (typeof value !== "string") throw new GraphQLError(t("common:dateScalar"), { extensions: { code: "BAD_USER_INPUT" } });
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError(t("common:dateScalar"), { extensions: { code: "BAD_USER_INPUT" } });
    return ast.value;
  },
});

/** The day a request runs on, when its server runs as on a given day (APP_TODAY, never in production). */
const requestDay = new AsyncLocalStorage<string>();

/** Runs `fn` (a request) as on `day`, or on the real day when none is given. Per request, so two servers never mix. */
export function onDay<T>(day: string | null | undefined, fn: () => T): T {
  return day ? requestDay.run(day, fn) : fn();
}

/** The date in Vietnam (UTC+7, no daylight saving) at an instant, as an ISO date. */
export function todayInVietnam(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

/** Today in Vietnam: the day tokens are checked on and the default date of unit and plan look-ups. */
export function today(): string {
  return requestDay.getStore() ?? todayInVietnam();
}

/** A given date, checked (a real day from 1945, the republic's first, to 2100), else the fallback. */
export function checkDate(value: string | null | undefined, field: string, fallback: () => string = today): string {
  if (value === undefined || value === null) return fallback();
  const v = value.trim();
  if (!isIsoDate(v) || v < "1945-01-01" || v > "2100-12-31") {
    throw new BadUserInputError(t("common:notADate", { field, value }), field);
  }
  return v;
}

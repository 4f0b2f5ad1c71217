import { BadUserInputError } from "./errors";
import type { PeriodType } from "./enums";

/** The shape of an ISO date; `isIsoDate` also checks that the day exists. */
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written YYYY-MM-DD (2025-02-30 is not one). */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

export interface Period {
  code: string;
  type: PeriodType;
  year: number;
  /** ISO dates, inclusive */
  start: string;
  end: string;
}

const pad = (n: number) => String(n).padStart(2, "0");
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Parses "2025", "2025-H1" or "2025-Q3"; anything else is BAD_USER_INPUT naming the field. */
export function parsePeriod(code: string, field = "period"): Period {
  const match = /^(\d{4})(?:-(Q[1-4]|H[12]))?$/.exec(code.trim());
  if (!match) {
    throw new BadUserInputError(`"${code}" is not a period: use 2025, 2025-H1 or 2025-Q3.`, field);
  }
  const year = Number(match[1]);
  if (year < 2000 || year > 2100) throw new BadUserInputError(`Year ${year} is out of range (2000-2100).`, field);
  const part = match[2];
  let firstMonth = 1;
  let months = 12;
  let type: PeriodType = "year";
  if (part?.startsWith("Q")) {
    type = "quarter";
    months = 3;
    firstMonth = (Number(part[1]) - 1) * 3 + 1;
  } else if (part?.startsWith("H")) {
    type = "half_year";
    months = 6;
    firstMonth = part === "H1" ? 1 : 7;
  }
  const endMonth = firstMonth + months - 1;
  return {
    code: part ? `${year}-${part}` : `${year}`,
    type,
    year,
    start: `${year}-${pad(firstMonth)}-01`,
    end: `${year}-${pad(endMonth)}-${pad(lastDay(year, endMonth))}`,
  };
}

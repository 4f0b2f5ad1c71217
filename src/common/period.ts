import { BadUserInputError } from "./errors";
import { t } from "../i18n/i18n";
import { currentLanguage } from "../i18n/i18n.language";
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
    throw new BadUserInputError(t("period:notAPeriod", { code }), field);
  }
  const year = Number(match[1]);
  if (year < 2000 || year > 2100) throw new BadUserInputError(t("period:yearOutOfRange", { year: String(year) }), field);
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

/** A period's name as officials write it, in the request's language: "Quý 1/2025", "6 tháng đầu năm 2025", "Năm 2025" (Q1 2025, H1 2025, 2025). */
export function periodLabel(period: Pick<Period, "code" | "year" | "type">): string {
  // every roll-up page names its period: translated once per period and language (i18next costs ~0.1 ms a call)
  const key = `${currentLanguage()}|${period.code}`;
  let label = labels.get(key);
  if (label === undefined) {
    if (labels.size >= 1000) labels.clear();
    labels.set(key, (label = translatedLabel(period)));
  }
  return label;
}

const labels = new Map<string, string>();

function translatedLabel(period: Pick<Period, "code" | "year" | "type">): string {
  const year = String(period.year);
  if (period.type === "quarter") return t("period:label.quarter", { quarter: period.code.slice(-1), year });
  if (period.type === "half_year") return t(period.code.endsWith("H1") ? "period:label.H1" : "period:label.H2", { year });
  return t("period:label.year", { year });
}

import { commonMessages } from "../common/common.messages";
import { indicatorMessages } from "../indicator/indicator.messages";
import { planMessages } from "../plan/plan.messages";
import { programMessages } from "../program/program.messages";
import { authMessages } from "../auth/auth.messages";
import { securityMessages } from "../security/security.messages";
import { reportMessages } from "../report/report.messages";
import { targetMessages } from "../target/target.messages";
import { orgUnitMessages } from "../org-unit/org-unit.messages";
import { dbMessages } from "../db/db.messages";
import { seedMessages } from "../../seeds/seed.messages";
import { subscriptionMessages } from "../subscription/rollup-subscription.messages";
import { exportMessages } from "../export/export.messages";
import { reportingStatusMessages } from "../reporting-status/reporting-status.messages";
import { periodMessages } from "../period/period.messages";
import { rollupMessages } from "../rollup/rollup.messages";
import type { Language } from "./i18n.language";

/**
 * One catalog, assembled from one messages file per domain concept. Each file holds both languages side
 * by side (`{ vi: {...}, en: {...} }`) so that a translator sees them together; i18n.catalog.test.ts
 * checks that every key exists in both with the same placeholders.
 */
export type Messages = Record<string, string>;
export type MessagesOf = Record<Language, Messages>;

const PARTS = {
  common: commonMessages,
  plan: planMessages,
  program: programMessages,
  indicator: indicatorMessages,
  auth: authMessages,
  security: securityMessages,
  target: targetMessages,
  report: reportMessages,
  orgUnit: orgUnitMessages,
  db: dbMessages,
  seed: seedMessages,
  subscription: subscriptionMessages,
  export: exportMessages,
  reportingStatus: reportingStatusMessages,
  period: periodMessages,
  rollup: rollupMessages,
} satisfies Record<string, MessagesOf>;

export const NAMESPACES = Object.keys(PARTS);

export const catalog: Record<Language, Record<string, Messages>> = {
  vi: Object.fromEntries(Object.entries(PARTS).map(([ns, part]) => [ns, part.vi])),
  en: Object.fromEntries(Object.entries(PARTS).map(([ns, part]) => [ns, part.en])),
};

/** Every namespace with its two languages (for the catalog check). */
export const catalogParts: Record<string, MessagesOf> = PARTS;

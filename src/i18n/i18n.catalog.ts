import { commonMessages } from "../common/common.messages";
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

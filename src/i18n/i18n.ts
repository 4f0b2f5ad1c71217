import i18next, { type TOptions } from "i18next";
import { catalog, NAMESPACES } from "./i18n.catalog";
import { currentLanguage, DEFAULT_LANGUAGE, type Language } from "./i18n.language";

/**
 * The one message catalog (i18next): every text meant for a person, in Vietnamese and English, chosen by
 * the request's language (Accept-Language; Vietnamese when absent). Keys are `namespace:key`, one
 * namespace per domain concept (src/<concept>/<concept>.messages.ts). Numbers inside texts are formatted
 * per language by Intl: `{{count, number}}` gives 60.000 / 60,000, `{{share, percent}}` (a 0..100 share)
 * gives 78,6% / 78.6%.
 */
const i18n = i18next.createInstance();
void i18n.init({
  resources: catalog,
  lng: DEFAULT_LANGUAGE,
  fallbackLng: false,
  ns: NAMESPACES,
  defaultNS: "common",
  initAsync: false,
  returnNull: false,
  keySeparator: false,
  interpolation: { escapeValue: false },
  showSupportNotice: false,
} as Parameters<typeof i18n.init>[0]);

const percentFormats = new Map<string, Intl.NumberFormat>();
i18n.services.formatter?.add("percent", (value: unknown, lng: string | undefined) => {
  const language = lng ?? DEFAULT_LANGUAGE;
  let format = percentFormats.get(language);
  if (!format) percentFormats.set(language, (format = new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 1 })));
  return typeof value === "number" ? format.format(value / 100) : String(value);
});

// i18next's typed overloads want literal keys; ours are checked by i18n.catalog.test.ts instead
const translate = i18n.t.bind(i18n) as unknown as (key: string, options: TOptions) => string;

export type MessageParams = Record<string, unknown>;

/** The text of `key` in the current request's language (or `language`). */
export function t(key: string, params: MessageParams = {}, language: Language = currentLanguage()): string {
  return translate(key, { ...params, lng: language });
}

/** Whether the catalog holds `key` in `language` (tests and the catalog check use it). */
export function hasMessage(key: string, language: Language): boolean {
  return i18n.exists(key, { lng: language });
}

/** A number as the language writes it (60.000 / 60,000), up to `digits` decimals. */
export function formatNumber(value: number, digits = 2, language: Language = currentLanguage()): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: digits }).format(value);
}

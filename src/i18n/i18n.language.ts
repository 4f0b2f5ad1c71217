import { AsyncLocalStorage } from "node:async_hooks";

/** The languages every text meant for a person comes in. Vietnamese first: the users are Vietnamese officials. */
export const LANGUAGES = ["vi", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "vi";

export const isLanguage = (value: unknown): value is Language => LANGUAGES.includes(value as Language);

const storage = new AsyncLocalStorage<Language>();

/** Runs `fn` (and everything it starts) speaking `language`. */
export function withLanguage<T>(language: Language, fn: () => T): T {
  return storage.run(language, fn);
}

/**
 * The language of the request the current code runs for. Outside a request (command-line tools, the
 * seed) it is APP_LANGUAGE when set, else Vietnamese.
 */
export function currentLanguage(): Language {
  const language = storage.getStore();
  if (language) return language;
  const fromEnv = process.env.APP_LANGUAGE;
  return isLanguage(fromEnv) ? fromEnv : DEFAULT_LANGUAGE;
}

/**
 * The best of our languages for an Accept-Language header (RFC 9110 quality values), Vietnamese when the
 * header is absent or names neither. `en-US` counts as `en`; `*` takes the default.
 */
export function languageFromHeader(header: string | string[] | undefined): Language {
  const value = Array.isArray(header) ? header.join(",") : header;
  if (!value) return DEFAULT_LANGUAGE;
  let best: { language: Language; q: number } | null = null;
  for (const part of value.split(",")) {
    const [tag = "", ...params] = part.trim().split(";");
    const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith("q="))?.slice(2) ?? "1");
    if (!(q > 0)) continue;
    const primary = tag.trim().toLowerCase().split("-")[0];
    const language = primary === "*" ? DEFAULT_LANGUAGE : primary;
    if (isLanguage(language) && (!best || q > best.q)) best = { language, q };
  }
  return best?.language ?? DEFAULT_LANGUAGE;
}

import type { GraphQLFormattedError } from "graphql";
import { LIMITS } from "./security.limits";

const cut = (text: string, keep: number) => `${text.slice(0, keep)}…[${text.length} characters]`;

/**
 * Shortens input echoed back in an error text: every quoted value (graphql-js and our own messages
 * quote input; backslash escapes honoured) and every unbroken run of characters outside quotes
 * longer than `keep`, then the whole text to `max`. One pass, linear: a 1 MB code is answered in a
 * few hundred bytes; ordinary messages are left alone.
 */
export function shortenEchoes(text: string, keep: number = LIMITS.echoChars, max: number = LIMITS.messageChars): string {
  if (text.length <= keep) return text;
  const run = new RegExp(`[^\\s"…]{${keep + 1},}`, "g");
  const runs = (part: string) => part.replace(run, (r) => cut(r, keep));
  let out = "";
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('"', i);
    if (open < 0) break;
    let close = open + 1;
    while (close < text.length && text[close] !== '"') close += text[close] === "\\" ? 2 : 1;
    if (close >= text.length) break; // unbalanced: the rest is treated as unquoted
    const inner = text.slice(open + 1, close);
    out += `${runs(text.slice(i, open))}"${inner.length > keep ? cut(inner, keep) : inner}"`;
    i = close + 1;
  }
  out += runs(text.slice(i));
  return out.length > max ? cut(out, max) : out;
}

/** Every string under an error extension (invalid rows' messages, keys, fields), shortened. */
function shortenDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return shortenEchoes(value);
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => shortenDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shortenDeep(v, depth + 1)]));
}

/** The error as sent, with echoed input shortened in its message, extensions and path. */
export function shortenFormattedError(error: GraphQLFormattedError): GraphQLFormattedError {
  return {
    ...error,
    message: shortenEchoes(error.message),
    ...(error.path ? { path: error.path.map((p) => (typeof p === "string" ? shortenEchoes(p) : p)) } : {}),
    ...(error.extensions ? { extensions: shortenDeep(error.extensions) as Record<string, unknown> } : {}),
  };
}

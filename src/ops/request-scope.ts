import { AsyncLocalStorage } from "node:async_hooks";
import crypto from "node:crypto";
import type { ErrorCode } from "../common/errors";
import { withLanguage, type Language } from "../i18n/i18n.language";

/** What the operations layer knows about one HTTP request while it runs. */
export interface RequestScope {
  requestId: string;
  startedAt: bigint;
  /** GraphQL operation name once Apollo resolved it */
  operation?: string;
  /** the verified caller, once the token is checked (for the access-log line) */
  caller?: { subject: string; unit: string };
  /** codes of the errors the client got, as src/common/format-error.ts reported them */
  errorCodes: ErrorCode[];
  /** the language of every text meant for a person in the answer (Accept-Language, Vietnamese when absent) */
  language: Language;
  /** a query's answer already written as bytes (src/schema/prepared-answer.ts), sent in place of Apollo's text */
  preparedAnswer?: Buffer;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** The scope of the request the current code runs for, if any. */
export function currentScope(): RequestScope | undefined {
  return storage.getStore();
}

/** Runs `fn` (and everything it starts) inside `scope`. */
export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, () => withLanguage(scope.language, fn));
}

/** Fields pino adds to every log line written while a request runs. */
export function logFields(): Record<string, unknown> {
  const scope = storage.getStore();
  return scope ? { requestId: scope.requestId } : {};
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** A caller's x-request-id when it is a sane token, else a fresh UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID.test(value) ? value : crypto.randomUUID();
}

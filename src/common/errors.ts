import { t } from "../i18n/i18n";

/**
 * The error vocabulary. Every code a client can meet, in GraphQL's `extensions.code` or in the
 * `error.code` of a CSV or other JSON answer, is an ErrorCode; HTTP_STATUS gives each its status
 * wherever the code decides it (CSV downloads, a request refused before GraphQL runs: bad token,
 * unavailable database, body too large). Errors of single fields keep HTTP 200, as GraphQL over HTTP
 * wants. A new code is one line in each (the compiler refuses a code without a status).
 *
 * Services throw the small classes below; src/common/format-error.ts turns any failure into a
 * client error, logs it and records it, once.
 */
export type ErrorCode =
  // the request itself is malformed (GraphQL and Apollo produce most of these)
  | "BAD_REQUEST"
  | "GRAPHQL_PARSE_FAILED"
  | "GRAPHQL_VALIDATION_FAILED"
  | "OPERATION_RESOLUTION_FAILURE"
  | "PERSISTED_QUERY_NOT_FOUND"
  | "PERSISTED_QUERY_NOT_SUPPORTED"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  // the caller's input, identity or rights
  | "BAD_USER_INPUT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "TOO_MANY_SUBSCRIPTIONS"
  // the server: retry later, or a bug
  | "TIMEOUT"
  | "SERVICE_UNAVAILABLE"
  | "INTERNAL_SERVER_ERROR";

export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  OPERATION_RESOLUTION_FAILURE: 400,
  // automatic persisted queries: 200 tells the client to resend with the full query (Apollo's choice)
  PERSISTED_QUERY_NOT_FOUND: 200,
  PERSISTED_QUERY_NOT_SUPPORTED: 200,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  // live roll-ups: the token already holds MAX_SUBSCRIPTIONS_PER_TOKEN subscriptions (src/subscription/)
  TOO_MANY_SUBSCRIPTIONS: 429,
  TIMEOUT: 504,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(HTTP_STATUS, value);
}

/** One small error class per failure, each with a stable code. */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  readonly code = "NOT_FOUND";
  constructor(what: string, key: string) {
    // `what` stays the English identifier in extensions; the message names it in the request's language
    super(t("common:notFound", { what: t(`common:thing.${what.replaceAll(" ", "")}`), key }), { what, key });
  }
}

/** A code that names no unit on the date asked, though it named one (or several) on other dates. */
export class UnitNotOnDateError extends DomainError {
  readonly code = "NOT_FOUND";
  constructor(code: string, asOf: string, spans: Array<{ name: string; validFrom: string; validTo: string | null }>) {
    const named = spans.map((s) => t(s.validTo ? "common:unitSpanUntil" : "common:unitSpan", s)).join(t("common:unitSpanJoin"));
    super(t("common:unitNotOnDate", { code, asOf, named }), {
      what: "Org unit",
      key: code,
      asOf,
      validSpans: spans.map((s) => ({ validFrom: s.validFrom, validTo: s.validTo })),
    });
  }
}

export class BadUserInputError extends DomainError {
  readonly code = "BAD_USER_INPUT";
  constructor(message: string, field?: string, details: Record<string, unknown> = {}) {
    super(message, field ? { field, ...details } : details);
  }
}

export class UnauthenticatedError extends DomainError {
  readonly code = "UNAUTHENTICATED";
  constructor() {
    super(t("common:unauthenticated"));
  }
}

export class ForbiddenError extends DomainError {
  readonly code = "FORBIDDEN";
}

export class ConflictError extends DomainError {
  readonly code = "CONFLICT";
}

/** A request body or uploaded file over a documented limit (details say which). */
export class PayloadTooLargeError extends DomainError {
  readonly code = "PAYLOAD_TOO_LARGE";
}

/** An uploaded file of a kind the route does not read (the message says what to send instead). */
export class UnsupportedFileError extends DomainError {
  readonly code = "UNSUPPORTED_MEDIA_TYPE";
  constructor(message: string) {
    super(message, { field: "file" });
  }
}

/** A statement ran past statement_timeout and PostgreSQL cancelled it. */
export class TimeoutError extends DomainError {
  readonly code = "TIMEOUT";
  constructor(cause?: unknown) {
    super(t("common:timeout"), {}, { cause });
  }
}

/** The database cannot be reached or has no free connection; the client may retry. */
export class ServiceUnavailableError extends DomainError {
  readonly code = "SERVICE_UNAVAILABLE";
  constructor(cause?: unknown) {
    super(t("common:unavailable"), {}, { cause });
  }
}

/** A failure of ours, with a message safe to show (the cause is logged, never sent). */
export class InternalError extends DomainError {
  readonly code = "INTERNAL_SERVER_ERROR";
  constructor(message: string, cause?: unknown) {
    super(message, {}, { cause });
  }
}

/** A PostgreSQL unique_violation (23505): another row already holds the key. */
export const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === "23505";
/** An exclusion constraint (a code's validity overlapping another unit's with that code). */
export const isExclusionViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === "23P01";

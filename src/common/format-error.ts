import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { HeaderMap } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { ArgumentValidationError } from "type-graphql";
import { getMetadataStorage, type ValidationError } from "class-validator";
import { hasMessage, t } from "../i18n/i18n";
import { currentLanguage } from "../i18n/i18n.language";
import { isDatabaseUnavailable } from "../ops/db-errors";
import { currentScope } from "../ops/request-scope";
import { DomainError, HTTP_STATUS, ServiceUnavailableError, TimeoutError, isErrorCode, type ErrorCode } from "./errors";
import { logger } from "./logger";

/**
 * The one place a failure becomes what the client sees: classified into an ErrorCode with a safe
 * message (no stack trace, no SQL), logged once, recorded for the request's access-log line, and
 * given the request id. Apollo calls it for every GraphQL error (formatError); the CSV routes, the
 * request context and express's last error handler call it for theirs.
 */

/** What a failure means for the client, and how loudly to log it. */
export interface ClientError {
  code: ErrorCode;
  message: string;
  /** extensions beside code and requestId (field, limits, the key not found…) */
  details: Record<string, unknown>;
  level: "info" | "warn" | "error";
  /** logged with the line (warn and error), never sent */
  cause?: unknown;
}

/** PostgreSQL errors that mean the input broke a rule the database enforces. */
const PG_INPUT_ERRORS: Record<string, string> = {
  "22P02": "common:pgWrongFormat",
  "22003": "common:pgOutOfRange",
  "22007": "common:pgDateFormat",
  "22008": "common:pgDateRange",
  "23502": "common:pgMissing",
  "23503": "common:pgMissingReference",
  "23505": "common:pgDuplicate",
  "23514": "common:pgRule",
};

/**
 * A constraint's message in the request's language: the input class's own message when it gave one
 * (a function of the catalog), else the catalog's text for the constraint, with its parameters
 * (`@MaxLength(20)` → {{0}} = 20) read from class-validator's metadata.
 */
function constraintMessage(e: ValidationError, field: string, name: string, given: string): string {
  const target = e.target?.constructor;
  const meta = target
    ? getMetadataStorage()
        .getTargetValidationMetadatas(target, "", true, false)
        .find((m) => m.propertyName === e.property && (m.name === name || m.type === name))
    : undefined;
  if (meta?.message !== undefined || !hasMessage(`common:validation.${name}`, currentLanguage())) return given;
  const params = Object.fromEntries((meta?.constraints ?? []).map((c, i) => [String(i), Array.isArray(c) ? c.join(", ") : c]));
  return t(`common:validation.${name}`, { field, ...params });
}

function flattenValidation(errors: ValidationError[], prefix = ""): Array<{ field: string; message: string }> {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([name, message]) => ({ field, message: constraintMessage(e, field, name, message) }));
    return [...own, ...flattenValidation(e.children ?? [], field)];
  });
}

/** The error and what it wraps (GraphQL's originalError, `cause`, TypeORM's driverError), outermost first. */
function chainOf(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current && typeof current === "object" && chain.length < 6; ) {
    chain.push(current);
    const next = current as { originalError?: unknown; cause?: unknown; driverError?: unknown };
    current = next.originalError ?? next.driverError ?? next.cause;
  }
  return chain;
}

const internal = (cause: unknown): ClientError => ({
  code: "INTERNAL_SERVER_ERROR",
  message: t("common:internal"),
  details: {},
  level: "error",
  cause,
});

function fromDomain(domain: DomainError): ClientError {
  const level = domain.code === "INTERNAL_SERVER_ERROR" ? "error" : domain.code === "SERVICE_UNAVAILABLE" || domain.code === "TIMEOUT" ? "warn" : "info";
  return { code: domain.code, message: domain.message, details: domain.details, level, cause: domain.cause ?? domain };
}

/** Classifies any failure. Pure: logs nothing. */
export function classifyError(error: unknown): ClientError {
  const chain = chainOf(error);
  const domain = chain.find((e): e is DomainError => e instanceof DomainError);
  if (domain) return fromDomain(domain);
  const validation = chain.find((e): e is ArgumentValidationError => e instanceof ArgumentValidationError);
  if (validation) {
    const fields = flattenValidation((validation.extensions.validationErrors ?? []) as ValidationError[]);
    const message = t("common:invalidInput", { problems: fields.map((f) => f.message).join("; ") });
    return { code: "BAD_USER_INPUT", message, details: { field: fields[0]?.field, fields }, level: "info" };
  }
  if (isDatabaseUnavailable(error)) return fromDomain(new ServiceUnavailableError(error));
  const pgCode = chain.map((e) => (e as { code?: unknown }).code).find((c): c is string => typeof c === "string");
  if (pgCode) {
    if (PG_INPUT_ERRORS[pgCode]) return { code: "BAD_USER_INPUT", message: t(PG_INPUT_ERRORS[pgCode]!), details: {}, level: "info" };
    if (pgCode === "40001" || pgCode === "40P01") {
      return { code: "CONFLICT", message: t("common:concurrentChange"), details: {}, level: "info" };
    }
    if (pgCode === "42501") {
      // row-level security refused a row the service's own checks let through: a missing check to
      // fix (hence warn), but for the caller simply out of scope
      return { code: "FORBIDDEN", message: t("common:outsideScope"), details: {}, level: "warn", cause: error };
    }
    if (pgCode === "57014") return fromDomain(new TimeoutError(error));
  }
  const http = chain.find((e): e is { status: number; type?: string; limit?: number } => typeof (e as { status?: unknown }).status === "number");
  if (http && http.status >= 400 && http.status < 500 && (http as { expose?: unknown }).expose) {
    // express middleware (body parser): the body was too large or not JSON
    if (http.status === 413) {
      const limit = typeof http.limit === "number" ? t("common:bodyLimit", { bytes: http.limit }) : "";
      return { code: "PAYLOAD_TOO_LARGE", message: t("common:bodyTooLarge", { limit }), details: {}, level: "info" };
    }
    const message = t(http.type === "entity.parse.failed" ? "common:bodyNotJson" : "common:badRequest");
    return { code: "BAD_REQUEST", message, details: {}, level: "info" };
  }
  // GraphQL's and Apollo's own errors (syntax, validation, variables, our validation rules) are safe
  // as they are; a resolver's error of another kind is not (unwrapResolverError finds it).
  const top = unwrapResolverError(error);
  if (top instanceof GraphQLError) {
    const { code, stacktrace: _s, http: _h, ...details } = top.extensions ?? {};
    if (isErrorCode(code) && code !== "INTERNAL_SERVER_ERROR") return { code, message: top.message, details, level: "info" };
  }
  return internal(chain.at(-1) ?? error); // the innermost error: the one worth reading in the log
}

const LOG_MESSAGE: Partial<Record<ErrorCode, string>> = {
  INTERNAL_SERVER_ERROR: "unexpected error",
  SERVICE_UNAVAILABLE: "database unavailable",
  TIMEOUT: "statement cancelled by statement_timeout",
  FORBIDDEN: "row-level security refused a write",
};

/**
 * Classifies, logs one line, records the code on the request's scope (for its access-log line and
 * metrics) and adds the request id. Returns the error as the client gets it.
 */
export function reportError(error: unknown, located: Pick<GraphQLFormattedError, "locations" | "path"> = {}): GraphQLFormattedError {
  const client = classifyError(error);
  const scope = currentScope();
  scope?.errorCodes.push(client.code);
  const fields = { code: client.code, operation: scope?.operation, path: located.path };
  if (client.level === "info") logger.info(fields, client.message);
  else logger[client.level]({ ...fields, err: client.cause }, LOG_MESSAGE[client.code] ?? client.message);
  return {
    message: client.message,
    locations: located.locations,
    path: located.path,
    extensions: { code: client.code, ...client.details, ...(scope ? { requestId: scope.requestId } : {}) },
  };
}

/** Apollo's formatError hook. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  return reportError(error, formatted);
}

/** Headers an error asks its HTTP answer to carry (a token error's WWW-Authenticate challenge). */
function httpHeadersOf(error: unknown): HeaderMap | undefined {
  const headers = chainOf(error)
    .map((e) => (e as { httpHeaders?: unknown }).httpHeaders)
    .find((h): h is Record<string, string> => typeof h === "object" && h !== null);
  return headers ? new HeaderMap(Object.entries(headers)) : undefined;
}

/**
 * For a failure before GraphQL runs (building the request context): the same classification, as a
 * GraphQLError carrying the HTTP status of its code (and the headers the error asks for), for Apollo
 * to answer and to format through formatError (which logs it, with the error's details: a token's
 * `reason`).
 */
export function requestError(error: unknown): GraphQLError {
  const { code, message } = classifyError(error);
  const headers = httpHeadersOf(error);
  return new GraphQLError(message, {
    originalError: error instanceof Error ? error : undefined,
    extensions: { code, http: { status: HTTP_STATUS[code], ...(headers ? { headers } : {}) } },
  });
}

/** The HTTP status a client error with this code answers outside GraphQL. */
export function httpStatusOf(formatted: GraphQLFormattedError): number {
  const code = formatted.extensions?.code;
  return isErrorCode(code) ? HTTP_STATUS[code] : 500;
}

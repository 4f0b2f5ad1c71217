import express from "express";
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { ApolloServerOptions } from "@apollo/server";
import type { RequestContext } from "../context";
import { logger } from "../common/logger";
import { LIMITS } from "./security.limits";
import { securityValidationRules } from "./security.rules";

export { LIMITS } from "./security.limits";
export { securityPlugin } from "./security.plugin";

type Hardening = Pick<
  ApolloServerOptions<RequestContext>,
  | "validationRules"
  | "parseOptions"
  | "maxRecursiveSelections"
  | "validationOptions"
  | "introspection"
  | "hideSchemaDetailsFromClientErrors"
  | "includeStacktraceInErrorResponses"
  | "csrfPrevention"
  | "allowBatchedHttpRequests"
>;

/**
 * Apollo options that harden the API; spread them into the ApolloServer options after the others,
 * and add `securityPlugin` to the plugins.
 * - limits on tokens (parser), selections with fragments expanded, depth, aliases, directives, cost,
 *   mutation fields (one per operation), and argument values (securityPlugin);
 * - in production: `__schema` refused (`__type` still answers, as GraphQL-over-HTTP audits need),
 *   and no "did you mean" suggestions;
 * - no stack traces, CSRF prevention on, no batched arrays;
 * - anonymous callers get nothing but `__typename`/`__type`.
 */
export function hardening(options: { production: boolean }): Hardening {
  return {
    validationRules: securityValidationRules(options),
    // Apollo answers 400 GRAPHQL_PARSE_FAILED (graphql-armor's own token limit would answer 500).
    parseOptions: { maxTokens: LIMITS.tokens },
    maxRecursiveSelections: LIMITS.selections,
    // stop validating a hopeless document early (100 duplicated directives would give 99 errors)
    validationOptions: { maxErrors: LIMITS.validationErrors },
    // Introspection stays technically on so `__type` answers; `__schema` is refused by a rule in production.
    introspection: true,
    hideSchemaDetailsFromClientErrors: options.production,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
  };
}

/** JSON body parser with the size limit (a larger body answers 413 PAYLOAD_TOO_LARGE). */
export function jsonBody(): RequestHandler {
  return express.json({ limit: LIMITS.bodyBytes });
}

/**
 * Last error handler of the app: bodies too large or not JSON, and anything unexpected, answer a
 * GraphQL-shaped JSON error with a code and no stack trace (express's default handler would print
 * the stack outside production).
 */
export const securityErrorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  const e = error as { status?: number; statusCode?: number; type?: string; expose?: boolean };
  const status = e.status ?? e.statusCode ?? 500;
  const requestId = (req.headers["x-request-id"] as string | undefined)?.slice(0, 64);
  let code = "INTERNAL_SERVER_ERROR";
  let message = "Internal server error.";
  if (status === 413) {
    code = "PAYLOAD_TOO_LARGE";
    message = `The request body is larger than ${LIMITS.bodyBytes} bytes.`;
  } else if (e.type === "entity.parse.failed") {
    code = "BAD_REQUEST";
    message = "The request body is not valid JSON.";
  } else if (status >= 400 && status < 500) {
    code = "BAD_REQUEST";
    message = "The request could not be understood.";
  }
  if (status >= 500) logger.error({ err: error, requestId }, "request failed");
  else logger.info({ requestId, code, status }, message);
  res.status(status >= 400 && status < 600 ? status : 500).json({ errors: [{ message, extensions: { code, ...(requestId ? { requestId } : {}) } }] });
};

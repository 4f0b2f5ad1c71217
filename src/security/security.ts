import express from "express";
import type { RequestHandler } from "express";
import type { ApolloServerOptions } from "@apollo/server";
import type { RequestContext } from "../context";
import { LIMITS } from "./security.limits";
import { securityValidationRules } from "./security.rules";

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

import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { ArgumentValidationError } from "type-graphql";
import type { ValidationError } from "class-validator";
import { DomainError } from "./errors";
import { logger } from "./logger";

/** Codes GraphQL and Apollo themselves produce, safe to pass through as they are. */
const PASS_THROUGH = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
]);

/** PostgreSQL errors that mean the input broke a rule the database enforces. */
const PG_INPUT_ERRORS: Record<string, string> = {
  "22P02": "A value has the wrong format.",
  "22003": "A number is out of range.",
  "22007": "A date has the wrong format.",
  "22008": "A date is out of range.",
  "23502": "A required value is missing.",
  "23503": "A referenced record does not exist.",
  "23505": "This record already exists.",
  "23514": "A value breaks a rule of the data model.",
};

function flattenValidation(errors: ValidationError[], prefix = ""): Array<{ field: string; message: string }> {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidation(e.children ?? [], field)];
  });
}

/**
 * The one place errors become GraphQL errors: our domain errors keep their code and details,
 * validation errors name their fields, everything unexpected becomes INTERNAL_SERVER_ERROR with
 * no stack trace or SQL (it is logged instead).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { locations: formatted.locations, path: formatted.path };
  if (original instanceof DomainError) {
    return { ...base, message: original.message, extensions: { code: original.code, ...original.details } };
  }
  if (original instanceof ArgumentValidationError) {
    const fields = flattenValidation((original.extensions.validationErrors ?? []) as ValidationError[]);
    const message = `Invalid input: ${fields.map((f) => f.message).join("; ")}.`;
    return { ...base, message, extensions: { code: "BAD_USER_INPUT", field: fields[0]?.field, fields } };
  }
  const pgCode = (original as { code?: unknown } | null)?.code;
  if (typeof pgCode === "string") {
    if (PG_INPUT_ERRORS[pgCode]) {
      return { ...base, message: PG_INPUT_ERRORS[pgCode]!, extensions: { code: "BAD_USER_INPUT" } };
    }
    if (pgCode === "40001" || pgCode === "40P01") {
      return { ...base, message: "A concurrent change got in the way; retry.", extensions: { code: "CONFLICT" } };
    }
    if (pgCode === "42501") {
      // row-level security refused a row the service's own checks let through: a missing check to fix,
      // but for the caller simply out of scope
      logger.warn({ err: original }, "row-level security refused a write");
      return { ...base, message: "This change lies outside your unit's scope.", extensions: { code: "FORBIDDEN" } };
    }
    if (pgCode === "57014") {
      return { ...base, message: "The query took too long and was cancelled.", extensions: { code: "TIMEOUT" } };
    }
  }
  const code = formatted.extensions?.code;
  if (typeof code === "string" && PASS_THROUGH.has(code) && (original instanceof GraphQLError || !original)) {
    const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  logger.error({ err: original }, "unexpected error");
  return { ...base, message: "Internal server error.", extensions: { code: "INTERNAL_SERVER_ERROR" } };
}

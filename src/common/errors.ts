/**
 * One small error class per failure, each with a stable code. They are mapped to GraphQL errors
 * once, at the edge (src/common/format-error.ts); services just throw them.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  readonly code = "NOT_FOUND";
  constructor(what: string, key: string) {
    super(`${what} "${key}" was not found.`, { what, key });
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
    super("Authentication required: send a valid bearer token.");
  }
}

export class ForbiddenError extends DomainError {
  readonly code = "FORBIDDEN";
}

export class ConflictError extends DomainError {
  readonly code = "CONFLICT";
}

/** A PostgreSQL unique_violation (23505): another row already holds the key. */
export const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === "23505";

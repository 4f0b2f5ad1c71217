import { GraphQLError } from "graphql";
import { classifyError, formatError, requestError } from "./format-error";
import { HTTP_STATUS, InternalError, NotFoundError, ServiceUnavailableError, TimeoutError, UnauthenticatedError, type ErrorCode } from "./errors";

/** A driver error as pg raises it: a code, SQL in the message. */
const pgError = (code: string) => Object.assign(new Error(`SELECT secret FROM org_unit -- failed (${code})`), { code });
// as a resolver's error reaches formatError: a GraphQLError with a path, wrapping the thrown one
const wrapped = (original: Error) => new GraphQLError(original.message, { originalError: original, path: ["field"] });
const format = (original: Error) => formatError({ message: original.message, extensions: {} }, wrapped(original));

describe("formatError maps failures once, at the edge", () => {
  it.each([
    ["23505", "BAD_USER_INPUT"],
    ["23514", "BAD_USER_INPUT"],
    ["40001", "CONFLICT"],
    ["40P01", "CONFLICT"],
    ["42501", "FORBIDDEN"],
    ["57014", "TIMEOUT"],
    ["XX000", "INTERNAL_SERVER_ERROR"],
  ])("PostgreSQL %s answers %s, without the SQL", (pgCode, code) => {
    const out = format(pgError(pgCode));
    expect(out.extensions?.code).toBe(code);
    expect(JSON.stringify(out)).not.toMatch(/SELECT|org_unit|secret/);
  });

  it("a domain error keeps its code and details", () => {
    const out = format(new NotFoundError("Org unit", "999"));
    expect(out).toMatchObject({ message: 'Org unit "999" was not found.', extensions: { code: "NOT_FOUND", key: "999" } });
  });

  it("an unexpected error says nothing of its stack", () => {
    const out = format(new TypeError("cannot read x of undefined"));
    expect(out).toMatchObject({ message: "Internal server error.", extensions: { code: "INTERNAL_SERVER_ERROR" } });
    expect(JSON.stringify(out)).not.toMatch(/stack|undefined/);
  });
});

describe("one vocabulary", () => {
  it.each<[ErrorCode, number]>([
    ["BAD_USER_INPUT", 400],
    ["UNAUTHENTICATED", 401],
    ["FORBIDDEN", 403],
    ["NOT_FOUND", 404],
    ["CONFLICT", 409],
    ["PAYLOAD_TOO_LARGE", 413],
    ["INTERNAL_SERVER_ERROR", 500],
    ["SERVICE_UNAVAILABLE", 503],
    ["TIMEOUT", 504],
  ])("%s answers HTTP %i where the code decides the status", (code, status) => {
    expect(HTTP_STATUS[code]).toBe(status);
  });

  it("cannot leave a code without a status (a compile error, checked by tsc)", () => {
    const { TIMEOUT: _timeout, ...withoutTimeout } = HTTP_STATUS;
    // @ts-expect-error TIMEOUT is missing: Record<ErrorCode, number> must name every code
    const incomplete: Record<ErrorCode, number> = withoutTimeout;
    expect(Object.keys(incomplete)).not.toContain("TIMEOUT");
  });

  it.each<[string, unknown, ErrorCode, string]>([
    ["a statement_timeout", new TimeoutError(), "TIMEOUT", "warn"],
    ["an unreachable database", new ServiceUnavailableError(), "SERVICE_UNAVAILABLE", "warn"],
    ["a refused connection", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }), "SERVICE_UNAVAILABLE", "warn"],
    ["a failed commit", new InternalError("The change could not be saved; nothing was written. Retry.", new Error("deferred check")), "INTERNAL_SERVER_ERROR", "error"],
    ["a body over the limit", Object.assign(new Error("request entity too large"), { status: 413, expose: true, type: "entity.too.large", limit: 100 }), "PAYLOAD_TOO_LARGE", "info"],
    ["a body that is not JSON", Object.assign(new Error("Unexpected token"), { status: 400, expose: true, type: "entity.parse.failed" }), "BAD_REQUEST", "info"],
    ["a GraphQL error of an unknown code", new GraphQLError("odd", { extensions: { code: "SOMETHING_ELSE" } }), "INTERNAL_SERVER_ERROR", "error"],
    ["a GraphQL validation error", new GraphQLError("Too deep", { extensions: { code: "GRAPHQL_VALIDATION_FAILED", max: 8 } }), "GRAPHQL_VALIDATION_FAILED", "info"],
  ])("classifies %s as %s (logged at %s)", (_name, error, code, level) => {
    expect(classifyError(error)).toMatchObject({ code, level });
  });

  it("a failure while building the request context keeps its classification and gets its code's HTTP status", () => {
    expect(requestError(new UnauthenticatedError()).extensions).toEqual({ code: "UNAUTHENTICATED", http: { status: 401 } });
    const unavailable = requestError(Object.assign(new Error("timeout exceeded when trying to connect"), {}));
    expect(unavailable.extensions).toEqual({ code: "SERVICE_UNAVAILABLE", http: { status: 503 } });
    expect(unavailable.message).toBe("The database is unavailable right now; retry shortly.");
    const bug = requestError(new TypeError("x is undefined"));
    expect(bug.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR", http: { status: 500 } });
    expect(bug.message).toBe("Internal server error.");
    // and formatting it again (Apollo does) gives the same answer
    expect(formatError({ message: bug.message }, bug)).toMatchObject({ message: "Internal server error.", extensions: { code: "INTERNAL_SERVER_ERROR" } });
  });
});

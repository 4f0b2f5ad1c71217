import { GraphQLError } from "graphql";
import { formatError } from "./format-error";
import { NotFoundError } from "./errors";

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

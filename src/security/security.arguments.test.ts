import { buildSchema, parse, type OperationDefinitionNode } from "graphql";
import { checkArgumentValues } from "./security.arguments";

const schema = buildSchema(`
  type Query { unit(code: String!): Unit, search(text: String, codes: [String!]): [Unit!]! }
  type Unit { code: String!, children(after: String): [Unit!]! }
  input Row { unitCode: String!, note: String, tags: [String!] }
  input Batch { rows: [Row!]!, key: String }
  type Mutation { submit(input: Batch!): Int!, rename(code: ID!, name: String!): Unit }
`);

const limits = { stringLength: 20, listItems: 5 };

function check(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === "OperationDefinition") as OperationDefinitionNode;
  const error = checkArgumentValues(schema, document, operation, variables, limits);
  return error ? { code: error.extensions.code, field: error.extensions.field ?? error.extensions.limit, message: error.message } : null;
}

describe("checkArgumentValues", () => {
  it.each([
    ["a plain literal", `{ unit(code: "22") { code } }`, {}, null],
    ["NUL in a literal", `{ unit(code: "2\\u00002") { code } }`, {}, "BAD_USER_INPUT code"],
    ["NUL in a variable", `query($c: String!) { unit(code: $c) { code } }`, { c: "a\0" }, "BAD_USER_INPUT code"],
    ["NUL nested in an input object in a list", `mutation($i: Batch!) { submit(input: $i) }`, { i: { rows: [{ unitCode: "1" }, { unitCode: "2", note: "x\0" }] } }, "BAD_USER_INPUT input.rows.1.note"],
    ["NUL nested in a literal list", `mutation { submit(input: { rows: [{ unitCode: "1", tags: ["a", "b\\u0000"] }] }) }`, {}, "BAD_USER_INPUT input.rows.0.tags.1"],
    ["NUL in an ID", `mutation { rename(code: "1\\u0000", name: "n") { code } }`, {}, "BAD_USER_INPUT code"],
    ["NUL in a nested field's argument", `{ unit(code: "22") { children(after: "\\u0000") { code } } }`, {}, "BAD_USER_INPUT after"],
    ["NUL under a fragment", `{ unit(code: "22") { ...F } } fragment F on Unit { children(after: "\\u0000") { code } }`, {}, "BAD_USER_INPUT after"],
    ["NUL under __type", `{ __type(name: "Unit\\u0000") { name } }`, {}, "BAD_USER_INPUT name"],
    ["a string at the cap", `query($c: String!) { unit(code: $c) { code } }`, { c: "x".repeat(20) }, null],
    ["a string over the cap", `query($c: String!) { unit(code: $c) { code } }`, { c: "x".repeat(21) }, "BAD_USER_INPUT code"],
    ["a long string deep in a batch", `mutation($i: Batch!) { submit(input: $i) }`, { i: { rows: [{ unitCode: "y".repeat(21) }] } }, "BAD_USER_INPUT input.rows.0.unitCode"],
    ["NUL in a variable's default", `query($c: String = "a\\u0000") { unit(code: $c) { code } }`, {}, "BAD_USER_INPUT code"],
    ["a given variable wins over its default", `query($c: String = "a\\u0000") { unit(code: $c) { code } }`, { c: "22" }, null],
    ["NUL in a variable inside a literal", `mutation($n: String) { submit(input: { rows: [{ unitCode: "1", note: $n }] }) }`, { n: "\0" }, "BAD_USER_INPUT input.rows.0.note"],
    ["a single value where a list is expected", `query($c: String!) { search(codes: $c) { code } }`, { c: "\0" }, "BAD_USER_INPUT codes.0"],
    ["a single literal where a list is expected", `{ search(codes: "\\u0000") { code } }`, {}, "BAD_USER_INPUT codes.0"],
    ["variables not used are not looked at", `{ unit(code: "22") { code } }`, { unused: "\0" }, null],
    ["list items at the cap", `mutation($i: Batch!) { submit(input: $i) }`, { i: { rows: [1, 2, 3, 4, 5].map((n) => ({ unitCode: `${n}` })) } }, null],
    ["list items over the cap", `{ search(codes: ["1", "2", "3", "4", "5", "6"]) { code } }`, {}, "GRAPHQL_VALIDATION_FAILED inputListItems"],
    [
      "a variable reused under aliases counts at each use",
      `query($c: [String!]) { a: search(codes: $c) { code } b: search(codes: $c) { code } }`,
      { c: ["1", "2", "3"] },
      "GRAPHQL_VALIDATION_FAILED inputListItems",
    ],
    ["variables that do not coerce are left to execution", `query($c: String!) { unit(code: $c) { code } }`, { c: 12 }, null],
  ])("%s", (_name, query, variables, expected) => {
    const result = check(query, variables);
    expect(result && `${result.code} ${result.field}`).toBe(expected);
  });

  it("names the field and the path, and never echoes the value", () => {
    const result = check(`mutation($i: Batch!) { submit(input: $i) }`, { i: { rows: [{ unitCode: "1", note: `${"z".repeat(30)}` }] } });
    expect(result?.message).toBe("submit: input.rows.0.note is 30 characters long; the limit is 20.");
    expect(check(`{ unit(code: "a\\u0000b") { code } }`)?.message).toBe(
      "unit: code contains a NUL character (U+0000), which text cannot hold; remove it.",
    );
  });
});

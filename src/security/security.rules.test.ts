import { buildSchema, parse, validate, type OperationDefinitionNode, type ValidationRule } from "graphql";
import { maxAliasesRule, maxDepthRule, maxDirectivesRule, noSchemaIntrospectionRule, operationCost, selectionDepth } from "./security.rules";
import { LIMITS } from "./security.limits";

const schema = buildSchema(`
  type Query { unit(code: String!): Unit, units(first: Int! = 50): UnitPage!, catalog: [Item!]! }
  type Unit { code: String!, parent: Unit, children(first: Int! = 50): UnitPage!, ancestors: [Unit!]! }
  type UnitPage { totalCount: Int!, nodes: [Unit!]! }
  type Item { code: String! }
`);

function cost(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  return operationCost(schema, document, document.definitions[0] as OperationDefinitionNode, variables);
}

describe("operationCost", () => {
  it.each([
    ["one scalar", `{ unit(code: "22") { code } }`, {}, 2],
    ["a page's totalCount alone is cheap", `{ units(first: 1000000) { totalCount } }`, {}, 2],
    ["a page's nodes count once per item", `{ units(first: 10) { nodes { code } } }`, {}, 1 + (1 + 10 * 1)],
    ["the argument's default size", `{ units { nodes { code } } }`, {}, 1 + (1 + 50 * 1)],
    ["a variable's value", `query($n: Int!) { units(first: $n) { nodes { code } } }`, { n: 7 }, 1 + (1 + 7 * 1)],
    ["an unbounded list counts defaultListSize", `{ catalog { code } }`, {}, 1 + LIMITS.defaultListSize],
    [
      "nested pages multiply",
      `{ units(first: 200) { nodes { children(first: 200) { nodes { code } } } } }`,
      {},
      1 + (1 + 200 * (1 + (1 + 200 * 1))),
    ],
    ["fragments count where they are spread", `{ unit(code: "1") { ...F parent { ...F } } } fragment F on Unit { code }`, {}, 1 + (1 + 1 + 1)],
    ["introspection fields count 1", `{ __typename unit(code: "1") { __typename } }`, {}, 1 + 2],
  ])("%s", (_name, query, variables, expected) => {
    expect(cost(query, variables as Record<string, unknown>)).toBe(expected);
  });
});

describe("selectionDepth", () => {
  it.each([
    [`{ unit(code: "1") { code } }`, 2],
    [`{ unit(code: "1") { parent { parent { code } } } }`, 4],
    [`{ unit(code: "1") { ...F } } fragment F on Unit { parent { code } }`, 3],
    [`{ __schema { types { fields { type { ofType { ofType { name } } } } } } }`, 0],
  ])("%s is %i deep", (query, expected) => {
    const document = parse(query);
    const fragments = new Map(document.definitions.filter((d) => d.kind === "FragmentDefinition").map((d: any) => [d.name.value, d]));
    expect(selectionDepth((document.definitions[0] as OperationDefinitionNode).selectionSet, fragments)).toBe(expected);
  });
});

describe("validation rules", () => {
  const errors = (query: string, rule: ValidationRule) =>
    validate(schema, parse(query), [rule]).map((e) => e.extensions?.limit ?? e.message);
  it.each([
    ["depth within", `{ unit(code: "1") { parent { code } } }`, maxDepthRule(3), []],
    ["depth over", `{ unit(code: "1") { parent { parent { code } } } }`, maxDepthRule(3), ["depth"]],
    ["aliases within", `{ a: unit(code: "1") { code } }`, maxAliasesRule(1), []],
    ["aliases of __typename count", `{ a: __typename b: __typename }`, maxAliasesRule(1), ["aliases"]],
    ["directives over", `{ unit(code: "1") @include(if: true) { code @skip(if: false) } }`, maxDirectivesRule(1), ["directives"]],
    ["__schema refused", `{ __schema { queryType { name } } }`, noSchemaIntrospectionRule, ["Introspection of the schema is disabled."]],
    ["__type allowed", `{ __type(name: "Unit") { name } }`, noSchemaIntrospectionRule, []],
  ])("%s", (_name, query, rule, expected) => {
    expect(errors(query, rule)).toEqual(expected);
  });
});

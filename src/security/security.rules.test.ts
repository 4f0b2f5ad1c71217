import { buildSchema, parse, validate, type OperationDefinitionNode, type ValidationRule } from "graphql";
import {
  directiveProblem,
  maxAliasesRule,
  maxDepthRule,
  maxDirectivesRule,
  maxMutationFieldsRule,
  noSchemaIntrospectionRule,
  operationCost,
  selectionDepth,
} from "./security.rules";
import { LIMITS } from "./security.limits";

const schema = buildSchema(`
  type Query { unit(code: String!): Unit, units(first: Int! = 50): UnitPage!, catalog: [Item!]! }
  type Unit { code: String!, parent: Unit, children(first: Int! = 50): UnitPage!, ancestors: [Unit!]! }
  type UnitPage { totalCount: Int!, nodes: [Unit!]! }
  type Item { code: String! }
  type Mutation { submit(n: Int): Int, rename(code: String): Unit }
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
    ["one mutation", `mutation { submit(n: 1) }`, maxMutationFieldsRule(1), []],
    ["one mutation and __typename", `mutation { __typename submit(n: 1) }`, maxMutationFieldsRule(1), []],
    ["two aliased mutations", `mutation { a: submit(n: 1) b: submit(n: 2) }`, maxMutationFieldsRule(1), ["mutationFields"]],
    ["two different mutations", `mutation { submit(n: 1) rename(code: "1") { code } }`, maxMutationFieldsRule(1), ["mutationFields"]],
    ["mutations through fragments", `mutation { ...M ... on Mutation { submit(n: 2) } } fragment M on Mutation { submit(n: 1) }`, maxMutationFieldsRule(1), ["mutationFields"]],
    ["queries are not counted", `{ a: unit(code: "1") { code } b: unit(code: "2") { code } }`, maxMutationFieldsRule(1), []],
  ])("%s", (_name, query, rule, expected) => {
    expect(errors(query, rule)).toEqual(expected);
  });
});

describe("directiveProblem", () => {
  const problem = (query: string) => directiveProblem(schema, parse(query))?.message;
  it.each([
    ["none", `{ unit(code: "1") { code } }`, undefined],
    ["known directives once each", `{ unit(code: "1") @include(if: true) @skip(if: false) { code @include(if: true) } }`, undefined],
    ["the same directive at different places", `{ a: unit(code: "1") @include(if: true) { code @include(if: true) } }`, undefined],
    ["ten unknown directives (graphql-cop)", `query cop { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }`, "Unknown directive @aa (used 10 times); remove it."],
    ["one unknown directive", `{ __typename @aa }`, "Unknown directive @aa; remove it."],
    ["a repeated directive", `{ __typename @include(if: true) @include(if: true) }`, "The directive @include is repeated at one place (used 2 times); give it once there."],
    ["unknown directives on a fragment definition", `{ ...F } fragment F on Query @x { __typename }`, "Unknown directive @x; remove it."],
    ["a very long name is not echoed whole", `{ __typename @${"a".repeat(500)} }`, `Unknown directive @${"a".repeat(40)}…; remove it.`],
  ])("%s", (_name, query, expected) => {
    expect(problem(query)).toBe(expected);
  });
});

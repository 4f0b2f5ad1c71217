import { Kind, parse, type FragmentDefinitionNode, type GraphQLResolveInfo, type OperationDefinitionNode } from "graphql";
import { rollupNeeds } from "./rollup.selection";

/** The resolve info of the query's first root field, as graphql-js hands it to the resolver (the parts rollupNeeds reads). */
function infoOf(query: string): GraphQLResolveInfo {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0]], fragments } as unknown as GraphQLResolveInfo;
}

describe("rollupNeeds: what a roll-up computes beyond values", () => {
  it.each([
    ["values only", `{ rollup { cells { value completeness } children { cells { value } } } }`, false, false, false],
    ["a status", `{ rollup { cells { value status } } }`, true, false, false],
    ["a child's target", `{ rollup { children { cells { target { value { text } } } } } }`, true, false, false],
    ["a gap in a fragment", `{ rollup { cells { ...C } } } fragment C on RollupCell { gap }`, true, false, false],
    ["an inline fragment's judged periods", `{ rollup { cells { ... on RollupCell { judgedPeriods } } } }`, true, false, false],
    ["rank alone (ranked on values)", `{ nationalComparison { provinces { cells { value rank } } } }`, false, false, true],
    ["the approved share", `{ rollup { cells { approvedPercent } } }`, false, true, false],
    ["units approved in a fragment, with a status", `{ rollup { ...P } } fragment P on RollupPage { cells { unitsApproved status } }`, true, true, false],
    ["a rank in a fragment of the comparison", `{ nationalComparison { ...N } } fragment N on NationalComparison { provinces { cells { rank status } } }`, true, false, true],
    ["a fragment used twice, read once", `{ rollup { cells { ...C } children { cells { ...C } } } } fragment C on RollupCell { approved }`, false, true, false],
  ])("%s", (_what, query, targets, approvedShare, rank) => {
    expect(rollupNeeds(infoOf(query))).toEqual({ targets, approvedShare, rank });
  });
});

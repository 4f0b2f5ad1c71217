import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";

/** Fields of a roll-up cell that need each unit's effective target (the statement that resolves targets). */
const JUDGED = new Set(["target", "status", "required", "measured", "gap", "judgedPeriods"]);

/**
 * Whether the query selects anything judged against targets, anywhere below the field (fragments followed):
 * a values-only roll-up then runs the summaries statement alone (issue 16: compute only what is asked).
 */
export function asksForTargets(info: GraphQLResolveInfo): boolean {
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined): boolean =>
    !!set &&
    set.selections.some((s) => {
      if (s.kind === Kind.FIELD) return JUDGED.has(s.name.value) || walk(s.selectionSet);
      if (s.kind === Kind.INLINE_FRAGMENT) return walk(s.selectionSet);
      if (seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      return walk(info.fragments[s.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => walk(node.selectionSet));
}

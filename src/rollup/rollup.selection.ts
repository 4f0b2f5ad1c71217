import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";

/** What a roll-up computes beyond values and completeness, each only when some field asks for it (issue 16). */
export interface RollupNeeds {
  /** each unit's effective target, status, gap, rank: the statement that resolves targets */
  targets: boolean;
  /** each cell's approved share (unitsApproved, approved, approvedPercent): the figures of approved data */
  approvedShare: boolean;
  /** each province's rank per indicator (national comparison) */
  rank: boolean;
}

export const ALL_NEEDS: RollupNeeds = { targets: true, approvedShare: true, rank: true };

/** Fields of a roll-up cell that need each unit's effective target (the statement that resolves targets). */
const JUDGED = new Set(["target", "status", "required", "measured", "gap", "judgedPeriods"]);
const APPROVED_SHARE = new Set(["unitsApproved", "approved", "approvedPercent"]);

/**
 * What the query selects anywhere below the field (fragments followed): a values-only roll-up then runs the
 * summaries statement alone and builds no judgement nor approved share.
 */
export function rollupNeeds(info: GraphQLResolveInfo): RollupNeeds {
  const needs: RollupNeeds = { targets: false, approvedShare: false, rank: false };
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined): void => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) {
        needs.targets ||= JUDGED.has(s.name.value);
        needs.approvedShare ||= APPROVED_SHARE.has(s.name.value);
        needs.rank ||= s.name.value === "rank";
        walk(s.selectionSet);
      } else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        walk(info.fragments[s.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet);
  return needs;
}

/** Whether the query selects anything judged against targets (subscriptions: the same rule as the query). */
export function asksForTargets(info: GraphQLResolveInfo): boolean {
  return rollupNeeds(info).targets;
}

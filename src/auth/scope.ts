/**
 * SQL fragments for the caller's scope, given the parameter holding the caller's scope paths (a text[]:
 * its unit's path first, then the paths of earlier units that became part of it, see Actor.scopePaths).
 * Paths end in '/', so '/1/5/%' never matches '/1/50/'.
 */
/** The unit is the caller's own or below it, on some date. */
export const inSubtree = (pathColumn: string, scopeParam: string) =>
  `EXISTS (SELECT 1 FROM unnest(${scopeParam}::text[]) AS scope(p) WHERE ${pathColumn} LIKE scope.p || '%')`;

/** The unit is in the caller's subtree or is one of the caller's ancestors (whose names and plans frame its own). */
export const inSubtreeOrAncestor = (pathColumn: string, scopeParam: string) =>
  `EXISTS (SELECT 1 FROM unnest(${scopeParam}::text[]) AS scope(p) WHERE ${pathColumn} LIKE scope.p || '%' OR scope.p LIKE ${pathColumn} || '%')`;

export const isInSubtree = (path: string, scopePaths: readonly string[]) => scopePaths.some((scope) => path.startsWith(scope));

/**
 * SQL fragments for the caller's scope, given the parameter holding the caller's unit path.
 * Paths end in '/', so '/1/5/%' never matches '/1/50/'.
 */
/** The unit is the caller's own or below it. */
export const inSubtree = (pathColumn: string, scopeParam: string) => `${pathColumn} LIKE ${scopeParam} || '%'`;

/** The unit is in the caller's subtree or is one of the caller's ancestors (whose names and plans frame its own). */
export const inSubtreeOrAncestor = (pathColumn: string, scopeParam: string) =>
  `(${pathColumn} LIKE ${scopeParam} || '%' OR ${scopeParam} LIKE ${pathColumn} || '%')`;

export const isInSubtree = (path: string, scopePath: string) => path.startsWith(scopePath);

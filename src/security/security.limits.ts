/**
 * Limits on what one GraphQL request may ask. Each cap sits well above the largest real front-end
 * query (test/security.test.ts measures them, the national comparison of 63 provinces × 20
 * indicators included) and far below what hurts the server. README "Security, roles and scope"
 * gives the reasons.
 */
export const LIMITS = {
  /** JSON request body (express.json): a batch of 5,000 report rows in variables is about 550 kB. */
  bodyBytes: 1024 * 1024,
  /** Lexical tokens of the query (parser stops at once); real queries use under 300. */
  tokens: 2000,
  /** Field selections with fragments expanded (Apollo's maxRecursiveSelections); real queries use under 100. */
  selections: 400,
  /** Nesting of fields; the deepest real query (roll-up → children → unit → ancestors → name) is about 7. */
  depth: 12,
  /** Aliases in one operation (of __typename too); comparing units side by side needs a handful. */
  aliases: 30,
  /** Directives in one operation (@include/@skip on a few fields). */
  directives: 20,
  /**
   * Estimated cost: every field costs 1, and a list's selection counts once per item it may return
   * (`first`/`last`/`limit` when given, else `defaultListSize`). The national comparison (63 × 20
   * cells) estimates at a few thousand; a nested `first: 200` inside `first: 200` is refused.
   */
  cost: 25_000,
  /**
   * Mutation fields in one operation: each mutation is its own unit of work (validated, written and
   * audited whole), so 30 aliased `submitReports` cannot multiply one request's work by 30.
   */
  mutationFields: 1,
  /**
   * List items in all arguments of an operation together, a reused variable counted at each use:
   * one `submitReports` batch of MAX_BATCH_ROWS (10,000) rows fits, 30 aliased batches do not.
   */
  inputListItems: 10_000,
  /**
   * Longest string any argument may carry, however nested (fields keep tighter caps of their own;
   * the longest, a target's source text, is 2,000).
   */
  stringLength: 2_000,
  /** Characters of an input value an error message or extension may echo back. */
  echoChars: 60,
  /** Longest error message sent (echoes already shortened; a backstop). */
  messageChars: 1_000,
  /** Validation errors reported before validation stops. */
  validationErrors: 10,
  /** Assumed length of a list whose size no argument bounds (the catalog has 15-20 indicators). */
  defaultListSize: 20,
} as const;

/** Arguments that bound the length of a list field. */
export const LIST_SIZE_ARGUMENTS = ["first", "last", "limit"];

import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  valueFromAST,
  visit,
  type ASTVisitor,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import { t } from "../i18n/i18n";
import { LIMITS, LIST_SIZE_ARGUMENTS } from "./security.limits";

/**
 * GraphQL validation rules that refuse abusive documents before anything runs. Each error says
 * which limit was hit (`extensions.limit`, `max`, `actual`); Apollo answers them with HTTP 400 and
 * code GRAPHQL_VALIDATION_FAILED. Introspection fields (`__schema`, `__type`) are not counted, so
 * tools that introspect (GraphiQL, graphql-http's audits) keep working outside production.
 */

export type LimitName = "depth" | "aliases" | "directives" | "cost" | "mutationFields";

export function limitError(limit: LimitName, max: number, actual: number, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "GRAPHQL_VALIDATION_FAILED", limit, max, actual, http: { status: 400 } } });
}

const isIntrospection = (field: FieldNode) => field.name.value.startsWith("__") && field.name.value !== "__typename";

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return fragments;
}

/** Deepest field nesting of a selection set, fragments followed (cycles are refused by graphql's own rules). */
export function selectionDepth(
  selectionSet: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: ReadonlySet<string> = new Set(),
): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const s of selectionSet.selections) {
    if (s.kind === Kind.FIELD) {
      if (isIntrospection(s)) continue;
      deepest = Math.max(deepest, 1 + selectionDepth(s.selectionSet, fragments, seen));
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, selectionDepth(s.selectionSet, fragments, seen));
    } else {
      const name = s.name.value;
      const fragment = fragments.get(name);
      if (!fragment || seen.has(name)) continue;
      deepest = Math.max(deepest, selectionDepth(fragment.selectionSet, fragments, new Set([...seen, name])));
    }
    if (deepest > LIMITS.depth * 4) break; // no need to measure further
  }
  return deepest;
}

/** Refuses operations nested deeper than `max` fields. */
export function maxDepthRule(max: number = LIMITS.depth): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = fragmentsOf(context.getDocument());
    return {
      OperationDefinition(operation) {
        const depth = selectionDepth(operation.selectionSet, fragments);
        if (depth > max) {
          context.reportError(limitError("depth", max, depth, t("security:depth", { actual: depth, max })));
        }
      },
    };
  };
}

/** Refuses documents with more than `max` aliases (aliases of __typename included). */
export function maxAliasesRule(max: number = LIMITS.aliases): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let count = 0;
    return {
      Field(field) {
        if (field.alias) count++;
      },
      Document: {
        leave() {
          if (count > max) context.reportError(limitError("aliases", max, count, t("security:aliases", { actual: count, max })));
        },
      },
    };
  };
}

/** Refuses documents with more than `max` directives in all. */
export function maxDirectivesRule(max: number = LIMITS.directives): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let count = 0;
    return {
      Directive() {
        count++;
      },
      Document: {
        leave() {
          if (count > max) {
            context.reportError(limitError("directives", max, count, t("security:directives", { actual: count, max })));
          }
        },
      },
    };
  };
}

/** The root fields an operation selects, fragments followed (`__typename` left out: it does nothing). */
function rootFields(operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>): FieldNode[] {
  const fields: FieldNode[] = [];
  const walk = (selectionSet: SelectionSetNode, seen: ReadonlySet<string>) => {
    for (const s of selectionSet.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value !== "__typename") fields.push(s);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        walk(s.selectionSet, seen);
      } else {
        const fragment = fragments.get(s.name.value);
        if (fragment && !seen.has(s.name.value)) walk(fragment.selectionSet, new Set([...seen, s.name.value]));
      }
    }
  };
  walk(operation.selectionSet, new Set());
  return fields;
}

/**
 * Refuses a mutation operation with more than `max` fields (aliases and fragments included): each
 * mutation is a unit of work of its own, validated, written and audited whole, so one request may
 * not multiply it (30 aliased `submitReports` of 5,000 rows each, 20 aliased `setTargets`).
 */
export function maxMutationFieldsRule(max: number = LIMITS.mutationFields): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = fragmentsOf(context.getDocument());
    return {
      OperationDefinition(operation) {
        if (operation.operation !== "mutation") return;
        const fields = rootFields(operation, fragments);
        if (fields.length <= max) return;
        const names = [...new Set(fields.map((f) => f.name.value))].join(", ");
        context.reportError(
          limitError("mutationFields", max, fields.length, t("security:mutations", { actual: fields.length, names, max })),
        );
      },
    };
  };
}

const shortName = (name: string) => (name.length > 40 ? `${name.slice(0, 40)}…` : name);

/**
 * The first unknown or repeated directive of a document, as one error, or undefined. graphql-js's
 * own rules answer one error per occurrence (`@aa@aa@aa…` gives as many errors as directives, what
 * scanners call directive overloading); this names the problem once, with how often it occurs.
 */
export function directiveProblem(schema: GraphQLSchema, document: DocumentNode): GraphQLError | undefined {
  let found: { directive: DirectiveNode; unknown: boolean } | undefined;
  const uses = new Map<string, number>();
  visit(document, {
    enter(node) {
      const directives = (node as { directives?: readonly DirectiveNode[] }).directives;
      if (!directives?.length) return;
      const here = new Set<string>();
      for (const directive of directives) {
        const name = directive.name.value;
        uses.set(name, (uses.get(name) ?? 0) + 1);
        const known = schema.getDirective(name);
        if (!found && !known) found = { directive, unknown: true };
        else if (!found && here.has(name) && !known?.isRepeatable) found = { directive, unknown: false };
        here.add(name);
      }
    },
  });
  if (!found) return undefined;
  const name = shortName(found.directive.name.value);
  const count = uses.get(found.directive.name.value) ?? 1;
  const times = count > 1 ? t("security:directiveTimes", { count }) : "";
  const message = t(found.unknown ? "security:directiveUnknown" : "security:directiveRepeated", { name, times });
  return new GraphQLError(message, {
    nodes: [found.directive],
    extensions: { code: "GRAPHQL_VALIDATION_FAILED", directive: name, http: { status: 400 } },
  });
}

/**
 * Refuses `__schema` (the full schema dump) while still answering `__type` and `__typename`:
 * used in production, where the schema is not published but GraphQL-over-HTTP clients may probe.
 */
export const noSchemaIntrospectionRule: ValidationRule = (context) => ({
  Field(field) {
    if (field.name.value === "__schema") {
      context.reportError(
        new GraphQLError(t("security:introspectionDisabled"), {
          nodes: [field],
          extensions: { code: "GRAPHQL_VALIDATION_FAILED", http: { status: 400 } },
        }),
      );
    }
  },
});

/**
 * Estimated cost of an operation: every field 1, and the selection of a list field counted once per
 * item it may return: the value of `first`/`last`/`limit` (a variable's value, or the argument's
 * default), or LIMITS.defaultListSize when nothing bounds it. A paged field (`children(first: 50)`
 * returning a page object) passes its size to its `nodes`/`edges`, so `totalCount` alone stays
 * cheap. Stops adding up once past `stopAt`.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
  stopAt = Number.MAX_SAFE_INTEGER,
): number {
  const fragments = fragmentsOf(document);
  const root =
    operation.operation === "query"
      ? schema.getQueryType()
      : operation.operation === "mutation"
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return 0;

  /** `pageSize`: the size asked of the paged field whose selection this is (its nodes/edges get it). */
  const costOf = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, pageSize: number | undefined, depth: number): number => {
    if (depth > 64) return stopAt; // unreachable after the depth rule; keeps this total
    let total = 0;
    for (const s of selectionSet.selections) {
      if (total >= stopAt) return total;
      if (s.kind === Kind.FIELD) {
        const field =
          !s.name.value.startsWith("__") && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[s.name.value] : undefined;
        if (!field) {
          total += 1;
          continue;
        }
        let size: number | undefined;
        for (const arg of s.arguments ?? []) {
          if (!LIST_SIZE_ARGUMENTS.includes(arg.name.value)) continue;
          const def = field.args.find((a) => a.name === arg.name.value);
          const value = def ? valueFromAST(arg.value, def.type, variables as Record<string, unknown>) : undefined;
          if (typeof value === "number") size = Math.max(size ?? 0, value);
        }
        if (size === undefined) {
          const def = field.args.find((a) => LIST_SIZE_ARGUMENTS.includes(a.name) && typeof a.defaultValue === "number");
          if (def) size = def.defaultValue as number;
        }
        const list = isListType(getNullableType(field.type));
        const items = pageSize !== undefined && (s.name.value === "nodes" || s.name.value === "edges");
        // a list: once per item; a page object (sized, not a list): its nodes/edges carry the size
        const multiplier = list ? (size ?? (items ? pageSize! : LIMITS.defaultListSize)) : 1;
        const named = getNamedType(field.type);
        const childPage = !list && size !== undefined ? size : undefined;
        const child = s.selectionSet && isCompositeType(named) ? costOf(s.selectionSet, named, childPage, depth + 1) : 0;
        total += 1 + Math.max(1, multiplier) * child;
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        const type = s.typeCondition ? (schema.getType(s.typeCondition.name.value) as GraphQLCompositeType | undefined) : parent;
        total += costOf(s.selectionSet, type ?? parent, pageSize, depth + 1);
      } else {
        const fragment = fragments.get(s.name.value);
        if (!fragment) continue;
        const type = schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined;
        total += costOf(fragment.selectionSet, type ?? parent, pageSize, depth + 1);
      }
    }
    return Math.min(total, Number.MAX_SAFE_INTEGER);
  };
  return costOf(operation.selectionSet, root, undefined, 0);
}

/** The validation rules of the API (the cost needs variables, so it is checked by the security plugin). */
export function securityValidationRules(options: { production: boolean }): ValidationRule[] {
  return [
    maxDepthRule(),
    maxAliasesRule(),
    maxDirectivesRule(),
    maxMutationFieldsRule(),
    ...(options.production ? [noSchemaIntrospectionRule] : []),
  ];
}

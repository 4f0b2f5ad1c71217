import {
  GraphQLError,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isCompositeType,
  isInputObjectType,
  isListType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { LIMITS } from "./security.limits";

export interface ArgumentLimits {
  /** Longest string (UTF-16 code units) any argument may carry, however deep in an input object or list. */
  stringLength: number;
  /** List items in all arguments of the operation together (a variable counts once per place it is used). */
  listItems: number;
}

/** A refusal of the operation's argument values, answered before any resolver runs. */
function inputError(message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", ...extensions, http: { status: 400 } } });
}

class Stop {
  constructor(readonly error: GraphQLError) {}
}

/**
 * Walks every argument value of the operation once, before execution, with the variables coerced as
 * execution will coerce them, and refuses the first string holding a NUL character (PostgreSQL text
 * cannot store it: it would fail deep in a write as an internal error) or longer than
 * `limits.stringLength`, and operations whose arguments carry more than `limits.listItems` list
 * items in all (30 aliased fields reusing one 5,000-row variable count 150,000). Returns undefined
 * when the values are acceptable, or when the variables do not coerce (execution then reports that,
 * as it always has).
 *
 * Every string is checked, in inline literals and variables, nested in input objects and lists, and
 * under any field of the document (fragments followed): one central check instead of a decorator on
 * every input class. Fields keep their own, tighter caps (class-validator); this is the backstop.
 */
export function checkArgumentValues(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown>,
  limits: ArgumentLimits = { stringLength: LIMITS.stringLength, listItems: LIMITS.inputListItems },
): GraphQLError | undefined {
  const coercion = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables, { maxErrors: 1 });
  if (coercion.errors) return undefined;
  const variables = coercion.coerced;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let items = 0;
  // the path of the value being checked, as class-validator names fields: input.rows.3.unitCode
  const path: Array<string | number> = [];
  let fieldName = "";

  const checkString = (value: string) => {
    if (value.includes("\0")) {
      const field = path.join(".");
      throw new Stop(
        inputError(`${fieldName}: ${field} contains a NUL character (U+0000), which text cannot hold; remove it.`, { field }),
      );
    }
    if (value.length > limits.stringLength) {
      const field = path.join(".");
      throw new Stop(
        inputError(`${fieldName}: ${field} is ${value.length} characters long; the limit is ${limits.stringLength}.`, {
          field,
          limit: "stringLength",
          max: limits.stringLength,
          actual: value.length,
        }),
      );
    }
  };

  /** Strings under a value whose type does not say (a custom scalar's object value). */
  const checkUntyped = (value: unknown) => {
    if (typeof value === "string") checkString(value);
    else if (Array.isArray(value)) value.forEach((v, i) => (path.push(i), checkUntyped(v), path.pop()));
    else if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
      for (const [k, v] of Object.entries(value)) (path.push(k), checkUntyped(v), path.pop());
    }
  };

  const checkValue = (value: unknown, type: GraphQLInputType) => {
    if (value === null || value === undefined) return;
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      const list = value as unknown[];
      items += list.length;
      if (items > limits.listItems) {
        throw new Stop(
          new GraphQLError(
            `The request's arguments carry more than ${limits.listItems} list items (report rows, codes…) in all; ` +
              `send at most ${limits.listItems} per request, e.g. a large report batch split in several.`,
            { extensions: { code: "GRAPHQL_VALIDATION_FAILED", limit: "inputListItems", max: limits.listItems, http: { status: 400 } } },
          ),
        );
      }
      for (let i = 0; i < list.length; i++) {
        path.push(i);
        checkValue(list[i], nullable.ofType);
        path.pop();
      }
    } else if (isInputObjectType(nullable)) {
      const fields = nullable.getFields();
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        const def = fields[key];
        if (!def) continue;
        path.push(key);
        checkValue(v, def.type);
        path.pop();
      }
    } else if (typeof value === "string") {
      checkString(value);
    } else {
      checkUntyped(value);
    }
  };

  const fieldDef = (parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined => {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
    return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  };

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, seen: ReadonlySet<string>) => {
    for (const s of selectionSet.selections) {
      if (s.kind === Kind.FIELD) {
        const def = fieldDef(parent, s.name.value);
        if (!def) continue;
        if (s.arguments?.length) {
          let args: Record<string, unknown>;
          try {
            args = getArgumentValues(def, s, variables);
          } catch {
            continue; // validation has passed, so only execution-time problems; execution reports them
          }
          fieldName = s.name.value;
          for (const arg of def.args) {
            path.push(arg.name);
            checkValue(args[arg.name], arg.type);
            path.pop();
          }
        }
        const named = getNamedType(def.type);
        if (s.selectionSet && isCompositeType(named)) walk(s.selectionSet, named, seen);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        const type = s.typeCondition ? (schema.getType(s.typeCondition.name.value) as GraphQLCompositeType | undefined) : parent;
        walk(s.selectionSet, type ?? parent, seen);
      } else {
        const fragment = fragments.get(s.name.value);
        if (!fragment || seen.has(s.name.value)) continue;
        const type = schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined;
        walk(fragment.selectionSet, type ?? parent, new Set([...seen, s.name.value]));
      }
    }
  };

  const root =
    operation.operation === "query" ? schema.getQueryType() : operation.operation === "mutation" ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return undefined;
  try {
    walk(operation.selectionSet, root, new Set());
  } catch (error) {
    if (error instanceof Stop) return error.error;
    throw error;
  }
  return undefined;
}

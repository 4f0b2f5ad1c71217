import {
  GraphQLError,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInputObjectType,
  isListType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputFieldMap,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { t } from "../i18n/i18n";
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

/** An input type as the walk needs it: a list (of what), an input object (its fields), or a leaf. */
type Shape = { list?: GraphQLInputType; fields?: GraphQLInputFieldMap };

class Stop {
  constructor(readonly error: GraphQLError) {}
}

/**
 * Walks every argument value of the operation once, before execution, and refuses the first string
 * holding a NUL character (PostgreSQL text cannot store it: it would fail deep in a write as an
 * internal error) or longer than `limits.stringLength`, and operations whose arguments carry more
 * than `limits.listItems` list items in all (30 aliased fields reusing one 5,000-row variable count
 * 150,000). Returns undefined when the values are acceptable.
 *
 * Every string is checked, in inline literals and variables (their raw JSON, read along the type of
 * the place they are used: coercing 10,000 rows once more would double the cost of a batch), nested
 * in input objects and lists, under any field of the document (fragments followed): one central
 * check instead of a decorator on every input class. Fields keep their own, tighter caps
 * (class-validator); this is the backstop. Values that do not fit their type are left to execution,
 * which reports them as it always has.
 */
export function checkArgumentValues(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown>,
  limits: ArgumentLimits = { stringLength: LIMITS.stringLength, listItems: LIMITS.inputListItems },
): GraphQLError | undefined {
  const defaults = new Map<string, ValueNode>();
  for (const v of operation.variableDefinitions ?? []) if (v.defaultValue) defaults.set(v.variable.name.value, v.defaultValue);
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
        inputError(t("security:nulCharacter", { fieldName, field }), { field }),
      );
    }
    if (value.length > limits.stringLength) {
      const field = path.join(".");
      throw new Stop(
        inputError(t("security:stringTooLong", { fieldName, field, length: value.length, max: limits.stringLength }), {
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

  const countItems = (n: number) => {
    items += n;
    if (items <= limits.listItems) return;
    throw new Stop(
      new GraphQLError(
        t("security:listItems", { max: limits.listItems }),
        { extensions: { code: "GRAPHQL_VALIDATION_FAILED", limit: "inputListItems", max: limits.listItems, http: { status: 400 } } },
      ),
    );
  };

  // what each input type is, looked up once (graphql's type predicates are slow outside production)
  const shapes = new Map<GraphQLInputType, Shape>();
  const shapeOf = (type: GraphQLInputType): Shape => {
    let shape = shapes.get(type);
    if (!shape) {
      const nullable = getNullableType(type);
      shape = isListType(nullable) ? { list: nullable.ofType } : isInputObjectType(nullable) ? { fields: nullable.getFields() } : {};
      shapes.set(type, shape);
    }
    return shape;
  };

  /** A variable's raw value (JSON), read along the type of the place it is used. */
  const checkValue = (value: unknown, type: GraphQLInputType) => {
    if (value === null || value === undefined) return;
    const shape = shapeOf(type);
    if (shape.list) {
      // a single value where a list is expected is coerced to a list of one
      const list = Array.isArray(value) ? value : [value];
      countItems(list.length);
      for (let i = 0; i < list.length; i++) {
        path.push(i);
        checkValue(list[i], shape.list);
        path.pop();
      }
    } else if (shape.fields) {
      if (typeof value !== "object" || Array.isArray(value)) return; // does not fit: execution says so
      const fields = shape.fields;
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

  /** An argument as written in the document: literals, with variables wherever they appear. */
  const checkNode = (node: ValueNode, type: GraphQLInputType) => {
    const shape = shapeOf(type);
    if (node.kind === Kind.VARIABLE) {
      const name = node.name.value;
      if (Object.prototype.hasOwnProperty.call(rawVariables, name)) checkValue(rawVariables[name], type);
      else if (defaults.has(name)) checkNode(defaults.get(name)!, type);
    } else if (shape.list) {
      const list = node.kind === Kind.LIST ? node.values : [node];
      countItems(list.length);
      list.forEach((item, i) => {
        path.push(i);
        checkNode(item, shape.list!);
        path.pop();
      });
    } else if (node.kind === Kind.OBJECT && shape.fields) {
      for (const field of node.fields) {
        const def = shape.fields[field.name.value];
        if (!def) continue;
        path.push(field.name.value);
        checkNode(field.value, def.type);
        path.pop();
      }
    } else if (node.kind === Kind.STRING) {
      checkString(node.value);
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
        fieldName = s.name.value;
        for (const arg of s.arguments ?? []) {
          const argDef = def.args.find((a) => a.name === arg.name.value);
          if (!argDef) continue;
          path.push(arg.name.value);
          checkNode(arg.value, argDef.type);
          path.pop();
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

import { Kind, type OperationDefinitionNode } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestContext } from "../context";
import { TokenError } from "../auth/auth.errors";
import { requestError } from "../common/format-error";
import { t } from "../i18n/i18n";
import { LIMITS } from "./security.limits";
import { directiveProblem, limitError, operationCost } from "./security.rules";
import { checkArgumentValues } from "./security.arguments";
import { shortenFormattedError } from "./security.echo";

/** Root fields an anonymous caller may ask (GraphQL-over-HTTP probes); every other needs a token. */
const ANONYMOUS_ROOT_FIELDS = new Set(["__typename", "__type", "__schema"]);

function rootFieldNames(operation: OperationDefinitionNode, fragments: Map<string, OperationDefinitionNode["selectionSet"]>): string[] {
  const names: string[] = [];
  const walk = (selectionSet: OperationDefinitionNode["selectionSet"], seen: Set<string>) => {
    for (const s of selectionSet.selections) {
      if (s.kind === Kind.FIELD) names.push(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet, seen);
      else if (!seen.has(s.name.value) && fragments.has(s.name.value)) walk(fragments.get(s.name.value)!, new Set([...seen, s.name.value]));
    }
  };
  walk(operation.selectionSet, new Set());
  return names;
}

/**
 * - Unknown or repeated directives answer one error, not one per directive.
 * - No anonymous GraphQL data: without a token only __typename / __type (/ __schema outside
 *   production) answer; anything else is UNAUTHENTICATED (401) before a resolver runs.
 * - The estimated cost of the operation (list sizes from `first` & co, variables included) must
 *   stay under LIMITS.cost.
 * - Argument values: no NUL character, no string over LIMITS.stringLength, no more than
 *   LIMITS.inputListItems list items in all (BAD_USER_INPUT / GRAPHQL_VALIDATION_FAILED, 400).
 * - Input echoed in error messages and extensions is shortened (LIMITS.echoChars).
 */
export const securityPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async validationDidStart({ document, schema }) {
        const problem = directiveProblem(schema, document);
        if (!problem) return;
        // graphql-js's rules report each occurrence; Apollo answers with this very array once the hook
        // returns, so one error replaces them (test/security-limits.test.ts checks the answer).
        return async (errors?: ReadonlyArray<Error>) => {
          if (errors?.length) (errors as Error[]).splice(0, errors.length, problem);
        };
      },
      async didResolveOperation({ contextValue, document, operation, schema, request }) {
        if (!operation) return;
        if (!contextValue.actor) {
          const fragments = new Map<string, OperationDefinitionNode["selectionSet"]>();
          for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d.selectionSet);
          if (rootFieldNames(operation, fragments).some((name) => !ANONYMOUS_ROOT_FIELDS.has(name))) {
            throw requestError(new TokenError("MISSING")); // 401 with reason MISSING and the challenge header
          }
        }
        const cost = operationCost(schema, document, operation, request.variables ?? {}, LIMITS.cost + 1);
        if (cost > LIMITS.cost) {
          throw limitError("cost", LIMITS.cost, cost, t("security:cost", { max: LIMITS.cost }));
        }
        const refused = checkArgumentValues(schema, document, operation, request.variables ?? {});
        if (refused) throw refused;
      },
      async willSendResponse({ response }) {
        if (response.body.kind === "single" && response.body.singleResult.errors) {
          response.body.singleResult.errors = response.body.singleResult.errors.map(shortenFormattedError);
        }
      },
    };
  },
};

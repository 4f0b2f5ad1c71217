import type { ApolloServerPlugin, GraphQLRequestContextResponseForOperation } from "@apollo/server";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import { LRUCache } from "lru-cache";
import type { GraphQLError } from "graphql";
import type { RequestContext } from "../context";
import { formatError } from "../common/format-error";
import { answerAsPrepared, prepareAnswer } from "./prepared-answer";
import type { AnswerMemo } from "./answer-memo";
import { currentScope } from "../ops/request-scope";

/** Documents compiled per process; a dashboard sends the same few again and again. */
const COMPILED_DOCUMENTS = 200;

/**
 * Runs queries through graphql-jit instead of graphql-js's interpreter: a document is compiled once into
 * a function that resolves the same schema's fields with the same resolvers, without graphql-js's
 * per-field bookkeeping (arguments, info, path and a promise check for each of a page's thousands of
 * fields). It answers through Apollo's `responseForOperation` hook, after parsing, validation and every
 * plugin's `didResolveOperation`, so limits, scope and routing are unchanged; Apollo still serialises the
 * answer and calls `willSendResponse` (the transaction's commit).
 *
 * Mutations and subscriptions keep graphql-js (their per-field cost is small, their semantics are
 * serial). A document is compiled on its first run (a few ms, like Apollo's own parsing and validation of
 * a new document, whose size and depth the security limits bound) and kept (LRU). A query whose variables
 * are refused has run nothing: graphql-js answers it, with Apollo's usual 400. Field errors are formatted
 * by the same `formatError` Apollo uses. `executed` counts each query by executor (the ops metrics).
 *
 * With `answers` (answer-memo.ts), a query asked again by the same caller is answered with the answer kept for it,
 * once its reads, run again, gave the same rows; an answer computed without error is kept with the reads it came from.
 */
export function compiledQueriesPlugin(
  executed: (executor: "compiled" | "interpreted" | "memo") => void = () => undefined,
  answers?: AnswerMemo,
): ApolloServerPlugin<RequestContext> {
  const compiled = new LRUCache<string, CompiledQuery | "interpret">({ max: COMPILED_DOCUMENTS });
  const compiledFor = (request: GraphQLRequestContextResponseForOperation<RequestContext>) => {
    const key = `${request.queryHash}\n${request.operationName ?? ""}`;
    let query = compiled.get(key);
    if (query === undefined) {
      const made = compileQuery(request.schema, request.document, request.operationName ?? undefined, { disablingCapturingStackErrors: true });
      query = isCompiledQuery(made) ? made : "interpret";
      compiled.set(key, query);
    }
    return query === "interpret" ? undefined : query;
  };
  return {
    async requestDidStart() {
      return {
        async responseForOperation(request) {
          if (request.operation.operation !== "query") return null;
          const query = compiledFor(request);
          if (!query) {
            executed("interpreted");
            return null;
          }
          // an answer kept for this very question, whose reads give the same rows now (answer-memo.ts)
          const memoKey = answers?.keyOf(request);
          const db = request.contextValue.db;
          const kept = memoKey ? await answers!.answer(memoKey, db) : undefined;
          if (kept) {
            executed("memo");
            return { http: request.response.http, body: { kind: "single", singleResult: { data: answerAsPrepared(kept) } } };
          }
          if (memoKey) db.recordReads();
          const result = await query.query(undefined, request.contextValue, request.request.variables ?? {});
          if (!("data" in result)) {
            executed("interpreted");
            return null; // variables refused before anything ran
          }
          executed("compiled");
          const errors = (result.errors as readonly GraphQLError[] | undefined)?.map((e) =>
            formatError({ message: e.message, locations: e.locations, path: e.path }, e),
          );
          // an HTTP answer without errors is written as bytes here (prepared-answer.ts); others go as Apollo writes them,
          // and so would each answer of a batch (one HTTP answer for several operations; batching is off)
          const prepared = !errors?.length && request.request.http && !request.requestIsBatched;
          const data = prepared ? prepareAnswer(result.data) : result.data;
          const bytes = currentScope()?.preparedAnswer;
          if (memoKey && prepared && db.reads && bytes) answers!.keep(memoKey, db.reads, bytes);
          return {
            http: request.response.http,
            body: { kind: "single", singleResult: errors?.length ? { data, errors } : { data } },
          };
        },
      };
    },
  };
}

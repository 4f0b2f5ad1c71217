import crypto from "node:crypto";
import type http from "node:http";
import { GraphQLError, getOperationAST, parse, specifiedRules, subscribe, validate, type DocumentNode, type ExecutionArgs } from "graphql";
import type { GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import jwt from "jsonwebtoken";
import type { DataSource } from "typeorm";
import { WebSocketServer, type WebSocket } from "ws";
import { createRequestContext, type RequestContext } from "../context";
import { isErrorCode, type ErrorCode } from "../common/errors";
import { classifyError, reportError } from "../common/format-error";
import { t } from "../i18n/i18n";
import { DEFAULT_LANGUAGE, languageFromHeader, withLanguage, type Language } from "../i18n/i18n.language";
import { LIMITS } from "../security/security.limits";
import { securityValidationRules } from "../security/security.rules";
import { RollupListener } from "./rollup-subscription.listener";
import { SubscriptionSlots } from "./rollup-subscription.rules";
import type { LiveContext, LiveSession } from "./rollup-subscription.types";

/** What a client may send in connection_init (graphql-ws `connectionParams`). */
type ConnectionParams = {
  /** `Bearer <token>`; else the upgrade request's Authorization header */
  authorization?: unknown;
  /** `vi` or `en` (an Accept-Language value); else the upgrade request's Accept-Language */
  language?: unknown;
};

interface Connection {
  authorization: string;
  language: Language;
  expiry?: NodeJS.Timeout;
}

export interface SubscriptionServer {
  /** Closes every WebSocket (1001 Going away) and the LISTEN connection. */
  close(): Promise<void>;
}

/** Close codes of the graphql-transport-ws protocol we use, and how long a socket may take to close on shutdown. */
const UNAUTHORIZED = 4401;
const TRY_AGAIN_LATER = 1013;
const CLOSE_GRACE_MS = 1000;

/** An error GraphQL produced itself (syntax, validation), with the code Apollo would give it over HTTP. */
function coded(error: GraphQLError, code: ErrorCode): GraphQLError {
  if (isErrorCode(error.extensions?.code)) return error;
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });
}

/** A subscription's message iterator whose every step runs in the subscriber's language (graphql-js resolves the message there). */
function speaking<T>(language: Language, result: AsyncGenerator<T> | T): AsyncGenerator<T> | T {
  const iterator = result as AsyncGenerator<T>;
  if (typeof iterator?.[Symbol.asyncIterator] !== "function") return result;
  const wrapped: AsyncGenerator<T> = {
    next: (...args) => withLanguage(language, () => iterator.next(...args)),
    return: (value) => withLanguage(language, () => iterator.return(value)),
    throw: (error) => withLanguage(language, () => iterator.throw(error)),
    [Symbol.asyncIterator]: () => wrapped,
    [Symbol.asyncDispose]: async () => void (await iterator.return(undefined)),
  };
  return wrapped;
}

/**
 * Live roll-ups over WebSocket on the API's own port, at /graphql (graphql-ws, the graphql-transport-ws protocol).
 * A connection authenticates once, from connectionParams.authorization or the upgrade request's Authorization
 * header, through the same contextFor as HTTP (4401 on a missing or bad token, and when the token expires); each
 * subscription gets a context of its own, and every re-read a transaction of its own under the subscriber's scope.
 * Only subscriptions are served here (queries and mutations go through POST /graphql and its transactions), with
 * the HTTP endpoint's limits on documents.
 */
export function installSubscriptions(options: {
  httpServer: http.Server;
  schema: GraphQLSchema;
  dataSource: DataSource;
  production: boolean;
  maxPerToken: number;
  contextFor(authorization: string | undefined): Promise<RequestContext>;
}): SubscriptionServer {
  const { schema } = options;
  const listener = RollupListener.of(options.dataSource);
  const slots = new SubscriptionSlots(options.maxPerToken);
  const rules = [...specifiedRules, ...securityValidationRules({ production: options.production })];
  const connections = new WeakMap<WebSocket, Connection>();
  const wss = new WebSocketServer({ server: options.httpServer, path: "/graphql", maxPayload: LIMITS.bodyBytes });

  const server = useServer<ConnectionParams>(
    {
      isProd: options.production,
      onConnect: async ({ connectionParams, extra: { socket, request } }) => {
        const given = connectionParams?.authorization;
        const authorization = typeof given === "string" ? given : request.headers.authorization;
        const language = languageFromHeader(typeof connectionParams?.language === "string" ? connectionParams.language : request.headers["accept-language"]);
        let refusal: ErrorCode | undefined = authorization ? undefined : "UNAUTHENTICATED";
        if (!refusal) refusal = await options.contextFor(authorization).then((c) => (c.actor ? undefined : "UNAUTHENTICATED"), (e: unknown) => classifyError(e).code);
        if (refusal) {
          socket.close(refusal === "UNAUTHENTICATED" ? UNAUTHORIZED : TRY_AGAIN_LATER, refusal);
          return false;
        }
        // a token is good until it expires: the connection ends then
        const exp = (jwt.decode(authorization!.replace(/^Bearer\s+/i, "")) as { exp?: number } | null)?.exp;
        const expiry = exp ? setTimeout(() => socket.close(UNAUTHORIZED, "UNAUTHENTICATED"), Math.max(0, exp * 1000 - Date.now())) : undefined;
        expiry?.unref();
        connections.set(socket, { authorization: authorization!, language, expiry });
        return true;
      },
      onClose: ({ extra: { socket } }) => clearTimeout(connections.get(socket)?.expiry),
      onSubscribe: async ({ extra: { socket } }, _id, payload) => {
        const connection = connections.get(socket)!;
        return withLanguage(connection.language, async (): Promise<ExecutionArgs | readonly GraphQLError[]> => {
          let document: DocumentNode;
          try {
            document = parse(payload.query, { maxTokens: LIMITS.tokens });
          } catch (error) {
            return [coded(error as GraphQLError, "GRAPHQL_PARSE_FAILED")];
          }
          const invalid = validate(schema, document, rules, { maxErrors: LIMITS.validationErrors });
          if (invalid.length) return invalid.map((e) => coded(e, "GRAPHQL_VALIDATION_FAILED"));
          if (getOperationAST(document, payload.operationName)?.operation !== "subscription") {
            return [new GraphQLError(t("subscription:subscriptionsOnly"), { extensions: { code: "BAD_REQUEST" } })];
          }
          let context: RequestContext;
          try {
            context = await options.contextFor(connection.authorization);
          } catch (error) {
            return [error as GraphQLError]; // contextFor answers a coded GraphQLError
          }
          const actor = context.actor;
          const live: LiveSession = {
            tokenKey: crypto.createHash("sha256").update(connection.authorization).digest("hex"),
            language: connection.language,
            renew: () => createRequestContext(options.dataSource, actor),
            listener,
            slots,
            maxPerToken: options.maxPerToken,
          };
          const contextValue: LiveContext = Object.assign(context, { live }) as LiveContext;
          return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
        });
      },
      subscribe: (args) => {
        const language = (args.contextValue as LiveContext).live!.language;
        return withLanguage(language, async () => speaking(language, await subscribe(args)));
      },
      // errors as the HTTP endpoint gives them: classified, coded, logged, no stack trace
      onNext: ({ extra: { socket } }, _id, _payload, _args, result) => {
        if (!result.errors?.length) return undefined;
        return withLanguage(connections.get(socket)?.language ?? DEFAULT_LANGUAGE, () => ({
          ...result,
          errors: result.errors!.map((e) => reportError(e, { locations: e.locations, path: e.path })),
        }));
      },
      onError: ({ extra: { socket } }, _id, _payload, errors) =>
        withLanguage(connections.get(socket)?.language ?? DEFAULT_LANGUAGE, () => errors.map((e) => reportError(e, { locations: e.locations, path: e.path }))),
    },
    wss,
  );

  let closing: Promise<void> | undefined;
  return {
    close: () => (closing ??= (async () => {
      const sockets = [...wss.clients];
      const disposed = server.dispose(); // 1001 Going away to every client, then the server closes
      // a client that does not answer the close handshake is cut off, so the HTTP server can drain
      const grace = setTimeout(() => sockets.forEach((s) => s.terminate()), CLOSE_GRACE_MS);
      try {
        await disposed;
      } finally {
        clearTimeout(grace);
        await listener.stop();
      }
    })()),
  };
}

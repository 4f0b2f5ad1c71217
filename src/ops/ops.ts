import crypto from "node:crypto";
import type express from "express";
import type { ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { DataSource } from "typeorm";
import { logger } from "../common/logger";
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from "./db-errors";
import { OpsMetrics } from "./ops.metrics";
import { checkReadiness } from "./ops.readiness";
import { currentScope, requestIdFrom, runInScope, type RequestScope } from "./request-scope";

export interface OpsOptions {
  dataSource: DataSource;
  /** When set, /metrics asks for `Authorization: Bearer <metricsToken>` (env METRICS_TOKEN). */
  metricsToken?: string;
}

/** Constant-time comparison of two strings (a token check must not leak by timing). */
function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

const ROUTES = ["graphql", "graphiql", "dashboard", "csv", "health", "ready", "metrics"];
/** A bounded route label: the first path segment when it is one of ours. */
function routeOf(path: string): string {
  const first = path.split("/")[1] ?? "";
  return ROUTES.includes(first) ? `/${first}` : first === "" ? "/" : "other";
}
const QUIET_ROUTES = new Set(["/health", "/ready", "/metrics"]);

function errorCodesOf(scope: RequestScope, status: number): string[] {
  const errors = scope.result?.errors;
  if (errors) return errors.map((e) => String(e.extensions?.code ?? "INTERNAL_SERVER_ERROR"));
  // rejected before GraphQL ran (malformed JSON, missing query, CSRF check…)
  if (status === 413) return ["PAYLOAD_TOO_LARGE"];
  if (status >= 500) return ["INTERNAL_SERVER_ERROR"];
  if (status >= 400) return ["BAD_REQUEST"];
  return [];
}

/**
 * The operations layer: request ids, one JSON access-log line per request, Prometheus metrics,
 * /health, /ready and /metrics, and the database-unavailable error mapping.
 */
export function createOps(options: OpsOptions) {
  const metrics = new OpsMetrics(options.dataSource);
  const metricsToken = options.metricsToken ?? (process.env.METRICS_TOKEN || undefined);

  /** First middleware: request id (honours a sane x-request-id), scope, access log and metrics. */
  const requestStart: express.RequestHandler = (req, res, next) => {
    const scope: RequestScope = { requestId: requestIdFrom(req.headers["x-request-id"]), startedAt: process.hrtime.bigint() };
    // server.ts reads the header into the GraphQL context (and so into error extensions)
    req.headers["x-request-id"] = scope.requestId;
    res.setHeader("x-request-id", scope.requestId);
    res.locals.opsScope = scope;
    const route = routeOf(req.path); // now: mounted routers rewrite req.url later
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - scope.startedAt) / 1e9;
      const status = res.writableFinished ? res.statusCode : 499; // 499: the client went away first
      metrics.httpResponses.inc({ route, status: String(status) });
      const line: Record<string, unknown> = {
        requestId: scope.requestId,
        method: req.method,
        route,
        status,
        durationMs: Math.round(seconds * 1000),
      };
      if (route === "/graphql") {
        const operation = metrics.operationLabel(scope.operation);
        const codes = errorCodesOf(scope, status);
        metrics.recordGraphql(operation, seconds, codes);
        line.operation = operation;
        if (codes.length) line.errorCodes = [...new Set(codes)];
      }
      if (QUIET_ROUTES.has(route) && status < 400) logger.debug(line, "request");
      else logger.info(line, "request");
    };
    res.once("finish", finish);
    res.once("close", finish);
    runInScope(scope, next);
  };

  /** Re-enters the request's scope after body parsing (stream callbacks lose async context). */
  const requestScope: express.RequestHandler = (_req, res, next) => {
    const scope = res.locals.opsScope as RequestScope | undefined;
    if (scope) runInScope(scope, next);
    else next();
  };

  /** Records the operation name and the result (errors) for the access log and metrics. */
  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName }) {
          const scope = currentScope();
          if (scope) scope.operation = operationName ?? undefined;
        },
        async willSendResponse({ response, operationName }) {
          const scope = currentScope();
          if (!scope) return;
          if (operationName) scope.operation = operationName;
          // a reference: the transaction plugin may still replace errors after a failed commit
          if (response.body.kind === "single") scope.result = response.body.singleResult;
        },
      };
    },
  };

  /**
   * Wraps the app's formatError: a database that cannot be reached becomes SERVICE_UNAVAILABLE
   * (retryable) instead of INTERNAL_SERVER_ERROR, and every error carries the request id.
   */
  function formatError(inner: FormatError): FormatError {
    return (formatted, error) => {
      let result: GraphQLFormattedError;
      const own = error instanceof GraphQLError && error.extensions?.code === "SERVICE_UNAVAILABLE";
      if (own || isDatabaseUnavailable(unwrapResolverError(error))) {
        logger.warn({ err: unwrapResolverError(error) }, "database unavailable");
        result = {
          message: DATABASE_UNAVAILABLE_MESSAGE,
          locations: formatted.locations,
          path: formatted.path,
          extensions: { code: "SERVICE_UNAVAILABLE" },
        };
      } else {
        result = inner(formatted, error);
      }
      const scope = currentScope();
      if (scope) result = { ...result, extensions: { ...result.extensions, requestId: scope.requestId } };
      return result;
    };
  }

  /**
   * For errors while building a request's context (authentication reads the database): a database
   * that cannot be reached becomes HTTP 503 with SERVICE_UNAVAILABLE; anything else is left as is.
   */
  function contextError(error: unknown): unknown {
    if (!isDatabaseUnavailable(error)) return error;
    return new GraphQLError(DATABASE_UNAVAILABLE_MESSAGE, {
      originalError: error instanceof Error ? error : undefined,
      extensions: { code: "SERVICE_UNAVAILABLE", http: { status: 503 } },
    });
  }

  function install(app: express.Express): void {
    app.use(requestStart);
    app.get("/health", (_req, res) => {
      res.json({ status: "ok" });
    });
    app.get("/ready", async (_req, res) => {
      const readiness = await checkReadiness(options.dataSource);
      res.status(readiness.ready ? 200 : 503).json({ status: readiness.ready ? "ready" : "unavailable", ...readiness });
    });
    app.get("/metrics", async (req, res) => {
      if (metricsToken && !sameSecret(req.headers.authorization ?? "", `Bearer ${metricsToken}`)) {
        res.status(401).type("text/plain").send("metrics need Authorization: Bearer <METRICS_TOKEN>\n");
        return;
      }
      const { contentType, body } = await metrics.render();
      res.type(contentType).send(body);
    });
  }

  return { metrics, plugin, requestStart, requestScope, formatError, contextError, install };
}


import crypto from "node:crypto";
import type express from "express";
import type { ApolloServerPlugin } from "@apollo/server";
import type { DataSource } from "typeorm";
import { httpStatusOf, reportError } from "../common/format-error";
import { logger } from "../common/logger";
import { OpsMetrics } from "./ops.metrics";
import { checkReadiness } from "./ops.readiness";
import { currentScope, requestIdFrom, runInScope, type RequestScope } from "./request-scope";
import { languageFromHeader } from "../i18n/i18n.language";

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

const ROUTES = ["graphql", "graphiql", "dashboard", "csv", "xlsx", "reports", "health", "ready", "metrics"];
/** A bounded route label: the first path segment when it is one of ours. */
function routeOf(path: string): string {
  const first = path.split("/")[1] ?? "";
  return ROUTES.includes(first) ? `/${first}` : first === "" ? "/" : "other";
}
const QUIET_ROUTES = new Set(["/health", "/ready", "/metrics"]);

/**
 * The operations layer: request ids, one JSON access-log line per request (with the caller and the
 * codes of the errors it got), Prometheus metrics, /health, /ready and /metrics, and the last error
 * handler of the app.
 */
export function createOps(options: OpsOptions) {
  const metrics = new OpsMetrics(options.dataSource);
  const metricsToken = options.metricsToken ?? (process.env.METRICS_TOKEN || undefined);

  /** First middleware: request id (honours a sane x-request-id), scope, access log and metrics. */
  const requestStart: express.RequestHandler = (req, res, next) => {
    const scope: RequestScope = {
      requestId: requestIdFrom(req.headers["x-request-id"]),
      startedAt: process.hrtime.bigint(),
      errorCodes: [],
      language: languageFromHeader(req.headers["accept-language"]),
    };
    res.setHeader("content-language", scope.language);
    res.vary("accept-language");
    // server.ts reads the header into the GraphQL context (audit rows record it)
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
        subject: scope.caller?.subject,
        unit: scope.caller?.unit,
      };
      if (route === "/graphql") {
        const operation = metrics.operationLabel(scope.operation);
        metrics.recordGraphql(operation, seconds, scope.errorCodes);
        line.operation = operation;
      }
      if (scope.errorCodes.length) line.errorCodes = [...new Set(scope.errorCodes)];
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

  /** Records the operation name for the access log and metrics (error codes come from formatError). */
  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName }) {
          const scope = currentScope();
          if (scope) scope.operation = operationName ?? undefined;
        },
        async willSendResponse({ operationName }) {
          const scope = currentScope();
          if (scope && operationName) scope.operation = operationName;
        },
      };
    },
  };

  /**
   * Last handler of the app: a body too large or not JSON, and anything unexpected, answer a
   * GraphQL-shaped JSON error through the one error reporter (express's default would print the
   * stack outside production).
   */
  const errorHandler: express.ErrorRequestHandler = (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const scope = res.locals.opsScope as RequestScope | undefined;
    // the body parser calls back from a stream, outside the request's async context: re-enter it
    const formatted = scope ? runInScope(scope, () => reportError(error)) : reportError(error);
    res.status(httpStatusOf(formatted)).json({ errors: [formatted] });
  };

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

  return { metrics, plugin, requestStart, requestScope, errorHandler, install };
}


import { onDay } from "./common/date.scalar";
import http from "node:http";
import crypto from "node:crypto";
import express from "express";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import type { DataSource } from "typeorm";
import type { AppConfig } from "./config";
import { createRequestContext, type RequestContext } from "./context";
import { AuthService } from "./auth/auth.service";
import type { JwtConfig } from "./auth/jwt.config";
import { InternalError } from "./common/errors";
import { t } from "./i18n/i18n";
import { formatError, reportError, requestError } from "./common/format-error";
import { buildAppSchema } from "./schema/build-schema";
import { compiledQueriesPlugin } from "./schema/compiled-queries.plugin";
import { AnswerMemo } from "./schema/answer-memo";
import { sendPreparedAnswers } from "./schema/prepared-answer";
import { hardening, jsonBody, securityPlugin } from "./security/security";
import { API_PATHS, corsFor } from "./security/security.cors";
import { challengeUnauthenticated } from "./auth/auth.challenge";
import { createOps } from "./ops/ops";
import { compressAnswers, compressFiles } from "./ops/compression";
import { currentScope } from "./ops/request-scope";
import { installGraphiql } from "./graphiql/graphiql.routes";
import { installDashboard } from "./dashboard/dashboard.routes";
import { installCsv } from "./ops/csv.routes";
import { installReportUpload } from "./report/report.upload.routes";
import { installSubscriptions } from "./subscription/subscription.ws";
import { loadAppRole } from "./db/app-role";
import { ReplicaRouter, answerConsistencyToken, replicaPlugin } from "./db/replica-router";

export interface AppServer {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<RequestContext>;
  /** Where reads go when DATABASE_REPLICA_URLS is set. */
  replicas?: ReplicaRouter;
  /** Builds the context a request with this Authorization header would get (tests use it). */
  contextFor(authorization: string | undefined, requestId?: string): Promise<RequestContext>;
  listen(port: number): Promise<number>;
  stop(): Promise<void>;
}

/** Commits the request's transaction when it succeeded, rolls it back otherwise; a query reads without one. */
const transactionPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      // a query only reads: its statements each carry the scope, in one round trip and no transaction (request-db.ts)
      async didResolveOperation({ operation, contextValue }) {
        if (operation?.operation === "query") contextValue.db.onlyReads();
      },
      async willSendResponse({ contextValue, response }) {
        const body = response.body;
        const failed = body.kind === "single" && (body.singleResult.errors?.length ?? 0) > 0;
        try {
          await contextValue.db.finish(!failed);
          answerConsistencyToken(contextValue.db.commitLsn, response);
        } catch (error) {
          if (body.kind === "single") {
            body.singleResult.data = null;
            body.singleResult.errors = [reportError(new InternalError(t("common:saveFailed"), error))];
          }
        }
      },
    };
  },
};

export async function createServer(options: {
  config: AppConfig;
  dataSource: DataSource;
  jwt: JwtConfig;
}): Promise<AppServer> {
  const { config, dataSource } = options;
  const auth = new AuthService(options.jwt, dataSource);
  const schema = await buildAppSchema();
  const app = express();
  app.disable("x-powered-by");
  // no ETag on answers: they are the caller's own data, never answered 304 (POST), and hashing each (180 KB for a
  // national comparison) cost more CPU than anything but its serialisation; static files keep their own
  app.set("etag", false);
  if (config.compression) {
    // brotli or gzip for clients that ask (src/ops/compression.ts): answers in one call, static bundles as they stream
    app.use(compressAnswers());
    app.use(["/dashboard", "/graphiql"], compressFiles());
  }
  // APP_TODAY (outside production): every request runs as on that day (tokens, default dates)
  if (config.today) app.use((_req, _res, next) => onDay(config.today, next));
  const httpServer = http.createServer(app);
  const production = config.nodeEnv === "production";
  const ops = createOps({ dataSource });
  const replicas = config.replicas && new ReplicaRouter(dataSource, loadAppRole(), config.replicas, config);
  await replicas?.start();

  // answers kept by what they were computed from (src/schema/answer-memo.ts)
  const answers = config.answerMemoBytes > 0 ? new AnswerMemo(config.answerMemoBytes) : undefined;
  const apollo = new ApolloServer<RequestContext>({
    schema,
    formatError, // classifies, logs and records every error once (src/common/format-error.ts)
    includeStacktraceInErrorResponses: false,
    introspection: !production,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // main.ts owns shutdown: drain, close the pool, stop the embedded database, exit.
    stopOnTerminationSignals: false,
    ...hardening({ production }), // limits, introspection, suggestions (src/security/)
    // No HTTP caching of tenant data, and its per-field hook would wrap every resolver (10k fields a page).
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginCacheControlDisabled(),
      transactionPlugin,
      ops.plugin,
      securityPlugin,
      compiledQueriesPlugin((executor) => ops.metrics.queryExecutions.inc({ executor }), answers),
      ...(replicas ? [replicaPlugin(replicas)] : []),
    ],
  });
  await apollo.start();

  async function contextFor(authorization: string | undefined, requestId: string = crypto.randomUUID()): Promise<RequestContext> {
    let actor;
    try {
      actor = await auth.authenticate(authorization);
    } catch (error) {
      throw requestError(error); // a bad token answers 401, an unreachable database 503
    }
    const scope = currentScope();
    if (scope && actor) scope.caller = { subject: actor.subject, unit: actor.unitCode };
    return createRequestContext(dataSource, actor, requestId);
  }

  ops.install(app); // request ids, access log, /health, /ready, /metrics
  const cors = corsFor(config.corsOrigins); // browser apps on other origins (CORS_ORIGINS), preflights answered
  if (cors) app.use(API_PATHS, cors);
  app.use(API_PATHS.filter((p) => p !== "/graphql"), challengeUnauthenticated); // their 401s carry WWW-Authenticate
  app.use(
    "/graphql",
    jsonBody(),
    ops.requestScope,
    sendPreparedAnswers(), // a query's answer written as bytes by compiledQueriesPlugin (src/schema/prepared-answer.ts)
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = (req.headers["x-request-id"] as string | undefined)?.slice(0, 64) || crypto.randomUUID();
        return contextFor(req.headers.authorization, requestId);
      },
    }),
  );
  installGraphiql(app, { config, jwt: options.jwt });
  installDashboard(app);
  installCsv(app, { apollo, contextFor });
  installReportUpload(app, { contextFor });
  app.use(ops.errorHandler); // last: JSON errors (413, bad JSON) without stack traces
  // live roll-ups: WebSocket upgrades of /graphql (src/subscription/)
  const subscriptions = installSubscriptions({
    httpServer,
    schema,
    dataSource,
    production,
    maxPerToken: config.maxSubscriptionsPerToken,
    contextFor: (authorization) => contextFor(authorization),
  });

  return {
    app,
    httpServer,
    apollo,
    replicas,
    contextFor,
    listen: (port) =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, () => {
          const address = httpServer.address();
          resolve(typeof address === "object" && address ? address.port : port);
        });
      }),
    // WebSockets first: the HTTP server drains only once they are closed
    stop: async () => {
      await subscriptions.close();
      await apollo.stop();
      await replicas?.close();
    },
  };
}

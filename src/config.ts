import path from "node:path";

/** Everything the service reads from the environment, in one place (see README "Configuration"). */
export interface AppConfig {
  nodeEnv: string;
  port: number;
  /** External PostgreSQL; when absent an embedded PostgreSQL is started. */
  databaseUrl?: string;
  /** Folder of the embedded PostgreSQL cluster. */
  dataDir: string;
  embeddedPort: number;
  /** Production normally refuses the embedded PostgreSQL (EMBEDDED_PG_IN_PRODUCTION=1 allows it). */
  embeddedInProduction: boolean;
  poolSize: number;
  statementTimeoutMs: number;
  /** Client-side bound on one database call (pg's query_timeout), a little above statement_timeout. */
  queryTimeoutMs: number;
  connectionTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  /** `npm start` prints, and GraphiQL offers, development tokens (see devTokensWanted). */
  devTokens: boolean;
  metricsToken?: string;
  /** Production serves /metrics without METRICS_TOKEN only when this is set (METRICS_PUBLIC=1). */
  metricsPublic: boolean;
  /**
   * APP_TODAY=YYYY-MM-DD runs the service as on that day (tokens, default dates): demonstrations and tests
   * of the three-tier tree, where district users still exist. Refused in production.
   */
  today?: string;
  /**
   * Origins of browser apps served elsewhere that may call the API (CORS_ORIGINS, comma-separated,
   * e.g. https://app.example.gov.vn); empty: same origin only.
   */
  corsOrigins: string[];
  /** Live roll-up subscriptions one token may hold open at once in one API process (MAX_SUBSCRIPTIONS_PER_TOKEN). */
  maxSubscriptionsPerToken: number;
  /** PostgreSQL streaming replicas for reads (DATABASE_REPLICA_URLS); none when absent. */
  replicas?: ReplicaSettings;
  /** Answers compressed for clients that accept it (COMPRESSION=0: off, where a proxy in front compresses). */
  compression: boolean;
  /** Bytes of query answers each API process keeps to answer the same question again (ANSWER_MEMO_MB; 0: none). */
  answerMemoBytes: number;
}

/**
 * CORS_ORIGINS: each an origin as a browser sends it (scheme, host, port; no path), http(s) only.
 * `*` is refused: the ministry's apps are named one by one.
 */
export function corsOriginsFrom(value: string | undefined): string[] {
  const origins = (value ?? "").split(/[\s,]+/).filter(Boolean);
  return [
    ...new Set(
      origins.map((given) => {
        const url = URL.canParse(given) ? new URL(given) : undefined;
        // scheme and authority only (a trailing slash tolerated), no user info
        if (!url || !/^https?:\/\/[^/@?#]+\/?$/i.test(given)) {
          throw new Error(`CORS_ORIGINS: "${given}" is not an origin; give each as https://host[:port], comma-separated (no path, no *).`);
        }
        return url.origin;
      }),
    ),
  ];
}

/** Read replicas (see src/db/replica-router.ts): owner URLs like DATABASE_URL; the app role is derived the same way. */
export interface ReplicaSettings {
  urls: string[];
  /** a replica further behind the primary than this is skipped (DATABASE_REPLICA_MAX_LAG_MS) */
  maxLagMs: number;
  /** how long a read with a consistency token waits for a replica to replay it before the primary answers */
  waitMs: number;
  /** how often each replica's position and health are read */
  checkIntervalMs: number;
}

function replicaSettings(env: NodeJS.ProcessEnv): ReplicaSettings | undefined {
  const urls = (env.DATABASE_REPLICA_URLS ?? "").split(",").map((u) => u.trim()).filter(Boolean);
  if (!urls.length) return undefined;
  for (const url of urls) {
    if (!URL.canParse(url) || !/^postgres(ql)?:$/.test(new URL(url).protocol)) {
      throw new Error(`DATABASE_REPLICA_URLS holds "${url.replace(/:[^:@/]*@/, ":***@")}", which is no postgres:// URL.`);
    }
  }
  return {
    urls,
    maxLagMs: intFrom(env, "DATABASE_REPLICA_MAX_LAG_MS", 5000),
    waitMs: intFrom(env, "DATABASE_REPLICA_WAIT_MS", 500),
    checkIntervalMs: Math.max(50, intFrom(env, "DATABASE_REPLICA_CHECK_INTERVAL_MS", 1000)),
  };
}

/** Added to statement_timeout for pg's query_timeout: PostgreSQL's own cancel normally answers first. */
export const QUERY_TIMEOUT_MARGIN_MS = 2000;

/** A whole number from the environment variable `name`, or `fallback` when it is unset or empty. */
function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === "") return fallback;
  const parsed = Number.parseInt(value, 10);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return parsed;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const value = env[name];
  if (value === undefined || value === "") return undefined;
  if (value === "1") return true;
  if (value === "0") return false;
  throw new Error(`${name} must be 1 or 0, got "${value}".`);
}

/**
 * Development tokens (signed with the development secret, handed to anyone who runs `npm start`
 * or opens GraphiQL on this machine) are opt-in: DEV_TOKENS=1, or left unset in `npm start`'s
 * default mode only (embedded database, generated secret, not production). A JWT key from the
 * environment is a real one, and production is production: there, DEV_TOKENS=1 is refused.
 */
export function devTokensWanted(env: NodeJS.ProcessEnv): boolean {
  const wanted = flag(env, "DEV_TOKENS");
  const realKey = Boolean(env.JWT_SECRET || env.JWT_PUBLIC_KEY);
  // with the identity provider's keys, tokens come from it: development tokens only when asked for
  const identityProvider = Boolean(env.JWT_JWKS_URL);
  const production = env.NODE_ENV === "production";
  if (wanted && (realKey || production)) {
    throw new Error(
      `DEV_TOKENS=1 is refused ${production ? "in production" : "with JWT_SECRET / JWT_PUBLIC_KEY set"}: development ` +
        "tokens are only for the generated development secret. Unset DEV_TOKENS, and mint a token with `npm run token`.",
    );
  }
  return wanted ?? (!realKey && !identityProvider && !production && !env.DATABASE_URL);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const statementTimeoutMs = intFrom(env, "DB_STATEMENT_TIMEOUT_MS", 15000);
  const queryTimeoutMs = intFrom(env, "DB_QUERY_TIMEOUT_MS", statementTimeoutMs > 0 ? statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS : 0);
  if (queryTimeoutMs > 0 && statementTimeoutMs > 0 && queryTimeoutMs < statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS) {
    throw new Error(
      `DB_QUERY_TIMEOUT_MS (${queryTimeoutMs}) must be at least DB_STATEMENT_TIMEOUT_MS + ${QUERY_TIMEOUT_MARGIN_MS} ` +
        `(${statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS}): PostgreSQL's own cancel should answer first.`,
    );
  }
  return {
    nodeEnv: env.NODE_ENV ?? "development",
    port: intFrom(env, "PORT", 4000),
    databaseUrl: env.DATABASE_URL || undefined,
    // Resolved from the working directory, not __dirname, so it never lands inside dist/.
    dataDir: path.resolve(process.cwd(), env.DATA_DIR ?? ".data/postgres"),
    embeddedPort: intFrom(env, "EMBEDDED_PG_PORT", 54329),
    embeddedInProduction: flag(env, "EMBEDDED_PG_IN_PRODUCTION") ?? false,
    poolSize: intFrom(env, "DB_POOL_SIZE", 10),
    statementTimeoutMs,
    queryTimeoutMs,
    connectionTimeoutMs: intFrom(env, "DB_CONNECTION_TIMEOUT_MS", 5000),
    idleInTransactionTimeoutMs: intFrom(env, "DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", 30000),
    devTokens: devTokensWanted(env),
    metricsToken: env.METRICS_TOKEN || undefined,
    metricsPublic: flag(env, "METRICS_PUBLIC") ?? false,
    today: env.APP_TODAY || undefined,
    corsOrigins: corsOriginsFrom(env.CORS_ORIGINS),
    maxSubscriptionsPerToken: intFrom(env, "MAX_SUBSCRIPTIONS_PER_TOKEN", 10),
    replicas: replicaSettings(env),
    compression: flag(env, "COMPRESSION") ?? true,
    answerMemoBytes: intFrom(env, "ANSWER_MEMO_MB", 16) * 1024 * 1024,
  };
}

/** Why production must not use the embedded PostgreSQL as configured, or undefined when it may. */
export function embeddedDatabaseRefusal(config: AppConfig): string | undefined {
  if (config.nodeEnv !== "production" || config.databaseUrl || config.embeddedInProduction) return undefined;
  return (
    "DATABASE_URL is required in production: the embedded PostgreSQL is for development (one host, " +
    "no backups, no replication). Set EMBEDDED_PG_IN_PRODUCTION=1 to run on it anyway."
  );
}

/** What the server refuses to start with, one line each (empty when it may start). */
export function serverStartProblems(config: AppConfig): string[] {
  const problems: string[] = [];
  const embedded = embeddedDatabaseRefusal(config);
  if (embedded) problems.push(embedded);
  if (config.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(config.today)) problems.push(`APP_TODAY "${config.today}" is not a date YYYY-MM-DD.`);
  if (config.today !== undefined && config.nodeEnv === "production") {
    problems.push("APP_TODAY is refused in production: the service runs on the real date there.");
  }
  if (config.nodeEnv === "production" && !config.metricsToken && !config.metricsPublic) {
    problems.push(
      "METRICS_TOKEN is required in production (/metrics then asks for `Authorization: Bearer <METRICS_TOKEN>`); " +
        "set METRICS_PUBLIC=1 instead to serve /metrics to anyone who can reach the port.",
    );
  }
  return problems;
}

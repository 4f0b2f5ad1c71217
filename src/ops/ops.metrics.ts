import client from "prom-client";
import type { DataSource } from "typeorm";
import { poolOf } from "../db/pool";

/** Distinct operation names kept as label values; later new names count as "other". */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const ERROR_CODE = /^[A-Z][A-Z_]{0,39}$/;

let defaultRegistry: client.Registry | undefined;
/** Process metrics (CPU, memory, event loop, GC): once per process, started on first scrape. */
function processRegistry(): client.Registry {
  if (!defaultRegistry) {
    defaultRegistry = new client.Registry();
    client.collectDefaultMetrics({ register: defaultRegistry, prefix: "vnp_" });
  }
  return defaultRegistry;
}

/** Prometheus metrics of one server: GraphQL requests, errors, HTTP responses and the db pool. */
export class OpsMetrics {
  readonly registry = new client.Registry();
  private readonly operations = new Set<string>();

  readonly graphqlRequests = new client.Counter({
    name: "vnp_graphql_requests_total",
    help: "GraphQL requests by operation name and outcome (success: no errors)",
    labelNames: ["operation", "outcome"] as const,
    registers: [this.registry],
  });
  readonly graphqlDuration = new client.Histogram({
    name: "vnp_graphql_request_duration_seconds",
    help: "GraphQL request latency (HTTP request in to response finished) by operation name",
    labelNames: ["operation"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [this.registry],
  });
  readonly graphqlErrors = new client.Counter({
    name: "vnp_graphql_errors_total",
    help: "GraphQL errors returned, by extensions.code",
    labelNames: ["code"] as const,
    registers: [this.registry],
  });
  readonly queryExecutions = new client.Counter({
    name: "vnp_graphql_query_executions_total",
    help: "GraphQL queries executed, by executor: compiled (graphql-jit), interpreted (graphql-js: refused variables, or a document graphql-jit cannot compile), or memo (the same question by the same caller, whose reads gave the same rows: the answer kept)",
    labelNames: ["executor"] as const,
    registers: [this.registry],
  });
  readonly httpResponses = new client.Counter({
    name: "vnp_http_responses_total",
    help: "HTTP responses by route and status code",
    labelNames: ["route", "status"] as const,
    registers: [this.registry],
  });

  constructor(dataSource: DataSource) {
    new client.Gauge({
      name: "vnp_db_pool_connections",
      help: "Database pool connections by state (in_use = checked out by a request or a check)",
      labelNames: ["state"] as const,
      registers: [this.registry],
      collect() {
        const pool = poolOf(dataSource);
        const total = pool?.totalCount ?? 0;
        const idle = pool?.idleCount ?? 0;
        this.set({ state: "total" }, total);
        this.set({ state: "idle" }, idle);
        this.set({ state: "in_use" }, total - idle);
      },
    });
    new client.Gauge({
      name: "vnp_db_pool_waiting",
      help: "Requests waiting for a free database connection",
      registers: [this.registry],
      collect() {
        this.set(poolOf(dataSource)?.waitingCount ?? 0);
      },
    });
    new client.Gauge({
      name: "vnp_db_pool_max",
      help: "Size of the database pool (DB_POOL_SIZE)",
      registers: [this.registry],
      collect() {
        this.set(poolOf(dataSource)?.options?.max ?? 0);
      },
    });
  }

  /** A bounded label value for a client-chosen operation name. */
  operationLabel(name: string | undefined | null): string {
    if (!name) return "anonymous";
    if (!OPERATION_NAME.test(name)) return "invalid";
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATION_NAMES) return "other";
    this.operations.add(name);
    return name;
  }

  recordGraphql(operation: string, seconds: number, errorCodes: string[]): void {
    this.graphqlRequests.inc({ operation, outcome: errorCodes.length ? "error" : "success" });
    this.graphqlDuration.observe({ operation }, seconds);
    for (const code of errorCodes) this.graphqlErrors.inc({ code: ERROR_CODE.test(code) ? code : "OTHER" });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    const merged = client.Registry.merge([processRegistry(), this.registry]);
    return { contentType: merged.contentType, body: await merged.metrics() };
  }
}

import { Role } from "../src/auth/auth.types";
import { loadConfig } from "../src/config";
import { createDataSource } from "../src/db/data-source";
import { OpsMetrics } from "../src/ops/ops.metrics";
import { createOps } from "../src/ops/ops";
import { installGraphiql } from "../src/graphiql/graphiql.routes";
import { EXAMPLE_OPERATIONS, UNIT_ON_A_DATE } from "../src/graphiql/graphiql.examples";
import { checkReadiness, pendingMigrations } from "../src/ops/ops.readiness";
import express from "express";
import { DataSource } from "typeorm";
import { migrations } from "../migrations";
import { startHarness, type Harness } from "./support/harness";

let h: Harness;
let base: string;

beforeAll(async () => {
  h = await startHarness();
  base = `http://127.0.0.1:${await h.server.listen(0)}`;
});
afterAll(async () => {
  await h.close();
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as any };
}

/** The value of one sample of the Prometheus text exposition, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe("health and readiness", () => {
  it("/health says the process is up", async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("/ready checks the database and that no migration is pending", async () => {
    const response = await fetch(`${base}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ready",
      ready: true,
      checks: { database: "ok", migrations: "current" },
    });
  });
});

describe("request ids", () => {
  it("honours the caller's x-request-id in the response header and in error extensions", async () => {
    const token = h.token("22", [Role.VIEWER]);
    const { headers, json } = await post(
      { query: `query Missing { orgUnit(code: "01") { name } }` },
      { authorization: `Bearer ${token}`, "x-request-id": "trace-abc.123" },
    );
    expect(headers.get("x-request-id")).toBe("trace-abc.123");
    expect(json.errors[0].extensions).toMatchObject({ code: "NOT_FOUND", requestId: "trace-abc.123" });
  });

  it("makes up an id when none (or a strange one) is sent, and puts it on errors", async () => {
    const { headers, json } = await post({ query: "{ orgUnit(code: \"22\") { name } }" }, { "x-request-id": "bad id with spaces" });
    const id = headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(json.errors[0].extensions).toMatchObject({ code: "UNAUTHENTICATED", requestId: id });
  });
});

describe("/metrics", () => {
  it("counts requests and latency by operation name, errors by code, and shows the pool", async () => {
    const token = h.token("VN", [Role.VIEWER]);
    const auth = { authorization: `Bearer ${token}` };
    for (let i = 0; i < 3; i++) {
      const ok = await post({ query: "query OpsProbe { orgUnit(code: \"22\") { name } }" }, auth);
      expect(ok.json.errors).toBeUndefined();
    }
    const bad = await post({ query: "query OpsMissing { orgUnit(code: \"zz\") { name } }" }, auth);
    expect(bad.json.errors[0].extensions.code).toBe("NOT_FOUND");

    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(sample(text, "vnp_graphql_requests_total", { operation: "OpsProbe", outcome: "success" })).toBe(3);
    expect(sample(text, "vnp_graphql_requests_total", { operation: "OpsMissing", outcome: "error" })).toBe(1);
    expect(sample(text, "vnp_graphql_request_duration_seconds_count", { operation: "OpsProbe" })).toBe(3);
    expect(sample(text, "vnp_graphql_errors_total", { code: "NOT_FOUND" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "vnp_db_pool_connections", { state: "in_use" })).toBe(0);
    expect(sample(text, "vnp_db_pool_connections", { state: "total" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "vnp_db_pool_waiting")).toBe(0);
    expect(sample(text, "vnp_db_pool_max")).toBe(5);
    expect(sample(text, "vnp_http_responses_total", { route: "/graphql", status: "200" })).toBeGreaterThanOrEqual(4);
    expect(text).toContain("vnp_process_resident_memory_bytes");
  });

  it("keeps operation-name labels bounded: after 200 distinct names, new ones count as other", () => {
    const metrics = new OpsMetrics(h.dataSource);
    for (let i = 0; i < 200; i++) expect(metrics.operationLabel(`Op${i}`)).toBe(`Op${i}`);
    expect(metrics.operationLabel("Op0")).toBe("Op0");
    expect(metrics.operationLabel("OneTooMany")).toBe("other");
    expect(metrics.operationLabel(undefined)).toBe("anonymous");
  });
});

describe("pool and timeouts from config", () => {
  it("sets pool size, connection timeout, statement_timeout and idle_in_transaction_session_timeout", async () => {
    const config = loadConfig({
      DB_POOL_SIZE: "3",
      DB_STATEMENT_TIMEOUT_MS: "1234",
      DB_CONNECTION_TIMEOUT_MS: "2345",
      DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: "3456",
    });
    const dataSource = createDataSource(h.db.url, config);
    await dataSource.initialize();
    try {
      const [row] = await dataSource.query(
        "SELECT current_setting('statement_timeout') AS st, current_setting('idle_in_transaction_session_timeout') AS idle",
      );
      expect(row).toEqual({ st: "1234ms", idle: "3456ms" });
      const pool = (dataSource.driver as any).master;
      expect(pool.options.max).toBe(3);
      expect(pool.options.connectionTimeoutMillis).toBe(2345);
    } finally {
      await dataSource.destroy();
    }
  });
});

describe("/metrics behind METRICS_TOKEN", () => {
  it("asks for the token when one is configured", async () => {
    const app = express();
    createOps({ dataSource: h.appDataSource, metricsToken: "s3cret-metrics-token" }).install(app);
    const server = app.listen(0);
    try {
      const port = (server.address() as { port: number }).port;
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: "Bearer nope" } })).status).toBe(401);
      const ok = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: "Bearer s3cret-metrics-token" } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain("vnp_db_pool_connections");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("readiness when a migration is pending", () => {
  it("names the migrations of the build that the database lacks", async () => {
    class FutureMigration1999999999999 {
      name = "FutureMigration1999999999999";
      async up(): Promise<void> {}
      async down(): Promise<void> {}
    }
    const ahead = new DataSource({ ...(h.appDataSource.options as any), migrations: [...migrations, FutureMigration1999999999999] });
    await ahead.initialize();
    try {
      expect(await pendingMigrations(h.appDataSource)).toEqual([]);
      expect(await pendingMigrations(ahead)).toEqual(["FutureMigration1999999999999"]);
      expect(await checkReadiness(ahead)).toEqual({ ready: false, checks: { database: "ok", migrations: "pending" } });
    } finally {
      await ahead.destroy();
    }
  });
});

describe("GraphiQL's development tokens", () => {
  async function configFrom(nodeEnv: string) {
    const app = express();
    installGraphiql(app, { config: { ...loadConfig({}), nodeEnv }, jwt: h.jwt });
    const server = app.listen(0);
    try {
      const port = (server.address() as { port: number }).port;
      const page = await fetch(`http://127.0.0.1:${port}/graphiql`);
      expect(page.status).toBe(200);
      expect(await page.text()).not.toMatch(/https?:\/\/(?!localhost)/); // nothing from another host
      return (await (await fetch(`http://127.0.0.1:${port}/graphiql/config.json`)).json()) as any;
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it("are offered to a browser on this machine outside production, and never in production", async () => {
    const dev = await configFrom("development");
    expect(dev.tokens.map((t: { unit: string; roles: string[] }) => `${t.unit} ${t.roles[0]}`)).toEqual([
      "VN VIEWER",
      "22 PLANNER",
      "22 REPORTER",
      "22 ADMIN",
      "91 VIEWER",
      "06673 VIEWER",
    ]);
    // every one is of a unit of today's tree (a district's token is refused since 1/7/2025)
    const names: string[] = [];
    for (const { unit, token } of dev.tokens as Array<{ unit: string; token: string }>) {
      const probe = await fetch(`${base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `query($code: String!) { orgUnit(code: $code) { name level validTo } }`, variables: { code: unit } }),
      });
      const body = (await probe.json()) as any;
      expect(body.errors).toBeUndefined();
      expect(body.data.orgUnit.validTo).toBeNull();
      expect(body.data.orgUnit.level).not.toBe("DISTRICT");
      names.push(body.data.orgUnit.name);
    }
    expect(names.slice(4)).toEqual(["Tỉnh An Giang", "Phường Bãi Cháy"]);
    expect(dev.examples.map((e: { title: string }) => e.title)).toEqual(EXAMPLE_OPERATIONS.map((e) => e.title));
    const production = await configFrom("production");
    expect(production.tokens).toEqual([]);
  });

  it("include a look-up on a date beside today's tree (91: An Giang today, Kiên Giang on 2024-06-30), for the ministry's default token", async () => {
    const dev = await configFrom("development");
    const response = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${dev.tokens[0].token}` },
      body: JSON.stringify({ query: UNIT_ON_A_DATE.query, operationName: "UnitOnADate" }),
    });
    const body = (await response.json()) as any;
    expect(body.errors).toBeUndefined();
    expect(body.data.today).toMatchObject({ code: "91", name: "Tỉnh An Giang", validFrom: "2025-07-01", validTo: null });
    expect(body.data.today.children.nodes[0].level).toBe("COMMUNE");
    expect(body.data.today.predecessors.map((p: any) => p.unit.name).sort()).toEqual(["Tỉnh An Giang", "Tỉnh Kiên Giang"]);
    expect(body.data.before).toMatchObject({ code: "91", name: "Tỉnh Kiên Giang", asOf: "2024-06-30", validTo: "2025-07-01" });
    expect(body.data.before.children.nodes[0].level).toBe("DISTRICT");
    expect(body.data.before.successors.map((p: any) => p.unit.name)).toEqual(["Tỉnh An Giang"]);
  });
});

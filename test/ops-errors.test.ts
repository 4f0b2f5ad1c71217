import { Role } from "../src/auth/auth.types";
import { signToken } from "../src/auth/token";
import { createTestDatabase, type TestDatabase } from "./support/test-database";
import { captureLogs, type LogCapture } from "./support/log-capture";
import { eventually, holdTableLock, startLiveServer, waitForLockWaiters, type LiveServer } from "./support/live-server";

/**
 * One error vocabulary, seen from outside: the HTTP status and code a client gets, the one log line
 * per error, and the access-log line (caller, codes) — for GraphQL, the CSV downloads and /ready.
 * Slowness and a full pool are real (a lock held from another session); a broken query is made by
 * renaming a table in this file's own database copy. No test-only code path in the server.
 */
let db: TestDatabase;
let logs: LogCapture;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.stop());

const ROLLUP_CSV = "/csv/rollup?unit=22&period=2025";
const PLANS = `query Plans { plans(unitCode: "22") { id } }`;

async function get(live: LiveServer, path: string, token: string, requestId: string) {
  const response = await fetch(`${live.base}${path}`, { headers: { authorization: `Bearer ${token}`, "x-request-id": requestId } });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}

/** The access-log line of a request (written when the response finished, so waited for). */
async function accessLine(requestId: string): Promise<Record<string, any>> {
  await eventually(() => logs.lines.some((l) => l.msg === "request" && l.requestId === requestId), `the access-log line of ${requestId}`, 10_000);
  return logs.lines.find((l) => l.msg === "request" && l.requestId === requestId)!;
}

/** Log lines of a request other than its access-log line. */
const errorLines = (requestId: string) => logs.lines.filter((l) => l.requestId === requestId && l.msg !== "request");

describe("the access log names the caller", () => {
  let live: LiveServer;
  beforeAll(async () => {
    live = await startLiveServer(db.url);
  });
  afterAll(() => live.close());

  it("carries the token's subject and unit on GraphQL and CSV requests, nothing for an anonymous one", async () => {
    const token = signToken(live.jwt, { sub: "alice@quang-ninh", unit: "22", roles: [Role.VIEWER] });
    const ok = await live.post(`query Who { orgUnit(code: "22") { name } }`, {}, token, { "x-request-id": "who-1" });
    expect(ok.body.errors).toBeUndefined();
    expect(await accessLine("who-1")).toMatchObject({ route: "/graphql", status: 200, operation: "Who", subject: "alice@quang-ninh", unit: "22" });

    const csv = await get(live, ROLLUP_CSV, token, "who-2");
    expect(csv.status).toBe(200);
    expect(await accessLine("who-2")).toMatchObject({ route: "/csv", status: 200, subject: "alice@quang-ninh", unit: "22" });

    await live.post(`{ orgUnit(code: "22") { name } }`, {}, undefined, { "x-request-id": "who-3" });
    const anonymous = await accessLine("who-3");
    expect(anonymous).toMatchObject({ status: 401, errorCodes: ["UNAUTHENTICATED"] });
    expect(anonymous).not.toHaveProperty("subject");
    expect(anonymous).not.toHaveProperty("unit");
  });

  it("records the code of a refused token (401), not a guess from the status", async () => {
    await live.post(`{ orgUnit(code: "22") { name } }`, {}, "not-a-token", { "x-request-id": "bad-token-1" });
    expect(await accessLine("bad-token-1")).toMatchObject({ status: 401, errorCodes: ["UNAUTHENTICATED"] });
  });
});

describe("a statement cancelled by statement_timeout", () => {
  let live: LiveServer;
  beforeAll(async () => {
    live = await startLiveServer(db.url, { poolSize: 2, statementTimeoutMs: 300, connectionTimeoutMs: 5000 });
  });
  afterAll(() => live.close());

  it("answers a CSV download 504 TIMEOUT with the request id, logged once at warn", async () => {
    const lock = await holdTableLock(db.url, "report_summary"); // the roll-up reads it, authentication does not
    let csv;
    try {
      csv = await get(live, ROLLUP_CSV, live.token("22", [Role.VIEWER]), "csv-slow-1");
    } finally {
      await lock.release();
    }
    expect(csv.status).toBe(504);
    expect(csv.json()).toEqual({ error: { code: "TIMEOUT", message: "The query took too long and was cancelled.", requestId: "csv-slow-1" } });
    expect(await accessLine("csv-slow-1")).toMatchObject({ route: "/csv", status: 504, errorCodes: ["TIMEOUT"] });
    expect(errorLines("csv-slow-1")).toEqual([expect.objectContaining({ level: 40, code: "TIMEOUT" })]);
  });
});

describe("a pool with every connection in use", () => {
  let live: LiveServer;
  beforeAll(async () => {
    live = await startLiveServer(db.url, { poolSize: 1, statementTimeoutMs: 20000, connectionTimeoutMs: 300 });
  });
  afterAll(() => live.close());

  it("answers GraphQL and CSV 503 SERVICE_UNAVAILABLE, logs that code, and /ready says busy, not unreachable", async () => {
    const token = live.token("22", [Role.VIEWER]);
    const lock = await holdTableLock(db.url, "plan");
    let held: Promise<{ status: number; body: any }> | undefined;
    try {
      held = live.post(PLANS, {}, token); // holds the pool's only connection, waiting for the lock
      await waitForLockWaiters(db.url, db.name, 1);

      const ready = await fetch(`${live.base}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: "unavailable", ready: false, checks: { database: "busy", migrations: "unknown" } });

      const graphql = await live.post(`query Busy { orgUnit(code: "22") { name } }`, {}, token, { "x-request-id": "busy-1" });
      expect(graphql.status).toBe(503);
      expect(graphql.body.errors).toEqual([
        expect.objectContaining({ extensions: { code: "SERVICE_UNAVAILABLE", requestId: "busy-1" } }),
      ]);
      expect(await accessLine("busy-1")).toMatchObject({ route: "/graphql", status: 503, errorCodes: ["SERVICE_UNAVAILABLE"] });
      expect(errorLines("busy-1")).toEqual([expect.objectContaining({ level: 40, code: "SERVICE_UNAVAILABLE" })]);

      const csv = await get(live, ROLLUP_CSV, token, "busy-2");
      expect(csv.status).toBe(503);
      expect(csv.json()).toEqual({
        error: { code: "SERVICE_UNAVAILABLE", message: "The database is unavailable right now; retry shortly.", requestId: "busy-2" },
      });
      expect(await accessLine("busy-2")).toMatchObject({ route: "/csv", status: 503, errorCodes: ["SERVICE_UNAVAILABLE"] });
    } finally {
      await lock.release();
    }
    expect((await held!).body.errors).toBeUndefined();
    expect((await fetch(`${live.base}/ready`)).status).toBe(200);
  });
});

describe("an unexpected error", () => {
  let live: LiveServer;
  beforeAll(async () => {
    live = await startLiveServer(db.url);
  });
  afterAll(() => live.close());

  it("answers INTERNAL_SERVER_ERROR without SQL, with the request id once, and is logged exactly once", async () => {
    const token = live.token("22", [Role.VIEWER]);
    await db.dataSource.query("ALTER TABLE indicator RENAME TO indicator_gone"); // a query of the app now fails
    let result;
    try {
      result = await live.post(`query Catalog { indicators { code } }`, {}, token, { "x-request-id": "broken-1" });
    } finally {
      await db.dataSource.query("ALTER TABLE indicator_gone RENAME TO indicator");
    }
    expect(result.body.errors).toEqual([
      { message: "Internal server error.", locations: expect.any(Array), path: ["indicators"], extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "broken-1" } },
    ]);
    expect(JSON.stringify(result.body)).not.toMatch(/indicator_gone|relation|SELECT/);
    expect(await accessLine("broken-1")).toMatchObject({ status: 200, operation: "Catalog", errorCodes: ["INTERNAL_SERVER_ERROR"] });
    const lines = errorLines("broken-1");
    expect(lines).toEqual([expect.objectContaining({ level: 50, code: "INTERNAL_SERVER_ERROR", msg: "unexpected error" })]);
    expect(JSON.stringify(lines[0]!.err)).toMatch(/indicator/); // the log has what the client must not see
  });
});

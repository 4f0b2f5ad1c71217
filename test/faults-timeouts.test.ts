import { Role } from "../src/auth/auth.types";
import { createTestDatabase, type TestDatabase } from "./support/test-database";
import { holdTableLock, startLiveServer, waitForLockWaiters, type LiveServer } from "./support/live-server";

/**
 * A slow statement is made by holding a lock on `plan` from another session: the API's statements
 * on plans then genuinely wait, with nothing test-only in the server.
 */
const PLANS = `query Plans { plans(unitCode: "22") { id documentNumber } }`;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe("statement_timeout", () => {
  let live: LiveServer;
  beforeAll(async () => {
    live = await startLiveServer(db.url, { poolSize: 1, statementTimeoutMs: 300, connectionTimeoutMs: 5000 });
  });
  afterAll(() => live.close());

  it("cancels a statement that runs too long with a clear TIMEOUT error, and the connection is reused", async () => {
    const token = live.token("22", [Role.VIEWER]);
    const before = await live.post(PLANS, {}, token);
    expect(before.body.errors).toBeUndefined();
    const count = before.body.data.plans.length;
    expect(count).toBeGreaterThan(0);

    const lock = await holdTableLock(db.url, "plan");
    let slow;
    try {
      slow = await live.post(PLANS, {}, token, { "x-request-id": "slow-1" });
    } finally {
      await lock.release();
    }
    expect(slow.status).toBe(200);
    expect(slow.body.data).toBeNull();
    expect(slow.body.errors).toEqual([
      expect.objectContaining({
        message: "The query took too long and was cancelled.",
        extensions: { code: "TIMEOUT", requestId: "slow-1" },
      }),
    ]);

    // the pool holds one connection: the next request can only run on the one that was cancelled
    const after = await live.post(PLANS, {}, token);
    expect(after.body.errors).toBeUndefined();
    expect(after.body.data.plans).toHaveLength(count);
    const pool = (live.appDataSource.driver as any).master;
    expect(pool.totalCount).toBe(1);
    expect(pool.idleCount).toBe(1);
  });
});

describe("a pool with no free connection", () => {
  let live: LiveServer;
  beforeAll(async () => {
    live = await startLiveServer(db.url, { poolSize: 2, statementTimeoutMs: 20000, connectionTimeoutMs: 300 });
  });
  afterAll(() => live.close());

  it("fails the extra request fast with SERVICE_UNAVAILABLE instead of hanging; the others finish", async () => {
    const token = live.token("22", [Role.VIEWER]);
    const lock = await holdTableLock(db.url, "plan");
    let held: Array<Promise<{ status: number; body: any }>> = [];
    let extra: { status: number; body: any };
    try {
      held = [live.post(PLANS, {}, token), live.post(PLANS, {}, token)];
      await waitForLockWaiters(db.url, db.name, 2); // both pool connections are now busy
      const metrics = await (await fetch(`${live.base}/metrics`)).text();
      expect(metrics).toContain('vnp_db_pool_connections{state="in_use"} 2');
      expect(metrics).toContain("vnp_db_pool_max 2");
      // answered while the lock is still held: it did not wait for the others
      extra = await live.post(`{ orgUnit(code: "22") { name } }`, {}, token, { "x-request-id": "extra-1" });
    } finally {
      await lock.release();
    }
    expect(extra.status).toBe(503);
    expect(extra.body.errors).toEqual([
      expect.objectContaining({
        message: "The database is unavailable right now; retry shortly.",
        extensions: expect.objectContaining({ code: "SERVICE_UNAVAILABLE", requestId: "extra-1" }),
      }),
    ]);
    for (const result of await Promise.all(held)) {
      expect(result.body.errors).toBeUndefined();
      expect(result.body.data.plans.length).toBeGreaterThan(0);
    }
    const again = await live.post(`{ orgUnit(code: "22") { name } }`, {}, token);
    expect(again.body).toEqual({ data: { orgUnit: { name: "Tỉnh Quảng Ninh" } } });
  });
});

import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { Client as PgClient } from "pg";
import { Role } from "../src/auth/auth.types";
import { signToken } from "../src/auth/token";
import { createTestDatabase, type TestDatabase } from "./support/test-database";
import { eventually, startLiveServer, type LiveServer } from "./support/live-server";

/**
 * Live roll-ups across processes: two API servers on one database, as two processes behind a load balancer
 * would be. A client subscribes on server A over WebSocket; a report written through server B reaches it, by
 * PostgreSQL's NOTIFY (ids only) and a re-read under the subscriber's own scope. 2025-Q1 is on the three-tier
 * tree, with districts as the provinces' children.
 */
let db: TestDatabase;
let a: LiveServer;
let b: LiveServer;
const clients: Client[] = [];

const SUBMIT = `mutation($rows: [ReportRowInput!]!) { submitReports(input: { rows: $rows }) { inserted updated } }`;
const CELL = "indicatorCode value unitsReported unitsExpected unitsMeeting completeness status";
const LIVE = `subscription($unit: String!, $period: String!, $ind: [String!]) {
  rollupChanged(unitCode: $unit, period: $period, indicators: $ind) {
    initial period unit { code } cells { ${CELL} } children { unit { code } cells { ${CELL} } }
  }
}`;
const ROLLUP = `query($unit: String!, $period: String!, $ind: [String!]) {
  rollup(unitCode: $unit, period: $period, indicators: $ind) { period unit { code } cells { ${CELL} } children { unit { code } cells { ${CELL} } } }
}`;
const IND = ["AWR_COMMUNE_ACTIVITY"];

interface Live {
  messages: any[];
  errors: unknown[];
  /** The n-th message (1-based), waiting for it. */
  message(n: number): Promise<any>;
  stop(): void;
}

function connect(server: LiveServer, token: string | undefined, language = "en"): Client {
  const client = createClient({
    url: server.base.replace(/^http/, "ws") + "/graphql",
    webSocketImpl: WebSocket,
    connectionParams: { ...(token ? { authorization: `Bearer ${token}` } : {}), language },
    retryAttempts: 0,
  });
  clients.push(client);
  return client;
}

function subscribe(client: Client, variables: Record<string, unknown>): Live {
  const messages: any[] = [];
  const errors: unknown[] = [];
  const stop = client.subscribe({ query: LIVE, variables }, { next: (m) => void messages.push(m), error: (e) => void errors.push(e), complete: () => undefined });
  return {
    messages,
    errors,
    async message(n) {
      await eventually(() => messages.length >= n || errors.length > 0, `message ${n}`, 20_000);
      expect(errors).toEqual([]);
      return messages[n - 1];
    },
    stop,
  };
}

async function submit(server: LiveServer, token: string, unitCode: string, value: number) {
  const r = await server.post(SUBMIT, { rows: [{ unitCode, indicatorCode: IND[0], period: "2025-Q1", value }] }, token);
  expect(r.body.errors).toBeUndefined();
}

/** A commune of the province on the tree of 2025-Q1. */
async function communeOf(province: string): Promise<string> {
  const [row] = await db.dataSource.query(
    `SELECT c.code FROM org_unit c JOIN org_unit p ON c.path LIKE p.path || '%'
      WHERE p.code = $1 AND p.level = 'province' AND c.level = 'commune' AND c.valid_from <= '2025-01-01' AND (c.valid_to IS NULL OR c.valid_to > '2025-03-31')
      ORDER BY c.code LIMIT 1`,
    [province],
  );
  return row.code;
}

beforeAll(async () => {
  db = await createTestDatabase();
  a = await startLiveServer(db.url, { poolSize: 4, maxSubscriptionsPerToken: 2 });
  b = await startLiveServer(db.url, { poolSize: 4 });
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await a?.close();
  await b?.close();
  await db?.drop();
});

it("sends the roll-up, then the cells a report written through another process changed (pushed, not polled); another province's subscriber gets none of it", async () => {
  const qnViewer = a.token("22", [Role.VIEWER]);
  const lcViewer = a.token("12", [Role.VIEWER]);
  const qnReporter = b.token("22", [Role.REPORTER]);
  const lcReporter = b.token("12", [Role.REPORTER]);
  const [qnCommune, lcCommune] = [await communeOf("22"), await communeOf("12")];

  const qn = subscribe(connect(a, qnViewer), { unit: "22", period: "2025-Q1", ind: IND });
  const lc = subscribe(connect(a, lcViewer), { unit: "12", period: "2025-Q1", ind: IND });
  // the first message: every cell as it stands (and the sign that the subscription is live)
  const first = await qn.message(1);
  const before = (await a.post(ROLLUP, { unit: "22", period: "2025-Q1", ind: IND }, qnViewer)).body.data.rollup;
  expect(first.data.rollupChanged).toEqual({ initial: true, ...before });
  expect(before.cells).toEqual([expect.objectContaining({ indicatorCode: IND[0], value: null, unitsReported: 0, status: "NO_DATA" })]);
  expect((await lc.message(1)).data.rollupChanged.initial).toBe(true);

  await submit(b, qnReporter, qnCommune, 1);
  const committed = Date.now(); // the mutation answers once its transaction committed
  const change = (await qn.message(2)).data.rollupChanged;
  // a figure for the notes, not an assertion: speed is measured by benchmarks, never by timed tests
  // eslint-disable-next-line no-console
  console.info(`subscription: change delivered ${Date.now() - committed} ms after the writing process's commit`);
  const expected = (await b.post(ROLLUP, { unit: "22", period: "2025-Q1", ind: IND }, qnViewer)).body.data.rollup.cells[0];
  expect(expected).toMatchObject({ unitsReported: 1, unitsMeeting: 1 });
  expect(change.initial).toBe(false);
  expect(change.cells).toEqual([expected]);
  // of the children, only the district of the commune, with its one changed cell
  expect(change.children).toHaveLength(1);
  expect(change.children[0].cells).toEqual([expect.objectContaining({ indicatorCode: IND[0], unitsReported: 1, unitsMeeting: 1 })]);

  // Lai Châu's subscriber heard nothing of Quảng Ninh: its next message is its own province's change
  await submit(b, lcReporter, lcCommune, 0);
  const own = (await lc.message(2)).data.rollupChanged;
  expect(own).toMatchObject({ initial: false, unit: { code: "12" } });
  expect(own.cells).toEqual([expect.objectContaining({ unitsReported: 1, unitsMeeting: 0 })]);
  expect(lc.messages).toHaveLength(2);
  // and a report that changes nothing sends nothing: Quảng Ninh's next message is the next real change
  await submit(b, qnReporter, qnCommune, 1);
  await submit(b, qnReporter, qnCommune, 0);
  const third = (await qn.message(3)).data.rollupChanged;
  expect(third.cells).toEqual([expect.objectContaining({ unitsReported: 1, unitsMeeting: 0 })]);
  qn.stop();
  lc.stop();
});

it("answers a subscription outside the caller's subtree with NOT_FOUND, in the caller's language", async () => {
  const lcViewer = a.token("12", [Role.VIEWER]);
  const outside = subscribe(connect(a, lcViewer), { unit: "22", period: "2025-Q1", ind: IND });
  const answer = await outside.message(1);
  expect(answer.data ?? null).toBeNull();
  expect(answer.errors[0].extensions.code).toBe("NOT_FOUND");
  expect(answer.errors[0].message).toContain('"22"');
  const vi = subscribe(connect(a, lcViewer, "vi"), { unit: "22", period: "2025-Q1", ind: IND });
  expect((await vi.message(1)).errors[0].message).toContain("Không tìm thấy");
});

it("refuses a connection without a valid token (4401), queries over WebSocket and subscriptions over HTTP", async () => {
  for (const token of [undefined, "not-a-token", a.token("22").slice(0, -4) + "AAAA"]) {
    const refused = subscribe(connect(a, token), { unit: "22", period: "2025-Q1", ind: IND });
    await eventually(() => refused.errors.length > 0, "the refusal", 20_000);
    expect((refused.errors[0] as { code: number; reason: string })).toMatchObject({ code: 4401, reason: "UNAUTHENTICATED" });
    expect(refused.messages).toEqual([]);
  }
  const client = connect(a, a.token("22", [Role.VIEWER]));
  const errors: any[] = [];
  client.subscribe({ query: `query { orgUnit(code: "22") { name } }` }, { next: () => undefined, error: (e) => void errors.push(e), complete: () => undefined });
  await eventually(() => errors.length > 0, "the refusal of a query", 20_000);
  expect(errors[0][0].extensions.code).toBe("BAD_REQUEST");
  // and a subscription sent over HTTP is told where subscriptions are served
  const overHttp = await a.post(LIVE, { unit: "22", period: "2025-Q1", ind: IND }, a.token("22", [Role.VIEWER]));
  expect(overHttp.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
  expect(overHttp.body.errors[0].message).toContain("WebSocket");
});

it("holds a token to MAX_SUBSCRIPTIONS_PER_TOKEN subscriptions at once (TOO_MANY_SUBSCRIPTIONS), and frees a slot when one ends", async () => {
  const token = a.token("22", [Role.VIEWER]);
  const client = connect(a, token);
  const three = [1, 2, 3].map(() => subscribe(client, { unit: "22", period: "2025-Q1", ind: IND }));
  const firsts = await Promise.all(three.map((s) => s.message(1)));
  const refused = firsts.filter((m) => m.errors);
  expect(refused).toHaveLength(1);
  expect(refused[0].errors[0].extensions).toMatchObject({ code: "TOO_MANY_SUBSCRIPTIONS", limit: 2 });
  // the same token on another connection counts too
  const elsewhere = subscribe(connect(a, token), { unit: "22", period: "2025-Q1", ind: IND });
  expect((await elsewhere.message(1)).errors[0].extensions.code).toBe("TOO_MANY_SUBSCRIPTIONS");
  // another token of the same unit has slots of its own
  const other = subscribe(connect(a, signToken(a.jwt, { sub: "another-viewer", unit: "22", roles: [Role.VIEWER] })), { unit: "22", period: "2025-Q1", ind: IND });
  expect((await other.message(1)).data.rollupChanged.initial).toBe(true);

  // one ends: a new one is served, and live (it hears the next change)
  three.find((s, i) => !firsts[i].errors)!.stop();
  let again: Live | undefined;
  await eventually(async () => {
    again = subscribe(client, { unit: "22", period: "2025-Q1", ind: IND });
    const m = await again.message(1);
    return !m.errors;
  }, "a freed slot");
  await submit(b, b.token("22", [Role.REPORTER]), await communeOf("22"), 1);
  expect((await again!.message(2)).data.rollupChanged.initial).toBe(false);
});

it("notifies once per statement, ids only, under PostgreSQL's 8000 bytes: a bulk write's paths are cut to fewer levels", async () => {
  const listen = new PgClient({ connectionString: db.url });
  await listen.connect();
  const payloads: string[] = [];
  listen.on("notification", (m) => void payloads.push(m.payload ?? ""));
  try {
    await listen.query("LISTEN rollup_changed");
    // every commune of every tree, three indicators, in one statement (as a bulk load's summaries would be)
    await db.dataSource.query(
      `INSERT INTO report_summary (unit_id, indicator_id, period_code, unit_path, value_sum, units_reported)
       SELECT u.id, i.id, '2019', u.path, 1, 1 FROM org_unit u, (SELECT id FROM indicator ORDER BY id LIMIT 3) i WHERE u.level = 'commune'`,
    );
    const [one] = await db.dataSource.query(`SELECT unit_id, unit_path FROM report_summary WHERE period_code = '2019' ORDER BY unit_id LIMIT 1`);
    await db.dataSource.query(`DELETE FROM report_summary WHERE period_code = '2019' AND unit_id = $1`, [one.unit_id]);
    await eventually(() => payloads.length >= 2, "two notifications");
    expect(payloads).toHaveLength(2); // delivered in commit order: the bulk statement sent one
    const [bulk, single] = payloads.map((p) => JSON.parse(p));
    expect(Buffer.byteLength(payloads[0]!)).toBeLessThan(8000);
    expect(Object.keys(bulk).sort()).toEqual(["b", "d", "i"]);
    expect(bulk.d).toEqual(["2019"]);
    expect(bulk.i).toHaveLength(3);
    expect(bulk.b.length).toBeGreaterThan(1);
    for (const path of bulk.b) expect(path).toMatch(/^\/\d+\/(\d+\/)?$/); // the nation and its provinces, or districts
    expect(single).toEqual({ p: [one.unit_path], d: ["2019"], i: bulk.i }); // one commune: its path exactly
  } finally {
    await listen.end();
  }
});

it("reconnects when its LISTEN connection drops, and keeps the subscriptions live", async () => {
  const viewer = signToken(a.jwt, { sub: "reconnect-viewer", unit: "22", roles: [Role.VIEWER] });
  const live = subscribe(connect(a, viewer), { unit: "22", period: "2025-Q1", ind: IND });
  const before = (await live.message(1)).data.rollupChanged.cells[0].unitsMeeting;
  const listeners = `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'vn-program-plans-listen'`;
  const [old] = await db.dataSource.query(listeners, [db.name]);
  await db.dataSource.query("SELECT pg_terminate_backend($1)", [old.pid]);
  await eventually(async () => (await db.dataSource.query(listeners, [db.name])).some((r: { pid: number }) => r.pid !== old.pid), "a new LISTEN connection");
  const commune = await communeOf("22");
  const [{ value }] = await db.dataSource.query(
    `SELECT coalesce((SELECT r.value::float8 FROM report r JOIN org_unit u ON u.id = r.unit_id WHERE u.code = $1 AND r.period_code = '2025-Q1'), 0) AS value`,
    [commune],
  );
  await submit(b, b.token("22", [Role.REPORTER]), commune, value === 1 ? 0 : 1);
  const change = (await live.message(2)).data.rollupChanged;
  expect(change.cells[0].unitsMeeting).toBe(value === 1 ? before - 1 : before + 1);
});

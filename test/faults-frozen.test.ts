import net from "node:net";
import { Role } from "../src/auth/auth.types";
import { createTestDatabase, type TestDatabase } from "./support/test-database";
import { startLiveServer, type LiveServer } from "./support/live-server";

/**
 * A database that freezes (a hung host, a network that drops packets without a reset): nothing
 * answers, so PostgreSQL's statement_timeout cannot fire. pg's query_timeout bounds each call on
 * the client side; the request answers SERVICE_UNAVAILABLE instead of hanging, and once the
 * database answers again so does the API. The freeze is a TCP proxy of this test that stops
 * forwarding: the PostgreSQL other test files share is never touched.
 */
class FreezableProxy {
  private server = net.createServer((client) => this.accept(client));
  private sockets = new Set<net.Socket>();
  frozen = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(from);
      // while frozen, bytes are held back (not dropped), as on a stalled network
      const held: Buffer[] = [];
      from.on("data", (chunk: Buffer) => {
        if (this.frozen) held.push(chunk);
        else to.write(chunk);
      });
      this.onThaw.push(() => {
        for (const chunk of held.splice(0)) to.write(chunk);
      });
      from.on("error", () => to.destroy());
      from.on("close", () => {
        this.sockets.delete(from);
        to.destroy();
      });
    }
  }

  private onThaw: Array<() => void> = [];

  thaw(): void {
    this.frozen = false;
    for (const flush of this.onThaw) flush();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

let db: TestDatabase;
let proxy: FreezableProxy;
let live: LiveServer;

beforeAll(async () => {
  db = await createTestDatabase();
  const url = new URL(db.url);
  proxy = new FreezableProxy({ host: url.hostname, port: Number(url.port || 5432) });
  await proxy.listen();
  url.host = `127.0.0.1:${proxy.port}`;
  // statement_timeout 1 s, so query_timeout 3 s; connecting is not what this test bounds
  live = await startLiveServer(url.toString(), { poolSize: 2, statementTimeoutMs: 1000, queryTimeoutMs: 3000, connectionTimeoutMs: 60_000 });
}, 60_000);

afterAll(async () => {
  await live?.close();
  await proxy?.close();
  await db?.drop();
});

/** POST /graphql, given up after 30 s so that a hang fails the test instead of stalling it. */
async function post(query: string, token: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${live.base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: await response.json() };
}

it("answers SERVICE_UNAVAILABLE while the database is frozen, and serves again once it answers", async () => {
  const token = live.token("22", [Role.VIEWER]);
  const query = `query Province { orgUnit(code: "22") { name } }`;
  const warm = await post(query, token); // the pool now holds open connections
  expect(warm.body.data?.orgUnit.name).toBe("Tỉnh Quảng Ninh");

  proxy.frozen = true;
  const frozen = await post(query, token);
  expect(frozen.body.errors?.[0]?.extensions?.code).toBe("SERVICE_UNAVAILABLE");
  expect(frozen.body.errors[0].message).toBe("The database is unavailable right now; retry shortly.");
  expect(JSON.stringify(frozen.body)).not.toMatch(/timeout|pg|sql/i);

  proxy.thaw();
  const after = await post(query, token);
  expect(after.body.errors).toBeUndefined();
  expect(after.body.data.orgUnit.name).toBe("Tỉnh Quảng Ninh");
}, 90_000);

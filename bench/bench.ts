import "reflect-metadata";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import autocannon from "autocannon";
import ExcelJS from "exceljs";
import { Client, Pool } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { DataSource } from "typeorm";
import { loadConfig } from "../src/config";
import { openDatabase, type OpenDatabase } from "../src/db/bootstrap";
import { startEmbeddedPostgres } from "../src/db/embedded";
import { appRoleUrl, loadAppRole } from "../src/db/app-role";
import { statementName, type RequestDb } from "../src/db/request-db";
import { runPrefixed, type PrefixStatement } from "../src/db/prefixed-query";
import { Role } from "../src/auth/auth.types";
import { createRequestContext, type AuthedContext } from "../src/context";
import { loadJwtConfig } from "../src/auth/jwt.config";
import { signToken } from "../src/auth/token";
import { ReportService } from "../src/report/report.service";
import type { ReportRow } from "../src/report/report.rules";
import { RollupService } from "../src/rollup/rollup.service";
import { rollupNeeds, type RollupNeeds } from "../src/rollup/rollup.selection";
import { Kind, parse, type GraphQLResolveInfo, type OperationDefinitionNode } from "graphql";
import { parsePeriod } from "../src/common/period";
import { EffectiveTargetService } from "../src/target/effective-target.service";
import { seedRegisters } from "../seeds/registers.seed";
import { seedCatalog, seedPlans } from "../seeds/documents.seed";
import { freePort } from "../test/support/free-port";
import { cpuSampler } from "./cpu";

/**
 * npm run bench: every register as one dated tree, 20 synthetic commune indicators × 4 quarters of 2025,
 * each quarter reported by the communes of its own tree (Q1-Q2 by the ~10,000 communes of the three-tier
 * tree, Q3-Q4 by the 3,321 two-tier communes from 1/7/2025: ~520k report values, loaded through the API's
 * own bulk path, which maintains the summaries), then the running server (a child process) measured with
 * autocannon, beside the same SQL replayed straight on PostgreSQL (the floor): the province page and the
 * national comparison on each tree, and the national comparison of 2025-Q2 restated onto today's 34 provinces
 * (reported by the three-tier tree, shown on the tree of 2026-01-01). The server keeps answers by what they were computed
 * from (src/schema/answer-memo.ts: the SQL still runs on every request), as production does; the two full pages are also
 * measured on a server that keeps none (computed afresh). Uses its own embedded cluster in .data/bench (wiped first), or
 * DATABASE_URL's server with a database vnplans_bench, or BENCH_DATABASE (dropped first).
 */

const log = (...args: unknown[]) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);
const INDICATORS = 20;
const QUARTERS = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"].map((code) => parsePeriod(code));
/** Nghệ An, a large province and the same unit on both trees: districts before 1/7/2025, communes after. */
const PROVINCE = "40";
/** The two trees the reads are measured on: the period asked for (each answers on the tree of its last day). */
const OLD_TREE = { page: "2025-Q2", national: "2025-Q2" } as const;
const NEW_TREE = { page: "2025-Q4", national: "2025" } as const;
/** The restated comparison: a period reported on the three-tier tree, shown on today's (issue 12 item 7: p50 within 2× of its floor). */
const RESTATED = { national: "2025-Q2", asOf: "2026-01-01" } as const;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/**
 * Node flags of the server: those of the production start (`npm run start:prod`, package.json), so the
 * bench measures speed and peak memory with the heap limit production runs with (goal 6);
 * BENCH_SERVER_NODE_ARGS="" to measure without, or other flags to try them.
 */
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? productionNodeFlags()).split(/\s+/).filter(Boolean);
/** The production start's log level (its default): every request writes its access-log line. */
const SERVER_LOG_LEVEL = "info";

function productionNodeFlags(): string {
  const script: string = JSON.parse(fs.readFileSync(path.resolve(process.cwd(), "package.json"), "utf8")).scripts["start:prod"];
  const flags = /\bnode\s+(.*?)\s*dist\/src\/main\.js/.exec(script)?.[1];
  if (flags === undefined) throw new Error(`bench: package.json's start:prod (${script}) does not run node … dist/src/main.js`);
  return flags;
}
/** BENCH_REUSE=1: keep the database of the previous run (no seeding or loading; load figures are then absent). */
const REUSE = process.env.BENCH_REUSE === "1";
/** BENCH_EXPLAIN=1 (with BENCH_REUSE=1): print the plans of the province page's and the comparison's statements, then stop. */
const EXPLAIN = process.env.BENCH_EXPLAIN === "1";

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const hash = (...parts: number[]) => {
  let h = 2166136261;
  for (const p of parts) {
    h ^= p;
    h = Math.imul(h, 16777619) >>> 0;
    h ^= h >>> 13;
  }
  return h >>> 0;
};

async function openBenchDatabase(): Promise<OpenDatabase> {
  const base = loadConfig();
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    const name = process.env.BENCH_DATABASE ?? "vnplans_bench";
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_DATABASE: ${name} is not a plain database name`);
    url.pathname = `/${name}`;
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    if (!REUSE) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    return openDatabase({ ...base, databaseUrl: url.toString(), poolSize: 4 });
  }
  const dataDir = path.resolve(process.cwd(), ".data/bench");
  // the cluster runs detached: one left by an interrupted run is stopped before its folder goes
  if (!REUSE && fs.existsSync(path.join(dataDir, "postmaster.pid"))) {
    await (await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: true })).stop();
  }
  if (!REUSE) fs.rmSync(dataDir, { recursive: true, force: true });
  return openDatabase({ ...base, databaseUrl: undefined, dataDir, embeddedPort: await freePort(), poolSize: 4 });
}

/**
 * Every register (the dated tree), the documents' catalog and plans, 20 bench indicators with national
 * targets, and a plan of its own for every province valid in 2025 (a plan's period must overlap its
 * unit's validity): the provinces of the two-tier tree for the year, those the reform closed on 1/7/2025
 * for their first half-year (the part of 2025 they existed). The provinces whose documents' plans are
 * active over 2025 keep those instead (no second active plan over the same period): their bench
 * indicators inherit the national targets.
 */
async function seed(owner: DataSource): Promise<void> {
  await seedRegisters(owner);
  await owner.transaction(async (m) => {
    const programId = await seedCatalog(m);
    await seedPlans(m, programId);
    const kinds = Array.from({ length: INDICATORS }, (_, k) => {
      const n = k + 1;
      if (n <= 6) return { kind: "yes_no", rule: "share_of_units", period: ["all", "any", "latest"][k % 3], dir: "higher_is_better" };
      if (n <= 14) return { kind: "ratio", rule: "ratio_of_sums", period: k % 2 ? "latest" : "sum", dir: "higher_is_better" };
      if (n <= 18) return { kind: "count", rule: "sum", period: "sum", dir: "higher_is_better" };
      return { kind: "count", rule: "sum", period: "sum", dir: "lower_is_better" };
    });
    await m.query(
      `INSERT INTO indicator (program_id, code, name_vi, name_en, area, value_kind, direction, rollup_rule, reporting_level,
                              period_type, period_rule, measured_on, sort_order)
       SELECT $1, 'BENCH_' || lpad(n::text, 2, '0'), 'Chỉ số thử ' || n, 'Bench indicator ' || n, 'awareness',
              k.kind, k.dir, k.rule, 'commune', 'quarter', k.period, 'synthetic', 1000 + n
         FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(k_json, n),
              LATERAL jsonb_to_record(e.k_json) AS k(kind text, rule text, period text, dir text)`,
      [programId, JSON.stringify(kinds)],
    );
    // national targets for every bench indicator; every province a plan of its own that tightens half of them
    await m.query(`
      WITH nat AS (SELECT p.id FROM plan p JOIN org_unit u ON u.id = p.unit_id WHERE u.code = 'VN' LIMIT 1),
      ind AS (SELECT id, value_kind, direction, (regexp_replace(code, '\\D', '', 'g'))::int AS n FROM indicator WHERE code LIKE 'BENCH_%'),
      targets AS (
        SELECT nat.id AS plan_id, ind.id AS indicator_id,
               CASE WHEN ind.value_kind <> 'count' THEN 'share_floor'
                    WHEN ind.n = 15 THEN 'frequency'
                    WHEN ind.direction = 'lower_is_better' THEN 'count_ceiling' ELSE 'count_floor' END AS kind,
               CASE WHEN ind.value_kind <> 'count' THEN 50 + ind.n END AS share,
               CASE WHEN ind.value_kind = 'count' AND ind.n <> 15 THEN 500 END AS count,
               CASE WHEN ind.n = 15 THEN 'month' END AS freq
          FROM nat, ind)
      INSERT INTO target (plan_id, indicator_id, kind, share, count, frequency_interval, updated_by)
      SELECT plan_id, indicator_id, kind, share, count, freq, 'bench' FROM targets`);
    await m.query(`
      WITH nat AS (SELECT p.id, p.program_id FROM plan p JOIN org_unit u ON u.id = p.unit_id WHERE u.code = 'VN' LIMIT 1),
      prov AS (
        INSERT INTO plan (program_id, unit_id, parent_plan_id, title, document_number, period_start, period_end, created_by)
        SELECT nat.program_id, u.id, nat.id, 'Bench plan ' || u.code, 'BENCH/' || u.code, DATE '2025-01-01',
               CASE WHEN u.valid_to <= DATE '2025-12-31' THEN u.valid_to - 1 ELSE DATE '2025-12-31' END, 'bench'
          FROM nat, org_unit u
         WHERE u.level = 'province' AND u.valid_from <= DATE '2025-12-31' AND (u.valid_to IS NULL OR u.valid_to > DATE '2025-01-01')
           -- a province with an active plan of its own over 2025 keeps it (Quảng Ninh's and HCM's 2021-2025, Lai Châu's
           -- 434/KH-UBND): the plan_lifecycle trigger refuses a second active plan of a unit over overlapping periods
           AND NOT EXISTS (SELECT 1 FROM plan q
                            WHERE q.program_id = nat.program_id AND q.unit_id = u.id AND q.status = 'active'
                              AND q.period_start <= DATE '2025-12-31' AND q.period_end >= DATE '2025-01-01')
        ON CONFLICT (program_id, unit_id, period_start, period_end) DO NOTHING
        RETURNING id)
      INSERT INTO target (plan_id, indicator_id, kind, share, updated_by)
      SELECT prov.id, i.id, 'share_floor', 60 + (regexp_replace(i.code, '\\D', '', 'g'))::int, 'bench'
        FROM prov, indicator i WHERE i.code LIKE 'BENCH_%' AND i.value_kind <> 'count' AND (regexp_replace(i.code, '\\D', '', 'g'))::int % 2 = 0`);
    // every province of 2025 has a plan of its own over the part of 2025 it existed (the trigger refused any other)
    const [{ unplanned }] = await m.query(`
      SELECT count(*)::int AS unplanned FROM org_unit u
       WHERE u.level = 'province' AND u.valid_from <= DATE '2025-12-31' AND (u.valid_to IS NULL OR u.valid_to > DATE '2025-01-01')
         AND NOT EXISTS (SELECT 1 FROM plan p
                          WHERE p.unit_id = u.id AND p.period_start <= greatest(u.valid_from, DATE '2025-01-01')
                            AND p.period_end >= least(coalesce(u.valid_to - 1, DATE '2025-12-31'), DATE '2025-12-31'))`);
    if (unplanned) throw new Error(`bench seed: ${unplanned} provinces of 2025 have no plan over their part of the year`);
  });
}

interface Commune {
  id: number;
  code: string;
}

/** The communes valid over the whole period (those its reports are refused for otherwise). */
async function communesOver(owner: DataSource, period: { start: string; end: string }): Promise<Commune[]> {
  return owner.query(
    `SELECT id, code FROM org_unit
      WHERE level = 'commune' AND valid_from <= $1::date AND (valid_to IS NULL OR valid_to > $2::date) ORDER BY id`,
    [period.start, period.end],
  );
}

/** One batch: every commune's value of one indicator for one quarter (about 3% of communes missing). */
function batchRows(communes: Commune[], n: number, q: number): ReportRow[] {
  const code = `BENCH_${String(n).padStart(2, "0")}`;
  const period = QUARTERS[q]!.code;
  const rows: ReportRow[] = [];
  for (const c of communes) {
    const h = hash(c.id, n, q);
    if (h % 33 === 0) continue;
    if (n <= 6) rows.push({ unitCode: c.code, indicatorCode: code, period, value: h % 100 < 72 ? 1 : 0 });
    else if (n <= 14) {
      const den = 10 + (h % 90);
      rows.push({ unitCode: c.code, indicatorCode: code, period, numerator: Math.floor((den * (40 + ((h >>> 8) % 61))) / 100), denominator: den });
    } else rows.push({ unitCode: c.code, indicatorCode: code, period, value: (h >>> 4) % 6 });
  }
  return rows;
}

function benchContext(app: DataSource, unit: { id: number; code: string; level: string; path: string }): { ctx: AuthedContext; db: RequestDb } {
  const ctx = createRequestContext(app, {
    subject: "bench-loader", unitId: unit.id, unitCode: unit.code, unitLevel: unit.level, unitPath: unit.path, scopePaths: [unit.path], roles: [Role.REPORTER],
  });
  return { ctx, db: ctx.db };
}

/**
 * Loads the synthetic reports through ReportService (validation + upsert + summaries), one transaction per
 * batch (one indicator's quarter for every commune of that quarter's tree: `communes[q]`),
 * BENCH_LOAD_WORKERS (default 2) transactions at a time.
 */
async function loadReports(app: DataSource, nation: { id: number; code: string; level: string; path: string }, communes: Commune[][]) {
  let rows = 0;
  const started = Date.now();
  // BENCH_LOAD_PROFILE=1: wall time of each kind of statement (its first words) and of validate/write, summed over batches
  const profile = process.env.BENCH_LOAD_PROFILE === "1" ? new Map<string, { n: number; ms: number }>() : undefined;
  const count = (label: string, ms: number) => {
    const p = profile!.get(label) ?? { n: 0, ms: 0 };
    p.n++;
    p.ms += ms;
    profile!.set(label, p);
  };
  const timed = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
    if (!profile) return run();
    const t = process.hrtime.bigint();
    try {
      return await run();
    } finally {
      count(label, Number(process.hrtime.bigint() - t) / 1e6);
    }
  };
  const queue: Array<[number, number]> = [];
  for (let q = 0; q < QUARTERS.length; q++) for (let n = 1; n <= INDICATORS; n++) queue.push([n, q]);
  const total = queue.length;
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [n, q] = next;
      const batch = batchRows(communes[q]!, n, q);
      const { ctx, db } = benchContext(app, nation);
      if (profile) {
        const original = db.query.bind(db);
        (db as unknown as { query: typeof db.query }).query = ((sql: string, params: unknown[] = []) =>
          timed(`  sql: ${sql.replace(/\s+/g, " ").trim().slice(0, 70)}`, () => original(sql, params))) as typeof db.query;
      }
      let ok = false;
      try {
        // as submitReports runs it: the lookup takes the summaries' locks
        const v = await timed("validate", () => ReportService.validate(ctx, batch, undefined, { lockForWrite: true }));
        if (v.errors.length) throw new Error(`bench rows invalid: ${JSON.stringify(v.errors.slice(0, 3))}`);
        await timed("write", () => ReportService.write(ctx, v.rows, v.indicators, { locked: v.locked }));
        ok = true;
      } finally {
        await timed("commit", () => db.finish(ok));
      }
      rows += batch.length;
      const done = total - queue.length;
      if (done % INDICATORS === 0) log(`loaded ${done}/${total} batches: ${rows} rows, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  };
  await Promise.all(Array.from({ length: Number(process.env.BENCH_LOAD_WORKERS ?? 2) }, worker));
  if (profile) {
    for (const [label, p] of [...profile].sort((a, b) => b[1].ms - a[1].ms)) log(`${(p.ms / 1000).toFixed(1).padStart(7)} s ${String(p.n).padStart(5)}× ${label}`);
  }
  return { rows, ms: Date.now() - started };
}

/** The same rows (each quarter on its tree's communes) with a plain COPY into a copy of the report table (its indexes and checks, no summaries). */
async function plainCopy(ownerUrl: string, communes: Commune[][]) {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS bench_report_copy; CREATE TABLE bench_report_copy (LIKE report INCLUDING ALL)`);
    const ind = new Map<string, number>(
      (await client.query(`SELECT code, id FROM indicator WHERE code LIKE 'BENCH_%'`)).rows.map((r) => [r.code, r.id]),
    );
    const path = new Map<number, string>((await client.query(`SELECT id, path FROM org_unit WHERE level = 'commune'`)).rows.map((r) => [r.id, r.path]));
    function* lines() {
      for (let q = 0; q < QUARTERS.length; q++) {
        const { start: ps, end: pe } = QUARTERS[q]!;
        // a code may name an old commune and a two-tier one: the unit of that quarter's tree
        const byCode = new Map(communes[q]!.map((c) => [c.code, c.id]));
        for (let n = 1; n <= INDICATORS; n++) {
          let chunk = "";
          for (const r of batchRows(communes[q]!, n, q)) {
            const uid = byCode.get(r.unitCode)!;
            chunk += `${uid}\t${path.get(uid)}\t${ind.get(r.indicatorCode)}\t${r.period}\tquarter\t${ps}\t${pe}\t${r.value ?? "\\N"}\t${r.numerator ?? "\\N"}\t${r.denominator ?? "\\N"}\tbench\n`;
          }
          yield chunk;
        }
      }
    }
    const started = Date.now();
    const stream = client.query(
      copyFrom(
        `COPY bench_report_copy (unit_id, unit_path, indicator_id, period_code, period_type, period_start, period_end, value, numerator, denominator, submitted_by) FROM STDIN`,
      ),
    );
    await pipeline(Readable.from(lines()), stream);
    const ms = Date.now() - started;
    await client.query(`DROP TABLE bench_report_copy`);
    return ms;
  } finally {
    await client.end();
  }
}

/**
 * POST /reports/upload of a 10,000-row file of the province's communes (every bench indicator for 2025-Q4,
 * then 2025-Q3, by the communes of the two-tier tree; the two-tier province has too few communes for
 * 10,000 rows, so the file goes on with 2025-Q2, then 2025-Q1, by the communes of the three-tier tree:
 * `communes` gives each period's communes), as CSV with `;` and decimal commas or as .xlsx; values vary
 * with `round`, so the first post writes (most rows updated and audited), then the same file again finds
 * every row unchanged (the upload's own cost: parsing, validation, comparing). Answers the client's wall
 * times, in ms.
 */
async function timeUpload(
  url: string,
  token: string,
  communes: Map<string, Array<{ code: string }>>,
  round: number,
  format: "csv" | "xlsx",
): Promise<[number, number]> {
  const rows: Array<Array<string | number | null>> = [];
  for (const period of ["2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1"]) {
    for (let n = 1; n <= INDICATORS; n++) {
      for (const c of communes.get(period)!) {
        const h = hash(Number(c.code), n, round);
        const code = `BENCH_${String(n).padStart(2, "0")}`;
        const den = 10 + (h % 90);
        if (n <= 6) rows.push([c.code, code, period, h % 2, null, null]);
        else if (n <= 14) rows.push([c.code, code, period, null, Math.floor(den / 2) + 0.5, den]);
        else rows.push([c.code, code, period, h % 6, null, null]);
      }
    }
  }
  if (rows.length < 10_000) throw new Error(`upload: only ${rows.length} rows of the province's communes`);
  const header = ["unit_code", "indicator_code", "period", "value", "numerator", "denominator"];
  let file: Buffer;
  if (format === "csv") {
    const cell = (v: string | number | null) => (v === null ? "" : String(v).replace(".", ","));
    file = Buffer.from([header, ...rows.slice(0, 10_000)].map((r) => r.map(cell).join(";")).join("\r\n"));
  } else {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("bench").addRows([header, ...rows.slice(0, 10_000)]);
    file = Buffer.from(await wb.xlsx.writeBuffer());
  }
  const post = async () => {
    const form = new FormData();
    form.set("file", new Blob([file]), `bench.${format}`);
    const started = process.hrtime.bigint();
    const res = await fetch(`${url}/reports/upload`, { method: "POST", body: form, headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { received?: number; error?: unknown };
    if (res.status !== 200 || body.received !== 10_000) throw new Error(`upload: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  return [await post(), await post()];
}

async function startServer(
  ownerUrl: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; peakRss: () => number; rssNow: () => number; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, path.resolve(process.cwd(), "dist/src/main.js")], {
    // stdout (the access log) is /dev/null here
    env: { ...process.env, ...env, DATABASE_URL: ownerUrl, PORT: String(port), LOG_LEVEL: SERVER_LOG_LEVEL, DB_POOL_SIZE: "10" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      /* not yet */
    }
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  let sampled = 0;
  const rss = () => {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
      const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      sampled = Math.max(sampled, hwm);
    } catch {
      /* gone */
    }
    return sampled;
  };
  const timer = setInterval(rss, 500);
  return {
    child,
    url,
    peakRss: rss,
    rssNow: () => {
      try {
        return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
      } catch {
        return 0;
      }
    },
    stop: async () => {
      clearInterval(timer);
      rss();
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}

const PROVINCE_QUERY = `query($unit: String!, $period: String!, $ind: [String!]) {
  rollup(unitCode: $unit, period: $period, indicators: $ind) {
    period unit { code name }
    cells { indicatorCode value numerator denominator unitsReported unitsExpected completeness status gap
            target { value { kind share count frequencyInterval } inherited sourcePlanDocument } }
    children { unit { code name } cells { indicatorCode value unitsReported unitsExpected completeness status gap
            target { value { kind share count frequencyInterval } inherited sourcePlanDocument } } }
  }
}`;
/** The same pages asking for values only: no target, status, gap or rank (the statements for targets are skipped). */
const PROVINCE_VALUES_QUERY = `query($unit: String!, $period: String!, $ind: [String!]) {
  rollup(unitCode: $unit, period: $period, indicators: $ind) {
    period unit { code name }
    cells { indicatorCode value numerator denominator unitsReported unitsExpected completeness }
    children { unit { code name } cells { indicatorCode value numerator denominator unitsReported unitsExpected completeness } }
  }
}`;
const NATIONAL_VALUES_QUERY = `query($period: String!, $ind: [String!], $asOf: Date) {
  nationalComparison(period: $period, indicators: $ind, asOf: $asOf) {
    period
    provinces { unit { code name } cells { indicatorCode value numerator denominator unitsReported unitsExpected completeness } }
  }
}`;
const NATIONAL_QUERY = `query($period: String!, $ind: [String!], $asOf: Date) {
  nationalComparison(period: $period, indicators: $ind, asOf: $asOf) {
    period
    provinces { unit { code name } cells { indicatorCode value unitsReported unitsExpected completeness status gap rank
                target { value { kind share count frequencyInterval } } } }
  }
}`;

/** What the measured query selects (rollup.selection.ts), so the floor replays the statements the API runs for it. */
function needsOf(query: string): RollupNeeds {
  const operation = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return rollupNeeds({ fieldNodes: [operation.selectionSet.selections[0]], fragments: {} } as unknown as GraphQLResolveInfo);
}
const PROVINCE_NEEDS = needsOf(PROVINCE_QUERY);
const NATIONAL_NEEDS = needsOf(NATIONAL_QUERY);

async function gql(url: string, token: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
  if (!res.ok || body.errors) throw new Error(`GraphQL failed (${res.status}): ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data as Record<string, any>;
}

/** Set once the server runs: CPU of the API process and of its database's backends (bench/cpu.ts). */
let cpuMeter: ReturnType<typeof cpuSampler> | undefined;

/** `acceptEncoding`: ask as a browser does (brotli or gzip answers, src/ops/compression.ts); else answers as they are. */
async function cannon(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  connections: number,
  acceptEncoding?: string,
  { warmFirst = true }: { warmFirst?: boolean } = {},
) {
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}`, ...(acceptEncoding ? { "accept-encoding": acceptEncoding } : {}) };
  const body = JSON.stringify({ query, variables });
  const load = (duration: number, warmConnections = connections) =>
    autocannon({ url: `${url}/graphql`, method: "POST", connections: warmConnections, duration, headers, body });
  if (warmFirst) await warm((seconds) => load(seconds, 8));
  const executedBefore = await executions(url);
  const meter = cpuMeter?.start();
  const ownBefore = process.cpuUsage();
  const result = await load(SECONDS);
  const own = process.cpuUsage(ownBefore);
  const executed = await executions(url);
  const kept = executed.memo - executedBefore.memo;
  log(
    `  load generator (this process) CPU ${((own.user + own.system) / 1000 / (result.requests.total || 1)).toFixed(2)} ms a request, heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB; ` +
      `${kept} of ${kept + executed.compiled - executedBefore.compiled} answers kept (answer-memo.ts)`,
  );
  if (result.non2xx || result.errors) throw new Error(`autocannon: ${result.non2xx} non-2xx, ${result.errors} errors`);
  const used = meter?.stop();
  const requests = result.requests.total || 1;
  const cpu = used ? { nodeMs: used.nodeMs / requests, postgresMs: used.postgresMs / requests } : { nodeMs: NaN, postgresMs: NaN };
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpu, bytes: result.throughput.total / requests };
}

/** The server's queries so far by executor: computed (graphql-jit), or kept answers whose reads gave the same rows. */
async function executions(url: string): Promise<{ compiled: number; memo: number }> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const count = (executor: string) => Number(new RegExp(`^vnp_graphql_query_executions_total\\{executor="${executor}"\\} (\\S+)$`, "m").exec(metrics)?.[1] ?? 0);
  return { compiled: count("compiled"), memo: count("memo") };
}

/**
 * Warm first, as the floors are (V8's optimised code, the compiled query, the connections' prepared statements), for
 * BENCH_WARM_SECONDS (default 10) at 8 connections whatever the measured count (more requests, sooner warm). Node 20's
 * V8 goes on optimising a page's code for ~10 s at this rate: after the 2 s warm-up of earlier runs the API's CPU per
 * request was still 25-35% over its steady state (Node 24's settles sooner). Each 2 s slice's CPU per request is logged,
 * so a run shows it settle.
 */
const WARM_SECONDS = Number(process.env.BENCH_WARM_SECONDS ?? 10);
async function warm(load: (seconds: number) => Promise<autocannon.Result>) {
  const slices: string[] = [];
  for (let left = WARM_SECONDS; left > 0; left -= 2) {
    const meter = cpuMeter?.start();
    const result = await load(Math.min(2, left));
    const used = meter?.stop();
    if (used) slices.push((used.nodeMs / (result.requests.total || 1)).toFixed(2));
  }
  if (slices.length) log(`  warm-up, API CPU ms a request per 2 s slice: ${slices.join(" → ")}`);
}

/** The statements the API issues for a request once warm (targets cached), recorded once, then replayed straight on PostgreSQL. */
/** A statement as the API ran it: prepared ones are replayed as the same named statement (RequestDb.query). */
interface Recorded {
  sql: string;
  params: unknown[];
  prepare?: boolean;
}

/** The recorded statement as pg runs it: named when the API prepares it, so the replay parses and plans as the API does. */
const replay = (s: Recorded) => (s.prepare ? { name: statementName(s.sql), text: s.sql, values: s.params } : { text: s.sql, values: s.params });

/**
 * `reads` (the default): recorded as the server runs a GraphQL query, each statement with its scope in one round trip and
 * no transaction (RequestDb.onlyReads); the floor replays them so (`readSettings`). A write: in its transaction.
 */
async function recordStatements(
  app: DataSource,
  unit: { id: number; code: string; level: string; path: string },
  run: (ctx: AuthedContext) => Promise<unknown>,
  { reads = true }: { reads?: boolean } = {},
) {
  // the statements of the steady state, as the server runs them once warm: its targets cache filled first
  const warm = benchContext(app, unit);
  if (reads) warm.db.onlyReads();
  try {
    await run(warm.ctx);
  } finally {
    await warm.db.finish(false);
  }
  const { ctx, db } = benchContext(app, unit);
  if (reads) db.onlyReads();
  const recorded: Recorded[] = [];
  const original = db.query.bind(db);
  (db as unknown as { query: typeof db.query }).query = (async (sql: string, params: unknown[] = [], options: { prepare?: boolean } = {}) => {
    recorded.push({ sql, params, prepare: !!options.prepare });
    return original(sql, params, options);
  }) as typeof db.query;
  try {
    await run(ctx);
  } finally {
    await db.finish(false);
  }
  // and what went ahead of them: START TRANSACTION and the settings (the scope, any setting the service asked for) ahead
  // of a write's first statement, or the settings each read ran under
  return Object.assign(recorded, { openedWith: db.openedWith, readSettings: reads ? db.readSettings() : undefined });
}

/**
 * One report's write in SQL, beside a bare INSERT: the statements a one-row submitReports runs (validation, lock,
 * upsert with its audit and history, the year's reports, the summaries, the batch's audit entry) recorded twice,
 * to a new value and back, then replayed alternately so that each replay is a real change, each in a committed
 * transaction as the app role (opened as RequestDb opens it: START TRANSACTION with the scope, the actor and the
 * write's settings sent ahead of the first statement, in its round trip; the statements; COMMIT); interleaved with a
 * bare INSERT of one row into a copy of the report table (its indexes and checks; no triggers, keys or row-level
 * security), autocommitted, on the same connection. Answers p50s in ms and each statement's p50.
 */
async function singleWriteSql(
  app: DataSource,
  owned: DataSource,
  ownerUrl: string,
  poolUrl: string,
  unit: { id: number; code: string; level: string; path: string },
  row: { unitCode: string; indicatorCode: string; period: string },
  runs: number,
) {
  const [{ value: stored }] = await owned.query(
    `SELECT r.value::int AS value FROM report r JOIN org_unit u ON u.id = r.unit_id JOIN indicator i ON i.id = r.indicator_id
      WHERE u.code = $1 AND i.code = $2 AND r.period_code = $3`,
    [row.unitCode, row.indicatorCode, row.period],
  ).then((rows: Array<{ value: number }>) => (rows.length ? rows : [{ value: 0 }]));
  const write = (value: number) => async (ctx: AuthedContext) => {
    const result = await ReportService.submit(ctx, { rows: [{ ...row, value }], dryRun: false });
    if (result.updated + result.inserted !== 1) throw new Error(`bench: the single write changed nothing`);
  };
  const there = await recordStatements(app, unit, write(1 - stored), { reads: false });
  const { ctx, db } = benchContext(app, unit);
  await write(1 - stored)(ctx);
  await db.finish(true);
  const back = await recordStatements(app, unit, write(stored), { reads: false });
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  const client = new Client({ connectionString: poolUrl });
  await client.connect();
  try {
    await owner.query(`DROP TABLE IF EXISTS bench_report_insert; CREATE TABLE bench_report_insert (LIKE report INCLUDING ALL)`);
    await owner.query(`GRANT INSERT ON bench_report_insert TO ${loadAppRole().user}`);
    const whole: number[] = [];
    const bare: number[] = [];
    const each: number[][] = there.map(() => []);
    const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
    for (let i = 0; i < runs; i++) {
      const statements = i % 2 ? there : back; // state after the setup: the new value; `back` first
      const t = process.hrtime.bigint();
      // opened as the API opens it: START TRANSACTION and the settings (the scope, the write's plan settings) sent
      // ahead of the first statement, in its round trip (the first statement's time includes them)
      for (const [k, s] of statements.entries()) {
        const ts = process.hrtime.bigint();
        if (k === 0) await runPrefixed(client, statements.openedWith!, replay(s));
        else await client.query(replay(s));
        each[k]?.push(ms(ts));
      }
      await client.query("COMMIT");
      whole.push(ms(t));
      const tb = process.hrtime.bigint();
      await client.query(
        `INSERT INTO bench_report_insert (unit_id, unit_path, indicator_id, period_code, period_type, period_start, period_end, value, submitted_by)
         VALUES ($1, $2, 1, '2025-Q4', 'quarter', DATE '2025-10-01', DATE '2025-12-31', $3, 'bench')`,
        [i, unit.path, i % 2],
      );
      bare.push(ms(tb));
    }
    await owner.query(`DROP TABLE bench_report_insert`);
    const p50 = (list: number[]) => pct([...list].sort((a, b) => a - b), 50);
    return {
      write: p50(whole),
      bare: p50(bare),
      statements: there.map((s, k) => ({ sql: s.sql.replace(/\s+/g, " ").trim().slice(0, 60), p50: p50(each[k]!) })),
    };
  } finally {
    await client.end();
    await owner.end();
  }
}

/** EXPLAIN ANALYZE of recorded statements, as the app role within the unit's scope (what the server runs). */
async function explain(poolUrl: string, scopePath: string, label: string, statements: Array<{ sql: string; params: unknown[] }>) {
  const client = new Client({ connectionString: poolUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(`SELECT set_config('app.scope_path', $1, true)`, [scopePath]);
    for (const [i, s] of statements.entries()) {
      for (let warm = 0; warm < 3; warm++) await client.query(s.sql, s.params);
      const plan = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, s.params);
      console.log(`\n== ${label}, statement ${i + 1}\n${plan.rows.map((r) => r["QUERY PLAN"]).join("\n")}`);
    }
    await client.query("ROLLBACK");
  } finally {
    await client.end();
  }
}

/**
 * The statements replayed straight on PostgreSQL as the API runs them: reads (`readSettings`) each in one round trip with
 * the scope they ran under, as the server runs a query; otherwise in a transaction, the scope set once per connection.
 */
async function floor(poolUrl: string, scopePath: string, statements: Recorded[] & { readSettings?: PrefixStatement }, connections: number, seconds: number) {
  const pool = new Pool({ connectionString: poolUrl, max: connections });
  const clients = await Promise.all(Array.from({ length: connections }, () => pool.connect()));
  const latencies: number[] = [];
  const { readSettings } = statements;
  try {
    if (!readSettings) for (const c of clients) await c.query(`SELECT set_config('app.scope_path', $1, false)`, [scopePath]);
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      clients.map(async (c) => {
        while (Date.now() < until) {
          const t = process.hrtime.bigint();
          if (readSettings) {
            for (const s of statements) await runPrefixed(c, [readSettings], replay(s));
          } else {
            await c.query("BEGIN");
            for (const s of statements) await c.query(replay(s));
            await c.query("COMMIT");
          }
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
      }),
    );
  } finally {
    for (const c of clients) c.release();
    await pool.end();
  }
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

/**
 * A goal's ratio in alternating rounds: the API, then its floor, BENCH_ROUNDS times (default 3), each round's ratio
 * from two measurements seconds apart. This host's speed drifts by a quarter from one minute to the next (the same
 * full province page cost the API 4.2 to 7.0 ms of CPU in consecutive 8 s runs, and PostgreSQL 4.1 to 6.3 ms), so an
 * API figure and a floor figure taken minutes apart compare the drift as much as the code. Answers the round of the
 * median ratio (its figures fill the table) and every round's ratio.
 */
const ROUNDS = Math.max(1, Math.floor(Number(process.env.BENCH_ROUNDS ?? 3))) || 1; // a value that is not a number: one round
async function alternating<A, F>(
  api: (round: number) => Promise<A>,
  floorOf: () => Promise<F>,
  ratio: (api: A, floor: F) => number,
): Promise<{ api: A; floor: F; ratios: number[] }> {
  const rounds: Array<{ api: A; floor: F; ratio: number }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    const a = await api(round);
    const fl = await floorOf();
    rounds.push({ api: a, floor: fl, ratio: ratio(a, fl) });
  }
  const median = [...rounds].sort((x, y) => x.ratio - y.ratio)[Math.floor((rounds.length - 1) / 2)]!;
  return { api: median.api, floor: median.floor, ratios: rounds.map((r) => r.ratio) };
}

async function main() {
  const t0 = Date.now();
  log("opening the bench database (migrations)");
  // the server runs as in production (NODE_ENV=production: no development checks in graphql-js)
  process.env.APP_DB_PASSWORD ??= crypto.randomBytes(18).toString("base64url");
  const env: Record<string, string> = {
    NODE_ENV: "production",
    APP_DB_PASSWORD: process.env.APP_DB_PASSWORD,
    JWT_SECRET: process.env.JWT_SECRET ?? crypto.randomBytes(32).toString("hex"),
    METRICS_PUBLIC: "1", // production refuses to start without METRICS_TOKEN or this
  };
  const db = await openBenchDatabase();
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    log("seeding every register (the dated tree), catalog, plans and 20 bench indicators");
    if (!REUSE) await seed(db.dataSource);
    const [nation] = await db.dataSource.query(`SELECT id, code, level, path FROM org_unit WHERE code = 'VN' AND valid_to IS NULL`);
    // each quarter's reports come from the communes of its own tree
    const communes: Commune[][] = [];
    for (const quarter of QUARTERS) communes.push(await communesOver(db.dataSource, quarter));
    const oldOn = parsePeriod(OLD_TREE.page).end;
    const newOn = parsePeriod(NEW_TREE.page).end;
    const validOnDate = (d: string) => `valid_from <= ${d}::date AND (valid_to IS NULL OR valid_to > ${d}::date)`;
    const [counts] = await db.dataSource.query(
      `SELECT count(*) FILTER (WHERE level = 'province' AND ${validOnDate("$1")})::int AS "oldProvinces",
              count(*) FILTER (WHERE level = 'district' AND ${validOnDate("$1")})::int AS "oldDistricts",
              count(*) FILTER (WHERE level = 'province' AND ${validOnDate("$2")})::int AS "newProvinces",
              count(*) FILTER (WHERE level = 'district' AND ${validOnDate("$2")})::int AS "newDistricts",
              count(*) FILTER (WHERE level = 'province' AND ${validOnDate("$3")})::int AS "restatedProvinces"
         FROM org_unit`,
      [oldOn, newOn, RESTATED.asOf],
    );
    log(
      `tree of ${oldOn}: ${counts.oldProvinces} provinces, ${counts.oldDistricts} districts; tree of ${newOn}: ${counts.newProvinces} provinces, ` +
        `${counts.newDistricts} districts; communes reporting ${QUARTERS.map((q, i) => `${q.code} ${communes[i]!.length}`).join(", ")}`,
    );
    // the province is the same unit on both trees: its districts before the reform, its communes after
    const [prov] = await db.dataSource.query(
      `SELECT id, code, level, path FROM org_unit WHERE code = $1 AND valid_from <= $2::date AND (valid_to IS NULL OR valid_to > $3::date)`,
      [PROVINCE, oldOn, newOn],
    );
    if (!prov) throw new Error(`bench: province ${PROVINCE} is not one unit on both trees`);
    const indicators = Array.from({ length: INDICATORS }, (_, k) => `BENCH_${String(k + 1).padStart(2, "0")}`);

    if (EXPLAIN) {
      const appUrl = appRoleUrl(db.url, loadAppRole());
      for (const tree of [OLD_TREE, NEW_TREE]) {
        await explain(appUrl, prov.path, `province page ${tree.page}`, await recordStatements(db.appDataSource, prov, (ctx) =>
          RollupService.page(ctx, { unitCode: PROVINCE, period: tree.page, indicators }, PROVINCE_NEEDS)));
        await explain(appUrl, nation.path, `national comparison ${tree.national}`, await recordStatements(db.appDataSource, nation, (ctx) =>
          RollupService.nationalComparison(ctx, { period: tree.national, indicators }, NATIONAL_NEEDS)));
      }
      await explain(appUrl, nation.path, `national comparison ${RESTATED.national} restated on ${RESTATED.asOf}`, await recordStatements(db.appDataSource, nation, (ctx) =>
        RollupService.nationalComparison(ctx, { period: RESTATED.national, indicators, asOf: RESTATED.asOf }, NATIONAL_NEEDS)));
      return;
    }
    if (process.env.BENCH_WRITE_ONLY === "1") {
      // the single write's SQL alone, on the data already loaded (BENCH_REUSE=1): each statement's p50
      const [last] = await db.dataSource.query(
        `SELECT max(code) AS code FROM org_unit WHERE level = 'commune' AND path LIKE $1 || '%' AND valid_to IS NULL`,
        [prov.path],
      );
      const sql = await singleWriteSql(db.appDataSource, db.dataSource, db.url, appRoleUrl(db.url, loadAppRole()), prov,
        { unitCode: last.code, indicatorCode: "BENCH_02", period: NEW_TREE.page }, 400);
      for (const st of sql.statements) log(`  single write statement p50 ${st.p50.toFixed(2)} ms: ${st.sql}`);
      log(`single write SQL p50 ${sql.write.toFixed(2)} ms, bare INSERT ${sql.bare.toFixed(2)} ms: ${(sql.write / sql.bare).toFixed(1)}×`);
      return;
    }
    log("loading reports through the API's bulk path (validation, upsert, summaries), each quarter on its tree's communes");
    const bulk = REUSE
      ? { rows: Number((await db.dataSource.query(`SELECT count(*) AS n FROM report`))[0].n), ms: NaN }
      : await loadReports(db.appDataSource, nation, communes);
    log(`loaded ${bulk.rows} reports in ${(bulk.ms / 1000).toFixed(1)} s; plain COPY of the same rows…`);
    const copyMs = REUSE ? NaN : await plainCopy(db.url, communes);
    if (process.env.BENCH_LOAD_ONLY === "1") {
      log(`plain COPY ${(copyMs / 1000).toFixed(1)} s: bulk ${(bulk.ms / copyMs).toFixed(1)}× (BENCH_LOAD_ONLY: stopping here)`);
      return;
    }
    await db.dataSource.query(`VACUUM ANALYZE`);
    const [{ summaries }] = await db.dataSource.query(`SELECT count(*)::int AS summaries FROM report_summary`);

    log("starting the server");
    server = await startServer(db.url, env);
    cpuMeter = cpuSampler(server.child.pid!, decodeURIComponent(new URL(db.url).pathname.slice(1)));
    const jwt = loadJwtConfig({ ...process.env, ...env });
    const provinceToken = signToken(jwt, { sub: "bench-province", unit: PROVINCE, roles: [Role.VIEWER, Role.REPORTER] });
    const ministryToken = signToken(jwt, { sub: "bench-ministry", unit: "VN", roles: [Role.VIEWER] });
    const oldPageVars = { unit: PROVINCE, period: OLD_TREE.page, ind: indicators };
    const provinceVars = { unit: PROVINCE, period: NEW_TREE.page, ind: indicators };
    const oldNationalVars = { period: OLD_TREE.national, ind: indicators };
    const nationalVars = { period: NEW_TREE.national, ind: indicators };
    const restatedVars = { period: RESTATED.national, ind: indicators, asOf: RESTATED.asOf };

    // sanity: the answers are complete, each on its tree
    const childrenOn = async (on: string): Promise<{ n: number; label: string }> => {
      const rows: Array<{ level: string; n: number }> = await db.dataSource.query(
        `SELECT level, count(*)::int AS n FROM org_unit WHERE parent_id = $1 AND ${validOnDate("$2")} GROUP BY level ORDER BY level`,
        [prov.id, on],
      );
      return { n: rows.reduce((sum, r) => sum + r.n, 0), label: rows.map((r) => `${r.n} ${r.level}s`).join(" + ") };
    };
    const { n: oldChildCount, label: oldChildren } = await childrenOn(oldOn);
    const { n: newChildCount, label: newChildren } = await childrenOn(newOn);
    const oldPage = await gql(server.url, provinceToken, PROVINCE_QUERY, oldPageVars);
    const page = await gql(server.url, provinceToken, PROVINCE_QUERY, provinceVars);
    const oldNational = await gql(server.url, ministryToken, NATIONAL_QUERY, oldNationalVars);
    const national = await gql(server.url, ministryToken, NATIONAL_QUERY, nationalVars);
    const restated = await gql(server.url, ministryToken, NATIONAL_QUERY, restatedVars);
    // …and restated: the cells say how (the measured query does not ask for it)
    const restatedHow = await gql(
      server.url,
      ministryToken,
      `query($period: String!, $asOf: Date) { nationalComparison(period: $period, asOf: $asOf, indicators: ["BENCH_01"]) { provinces { cells { restated { exact } } } } }`,
      { period: RESTATED.national, asOf: RESTATED.asOf },
    );
    const restatedCells = (restatedHow.nationalComparison.provinces as Array<{ cells: Array<{ restated: unknown }> }>).filter((p) => p.cells[0]?.restated).length;
    log(
      `province page ${OLD_TREE.page}: ${oldPage.rollup.children.length} children (${oldChildren}) × ${oldPage.rollup.cells.length} indicators; ` +
        `${NEW_TREE.page}: ${page.rollup.children.length} children (${newChildren}) × ${page.rollup.cells.length} indicators; ` +
        `national ${OLD_TREE.national}: ${oldNational.nationalComparison.provinces.length} provinces, ${NEW_TREE.national}: ${national.nationalComparison.provinces.length} provinces, ` +
        `${RESTATED.national} on the tree of ${RESTATED.asOf}: ${restated.nationalComparison.provinces.length} provinces (${restatedCells} with restated cells)`,
    );
    const complete = (what: string, got: number, want: number) => {
      if (got !== want) throw new Error(`bench: ${what} answered ${got} rows, the tree holds ${want}`);
    };
    complete(`province page ${OLD_TREE.page}`, oldPage.rollup.children.length, oldChildCount);
    complete(`province page ${NEW_TREE.page}`, page.rollup.children.length, newChildCount);
    complete(`national comparison ${OLD_TREE.national}`, oldNational.nationalComparison.provinces.length, counts.oldProvinces);
    complete(`national comparison ${NEW_TREE.national}`, national.nationalComparison.provinces.length, counts.newProvinces);
    complete(`national comparison ${RESTATED.national} on ${RESTATED.asOf}`, restated.nationalComparison.provinces.length, counts.restatedProvinces);
    if (!restatedCells) throw new Error(`bench: national comparison ${RESTATED.national} on ${RESTATED.asOf} has no restated cell`);

    log(`server RSS now ${(server.rssNow() / 1048576).toFixed(0)} MB, peak ${(server.peakRss() / 1048576).toFixed(0)} MB`);
    log("measuring the API (autocannon)");
    // values only (no targets): the questions the peer comparison of issue 16 asks, on the three-tier tree
    const oldPageValuesApi = await cannon(server.url, provinceToken, PROVINCE_VALUES_QUERY, oldPageVars, 8);
    const oldNationalValuesApi = await cannon(server.url, ministryToken, NATIONAL_VALUES_QUERY, oldNationalVars, 8);
    // the two goals of issue 16 on full pages, each in alternating rounds with its floor (the statements recorded first)
    const appUrl = appRoleUrl(db.url, loadAppRole());
    const oldPageSql = await recordStatements(db.appDataSource, prov, (ctx) =>
      RollupService.page(ctx, { unitCode: PROVINCE, period: OLD_TREE.page, indicators }, PROVINCE_NEEDS),
    );
    const oldNationalSql = await recordStatements(db.appDataSource, nation, (ctx) =>
      RollupService.nationalComparison(ctx, { period: OLD_TREE.national, indicators }, NATIONAL_NEEDS),
    );
    const oldPageRounds = await alternating(
      (round) => cannon(server!.url, provinceToken, PROVINCE_QUERY, oldPageVars, 8, undefined, { warmFirst: round === 0 }),
      () => floor(appUrl, prov.path, oldPageSql, 8, SECONDS),
      (api, fl) => api.rps / fl.rps,
    );
    const { api: oldPageApi, floor: oldPageFloor } = oldPageRounds;
    log(`server RSS after the province page ${OLD_TREE.page}: ${(server.rssNow() / 1048576).toFixed(0)} MB, peak ${(server.peakRss() / 1048576).toFixed(0)} MB`);
    const provinceApi = await cannon(server.url, provinceToken, PROVINCE_QUERY, provinceVars, 8);
    log(`server RSS after the province page ${NEW_TREE.page}: ${(server.rssNow() / 1048576).toFixed(0)} MB, peak ${(server.peakRss() / 1048576).toFixed(0)} MB`);
    const oldNationalRounds1 = await alternating(
      (round) => cannon(server!.url, ministryToken, NATIONAL_QUERY, oldNationalVars, 1, undefined, { warmFirst: round === 0 }),
      () => floor(appUrl, nation.path, oldNationalSql, 1, SECONDS),
      (api, fl) => api.p50 / fl.p50,
    );
    const { api: oldNationalApi1, floor: oldNationalFloor1 } = oldNationalRounds1;
    const nationalApi1 = await cannon(server.url, ministryToken, NATIONAL_QUERY, nationalVars, 1);
    const restatedApi1 = await cannon(server.url, ministryToken, NATIONAL_QUERY, restatedVars, 1);
    log(`server RSS after the national comparisons @1: ${(server.rssNow() / 1048576).toFixed(0)} MB, peak ${(server.peakRss() / 1048576).toFixed(0)} MB`);
    const oldNationalApi8 = await cannon(server.url, ministryToken, NATIONAL_QUERY, oldNationalVars, 8);
    const nationalApi8 = await cannon(server.url, ministryToken, NATIONAL_QUERY, nationalVars, 8);
    const restatedApi8 = await cannon(server.url, ministryToken, NATIONAL_QUERY, restatedVars, 8);
    // the same full pages asked as a browser asks: compressed answers
    const BROWSER = "gzip, deflate, br";
    const oldPageBrowserApi = await cannon(server.url, provinceToken, PROVINCE_QUERY, oldPageVars, 8, BROWSER);
    const oldNationalBrowserApi1 = await cannon(server.url, ministryToken, NATIONAL_QUERY, oldNationalVars, 1, BROWSER);

    log(`server RSS now ${(server.rssNow() / 1048576).toFixed(0)} MB, peak ${(server.peakRss() / 1048576).toFixed(0)} MB`);
    log(`single report write + province read (${NEW_TREE.page}, two-tier communes)`);
    // the province's communes over each quarter: those its reports for that quarter name
    const provinceCommunesOver = async (period: string): Promise<Array<{ code: string }>> => {
      const p = parsePeriod(period);
      return db.dataSource.query(
        `SELECT code FROM org_unit
          WHERE level = 'commune' AND path LIKE $1 || '%' AND valid_from <= $2::date AND (valid_to IS NULL OR valid_to > $3::date)
          ORDER BY code`,
        [prov.path, p.start, p.end],
      );
    };
    const provinceCommunes4 = await provinceCommunesOver(NEW_TREE.page);
    const local = provinceCommunes4.slice(0, 100);
    // each write flips the commune's stored value: a real change (update, audit, history, summaries), never a no-op
    const stored = new Map<string, number>(
      (
        await db.dataSource.query(
          `SELECT u.code, r.value::int AS value FROM report r JOIN org_unit u ON u.id = r.unit_id JOIN indicator i ON i.id = r.indicator_id
            WHERE i.code = 'BENCH_02' AND r.period_code = $1 AND u.code = ANY($2)`,
          [NEW_TREE.page, local.map((c) => c.code)],
        )
      ).map((r: { code: string; value: number }) => [r.code, r.value]),
    );
    const writeRead: number[] = [];
    const writeOnly: number[] = [];
    for (let i = 0; i < 200; i++) {
      const c = local[i % local.length]!;
      const value = 1 - (stored.get(c.code) ?? 0);
      stored.set(c.code, value);
      const t = process.hrtime.bigint();
      const written = await gql(server.url, provinceToken, `mutation($rows: [ReportRowInput!]!) { submitReports(input: { rows: $rows }) { updated inserted } }`, {
        rows: [{ unitCode: c.code, indicatorCode: "BENCH_02", period: NEW_TREE.page, value }],
      });
      if (written.submitReports.updated + written.submitReports.inserted !== 1) throw new Error(`bench: single write changed nothing`);
      const w = process.hrtime.bigint();
      await gql(server.url, provinceToken, PROVINCE_QUERY, { ...provinceVars, ind: ["BENCH_02"] });
      writeOnly.push(Number(w - t) / 1e6);
      writeRead.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    writeRead.sort((a, b) => a - b);
    writeOnly.sort((a, b) => a - b);
    log("single report write in SQL (its statements replayed) beside a bare INSERT");
    // a commune of the province the HTTP writes above leave alone
    const sqlWrite = await singleWriteSql(
      db.appDataSource,
      db.dataSource,
      db.url,
      appRoleUrl(db.url, loadAppRole()),
      prov,
      { unitCode: provinceCommunes4[provinceCommunes4.length - 1]!.code, indicatorCode: "BENCH_02", period: NEW_TREE.page },
      400,
    );
    for (const s of sqlWrite.statements) log(`  single write statement p50 ${s.p50.toFixed(2)} ms: ${s.sql}`);

    log("uploading 10,000-row files (CSV and .xlsx)");
    const provinceCommunes = new Map<string, Array<{ code: string }>>();
    for (const q of QUARTERS) provinceCommunes.set(q.code, await provinceCommunesOver(q.code));
    const uploads = { csv: [[], []] as number[][], xlsx: [[], []] as number[][] };
    for (let round = 1; round <= 6; round++) {
      const format = round % 2 ? "csv" : "xlsx";
      (await timeUpload(server.url, provinceToken, provinceCommunes, round, format)).forEach((ms, i) => uploads[format][i]!.push(ms));
    }
    const median = (list: number[]) => pct([...list].sort((a, b) => a - b), 50);

    log(`server RSS now ${(server.rssNow() / 1048576).toFixed(0)} MB, peak ${(server.peakRss() / 1048576).toFixed(0)} MB`);
    log("measuring the SQL floor (the API's own statements replayed on PostgreSQL)");
    const provinceSql = await recordStatements(db.appDataSource, prov, (ctx) =>
      RollupService.page(ctx, { unitCode: PROVINCE, period: NEW_TREE.page, indicators }, PROVINCE_NEEDS),
    );
    const nationalSql = await recordStatements(db.appDataSource, nation, (ctx) =>
      RollupService.nationalComparison(ctx, { period: NEW_TREE.national, indicators }, NATIONAL_NEEDS),
    );
    const restatedSql = await recordStatements(db.appDataSource, nation, (ctx) =>
      RollupService.nationalComparison(ctx, { period: RESTATED.national, indicators, asOf: RESTATED.asOf }, NATIONAL_NEEDS),
    );
    const provinceFloor = await floor(appUrl, prov.path, provinceSql, 8, SECONDS / 2);
    const oldNationalFloor8 = await floor(appUrl, nation.path, oldNationalSql, 8, SECONDS / 2);
    const nationalFloor1 = await floor(appUrl, nation.path, nationalSql, 1, SECONDS / 2);
    const nationalFloor8 = await floor(appUrl, nation.path, nationalSql, 8, SECONDS / 2);
    const restatedFloor1 = await floor(appUrl, nation.path, restatedSql, 1, SECONDS / 2);
    const restatedFloor8 = await floor(appUrl, nation.path, restatedSql, 8, SECONDS / 2);
    // the same national numbers computed live from the facts (no summaries), for reference
    const live = [
      {
        sql: `SELECT u.province_id, r.indicator_id, count(*) AS reported, sum(r.value) AS v, sum(r.numerator) AS n, sum(r.denominator) AS d
                FROM report r JOIN org_unit u ON u.id = r.unit_id JOIN indicator i ON i.id = r.indicator_id
               WHERE i.code = ANY($1) AND r.period_code = '2025-Q4' GROUP BY 1, 2`,
        params: [indicators],
      },
    ];
    const liveFloor = await floor(appUrl, nation.path, live, 1, SECONDS / 2);
    // each statement alone: the summaries and counts (the page's one statement once its targets are cached); the
    // effective targets' resolution, which a page runs only when its targets are not in the process's cache
    const nationalTargetsSql = await recordStatements(db.appDataSource, nation, async (ctx) => {
      const page = await RollupService.nationalComparison(ctx, { period: NEW_TREE.national, indicators }, { targets: false, approvedShare: false, rank: false });
      const units = [page.nation.unit.id, ...page.provinces.map((p) => p.unit.id)];
      await EffectiveTargetService.resolveUnits(ctx, units, page.indicators.map((i) => i.id), parsePeriod(NEW_TREE.national));
    });
    const alone = (recorded: Awaited<ReturnType<typeof recordStatements>>, i: number) => Object.assign([recorded[i]!], { readSettings: recorded.readSettings });
    const nationalSummaries = await floor(appUrl, nation.path, alone(nationalSql, 0), 1, SECONDS / 4);
    const nationalTargets = await floor(appUrl, nation.path, alone(nationalTargetsSql, 1), 1, SECONDS / 4);
    const writeFloor = await floor(appUrl, prov.path, alone(provinceSql, 0), 1, 1);

    await server.stop();
    const rss = server.peakRss();
    server = undefined;

    // the two full pages computed afresh on every request: another server that keeps no answer (src/schema/answer-memo.ts)
    log("the full pages computed afresh (a server with ANSWER_MEMO_MB=0)");
    server = await startServer(db.url, { ...env, ANSWER_MEMO_MB: "0" });
    cpuMeter = cpuSampler(server.child.pid!, decodeURIComponent(new URL(db.url).pathname.slice(1)));
    const oldPageFreshApi = await cannon(server.url, provinceToken, PROVINCE_QUERY, oldPageVars, 8);
    const oldNationalFreshApi1 = await cannon(server.url, ministryToken, NATIONAL_QUERY, oldNationalVars, 1);
    await server.stop();
    server = undefined;

    const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "-");
    type Row = [string, string, string, string];
    const pageRows = (period: string, tree: string, children: string, api: typeof provinceApi, fl: typeof provinceFloor): Row[] => [
      [`province page ${period} (${tree}: rollup, ${children} × 20 ind.) req/s @8`, f(api.rps), f(fl.rps), `${f((api.rps / fl.rps) * 100, 0)}% of floor`],
      [`province page ${period} p50 ms @8`, f(api.p50), f(fl.p50, 2), `${f(api.p50 / fl.p50)}×`],
      [`province page ${period} p99 ms @8`, f(api.p99), f(fl.p99, 2), `${f(api.p99 / fl.p99)}×`],
    ];
    const nationalRows = (
      period: string,
      tree: string,
      provinces: number,
      api1: typeof provinceApi,
      api8: typeof provinceApi,
      fl1: typeof provinceFloor,
      fl8: typeof provinceFloor,
    ): Row[] => [
      [`national comparison ${period} (${tree}: ${provinces} × 20) p50 ms @1`, f(api1.p50), f(fl1.p50, 2), `${f(api1.p50 / fl1.p50)}×`],
      [`national comparison ${period} p99 ms @1`, f(api1.p99), f(fl1.p99, 2), `${f(api1.p99 / fl1.p99)}×`],
      [`national comparison ${period} req/s @8`, f(api8.rps), f(fl8.rps), `${f((api8.rps / fl8.rps) * 100, 0)}% of floor`],
    ];
    /** The first row's ratio with a note after it (a goal, the rounds' ratios). */
    const noteFirst = (rows: Row[], note: string): Row[] => rows.map(([m, a, fl, r], i): Row => [m, a, fl, i === 0 ? `${r} (${note})` : r]);
    const cpuRow = (what: string, api: typeof provinceApi): Row => [
      `  CPU per request, ${what} @8: API + PostgreSQL ms`,
      `${f(api.cpu.nodeMs, 2)} + ${f(api.cpu.postgresMs, 2)} = ${f(api.cpu.nodeMs + api.cpu.postgresMs, 2)}`,
      "-",
      `Node ${f(api.cpu.nodeMs / api.cpu.postgresMs, 2)}× PostgreSQL`,
    ];
    const table: Row[] = [
      [`province page ${OLD_TREE.page} values only (${oldChildren} × 20 ind.) req/s @8`, f(oldPageValuesApi.rps), "-", `p50 ${f(oldPageValuesApi.p50)} ms`],
      cpuRow(`province page ${OLD_TREE.page} values only`, oldPageValuesApi),
      [`national comparison ${OLD_TREE.national} values only (${counts.oldProvinces} × 20) req/s @8`, f(oldNationalValuesApi.rps), "-", `p50 ${f(oldNationalValuesApi.p50)} ms`],
      cpuRow(`national comparison ${OLD_TREE.national} values only`, oldNationalValuesApi),
      cpuRow(`province page ${OLD_TREE.page} full`, oldPageApi),
      cpuRow(`national comparison ${OLD_TREE.national} full`, oldNationalApi8),
      ...noteFirst(
        pageRows(OLD_TREE.page, "three tiers", oldChildren, oldPageApi, oldPageFloor),
        `goal ≥ 50%; rounds ${oldPageRounds.ratios.map((x) => `${f(x * 100, 0)}%`).join(", ")}`,
      ),
      [
        `  the same, compressed as a browser asks (${f(oldPageApi.bytes / 1024, 0)} KB → ${f(oldPageBrowserApi.bytes / 1024, 0)} KB) req/s @8`,
        f(oldPageBrowserApi.rps),
        f(oldPageFloor.rps),
        `${f((oldPageBrowserApi.rps / oldPageFloor.rps) * 100, 0)}% of floor; API ${f(oldPageBrowserApi.cpu.nodeMs, 2)} ms CPU`,
      ],
      [
        `  the same, computed afresh on every request (ANSWER_MEMO_MB=0) req/s @8`,
        f(oldPageFreshApi.rps),
        f(oldPageFloor.rps),
        `${f((oldPageFreshApi.rps / oldPageFloor.rps) * 100, 0)}% of floor; API ${f(oldPageFreshApi.cpu.nodeMs, 2)} ms CPU`,
      ],
      ...pageRows(NEW_TREE.page, "two tiers", newChildren, provinceApi, provinceFloor),
      ...noteFirst(
        nationalRows(OLD_TREE.national, "three tiers", counts.oldProvinces, oldNationalApi1, oldNationalApi8, oldNationalFloor1, oldNationalFloor8),
        `goal ≤ 1.5×; rounds ${oldNationalRounds1.ratios.map((x) => `${f(x)}×`).join(", ")}`,
      ),
      [
        `  the same, compressed as a browser asks (${f(oldNationalApi1.bytes / 1024, 0)} KB → ${f(oldNationalBrowserApi1.bytes / 1024, 0)} KB) p50 ms @1`,
        f(oldNationalBrowserApi1.p50),
        f(oldNationalFloor1.p50, 2),
        `${f(oldNationalBrowserApi1.p50 / oldNationalFloor1.p50)}×`,
      ],
      [
        `  the same, computed afresh on every request (ANSWER_MEMO_MB=0) p50 ms @1`,
        f(oldNationalFreshApi1.p50),
        f(oldNationalFloor1.p50, 2),
        `${f(oldNationalFreshApi1.p50 / oldNationalFloor1.p50)}×`,
      ],
      ...nationalRows(NEW_TREE.national, "two tiers", counts.newProvinces, nationalApi1, nationalApi8, nationalFloor1, nationalFloor8),
      ...noteFirst(
        nationalRows(
          `${RESTATED.national} restated`,
          `on the tree of ${RESTATED.asOf}, ${restatedSql.length} statement${restatedSql.length === 1 ? "" : "s"}`,
          counts.restatedProvinces,
          restatedApi1,
          restatedApi8,
          restatedFloor1,
          restatedFloor8,
        ),
        "goal ≤ 2×",
      ),
      [`  national floor ${NEW_TREE.national}: summaries statement alone p50 ms`, "-", f(nationalSummaries.p50, 2), "-"],
      [`  national floor ${NEW_TREE.national}: effective-targets statement alone (only when not cached) p50 ms`, "-", f(nationalTargets.p50, 2), "-"],
      ["national from facts (2025-Q4), computed live p50 ms (reference)", "-", f(liveFloor.p50, 2), "-"],
      [`single write + province read (${NEW_TREE.page}) p50 ms`, f(pct(writeRead, 50)), f(writeFloor.p50, 2) + " (read only)", `${f(pct(writeRead, 50) / writeFloor.p50)}×`],
      [
        `single report write p50 ms (API: HTTP; SQL: its ${sqlWrite.statements.length} statements replayed, committed)`,
        f(pct(writeOnly, 50)),
        f(sqlWrite.write, 2),
        `${f(pct(writeOnly, 50) / sqlWrite.write)}×`,
      ],
      ["  bare INSERT of one row (copy of report), autocommit p50 ms", "-", f(sqlWrite.bare, 2), `write SQL ${f(sqlWrite.write / sqlWrite.bare)}× (goal ≤ 5×)`],
      ["upload 10,000 rows, CSV (`;`, decimal commas) ms, median of 3", f(median(uploads.csv[0]!)), "-", "-"],
      ["  the same file again (all unchanged) ms", f(median(uploads.csv[1]!)), "-", "-"],
      ["upload 10,000 rows, .xlsx ms, median of 3", f(median(uploads.xlsx[0]!)), "-", "-"],
      ["  the same file again (all unchanged) ms", f(median(uploads.xlsx[1]!)), "-", "-"],
      [`bulk load ${bulk.rows} reports (+summaries) s`, f(bulk.ms / 1000), f(copyMs / 1000) + " (plain COPY)", `${f(bulk.ms / copyMs)}× (goal ≤ 10×)`],
      ["server peak RSS MB (the production start's flags)", f(rss / 1048576), "-", rss <= 250 * 1048576 ? "≤ 250 MB (goal 6)" : "OVER 250 MB (goal 6)"],
    ];
    const widths = [0, 1, 2, 3].map((i) => Math.max(...table.map((r) => r[i]!.length), ["measure", "API", "SQL floor", "ratio"][i]!.length));
    const line = (r: string[]) => "| " + r.map((c, i) => c.padEnd(widths[i]!)).join(" | ") + " |";
    console.log(
      `\nvn-program-plans bench: ${counts.oldProvinces} provinces (tree of ${oldOn}) then ${counts.newProvinces} (tree of ${newOn}), ` +
        `${communes.map((c) => c.length).join("/")} communes reporting ${QUARTERS.map((q) => q.code.slice(5)).join("/")}, ` +
        `${bulk.rows} reports, ${summaries} summary rows, ${SECONDS} s per autocannon run, server NODE_ENV=production LOG_LEVEL=${SERVER_LOG_LEVEL} ${SERVER_NODE_ARGS.join(" ")}`,
    );
    console.log(line(["measure", "API", "SQL floor", "ratio"]));
    console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
    for (const r of table) console.log(line(r));
    console.log(`\ntotal bench time ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    if (server) await server.stop();
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

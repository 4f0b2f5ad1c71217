import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { Role } from "../src/auth/auth.types";
import { createRequestContext } from "../src/context";
import { targetCacheOf } from "../src/target/effective-target.cache";
import { EffectiveTargetService } from "../src/target/effective-target.service";
import { createTestDatabase, type TestDatabase } from "./support/test-database";
import { eventually, startLiveServer, type LiveServer } from "./support/live-server";
import { buildServer } from "./support/build-server";

/**
 * Two API servers on one database, as two processes of one deployment: each keeps effective targets in its
 * own memory (src/target/effective-target.cache.ts), and neither needs anything the other holds. A write
 * through one is read through the other at once, whether the other's cache was warm or cold; a caller never
 * gets from the shared cache a target of a unit it may not see. The servers run in this process (each with its
 * own pool and so its own cache), then as two real processes started as `npm start` does.
 */
const ROLLUP = `query($u: String!, $p: String!, $i: [String!]) { rollup(unitCode: $u, period: $p, indicators: $i) {
  cells { indicatorCode unitsReported target { provenance sourcePlanDocument value { share } } }
  children { unit { code } cells { indicatorCode target { provenance sourcePlanDocument value { share } } } } } }`;
const COMPARISON = `query($p: String!, $i: [String!]) { nationalComparison(period: $p, indicators: $i) {
  provinces { unit { code } cells { indicatorCode target { sourcePlanDocument value { share } } } } } }`;
const EFFECTIVE = `query($u: String!, $p: String!, $i: [String!]) { effectiveTargets(unitCode: $u, period: $p, indicators: $i) {
  unitCode indicatorCode provenance sourcePlanDocument value { share } } }`;
const SET = `mutation($input: SetTargetsInput!) { setTargets(input: $input) { __typename ... on TargetsSet { plan { version } } } }`;
const SUBMIT = `mutation($input: SubmitReportsInput!) { submitReports(input: $input) { inserted updated unchanged } }`;
const INDICATOR = "AWR_COMMUNE_ACTIVITY"; // national 1629/QĐ-TTg: at least 70%

let db: TestDatabase;
let a: LiveServer;
let b: LiveServer;
let quangNinhPlan: string;
let ministry: string;
let qnPlanner: string;
let qnReporter: string;

beforeAll(async () => {
  db = await createTestDatabase({ poolSize: 2 });
  [a, b] = await Promise.all([startLiveServer(db.url, { poolSize: 3 }), startLiveServer(db.url, { poolSize: 3 })]);
  const [plan] = await db.dataSource.query(`SELECT p.id FROM plan p JOIN org_unit u ON u.id = p.unit_id WHERE u.code = '22' AND p.status = 'active'`);
  quangNinhPlan = plan.id;
  ministry = a.token("VN", [Role.VIEWER]);
  qnPlanner = a.token("22", [Role.PLANNER, Role.VIEWER]);
  qnReporter = a.token("22", [Role.REPORTER, Role.VIEWER]);
}, 120_000);
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await db?.drop();
});

const data = (r: { status: number; body: any }) => {
  expect(r.body.errors).toBeUndefined();
  return r.body.data;
};
const rollupTarget = async (server: LiveServer, unit: string, period: string, token = qnPlanner) =>
  data(await server.post(ROLLUP, { u: unit, p: period, i: [INDICATOR] }, token)).rollup.cells[0].target;
let version = 1;
const setShare = async (share: number) => {
  const r = data(await a.post(SET, { input: { planId: quangNinhPlan, version, reason: "cache test", targets: [{ indicator: INDICATOR, kind: "SHARE_FLOOR", share }] } }, qnPlanner));
  expect(r.setTargets.__typename).toBe("TargetsSet");
  version = r.setTargets.plan.version;
};

describe("a target set through one server", () => {
  it("is read through the other at once, its cache warm or cold", async () => {
    // warm B (twice: the second read is served from its memory): Quảng Ninh's own 75% (national 70%)
    expect(await rollupTarget(b, "22", "2025-Q3")).toEqual({ provenance: "OWN", sourcePlanDocument: null, value: { share: 75 } });
    const warm = { ...targetCacheOf(b.appDataSource)! };
    expect(warm.size).toBeGreaterThan(0);
    expect(await rollupTarget(b, "22", "2025-Q3")).toEqual({ provenance: "OWN", sourcePlanDocument: null, value: { share: 75 } });
    expect(targetCacheOf(b.appDataSource)).toMatchObject({ version: warm.version, size: warm.size });

    await setShare(80);
    // warm on B: the new target at once (B saw the new version and dropped what it kept)
    expect(await rollupTarget(b, "22", "2025-Q3")).toMatchObject({ provenance: "OWN", value: { share: 80 } });
    expect(targetCacheOf(b.appDataSource)!.version).toBeGreaterThan(warm.version);
    // cold on B (a period it never read): the new target too
    await setShare(85);
    expect(await rollupTarget(b, "22", "2025-Q2")).toMatchObject({ provenance: "OWN", value: { share: 85 } });
    expect(await rollupTarget(b, "22", "2025-Q3")).toMatchObject({ provenance: "OWN", value: { share: 85 } });
    // and on A, whose cache the write went around
    expect(await rollupTarget(a, "22", "2025-Q3")).toMatchObject({ provenance: "OWN", value: { share: 85 } });
    // the province's districts inherit it, on both
    for (const server of [a, b]) {
      const page = data(await server.post(ROLLUP, { u: "22", p: "2025-Q3", i: [INDICATOR] }, qnPlanner)).rollup;
      expect(page.children.length).toBeGreaterThan(0);
      for (const child of page.children) expect(child.cells[0].target).toMatchObject({ provenance: "INHERITED", value: { share: 85 } });
    }
  });

  it("a plan change (another process, another connection) is read at once", async () => {
    const doc = async () => (await rollupTarget(b, "01", "2025-Q3", ministry)).sourcePlanDocument;
    expect(await doc()).toBe("1629/QĐ-TTg");
    await db.dataSource.query(`UPDATE plan SET document_number = '1629/QĐ-TTg (sửa đổi)' WHERE document_number = '1629/QĐ-TTg'`);
    expect(await doc()).toBe("1629/QĐ-TTg (sửa đổi)");
    await db.dataSource.query(`UPDATE plan SET document_number = '1629/QĐ-TTg' WHERE document_number = '1629/QĐ-TTg (sửa đổi)'`);
    expect(await doc()).toBe("1629/QĐ-TTg");
  });

  it("a tree change bumps the targets version in its own transaction", async () => {
    const read = async () => Number((await db.dataSource.query(`SELECT version FROM targets_version_read()`))[0].version);
    const before = await read();
    await db.dataSource.query(`UPDATE org_unit SET valid_from = valid_from WHERE code = '22'`);
    const after = await read();
    expect(after).toBeGreaterThan(before);
    // a rolled-back change leaves it
    await db.dataSource.transaction(async (m) => {
      await m.query(`UPDATE org_unit SET valid_from = valid_from WHERE code = '22'`);
      expect(Number((await m.query(`SELECT version FROM targets_version_read()`))[0].version)).toBeGreaterThan(after);
      throw new Error("roll back");
    }).catch(() => undefined);
    expect(await read()).toBe(after);
  });
});

describe("one cache for callers of every scope", () => {
  it("serves a unit only to a caller that sees it", async () => {
    // the ministry warms every province on B
    const provinces = data(await b.post(COMPARISON, { p: "2025-Q3", i: [INDICATOR] }, ministry)).nationalComparison.provinces;
    const hanoi = provinces.find((p: { unit: { code: string } }) => p.unit.code === "01");
    expect(hanoi.cells[0].target).toEqual({ sourcePlanDocument: "1629/QĐ-TTg", value: { share: 70 } });
    const [hn] = await db.dataSource.query(`SELECT id, path FROM org_unit WHERE code = '01' AND valid_to IS NULL`);
    const indicator = Number((await db.dataSource.query(`SELECT id FROM indicator WHERE code = $1`, [INDICATOR]))[0].id);
    const cache = targetCacheOf(b.appDataSource)!;
    // Hà Nội's entry is shared (its plans all lie on its own line), holding its target
    expect([...cache.shared.values()].some((u) => u.path === hn.path && u.targets.get(indicator))).toBe(true);
    // Quảng Ninh's own request on B's pool, asking for Hà Nội's targets the ministry's request left there: none
    const [qn] = await db.dataSource.query(`SELECT id, code, level, path FROM org_unit WHERE code = '22' AND valid_to IS NULL`);
    const ctx = createRequestContext(b.appDataSource, {
      subject: "qn", unitId: qn.id, unitCode: qn.code, unitLevel: qn.level, unitPath: qn.path, scopePaths: [qn.path], roles: [Role.VIEWER],
    });
    const sizeBefore = cache.size;
    try {
      const theirs = await EffectiveTargetService.forUnits(ctx, [hn.id, qn.id], [indicator], { start: "2025-07-01", end: "2025-09-30" });
      expect([...theirs.keys()]).toEqual([`${qn.id}:${indicator}`]);
    } finally {
      await ctx.db.finish(true);
    }
    expect(targetCacheOf(b.appDataSource)!.size).toBe(sizeBefore); // both answered from the cache
    // Quảng Ninh asks B for Hà Nội: not found, as without a cache
    const rollup = await b.post(ROLLUP, { u: "01", p: "2025-Q3", i: [INDICATOR] }, qnPlanner);
    expect(rollup.body.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const targets = await b.post(EFFECTIVE, { u: "01", p: "2025-Q3", i: [INDICATOR] }, qnPlanner);
    expect(targets.body.data?.effectiveTargets ?? []).toEqual([]);
    if (targets.body.errors) expect(targets.body.errors[0].extensions.code).toBe("NOT_FOUND");
    // and its own targets, read from the entry the ministry filled, are its own
    expect(data(await b.post(EFFECTIVE, { u: "22", p: "2025-Q3", i: [INDICATOR] }, qnPlanner)).effectiveTargets).toEqual([
      { unitCode: "22", indicatorCode: INDICATOR, provenance: "OWN", sourcePlanDocument: null, value: { share: 85 } },
    ]);
  });
});

describe("reports", () => {
  it("written through one server are read through the other at once", async () => {
    const reported = async () => data(await b.post(ROLLUP, { u: "22", p: "2025-Q1", i: [INDICATOR] }, qnPlanner)).rollup.cells[0].unitsReported;
    const before = await reported();
    const rows = ["06838", "06841"].map((unitCode) => ({ unitCode, indicatorCode: INDICATOR, period: "2025-Q1", value: 1 }));
    expect(data(await a.post(SUBMIT, { input: { rows, idempotencyKey: "cache-test-1" } }, qnReporter)).submitReports).toMatchObject({ inserted: 2 });
    expect(await reported()).toBe(before + 2);
    // the idempotency key lives in the database: a retry through the other server answers the first result
    const again = await b.post(SUBMIT, { input: { rows, idempotencyKey: "cache-test-1" } }, qnReporter);
    expect(data(again).submitReports).toMatchObject({ inserted: 2 });
    expect(await reported()).toBe(before + 2);
  });
});

describe("two API processes (npm start twice on one database)", () => {
  let build: ReturnType<typeof buildServer>;
  const children: ChildProcess[] = [];
  beforeAll(() => {
    build = buildServer();
  });
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    build?.remove();
  });

  /** One more server process; resolves with its base URL once it listens. */
  async function startProcess(): Promise<string> {
    let out = "";
    let exited = false;
    const child = spawn(process.execPath, [build.main], {
      cwd: path.resolve(__dirname, ".."),
      env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "info", DATABASE_URL: db.url, PORT: "0", NODE_OPTIONS: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    child.stdout!.on("data", (chunk) => (out += chunk));
    child.stderr!.on("data", (chunk) => (out += chunk));
    child.on("exit", () => (exited = true));
    const ready = /GraphQL API ready at http:\/\/localhost:(\d+)\/graphql/;
    await eventually(() => ready.test(out) || exited, "the server process to start", 60_000);
    if (exited) throw new Error(`the server process exited: ${out}`);
    return `http://127.0.0.1:${ready.exec(out)![1]}`;
  }
  const post = async (base: string, query: string, variables: Record<string, unknown>, token: string) => {
    const response = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "accept-language": "en", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it("a target set through one process is read through the other at once, its cache warm", async () => {
    // started at once, as a deployment starts its processes (bootstrap takes turns migrating and aligning the role)
    const [one, two] = await Promise.all([startProcess(), startProcess()]);
    const target = async (base: string) => data(await post(base, ROLLUP, { u: "22", p: "2025-Q3", i: [INDICATOR] }, qnPlanner)).rollup.cells[0].target;
    const before = await target(two);
    expect(await target(two)).toEqual(before); // warm
    const [{ version: planVersion }] = await db.dataSource.query(`SELECT version FROM plan WHERE id = $1`, [quangNinhPlan]);
    const share = before.value.share + 1;
    const set = data(await post(one, SET, { input: { planId: quangNinhPlan, version: planVersion, reason: "two processes", targets: [{ indicator: INDICATOR, kind: "SHARE_FLOOR", share }] } }, qnPlanner));
    expect(set.setTargets.__typename).toBe("TargetsSet");
    expect(await target(two)).toMatchObject({ provenance: "OWN", value: { share } });
    expect(await target(one)).toMatchObject({ provenance: "OWN", value: { share } });
  }, 120_000);
});

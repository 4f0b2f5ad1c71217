import { Role } from "../src/auth/auth.types";
import { createRequestContext } from "../src/context";
import { RollupService } from "../src/rollup/rollup.service";
import { startHarness, startServerWith, type Harness } from "./support/harness";

/**
 * Answers kept by what they were computed from (src/schema/answer-memo.ts): the same question by the same caller is
 * answered from memory once its reads, run again, give the same rows. Never stale (a write through another API
 * process, a target changed in SQL), never shared between callers or languages, and byte for byte the answer the
 * API computes afresh.
 */
let h: Harness;
let base: string;
beforeAll(async () => {
  h = await startHarness();
  base = `http://127.0.0.1:${await h.server.listen(0)}`;
  // one commune of Quảng Ninh reports yes (1): judged with no minimum completeness (the default is 50%)
  await h.dataSource.query(`UPDATE indicator SET min_completeness = 0 WHERE code = 'AWR_COMMUNE_ACTIVITY'`);
  expect((await report(base, 1)).errors).toBeUndefined();
});
afterAll(() => h?.close());

const PAGE = `query Page($u: String!) { rollup(unitCode: $u, period: "2025-Q3", indicators: ["AWR_COMMUNE_ACTIVITY", "PRV_BUSINESS_COMMITMENT"]) {
  reportingPeriod { label } unit { code name } cells { indicatorCode value status gap target { value { text } } }
  children { unit { code name } cells { indicatorCode value status gap target { value { text } } } } } }`;

async function post(at: string, query: string, variables: Record<string, unknown>, token: string, language = "en") {
  const response = await fetch(`${at}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "accept-language": language },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, text: await response.text() };
}

const page = (at: string, token = h.token("22", [Role.VIEWER]), language = "en") => post(at, PAGE, { u: "22" }, token, language);

function report(at: string, value: number) {
  const mutation = `mutation { submitReports(input: { rows: [{ unitCode: "06673", indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2025-Q3", value: ${value} }] }) { inserted updated } }`;
  return post(at, mutation, {}, h.token("VN")).then((r) => JSON.parse(r.text));
}

/** The server's count of executed queries by executor (GET /metrics). */
async function executions(at: string): Promise<Record<"compiled" | "memo", number>> {
  const text = await (await fetch(`${at}/metrics`)).text();
  const count = (executor: string) => Number(new RegExp(`^vnp_graphql_query_executions_total\\{executor="${executor}"\\} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
  return { compiled: count("compiled"), memo: count("memo") };
}

/** The commune's value on the province page. */
const communeValue = (text: string) =>
  JSON.parse(text).data.rollup.children.flatMap((c: any) => c.cells.map((cell: any) => ({ unit: c.unit.code, ...cell }))).find((c: any) => c.unit === "06673" && c.indicatorCode === "AWR_COMMUNE_ACTIVITY").value;

it("answers the same question by the same caller from memory, byte for byte as computed afresh", async () => {
  const before = await executions(base);
  // the first run fills the targets cache, a statement the next run will not send: the next run's answer is kept
  const filling = await page(base);
  const first = await page(base);
  const second = await page(base);
  const third = await page(base);
  expect(await executions(base)).toEqual({ compiled: before.compiled + 2, memo: before.memo + 2 });
  expect(filling.text).toBe(first.text);
  expect(first.status).toBe(200);
  expect(second.text).toBe(first.text);
  expect(third.text).toBe(first.text);
  // the same as the in-process executor, which keeps nothing
  const fresh = await h.gql(PAGE, { u: "22" }, h.token("22", [Role.VIEWER]));
  expect(fresh.errors).toBeUndefined();
  expect(JSON.parse(first.text)).toEqual({ data: fresh.data });
  expect(communeValue(first.text)).toBe(100);
});

it("computes afresh after a write through another API process, and keeps the new answer", async () => {
  const other = await startServerWith(h, {});
  try {
    await page(base);
    const kept = await page(base);
    expect((await report(other.base, 0)).errors).toBeUndefined();
    const before = await executions(base);
    const after = await page(base);
    const again = await page(base);
    expect(await executions(base)).toEqual({ compiled: before.compiled + 1, memo: before.memo + 1 });
    expect(communeValue(kept.text)).toBe(100);
    expect(communeValue(after.text)).toBe(0);
    expect(again.text).toBe(after.text);
    const fresh = await h.gql(PAGE, { u: "22" }, h.token("22", [Role.VIEWER]));
    expect(JSON.parse(after.text)).toEqual({ data: fresh.data });
  } finally {
    await other.server.stop();
    expect((await report(base, 1)).errors).toBeUndefined();
  }
});

it("judges afresh after a target changed in SQL (the targets version is among the reads)", async () => {
  const judged = async () => JSON.parse((await page(base)).text).data.rollup.cells.find((c: any) => c.indicatorCode === "AWR_COMMUNE_ACTIVITY");
  await judged();
  const kept = await judged();
  const [target] = await h.dataSource.query(
    `UPDATE target SET share = share - 7 WHERE indicator_id = (SELECT id FROM indicator WHERE code = 'AWR_COMMUNE_ACTIVITY') AND share IS NOT NULL RETURNING share`,
  );
  expect(target).toBeDefined();
  try {
    const after = await judged();
    expect(after.target.value.text).not.toBe(kept.target.value.text);
    const fresh = await h.gql(PAGE, { u: "22" }, h.token("22", [Role.VIEWER]));
    expect(after).toEqual(fresh.data.rollup.cells.find((c: any) => c.indicatorCode === "AWR_COMMUNE_ACTIVITY"));
  } finally {
    await h.dataSource.query(`UPDATE target SET share = share + 7 WHERE indicator_id = (SELECT id FROM indicator WHERE code = 'AWR_COMMUNE_ACTIVITY') AND share IS NOT NULL`);
  }
});

it("keeps answers apart by caller and language: another province is still refused, Vietnamese stays Vietnamese", async () => {
  await page(base);
  const refused = JSON.parse((await page(base, h.token("01", [Role.VIEWER]))).text);
  expect(refused.errors[0].extensions.code).toBe("NOT_FOUND");
  expect(refused.data).toBeNull();
  const english = await page(base);
  const vietnamese = await page(base, undefined, "vi");
  const vietnameseAgain = await page(base, undefined, "vi");
  expect(JSON.parse(english.text).data.rollup.reportingPeriod.label).toBe("Q3 2025");
  expect(JSON.parse(vietnamese.text).data.rollup.reportingPeriod.label).toBe("Quý 3/2025");
  expect(vietnameseAgain.text).toBe(vietnamese.text);
  const fresh = await h.gql(PAGE, { u: "22" }, h.token("22", [Role.VIEWER]), "vi");
  expect(JSON.parse(vietnamese.text)).toEqual({ data: fresh.data });
});

it("keeps nothing with ANSWER_MEMO_MB=0", async () => {
  const off = await startServerWith(h, { ANSWER_MEMO_MB: "0" });
  try {
    const before = await executions(off.base);
    const first = await page(off.base);
    const second = await page(off.base);
    expect(await executions(off.base)).toEqual({ compiled: before.compiled + 2, memo: before.memo });
    expect(second.text).toBe(first.text);
  } finally {
    await off.server.stop();
  }
});

it("replays a read once: rows found changed are handed to the request's own statement, which sends nothing", async () => {
  const actor = { subject: "test-22", unitId: 0, unitCode: "22", unitLevel: "province", unitPath: "", scopePaths: [], roles: [Role.VIEWER] };
  const [unit] = await h.dataSource.query(`SELECT id, path FROM org_unit WHERE code = '22' ORDER BY valid_from DESC LIMIT 1`);
  Object.assign(actor, { unitId: unit.id, unitPath: unit.path, scopePaths: [unit.path] });
  const sql = `SELECT r.value::text AS value FROM report r JOIN org_unit u ON u.id = r.unit_id WHERE u.code = $1 ORDER BY r.id`;
  const recording = createRequestContext(h.appDataSource, actor);
  recording.db.onlyReads();
  recording.db.recordReads();
  const rows = await recording.db.query(sql, ["06673"], { prepare: true });
  await recording.db.finish(true);
  expect(rows.length).toBeGreaterThan(0);
  const [read] = recording.db.reads!;

  const same = createRequestContext(h.appDataSource, actor);
  same.db.onlyReads();
  expect(await same.db.replay(read!)).toBe(true);
  await same.db.finish(true);

  expect((await report(base, 0)).errors).toBeUndefined();
  const changed = createRequestContext(h.appDataSource, actor);
  changed.db.onlyReads();
  changed.db.recordReads();
  expect(await changed.db.replay(read!)).toBe(false);
  const statements = changed.db.stats.statements;
  const fresh = await changed.db.query<{ value: string }>(sql, ["06673"], { prepare: true });
  await changed.db.finish(true);
  expect(changed.db.stats.statements).toBe(statements); // taken from the replay, not sent again
  expect(fresh.map((r) => Number(r.value))).toContain(0);
  expect(changed.db.reads!.map((r) => r.digest)).not.toEqual([read!.digest]);
  expect((await report(base, 1)).errors).toBeUndefined();
});

it("reads the same rows from a page's statement whatever the plan", async () => {
  // a prepared statement runs on custom plans five times per connection, then on a generic plan, and plans change with
  // the statistics: the rows it sends must not depend on the plan (each JSON aggregate is ordered), else a kept answer
  // is never found the same again. Here the planner is steered to other joins and aggregations, as other data would.
  const plans: Array<Record<string, string>> = [
    {},
    { plan_cache_mode: "force_generic_plan" },
    { plan_cache_mode: "force_custom_plan", enable_hashjoin: "off" },
    { plan_cache_mode: "force_custom_plan", enable_hashagg: "off" },
    { plan_cache_mode: "force_custom_plan", enable_hashjoin: "off", enable_mergejoin: "off" },
  ];
  const [unit] = await h.dataSource.query(`SELECT id, path FROM org_unit WHERE code = '22' ORDER BY valid_from DESC LIMIT 1`);
  const actor = { subject: "test-22", unitId: unit.id, unitCode: "22", unitLevel: "province", unitPath: unit.path, scopePaths: [unit.path], roles: [Role.VIEWER] };
  const digests = new Set<string>();
  for (const plan of plans) {
    const ctx = createRequestContext(h.appDataSource, actor);
    ctx.db.onlyReads();
    await ctx.db.configure(plan);
    ctx.db.recordReads();
    await RollupService.page(ctx, { unitCode: "22", period: "2025-Q3" } as never, false);
    await ctx.db.finish(true);
    digests.add(ctx.db.reads![0]!.digest);
  }
  expect(digests.size).toBe(1);
});

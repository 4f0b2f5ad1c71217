import type { Browser, Page } from "playwright-core";
import { Role } from "../src/auth/auth.types";
import { loadConfig } from "../src/config";
import { createServer, type AppServer } from "../src/server";
import { startHarness, type Harness } from "./support/harness";
import { launchChromium, offlinePage, screenshotPath } from "./support/browser";

/**
 * The dashboard in real headless Chromium (the @sparticuz/chromium npm package, driven by
 * playwright-core; CHROMIUM_PATH picks another), with the network limited to the server under
 * test: the period picker comes from the data, it drills down on the tree of the period (or of a chosen
 * date), and the national comparison chart shows the provinces of that tree. Screenshots go to
 * test-artifacts/ (git-ignored).
 */
let h: Harness;
let base: string;
let browser: Browser;
let ministry: string;
/** The same database served as `npm start` does in its default mode: with DEV_TOKENS on. */
let devServer: AppServer;
let devBase: string;
/** The provinces of the seed's plans, as named on the tree of 1/7/2025 (79 and 91 are merged provinces there). */
const SEEDED_PROVINCES_2025 = ["Lai Châu", "Quảng Ninh", "Nghệ An", "TP Hồ Chí Minh", "An Giang"];
/** The same codes on the tree of 2024: 91 is Kiên Giang. */
const SEEDED_PROVINCES_2024 = ["Lai Châu", "Quảng Ninh", "Nghệ An", "TP Hồ Chí Minh", "Kiên Giang"];
const QUARTERS = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"];

beforeAll(async () => {
  h = await startHarness();
  base = `http://127.0.0.1:${await h.server.listen(0)}`;
  ministry = h.token("VN", Object.values(Role), "ministry");
  // a few communes of each seeded province report awareness activities for every quarter of 2024 and 2025,
  // each on the tree of its quarter: the communes that exist throughout it (old communes until 2025-Q2, new ones after)
  const communes: Array<{ code: string; province: string; period: string; n: number }> = await h.dataSource.query(
    `WITH q AS (SELECT code, to_date(code, 'YYYY') + make_interval(months => (right(code, 1)::int - 1) * 3) AS qs FROM unnest($1::text[]) AS t(code))
     SELECT c.code, p.code AS province, q.code AS period, row_number() OVER (PARTITION BY q.code, p.id ORDER BY c.code)::int AS n
       FROM q JOIN org_unit c ON c.level = 'commune' AND c.valid_from <= q.qs AND (c.valid_to IS NULL OR c.valid_to >= q.qs + interval '3 months')
       JOIN org_unit p ON p.id = c.province_id
      WHERE p.code = ANY($2::text[])`,
    [QUARTERS, ["12", "22", "40", "79", "91"]],
  );
  const rows = communes
    .filter((c) => c.n <= 4)
    .map((c) => ({ unitCode: c.code, indicatorCode: "AWR_COMMUNE_ACTIVITY", period: c.period, value: c.n % 2 === 0 && c.province !== "22" ? 0 : 1 }));
  expect(rows).toHaveLength(QUARTERS.length * 5 * 4);
  const submitted = await h.gql(
    `mutation($input: SubmitReportsInput!) { submitReports(input: $input) { inserted } }`,
    { input: { rows } },
    ministry,
  );
  expect(submitted.errors).toBeUndefined();
  expect(submitted.data.submitReports.inserted).toBe(rows.length);
  devServer = await createServer({
    config: { ...loadConfig({ ...process.env, NODE_ENV: "test" }), devTokens: true, poolSize: 2 },
    dataSource: h.appDataSource,
    jwt: h.jwt,
  });
  devBase = `http://127.0.0.1:${await devServer.listen(0)}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await devServer?.stop();
  await h.close();
});

/** Waits until the page has loaded (again) and its unit title shows `text`. */
async function waitForUnit(page: Page, text: string) {
  await page.waitForFunction((wanted) => {
    const doc = (globalThis as any).document;
    return doc.querySelector("#unit-title")?.textContent?.includes(wanted) && doc.body.dataset.state === "ready";
  }, text, { timeout: 30_000 });
}

/** The chart of one indicator: its province labels and datasets. */
async function chartOf(page: Page, indicator: string) {
  return page.evaluate((code) => {
    const page = globalThis as any; // runs in the browser
    const canvas = page.document.querySelector(`#charts canvas[data-indicator="${code}"]`);
    const c = page.Chart.getChart(canvas);
    return { labels: c.data.labels as string[], datasets: c.data.datasets.map((d: any) => ({ label: d.label, data: d.data })) };
  }, indicator) as Promise<{ labels: string[]; datasets: Array<{ label: string; data: Array<number | null> }> }>;
}

it("offers the periods of the plans in the token's scope, newest first, starting on the newest with reports", async () => {
  const { page, foreign, errors } = await offlinePage(browser, base);
  // a plan for 2026 adds 2026's periods to the picker: nothing in the page knows which years there are
  await h.dataSource.query(
    `INSERT INTO plan (program_id, unit_id, title, period_start, period_end, created_by)
     SELECT 1, u.id, 'Kế hoạch năm 2026 (thử)', DATE '2026-01-01', DATE '2026-12-31', 'test' FROM org_unit u WHERE u.code = '12'`,
  );
  try {
    const api = await h.gql(`{ periods { code hasReports } }`, {}, ministry);
    expect(api.errors).toBeUndefined();
    const codes = api.data.periods.map((p: { code: string }) => p.code);
    expect(codes.slice(0, 8)).toEqual(["2026", "2026-H2", "2026-H1", "2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1", "2025"]);

    await page.goto(`${base}/dashboard#token=${ministry}&unit=22`);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
    const options = await page.locator("#period option").evaluateAll((nodes) => nodes.map((n: any) => ({ value: n.value, text: n.textContent })));
    expect(options.map((o) => o.value)).toEqual(codes);
    expect(options.find((o) => o.value === "2025-Q3")?.text).toBe("Quý III/2025 — có số liệu");
    expect(options.find((o) => o.value === "2026")?.text).toBe("Năm 2026");
    expect(options.find((o) => o.value === "2025-H1")?.text).toBe("6 tháng đầu năm 2025 — có số liệu");
    expect(await page.locator("#period optgroup").first().getAttribute("label")).toBe("Năm 2026");
    // no period asked for: the newest one with reports
    expect(await page.inputValue("#period")).toBe("2025");
    expect(await page.textContent("#unit-title")).toContain("Năm 2025");
    expect(await page.textContent("#tree-note")).toBe("Cây đơn vị ngày 31/12/2025 (ngày cuối kỳ báo cáo; 2 cấp: tỉnh → xã)");
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await h.dataSource.query(`DELETE FROM plan WHERE title = 'Kế hoạch năm 2026 (thử)'`);
    await page.context().close();
  }
}, 90_000);

it("on 2025-Q3 loads a province on the two-tier tree, drills down to a commune, and charts the 34 provinces", async () => {
  const { page, foreign, errors } = await offlinePage(browser, base);
  await page.goto(`${base}/dashboard#token=${ministry}&unit=22&period=2025-Q3`);
  await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });

  // the province: its indicators against its own effective targets
  expect(await page.textContent("#unit-title")).toContain("Tỉnh Quảng Ninh");
  expect(await page.textContent("#unit-title")).toContain("Quý III/2025");
  expect(await page.textContent("#tree-note")).toBe("Cây đơn vị ngày 30/09/2025 (ngày cuối kỳ báo cáo; 2 cấp: tỉnh → xã)");
  const activity = page.locator('#cells tr[data-indicator="AWR_COMMUNE_ACTIVITY"]');
  expect(await activity.textContent()).toContain("≥ 75%");
  expect(await activity.getAttribute("data-status")).toBe("NOT_MET"); // 4 communes of 54 reported
  expect(await activity.textContent()).toContain("4/54 đơn vị báo cáo");
  expect(await activity.textContent()).toContain("Kế hoạch của Tỉnh Quảng Ninh");
  expect(await page.locator("#cells tbody tr").count()).toBeGreaterThanOrEqual(10);
  // province → communes: Quảng Ninh's 54 communes and wards, no district
  expect(await page.locator("#children tbody tr").count()).toBe(54);
  expect(await page.locator('#children tbody tr:not([data-level="COMMUNE"])').count()).toBe(0);
  expect(await page.locator('#children tr[data-unit="193"]').count()).toBe(0);
  // the token is moved out of the address bar
  expect(page.url()).not.toContain("token=");

  // drill down: click Phường Bãi Cháy, a commune directly under the province
  await page.click('#children a.drill[data-unit="06673"]');
  await waitForUnit(page, "Phường Bãi Cháy");
  expect(await page.textContent("#unit-title")).toContain("Cấp xã");
  expect(await page.locator("#breadcrumb a.drill").evaluateAll((nodes) => nodes.map((n: any) => n.dataset.unit))).toEqual(["VN", "22"]);
  expect(await page.isHidden("#children-section")).toBe(true); // a commune has no units below it
  expect(page.url()).toContain("unit=06673");
  expect(page.url()).toContain("period=2025-Q3");

  // the national comparison: one chart per indicator, the 34 provinces of the tree ranked, target lines
  expect(await page.textContent("#comparison-tree")).toContain("34 tỉnh, thành phố");
  const charts = await page.locator("#charts canvas").count();
  expect(charts).toBeGreaterThanOrEqual(10);
  const chart = await chartOf(page, "AWR_COMMUNE_ACTIVITY");
  expect(chart.labels).toHaveLength(34);
  expect(chart.datasets.map((d) => d.label)).toEqual(["Kết quả", "Chỉ tiêu của tỉnh", "Chỉ tiêu quốc gia"]);
  // the provinces that reported come first, ranked best first; the others have no data
  const bars = chart.datasets[0]!.data;
  expect([...chart.labels.slice(0, 5)].sort()).toEqual([...SEEDED_PROVINCES_2025].sort());
  expect(bars.slice(0, 5).every((v) => v !== null && v > 0)).toBe(true);
  expect(bars.slice(5).every((v) => v === null)).toBe(true);
  expect([...bars.slice(0, 5)].sort((a, b) => b! - a!)).toEqual(bars.slice(0, 5));
  expect(chart.datasets[2]!.data.every((v) => v === 70)).toBe(true); // the national ≥ 70%
  expect(await page.locator('#comparison tbody tr[data-indicator="AWR_COMMUNE_ACTIVITY"]').count()).toBe(34);
  // the table can show one indicator: its provinces by rank
  await page.selectOption("#table-indicator", "AWR_COMMUNE_ACTIVITY");
  const visible = page.locator("#comparison tbody tr:not([hidden])");
  expect(await visible.count()).toBe(34);
  expect(await visible.first().locator("td").nth(1).textContent()).toBe("1");
  expect(await visible.first().locator("td").nth(2).textContent()).toBe("Tỉnh Quảng Ninh"); // 4 of 4 reported yes

  await page.screenshot({ path: screenshotPath("dashboard.png"), fullPage: true });
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
  await page.context().close();
}, 90_000);

it("with a date set (30/06/2024) reads the three-tier tree: province → districts → communes, and the 63 provinces", async () => {
  const { page, foreign, errors } = await offlinePage(browser, base);
  await page.goto(`${base}/dashboard#token=${ministry}&unit=22&period=2025-Q3`);
  await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
  expect(await page.inputValue("#as-of")).toBe(""); // empty by default: the period's own tree
  expect(await page.locator("#children tbody tr").count()).toBe(54);

  await page.fill("#as-of", "2024-06-30");
  await page.waitForFunction(() => (globalThis as any).document.querySelector("#tree-note")?.dataset.asOf === "2024-06-30");
  await page.waitForSelector('body[data-state="ready"]');
  expect(await page.textContent("#tree-note")).toBe("Cây đơn vị ngày 30/06/2024 (ngày đã chọn; 3 cấp: tỉnh → huyện → xã)");
  expect(await page.textContent("#unit-title")).toContain("Quý III/2025");
  // province → districts: Quảng Ninh's 13 district-level units of 2024
  expect(await page.locator("#children tbody tr").count()).toBe(13);
  expect(await page.locator('#children tbody tr:not([data-level="DISTRICT"])').count()).toBe(0);
  expect(page.url()).toContain("asOf=2024-06-30");
  // the CSV is of the same tree: the date goes with it
  const [csv] = await Promise.all([page.waitForResponse((r) => r.url().includes("/csv/rollup?")), page.click("#csv-rollup")]);
  expect(csv.url()).toContain("unit=22&period=2025-Q3&asOf=2024-06-30");
  expect(csv.status()).toBe(200);
  // (the page reads the body as a blob; the same request from here shows Hạ Long, a district, among the lines)
  const same = await fetch(csv.url(), { headers: { authorization: `Bearer ${ministry}` } });
  expect((await same.text()).split("\n").filter((line) => line.includes(",Thành phố Hạ Long,DISTRICT,child,")).length).toBeGreaterThan(0);
  await page.waitForFunction(() => (globalThis as any).document.querySelector("#message")?.textContent?.startsWith("Đã tải"));

  // → communes: Hạ Long's wards and communes, on the same date
  await page.click('#children a.drill[data-unit="193"]');
  await waitForUnit(page, "Hạ Long");
  expect(await page.textContent("#unit-title")).toContain("Cấp huyện");
  expect(await page.locator('#breadcrumb a[data-unit="22"]').textContent()).toBe("Tỉnh Quảng Ninh");
  expect(await page.locator("#children tbody tr").count()).toBeGreaterThan(5);
  expect(await page.locator('#children tbody tr:not([data-level="COMMUNE"])').count()).toBe(0);
  expect(page.url()).toContain("unit=193");

  // the comparison on the same date: the 63 provinces of 2024 (91 is Kiên Giang)
  expect(await page.textContent("#comparison-tree")).toContain("63 tỉnh, thành phố");
  const chart = await chartOf(page, "AWR_COMMUNE_ACTIVITY");
  expect(chart.labels).toHaveLength(63);
  expect(chart.labels).toContain("Kiên Giang");
  expect(chart.labels).toContain("Bình Dương"); // merged into TP Hồ Chí Minh on 1/7/2025

  // the district is no unit of the period's own tree: clearing the date says so
  await page.fill("#as-of", "");
  await page.waitForSelector('body[data-state="error"]');
  expect(await page.textContent("#message")).toContain("NOT_FOUND");
  expect(await page.textContent("#message")).toContain("2025-09-30");
  expect(foreign).toEqual([]);
  expect(errors.filter((e) => !e.includes("Failed to load resource"))).toEqual([]);
  await page.context().close();
}, 90_000);

it("on 2024 (no date) drills down province → district → commune, the tree of the period", async () => {
  const { page, foreign, errors } = await offlinePage(browser, base);
  await page.goto(`${base}/dashboard#token=${ministry}&unit=22&period=2024`);
  await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
  expect(await page.textContent("#tree-note")).toBe("Cây đơn vị ngày 31/12/2024 (ngày cuối kỳ báo cáo; 3 cấp: tỉnh → huyện → xã)");
  expect(await page.locator("#children tbody tr").count()).toBe(13);
  await page.click('#children a.drill[data-unit="193"]');
  await waitForUnit(page, "Hạ Long");
  const firstCommune = await page.locator("#children tbody tr").first().getAttribute("data-unit");
  await page.click(`#children a.drill[data-unit="${firstCommune}"]`);
  await page.waitForFunction((code) => (globalThis as any).document.location.hash.includes(`unit=${code}`) && (globalThis as any).document.body.dataset.state === "ready", firstCommune);
  expect(await page.textContent("#unit-title")).toContain("Cấp xã");
  expect(await page.locator("#breadcrumb a.drill").evaluateAll((nodes) => nodes.map((n: any) => n.dataset.unit))).toEqual(["VN", "22", "193"]);
  const chart = await chartOf(page, "AWR_COMMUNE_ACTIVITY");
  expect([...chart.labels.slice(0, 5)].sort()).toEqual([...SEEDED_PROVINCES_2024].sort());
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
  await page.context().close();
}, 90_000);

it("a province's token sees its own subtree and no national comparison", async () => {
  const { page, foreign, errors } = await offlinePage(browser, base);
  const planner = h.token("12", [Role.VIEWER], "lai-chau-viewer");
  await page.goto(`${base}/dashboard#token=${planner}`);
  await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
  expect(await page.textContent("#unit-title")).toContain("Lai Châu");
  expect(await page.isHidden("#comparison-section")).toBe(true);
  // another province's code answers as not found
  await page.fill("#unit", "22");
  await page.click("#show");
  await page.waitForSelector('body[data-state="error"]');
  expect(await page.textContent("#message")).toContain("NOT_FOUND");
  expect(foreign).toEqual([]);
  expect(errors.filter((e) => !e.includes("Failed to load resource"))).toEqual([]);
  await page.context().close();
}, 60_000);

it("serves GraphiQL from the API itself, working offline, with the dev tokens (a viewer by default) and example operations", async () => {
  const { page, foreign, errors } = await offlinePage(browser, devBase);
  await page.goto(`${devBase}/graphiql`);
  await page.waitForSelector(".graphiql-container", { timeout: 30_000 });
  const tokens = await page.locator("#token-choice option").count();
  expect(tokens).toBe(7); // placeholder + the development tokens (DEV_TOKENS, loopback, not production)
  expect(await page.locator("#token-choice option:checked").textContent()).toContain("(ministry viewer)");
  await page.click(".graphiql-execute-button");
  await page.waitForFunction(() => (globalThis as any).document.querySelector(".graphiql-response")?.textContent?.includes("Tỉnh Quảng Ninh"), undefined, {
    timeout: 30_000,
  });
  await page.screenshot({ path: screenshotPath("graphiql.png") });
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
  await page.context().close();
}, 60_000);

it("offers no development tokens where JWT_SECRET comes from the environment: a pasted token works", async () => {
  const { page, foreign, errors } = await offlinePage(browser, base);
  await page.goto(`${base}/graphiql`);
  await page.waitForSelector(".graphiql-container", { timeout: 30_000 });
  expect(await page.locator("#token-choice option").count()).toBe(1); // the placeholder only
  await page.fill("#token-input", h.token("22", [Role.VIEWER], "qn-viewer"));
  await page.press("#token-input", "Enter");
  await page.click(".graphiql-execute-button");
  await page.waitForFunction(() => (globalThis as any).document.querySelector(".graphiql-response")?.textContent?.includes("Tỉnh Quảng Ninh"), undefined, {
    timeout: 30_000,
  });
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
  await page.context().close();
}, 60_000);

describe("browser security of the pages", () => {
  it("serves /dashboard and /graphiql with a same-origin-only CSP, no framing, nosniff and no referrer", async () => {
    for (const path of ["/dashboard", "/dashboard/assets/dashboard.js", "/graphiql", "/graphiql/config.json"]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(200);
      const csp = response.headers.get("content-security-policy") ?? "";
      const directives = Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(" ")]));
      expect(directives).toMatchObject({
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "frame-ancestors": "'none'",
      });
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https:|\*/);
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    }
  });

  it("keeps the dashboard's token in this tab's sessionStorage, clears an old localStorage copy, and runs no injected inline script", async () => {
    const { page, foreign, errors } = await offlinePage(browser, base);
    const viewer = h.token("22", [Role.VIEWER], "qn-viewer");
    await page.goto(`${base}/health`); // same origin: where an older version left its token
    await page.evaluate((t) => (globalThis as any).localStorage.setItem("vnp.token", t), "token-left-by-an-older-version");
    await page.goto(`${base}/dashboard#token=${viewer}&unit=22&period=2025`);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
    const stored = await page.evaluate(() => {
      const w = globalThis as any;
      return { session: w.sessionStorage.getItem("vnp.token"), local: w.localStorage.length };
    });
    expect(stored).toEqual({ session: viewer, local: 0 });
    // a reload in the same tab keeps the token (sessionStorage outlives a reload, not the tab)
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
    expect(await page.textContent("#unit-title")).toContain("Quảng Ninh");
    expect(errors).toEqual([]);
    // the CSP refuses inline script, so an injection could not read the token
    const ran = await page.evaluate(() => {
      const w = globalThis as any;
      const script = w.document.createElement("script");
      script.textContent = "window.__injected = true";
      w.document.body.appendChild(script);
      return w.__injected === true;
    });
    expect(ran).toBe(false);
    expect(errors.some((e) => e.includes("Content Security Policy"))).toBe(true);
    expect(foreign).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("keeps GraphiQL's token out of localStorage", async () => {
    const { page, errors } = await offlinePage(browser, base);
    const viewer = h.token("06673", [Role.VIEWER], "bai-chay-viewer");
    await page.goto(`${base}/graphiql#token=${viewer}`);
    await page.waitForSelector(".graphiql-container", { timeout: 30_000 });
    const stored = await page.evaluate(() => {
      const w = globalThis as any;
      const local: string[] = [];
      for (let i = 0; i < w.localStorage.length; i++) local.push(String(w.localStorage.getItem(w.localStorage.key(i))));
      return { session: w.sessionStorage.getItem("vnp.token"), local };
    });
    expect(stored.session).toBe(viewer);
    expect(stored.local.filter((v) => v.includes(viewer))).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);
});

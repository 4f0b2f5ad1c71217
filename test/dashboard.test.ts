import type { Browser } from "playwright-core";
import { Role } from "../src/auth/auth.types";
import { loadConfig } from "../src/config";
import { createServer, type AppServer } from "../src/server";
import { startHarness, type Harness } from "./support/harness";
import { launchChromium, offlinePage, screenshotPath } from "./support/browser";

/**
 * The dashboard in real headless Chromium (the @sparticuz/chromium npm package, driven by
 * playwright-core; CHROMIUM_PATH picks another), with the network limited to the server under
 * test: it loads, drills down, and the national comparison chart shows the seeded provinces. Screenshots go to test-artifacts/ (git-ignored).
 */
let h: Harness;
let base: string;
let browser: Browser;
let ministry: string;
/** The same database served as `npm start` does in its default mode: with DEV_TOKENS on. */
let devServer: AppServer;
let devBase: string;
const SEEDED_PROVINCES = ["Lai Châu", "Quảng Ninh", "Nghệ An", "TP Hồ Chí Minh", "Kiên Giang"];

beforeAll(async () => {
  h = await startHarness();
  base = `http://127.0.0.1:${await h.server.listen(0)}`;
  ministry = h.token("VN", Object.values(Role), "ministry");
  // a few communes of each seeded province report awareness activities for every quarter of 2025
  const communes: Array<{ code: string; province: string; n: number }> = await h.dataSource.query(
    `SELECT c.code, p.code AS province, row_number() OVER (PARTITION BY p.code ORDER BY c.code)::int AS n
       FROM org_unit c JOIN org_unit p ON p.id = c.province_id
      WHERE c.level = 'commune'`,
  );
  const rows = communes
    .filter((c) => c.n <= 4)
    .flatMap((c) =>
      ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"].map((period) => ({
        unitCode: c.code,
        indicatorCode: "AWR_COMMUNE_ACTIVITY",
        period,
        value: c.n % 2 === 0 && c.province !== "22" ? 0 : 1,
      })),
    );
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

it("loads a province, drills down to a district, and charts the national comparison", async () => {
  const { page, foreign, errors } = await offlinePage(browser, base);
  await page.goto(`${base}/dashboard#token=${ministry}&unit=22&period=2025`);
  await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });

  // the province: its indicators against its own effective targets
  expect(await page.textContent("#unit-title")).toContain("Tỉnh Quảng Ninh");
  expect(await page.textContent("#unit-title")).toContain("Năm 2025");
  const activity = page.locator('#cells tr[data-indicator="AWR_COMMUNE_ACTIVITY"]');
  expect(await activity.textContent()).toContain("≥ 75%");
  expect(await activity.getAttribute("data-status")).toBe("NOT_MET"); // a few communes of 177 reported
  expect(await activity.textContent()).toContain("đơn vị báo cáo");
  expect(await activity.textContent()).toContain("Kế hoạch của Tỉnh Quảng Ninh");
  expect(await page.locator("#cells tbody tr").count()).toBeGreaterThanOrEqual(10);
  expect(await page.locator("#children tbody tr").count()).toBe(13); // Quảng Ninh's districts
  // the token is moved out of the address bar
  expect(page.url()).not.toContain("token=");

  // drill down: click Hạ Long
  await page.click('#children a.drill[data-unit="193"]');
  await page.waitForFunction(() => {
    const doc = (globalThis as any).document;
    return doc.querySelector("#unit-title")?.textContent?.includes("Hạ Long") && doc.body.dataset.state === "ready";
  });
  expect(await page.locator('#breadcrumb a[data-unit="22"]').textContent()).toBe("Tỉnh Quảng Ninh");
  expect(await page.locator("#children tbody tr").count()).toBeGreaterThan(5); // its wards and communes
  expect(page.url()).toContain("unit=193");

  // the national comparison: one chart per indicator, provinces ranked, target lines
  const charts = await page.locator("#charts canvas").count();
  expect(charts).toBeGreaterThanOrEqual(10);
  const chart = await page.evaluate(() => {
    const page = globalThis as any; // runs in the browser
    const canvas = page.document.querySelector('#charts canvas[data-indicator="AWR_COMMUNE_ACTIVITY"]');
    const c = page.Chart.getChart(canvas);
    return { labels: c.data.labels as string[], datasets: c.data.datasets.map((d: any) => ({ label: d.label, data: d.data })) };
  });
  expect([...chart.labels].sort()).toEqual([...SEEDED_PROVINCES].sort());
  expect(chart.datasets.map((d: { label: string }) => d.label)).toEqual(["Kết quả", "Chỉ tiêu của tỉnh", "Chỉ tiêu quốc gia"]);
  expect(chart.datasets[0].data.every((v: number | null) => v !== null && v > 0)).toBe(true);
  expect(chart.datasets[2].data.every((v: number | null) => v === 70)).toBe(true); // the national ≥ 70%
  const bars = chart.datasets[0].data as number[];
  expect([...bars].sort((a, b) => b - a)).toEqual(bars); // ranked, best first
  expect(await page.locator('#comparison tbody tr[data-indicator="AWR_COMMUNE_ACTIVITY"]').count()).toBe(5);
  // the table can show one indicator: its provinces by rank
  await page.selectOption("#table-indicator", "AWR_COMMUNE_ACTIVITY");
  const visible = page.locator("#comparison tbody tr:not([hidden])");
  expect(await visible.count()).toBe(5);
  expect(await visible.first().locator("td").nth(1).textContent()).toBe("1");

  await page.screenshot({ path: screenshotPath("dashboard.png"), fullPage: true });
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
  expect(tokens).toBe(6); // placeholder + the development tokens (DEV_TOKENS, loopback, not production)
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
    const viewer = h.token("193", [Role.VIEWER], "hl-viewer");
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

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

export const ARTIFACTS = path.resolve(__dirname, "..", "..", "test-artifacts");

/**
 * The Chromium of the `@sparticuz/chromium` npm package (it ships inside the tarball, so `npm ci`
 * is all a machine needs), unpacked once per version into the temp folder (about 3 s, 210 MB).
 * The package unpacks into os.tmpdir() and trusts any file already there, so it unpacks into a
 * fresh folder that is then renamed into place: a run killed mid-unpack, or two runs at once,
 * never leave a half-written browser behind.
 */
function packagedChromium(): { executablePath: string; env: NodeJS.ProcessEnv } {
  const entry = require.resolve("@sparticuz/chromium");
  const manifest = JSON.parse(fs.readFileSync(path.resolve(path.dirname(entry), "..", "package.json"), "utf8"));
  const home = path.join(os.tmpdir(), `vnp-chromium-${manifest.version}`);
  const executablePath = path.join(home, "chromium");
  if (!fs.existsSync(executablePath)) {
    fs.rmSync(home, { recursive: true, force: true }); // a folder without the browser is of no use
    const staging = fs.mkdtempSync(`${home}.unpacking-`);
    // The package unpacks into os.tmpdir(): run it in a child whose TMPDIR is the staging folder.
    const unpack = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", 'const { default: c } = await import("@sparticuz/chromium"); await c.executablePath();'],
      { cwd: path.resolve(__dirname, "..", ".."), env: { ...process.env, TMPDIR: staging, NODE_OPTIONS: "" }, encoding: "utf8" },
    );
    if (unpack.status !== 0 || !fs.existsSync(path.join(staging, "chromium"))) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw new Error(`Could not unpack @sparticuz/chromium: ${unpack.stderr || unpack.error}`);
    }
    // The bundled Open Sans (it has the Vietnamese letters), whatever fonts the machine has.
    fs.writeFileSync(
      path.join(staging, "fonts.conf"),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
        `  <dir>${home}/fonts/fonts</dir>\n  <cachedir>${home}/fonts-cache</cachedir>\n</fontconfig>\n`,
    );
    try {
      fs.renameSync(staging, home);
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true });
      if (!fs.existsSync(executablePath)) throw error; // not merely another run that finished first
    }
  }
  return { executablePath, env: { ...process.env, FONTCONFIG_FILE: path.join(home, "fonts.conf") } };
}

/**
 * Headless Chromium driven by playwright-core (no browser download): `CHROMIUM_PATH` when set,
 * else the one inside the `@sparticuz/chromium` npm package.
 */
export async function launchChromium(): Promise<Browser> {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen && !fs.existsSync(chosen)) throw new Error(`CHROMIUM_PATH=${chosen} does not exist`);
  const { executablePath, env } = chosen ? { executablePath: chosen, env: process.env } : packagedChromium();
  return chromium.launch({
    executablePath,
    env,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--no-zygote",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A page that may only reach `base` (the server under test): any other request is aborted and
 * recorded, so a CDN dependency would show. Console errors (a Content-Security-Policy violation
 * is one) and page errors are recorded too.
 */
export async function offlinePage(browser: Browser, base: string): Promise<{ page: Page; foreign: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "vi-VN" });
  const page = await context.newPage();
  const foreign: string[] = [];
  const errors: string[] = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(base) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  return { page, foreign, errors };
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

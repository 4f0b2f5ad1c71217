import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * Compiles the server (src, migrations, seeds) with tsc into a folder of its own under the
 * git-ignored test-artifacts/, so a test can run `node …/src/main.js` exactly as `npm start`
 * does without racing anyone's dist/. Returns the path of main.js and a cleanup.
 */
export function buildServer(): { main: string; remove(): void } {
  const out = path.join(ROOT, "test-artifacts", `build-${process.pid}-${crypto.randomBytes(3).toString("hex")}`);
  fs.mkdirSync(out, { recursive: true });
  const tsconfig = path.join(out, "tsconfig.json");
  fs.writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: path.join(ROOT, "tsconfig.json"),
      compilerOptions: { outDir: out, rootDir: ROOT, sourceMap: false, incremental: false },
      include: [path.join(ROOT, "src/**/*.ts"), path.join(ROOT, "migrations/**/*.ts"), path.join(ROOT, "seeds/**/*.ts")],
      exclude: [path.join(ROOT, "src/**/*.test.ts")],
    }),
  );
  const tsc = require.resolve("typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", tsconfig], { cwd: ROOT, encoding: "utf8" });
  const main = path.join(out, "src", "main.js");
  // type errors are `npm test`'s first step; here only the emitted JavaScript matters
  if (!fs.existsSync(main)) throw new Error(`tsc emitted no main.js:\n${result.stdout}\n${result.stderr}`);
  return { main, remove: () => fs.rmSync(out, { recursive: true, force: true }) };
}

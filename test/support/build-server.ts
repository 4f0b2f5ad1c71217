import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");
const FOLDERS = ["src", "migrations", "seeds"];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.endsWith(".d.ts") ? [file] : [];
  });
}

/**
 * Compiles the server (src, migrations, seeds) file by file with the project's compiler options, as
 * ts-jest does (the project is `isolatedModules`; type errors are `npm test`'s tsc step), into a
 * folder of its own under the git-ignored test-artifacts/, so a test can run `node …/src/main.js`
 * as `npm start` does without racing anyone's dist/. Data files the seeds read are copied along.
 */
export function buildServer(): { main: string; remove(): void } {
  const out = path.join(ROOT, "test-artifacts", `build-${process.pid}-${crypto.randomBytes(3).toString("hex")}`);
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, "tsconfig.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!config) throw new Error("cannot read tsconfig.json");
  const options = { ...config.options, sourceMap: false, inlineSourceMap: false, declaration: false };
  for (const folder of FOLDERS) {
    for (const file of sources(path.join(ROOT, folder))) {
      const output = ts.transpileModule(fs.readFileSync(file, "utf8"), { compilerOptions: options, fileName: file });
      const target = path.join(out, path.relative(ROOT, file)).replace(/\.ts$/, ".js");
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, output.outputText);
    }
    // non-TypeScript files (seed data, static pages) stay where the code expects them: beside it
    for (const file of fs.readdirSync(path.join(ROOT, folder), { recursive: true }) as string[]) {
      const full = path.join(ROOT, folder, file);
      if (fs.statSync(full).isFile() && !full.endsWith(".ts")) {
        fs.mkdirSync(path.dirname(path.join(out, folder, file)), { recursive: true });
        fs.copyFileSync(full, path.join(out, folder, file));
      }
    }
  }
  return { main: path.join(out, "src", "main.js"), remove: () => fs.rmSync(out, { recursive: true, force: true }) };
}

import fs from "node:fs";
import path from "node:path";
import express from "express";

/** The folder of an installed npm package (works whatever its `exports` allow). */
export function packageDir(name: string): string {
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).name === name) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the folder of package ${name}`);
    dir = parent;
  }
}

/** The project root (the folder with our package.json), from src/ or from dist/src/. */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).name === "vn-program-plans") return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("Cannot find the project root");
    dir = parent;
  }
}

/**
 * Serves exactly the listed files (name in URL → file on disk), cached for a day: vendor files
 * from node_modules, never a whole package folder, never a CDN.
 */
export function serveFiles(files: Record<string, string>): express.RequestHandler {
  const router = express.Router();
  for (const [name, file] of Object.entries(files)) {
    if (!fs.existsSync(file)) throw new Error(`Static file missing: ${file}`);
    router.get(`/${name}`, (_req, res) => {
      res.sendFile(file, { maxAge: "1d", dotfiles: "deny" });
    });
  }
  return router;
}

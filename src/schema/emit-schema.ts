import fs from "node:fs";
import path from "node:path";
import { printSchemaWithDirectives } from "./print-schema";
import { buildAppSchema } from "./build-schema";

/** Writes schema.graphql at the project root (npm run schema:emit). */
async function main() {
  const sdl = printSchemaWithDirectives(await buildAppSchema());
  const file = path.resolve(process.cwd(), "schema.graphql");
  fs.writeFileSync(file, sdl);
  console.log(`Wrote ${file}`);
}

void main();

import fs from "node:fs";
import path from "node:path";
import "reflect-metadata";
import { buildAppSchema } from "../src/schema/build-schema";
import { printSchemaWithDirectives } from "../src/schema/print-schema";

describe("schema.graphql", () => {
  it("is the schema the code builds (run `npm run schema:emit` after changing the API)", async () => {
    const built = printSchemaWithDirectives(await buildAppSchema());
    const committed = fs.readFileSync(path.resolve(__dirname, "..", "schema.graphql"), "utf8");
    expect(committed).toBe(built);
  });
});

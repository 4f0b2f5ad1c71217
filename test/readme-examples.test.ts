import fs from "node:fs";
import path from "node:path";
import { Role } from "../src/auth/auth.types";
import { startHarness, type Harness } from "./support/harness";

/**
 * The README's example queries run as written against the seed data: every ```graphql block that is one
 * anonymous query (starts with `{`), as the ministry (which sees every unit and may compare provinces).
 * Mutations and operations with variables are exercised by the tests of their features.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const readme = fs.readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8");
/** The top-level operations of a block (a block may hold several, one after another). */
function operations(block: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < block.length; i++) {
    if (block[i] === "{") depth++;
    else if (block[i] === "}" && --depth === 0) {
      out.push(block.slice(start, i + 1).trim());
      start = i + 1;
    }
  }
  return out;
}
const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].flatMap((m) => operations(m[1]!)).filter((q) => q.startsWith("{"));

it("has anonymous example queries to run", () => {
  expect(blocks.length).toBeGreaterThanOrEqual(5);
});

it.each(blocks.map((q) => [q.split("\n")[0]!.slice(0, 80), q]))("runs: %s", async (_title, query) => {
  const r = await h.gql(query, {}, h.token("VN", [Role.VIEWER]));
  expect(r.errors).toBeUndefined();
  expect(r.data).toBeTruthy();
});

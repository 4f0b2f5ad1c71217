import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildServer } from "./support/build-server";
import { createTestDatabase, type TestDatabase } from "./support/test-database";

/** `npm run reform` as it runs (compiled, its own process) on a copy of the seeded database: a crosswalk CSV in, one transaction. */
let build: ReturnType<typeof buildServer>;
let db: TestDatabase;
let work: string;

beforeAll(async () => {
  build = buildServer();
  db = await createTestDatabase();
  work = fs.mkdtempSync(path.join(os.tmpdir(), "vnp-reform-"));
}, 120_000);
afterAll(async () => {
  build?.remove();
  await db?.drop();
  fs.rmSync(work, { recursive: true, force: true });
});

const HEADER = "old_code,old_name,old_level,old_parent_code,old_province_code,new_code,new_name,new_level,new_province_code,relation,check";

function reform(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = path.join(path.dirname(build.main), "org-unit", "org-unit.reform.cli.js");
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env: { ...process.env, DATABASE_URL: db.url, NODE_ENV: "development", LOG_LEVEL: "warn", NODE_OPTIONS: "" } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}
const count = async (sql: string) => Number((await db.dataSource.query(sql))[0].n);

it("records a crosswalk file on a date, refuses a bad one whole naming its lines, and a dry run writes nothing", async () => {
  const units = `SELECT count(*) AS n FROM org_unit`;
  const before = await count(units);
  const opens = path.join(work, "opens.csv");
  fs.writeFileSync(opens, "code,name,level,type,parent_code\n99011,Xã Thử CLI,commune,Xã,12\n");
  const good = path.join(work, "good.csv");
  fs.writeFileSync(good, `${HEADER}\n03394,,commune,,12,99011,Xã Thử CLI,commune,12,full,resolution\n`);
  const bad = path.join(work, "bad.csv");
  fs.writeFileSync(bad, `${HEADER}\n03394,,commune,,12,99011,,commune,12,full,resolution\n77777,,commune,,12,99011,,commune,12,full,bando\n`);

  const refused = await reform([bad, "--effective-on", "2026-07-01", "--reason", "thử", "--opens", opens]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/rows\[1\] \(line 3\) oldCode UNKNOWN_OLD_UNIT/);
  const dry = await reform([good, "--effective-on", "2026-07-01", "--reason", "thử", "--opens", opens, "--dry-run"]);
  expect(dry.code).toBe(0);
  expect(JSON.parse(dry.stdout)).toMatchObject({ closed: 1, opened: 1, successions: 1, dryRun: true });
  expect(await count(units)).toBe(before);

  const done = await reform([good, "--effective-on", "2026-07-01", "--reason", "Nghị quyết thử", "--opens", opens]);
  expect(done.code).toBe(0);
  expect(JSON.parse(done.stdout)).toMatchObject({ effectiveOn: "2026-07-01", closed: 1, opened: 1, successions: 1 });
  expect(await count(units)).toBe(before + 1);
  expect(await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'org_unit.reform' AND reason = 'Nghị quyết thử'`)).toBe(1);
}, 120_000);

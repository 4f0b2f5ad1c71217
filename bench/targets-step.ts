import "reflect-metadata";
import { Role } from "../src/auth/auth.types";
import { createRequestContext, type AuthedContext } from "../src/context";
import { appRoleUrl, loadAppRole } from "../src/db/app-role";
import { createDataSource } from "../src/db/data-source";
import { EffectiveTargetService } from "../src/target/effective-target.service";

/**
 * The national comparison's targets step alone (EffectiveTargetService.forUnits for the nation and its
 * provinces on every indicator), straight from the database and from the process's cache, in ms (median of
 * RUNS, each in its own request transaction as the ministry). Usage, on a seeded database:
 *   tsc -p tsconfig.json && DATABASE_URL=postgres://owner@host/db node dist/bench/targets-step.js [period]
 */
const RUNS = Number(process.env.RUNS ?? 50);

async function main() {
  const ownerUrl = process.env.DATABASE_URL;
  if (!ownerUrl) throw new Error("DATABASE_URL (the owner's) is required");
  const periodCode = process.argv[2] ?? "2025";
  const year = periodCode.slice(0, 4);
  const period = { start: `${year}-01-01`, end: `${year}-12-31` };
  const owner = createDataSource(ownerUrl, { poolSize: 1 });
  await owner.initialize();
  await owner.runMigrations({ transaction: "each" }); // the targets version's, on a database seeded before it
  const [nation] = await owner.query(`SELECT id, code, level, path FROM org_unit WHERE level = 'nation'`);
  const provinces: Array<{ id: number }> = await owner.query(
    `SELECT id FROM org_unit WHERE level = 'province' AND valid_from <= $1::date AND (valid_to IS NULL OR valid_to > $1::date)`,
    [period.end],
  );
  const indicators: Array<{ id: number }> = await owner.query(`SELECT id FROM indicator`);
  await owner.destroy();
  const app = createDataSource(appRoleUrl(ownerUrl, loadAppRole()), { poolSize: 1 });
  await app.initialize();
  const unitIds = [nation.id, ...provinces.map((p) => p.id)];
  const indicatorIds = indicators.map((i) => i.id);
  const actor = { subject: "targets-step", unitId: nation.id, unitCode: nation.code, unitLevel: nation.level, unitPath: nation.path, scopePaths: [nation.path], roles: [Role.VIEWER] };

  const time = async (step: (ctx: AuthedContext) => Promise<unknown>) => {
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const ctx = createRequestContext(app, actor);
      await ctx.db.query("SELECT 1"); // the transaction is open before timing, as in a request
      const started = process.hrtime.bigint();
      await step(ctx);
      ms.push(Number(process.hrtime.bigint() - started) / 1e6);
      await ctx.db.finish(true);
    }
    return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;
  };
  const direct = await time((ctx) => EffectiveTargetService.resolveUnits(ctx, unitIds, indicatorIds, period));
  const cached = await time((ctx) => EffectiveTargetService.forUnits(ctx, unitIds, indicatorIds, period));
  // as a roll-up runs it: the version read by its summaries statement, so the cache needs no statement at all
  const known = await (async () => {
    const ctx = createRequestContext(app, actor);
    const [row] = await ctx.db.query<{ version: string; written: boolean }>("SELECT version, written FROM targets_version_read()");
    await ctx.db.finish(true);
    return { version: Number(row!.version), written: row!.written };
  })();
  const inRollup = await time((ctx) => EffectiveTargetService.forUnits(ctx, unitIds, indicatorIds, period, known));
  // the cache's own cost beside a round trip: the version statement, and a plain SELECT 1
  const version = await time((ctx) => ctx.db.query("SELECT version, written FROM targets_version_read()"));
  const roundTrip = await time((ctx) => ctx.db.query("SELECT 1"));
  console.log(`targets step, ${unitIds.length} units × ${indicatorIds.length} indicators, ${periodCode}, median of ${RUNS}:`);
  console.log(`  from the database ${direct.toFixed(2)} ms; from the cache (version read) ${cached.toFixed(2)} ms`);
  console.log(`  from the cache as a roll-up asks (the version read by its summaries statement) ${inRollup.toFixed(2)} ms (goal 2: under 1 ms)`);
  console.log(`  the version statement alone ${version.toFixed(2)} ms; SELECT 1 ${roundTrip.toFixed(2)} ms`);
  await app.destroy();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

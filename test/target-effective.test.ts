import { EffectiveTargetService } from "../src/target/effective-target.service";
import { toEffectiveTargetView } from "../src/target/target.types";
import type { AuthedContext } from "../src/context";
import { onDay } from "../src/common/date.scalar";
import { startHarness, type Harness } from "./support/harness";

/**
 * Today's server for the first block; the three-tier tree (a server as on 30/6/2025, APP_TODAY, where district
 * tokens work) for the last. Each block starts its own harness.
 */
let h: Harness;

/** The server's day (APP_TODAY) of the current block's harness, if it runs as on one. */
let day: string | undefined;

/** Runs as a caller of `unit`, on the server's day as a request would (onDay, as the HTTP server and harness.gql do). */
async function asUnit<T>(unit: string, run: (ctx: AuthedContext) => Promise<T>): Promise<{ result: T; statements: number }> {
  return onDay(day, async () => {
    const ctx = (await h.server.contextFor(`Bearer ${h.token(unit)}`)) as AuthedContext;
    try {
      const result = await run(ctx);
      return { result, statements: ctx.db.stats.statements };
    } finally {
      await ctx.db.finish(true);
    }
  });
}

/**
 * The units of the 2024 tree (valid on 2024-06-30: old HCMC, Lai Châu's 8 districts, An Biên), plus, on today's
 * tree, the new HCMC ("79@new") and Lai Châu's 38 communes (their codes prefixed "new:").
 */
async function ids() {
  const units: Array<{ id: number; code: string }> = await h.dataSource.query(
    `SELECT id, CASE WHEN valid_from >= DATE '2025-07-01' THEN 'new:' || code ELSE code END AS code FROM org_unit
      WHERE (code IN ('VN','12','22','79','908') OR parent_id = (SELECT id FROM org_unit WHERE code = '12'))
        AND (valid_from <= DATE '2024-06-30' AND (valid_to IS NULL OR valid_to > DATE '2024-06-30') OR valid_from >= DATE '2025-07-01')`,
  );
  const indicators: Array<{ id: number; code: string }> = await h.dataSource.query(`SELECT id, code FROM indicator`);
  const unit = (code: string) => units.find((u) => u.code === code)!.id;
  const indicator = (code: string) => indicators.find((i) => i.code === code)!.id;
  return { units, indicators, unit, indicator };
}

describe("EffectiveTargetService.forUnits", () => {
  beforeAll(async () => {
    day = undefined;
    h = await startHarness();
  });
  afterAll(() => h.close());

  it("resolves Lai Châu 2025 own and inherited targets, and its districts', in one statement", async () => {
    const { units, indicators, unit, indicator } = await ids();
    const others = ["VN", "12", "22", "79", "908", "new:79"];
    const laiChauDistricts = units.filter((u) => !others.includes(u.code) && !u.code.startsWith("new:"));
    const laiChauCommunes = units.filter((u) => !others.includes(u.code) && u.code.startsWith("new:"));
    expect(laiChauDistricts.length).toBe(8);
    expect(laiChauCommunes.length).toBe(38); // 2025 also runs on the two-tier tree from 1/7
    const { result, statements } = await asUnit("VN", (ctx) =>
      EffectiveTargetService.forUnits(
        ctx,
        units.map((u) => u.id),
        indicators.map((i) => i.id),
        { start: "2025-01-01", end: "2025-12-31" },
      ),
    );
    expect(statements).toBe(1);
    const [plan434] = await h.dataSource.query(`SELECT id FROM plan WHERE document_number = '434/KH-UBND'`);
    const [plan1629] = await h.dataSource.query(`SELECT id FROM plan WHERE document_number = '1629/QĐ-TTg'`);

    const press = result.get(`${unit("12")}:${indicator("AWR_PRESS_FREQUENCY")}`)!;
    expect(press).toMatchObject({
      inherited: false,
      sourcePlanId: plan434.id,
      sourcePlanDocument: "434/KH-UBND",
      sourceUnitCode: "12",
      planId: plan434.id,
      value: { kind: "frequency", frequencyInterval: "quarter" },
    });
    expect(press.parent).toMatchObject({ planDocument: "1629/QĐ-TTg", value: { frequencyInterval: "month" } });
    expect(toEffectiveTargetView(press).comparedToParent).toMatchObject({ verdict: "looser", delta: -1, deltaUnit: "interval_steps" });

    const iz = result.get(`${unit("12")}:${indicator("AWR_IZ_WORKERS_INFORMED")}`)!;
    expect(iz).toMatchObject({ inherited: true, sourcePlanId: plan1629.id, sourceUnitCode: "VN", planId: plan434.id, value: { share: 60 } });

    const pilot = toEffectiveTargetView(result.get(`${unit("12")}:${indicator("HRM_PILOT_MODEL_DISTRICTS")}`)!);
    expect(pilot.value).toMatchObject({ kind: "count_floor", count: 1 });
    expect(pilot.comparedToParent).toBeNull(); // the national program has no pilot-model number

    // a Lai Châu district has no plan of its own: it inherits the province's 2025 plan
    const district = laiChauDistricts[0]!.id;
    const d = result.get(`${district}:${indicator("AWR_COMMUNE_ACTIVITY")}`)!;
    expect(d).toMatchObject({ inherited: true, planId: null, sourcePlanDocument: "434/KH-UBND", value: { share: 70 } });
    // ... and so does each of its communes of the two-tier tree (Lai Châu kept its territory and its unit)
    for (const c of laiChauCommunes) {
      expect(result.get(`${c.id}:${indicator("AWR_COMMUNE_ACTIVITY")}`)).toMatchObject({ inherited: true, planId: null, sourcePlanDocument: "434/KH-UBND" });
    }

    // HCMC (until 30/6/2025) covers 2025 with its 2021-2025 plan
    expect(result.get(`${unit("79")}:${indicator("AWR_COMMUNE_ACTIVITY")}`)).toMatchObject({ inherited: false, value: { share: 100 } });
    // the new HCMC (from 1/7/2025, code 79 too) has no plan of its own: the nation's applies
    expect(result.get(`${unit("new:79")}:${indicator("AWR_COMMUNE_ACTIVITY")}`)).toMatchObject({
      inherited: true,
      planId: null,
      sourceUnitCode: "VN",
      sourcePlanDocument: "1629/QĐ-TTg",
      value: { share: 70 },
    });
    // An Biên has no plan covering 2025 and its province's 2016-2020 plan does not either: the nation's applies
    expect(result.get(`${unit("908")}:${indicator("AWR_COMMUNE_ACTIVITY")}`)).toMatchObject({ inherited: true, planId: null, sourceUnitCode: "VN" });
  });

});

describe("EffectiveTargetService.forUnits on the three-tier tree (as on 30/6/2025, where An Biên's token works)", () => {
  beforeAll(async () => {
    day = "2025-06-30";
    h = await startHarness({ today: day });
  });
  afterAll(() => h.close());

  it("leaves out units with no target up the chain, and units outside the caller's scope", async () => {
    const { unit, indicator } = await ids();
    const { result } = await asUnit("22", (ctx) =>
      EffectiveTargetService.forUnits(ctx, [unit("908"), unit("22")], [indicator("AWR_COMMUNE_ACTIVITY")], { start: "2020-01-01", end: "2020-12-31" }),
    );
    expect(result.size).toBe(0); // 908 is another tenant; Quảng Ninh has no plan covering 2020
    const own = await asUnit("908", (ctx) =>
      EffectiveTargetService.forUnits(ctx, [unit("908")], [indicator("AWR_COMMUNE_ACTIVITY")], { start: "2020-01-01", end: "2020-12-31" }),
    );
    expect(own.result.size).toBe(0); // An Biên 54 → Kiên Giang 94: no numbers anywhere
  });
});

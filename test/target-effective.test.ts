import { EffectiveTargetService } from "../src/target/effective-target.service";
import { toEffectiveTargetView } from "../src/target/target.types";
import type { AuthedContext } from "../src/context";
import { startHarness, type Harness } from "./support/harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function asUnit<T>(unit: string, run: (ctx: AuthedContext) => Promise<T>): Promise<{ result: T; statements: number }> {
  const ctx = (await h.server.contextFor(`Bearer ${h.token(unit)}`)) as AuthedContext;
  try {
    const result = await run(ctx);
    return { result, statements: ctx.db.stats.statements };
  } finally {
    await ctx.db.finish(true);
  }
}

async function ids() {
  const units: Array<{ id: number; code: string }> = await h.dataSource.query(
    `SELECT id, code FROM org_unit WHERE code IN ('VN','12','22','79','908') OR parent_id = (SELECT id FROM org_unit WHERE code = '12')`,
  );
  const indicators: Array<{ id: number; code: string }> = await h.dataSource.query(`SELECT id, code FROM indicator`);
  const unit = (code: string) => units.find((u) => u.code === code)!.id;
  const indicator = (code: string) => indicators.find((i) => i.code === code)!.id;
  return { units, indicators, unit, indicator };
}

describe("EffectiveTargetService.forUnits", () => {
  it("resolves Lai Châu 2025 own and inherited targets, and its districts', in one statement", async () => {
    const { units, indicators, unit, indicator } = await ids();
    const laiChauDistricts = units.filter((u) => !["VN", "12", "22", "79", "908"].includes(u.code));
    expect(laiChauDistricts.length).toBe(8);
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

    // HCMC covers 2025 with its 2021-2025 plan
    expect(result.get(`${unit("79")}:${indicator("AWR_COMMUNE_ACTIVITY")}`)).toMatchObject({ inherited: false, value: { share: 100 } });
    // An Biên has no plan covering 2025 and its province's 2016-2020 plan does not either: the nation's applies
    expect(result.get(`${unit("908")}:${indicator("AWR_COMMUNE_ACTIVITY")}`)).toMatchObject({ inherited: true, planId: null, sourceUnitCode: "VN" });
  });

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

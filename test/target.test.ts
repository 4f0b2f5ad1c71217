import { startHarness, errorCode, type Harness } from "./support/harness";

let h: Harness;
let ministry: string;
const plans: Record<string, string> = {};
beforeAll(async () => {
  h = await startHarness();
  ministry = h.token("VN");
  const rows: Array<{ id: string; doc: string | null; code: string }> = await h.dataSource.query(
    `SELECT p.id, p.document_number AS doc, u.code FROM plan p JOIN org_unit u ON u.id = p.unit_id`,
  );
  for (const r of rows) plans[r.doc ?? `${r.code}-undocumented`] = r.id;
  plans.quangNinh = rows.find((r) => r.code === "22")!.id;
});
afterAll(() => h.close());

const VALUE = `{ kind share count frequencyInterval changeLow changeHigh deadline text }`;
const EFFECTIVE = `{ indicatorCode unitCode inherited provenance sourcePlanId sourcePlanDocument sourceUnitCode planId
  value ${VALUE} parent { planDocument unitCode value ${VALUE} } comparedToParent { verdict delta deltaUnit explanation } }`;

type Effective = {
  indicatorCode: string;
  inherited: boolean;
  provenance: string;
  sourcePlanDocument: string | null;
  sourceUnitCode: string;
  value: Record<string, unknown>;
  parent: { planDocument: string | null; value: Record<string, unknown> } | null;
  comparedToParent: { verdict: string; delta: number | null; deltaUnit: string | null; explanation: string } | null;
};
const byIndicator = (list: Effective[]) => Object.fromEntries(list.map((t) => [t.indicatorCode, t]));

describe("effective targets with provenance", () => {
  it("Lai Châu 2025 (434/KH-UBND): own targets, and the rest inherited from 1629 through 3742", async () => {
    const r = await h.gql(`query($id: ID!) { plan(id: $id) { documentNumber effectiveTargets ${EFFECTIVE} } }`, { id: plans["434/KH-UBND"] }, h.token("12"));
    expect(r.errors).toBeUndefined();
    const t = byIndicator(r.data.plan.effectiveTargets);
    const own = r.data.plan.effectiveTargets.filter((x: Effective) => x.provenance === "OWN").map((x: Effective) => x.indicatorCode);
    expect(own.sort()).toEqual(
      [
        "AWR_COMMUNE_ACTIVITY", "AWR_PRESS_FREQUENCY", "AWR_RISKY_WORKERS_INFORMED", "AWR_STUDENTS_INFORMED",
        "PRV_DISTRICT_OWN_PLAN", "PRV_BUSINESS_COMMITMENT", "PRV_DISTRICT_INTEGRATION", "ENF_REPORTS_HANDLED",
        "ENF_CRIMES_HANDLED", "ENF_BUSINESSES_INSPECTED_YEAR", "HRM_PILOT_MODEL_DISTRICTS", "HRM_SEX_WORKERS_SUPPORTED",
        "TRN_STAFF_PROVINCIAL", "TRN_STAFF_LOCAL",
      ].sort(),
    );
    expect(t.AWR_IZ_WORKERS_INFORMED).toMatchObject({
      inherited: true,
      provenance: "INHERITED",
      sourcePlanDocument: "1629/QĐ-TTg",
      sourceUnitCode: "VN",
      value: { kind: "SHARE_FLOOR", share: 60, text: "≥ 60%" },
    });
    expect(t.ENF_BUSINESSES_INSPECTED_ONCE).toMatchObject({
      provenance: "INHERITED",
      sourcePlanDocument: "1629/QĐ-TTg",
      value: { kind: "CUMULATIVE_DEADLINE", share: 100, deadline: "2025-12-31" },
    });
    // own, and how it stands against the parent (1629 through 3742, which sets nothing)
    expect(t.AWR_STUDENTS_INFORMED).toMatchObject({
      provenance: "OWN",
      sourcePlanDocument: "434/KH-UBND",
      parent: { planDocument: "1629/QĐ-TTg", value: { share: 70 } },
      comparedToParent: { verdict: "TIGHTER", delta: 30, deltaUnit: "PERCENTAGE_POINTS" },
    });
    expect(t.ENF_BUSINESSES_INSPECTED_YEAR.comparedToParent).toMatchObject({ verdict: "TIGHTER", delta: 70 });
    expect(t.AWR_COMMUNE_ACTIVITY.comparedToParent).toMatchObject({ verdict: "EQUAL", delta: 0 });
    // the documents' own finding: a quarter is looser than the national month
    expect(t.AWR_PRESS_FREQUENCY).toMatchObject({
      value: { kind: "FREQUENCY", frequencyInterval: "QUARTER" },
      parent: { planDocument: "1629/QĐ-TTg", value: { frequencyInterval: "MONTH" } },
      comparedToParent: { verdict: "LOOSER", delta: -1, deltaUnit: "INTERVAL_STEPS" },
    });
    expect(t.HRM_PILOT_MODEL_DISTRICTS).toMatchObject({ value: { kind: "COUNT_FLOOR", count: 1 }, parent: null, comparedToParent: null });
  });

  it("one indicator down the chain: 1629 → 3742 → 434", async () => {
    const r = await h.gql(
      `query($id: ID!) { targetChain(planId: $id, indicator: "AWR_IZ_WORKERS_INFORMED") {
         level unitCode plan { documentNumber } own { share } effective { provenance sourcePlanDocument value { share } } } }`,
      { id: plans["434/KH-UBND"] },
      h.token("12"),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.targetChain).toEqual([
      { level: 0, unitCode: "VN", plan: { documentNumber: "1629/QĐ-TTg" }, own: { share: 60 }, effective: { provenance: "OWN", sourcePlanDocument: "1629/QĐ-TTg", value: { share: 60 } } },
      { level: 1, unitCode: "12", plan: { documentNumber: "3742/KH-UBND" }, own: null, effective: { provenance: "INHERITED", sourcePlanDocument: "1629/QĐ-TTg", value: { share: 60 } } },
      { level: 2, unitCode: "12", plan: { documentNumber: "434/KH-UBND" }, own: null, effective: { provenance: "INHERITED", sourcePlanDocument: "1629/QĐ-TTg", value: { share: 60 } } },
    ]);
    // down from the national program, the ministry sees every province's plan for the indicator
    const down = await h.gql(
      `query($id: ID!) { targetChain(planId: $id, indicator: "AWR_COMMUNE_ACTIVITY") { level unitCode effective { provenance value { share } comparedToParent { verdict } } } }`,
      { id: plans["1629/QĐ-TTg"] },
      ministry,
    );
    expect(down.data.targetChain.map((l: { level: number; unitCode: string; effective: { value: { share: number } } }) => [l.level, l.unitCode, l.effective.value.share])).toEqual([
      [0, "VN", 70],
      [1, "12", 70],
      [2, "12", 70],
      [1, "22", 75],
      [1, "79", 100],
    ]);
  });

  it("a unit's effective targets for a period: a Lai Châu district inherits its province's 2025 plan", async () => {
    // 2025-Q2 is read on its last day (30/6/2025): the three-tier tree
    const [{ code }] = await h.dataSource.query(
      `SELECT code FROM org_unit WHERE parent_id = (SELECT id FROM org_unit WHERE code = '12') AND level = 'district' ORDER BY code LIMIT 1`,
    );
    const r = await h.gql(
      `query($u: String!) { effectiveTargets(unitCode: $u, period: "2025-Q2", indicators: ["AWR_COMMUNE_ACTIVITY", "AWR_IZ_WORKERS_INFORMED"]) ${EFFECTIVE} }`,
      { u: code },
      h.token("12"),
    );
    expect(r.errors).toBeUndefined();
    const t = byIndicator(r.data.effectiveTargets);
    expect(t.AWR_COMMUNE_ACTIVITY).toMatchObject({ unitCode: code, provenance: "INHERITED", planId: null, sourcePlanDocument: "434/KH-UBND", value: { share: 70 } });
    expect(t.AWR_IZ_WORKERS_INFORMED).toMatchObject({ provenance: "INHERITED", sourcePlanDocument: "1629/QĐ-TTg" });
    expect(r.statements).toBeLessThanOrEqual(3);
    // the district is gone from 2025-Q3 (read on 30/9/2025, the two-tier tree): NOT_FOUND saying when it existed
    const gone = await h.gql(`query($u: String!) { effectiveTargets(unitCode: $u, period: "2025-Q3") { indicatorCode } }`, { u: code }, h.token("12"));
    expect(errorCode(gone)).toBe("NOT_FOUND");
    expect(gone.errors![0]!.message).toContain("until 2025-07-01");
    // ... and a commune of the two-tier tree inherits the same 2025 plan for 2025-Q3
    const [{ code: commune }] = await h.dataSource.query(
      `SELECT code FROM org_unit WHERE parent_id = (SELECT id FROM org_unit WHERE code = '12') AND level = 'commune' AND valid_from = DATE '2025-07-01' ORDER BY code LIMIT 1`,
    );
    const q3 = await h.gql(
      `query($u: String!) { effectiveTargets(unitCode: $u, period: "2025-Q3", indicators: ["AWR_COMMUNE_ACTIVITY", "AWR_IZ_WORKERS_INFORMED"]) ${EFFECTIVE} }`,
      { u: commune },
      h.token("12"),
    );
    expect(q3.errors).toBeUndefined();
    const t3 = byIndicator(q3.data.effectiveTargets);
    expect(t3.AWR_COMMUNE_ACTIVITY).toMatchObject({ unitCode: commune, provenance: "INHERITED", planId: null, sourcePlanDocument: "434/KH-UBND", value: { share: 70 } });
    expect(t3.AWR_IZ_WORKERS_INFORMED).toMatchObject({ provenance: "INHERITED", sourcePlanDocument: "1629/QĐ-TTg" });
    const bad = await h.gql(`{ effectiveTargets(unitCode: "12", period: "2025", indicators: ["NOPE"]) { indicatorCode } }`, {}, ministry);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "indicators" });
    // another tenant's unit
    expect(errorCode(await h.gql(`{ effectiveTargets(unitCode: "79", period: "2025") { indicatorCode } }`, {}, h.token("22")))).toBe("NOT_FOUND");
  });
});

describe("Quảng Ninh and HCMC against the national program", () => {
  it("every own target of Quảng Ninh and HCMC is tighter than or equal to the national one", async () => {
    // 702/QĐ-UBND is the old HCMC's (until 30/6/2025): today's token of 79 (the new HCMC) reads it through its earlier paths
    for (const [unit, id] of [["22", plans.quangNinh], ["79", plans["702/QĐ-UBND"]]] as const) {
      const r = await h.gql(`query($id: ID!) { plan(id: $id) { effectiveTargets ${EFFECTIVE} } }`, { id }, h.token(unit));
      expect(r.errors).toBeUndefined();
      const compared = r.data.plan.effectiveTargets.filter((t: Effective) => t.comparedToParent && t.provenance === "OWN");
      expect(compared.length).toBeGreaterThanOrEqual(8);
      for (const t of compared) expect(["TIGHTER", "EQUAL"]).toContain(t.comparedToParent.verdict);
    }
    const qn = await h.gql(`query($id: ID!) { plan(id: $id) { effectiveTargets ${EFFECTIVE} } }`, { id: plans.quangNinh }, h.token("22"));
    const t = byIndicator(qn.data.plan.effectiveTargets);
    expect(t.AWR_COMMUNE_ACTIVITY.comparedToParent).toMatchObject({ verdict: "TIGHTER", delta: 5 });
    expect(t.AWR_IZ_WORKERS_INFORMED.comparedToParent).toMatchObject({ verdict: "TIGHTER", delta: 5 });
    expect(t.PRV_DISTRICT_INTEGRATION.comparedToParent).toMatchObject({ verdict: "TIGHTER", delta: 10 });
    expect(t.ENF_BUSINESSES_INSPECTED_ONCE.comparedToParent).toMatchObject({ verdict: "EQUAL" });
    expect(t.ENF_CRIMES_HANDLED).toMatchObject({ provenance: "OWN", value: { changeLow: 4, changeHigh: 6 }, parent: null });
  });

  it("the national compliance report: Lai Châu's quarterly press is looser than the national month; provinces without a plan listed", async () => {
    const r = await h.gql(
      `query($id: ID!) { complianceReport(planId: $id) { plansChecked
         looserTargets { unitCode planDocument indicatorCode value { frequencyInterval } parentValue { frequencyInterval } parentPlanDocument parentUnitCode comparison { verdict delta explanation } }
         kindMismatches { unitCode indicatorCode }
         failingAssignments { unitCode indicatorCode named total share margin needed explanation }
         unitsWithoutPlan { planDocument planUnitCode unitCode unitName } } }`,
      { id: plans["1629/QĐ-TTg"] },
      ministry,
    );
    expect(r.errors).toBeUndefined();
    const report = r.data.complianceReport;
    expect(report.plansChecked).toBe(5); // 1629, 702, Quảng Ninh, 3742, 434
    expect(report.looserTargets).toEqual([
      {
        unitCode: "12",
        planDocument: "434/KH-UBND",
        indicatorCode: "AWR_PRESS_FREQUENCY",
        value: { frequencyInterval: "QUARTER" },
        parentValue: { frequencyInterval: "MONTH" },
        parentPlanDocument: "1629/QĐ-TTg",
        parentUnitCode: "VN",
        comparison: { verdict: "LOOSER", delta: -1, explanation: expect.stringContaining("once per quarter") },
      },
    ]);
    expect(report.kindMismatches).toEqual([]);
    expect(report.failingAssignments).toEqual([
      {
        unitCode: "22",
        indicatorCode: "HRM_PILOT_MODEL_DISTRICTS",
        named: 5,
        total: 13,
        share: 38.46,
        margin: -1.54,
        needed: 6,
        explanation: "5 of 13 units named = 38.46% against ≥ 40%: misses it by 1.54 points; 6 of 13 are needed.",
      },
    ]);
    // a 2021-2025 plan's child units are those of every tree within its period: the 63 provinces until 30/6/2025
    // and the 34 from 1/7/2025 (the 11 that kept their territory are the same units), 86 in all
    type Missing = { planUnitCode: string; unitCode: string; unitName: string };
    const missingProvinces = report.unitsWithoutPlan.filter((u: Missing) => u.planUnitCode === "VN");
    const [{ provinces }] = await h.dataSource.query(
      `SELECT count(*)::int AS provinces FROM org_unit WHERE level = 'province' AND valid_from <= DATE '2025-12-31' AND (valid_to IS NULL OR valid_to > DATE '2021-01-01')`,
    );
    expect(provinces).toBe(86);
    // all but Lai Châu, Quảng Ninh and the old HCMC, which have 2021-2025 plans
    expect(missingProvinces).toHaveLength(83);
    const named = (code: string) => missingProvinces.filter((u: Missing) => u.unitCode === code).map((u: Missing) => u.unitName).sort();
    expect(named("12")).toEqual([]);
    expect(named("22")).toEqual([]);
    expect(named("79")).toEqual(["Thành phố Hồ Chí Minh"]); // the new one, from 1/7/2025
    expect(named("40")).toEqual(["Tỉnh Nghệ An"]); // only 2016-2020 plans
    expect(named("91")).toEqual(["Tỉnh An Giang", "Tỉnh Kiên Giang"]); // Kiên Giang's plan is 2016-2020; the new An Giang has none
    // Quảng Ninh's 13 districts (until 30/6/2025) and its 54 communes of the two-tier tree (from 1/7/2025)
    const qnChildren = report.unitsWithoutPlan.filter((u: Missing) => u.planUnitCode === "22").map((u: Missing) => u.unitCode);
    expect(qnChildren.filter((c: string) => c.length === 3)).toHaveLength(13);
    expect(qnChildren.filter((c: string) => c.length === 5)).toHaveLength(54);
    expect(qnChildren).toHaveLength(67);
  });
});

describe("Quảng Ninh's assignments", () => {
  it("judges the 8 integration districts (meets ≥ 60%) and the 5 pilot districts (misses ≥ 40%)", async () => {
    const r = await h.gql(
      `query($id: ID!) { plan(id: $id) { assignments { indicatorCode unitCodes unitNames named total share applicable meets margin marginUnit needed explanation
         target { provenance value { share } } } } }`,
      { id: plans.quangNinh },
      h.token("22"),
    );
    expect(r.errors).toBeUndefined();
    const a = Object.fromEntries(r.data.plan.assignments.map((x: { indicatorCode: string }) => [x.indicatorCode, x]));
    expect(a.PRV_DISTRICT_INTEGRATION).toMatchObject({
      named: 8,
      total: 13,
      share: 61.54,
      applicable: true,
      meets: true,
      margin: 1.54,
      marginUnit: "PERCENTAGE_POINTS",
      needed: 8,
      target: { provenance: "OWN", value: { share: 60 } },
      explanation: "8 of 13 units named = 61.54% against ≥ 60%: clears it by 1.54 points.",
    });
    expect(a.PRV_DISTRICT_INTEGRATION.unitNames).toContain("Thành phố Hạ Long");
    expect(a.HRM_PILOT_MODEL_DISTRICTS).toMatchObject({ named: 5, total: 13, share: 38.46, meets: false, margin: -1.54, needed: 6 });
    expect(a.HRM_PILOT_MODEL_DISTRICTS.unitCodes).toEqual(["193", "194", "195", "196", "206"]);
  });
});

describe("a district judges its province's assignments (the three-tier tree: a server as on 30/6/2025)", () => {
  // a district's token works only while districts exist: a server (and database) run as on 30/6/2025 (APP_TODAY)
  let d: Harness;
  beforeAll(async () => {
    d = await startHarness({ today: "2025-06-30" });
  });
  afterAll(() => d.close());
  const JUDGED = `indicatorCode unitCode named total share applicable meets margin marginUnit needed explanation`;
  const assignments = async (unit: string) => {
    const r = await d.gql(`query($id: ID!) { plan(id: $id) { assignments { ${JUDGED} unitCodes unitNames } } }`, { id: plans.quangNinh }, d.token(unit));
    expect(r.errors).toBeUndefined();
    return r.data.plan.assignments as Array<Record<string, unknown> & { unitCodes: string[]; unitNames: string[] }>;
  };
  const judged = (list: Array<Record<string, unknown>>) => list.map(({ unitCodes: _c, unitNames: _n, ...rest }) => rest);

  it("on every named unit, as the province does, while naming only the units it may see", async () => {
    const province = await assignments("22");
    expect(province.map((a) => [a.indicatorCode, a.named, a.meets])).toEqual([
      ["HRM_PILOT_MODEL_DISTRICTS", 5, false],
      ["PRV_DISTRICT_INTEGRATION", 8, true],
    ]);
    // Hạ Long is named in both lists, Cô Tô in neither: both see the province's verdicts (8 of 13 clears ≥ 60%)
    for (const [district, visible] of [["193", ["193"]], ["207", []]] as const) {
      const seen = await assignments(district);
      expect({ district, judged: judged(seen) }).toEqual({ district, judged: judged(province) });
      for (const a of seen) {
        expect(a.unitCodes).toEqual(visible);
        expect(a.unitNames).toHaveLength(visible.length);
      }
    }
    const halong = await assignments("193");
    expect(halong.find((a) => a.indicatorCode === "PRV_DISTRICT_INTEGRATION")!.explanation).toBe(
      "8 of 13 units named = 61.54% against ≥ 60%: clears it by 1.54 points.",
    );
  });

  it("the compliance report's failing assignments are the province's too", async () => {
    const query = `query($id: ID!) { complianceReport(planId: $id) { failingAssignments { ${JUDGED} unitCodes } } }`;
    const province = await d.gql(query, { id: plans.quangNinh }, d.token("22"));
    const halong = await d.gql(query, { id: plans.quangNinh }, d.token("193"));
    expect(halong.errors).toBeUndefined();
    expect(province.data.complianceReport.failingAssignments.map((a: { indicatorCode: string }) => a.indicatorCode)).toEqual(["HRM_PILOT_MODEL_DISTRICTS"]);
    expect(judged(halong.data.complianceReport.failingAssignments)).toEqual(judged(province.data.complianceReport.failingAssignments));
    expect(halong.data.complianceReport.failingAssignments[0].unitCodes).toEqual(["193"]);
  });
});

describe("bounded SQL", () => {
  it("the compliance report's statement count does not grow with the subtree", async () => {
    const query = `query($id: ID!) { complianceReport(planId: $id) { plansChecked looserTargets { unitCode } failingAssignments { unitCode } unitsWithoutPlan { unitCode } kindMismatches { unitCode } } }`;
    const small = await h.gql(query, { id: plans["434/KH-UBND"] }, ministry);
    const large = await h.gql(query, { id: plans["1629/QĐ-TTg"] }, ministry);
    expect(small.data.complianceReport.plansChecked).toBe(1);
    expect(large.data.complianceReport.plansChecked).toBe(5);
    // grow the subtree by 13 district plans under Quảng Ninh (2022: its districts of the three-tier tree)
    await h.dataSource.query(
      `INSERT INTO plan (program_id, unit_id, parent_plan_id, title, period_start, period_end, created_by)
       SELECT p.program_id, u.id, p.id, 'district plan ' || u.code, '2022-01-01', '2022-12-31', 'test'
         FROM plan p JOIN org_unit u ON u.parent_id = p.unit_id WHERE p.id = $1 AND u.level = 'district'`,
      [plans.quangNinh],
    );
    await h.dataSource.query(
      `INSERT INTO target (plan_id, indicator_id, kind, share, updated_by)
       SELECT p.id, i.id, 'share_floor', 70, 'test' FROM plan p, indicator i
        WHERE p.parent_plan_id = $1 AND i.code = 'AWR_COMMUNE_ACTIVITY'`,
      [plans.quangNinh],
    );
    const larger = await h.gql(query, { id: plans["1629/QĐ-TTg"] }, ministry);
    expect(larger.errors).toBeUndefined();
    expect(larger.data.complianceReport.plansChecked).toBe(18);
    // the 13 district plans ask 70% where Quảng Ninh asks 75%
    expect(larger.data.complianceReport.looserTargets).toHaveLength(14);
    // 1 plan, 5 plans, 18 plans: the same statements (one fewer where no plan names units)
    expect(small.statements).toBeLessThanOrEqual(large.statements);
    expect(larger.statements).toBe(large.statements);
    expect(large.statements).toBeLessThanOrEqual(5);
  });

  it("a list of plans with their effective targets and assignments is batched", async () => {
    const r = await h.gql(
      `{ plans(unitCode: "12") { documentNumber effectiveTargets { indicatorCode sourcePlan { documentNumber } sourceUnit { name } indicator { code } } assignments { indicatorCode } } }`,
      {},
      ministry,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.plans).toHaveLength(2);
    expect(r.data.plans[1].effectiveTargets.length).toBe(16);
    expect(r.data.plans[1].effectiveTargets.find((t: { indicatorCode: string }) => t.indicatorCode === "AWR_IZ_WORKERS_INFORMED")).toMatchObject({
      sourcePlan: { documentNumber: "1629/QĐ-TTg" },
      sourceUnit: { name: expect.stringMatching(/Việt Nam/) },
    });
    expect(r.statements).toBeLessThanOrEqual(7);
  });
});

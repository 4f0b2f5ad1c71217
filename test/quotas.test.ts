import { Role } from "../src/auth/auth.types";
import { errorCode, startHarness, type Harness } from "./support/harness";

/**
 * Quotas that must add up (issue 13, item 4), end to end on the seed data: Hà Nội's 2026 inspection plan
 * (06/KH-UBND: commune teams inspect at least 2,937 risky service businesses in all) split into quotas for its
 * wards. The 2021-2025 national plan ended in 2025 and parentless plans are built elsewhere, so the test inserts
 * Hà Nội's 2026 plan with no parent, as the owner; everything after that goes through the API. (The seed's own
 * 06/KH-UBND, under 07/KH-UBND with its own quotas, is read in test/seed-2026.test.ts; this file splits a total
 * from nothing over the whole of 2026, so Hà Nội's seeded 2026 plans are removed first.)
 */
let h: Harness;
let planId: string;
let planner: string;
let wards: Array<{ code: string; name: string }>;
const INDICATOR = "ENF_BUSINESSES_INSPECTED_YEAR";

const SPLIT = `planId planDocument unitCode indicatorCode unit sum required shortfall excess meets named children withoutQuotaCount
  quotas { unitCode unitName quantity value { kind quantity unit text } } unitsWithoutQuota { unitCode unitName } explanation
  target { provenance value { kind quantity text } }`;
const ASSIGN = `mutation($i: AssignQuotasInput!) { assignQuotas(input: $i) { ${SPLIT} } }`;
const SET = `mutation($i: SetTargetsInput!) { setTargets(input: $i) { __typename
  ... on TargetsSet { plan { version } targets { indicatorCode provenance provenanceText value { kind quantity text }
      parent { isQuota planDocument value { quantity text } } comparedToParent { verdict delta deltaUnit explanation } } }
  ... on TargetsRefused { refusals { indicatorCode reason message parentPlanDocument parentUnitCode parentValue { quantity text }
      requestedValue { quantity text } comparison { verdict delta deltaUnit explanation } } } } }`;
const ROLLUP = `query($u: String!, $p: String!) { rollup(unitCode: $u, period: $p, indicators: ["${INDICATOR}"]) {
  unit { code } cells { numerator denominator status required measured gap judgedPeriods unit quantityUnit
    target { provenance provenanceText sourcePlanDocument sourceUnitCode value { quantity text } } }
  children { unit { code } cells { numerator status required measured gap target { provenance value { quantity } } } } } }`;

const version = async (id = planId): Promise<number> => (await h.dataSource.query(`SELECT version FROM plan WHERE id = $1`, [id]))[0].version;
const quotas = (...list: Array<[string, number]>) => list.map(([unitCode, quantity]) => ({ unitCode, quantity }));
const assign = async (list: Array<{ unitCode: string; quantity: number }>, over: Record<string, unknown> = {}, token = planner) =>
  h.gql(ASSIGN, { i: { planId, version: await version(), indicator: INDICATOR, quotas: list, reason: "06/KH-UBND: quotas of the wards", ...over } }, token);

/** Everything a quota change could write. */
async function snapshot() {
  const [row] = await h.dataSource.query(
    `SELECT (SELECT coalesce(json_agg(q ORDER BY q.unit_id), '[]') FROM (SELECT unit_id, kind, quantity, assigned_at FROM target_quota) q) AS quotas,
            (SELECT count(*)::int FROM audit_log) AS audits,
            (SELECT json_agg(json_build_object('id', id, 'version', version, 'updated_at', updated_at) ORDER BY id) FROM plan) AS plans,
            (SELECT coalesce(json_agg(t ORDER BY t.plan_id, t.indicator_id), '[]') FROM (SELECT plan_id, indicator_id, kind, quantity, updated_at FROM target) t) AS targets`,
  );
  return row;
}

beforeAll(async () => {
  h = await startHarness();
  planner = h.token("01", [Role.PLANNER, Role.VIEWER], "planner-hn");
  // the quantity math is checked on a few wards' reports: judge cells at any completeness (the minimum is
  // tested in rollup-honest.test.ts)
  await h.dataSource.query(`UPDATE indicator SET min_completeness = 0`);
  // one plan per unit, program and period: the seed's Hà Nội 2026 plans (07/KH-UBND and 06/KH-UBND under it) go first
  await h.dataSource.query(
    `DELETE FROM plan WHERE created_by = 'seed' AND period_start >= DATE '2026-01-01'
        AND unit_id IN (SELECT id FROM org_unit WHERE code = '01')`,
  );
  [{ id: planId }] = await h.dataSource.query(
    `INSERT INTO plan (program_id, unit_id, title, document_number, issued_on, period_start, period_end, created_by)
     SELECT pr.id, u.id, 'Kế hoạch kiểm tra, giám sát năm 2026', '06/KH-UBND', '2026-01-07', '2026-01-01', '2026-12-31', 'test'
       FROM program pr, org_unit u WHERE u.code = '01' AND u.valid_to IS NULL
     RETURNING id`,
  );
  wards = await h.dataSource.query(
    `SELECT c.code, c.name FROM org_unit c JOIN org_unit p ON p.id = c.parent_id
      WHERE p.code = '01' AND p.valid_to IS NULL AND c.valid_to IS NULL ORDER BY c.code LIMIT 5`,
  );
  expect(wards).toHaveLength(5);
  // the city's total, through the API
  const r = await h.gql(
    SET,
    { i: { planId, version: 1, reason: "06/KH-UBND", targets: [{ indicator: INDICATOR, kind: "QUANTITY_FLOOR", quantity: 2937, sourceText: "kiểm tra ít nhất 2.937 cơ sở" }] } },
    planner,
  );
  expect(r.errors).toBeUndefined();
  expect(r.data.setTargets.targets[0]).toMatchObject({ provenance: "OWN", value: { kind: "QUANTITY_FLOOR", quantity: 2937, text: "at least 2,937 businesses" } });
});
afterAll(() => h.close());

describe("assignQuotas: a split short by N, then completed", () => {
  it("answers the shortfall (437) and the child units with none, on the mutation, the plan and the compliance report", async () => {
    const [a, b, c] = wards;
    const r = await assign(quotas([a!.code, 1200], [b!.code, 800], [c!.code, 500]));
    expect(r.errors).toBeUndefined();
    const split = r.data.assignQuotas;
    expect(split).toMatchObject({
      planId,
      planDocument: "06/KH-UBND",
      unitCode: "01",
      indicatorCode: INDICATOR,
      unit: "BUSINESSES",
      sum: 2500,
      required: 2937,
      shortfall: 437,
      excess: null,
      meets: false,
      named: 3,
      children: 126,
      withoutQuotaCount: 123,
      target: { provenance: "OWN", value: { kind: "QUANTITY_FLOOR", quantity: 2937 } },
    });
    expect(split.quotas).toEqual([
      { unitCode: a!.code, unitName: a!.name, quantity: 1200, value: { kind: "QUANTITY_FLOOR", quantity: 1200, unit: "BUSINESSES", text: "at least 1,200 businesses" } },
      { unitCode: b!.code, unitName: b!.name, quantity: 800, value: expect.objectContaining({ quantity: 800 }) },
      { unitCode: c!.code, unitName: c!.name, quantity: 500, value: expect.objectContaining({ quantity: 500 }) },
    ]);
    expect(split.unitsWithoutQuota).toHaveLength(123);
    expect(split.unitsWithoutQuota.map((u: { unitCode: string }) => u.unitCode)).toContain(wards[3]!.code);
    expect(split.unitsWithoutQuota.map((u: { unitCode: string }) => u.unitCode)).not.toContain(a!.code);
    expect(split.explanation).toBe(
      "Quotas add up to 2,500 businesses against the plan's at least 2,937 businesses: short by 437 businesses (3 of 126 child units have a quota, 123 have none).",
    );

    // shown on the plan
    const plan = await h.gql(`query($id: ID!) { plan(id: $id) { version quotaSplits { ${SPLIT} } } }`, { id: planId }, planner);
    expect(plan.errors).toBeUndefined();
    expect(plan.data.plan.quotaSplits).toHaveLength(1);
    expect(plan.data.plan.quotaSplits[0]).toMatchObject({ shortfall: 437, withoutQuotaCount: 123, meets: false });

    // and in the compliance report
    const report = await h.gql(
      `query($id: ID!) { complianceReport(planId: $id) { plansChecked quotaShortfalls { planDocument indicatorCode sum required shortfall withoutQuotaCount unitsWithoutQuota { unitCode } } } }`,
      { id: planId },
      planner,
    );
    expect(report.errors).toBeUndefined();
    expect(report.data.complianceReport.quotaShortfalls).toEqual([
      expect.objectContaining({ planDocument: "06/KH-UBND", indicatorCode: INDICATOR, sum: 2500, required: 2937, shortfall: 437, withoutQuotaCount: 123 }),
    ]);
    // a fixed number of statements: the report's five, and two for the quota splits of the subtree
    expect(report.statements).toBeLessThanOrEqual(7);

    // audited: the old and new quotas, the plan's version
    const [audit] = await h.dataSource.query(
      `SELECT action, entity, entity_id, old_value, new_value, reason FROM audit_log WHERE action = 'target.quotas' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit).toMatchObject({
      entity: "target_quota",
      entity_id: `${planId}:${INDICATOR}`,
      reason: "06/KH-UBND: quotas of the wards",
      old_value: { quotas: {}, planVersion: 2 },
      new_value: { quotas: { [a!.code]: 1200, [b!.code]: 800, [c!.code]: 500 }, splitOf: { kind: "quantity_floor", quantity: 2937 }, planVersion: 3 },
    });
  });

  it("a ward reads the split's sum and counts over every quota, but only its own quota and name", async () => {
    const ward = h.token(wards[0]!.code, [Role.VIEWER], "viewer-ward");
    const r = await h.gql(`query($id: ID!) { plan(id: $id) { quotaSplits { sum shortfall named withoutQuotaCount quotas { unitCode } unitsWithoutQuota { unitCode } } } }`, { id: planId }, ward);
    expect(r.errors).toBeUndefined();
    expect(r.data.plan.quotaSplits[0]).toEqual({
      sum: 2500,
      shortfall: 437,
      named: 3,
      withoutQuotaCount: 123,
      quotas: [{ unitCode: wards[0]!.code }],
      unitsWithoutQuota: [],
    });
  });

  it("each ward's quota is its effective quantity target, with provenance 'quota from plan 06/KH-UBND (01)'", async () => {
    const r = await h.gql(
      `query($u: String!) { effectiveTargets(unitCode: $u, period: "2026", indicators: ["${INDICATOR}"]) {
         unitCode provenance provenanceText inherited sourcePlanDocument sourceUnitCode value { kind quantity text }
         parent { isQuota planDocument value { quantity } } comparedToParent { verdict explanation } } }`,
      { u: wards[1]!.code },
      planner,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.effectiveTargets).toEqual([
      {
        unitCode: wards[1]!.code,
        provenance: "QUOTA",
        provenanceText: "quota from plan 06/KH-UBND (01)",
        inherited: true,
        sourcePlanDocument: "06/KH-UBND",
        sourceUnitCode: "01",
        value: { kind: "QUANTITY_FLOOR", quantity: 800, text: "at least 800 businesses" },
        // the whole it is a part of: not compared (a part is not the whole; the split is judged on the plan)
        parent: { isQuota: false, planDocument: "06/KH-UBND", value: { quantity: 2937 } },
        comparedToParent: { verdict: "NOT_COMPARED", explanation: expect.stringContaining("a part is not the whole") },
      },
    ]);
    // a ward with no quota inherits the city's quantity like any target
    const none = await h.gql(`query($u: String!) { effectiveTargets(unitCode: $u, period: "2026", indicators: ["${INDICATOR}"]) { provenance value { quantity } } }`, { u: wards[4]!.code }, planner);
    expect(none.data.effectiveTargets).toEqual([{ provenance: "INHERITED", value: { quantity: 2937 } }]);
  });

  it("completed: the quotas reach the total, the shortfall is 0 and the compliance report lists nothing", async () => {
    const [a, b, c, d] = wards;
    const r = await assign(quotas([a!.code, 1200], [b!.code, 800], [c!.code, 500], [d!.code, 437]));
    expect(r.errors).toBeUndefined();
    expect(r.data.assignQuotas).toMatchObject({ sum: 2937, shortfall: 0, meets: true, named: 4, withoutQuotaCount: 122 });
    expect(r.data.assignQuotas.explanation).toContain("they reach it exactly");
    const report = await h.gql(`query($id: ID!) { complianceReport(planId: $id) { quotaShortfalls { indicatorCode } } }`, { id: planId }, planner);
    expect(report.data.complianceReport.quotaShortfalls).toEqual([]);
  });
});

describe("a ward's reports sum up toward its quota and the city's total", () => {
  it("2026-Q1 is judged on the year so far: the ward against its quota, the city against 2,937", async () => {
    const reporter = h.token("01", [Role.REPORTER, Role.VIEWER], "reporter-hn");
    const [a, b] = wards;
    const submit = await h.gql(
      `mutation($rows: [ReportRowInput!]!) { submitReports(input: { rows: $rows }) { inserted } }`,
      {
        rows: [
          { unitCode: a!.code, indicatorCode: INDICATOR, period: "2026-Q1", numerator: 500, denominator: 900 },
          { unitCode: b!.code, indicatorCode: INDICATOR, period: "2026-Q1", numerator: 820, denominator: 1000 },
        ],
      },
      reporter,
    );
    expect(submit.errors).toBeUndefined();
    expect(submit.data.submitReports.inserted).toBe(2);

    const ward = await h.gql(ROLLUP, { u: a!.code, p: "2026-Q1" }, reporter);
    expect(ward.errors).toBeUndefined();
    expect(ward.data.rollup.cells[0]).toMatchObject({
      numerator: 500,
      status: "NOT_MET",
      required: 1200,
      measured: 500,
      gap: 700,
      judgedPeriods: ["2026"],
      unit: "PERCENT",
      quantityUnit: "BUSINESSES",
      target: { provenance: "QUOTA", provenanceText: "quota from plan 06/KH-UBND (01)", value: { quantity: 1200, text: "at least 1,200 businesses" } },
    });

    const city = await h.gql(ROLLUP, { u: "01", p: "2026-Q1" }, reporter);
    expect(city.errors).toBeUndefined();
    // the city: 500 + 820 = 1,320 of 2,937 so far
    expect(city.data.rollup.cells[0]).toMatchObject({ numerator: 1320, status: "NOT_MET", required: 2937, measured: 1320, gap: 1617, judgedPeriods: ["2026"] });
    const child = (code: string) => city.data.rollup.children.find((c: { unit: { code: string } }) => c.unit.code === code).cells[0];
    // ward b already met its 800
    expect(child(b!.code)).toMatchObject({ status: "MET", required: 800, measured: 820, gap: -20, target: { provenance: "QUOTA" } });
    expect(child(a!.code)).toMatchObject({ status: "NOT_MET", required: 1200, measured: 500 });
    // a ward without a quota and without reports
    expect(child(wards[4]!.code)).toMatchObject({ status: "NO_DATA", required: 2937, target: { provenance: "INHERITED" } });

    // the year itself, after a second quarter: the latest report of each ward (a stock: businesses inspected so far this year)
    const q2 = await h.gql(
      `mutation($rows: [ReportRowInput!]!) { submitReports(input: { rows: $rows }) { inserted } }`,
      { rows: [{ unitCode: a!.code, indicatorCode: INDICATOR, period: "2026-Q2", numerator: 1250, denominator: 1300 }] },
      reporter,
    );
    expect(q2.errors).toBeUndefined();
    const year = await h.gql(ROLLUP, { u: "01", p: "2026" }, reporter);
    expect(year.data.rollup.cells[0]).toMatchObject({ numerator: 2070, measured: 2070, gap: 867, status: "NOT_MET", judgedPeriods: ["2026"] });
    const wardYear = year.data.rollup.children.find((c: { unit: { code: string } }) => c.unit.code === a!.code).cells[0];
    expect(wardYear).toMatchObject({ status: "MET", required: 1200, measured: 1250, gap: -50 });
  });
});

describe("a ward may raise its quota, never lower it", () => {
  let wardPlan: string;
  beforeAll(async () => {
    // the ward's own 2026 plan under the city's, in force (inserted as the owner: how plans are created and
    // activated is the plan life cycle's business)
    [{ id: wardPlan }] = await h.dataSource.query(
      `INSERT INTO plan (program_id, unit_id, parent_plan_id, title, period_start, period_end, created_by)
       SELECT p.program_id, u.id, p.id, 'Kế hoạch kiểm tra năm 2026 của phường', '2026-01-01', '2026-12-31', 'test'
         FROM plan p, org_unit u WHERE p.id = $1 AND u.code = $2 AND u.valid_to IS NULL RETURNING id`,
      [planId, wards[0]!.code],
    );
  });

  it("a raise (1,500 against its quota of 1,200) stands, and becomes its effective target", async () => {
    const ward = h.token(wards[0]!.code, [Role.PLANNER, Role.VIEWER], "planner-ward");
    const r = await h.gql(
      SET,
      { i: { planId: wardPlan, version: await version(wardPlan), reason: "we inspect more", targets: [{ indicator: INDICATOR, kind: "QUANTITY_FLOOR", quantity: 1500 }] } },
      ward,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.setTargets.__typename).toBe("TargetsSet");
    expect(r.data.setTargets.targets[0]).toMatchObject({
      provenance: "OWN",
      value: { quantity: 1500 },
      parent: { isQuota: true, planDocument: "06/KH-UBND", value: { quantity: 1200 } },
      comparedToParent: { verdict: "TIGHTER", delta: 300, deltaUnit: "QUANTITY" },
    });
    const rollup = await h.gql(ROLLUP, { u: wards[0]!.code, p: "2026" }, ward);
    expect(rollup.data.rollup.cells[0]).toMatchObject({ required: 1500, measured: 1250, status: "NOT_MET", target: { provenance: "OWN" } });
  });

  it("lowering it (1,000) is refused as LOOSER_THAN_QUOTA, nothing written", async () => {
    const ward = h.token(wards[0]!.code, [Role.PLANNER, Role.VIEWER], "planner-ward");
    const before = await snapshot();
    const r = await h.gql(
      SET,
      { i: { planId: wardPlan, version: await version(wardPlan), reason: "too many", targets: [{ indicator: INDICATOR, kind: "QUANTITY_FLOOR", quantity: 1000 }] } },
      ward,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.setTargets).toEqual({
      __typename: "TargetsRefused",
      refusals: [
        {
          indicatorCode: INDICATOR,
          reason: "LOOSER_THAN_QUOTA",
          message: expect.stringContaining("looser than the quota the plan 06/KH-UBND of Thành phố Hà Nội gives this unit"),
          parentPlanDocument: "06/KH-UBND",
          parentUnitCode: "01",
          parentValue: { quantity: 1200, text: "at least 1,200 businesses" },
          requestedValue: { quantity: 1000, text: "at least 1,000 businesses" },
          comparison: {
            verdict: "LOOSER",
            delta: -200,
            deltaUnit: "QUANTITY",
            explanation: "at least 1,000 businesses against its quota of at least 1,200 businesses: looser than the quota by 200 businesses (a unit may raise its quota, never lower it).",
          },
        },
      ],
    });
    expect(await snapshot()).toEqual(before);
  });

  it("the city raising the quota above the ward's own target shows the ward's target as looser in the compliance report", async () => {
    const [a, b, c, d] = wards;
    const r = await assign(quotas([a!.code, 1600], [b!.code, 800], [c!.code, 500], [d!.code, 437]));
    expect(r.errors).toBeUndefined();
    const report = await h.gql(
      `query($id: ID!) { complianceReport(planId: $id) { looserTargets { unitCode againstQuota value { quantity } parentValue { quantity } comparison { verdict delta deltaUnit } } } }`,
      { id: planId },
      planner,
    );
    expect(report.errors).toBeUndefined();
    expect(report.data.complianceReport.looserTargets).toEqual([
      { unitCode: a!.code, againstQuota: true, value: { quantity: 1500 }, parentValue: { quantity: 1600 }, comparison: { verdict: "LOOSER", delta: -100, deltaUnit: "QUANTITY" } },
    ]);
  });
});

describe("bad input: coded errors naming the field, nothing written", () => {
  const cases: Array<[string, () => Promise<Record<string, unknown>>, string, string]> = [
    ["a unit that is not a child of the plan's unit on its dates (Quận Ba Đình, closed on 1/7/2025)", async () => ({ quotas: quotas([wards[0]!.code, 10], ["001", 10]) }), "BAD_USER_INPUT", "input.quotas.1.unitCode"],
    ["a unit of another province", async () => ({ quotas: quotas(["25747", 10]) }), "BAD_USER_INPUT", "input.quotas.0.unitCode"],
    ["the plan's own unit", async () => ({ quotas: quotas(["01", 10]) }), "BAD_USER_INPUT", "input.quotas.0.unitCode"],
    ["a negative quantity", async () => ({ quotas: quotas([wards[0]!.code, 10], [wards[1]!.code, -5]) }), "BAD_USER_INPUT", "input.quotas.1.quantity"],
    ["a fractional quantity of businesses", async () => ({ quotas: quotas([wards[0]!.code, 10.5]) }), "BAD_USER_INPUT", "input.quotas.0.quantity"],
    ["a unit given twice", async () => ({ quotas: quotas([wards[0]!.code, 10], [wards[0]!.code, 20]) }), "BAD_USER_INPUT", "input.quotas.1.unitCode"],
    ["an indicator with no quantity target", async () => ({ indicator: "AWR_STUDENTS_INFORMED" }), "BAD_USER_INPUT", "input.indicator"],
    ["an unknown indicator", async () => ({ indicator: "NOPE" }), "BAD_USER_INPUT", "input.indicator"],
    ["a stale version", async () => ({ version: (await version()) - 1 }), "CONFLICT", "input.version"],
  ];
  it.each(cases)("%s", async (_name, over, code, field) => {
    const before = await snapshot();
    const r = await assign(quotas([wards[0]!.code, 100]), await over());
    expect(r.data).toBeNull();
    expect(r.errors?.[0]?.extensions).toMatchObject({ code, field });
    expect(await snapshot()).toEqual(before);
  });

  it("quotas on an indicator whose target is a share, and on another tenant's plan", async () => {
    const before = await snapshot();
    await h.dataSource.query(
      `INSERT INTO target (plan_id, indicator_id, kind, share, updated_by) SELECT $1, id, 'share_floor', 60, 'test' FROM indicator WHERE code = 'PRV_BUSINESS_COMMITMENT'`,
      [planId],
    );
    const share = await assign(quotas([wards[0]!.code, 100]), { indicator: "PRV_BUSINESS_COMMITMENT" });
    expect(share.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.indicator" });
    expect(share.errors?.[0]?.message).toContain("its target is ≥ 60%");
    await h.dataSource.query(`DELETE FROM target WHERE plan_id = $1 AND kind = 'share_floor'`, [planId]);
    // Quảng Ninh's planner: Hà Nội's plan does not exist for it
    expect(errorCode(await assign(quotas([wards[0]!.code, 100]), {}, h.token("22", [Role.PLANNER], "planner-qn")))).toBe("NOT_FOUND");
    // a viewer of Hà Nội: no PLANNER role
    expect(errorCode(await assign(quotas([wards[0]!.code, 100]), {}, h.token("01", [Role.VIEWER], "viewer-hn")))).toBe("FORBIDDEN");
    expect(await snapshot()).toEqual(before);
  });

  it("a target of another kind, or its removal, would leave the quotas adding up to nothing: refused", async () => {
    const before = await snapshot();
    const other = await h.gql(
      SET,
      { i: { planId, version: await version(), reason: "a share instead", targets: [{ indicator: INDICATOR, kind: "SHARE_FLOOR", share: 60 }] } },
      planner,
    );
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.targets.0.kind" });
    const removed = await h.gql(
      `mutation($i: RemoveTargetInput!) { removeTarget(input: $i) { plan { version } } }`,
      { i: { planId, version: await version(), indicator: INDICATOR, reason: "no total" } },
      planner,
    );
    expect(removed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.indicator" });
    expect(await snapshot()).toEqual(before);
  });

  it("an empty list removes the quotas (audited), and the split answers every child without one", async () => {
    const r = await assign([]);
    expect(r.errors).toBeUndefined();
    expect(r.data.assignQuotas).toMatchObject({ sum: 0, named: 0, shortfall: 2937, meets: false, children: 126, withoutQuotaCount: 126 });
    expect(r.data.assignQuotas.unitsWithoutQuota).toHaveLength(126);
    expect(await h.dataSource.query(`SELECT 1 FROM target_quota`)).toEqual([]);
    const history = await h.gql(
      `query($id: ID!) { targetHistory(planId: $id, indicator: "${INDICATOR}") { action oldUnitCodes newUnitCodes newValue { text } } }`,
      { id: planId },
      planner,
    );
    const changes = history.data.targetHistory.filter((c: { action: string }) => c.action === "target.quotas");
    expect(changes.length).toBe(4);
    expect(changes[changes.length - 1]).toMatchObject({ oldUnitCodes: [wards[0]!.code, wards[1]!.code, wards[2]!.code, wards[3]!.code].sort(), newUnitCodes: [], newValue: null });
  });
});

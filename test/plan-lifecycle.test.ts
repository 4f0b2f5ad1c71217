import { Role } from "../src/auth/auth.types";
import { errorCode, startHarness, type GqlResult, type Harness } from "./support/harness";

/**
 * Issue 13, items 1-2, end to end on the seeds: plans with no parent, attaching them to an approved parent,
 * a plan's life cycle (DRAFT → ACTIVE → CLOSED | SUPERSEDED), overlapping active plans, closing with active
 * children. Every refusal writes nothing (a checksum of every table a plan change touches, before and after).
 */

const PROGRAM = "PCMD_2021_2025";
const BASIS = "Pháp lệnh phòng, chống mại dâm 10/2003/PL-UBTVQH11; báo cáo tổng kết 2021-2025";

const CREATE = `mutation($i: CreatePlanInput!) { createPlan(input: $i) {
  id version status parentless legalBasis inheritance inheritsFrom { id } parentPlan { id } unit { code } program { code } } }`;
const SET = `mutation($i: SetTargetsInput!) { setTargets(input: $i) { __typename
  ... on TargetsSet { plan { version } targets { indicatorCode provenance } }
  ... on TargetsRefused { refusals { indicatorCode reason } } } }`;
const ACTIVATE = `mutation($i: ActivatePlanInput!) { activatePlan(input: $i) { __typename
  ... on PlanActivated { plan { id status version statusChangedAt } exceptions { indicatorCode refusal occasion reason recordedBy value { share } parentValue { share } } }
  ... on LooserTargetsRefused { message refusals { indicatorCode reason requestedValue { share } parentValue { share } parentPlanDocument } plans { plan { id } parentPlanId } } } }`;
const ATTACH = `mutation($i: AttachPlanInput!) { attachPlan(input: $i) { __typename
  ... on PlanAttached { plan { id version status parentless inheritsFrom { documentNumber } inheritance }
        exceptions { id planId planDocument unitCode indicatorCode refusal occasion reason recordedBy recordedAt
                     value { share text } parentValue { share text } comparison { verdict delta } parentPlanId sourcePlanDocument } }
  ... on LooserTargetsRefused { message refusals { indicatorCode reason message requestedValue { share } parentValue { share } parentPlanDocument parentUnitCode comparison { verdict delta } }
        plans { plan { id documentNumber } parentPlanId refusals { indicatorCode } } } } }`;
const CLOSE = `mutation($i: ClosePlanInput!) { closePlan(input: $i) { id status version } }`;
const SUPERSEDE = `mutation($i: SupersedePlanInput!) { supersedePlan(input: $i) { __typename
  ... on PlanSuperseded { plan { id status supersededBy { id } } by { id status } movedChildren { id parentPlan { id } version } exceptions { indicatorCode occasion } }
  ... on LooserTargetsRefused { refusals { indicatorCode } plans { plan { id } } } } }`;
const EFFECTIVE = `query($c: String!, $p: String!) { effectiveTargets(unitCode: $c, period: $p) { indicatorCode provenance sourcePlanDocument value { share } } }`;

let h: Harness;
const ids: Record<string, string> = {};

/** Every table a plan change may touch, as one checksum per table (owner's view: nothing is hidden). */
async function checksum(): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const table of ["plan", "target", "target_assignment", "plan_exception", "audit_log", "program", "indicator"]) {
    const [{ sum }] = await h.dataSource.query(`SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS sum FROM ${table} t`);
    sums[table] = sum;
  }
  return sums;
}

/** The call must fail with `code` (and `field`, if given) and write nothing. */
async function refused(call: () => Promise<GqlResult>, code: string, field?: string): Promise<GqlResult> {
  const before = await checksum();
  const r = await call();
  expect({ code: errorCode(r), field: r.errors?.[0]?.extensions?.field }).toEqual({ code, field: field ?? r.errors?.[0]?.extensions?.field });
  expect(r.data?.[Object.keys(r.data ?? {})[0] ?? ""] ?? null).toBeNull();
  expect(await checksum()).toEqual(before);
  return r;
}

const ok = (r: GqlResult) => {
  expect(r.errors).toBeUndefined();
  return r.data;
};

const version = async (id: string) => Number((await h.dataSource.query(`SELECT version FROM plan WHERE id = $1`, [id]))[0].version);
const status = async (id: string) => (await h.dataSource.query(`SELECT status FROM plan WHERE id = $1`, [id]))[0].status as string;

// Hà Nội (01) and the nation, on today's tree (2026-11-29)
const haNoiPlanner = () => h.token("01", [Role.VIEWER, Role.PLANNER], "planner-hn");
const haNoiAdmin = () => h.token("01", [Role.VIEWER, Role.ADMIN], "admin-hn");
const nationPlanner = () => h.token("VN", [Role.VIEWER, Role.PLANNER], "planner-vn");
const nationAdmin = () => h.token("VN", [Role.VIEWER, Role.ADMIN], "admin-vn");

beforeAll(async () => {
  h = await startHarness();
  // The seed holds the 2026 plans this file builds through the API (Hà Nội's 07/KH-UBND and 06/KH-UBND, the national
  // 2026-2035 draft: test/seed-2026.test.ts reads them). A unit holds one plan per program and period: this file
  // tells their story from before they existed, so the seed's copies go first.
  await h.dataSource.query(`DELETE FROM plan WHERE created_by = 'seed' AND period_start >= DATE '2026-01-01'`);
  for (const r of await h.dataSource.query(`SELECT id, document_number FROM plan WHERE document_number IN ('1629/QĐ-TTg', '702/QĐ-UBND', '3742/KH-UBND')`)) {
    ids[r.document_number] = r.id;
  }
});
afterAll(() => h?.close());

describe("a 2026 plan with no parent (Hà Nội 07/KH-UBND), attached later to the approved national 2026-2035 plan", () => {
  it("refuses a plan with no parent that names no legal basis or program, or is for another unit; writes nothing", async () => {
    const input = { unitCode: "01", programCode: PROGRAM, legalBasis: BASIS, title: "Kế hoạch năm 2026", periodStart: "2026-01-01", periodEnd: "2026-12-31", reason: "kế hoạch năm" };
    await refused(() => h.gql(CREATE, { i: { ...input, legalBasis: undefined } }, haNoiPlanner()), "BAD_USER_INPUT", "input.legalBasis");
    await refused(() => h.gql(CREATE, { i: { ...input, programCode: undefined } }, haNoiPlanner()), "BAD_USER_INPUT", "input.programCode");
    await refused(() => h.gql(CREATE, { i: { ...input, programCode: "NO_SUCH_PROGRAM" } }, haNoiPlanner()), "BAD_USER_INPUT", "input.programCode");
    // a ward's plan with no parent: only a unit's own top-level plan
    await refused(() => h.gql(CREATE, { i: { ...input, unitCode: "00004" } }, haNoiPlanner()), "FORBIDDEN");
    await refused(() => h.gql(CREATE, { i: input }, h.token("01", [Role.VIEWER])), "FORBIDDEN");
  });

  it("creates it in DRAFT with its legal basis, and says it inherits nothing", async () => {
    const r = ok(
      await h.gql(
        CREATE,
        {
          i: {
            unitCode: "01", programCode: PROGRAM, legalBasis: ` ${BASIS} `, title: "Kế hoạch thực hiện công tác phòng, chống mại dâm năm 2026",
            documentNumber: "07/KH-UBND", issuedOn: "2026-01-07", periodStart: "2026-01-01", periodEnd: "2026-12-31", reason: "kế hoạch năm 2026",
          },
        },
        haNoiPlanner(),
      ),
    );
    expect(r.createPlan).toMatchObject({
      version: 1, status: "DRAFT", parentless: true, legalBasis: BASIS, inheritsFrom: null, parentPlan: null, unit: { code: "01" }, program: { code: PROGRAM },
    });
    expect(r.createPlan.inheritance).toMatch(/no parent plan: it inherits no target/);
    expect(r.createPlan.inheritance).toMatch(/draft: not in force/);
    ids.haNoi = r.createPlan.id;
    const [audit] = await h.dataSource.query(`SELECT actor, new_value FROM audit_log WHERE action = 'plan.create' AND plan_id = $1`, [ids.haNoi]);
    expect(audit).toMatchObject({ actor: "planner-hn", new_value: { status: "draft", legalBasis: BASIS, parentPlanId: null } });
  });

  it("is edited freely as a draft (no parent: nothing to compare with) and is not in force", async () => {
    const set = ok(
      await h.gql(
        SET,
        {
          i: {
            planId: ids.haNoi, version: 1, reason: "chỉ tiêu 2026",
            targets: [
              { indicator: "AWR_COMMUNE_ACTIVITY", kind: "SHARE_FLOOR", share: 100 },
              { indicator: "AWR_IZ_WORKERS_INFORMED", kind: "SHARE_FLOOR", share: 50 },
              { indicator: "ENF_BUSINESSES_INSPECTED_YEAR", kind: "SHARE_FLOOR", share: 60 },
            ],
          },
        },
        haNoiPlanner(),
      ),
    );
    expect(set.setTargets.__typename).toBe("TargetsSet");
    expect(set.setTargets.targets.map((t: { provenance: string }) => t.provenance)).toEqual(["OWN", "OWN", "OWN"]);
    // a draft gives no unit its targets: Hà Nội and its wards have none for 2026
    expect(ok(await h.gql(EFFECTIVE, { c: "01", p: "2026" }, haNoiPlanner())).effectiveTargets).toEqual([]);
    // the plan itself shows its own targets only, and says why there is nothing inherited
    const plan = ok(
      await h.gql(`query($id: ID!) { plan(id: $id) { parentless inheritsFrom { id } effectiveTargets { provenance } } }`, { id: ids.haNoi }, haNoiPlanner()),
    ).plan;
    expect(plan).toEqual({ parentless: true, inheritsFrom: null, effectiveTargets: [{ provenance: "OWN" }, { provenance: "OWN" }, { provenance: "OWN" }] });
  });

  it("is activated by Hà Nội's admin (not its planner), audited; then Hà Nội and its wards are judged against it", async () => {
    await refused(() => h.gql(ACTIVATE, { i: { planId: ids.haNoi, version: 2, reason: "phê duyệt" } }, haNoiPlanner()), "FORBIDDEN");
    await refused(() => h.gql(ACTIVATE, { i: { planId: ids.haNoi, version: 2, reason: "phê duyệt" } }, nationAdmin()), "FORBIDDEN");
    await refused(() => h.gql(ACTIVATE, { i: { planId: ids.haNoi, version: 1, reason: "phê duyệt" } }, haNoiAdmin()), "CONFLICT");
    const r = ok(await h.gql(ACTIVATE, { i: { planId: ids.haNoi, version: 2, reason: "UBND thành phố phê duyệt" } }, haNoiAdmin()));
    expect(r.activatePlan).toMatchObject({ __typename: "PlanActivated", plan: { status: "ACTIVE", version: 3 }, exceptions: [] });
    expect(r.activatePlan.plan.statusChangedAt).toEqual(expect.any(String));
    const [audit] = await h.dataSource.query(`SELECT actor, reason, old_value, new_value FROM audit_log WHERE action = 'plan.activate' AND plan_id = $1`, [ids.haNoi]);
    expect(audit).toEqual({
      actor: "admin-hn", reason: "UBND thành phố phê duyệt",
      old_value: { status: "draft", version: 2 }, new_value: { status: "active", version: 3, exceptions: 0 },
    });
    const own = ok(await h.gql(EFFECTIVE, { c: "01", p: "2026" }, haNoiPlanner())).effectiveTargets;
    expect(own).toHaveLength(3);
    expect(own.every((t: { provenance: string; sourcePlanDocument: string }) => t.provenance === "OWN" && t.sourcePlanDocument === "07/KH-UBND")).toBe(true);
    const ward = ok(await h.gql(EFFECTIVE, { c: "00004", p: "2026-Q2" }, haNoiPlanner())).effectiveTargets;
    expect(ward).toContainEqual({ indicatorCode: "AWR_COMMUNE_ACTIVITY", provenance: "INHERITED", sourcePlanDocument: "07/KH-UBND", value: { share: 100 } });
    // activating twice: CONFLICT, nothing written
    await refused(() => h.gql(ACTIVATE, { i: { planId: ids.haNoi, version: 3, reason: "lần nữa" } }, haNoiAdmin()), "CONFLICT", "input.planId");
  });

  it("the ministry drafts the national 2026-2035 plan (the catalog carries over) and approves it; a draft parent refuses attaching", async () => {
    const r = ok(
      await h.gql(
        CREATE,
        {
          i: {
            unitCode: "VN", programCode: PROGRAM, legalBasis: "Dự thảo Chương trình phòng, chống mại dâm giai đoạn 2026-2035 (Bộ Y tế)",
            title: "Chương trình phòng, chống mại dâm giai đoạn 2026-2035", documentNumber: "QĐ 2026-2035",
            periodStart: "2026-01-01", periodEnd: "2035-12-31", reason: "chương trình mới",
          },
        },
        nationAdmin(),
      ),
    );
    expect(r.createPlan).toMatchObject({ status: "DRAFT", parentless: true, unit: { code: "VN" } });
    ids.national = r.createPlan.id;
    const set = ok(
      await h.gql(
        SET,
        {
          i: {
            planId: ids.national, version: 1, reason: "chỉ tiêu quốc gia",
            targets: [
              { indicator: "AWR_COMMUNE_ACTIVITY", kind: "SHARE_FLOOR", share: 70 },
              { indicator: "AWR_IZ_WORKERS_INFORMED", kind: "SHARE_FLOOR", share: 60 },
              { indicator: "AWR_STUDENTS_INFORMED", kind: "SHARE_FLOOR", share: 70 },
            ],
          },
        },
        nationPlanner(),
      ),
    );
    expect(set.setTargets.__typename).toBe("TargetsSet");
    // a draft national plan takes no attached plan
    const attachToDraft = await refused(
      () => h.gql(ATTACH, { i: { planId: ids.haNoi, version: 3, parentPlanId: ids.national, reason: "gắn vào chương trình" } }, haNoiPlanner()),
      "BAD_USER_INPUT",
      "input.parentPlanId",
    );
    expect(attachToDraft.errors![0]!.message).toMatch(/still a draft/);
    // the national plan has no parent: its own admin approves it
    await refused(() => h.gql(ACTIVATE, { i: { planId: ids.national, version: 2, reason: "phê duyệt" } }, nationPlanner()), "FORBIDDEN");
    const activated = ok(await h.gql(ACTIVATE, { i: { planId: ids.national, version: 2, reason: "Thủ tướng phê duyệt" } }, nationAdmin()));
    expect(activated.activatePlan.plan.status).toBe("ACTIVE");
  });

  it("refuses attaching to the 2021-2025 national plan (its period does not cover 2026), without the version, or as another unit", async () => {
    const r = await refused(
      () => h.gql(ATTACH, { i: { planId: ids.haNoi, version: 3, parentPlanId: ids["1629/QĐ-TTg"], reason: "gắn" } }, haNoiPlanner()),
      "BAD_USER_INPUT",
      "input.parentPlanId",
    );
    expect(r.errors![0]!.message).toMatch(/does not cover/);
    await refused(() => h.gql(ATTACH, { i: { planId: ids.haNoi, version: 2, parentPlanId: ids.national, reason: "gắn" } }, haNoiPlanner()), "CONFLICT");
    // Quảng Ninh's planner cannot see Hà Nội's plan
    await refused(() => h.gql(ATTACH, { i: { planId: ids.haNoi, version: 3, parentPlanId: ids.national, reason: "gắn" } }, h.token("22", [Role.PLANNER])), "NOT_FOUND");
    await refused(() => h.gql(ATTACH, { i: { planId: ids.haNoi, version: 3, parentPlanId: "nope", reason: "gắn" } }, haNoiPlanner()), "BAD_USER_INPUT", "input.parentPlanId");
  });

  it("checks every target against the new parent as setTargets does: the looser one is answered, nothing written", async () => {
    const before = await checksum();
    const r = ok(await h.gql(ATTACH, { i: { planId: ids.haNoi, version: 3, parentPlanId: ids.national, reason: "gắn vào chương trình" } }, haNoiPlanner()));
    expect(await checksum()).toEqual(before);
    expect(r.attachPlan.__typename).toBe("LooserTargetsRefused");
    expect(r.attachPlan.refusals).toEqual([
      {
        indicatorCode: "AWR_IZ_WORKERS_INFORMED", reason: "LOOSER_THAN_PARENT", message: expect.stringMatching(/07\/KH-UBND's target is looser than QĐ 2026-2035 \(VN\)/),
        requestedValue: { share: 50 }, parentValue: { share: 60 }, parentPlanDocument: "QĐ 2026-2035", parentUnitCode: "VN",
        comparison: { verdict: "LOOSER", delta: -10 },
      },
    ]);
    expect(r.attachPlan.plans).toEqual([{ plan: { id: ids.haNoi, documentNumber: "07/KH-UBND" }, parentPlanId: ids.national, refusals: [{ indicatorCode: "AWR_IZ_WORKERS_INFORMED" }] }]);
    expect(r.attachPlan.message).toMatch(/acceptLooser/);
  });

  it("attaches with the looser target as a recorded exception (reason, who, when), shown on the plan and in the compliance report", async () => {
    const r = ok(
      await h.gql(
        ATTACH,
        { i: { planId: ids.haNoi, version: 3, parentPlanId: ids.national, acceptLooser: true, reason: "60.000 công nhân KCN là số tuyệt đối; giữ 50% năm 2026" } },
        haNoiPlanner(),
      ),
    );
    expect(r.attachPlan).toMatchObject({
      __typename: "PlanAttached",
      plan: { id: ids.haNoi, version: 4, status: "ACTIVE", parentless: false, inheritsFrom: { documentNumber: "QĐ 2026-2035" } },
    });
    expect(r.attachPlan.plan.inheritance).toMatch(/inherits every target it does not set itself from QĐ 2026-2035/);
    expect(r.attachPlan.exceptions).toEqual([
      {
        id: expect.any(String), planId: ids.haNoi, planDocument: "07/KH-UBND", unitCode: "01", indicatorCode: "AWR_IZ_WORKERS_INFORMED",
        refusal: "LOOSER_THAN_PARENT", occasion: "ATTACH", reason: "60.000 công nhân KCN là số tuyệt đối; giữ 50% năm 2026", recordedBy: "planner-hn",
        recordedAt: expect.any(String), value: { share: 50, text: "≥ 50%" }, parentValue: { share: 60, text: "≥ 60%" },
        comparison: { verdict: "LOOSER", delta: -10 }, parentPlanId: ids.national, sourcePlanDocument: "QĐ 2026-2035",
      },
    ]);
    const [audit] = await h.dataSource.query(`SELECT actor, new_value FROM audit_log WHERE action = 'plan.attach' AND plan_id = $1`, [ids.haNoi]);
    expect(audit).toEqual({ actor: "planner-hn", new_value: { parentPlanId: ids.national, parentDocument: "QĐ 2026-2035", version: 4, exceptions: 1 } });
    // on the plan, for Hà Nội and for the ministry
    for (const token of [haNoiPlanner(), nationPlanner()]) {
      const plan = ok(await h.gql(`query($id: ID!) { plan(id: $id) { exceptions { indicatorCode recordedBy reason } } }`, { id: ids.haNoi }, token)).plan;
      expect(plan.exceptions).toEqual([{ indicatorCode: "AWR_IZ_WORKERS_INFORMED", recordedBy: "planner-hn", reason: expect.stringMatching(/giữ 50%/) }]);
    }
    // the compliance report of the national plan lists the looser target and the exception that lets it stand
    const report = ok(
      await h.gql(
        `query($id: ID!) { complianceReport(planId: $id) { plansChecked looserTargets { unitCode planDocument indicatorCode value { share } parentValue { share } }
          exceptions { unitCode planDocument indicatorCode occasion recordedBy } } }`,
        { id: ids.national },
        nationPlanner(),
      ),
    ).complianceReport;
    expect(report.looserTargets).toEqual([{ unitCode: "01", planDocument: "07/KH-UBND", indicatorCode: "AWR_IZ_WORKERS_INFORMED", value: { share: 50 }, parentValue: { share: 60 } }]);
    expect(report.exceptions).toEqual([{ unitCode: "01", planDocument: "07/KH-UBND", indicatorCode: "AWR_IZ_WORKERS_INFORMED", occasion: "ATTACH", recordedBy: "planner-hn" }]);
    // Hà Nội now inherits what it does not set itself from the national plan
    const effective = ok(await h.gql(EFFECTIVE, { c: "01", p: "2026" }, haNoiPlanner())).effectiveTargets;
    expect(effective).toContainEqual({ indicatorCode: "AWR_STUDENTS_INFORMED", provenance: "INHERITED", sourcePlanDocument: "QĐ 2026-2035", value: { share: 70 } });
    expect(effective).toContainEqual({ indicatorCode: "AWR_IZ_WORKERS_INFORMED", provenance: "OWN", sourcePlanDocument: "07/KH-UBND", value: { share: 50 } });
    // attaching again: it has a parent now
    await refused(() => h.gql(ATTACH, { i: { planId: ids.haNoi, version: 4, parentPlanId: ids.national, reason: "lần nữa" } }, haNoiPlanner()), "CONFLICT", "input.planId");
  });

  it("edits an active plan's targets only with its version: without it a coded error, with a stale one CONFLICT; nothing written", async () => {
    const targets = [{ indicator: "AWR_IZ_WORKERS_INFORMED", kind: "SHARE_FLOOR", share: 65 }];
    const missing = await refused(
      () => h.gql(`mutation($i: SetTargetsInput!) { setTargets(input: $i) { __typename } }`, { i: { planId: ids.haNoi, reason: "nâng", targets } }, haNoiPlanner()),
      "BAD_USER_INPUT",
    );
    expect(missing.errors![0]!.message).toMatch(/version/);
    await refused(() => h.gql(SET, { i: { planId: ids.haNoi, version: 3, reason: "nâng", targets } }, haNoiPlanner()), "CONFLICT");
    const r = ok(await h.gql(SET, { i: { planId: ids.haNoi, version: 4, reason: "nâng lên 65%", targets } }, haNoiPlanner()));
    expect(r.setTargets.__typename).toBe("TargetsSet");
  });
});

describe("overlapping active plans of one unit and program", () => {
  it("refuses a second active Hà Nội 2026 plan beside 07/KH-UBND, naming it by document number and unit; in the database too", async () => {
    const created = ok(
      await h.gql(
        CREATE,
        { i: { unitCode: "01", programCode: PROGRAM, legalBasis: BASIS, title: "Kế hoạch kiểm tra năm 2026", documentNumber: "06/KH-UBND", periodStart: "2026-02-01", periodEnd: "2026-12-31", reason: "kiểm tra" } },
        haNoiPlanner(),
      ),
    );
    ids.inspection = created.createPlan.id;
    const r = await refused(() => h.gql(ACTIVATE, { i: { planId: ids.inspection, version: 1, reason: "phê duyệt" } }, haNoiAdmin()), "CONFLICT", "input.planId");
    expect(r.errors![0]!.message).toMatch(/Plan 07\/KH-UBND of Thành phố Hà Nội \(01\) is already active over 2026-01-01 - 2026-12-31/);
    expect(r.errors![0]!.extensions).toMatchObject({ otherPlanId: ids.haNoi, otherPlanDocument: "07/KH-UBND", otherUnitCode: "01" });
    // the database refuses it whoever writes
    await expect(h.dataSource.query(`UPDATE plan SET status = 'active' WHERE id = $1`, [ids.inspection])).rejects.toThrow(
      /Plan 07\/KH-UBND of Thành phố Hà Nội \(01\) is active over 2026-01-01 to 2026-12-31/,
    );
    expect(await status(ids.inspection)).toBe("draft");
  });

  it("allows it once it implements 07/KH-UBND (a plan under the unit's own plan), activated by Hà Nội's planner", async () => {
    // a plan with no parent attaches to Hà Nội's own plan (same unit)
    const attached = ok(await h.gql(ATTACH, { i: { planId: ids.inspection, version: 1, parentPlanId: ids.haNoi, reason: "thực hiện 07/KH-UBND" } }, haNoiPlanner()));
    expect(attached.attachPlan.__typename).toBe("PlanAttached");
    // its parent's unit is Hà Nội: Hà Nội's planner approves it now (its admin does not)
    await refused(() => h.gql(ACTIVATE, { i: { planId: ids.inspection, version: 2, reason: "phê duyệt" } }, haNoiAdmin()), "FORBIDDEN");
    const r = ok(await h.gql(ACTIVATE, { i: { planId: ids.inspection, version: 2, reason: "phê duyệt" } }, haNoiPlanner()));
    expect(r.activatePlan.plan.status).toBe("ACTIVE");
  });

  it("lets exactly one of two concurrent activations of overlapping plans in", async () => {
    const make = async (doc: string, start: string) =>
      ok(
        await h.gql(
          CREATE,
          { i: { unitCode: "01", programCode: PROGRAM, legalBasis: BASIS, title: `Kế hoạch ${doc}`, documentNumber: doc, periodStart: start, periodEnd: "2027-12-31", reason: "thử" } },
          haNoiPlanner(),
        ),
      ).createPlan.id as string;
    const a = await make("A/2027", "2027-01-01");
    const b = await make("B/2027", "2027-02-01");
    const results = await Promise.all([a, b].map((id) => h.gql(ACTIVATE, { i: { planId: id, version: 1, reason: "cùng lúc" } }, haNoiAdmin())));
    expect(results.filter((r) => r.data?.activatePlan?.__typename === "PlanActivated")).toHaveLength(1);
    expect(results.filter((r) => errorCode(r) === "CONFLICT")).toHaveLength(1);
    const statuses = [await status(a), await status(b)].sort();
    expect(statuses).toEqual(["active", "draft"]);
  });
});

describe("activating a plan whose parent is a draft, and closing", () => {
  it("refuses activating a plan under a draft parent (CONFLICT naming the parent), nothing written", async () => {
    const parent = ok(
      await h.gql(
        CREATE,
        { i: { unitCode: "VN", programCode: PROGRAM, legalBasis: "Dự thảo", title: "Kế hoạch quốc gia 2036", documentNumber: "KH-2036", periodStart: "2036-01-01", periodEnd: "2036-12-31", reason: "dự thảo" } },
        nationAdmin(),
      ),
    ).createPlan.id;
    // drafting under a draft is allowed
    const child = ok(
      await h.gql(CREATE, { i: { parentPlanId: parent, unitCode: "01", title: "Kế hoạch 2036 của Hà Nội", periodStart: "2036-01-01", periodEnd: "2036-12-31", reason: "dự thảo" } }, haNoiPlanner()),
    ).createPlan;
    expect(child).toMatchObject({ status: "DRAFT", parentless: false, parentPlan: { id: parent }, program: { code: PROGRAM } });
    const r = await refused(() => h.gql(ACTIVATE, { i: { planId: child.id, version: 1, reason: "phê duyệt" } }, nationPlanner()), "CONFLICT", "input.planId");
    expect(r.errors![0]!.message).toMatch(/parent plan KH-2036 is still a draft/);
    expect(r.errors![0]!.extensions).toMatchObject({ parentPlanId: parent });
    // and the database holds the rule too
    await expect(h.dataSource.query(`UPDATE plan SET status = 'active' WHERE id = $1`, [child.id])).rejects.toThrow(/its parent KH-2036 is draft/);
  });

  it("refuses closing the 2021-2025 national plan while provinces' plans implement it, listing them; nothing written", async () => {
    const v = await version(ids["1629/QĐ-TTg"]!);
    const r = await refused(() => h.gql(CLOSE, { i: { planId: ids["1629/QĐ-TTg"], version: v, reason: "hết giai đoạn" } }, nationAdmin()), "CONFLICT", "input.planId");
    const children = r.errors![0]!.extensions!.activeChildren as Array<{ documentNumber: string | null; unitCode: string; unitName: string }>;
    expect(children.map((c) => c.unitCode).sort()).toEqual(["12", "22", "79"]);
    expect(children).toContainEqual(expect.objectContaining({ documentNumber: "702/QĐ-UBND", unitCode: "79", unitName: expect.stringMatching(/Hồ Chí Minh/) }));
    expect(r.errors![0]!.message).toMatch(/3 active plans implement it: .*702\/QĐ-UBND/);
    // the database refuses it too
    await expect(h.dataSource.query(`UPDATE plan SET status = 'closed' WHERE id = $1`, [ids["1629/QĐ-TTg"]])).rejects.toThrow(/no active child plan/);
  });

  it("closes a plan without active children (by its approver), audited; a closed plan's targets no longer change", async () => {
    // a national plan for 2037 with no children
    const p = ok(
      await h.gql(
        CREATE,
        { i: { unitCode: "VN", programCode: PROGRAM, legalBasis: "thử", title: "Kế hoạch 2037", documentNumber: "KH-2037", periodStart: "2037-01-01", periodEnd: "2037-12-31", reason: "thử" } },
        nationAdmin(),
      ),
    ).createPlan.id;
    await refused(() => h.gql(CLOSE, { i: { planId: p, version: 1, reason: "đóng" } }, nationAdmin()), "CONFLICT", "input.planId"); // a draft is not closed
    ok(await h.gql(ACTIVATE, { i: { planId: p, version: 1, reason: "phê duyệt" } }, nationAdmin()));
    await refused(() => h.gql(CLOSE, { i: { planId: p, version: 2, reason: "đóng" } }, nationPlanner()), "FORBIDDEN");
    const r = ok(await h.gql(CLOSE, { i: { planId: p, version: 2, reason: "kết thúc" } }, nationAdmin()));
    expect(r.closePlan).toEqual({ id: p, status: "CLOSED", version: 3 });
    const [audit] = await h.dataSource.query(`SELECT actor, reason, new_value FROM audit_log WHERE action = 'plan.close' AND plan_id = $1`, [p]);
    expect(audit).toEqual({ actor: "admin-vn", reason: "kết thúc", new_value: { status: "closed", version: 3 } });
    await refused(
      () => h.gql(SET, { i: { planId: p, version: 3, reason: "sửa", targets: [{ indicator: "AWR_COMMUNE_ACTIVITY", kind: "SHARE_FLOOR", share: 90 }] } }, nationPlanner()),
      "CONFLICT",
      "input.planId",
    );
  });
});

describe("superseding a plan by a named plan", () => {
  it("replaces 07/KH-UBND by a revised plan: the old is SUPERSEDED, the new ACTIVE, and 06/KH-UBND moves to it", async () => {
    const revised = ok(
      await h.gql(
        CREATE,
        { i: { parentPlanId: ids.national, unitCode: "01", title: "Kế hoạch năm 2026 (sửa đổi)", documentNumber: "07a/KH-UBND", periodStart: "2026-01-15", periodEnd: "2026-12-31", reason: "sửa đổi" } },
        haNoiPlanner(),
      ),
    ).createPlan.id;
    ok(
      await h.gql(
        SET,
        { i: { planId: revised, version: 1, reason: "chỉ tiêu", targets: [{ indicator: "AWR_IZ_WORKERS_INFORMED", kind: "SHARE_FLOOR", share: 70 }, { indicator: "AWR_COMMUNE_ACTIVITY", kind: "SHARE_FLOOR", share: 100 }] } },
        haNoiPlanner(),
      ),
    );
    // 06/KH-UBND asks 66% of industrial-zone workers: tighter than 07/KH-UBND's 65%, looser than the revised 70%
    ok(await h.gql(SET, { i: { planId: ids.inspection, version: await version(ids.inspection!), reason: "chỉ tiêu", targets: [{ indicator: "AWR_IZ_WORKERS_INFORMED", kind: "SHARE_FLOOR", share: 66 }] } }, haNoiPlanner()));
    const input = { planId: ids.haNoi, version: await version(ids.haNoi!), byPlanId: revised, byVersion: 2, reason: "ban hành kế hoạch sửa đổi" };
    // the approver of both plans is the nation's planner (their parent is the national plan)
    await refused(() => h.gql(SUPERSEDE, { i: input }, haNoiPlanner()), "FORBIDDEN");
    const nationalVersion = await version(ids.national!);
    await refused(() => h.gql(SUPERSEDE, { i: { ...input, byPlanId: ids.national, byVersion: nationalVersion } }, nationPlanner()), "BAD_USER_INPUT", "input.byPlanId");
    await refused(() => h.gql(SUPERSEDE, { i: { ...input, byVersion: 1 } }, nationPlanner()), "CONFLICT", "input.byVersion");
    // the child plan that moves is checked against its new parent: refused, nothing written
    const before = await checksum();
    const loose = ok(await h.gql(SUPERSEDE, { i: input }, nationPlanner()));
    expect(loose.supersedePlan).toEqual({ __typename: "LooserTargetsRefused", refusals: [{ indicatorCode: "AWR_IZ_WORKERS_INFORMED" }], plans: [{ plan: { id: ids.inspection } }] });
    expect(await checksum()).toEqual(before);
    const r = ok(await h.gql(SUPERSEDE, { i: { ...input, acceptLooser: true } }, nationPlanner()));
    expect(r.supersedePlan).toMatchObject({
      __typename: "PlanSuperseded",
      plan: { id: ids.haNoi, status: "SUPERSEDED", supersededBy: { id: revised } },
      by: { id: revised, status: "ACTIVE" },
      movedChildren: [{ id: ids.inspection, parentPlan: { id: revised } }],
      exceptions: [{ indicatorCode: "AWR_IZ_WORKERS_INFORMED", occasion: "SUPERSEDE" }],
    });
    const actions = await h.dataSource.query(
      `SELECT action, plan_id FROM audit_log WHERE request_id = (SELECT request_id FROM audit_log WHERE action = 'plan.supersede' AND plan_id = $1) ORDER BY action`,
      [ids.haNoi],
    );
    expect(actions).toEqual([
      { action: "plan.activate", plan_id: revised },
      { action: "plan.move", plan_id: ids.inspection },
      { action: "plan.supersede", plan_id: ids.haNoi },
    ]);
    // Hà Nội's third quarter is judged against 06/KH-UBND, which inherits from the revised plan
    const q3 = ok(await h.gql(EFFECTIVE, { c: "01", p: "2026-Q3" }, haNoiPlanner())).effectiveTargets;
    expect(q3).toContainEqual({ indicatorCode: "AWR_COMMUNE_ACTIVITY", provenance: "INHERITED", sourcePlanDocument: "07a/KH-UBND", value: { share: 100 } });
    expect(q3).toContainEqual({ indicatorCode: "AWR_IZ_WORKERS_INFORMED", provenance: "OWN", sourcePlanDocument: "06/KH-UBND", value: { share: 66 } });
    // nothing leaves SUPERSEDED
    const oldVersion = await version(ids.haNoi!);
    await refused(() => h.gql(ACTIVATE, { i: { planId: ids.haNoi, version: oldVersion, reason: "lại" } }, nationPlanner()), "CONFLICT", "input.planId");
  });
});

describe("Hạ Long in 2025, on the tree of the day (a server as on 2025-06-30)", () => {
  let d: Harness;
  const plans: Record<string, string> = {};
  const qnPlanner = () => d.token("22", [Role.VIEWER, Role.PLANNER], "planner-qn");
  const haLongPlanner = () => d.token("193", [Role.VIEWER, Role.PLANNER], "planner-hl");
  const sums = async () => {
    const out: Record<string, string> = {};
    for (const table of ["plan", "target", "plan_exception", "audit_log"]) {
      out[table] = (await d.dataSource.query(`SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS s FROM ${table} t`))[0].s;
    }
    return out;
  };
  const create = async (token: string, parentPlanId: string, doc: string, periodStart: string, periodEnd: string) => {
    const r = await d.gql(CREATE, { i: { parentPlanId, unitCode: "193", title: `Kế hoạch ${doc} của TP Hạ Long`, documentNumber: doc, periodStart, periodEnd, reason: "kế hoạch" } }, token);
    expect(r.errors).toBeUndefined();
    return r.data.createPlan.id as string;
  };

  beforeAll(async () => {
    d = await startHarness({ today: "2025-06-30" });
    const r = await d.gql(`{ plans(unitCode: "22", period: "2025") { id } }`, {}, d.token("22", [Role.VIEWER]));
    plans.qn = r.data.plans[0].id;
  });
  afterAll(() => d?.close());

  it("activates Hạ Long's 2025 plan under the province's (by the province's planner); Hạ Long is judged against it", async () => {
    plans.year = await create(qnPlanner(), plans.qn!, "01/KH-UBND", "2025-01-01", "2025-12-31");
    // the district's own planner does not approve a plan under its province's
    expect(errorCode(await d.gql(ACTIVATE, { i: { planId: plans.year, version: 1, reason: "phê duyệt" } }, haLongPlanner()))).toBe("FORBIDDEN");
    const r = await d.gql(ACTIVATE, { i: { planId: plans.year, version: 1, reason: "phê duyệt" } }, qnPlanner());
    expect(r.data.activatePlan.plan.status).toBe("ACTIVE");
    const set = await d.gql(SET, { i: { planId: plans.year, version: 2, reason: "chỉ tiêu", targets: [{ indicator: "AWR_COMMUNE_ACTIVITY", kind: "SHARE_FLOOR", share: 80 }] } }, qnPlanner());
    expect(set.data.setTargets.__typename).toBe("TargetsSet");
    const eff = await d.gql(EFFECTIVE, { c: "193", p: "2025-H1" }, haLongPlanner());
    expect(eff.data.effectiveTargets).toContainEqual({ indicatorCode: "AWR_COMMUNE_ACTIVITY", provenance: "OWN", sourcePlanDocument: "01/KH-UBND", value: { share: 80 } });
  });

  it("refuses a second, half-year 2025 plan beside it, both under the province's plan, on activation; nothing written, nothing changes", async () => {
    plans.half = await create(qnPlanner(), plans.qn!, "02/KH-UBND", "2025-01-01", "2025-06-30");
    // a draft may hold any target: it changes nothing
    const set = await d.gql(SET, { i: { planId: plans.half, version: 1, reason: "chỉ tiêu", targets: [{ indicator: "AWR_COMMUNE_ACTIVITY", kind: "SHARE_FLOOR", share: 76 }] } }, qnPlanner());
    expect(set.data.setTargets.__typename).toBe("TargetsSet");
    const before = await sums();
    const r = await d.gql(ACTIVATE, { i: { planId: plans.half, version: 2, reason: "phê duyệt" } }, qnPlanner());
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.planId", otherPlanId: plans.year, otherPlanDocument: "01/KH-UBND", otherUnitCode: "193" });
    expect(r.errors![0]!.message).toMatch(/Plan 01\/KH-UBND of Thành phố Hạ Long \(193\) is already active over 2025-01-01 - 2025-12-31, which overlaps plan 02\/KH-UBND/);
    expect(await sums()).toEqual(before);
    // what Hạ Long is judged against did not move
    const eff = await d.gql(EFFECTIVE, { c: "193", p: "2025-H1" }, haLongPlanner());
    expect(eff.data.effectiveTargets).toContainEqual({ indicatorCode: "AWR_COMMUNE_ACTIVITY", provenance: "OWN", sourcePlanDocument: "01/KH-UBND", value: { share: 80 } });
  });

  it("allows a quarter plan under Hạ Long's own 2025 plan (it implements it), approved by Hạ Long's planner", async () => {
    const quarter = await create(haLongPlanner(), plans.year!, "03/KH-UBND", "2025-01-01", "2025-03-31");
    const r = await d.gql(ACTIVATE, { i: { planId: quarter, version: 1, reason: "phê duyệt" } }, haLongPlanner());
    expect(r.errors).toBeUndefined();
    expect(r.data.activatePlan.plan.status).toBe("ACTIVE");
    // closing the 2025 plan now is refused: its quarter plan is active
    const close = await d.gql(CLOSE, { i: { planId: plans.year, version: 3, reason: "đóng" } }, qnPlanner());
    expect(close.errors?.[0]?.extensions?.activeChildren).toEqual([
      { planId: quarter, documentNumber: "03/KH-UBND", title: "Kế hoạch 03/KH-UBND của TP Hạ Long", unitCode: "193", unitName: "Thành phố Hạ Long" },
    ]);
  });
});

describe("activation runs the tightening check (a server as on 2025-06-30)", () => {
  let d: Harness;
  beforeAll(async () => {
    d = await startHarness({ today: "2025-06-30" });
  });
  afterAll(() => d?.close());

  it("refuses a commune's draft that became looser than Hạ Long's plan, then activates it with the looser target recorded", async () => {
    const qn = d.token("22", [Role.VIEWER, Role.PLANNER], "planner-qn");
    const hl = d.token("193", [Role.VIEWER, Role.PLANNER], "planner-hl");
    const [{ code: commune }] = await d.dataSource.query(
      `SELECT c.code FROM org_unit c JOIN org_unit p ON p.id = c.parent_id
        WHERE p.code = '193' AND p.valid_from <= DATE '2025-01-01' AND (p.valid_to IS NULL OR p.valid_to > DATE '2025-01-01')
          AND c.valid_from <= DATE '2025-01-01' AND (c.valid_to IS NULL OR c.valid_to > DATE '2025-06-30') ORDER BY c.code LIMIT 1`,
    );
    const qnPlan = (await d.gql(`{ plans(unitCode: "22", period: "2025") { id } }`, {}, qn)).data.plans[0].id;
    const make = async (token: string, parentPlanId: string, unitCode: string, doc: string) =>
      (await d.gql(CREATE, { i: { parentPlanId, unitCode, title: `Kế hoạch ${doc}`, documentNumber: doc, periodStart: "2025-01-01", periodEnd: "2025-06-30", reason: "kế hoạch" } }, token)).data
        .createPlan.id as string;
    const district = await make(qn, qnPlan, "193", "10/KH-UBND");
    expect((await d.gql(ACTIVATE, { i: { planId: district, version: 1, reason: "phê duyệt" } }, qn)).data.activatePlan.__typename).toBe("PlanActivated");
    const ward = await make(hl, district, commune, "11/KH-UBND");
    const target = (share: number) => [{ indicator: "AWR_COMMUNE_ACTIVITY", kind: "SHARE_FLOOR", share }];
    expect((await d.gql(SET, { i: { planId: ward, version: 1, reason: "chỉ tiêu", targets: target(85) } }, hl)).data.setTargets.__typename).toBe("TargetsSet");
    // the district tightens its own plan later: the commune's draft is now looser
    expect((await d.gql(SET, { i: { planId: district, version: 2, reason: "nâng", targets: target(90) } }, qn)).data.setTargets.__typename).toBe("TargetsSet");
    const before = await d.dataSource.query(`SELECT status, version FROM plan WHERE id = $1`, [ward]);
    const refusedOnce = await d.gql(ACTIVATE, { i: { planId: ward, version: 2, reason: "phê duyệt" } }, hl);
    expect(refusedOnce.data.activatePlan).toMatchObject({
      __typename: "LooserTargetsRefused",
      refusals: [{ indicatorCode: "AWR_COMMUNE_ACTIVITY", reason: "LOOSER_THAN_PARENT", requestedValue: { share: 85 }, parentValue: { share: 90 }, parentPlanDocument: "10/KH-UBND" }],
      plans: [{ plan: { id: ward }, parentPlanId: district }],
    });
    expect(await d.dataSource.query(`SELECT status, version FROM plan WHERE id = $1`, [ward])).toEqual(before);
    expect(await d.dataSource.query(`SELECT 1 FROM plan_exception WHERE plan_id = $1`, [ward])).toEqual([]);
    const r = await d.gql(ACTIVATE, { i: { planId: ward, version: 2, reason: "xã đặc thù, giữ 85%", acceptLooser: true } }, hl);
    expect(r.data.activatePlan).toMatchObject({
      __typename: "PlanActivated",
      plan: { status: "ACTIVE" },
      exceptions: [{ indicatorCode: "AWR_COMMUNE_ACTIVITY", refusal: "LOOSER_THAN_PARENT", occasion: "ACTIVATE", reason: "xã đặc thù, giữ 85%", recordedBy: "planner-hl", value: { share: 85 }, parentValue: { share: 90 } }],
    });
  });
});

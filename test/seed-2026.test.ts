import { Role } from "../src/auth/auth.types";
import { seedCatalogAndPlans } from "../seeds/documents.seed";
import { startHarness, type Harness } from "./support/harness";

/**
 * The plans of 2026 in the default seed (seeds/plans-2026.data.ts, issue 13 item 6), read through the API on the
 * seeded database: the national 2026-2035 program still a draft, Hà Nội's 07/KH-UBND in force with no parent and
 * every number of DOMAIN-2026.md §3, and its inspection plan 06/KH-UBND with quotas that fall short of 2,937.
 */
let h: Harness;
const ids: Record<string, string> = {};
const ministry = () => h.token("VN", [Role.VIEWER], "viewer-vn");
const haNoi = () => h.token("01", [Role.VIEWER], "viewer-hn");

const PLAN = `query($id: ID!) { plan(id: $id) {
  id documentNumber title issuedOn periodStart periodEnd status inForce parentless legalBasis inheritance
  parentPlan { documentNumber } inheritsFrom { documentNumber } unit { code name } program { code }
  effectiveTargets { indicatorCode provenance inherited sourcePlanDocument parent { planDocument } comparedToParent { verdict }
    value { kind share frequencyInterval quantity unit text } indicator { nameVi nameEn quantityUnit } } } }`;
const SPLIT = `planDocument unitCode indicatorCode unit sum required shortfall excess meets named children withoutQuotaCount
  quotas { unitCode unitName quantity value { kind text } } unitsWithoutQuota { unitCode } explanation target { provenance value { text } }`;
const EFFECTIVE = `query($u: String!, $p: String!, $i: [String!]) { effectiveTargets(unitCode: $u, period: $p, indicators: $i) {
  unitCode indicatorCode provenance provenanceText inherited sourcePlanDocument sourceUnitCode value { kind quantity unit text }
  parent { isQuota planDocument value { text } } comparedToParent { verdict explanation } } }`;

type Target = { indicatorCode: string; provenance: string; value: { kind: string; text: string } };
const words = (targets: Target[]) => Object.fromEntries(targets.map((t) => [t.indicatorCode, `${t.value.kind} ${t.value.text}`]));

beforeAll(async () => {
  h = await startHarness();
  const r = await h.gql(
    `{ nation: plans(unitCode: "VN", period: "2026") { id periodEnd } haNoi: plans(unitCode: "01", period: "2026") { id documentNumber } }`,
    {},
    ministry(),
  );
  expect(r.errors).toBeUndefined();
  ids.national = r.data.nation.find((p: { periodEnd: string }) => p.periodEnd === "2035-12-31").id;
  for (const p of r.data.haNoi) ids[p.documentNumber] = p.id;
});
afterAll(() => h?.close());

describe("the national 2026-2035 program", () => {
  it("is a DRAFT of the same program with no number and no target, resting on its legal basis; nothing is judged against it", async () => {
    const r = await h.gql(PLAN, { id: ids.national }, ministry());
    expect(r.errors).toBeUndefined();
    expect(r.data.plan).toMatchObject({
      documentNumber: null,
      issuedOn: null,
      title: "Chương trình phòng, chống mại dâm giai đoạn 2026 - 2035 (dự thảo)",
      periodStart: "2026-01-01",
      periodEnd: "2035-12-31",
      status: "DRAFT",
      inForce: false,
      parentless: true,
      parentPlan: null,
      inheritsFrom: null,
      unit: { code: "VN" },
      program: { code: "PCMD_2021_2025" },
      effectiveTargets: [],
    });
    expect(r.data.plan.legalBasis).toMatch(/10\/2003\/PL-UBTVQH11.*2026-2035/);
    expect(r.data.plan.inheritance).toMatch(/no parent plan: it inherits no target/);
    expect(r.data.plan.inheritance).toMatch(/draft: not in force/);
    // the 2021-2025 program ended: the nation has no target in force for 2026
    const nation = await h.gql(EFFECTIVE, { u: "VN", p: "2026", i: null }, ministry());
    expect(nation.data.effectiveTargets).toEqual([]);
  });
});

describe("Hà Nội's 07/KH-UBND (7/1/2026)", () => {
  it("is ACTIVE with no parent, citing the Pháp lệnh and the 2021-2025 review; the API says it inherits nothing", async () => {
    const r = await h.gql(PLAN, { id: ids["07/KH-UBND"] }, haNoi());
    expect(r.errors).toBeUndefined();
    const plan = r.data.plan;
    expect(plan).toMatchObject({
      documentNumber: "07/KH-UBND",
      title: "Kế hoạch phòng, chống mại dâm trên địa bàn thành phố Hà Nội năm 2026",
      issuedOn: "2026-01-07",
      periodStart: "2026-01-01",
      periodEnd: "2026-12-31",
      status: "ACTIVE",
      inForce: true,
      parentless: true,
      parentPlan: null,
      inheritsFrom: null,
      unit: { code: "01", name: "Thành phố Hà Nội" },
      program: { code: "PCMD_2021_2025" },
      legalBasis: "Pháp lệnh phòng, chống mại dâm 10/2003/PL-UBTVQH11; kết quả thực hiện Chương trình giai đoạn 2021-2025",
    });
    expect(plan.inheritance).toMatch(/^This plan has no parent plan: it inherits no target, and only its own targets apply/);
    // its own targets only: none inherited, none compared with a parent
    expect(plan.effectiveTargets.every((t: { provenance: string; inherited: boolean; parent: unknown; comparedToParent: unknown }) =>
      t.provenance === "OWN" && !t.inherited && t.parent === null && t.comparedToParent === null)).toBe(true);
  });

  it("holds every number of the plan as a typed target, in words", async () => {
    const r = await h.gql(PLAN, { id: ids["07/KH-UBND"] }, haNoi());
    expect(words(r.data.plan.effectiveTargets)).toEqual({
      // awareness
      AWR_COMMUNE_ACTIVITY: "SHARE_FLOOR ≥ 100%",
      AWR_PRESS_FREQUENCY: "FREQUENCY at least once per month",
      AWR_TV_REPORTS: "QUANTITY_FLOOR at least 3 items",
      AWR_RESIDENTS_INFORMED: "QUANTITY_FLOOR at least 5,300 people",
      AWR_RISKY_WORKERS_INFORMED: "QUANTITY_FLOOR at least 3,500 people",
      AWR_IZ_WORKERS_INFORMED: "QUANTITY_FLOOR at least 60,000 people",
      AWR_STUDENTS_INFORMED: "QUANTITY_FLOOR at least 100,000 people",
      // training
      TRN_STAFF_TRAINED: "QUANTITY_FLOOR at least 6,000 people",
      // prevention: shares of communes on the two-tier tree
      PRV_COMMUNE_MODEL: "SHARE_FLOOR ≥ 100%",
      PRV_DISTRICT_INTEGRATION: "SHARE_FLOOR ≥ 100%",
      // enforcement
      ENF_REPORTS_HANDLED: "SHARE_FLOOR ≥ 100%",
      ENF_CRIMES_HANDLED: "QUANTITY_FLOOR at least 100 cases",
      ENF_CASES_TRIED: "QUANTITY_FLOOR at least 100 cases",
    });
  });

  it("gives a quantity target in words: the number and what it counts, and the indicator's own Vietnamese and English names", async () => {
    const r = await h.gql(PLAN, { id: ids["07/KH-UBND"] }, haNoi());
    const iz = r.data.plan.effectiveTargets.find((t: Target) => t.indicatorCode === "AWR_IZ_WORKERS_INFORMED");
    expect(iz).toMatchObject({
      value: { kind: "QUANTITY_FLOOR", share: null, quantity: 60000, unit: "PEOPLE", text: "at least 60,000 people" },
      indicator: {
        nameVi: "Tỷ lệ người lao động trong các khu công nghiệp, khu chế xuất được tuyên truyền",
        nameEn: "Industrial-zone workers informed",
        quantityUnit: "PEOPLE",
      },
    });
    const tried = r.data.plan.effectiveTargets.find((t: Target) => t.indicatorCode === "ENF_CASES_TRIED");
    expect(tried).toMatchObject({
      value: { quantity: 100, unit: "CASES", text: "at least 100 cases" },
      indicator: { nameVi: "Số vụ án liên quan đến hoạt động mại dâm được đưa ra xét xử", nameEn: "Prostitution-related criminal cases tried" },
    });
  });

  it("is what Hà Nội and its wards are judged against in 2026", async () => {
    const city = await h.gql(EFFECTIVE, { u: "01", p: "2026", i: null }, haNoi());
    expect(city.errors).toBeUndefined();
    expect(city.data.effectiveTargets).toHaveLength(13);
    expect(city.data.effectiveTargets.every((t: { provenance: string; sourcePlanDocument: string }) => t.provenance === "OWN" && t.sourcePlanDocument === "07/KH-UBND")).toBe(true);
    const ward = await h.gql(EFFECTIVE, { u: "00004", p: "2026", i: ["AWR_COMMUNE_ACTIVITY", "AWR_IZ_WORKERS_INFORMED"] }, haNoi());
    expect(ward.data.effectiveTargets).toEqual([
      expect.objectContaining({ unitCode: "00004", indicatorCode: "AWR_COMMUNE_ACTIVITY", provenance: "INHERITED", sourcePlanDocument: "07/KH-UBND", value: expect.objectContaining({ text: "≥ 100%" }) }),
      expect.objectContaining({ unitCode: "00004", indicatorCode: "AWR_IZ_WORKERS_INFORMED", provenance: "INHERITED", sourcePlanDocument: "07/KH-UBND", value: expect.objectContaining({ text: "at least 60,000 people" }) }),
    ]);
  });
});

describe("Hà Nội's inspection plan 06/KH-UBND", () => {
  it("is ACTIVE under 07/KH-UBND (same unit), over the rest of 2026, with the inspection targets of its own", async () => {
    const r = await h.gql(PLAN, { id: ids["06/KH-UBND"] }, haNoi());
    expect(r.errors).toBeUndefined();
    const plan = r.data.plan;
    expect(plan).toMatchObject({
      documentNumber: "06/KH-UBND",
      issuedOn: null,
      periodStart: "2026-01-07",
      periodEnd: "2026-12-31",
      status: "ACTIVE",
      parentless: false,
      parentPlan: { documentNumber: "07/KH-UBND" },
      inheritsFrom: { documentNumber: "07/KH-UBND" },
      unit: { code: "01" },
    });
    const own = plan.effectiveTargets.filter((t: Target) => t.provenance === "OWN");
    expect(words(own)).toEqual({
      ENF_BUSINESSES_INSPECTED_YEAR: "SHARE_FLOOR ≥ 60%",
      ENF_BUSINESSES_INSPECTED_LOCAL_TEAMS: "QUANTITY_FLOOR at least 2,937 businesses",
      ENF_CITY_SURPRISE_INSPECTIONS: "QUANTITY_FLOOR at least 40 inspections",
      ENF_LOCAL_TEAMS_GUIDED: "QUANTITY_FLOOR at least 15 items",
    });
    // the rest it inherits from 07/KH-UBND
    const inherited = plan.effectiveTargets.filter((t: Target) => t.provenance === "INHERITED");
    expect(inherited).toHaveLength(13);
    expect(inherited.every((t: { sourcePlanDocument: string }) => t.sourcePlanDocument === "07/KH-UBND")).toBe(true);
  });

  it("splits the 2,937 businesses into quotas for five named wards that fall short: how many, and which wards have none", async () => {
    const r = await h.gql(`query($id: ID!) { plan(id: $id) { quotaSplits { ${SPLIT} } } }`, { id: ids["06/KH-UBND"] }, haNoi());
    expect(r.errors).toBeUndefined();
    expect(r.data.plan.quotaSplits).toHaveLength(1);
    const split = r.data.plan.quotaSplits[0];
    expect(split).toMatchObject({
      planDocument: "06/KH-UBND",
      unitCode: "01",
      indicatorCode: "ENF_BUSINESSES_INSPECTED_LOCAL_TEAMS",
      unit: "BUSINESSES",
      sum: 400,
      required: 2937,
      shortfall: 2537,
      excess: null,
      meets: false,
      named: 5,
      children: 126,
      withoutQuotaCount: 121,
      target: { provenance: "OWN", value: { text: "at least 2,937 businesses" } },
      explanation:
        "Quotas add up to 400 businesses against the plan's at least 2,937 businesses: short by 2,537 businesses (5 of 126 child units have a quota, 121 have none).",
    });
    expect(split.quotas).toEqual([
      { unitCode: "00070", unitName: "Phường Hoàn Kiếm", quantity: 90, value: { kind: "QUANTITY_FLOOR", text: "at least 90 businesses" } },
      { unitCode: "00082", unitName: "Phường Cửa Nam", quantity: 60, value: { kind: "QUANTITY_FLOOR", text: "at least 60 businesses" } },
      { unitCode: "00103", unitName: "Phường Tây Hồ", quantity: 80, value: { kind: "QUANTITY_FLOOR", text: "at least 80 businesses" } },
      { unitCode: "00166", unitName: "Phường Cầu Giấy", quantity: 70, value: { kind: "QUANTITY_FLOOR", text: "at least 70 businesses" } },
      { unitCode: "00235", unitName: "Phường Đống Đa", quantity: 100, value: { kind: "QUANTITY_FLOOR", text: "at least 100 businesses" } },
    ]);
    const without = split.unitsWithoutQuota.map((u: { unitCode: string }) => u.unitCode);
    expect(without).toHaveLength(121);
    expect(without).toContain("00004"); // Phường Ba Đình
    for (const named of ["00070", "00082", "00103", "00166", "00235"]) expect(without).not.toContain(named);
  });

  it("shows the shortfall in the compliance report of 07/KH-UBND's subtree, and nothing looser or not comparable", async () => {
    const r = await h.gql(
      `query($id: ID!) { complianceReport(planId: $id) { plansChecked looserTargets { indicatorCode } kindMismatches { indicatorCode }
         notComparable { indicatorCode } quotaShortfalls { planDocument indicatorCode sum required shortfall withoutQuotaCount } } }`,
      { id: ids["07/KH-UBND"] },
      haNoi(),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.complianceReport).toMatchObject({
      plansChecked: 2,
      looserTargets: [],
      kindMismatches: [],
      notComparable: [],
      quotaShortfalls: [{ planDocument: "06/KH-UBND", indicatorCode: "ENF_BUSINESSES_INSPECTED_LOCAL_TEAMS", sum: 400, required: 2937, shortfall: 2537, withoutQuotaCount: 121 }],
    });
  });

  it("gives a ward with a quota its quota, 'quota from plan 06/KH-UBND', in force in 2026; a ward without one the whole", async () => {
    // (06/KH-UBND runs from 7/1/2026: a quarter inside its span; see seeds/plans-2026.data.ts)
    const r = await h.gql(EFFECTIVE, { u: "00235", p: "2026-Q2", i: ["ENF_BUSINESSES_INSPECTED_LOCAL_TEAMS"] }, haNoi());
    expect(r.errors).toBeUndefined();
    expect(r.data.effectiveTargets).toEqual([
      {
        unitCode: "00235",
        indicatorCode: "ENF_BUSINESSES_INSPECTED_LOCAL_TEAMS",
        provenance: "QUOTA",
        provenanceText: "quota from plan 06/KH-UBND (01)",
        inherited: true,
        sourcePlanDocument: "06/KH-UBND",
        sourceUnitCode: "01",
        value: { kind: "QUANTITY_FLOOR", quantity: 100, unit: "BUSINESSES", text: "at least 100 businesses" },
        parent: { isQuota: false, planDocument: "06/KH-UBND", value: { text: "at least 2,937 businesses" } },
        comparedToParent: { verdict: "NOT_COMPARED", explanation: expect.stringContaining("a part is not the whole") },
      },
    ]);
    // the ward itself reads it, and sees its own quota only
    const ward = h.token("00235", [Role.VIEWER], "viewer-dong-da");
    const own = await h.gql(EFFECTIVE, { u: "00235", p: "2026-H2", i: ["ENF_BUSINESSES_INSPECTED_LOCAL_TEAMS", "ENF_CITY_SURPRISE_INSPECTIONS"] }, ward);
    expect(own.data.effectiveTargets.map((t: { provenanceText: string; value: { text: string } }) => [t.provenanceText, t.value.text])).toEqual([
      ["quota from plan 06/KH-UBND (01)", "at least 100 businesses"],
      ["inherited from plan 06/KH-UBND (01)", "at least 40 inspections"],
    ]);
    const split = await h.gql(`query($id: ID!) { plan(id: $id) { quotaSplits { sum named quotas { unitCode } } } }`, { id: ids["06/KH-UBND"] }, ward);
    expect(split.data.plan.quotaSplits).toEqual([{ sum: 400, named: 5, quotas: [{ unitCode: "00235" }] }]);
    // Phường Ba Đình has no quota: it inherits the city's whole
    const none = await h.gql(EFFECTIVE, { u: "00004", p: "2026-Q3", i: ["ENF_BUSINESSES_INSPECTED_LOCAL_TEAMS"] }, haNoi());
    expect(none.data.effectiveTargets).toEqual([expect.objectContaining({ provenance: "INHERITED", sourcePlanDocument: "06/KH-UBND", value: expect.objectContaining({ quantity: 2937 }) })]);
  });
});

// (before the roll-up below, which reports on the indicators this removes and seeds again)
describe("the seed itself", () => {
  it("is idempotent: a second run adds nothing; on a database seeded before 2026 it adds the 2026 plans and their indicators", async () => {
    const counts = async () =>
      (
        await h.dataSource.query(
          `SELECT (SELECT count(*)::int FROM plan) AS plans, (SELECT count(*)::int FROM target) AS targets,
                  (SELECT count(*)::int FROM target_quota) AS quotas, (SELECT count(*)::int FROM indicator) AS indicators`,
        )
      )[0];
    const before = await counts();
    const again = await h.dataSource.transaction((m) => seedCatalogAndPlans(m));
    expect(again).toMatchObject({ indicatorsAdded: [], plansAdded: [], plansSkipped: [] });
    expect(await counts()).toEqual(before);

    // as a database seeded before: no 2026 plan, none of the indicators added for them
    await h.dataSource.query(`DELETE FROM plan WHERE period_start >= DATE '2026-01-01' AND parent_plan_id IS NOT NULL`);
    await h.dataSource.query(`DELETE FROM plan WHERE period_start >= DATE '2026-01-01'`);
    const added = ["AWR_TV_REPORTS", "AWR_RESIDENTS_INFORMED", "PRV_COMMUNE_MODEL", "TRN_STAFF_TRAINED", "ENF_CASES_TRIED",
      "ENF_BUSINESSES_INSPECTED_LOCAL_TEAMS", "ENF_CITY_SURPRISE_INSPECTIONS", "ENF_LOCAL_TEAMS_GUIDED"];
    await h.dataSource.query(`DELETE FROM indicator WHERE code = ANY($1)`, [added]);
    const loaded = await h.dataSource.transaction((m) => seedCatalogAndPlans(m));
    expect(loaded).toMatchObject({ indicatorsAdded: added, plansAdded: ["national-2026-2035", "ha-noi-2026", "ha-noi-2026-inspection"], plansSkipped: [] });
    expect(await counts()).toEqual(before);
  });
});

describe("status against 06/KH-UBND's quantities in a roll-up", () => {
  it("2026-Q3: a ward's businesses inspected so far against its quota, the city's against 2,937, with the gaps", async () => {
    const reporter = h.token("01", [Role.REPORTER, Role.VIEWER], "reporter-hn");
    const LOCAL = "ENF_BUSINESSES_INSPECTED_LOCAL_TEAMS";
    const submitted = await h.gql(
      `mutation($rows: [ReportRowInput!]!) { submitReports(input: { rows: $rows }) { inserted } }`,
      {
        rows: [
          { unitCode: "00235", indicatorCode: LOCAL, period: "2026-Q3", value: 64 }, // Phường Đống Đa, quota 100
          { unitCode: "00070", indicatorCode: LOCAL, period: "2026-Q3", value: 95 }, // Phường Hoàn Kiếm, quota 90
          { unitCode: "00004", indicatorCode: LOCAL, period: "2026-Q3", value: 30 }, // Phường Ba Đình, no quota
        ],
      },
      reporter,
    );
    expect(submitted.errors).toBeUndefined();
    const r = await h.gql(
      `query($i: [String!]) { rollup(unitCode: "01", period: "2026-Q3", indicators: $i) {
         cells { indicatorCode quantityUnit status required measured gap target { provenance provenanceText value { text } } }
         children { unit { code } cells { status required measured gap target { provenance provenanceText } } } } }`,
      { i: [LOCAL] },
      reporter,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.rollup.cells[0]).toMatchObject({
      indicatorCode: LOCAL,
      quantityUnit: "BUSINESSES",
      // 3 of the city's 126 communes and wards reported: below the indicator's minimum completeness (50%), the city is not
      // judged yet (issue 15); its sum, the requirement and the gap so far are still shown
      status: "INSUFFICIENT_DATA",
      required: 2937,
      measured: 189,
      gap: 2748,
      target: { provenance: "OWN", provenanceText: "own target of plan 06/KH-UBND (01)", value: { text: "at least 2,937 businesses" } },
    });
    const child = (code: string) => r.data.rollup.children.find((c: { unit: { code: string } }) => c.unit.code === code).cells[0];
    expect(child("00235")).toMatchObject({ status: "NOT_MET", required: 100, measured: 64, gap: 36, target: { provenance: "QUOTA", provenanceText: "quota from plan 06/KH-UBND (01)" } });
    expect(child("00070")).toMatchObject({ status: "MET", required: 90, measured: 95, gap: -5, target: { provenance: "QUOTA" } });
    // a ward without a quota is judged against the whole, as any inherited quantity
    expect(child("00004")).toMatchObject({ status: "NOT_MET", required: 2937, measured: 30, target: { provenance: "INHERITED" } });
  });
});

import { Role } from "../src/auth/auth.types";
import { buildAppSchema } from "../src/schema/build-schema";
import { loadAppRole } from "../src/db/app-role";
import { startHarness, type GqlResult, type Harness } from "./support/harness";

/**
 * The isolation matrix, generated from the schema: EVERY Query and Mutation field of the built
 * schema must have an entry below (the first test fails naming any field without one, so a new
 * field cannot ship untested). Each entry says how to call the field with arguments that point at
 * another tenant's resources, and optionally how to call it on the caller's own or ancestors'
 * resources where the answer must not show the other tenant.
 *
 * Callers (each against its own victim):
 * - a sibling commune (commune A of Hạ Long → commune B of Hạ Long),
 * - a sibling district (Cẩm Phả → Hạ Long and its communes),
 * - another province (TP Hồ Chí Minh → Quảng Ninh),
 * - a viewer, and a reporter, of Quảng Ninh where a planner (or reporter) is needed (own resources),
 * - a district planner on its province's plan, a province planner on a commune's plan (planners
 *   edit their own unit's plans and their direct children's only),
 * - no token at all.
 * Expected: refused (NOT_FOUND / FORBIDDEN / UNAUTHENTICATED) or filtered (nothing of the victim in
 * the answer), and the database unchanged (checksum of every table the app role can touch).
 */

interface Call {
  query: string;
  variables?: Record<string, unknown>;
}

/** Resources of a victim, in the victim's own subtree. */
interface Victim {
  unitCode: string;
  planId: string;
  /** a unit under the victim's unit (the unit itself for a commune) */
  childUnitCode: string;
  /** a commune in the victim's subtree (reports) */
  communeCode: string;
  /** an indicator the victim's plan can assign to childUnitCode */
  assignIndicator: string;
  /** codes, ids, names and titles that must never appear in an attacker's answer */
  markers: string[];
}

/** The attacker's own resources and its ancestors' (which it may read). */
interface Attacker {
  unitCode: string;
  parentCode: string;
  parentPlanId: string;
  ownPlanId: string;
}

interface Entry {
  /**
   * scoped: another tenant's resource is refused; catalog: global data everyone reads;
   * nationOnly: only the ministry's token may call it.
   */
  kind: "scoped" | "catalog" | "nationOnly";
  /** the role a mutation needs (the role scenario calls it without) */
  needs?: Role;
  /** a call pointing at the victim's resources */
  pointed: (v: Victim) => Call | Promise<Call>;
  /**
   * A typed refusal instead of NOT_FOUND/FORBIDDEN, where the field answers one (it must say no
   * more than it would for a resource that does not exist).
   */
  refusedAs?: (result: GqlResult) => boolean;
  /** calls on the attacker's own or ancestors' resources: allowed, but must not show the victim */
  filtered?: (a: Attacker, v: Victim) => Call[];
}

let h: Harness;
const plans: Record<string, string> = {};
const PERIOD = "2024";

/** Fresh codes for the creating probes (each call, the owner's control included, must be able to succeed). */
let probes = 0;
const probeUnitCode = () => `Z${String(++probes).padStart(4, "0")}`;
const probeIndicatorCode = () => `ISOLATION_PROBE_${++probes}`;
const unitName = async (code: string) =>
  (await h.dataSource.query(`SELECT name FROM org_unit WHERE code = $1 AND valid_to IS NULL`, [code]))[0].name as string;

const version = async (planId: string) => {
  const [{ version }] = await h.dataSource.query(`SELECT version FROM plan WHERE id = $1`, [planId]);
  return version as number;
};

const MATRIX: Record<"Query" | "Mutation", Record<string, Entry>> = {
  Query: {
    orgUnit: {
      kind: "scoped",
      pointed: (v) => ({ query: `query($c: String!) { orgUnit(code: $c) { code name } }`, variables: { c: v.unitCode } }),
      filtered: (a) => [
        {
          query: `query($c: String!) { orgUnit(code: $c) { code name children(first: 200) { totalCount nodes { code name } } } }`,
          variables: { c: a.parentCode },
        },
        { query: `query($c: String!) { orgUnit(code: $c) { ancestors { code name } parent { code } province { code } district { code } } }`, variables: { c: a.unitCode } },
      ],
    },
    searchOrgUnits: {
      kind: "scoped",
      pointed: (v) => ({ query: `query($u: String!) { searchOrgUnits(text: "a", under: $u) { nodes { code name } } }`, variables: { u: v.unitCode } }),
      filtered: (_a, v) => [
        { query: `query($t: String!) { searchOrgUnits(text: $t, first: 200) { totalCount nodes { code name } } }`, variables: { t: v.markers.find((m) => /\s/.test(m)) ?? "a" } },
        { query: `{ searchOrgUnits(text: "a", first: 200) { totalCount nodes { code name } } }` },
      ],
    },
    plan: {
      kind: "scoped",
      pointed: (v) => ({ query: `query($id: ID!) { plan(id: $id) { id title } }`, variables: { id: v.planId } }),
      filtered: (a) => [
        {
          query: `query($id: ID!) { plan(id: $id) { id title childPlans { id title unit { code name } } parentPlan { id } } }`,
          variables: { id: a.parentPlanId },
        },
        { query: `query($id: ID!) { plan(id: $id) { id assignments { indicatorCode unitCodes unitNames } } }`, variables: { id: a.parentPlanId } },
      ],
    },
    plans: {
      kind: "scoped",
      pointed: (v) => ({ query: `query($c: String!) { plans(unitCode: $c) { id title } }`, variables: { c: v.unitCode } }),
      filtered: (a) => [
        { query: `query($c: String!) { plans(unitCode: $c) { id title childPlans { id title } } }`, variables: { c: a.parentCode } },
      ],
    },
    indicator: { kind: "catalog", pointed: () => ({ query: `{ indicator(code: "AWR_COMMUNE_ACTIVITY") { code nameVi } }` }) },
    indicators: { kind: "catalog", pointed: () => ({ query: `{ indicators { code nameVi } }` }) },
    effectiveTargets: {
      kind: "scoped",
      pointed: (v) => ({
        query: `query($c: String!, $p: String!) { effectiveTargets(unitCode: $c, period: $p) { indicatorCode sourceUnitCode sourcePlanId } }`,
        variables: { c: v.unitCode, p: PERIOD },
      }),
      filtered: (a) => [
        {
          query: `query($c: String!, $p: String!) { effectiveTargets(unitCode: $c, period: $p) { indicatorCode sourceUnitCode sourcePlanId planId } }`,
          variables: { c: a.unitCode, p: PERIOD },
        },
      ],
    },
    targetChain: {
      kind: "scoped",
      pointed: (v) => ({
        query: `query($id: ID!) { targetChain(planId: $id, indicator: "AWR_COMMUNE_ACTIVITY") { __typename } }`,
        variables: { id: v.planId },
      }),
      filtered: (a) => [
        { query: `query($id: ID!) { targetChain(planId: $id, indicator: "AWR_COMMUNE_ACTIVITY") { __typename } }`, variables: { id: a.parentPlanId } },
      ],
    },
    targetHistory: {
      kind: "scoped",
      pointed: (v) => ({
        query: `query($id: ID!) { targetHistory(planId: $id, indicator: "AWR_COMMUNE_ACTIVITY") { __typename } }`,
        variables: { id: v.planId },
      }),
    },
    complianceReport: {
      kind: "scoped",
      pointed: (v) => ({ query: `query($id: ID!) { complianceReport(planId: $id) { plansChecked } }`, variables: { id: v.planId } }),
      filtered: (a) => [
        {
          query: `query($id: ID!) { complianceReport(planId: $id) { plansChecked unitsWithoutPlan { __typename }
                    failingAssignments { unitCodes unitNames } looserTargets { __typename } } }`,
          variables: { id: a.parentPlanId },
        },
      ],
    },
    rollup: {
      kind: "scoped",
      pointed: (v) => ({
        query: `query($c: String!, $p: String!) { rollup(unitCode: $c, period: $p) { unit { code } cells { value } } }`,
        variables: { c: v.unitCode, p: PERIOD },
      }),
      filtered: (a) => [
        {
          query: `query($c: String!, $p: String!) { rollup(unitCode: $c, period: $p) { unit { code } children { unit { code name } cells { value } } } }`,
          variables: { c: a.parentCode, p: PERIOD },
        },
        {
          query: `query($c: String!, $p: String!) { rollup(unitCode: $c, period: $p) { unit { code } cells { value unitsReported } children { unit { code name } } } }`,
          variables: { c: a.unitCode, p: PERIOD },
        },
      ],
    },
    nationalComparison: {
      kind: "nationOnly",
      pointed: () => ({ query: `query($p: String!) { nationalComparison(period: $p) { provinces { unit { code } } } }`, variables: { p: PERIOD } }),
    },
    nationalComparisonCsv: {
      kind: "nationOnly",
      pointed: () => ({ query: `query($p: String!) { nationalComparisonCsv(period: $p) }`, variables: { p: PERIOD } }),
    },
  },
  Mutation: {
    createPlan: {
      kind: "scoped",
      needs: Role.PLANNER,
      pointed: (v) => ({
        query: `mutation($i: CreatePlanInput!) { createPlan(input: $i) { id } }`,
        variables: {
          i: { parentPlanId: v.planId, unitCode: v.unitCode, title: "Isolation probe plan", periodStart: "2024-01-01", periodEnd: "2024-12-31", reason: "probe" },
        },
      }),
    },
    setTargets: {
      kind: "scoped",
      needs: Role.PLANNER,
      pointed: async (v) => ({
        query: `mutation($i: SetTargetsInput!) { setTargets(input: $i) { __typename } }`,
        variables: {
          i: { planId: v.planId, version: await version(v.planId), reason: "probe", targets: [{ indicator: "AWR_COMMUNE_ACTIVITY", kind: "SHARE_FLOOR", share: 95 }] },
        },
      }),
    },
    removeTarget: {
      kind: "scoped",
      needs: Role.PLANNER,
      pointed: async (v) => ({
        query: `mutation($i: RemoveTargetInput!) { removeTarget(input: $i) { __typename } }`,
        variables: { i: { planId: v.planId, version: await version(v.planId), indicator: "AWR_COMMUNE_ACTIVITY", reason: "probe" } },
      }),
    },
    assignTarget: {
      kind: "scoped",
      needs: Role.PLANNER,
      pointed: async (v) => ({
        query: `mutation($i: AssignTargetInput!) { assignTarget(input: $i) { __typename } }`,
        variables: {
          i: { planId: v.planId, version: await version(v.planId), indicator: v.assignIndicator, unitCodes: [v.childUnitCode], reason: "probe" },
        },
      }),
    },
    assignQuotas: {
      kind: "scoped",
      needs: Role.PLANNER,
      pointed: async (v) => ({
        query: `mutation($i: AssignQuotasInput!) { assignQuotas(input: $i) { sum shortfall quotas { unitCode } unitsWithoutQuota { unitCode unitName } } }`,
        variables: {
          i: { planId: v.planId, version: await version(v.planId), indicator: "AWR_IZ_WORKERS_INFORMED", quotas: [{ unitCode: v.childUnitCode, quantity: 1 }], reason: "probe" },
        },
      }),
    },
    setPlanningFigures: {
      kind: "scoped",
      needs: Role.PLANNER,
      pointed: async (v) => ({
        query: `mutation($i: SetPlanningFiguresInput!) { setPlanningFigures(input: $i) { __typename } }`,
        variables: {
          i: { planId: v.planId, version: await version(v.planId), figures: [{ indicator: "AWR_IZ_WORKERS_INFORMED", denominator: 1000 }], reason: "probe" },
        },
      }),
    },
    submitReports: {
      kind: "scoped",
      needs: Role.REPORTER,
      pointed: (v) => ({
        query: `mutation($i: SubmitReportsInput!) { submitReports(input: $i) { inserted updated } }`,
        variables: { i: { idempotencyKey: `probe-${v.communeCode}`, rows: [{ unitCode: v.communeCode, indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2024-Q1", value: 1 }] } },
      }),
      // the batch is refused as a whole, the row's unit answered as unknown, as a code that does not exist would be
      refusedAs: (r) =>
        r.errors?.[0]?.extensions?.code === "BAD_USER_INPUT" &&
        (r.errors[0].extensions.invalidRows as Array<{ code: string; field: string }>).every((e) => e.code === "UNKNOWN_UNIT" && e.field === "unitCode"),
    },
    createOrgUnit: {
      kind: "scoped",
      needs: Role.ADMIN,
      // the parent is the victim's unit; for the owner's control (Quảng Ninh) that makes a new district, with a fresh code each call
      // (for a district or commune parent the type would not fit: the scope must be refused before the type is looked at)
      pointed: (v) => ({
        query: `mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { code name parent { code } } }`,
        variables: { i: { parentCode: v.unitCode, code: probeUnitCode(), name: "Huyện Isolation Probe", type: "Huyện", reason: "probe" } },
      }),
    },
    updateOrgUnit: {
      kind: "scoped",
      needs: Role.ADMIN,
      // a unit under the victim's (the victim itself for a commune), renamed to the name it has: the owner's control changes nothing but the audit log
      pointed: async (v) => ({
        query: `mutation($i: UpdateOrgUnitInput!) { updateOrgUnit(input: $i) { code name } }`,
        variables: { i: { code: v.childUnitCode, name: await unitName(v.childUnitCode), reason: "probe" } },
      }),
    },
    createIndicator: {
      kind: "nationOnly",
      needs: Role.ADMIN,
      pointed: () => ({
        query: `mutation($i: CreateIndicatorInput!) { createIndicator(input: $i) { code } }`,
        variables: {
          i: {
            code: probeIndicatorCode(), nameVi: "Chỉ số thử", nameEn: "Isolation probe", area: "TRAINING", valueKind: "COUNT",
            direction: "HIGHER_IS_BETTER", rollupRule: "SUM", reportingLevel: "PROVINCE", periodType: "YEAR", periodRule: "SUM",
            measuredOn: "probes", reason: "probe",
          },
        },
      }),
    },
    updateIndicator: {
      kind: "nationOnly",
      needs: Role.ADMIN,
      // the English name it already has: the ministry's control changes nothing but the audit log
      pointed: async () => ({
        query: `mutation($i: UpdateIndicatorInput!) { updateIndicator(input: $i) { code nameEn } }`,
        variables: {
          i: {
            code: "AWR_COMMUNE_ACTIVITY",
            nameEn: (await h.dataSource.query(`SELECT name_en FROM indicator WHERE code = 'AWR_COMMUNE_ACTIVITY'`))[0].name_en,
            reason: "probe",
          },
        },
      }),
    },
  },
};

interface Scenario {
  name: string;
  token: () => string;
  attacker: Attacker;
  victim: Victim;
  /** the token's roles: only mutations needing another role are called (the victim is the caller's own) */
  rolesOnly?: Role[];
  /** a planner outside the write rule (up the tree, or two levels down): only planner mutations are called */
  plannerWritesOnly?: boolean;
}
let scenarios: Scenario[] = [];

async function checksum(): Promise<Record<string, string>> {
  const app = loadAppRole({ ...process.env, NODE_ENV: "test" }).user;
  const tables: Array<{ name: string }> = await h.dataSource.query(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND has_table_privilege($1, c.oid, 'INSERT, UPDATE, DELETE')
      ORDER BY 1`,
    [app],
  );
  const sums: Record<string, string> = {};
  for (const { name } of tables) {
    const [{ sum }] = await h.dataSource.query(`SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS sum FROM ${name} t`);
    sums[name] = sum;
  }
  return sums;
}

const REFUSED = ["NOT_FOUND", "FORBIDDEN"];

/** The answer shows nothing of the victim (the arguments the caller sent may be echoed in errors). */
function expectNoLeak(result: GqlResult, victim: Victim, label: string) {
  const data = JSON.stringify(result.data ?? null);
  const leaked = victim.markers.filter((m) => data.includes(JSON.stringify(m)));
  expect({ label, leaked }).toEqual({ label, leaked: [] });
  const errors = JSON.stringify(result.errors ?? []);
  const named = victim.markers.filter((m) => /\s/.test(m) && errors.includes(m));
  expect({ label, namedInErrors: named }).toEqual({ label, namedInErrors: [] });
}

function expectRefused(result: GqlResult, label: string, codes = REFUSED) {
  const code = result.errors?.[0]?.extensions?.code;
  expect({ label, code: codes.includes(code as string) ? "refused" : code }).toEqual({ label, code: "refused" });
  const rootValue = result.data ? Object.values(result.data)[0] : null;
  expect({ label, data: rootValue ?? null }).toEqual({ label, data: null });
}

beforeAll(async () => {
  h = await startHarness();
  const q = (sql: string, params: unknown[] = []) => h.dataSource.query(sql, params);
  const unit = async (code: string) => (await q(`SELECT id, code, name, path FROM org_unit WHERE code = $1 AND valid_to IS NULL`, [code]))[0];
  const qn = await unit("22");
  const haLong = await unit("193");
  const camPha = await unit("195");
  const hcmc = await unit("79");
  const [communeA, communeB] = await q(`SELECT code FROM org_unit WHERE parent_id = $1 AND valid_to IS NULL ORDER BY code LIMIT 2`, [haLong.id]);
  const [camPhaCommune] = await q(`SELECT code FROM org_unit WHERE parent_id = $1 AND valid_to IS NULL ORDER BY code LIMIT 1`, [camPha.id]);
  const planOf = async (code: string) =>
    (await q(`SELECT p.id FROM plan p JOIN org_unit u ON u.id = p.unit_id WHERE u.code = $1 ORDER BY p.period_start LIMIT 1`, [code]))[0]?.id as string;
  plans.VN = await planOf("VN");
  plans["22"] = await planOf("22");
  plans["79"] = await planOf("79");
  // district and commune plans under Quảng Ninh's, each with a target (fixtures written as the owner)
  const addPlan = async (code: string, parent: string) => {
    const [{ id }] = await q(
      `INSERT INTO plan (program_id, unit_id, parent_plan_id, title, period_start, period_end, created_by)
       SELECT p.program_id, u.id, p.id, 'Isolation fixture plan ' || u.code, DATE '2021-01-01', DATE '2025-12-31', 'fixture'
         FROM plan p, org_unit u WHERE p.id = $1 AND u.code = $2 AND u.valid_to IS NULL RETURNING id`,
      [parent, code],
    );
    await q(
      `INSERT INTO target (plan_id, indicator_id, kind, share, updated_by)
       SELECT $1, id, 'share_floor', 80, 'fixture' FROM indicator WHERE code = 'AWR_COMMUNE_ACTIVITY'`,
      [id],
    );
    plans[code] = id;
    return id as string;
  };
  await addPlan("193", plans["22"]!);
  await addPlan("195", plans["22"]!);
  await addPlan(communeA.code, plans["193"]!);
  await addPlan(communeB.code, plans["193"]!);
  await addPlan(camPhaCommune.code, plans["195"]!);
  await q(
    `INSERT INTO report (unit_id, indicator_id, period_code, period_type, period_start, period_end, value, submitted_by)
     SELECT u.id, i.id, '2024-Q1', 'quarter', DATE '2024-01-01', DATE '2024-03-31', 1, 'fixture'
       FROM org_unit u, indicator i WHERE u.code = ANY($1) AND u.valid_to IS NULL AND i.code = 'AWR_COMMUNE_ACTIVITY'`,
    [[communeA.code, communeB.code, camPhaCommune.code]],
  );

  const subtree = async (path: string) =>
    (await q(`SELECT code, name FROM org_unit WHERE path LIKE $1 || '%'`, [path])) as Array<{ code: string; name: string }>;
  const plansUnder = async (path: string) =>
    (await q(`SELECT id, title FROM plan WHERE unit_path LIKE $1 || '%'`, [path])) as Array<{ id: string; title: string }>;
  const markers = async (path: string, name: string) => {
    const units = await subtree(path);
    const ps = await plansUnder(path);
    return [...units.map((u) => u.code), name, ...ps.map((p) => p.id), ...ps.map((p) => p.title).filter((t) => t.startsWith("Isolation fixture"))];
  };
  const communeBUnit = await unit(communeB.code);
  const all = [Role.VIEWER, Role.REPORTER, Role.PLANNER, Role.ADMIN];
  scenarios = [
    {
      name: "sibling commune",
      token: () => h.token(communeA.code, all, "attacker-commune"),
      attacker: { unitCode: communeA.code, parentCode: "193", parentPlanId: plans["193"]!, ownPlanId: plans[communeA.code]! },
      victim: {
        unitCode: communeB.code,
        planId: plans[communeB.code]!,
        childUnitCode: communeB.code,
        communeCode: communeB.code,
        assignIndicator: "AWR_COMMUNE_ACTIVITY",
        markers: await markers(communeBUnit.path, communeBUnit.name),
      },
    },
    {
      name: "sibling district",
      token: () => h.token("195", all, "attacker-district"),
      attacker: { unitCode: "195", parentCode: "22", parentPlanId: plans["22"]!, ownPlanId: plans["195"]! },
      victim: {
        unitCode: "193",
        planId: plans["193"]!,
        childUnitCode: communeA.code,
        communeCode: communeA.code,
        assignIndicator: "AWR_COMMUNE_ACTIVITY",
        markers: await markers(haLong.path, haLong.name),
      },
    },
    {
      name: "another province",
      token: () => h.token("79", all, "attacker-province"),
      attacker: { unitCode: "79", parentCode: "VN", parentPlanId: plans.VN!, ownPlanId: plans["79"]! },
      victim: {
        unitCode: "22",
        planId: plans["22"]!,
        childUnitCode: "193",
        communeCode: communeA.code,
        assignIndicator: "PRV_DISTRICT_INTEGRATION",
        markers: await markers(qn.path, qn.name),
      },
    },
  ];
  const own: Victim = { ...scenarios[2]!.victim, markers: [] };
  const ownAttacker: Attacker = { unitCode: "22", parentCode: "VN", parentPlanId: plans.VN!, ownPlanId: plans["22"]! };
  scenarios.push(
    { name: "viewer of the province", token: () => h.token("22", [Role.VIEWER], "viewer"), attacker: ownAttacker, victim: own, rolesOnly: [Role.VIEWER] },
    { name: "reporter of the province", token: () => h.token("22", [Role.REPORTER], "reporter"), attacker: ownAttacker, victim: own, rolesOnly: [Role.REPORTER] },
    // a district planner may not edit its province's plan; a province planner not a commune's (two levels down)
    {
      name: "district planner on its province's plan",
      token: () => h.token("193", [Role.VIEWER, Role.PLANNER], "district-planner"),
      attacker: { unitCode: "193", parentCode: "22", parentPlanId: plans["22"]!, ownPlanId: plans["193"]! },
      victim: own,
      plannerWritesOnly: true,
    },
    {
      name: "province planner on a commune's plan",
      token: () => h.token("22", [Role.VIEWER, Role.PLANNER], "province-planner"),
      attacker: ownAttacker,
      victim: { ...scenarios[0]!.victim, markers: [] },
      plannerWritesOnly: true,
    },
  );
  expect(hcmc.code).toBe("79");
});
afterAll(() => h?.close());

describe("the README's scope examples", () => {
  it("a district sees its ancestors, not its sibling nor another province, and its parent's children are filtered", async () => {
    const haLong = h.token("193", [Role.VIEWER]);
    expect((await h.gql(`{ orgUnit(code: "22") { name } }`, {}, haLong)).data.orgUnit.name).toMatch(/Quảng Ninh/);
    expect((await h.gql(`{ orgUnit(code: "195") { name } }`, {}, haLong)).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect((await h.gql(`{ plans(unitCode: "79") { id } }`, {}, haLong)).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const children = await h.gql(`{ orgUnit(code: "22") { children { totalCount nodes { code } } } }`, {}, haLong);
    expect(children.data.orgUnit.children).toEqual({ totalCount: 1, nodes: [{ code: "193" }] });
  });
});

describe("the isolation matrix", () => {
  it("has an entry for every Query and Mutation field of the schema (and none for fields that are gone)", async () => {
    const schema = await buildAppSchema();
    for (const root of ["Query", "Mutation"] as const) {
      const type = root === "Query" ? schema.getQueryType() : schema.getMutationType();
      const fields = Object.keys(type?.getFields() ?? {}).sort();
      const entries = Object.keys(MATRIX[root]).sort();
      expect({ root, missing: fields.filter((f) => !entries.includes(f)) }).toEqual({ root, missing: [] });
      expect({ root, stale: entries.filter((f) => !fields.includes(f)) }).toEqual({ root, stale: [] });
    }
    expect(schema.getSubscriptionType()).toBeFalsy();
  });

  const fields = (["Query", "Mutation"] as const).flatMap((root) => Object.keys(MATRIX[root]).map((name) => [root, name] as const));

  it.each(fields)("%s.%s refuses or filters every other tenant and changes nothing", async (root, field) => {
    const entry = MATRIX[root][field]!;
    const before = await checksum();
    for (const s of scenarios) {
      const label = `${field} as ${s.name}`;
      if (s.plannerWritesOnly) {
        if (entry.needs !== Role.PLANNER) continue;
        const call = await entry.pointed(s.victim);
        expectRefused(await h.gql(call.query, call.variables, s.token()), label);
        continue;
      }
      if (s.rolesOnly) {
        // the caller's own resources, without the role the mutation needs
        if (!entry.needs || s.rolesOnly.includes(entry.needs)) continue;
        const call = await entry.pointed(s.victim);
        expectRefused(await h.gql(call.query, call.variables, s.token()), label, ["FORBIDDEN"]);
        continue;
      }
      const call = await entry.pointed(s.victim);
      const result = await h.gql(call.query, call.variables, s.token());
      if (entry.kind === "catalog") {
        expect({ label, errors: result.errors }).toEqual({ label, errors: undefined });
      } else if (entry.refusedAs?.(result)) {
        expect({ label, data: result.data ? Object.values(result.data)[0] ?? null : null }).toEqual({ label, data: null });
      } else {
        expectRefused(result, label);
      }
      expectNoLeak(result, s.victim, label);
      for (const [i, f] of (entry.filtered?.(s.attacker, s.victim) ?? []).entries()) {
        const r = await h.gql(f.query, f.variables, s.token());
        const code = r.errors?.[0]?.extensions?.code as string | undefined;
        // allowed (the caller's own or ancestors' data) or refused; never showing the victim
        if (code) expect({ label: `${label} (filtered ${i})`, code: REFUSED.includes(code) }).toEqual({ label: `${label} (filtered ${i})`, code: true });
        expectNoLeak(r, s.victim, `${label} (filtered ${i})`);
      }
    }
    // without a token: nothing
    const anonymous = await h.gql((await entry.pointed(scenarios[2]!.victim)).query, (await entry.pointed(scenarios[2]!.victim)).variables);
    expectRefused(anonymous, `${field} anonymous`, ["UNAUTHENTICATED"]);
    expect(await checksum()).toEqual(before);

    // control: the victim's own planner/reporter gets past the scope checks with the same arguments
    const victim = scenarios[2]!.victim;
    const call = await entry.pointed(victim);
    const ownToken = entry.kind === "nationOnly" ? h.token("VN") : h.token(victim.unitCode, [Role.VIEWER, Role.REPORTER, Role.PLANNER, Role.ADMIN], "owner");
    const control = await h.gql(call.query, call.variables, ownToken);
    const controlCode = control.errors?.[0]?.extensions?.code as string | undefined;
    expect({ field, control: controlCode && [...REFUSED, "UNAUTHENTICATED"].includes(controlCode) ? controlCode : "ok" }).toEqual({ field, control: "ok" });
  });
});

import { Role } from "../src/auth/auth.types";
import { errorCode, startHarness, type GqlResult, type Harness } from "./support/harness";

/**
 * Programs (issue 13, item 1): the seed program's catalog carries over to its later national plans; a new
 * program has its own catalog; a plan of one program does not implement another's.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const CREATE_PROGRAM = `mutation($i: CreateProgramInput!) { createProgram(input: $i) { id code nameVi nameEn indicators { code reportingLevel sortOrder } } }`;
const nationAdmin = () => h.token("VN", [Role.VIEWER, Role.ADMIN], "admin-vn");

const indicator = (over: Record<string, unknown> = {}) => ({
  code: "DRG_COMMUNES_DRUG_FREE", nameVi: "Tỷ lệ xã không có ma túy", nameEn: "% of communes free of drugs", area: "PREVENTION",
  valueKind: "YES_NO", direction: "HIGHER_IS_BETTER", rollupRule: "SHARE_OF_UNITS", reportingLevel: "COMMUNE", periodType: "YEAR",
  periodRule: "LATEST", measuredOn: "communes", ...over,
});
const program = (over: Record<string, unknown> = {}) => ({
  code: "PCMT_2026_2030", nameVi: "Chương trình phòng, chống ma túy", nameEn: "Drug prevention program", reason: "chương trình mới",
  indicators: [indicator()], ...over,
});

async function checksum(): Promise<string> {
  const rows = await h.dataSource.query(
    `SELECT (SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM program t) || (SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM indicator t)
            || coalesce((SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM audit_log t), '') AS s`,
  );
  return rows[0].s;
}

async function refused(call: () => Promise<GqlResult>, code: string, field?: string) {
  const before = await checksum();
  const r = await call();
  expect({ code: errorCode(r), field: r.errors?.[0]?.extensions?.field }).toEqual({ code, field });
  expect(await checksum()).toBe(before);
}

describe("programs", () => {
  it("lists the seed program with its catalog, and a plan names its program", async () => {
    const r = await h.gql(`{ programs { code nameVi indicators { code } } plans(unitCode: "22", period: "2025") { program { code } } }`, {}, h.token("22", [Role.VIEWER]));
    expect(r.errors).toBeUndefined();
    expect(r.data.programs).toHaveLength(1);
    expect(r.data.programs[0]).toMatchObject({ code: "PCMD_2021_2025", nameVi: "Chương trình phòng, chống mại dâm" });
    expect(r.data.programs[0].indicators.length).toBeGreaterThan(10);
    expect(r.data.plans[0].program.code).toBe("PCMD_2021_2025");
  });

  it("refuses a program from anyone but the nation's admin, and bad input naming the field; writes nothing", async () => {
    await refused(() => h.gql(CREATE_PROGRAM, { i: program() }, h.token("01", [Role.ADMIN])), "FORBIDDEN");
    await refused(() => h.gql(CREATE_PROGRAM, { i: program() }, h.token("VN", [Role.PLANNER])), "FORBIDDEN");
    // the input's own shape rule answers first (class-validator names the field without the input prefix)
    await refused(() => h.gql(CREATE_PROGRAM, { i: program({ code: "pcmt 2026" }) }, nationAdmin()), "BAD_USER_INPUT", "code");
    await refused(() => h.gql(CREATE_PROGRAM, { i: program({ code: "PCMD_2021_2025" }) }, nationAdmin()), "CONFLICT", "input.code");
    await refused(() => h.gql(CREATE_PROGRAM, { i: program({ reason: "  ab  " }) }, nationAdmin()), "BAD_USER_INPUT", "input.reason");
    await refused(
      () => h.gql(CREATE_PROGRAM, { i: program({ indicators: [indicator(), indicator({ code: "DRG_X", valueKind: "COUNT" })] }) }, nationAdmin()),
      "BAD_USER_INPUT",
      "input.indicators.1.rollupRule",
    );
    await refused(() => h.gql(CREATE_PROGRAM, { i: program({ indicators: [indicator(), indicator()] }) }, nationAdmin()), "BAD_USER_INPUT", "input.indicators.1.code");
    // indicator codes are unique across programs (reports and targets name indicators by code alone)
    await refused(
      () => h.gql(CREATE_PROGRAM, { i: program({ indicators: [indicator(), indicator({ code: "AWR_COMMUNE_ACTIVITY" })] }) }, nationAdmin()),
      "CONFLICT",
      "input.indicators.1.code",
    );
  });

  it("creates a program with its own catalog, audited", async () => {
    const r = await h.gql(
      CREATE_PROGRAM,
      { i: program({ indicators: [indicator(), indicator({ code: "DRG_ADDICTS_TREATED", nameVi: "Người nghiện được cai nghiện", valueKind: "COUNT", rollupRule: "SUM", periodRule: "SUM", measuredOn: "people" })] }) },
      nationAdmin(),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.createProgram).toMatchObject({ code: "PCMT_2026_2030", nameVi: "Chương trình phòng, chống ma túy" });
    expect(r.data.createProgram.indicators.map((i: { code: string }) => i.code)).toEqual(["DRG_COMMUNES_DRUG_FREE", "DRG_ADDICTS_TREATED"]);
    const [audit] = await h.dataSource.query(`SELECT actor, reason, new_value FROM audit_log WHERE action = 'program.create'`);
    expect(audit).toEqual({
      actor: "admin-vn", reason: "chương trình mới",
      new_value: { code: "PCMT_2026_2030", nameVi: "Chương trình phòng, chống ma túy", nameEn: "Drug prevention program", indicators: ["DRG_ADDICTS_TREATED", "DRG_COMMUNES_DRUG_FREE"] },
    });
    const [{ two_tier }] = await h.dataSource.query(`SELECT reporting_level_two_tier AS two_tier FROM indicator WHERE code = 'DRG_COMMUNES_DRUG_FREE'`);
    expect(two_tier).toBe("commune");
    // every province reads the programs
    const list = await h.gql(`{ programs { code } }`, {}, h.token("12", [Role.VIEWER]));
    expect(list.errors).toBeUndefined();
  });

  it("runs its own national plan; a plan of the other program is not attached to it", async () => {
    const create = (token: string, i: Record<string, unknown>) =>
      h.gql(`mutation($i: CreatePlanInput!) { createPlan(input: $i) { id version program { code } } }`, { i: { periodStart: "2026-01-01", periodEnd: "2030-12-31", reason: "kế hoạch", ...i } }, token);
    const national = await create(nationAdmin(), { unitCode: "VN", programCode: "pcmt_2026_2030", legalBasis: "Luật Phòng, chống ma túy 2021", title: "Chương trình 2026-2030" });
    expect(national.errors).toBeUndefined();
    expect(national.data.createPlan.program.code).toBe("PCMT_2026_2030");
    const activated = await h.gql(`mutation($i: ActivatePlanInput!) { activatePlan(input: $i) { __typename } }`, { i: { planId: national.data.createPlan.id, version: 1, reason: "phê duyệt" } }, nationAdmin());
    expect(activated.data.activatePlan.__typename).toBe("PlanActivated");
    // a province plan under it belongs to it; naming the other program is refused
    const planner = h.token("01", [Role.PLANNER], "planner-hn");
    const wrong = await create(planner, { parentPlanId: national.data.createPlan.id, unitCode: "01", programCode: "PCMD_2021_2025", title: "Kế hoạch", periodEnd: "2026-12-31" });
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.programCode" });
    const child = await create(planner, { parentPlanId: national.data.createPlan.id, unitCode: "01", title: "Kế hoạch", periodEnd: "2026-12-31" });
    expect(child.data.createPlan.program.code).toBe("PCMT_2026_2030");
    // Hà Nội's prostitution-prevention plan cannot attach to the drug program's national plan
    // (the seed's 07/KH-UBND: Hà Nội's 2026 plan with no parent)
    const seeded = await h.gql(`{ plans(unitCode: "01", period: "2026") { id version documentNumber parentless } }`, {}, h.token("01", [Role.VIEWER]));
    const own = seeded.data.plans.find((p: { documentNumber: string }) => p.documentNumber === "07/KH-UBND");
    expect(own).toMatchObject({ parentless: true });
    const before = await checksum();
    const attach = await h.gql(
      `mutation($i: AttachPlanInput!) { attachPlan(input: $i) { __typename } }`,
      { i: { planId: own.id, version: own.version, parentPlanId: national.data.createPlan.id, reason: "gắn" } },
      planner,
    );
    expect(attach.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.parentPlanId" });
    expect(attach.errors![0]!.message).toMatch(/another program/);
    expect(await checksum()).toBe(before);
  });
});

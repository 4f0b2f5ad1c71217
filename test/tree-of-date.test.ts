import { Role } from "../src/auth/auth.types";
import { loadConfig, serverStartProblems } from "../src/config";
import { errorCode, startHarness, type Harness } from "./support/harness";

/**
 * Tenancy and plans across the reform of 1/7/2025: a token names a unit that exists when it is used; the
 * seeds' 2021-2025 plans stay on the units of their time and are read by their successors' users.
 */
let today: Harness;
let june2025: Harness;

beforeAll(async () => {
  today = await startHarness();
  june2025 = await startHarness({ today: "2025-06-30" });
});
afterAll(async () => {
  await today?.close();
  await june2025?.close();
});

const UNIT = `query($c: String!) { orgUnit(code: $c) { code name level asOf } }`;

describe("tokens on the tree of the day they are used", () => {
  it("refuses a district's token after the reform as any bad token, and accepts it on a day the district exists", async () => {
    const haLong = (h: Harness) => h.token("193", [Role.VIEWER]);
    // the server answers it before any resolver runs (HTTP 401: test/auth.test.ts)
    await expect(today.gql(UNIT, { c: "22" }, haLong(today))).rejects.toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });
    const then = await june2025.gql(UNIT, { c: "193" }, haLong(june2025));
    expect(then.errors).toBeUndefined();
    expect(then.data.orgUnit).toEqual({ code: "193", name: "Thành phố Hạ Long", level: "DISTRICT", asOf: "2025-06-30" });
  });

  it("resolves a reused code to the unit of the day: 91's token is the new An Giang today, old Kiên Giang in June 2025", async () => {
    const now = await today.gql(UNIT, { c: "91" }, today.token("91", [Role.VIEWER]));
    expect(now.data.orgUnit.name).toBe("Tỉnh An Giang");
    const then = await june2025.gql(UNIT, { c: "91" }, june2025.token("91", [Role.VIEWER]));
    expect(then.data.orgUnit.name).toBe("Tỉnh Kiên Giang");
  });

  it("refuses APP_TODAY in production and a malformed one anywhere, before starting", () => {
    const base = { DATABASE_URL: "postgres://x@localhost/x", METRICS_PUBLIC: "1" };
    expect(serverStartProblems(loadConfig({ ...base, NODE_ENV: "production", APP_TODAY: "2025-06-30" })).join(" ")).toMatch(/APP_TODAY is refused in production/);
    expect(serverStartProblems(loadConfig({ ...base, NODE_ENV: "development", APP_TODAY: "30/6/2025" })).join(" ")).toMatch(/APP_TODAY "30\/6\/2025" is not a date/);
    expect(serverStartProblems(loadConfig({ ...base, NODE_ENV: "development", APP_TODAY: "2025-06-30" }))).toEqual([]);
  });
});

describe("plans keep the units of their time", () => {
  const PLANS = `query($c: String!, $p: String, $d: Date) { plans(unitCode: $c, period: $p, asOf: $d) { id documentNumber unit { code name validTo } } }`;

  it("lists Kiên Giang's plans under 91 for a period of its time, none of the new An Giang's for today", async () => {
    const ministry = today.token("VN", [Role.VIEWER]);
    const old = await today.gql(PLANS, { c: "91", p: "2020" }, ministry);
    expect(old.errors).toBeUndefined();
    expect(old.data.plans.map((p: any) => [p.documentNumber, p.unit.name, p.unit.validTo])).toEqual([["94/KH-UBND", "Tỉnh Kiên Giang", "2025-07-01"]]);
    const dated = await today.gql(PLANS, { c: "91", d: "2024-06-30" }, ministry);
    expect(dated.data.plans.map((p: any) => p.documentNumber)).toEqual(["94/KH-UBND"]);
    const now = await today.gql(PLANS, { c: "91" }, ministry);
    expect(now.data.plans).toEqual([]);
  });

  it("lets the successor's users read the plans of the units they took over, and no one else's", async () => {
    const ministry = today.token("VN", [Role.VIEWER]);
    const [kienGiang] = (await today.gql(PLANS, { c: "91", p: "2020" }, ministry)).data.plans;
    const [anBien] = (await today.gql(PLANS, { c: "908", p: "2020" }, ministry)).data.plans;
    const PLAN = `query($id: ID!) { plan(id: $id) { documentNumber unit { name } parentPlan { documentNumber } } }`;
    const anGiang = today.token("91", [Role.VIEWER]);
    const read = await today.gql(PLAN, { id: anBien.id }, anGiang);
    expect(read.errors).toBeUndefined();
    expect(read.data.plan).toEqual({ documentNumber: "54/KH-UBND", unit: { name: "Huyện An Biên" }, parentPlan: { documentNumber: "94/KH-UBND" } });
    const caMau = today.token("96", [Role.VIEWER]);
    expect(errorCode(await today.gql(PLAN, { id: kienGiang.id }, caMau))).toBe("NOT_FOUND");
    expect(errorCode(await today.gql(PLANS, { c: "91", p: "2020" }, caMau))).toBe("NOT_FOUND");
  });

  it("refuses a plan whose period misses its unit's validity, through the API and in the database", async () => {
    const [national] = (await today.gql(`{ plans(unitCode: "VN", period: "2025") { id } }`, {}, today.token("VN", [Role.VIEWER]))).data.plans;
    const before = await today.dataSource.query(`SELECT count(*)::int AS n FROM plan`);
    const created = await today.gql(
      `mutation($p: ID!) { createPlan(input: { parentPlanId: $p, unitCode: "22", title: "x", periodStart: "2026-01-01", periodEnd: "2026-12-31", reason: "thử" }) { id } }`,
      { p: national.id },
      today.token("VN", [Role.PLANNER]),
    );
    // the national plan ends in 2025: the date check answers before any unit is looked up
    expect(errorCode(created)).toBe("BAD_USER_INPUT");
    const district = await today.gql(
      `mutation($p: ID!) { createPlan(input: { parentPlanId: $p, unitCode: "193", title: "Kế hoạch 2025-H2", periodStart: "2025-07-01", periodEnd: "2025-12-31", reason: "thử" }) { id } }`,
      { p: national.id },
      today.token("VN", [Role.PLANNER]),
    );
    expect(errorCode(district)).toBe("BAD_USER_INPUT");
    expect(district.errors![0]!.message).toMatch(/No unit has code "193" on 2025-07-01/);
    await expect(
      today.dataSource.query(
        `INSERT INTO plan (program_id, unit_id, title, period_start, period_end, created_by)
         SELECT p.program_id, u.id, 'x', '2026-01-01', '2026-12-31', 'test' FROM plan p, org_unit u WHERE p.id = $1 AND u.code = '193'`,
        [national.id],
      ),
    ).rejects.toThrow(/must overlap its unit's validity/);
    expect(await today.dataSource.query(`SELECT count(*)::int AS n FROM plan`)).toEqual(before);
  });
});

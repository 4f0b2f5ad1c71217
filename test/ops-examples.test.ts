import { Role } from "../src/auth/auth.types";
import {
  COMMUNE_TARGETS,
  EXAMPLE_OPERATIONS,
  INDICATOR_CATALOG,
  NATIONAL_COMPARISON,
  PROVINCE_PAGE,
  UNIT_ON_A_DATE,
} from "../src/graphiql/graphiql.examples";
import { startHarness, type Harness } from "./support/harness";

/** GraphiQL's example operations run as written on the seed data, through HTTP. */
let h: Harness;
let base: string;
beforeAll(async () => {
  h = await startHarness();
  base = `http://127.0.0.1:${await h.server.listen(0)}`;
});
afterAll(() => h.close());

async function run(query: string, operationName: string, variables: unknown, token: string) {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, operationName, variables }),
  });
  const body = (await response.json()) as any;
  expect(body.errors).toBeUndefined();
  expect(response.status).toBe(200);
  return body.data;
}

it("offers the three uses plus the catalog", () => {
  expect(EXAMPLE_OPERATIONS.map((e) => e.title)).toEqual(["Province page", "Commune targets", "National comparison", "Unit on a date", "Indicator catalog"]);
});

it("the province page works for Quảng Ninh's planner", async () => {
  const data = await run(PROVINCE_PAGE.query, "ProvincePage", JSON.parse(PROVINCE_PAGE.variables!), h.token("22", [Role.PLANNER, Role.VIEWER]));
  expect(data.rollup.unit.name).toBe("Tỉnh Quảng Ninh");
  // the example asks for 2025, whose last day is on the two-tier tree: Quảng Ninh's 54 communes, no districts
  expect(data.rollup.period).toBe("2025");
  expect(data.rollup.children).toHaveLength(54);
  expect(data.rollup.children.map((c: { unit: { code: string } }) => c.unit.code)).toContain("07192"); // Đặc khu Cô Tô
  expect(data.plans.length).toBeGreaterThan(0);
});

it("the commune-targets walk-through works step by step, and a looser target is refused", async () => {
  const planner = h.token("22", [Role.PLANNER, Role.VIEWER]);
  const vars = JSON.parse(COMMUNE_TARGETS.variables!);
  const province = await run(COMMUNE_TARGETS.query, "ProvincePlan", {}, planner);
  vars.create.parentPlanId = province.plans[0].id;
  const created = await run(COMMUNE_TARGETS.query, "CreateCommunePlan", vars, planner);
  expect(created.createPlan.unit.name).toBe("Phường Bãi Cháy");
  vars.set.planId = created.createPlan.id;
  vars.set.version = created.createPlan.version;
  const set = await run(COMMUNE_TARGETS.query, "SetCommuneTargets", vars, planner);
  expect(set.setTargets.__typename).toBe("TargetsSet");
  expect(set.setTargets.targets).toContainEqual(expect.objectContaining({ indicatorCode: "AWR_COMMUNE_ACTIVITY", inherited: false }));

  vars.set.version = set.setTargets.plan.version;
  vars.set.targets[0].share = 60; // Quảng Ninh asks ≥ 75%
  const refused = await run(COMMUNE_TARGETS.query, "SetCommuneTargets", vars, planner);
  expect(refused.setTargets.__typename).toBe("TargetsRefused");
  expect(refused.setTargets.refusals[0].indicatorCode).toBe("AWR_COMMUNE_ACTIVITY");
});

it("the national comparison works for the ministry and lists the provinces of the period's tree", async () => {
  const data = await run(NATIONAL_COMPARISON.query, "NationalComparison", JSON.parse(NATIONAL_COMPARISON.variables!), h.token("VN"));
  // 2025 ends on the two-tier tree: 34 provinces
  expect(data.nationalComparison.provinces).toHaveLength(34);
  expect(data.nationalComparison.indicators.map((i: { code: string }) => i.code)).toEqual(["AWR_COMMUNE_ACTIVITY", "ENF_CRIMES_HANDLED"]);
});

it("the catalog works", async () => {
  // a viewer of the lowest tier today: a commune (Phường Hạ Long); district tokens no longer authenticate after 1/7/2025
  const data = await run(INDICATOR_CATALOG.query, "Indicators", {}, h.token("06688", [Role.VIEWER]));
  expect(data.indicators.length).toBeGreaterThan(10);
});

it("the unit on a date: 91 is An Giang today and Kiên Giang on 2024-06-30", async () => {
  const data = await run(UNIT_ON_A_DATE.query, "UnitOnADate", {}, h.token("VN"));
  expect(JSON.stringify(data)).toContain("Tỉnh An Giang");
  expect(JSON.stringify(data)).toContain("Tỉnh Kiên Giang");
});

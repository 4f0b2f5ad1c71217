import { Role } from "../src/auth/auth.types";
import { startHarness, type Harness } from "./support/harness";

/**
 * Targets, refusals and report rows speak the caller's language (issue 15, "Language"): Vietnamese with
 * decimal commas and dot thousands (ít nhất 60.000 người, 78,6%), English as before; a refusal names the
 * parent plan by document number and unit, never by its UUID; codes stay English identifiers. The test
 * inserts a national plan and Hà Nội's plan under it as the owner; the rest goes through the API.
 */
let h: Harness;
let national: string;
let hanoi: string;
let planner: string;
let reporter: string;
const IZ = "AWR_IZ_WORKERS_INFORMED";
const ACTIVITY = "AWR_COMMUNE_ACTIVITY";

const SET = `mutation($i: SetTargetsInput!) { setTargets(input: $i) { __typename
  ... on TargetsSet { targets { indicatorCode value { text } } }
  ... on TargetsRefused { refusals { indicatorCode reason message parentPlanId parentPlanDocument parentValue { text } requestedValue { text }
      comparison { verdict explanation } } } } }`;
const EFFECTIVE = `query($u: String!, $p: String!, $i: [String!]) { effectiveTargets(unitCode: $u, period: $p, indicators: $i) {
  indicatorCode provenance provenanceText value { kind text } } }`;
const SUBMIT = `mutation($rows: [ReportRowInput!]!) { submitReports(input: { rows: $rows }) { inserted } }`;

const version = async (id: string): Promise<number> => (await h.dataSource.query(`SELECT version FROM plan WHERE id = $1`, [id]))[0].version;

beforeAll(async () => {
  h = await startHarness();
  const ministry = h.token("VN", [Role.PLANNER, Role.VIEWER, Role.ADMIN], "planner-vn");
  planner = h.token("01", [Role.PLANNER, Role.VIEWER], "planner-hn");
  reporter = h.token("01", [Role.REPORTER, Role.VIEWER], "reporter-hn");
  await h.dataSource.query(`DELETE FROM plan WHERE created_by = 'seed' AND period_start >= DATE '2026-01-01'`);
  [{ id: national }] = await h.dataSource.query(
    `INSERT INTO plan (program_id, unit_id, title, document_number, period_start, period_end, created_by)
     SELECT pr.id, u.id, 'Chương trình phòng, chống mại dâm 2026-2035 (test fixture)', 'TEST/2026-2035', '2026-01-01', '2035-12-31', 'test'
       FROM program pr, org_unit u WHERE u.code = 'VN' RETURNING id`,
  );
  [{ id: hanoi }] = await h.dataSource.query(
    `INSERT INTO plan (program_id, unit_id, parent_plan_id, title, document_number, period_start, period_end, created_by)
     SELECT pr.id, u.id, $1, 'Kế hoạch thực hiện công tác phòng, chống mại dâm năm 2026', '07/KH-UBND', '2026-01-01', '2026-12-31', 'test'
       FROM program pr, org_unit u WHERE u.code = '01' AND u.valid_to IS NULL RETURNING id`,
    [national],
  );
  const r = await h.gql(
    SET,
    { i: { planId: national, version: 1, reason: "2026-2035 program", targets: [{ indicator: ACTIVITY, kind: "SHARE_FLOOR", share: 78.6 }] } },
    ministry,
  );
  expect(r.data.setTargets.__typename).toBe("TargetsSet");
  const own = await h.gql(
    SET,
    { i: { planId: hanoi, version: 1, reason: "07/KH-UBND", targets: [{ indicator: IZ, kind: "QUANTITY_FLOOR", quantity: 60000 }] } },
    planner,
  );
  expect(own.data.setTargets.__typename).toBe("TargetsSet");
});
afterAll(() => h.close());

describe("targets in words, per language", () => {
  it.each([
    ["vi", "ít nhất 60.000 người", "≥ 78,6%", "mục tiêu riêng của kế hoạch 07/KH-UBND (01)", "kế thừa từ kế hoạch TEST/2026-2035 (VN)"],
    ["en", "at least 60,000 people", "≥ 78.6%", "own target of plan 07/KH-UBND (01)", "inherited from plan TEST/2026-2035 (VN)"],
  ] as const)("%s: Hà Nội's effective targets say %s and %s", async (language, quantity, share, own, inherited) => {
    const r = await h.gql(EFFECTIVE, { u: "01", p: "2026", i: [IZ, ACTIVITY] }, planner, language);
    expect(r.errors).toBeUndefined();
    const by = Object.fromEntries(r.data.effectiveTargets.map((t: { indicatorCode: string }) => [t.indicatorCode, t]));
    // enum values stay the API's identifiers whatever the language
    expect(by[IZ]).toEqual({ indicatorCode: IZ, provenance: "OWN", provenanceText: own, value: { kind: "QUANTITY_FLOOR", text: quantity } });
    expect(by[ACTIVITY]).toEqual({ indicatorCode: ACTIVITY, provenance: "INHERITED", provenanceText: inherited, value: { kind: "SHARE_FLOOR", text: share } });
  });
});

describe("a roll-up's cached targets, shown in each caller's language", () => {
  it("alternating English and Vietnamese, each page says its targets in its own language", async () => {
    const PAGE = `query { rollup(unitCode: "01", period: "2026", indicators: ["${ACTIVITY}"]) { cells { status target { provenanceText value { text } } } } }`;
    const say = async (language: "vi" | "en") => {
      const r = await h.gql(PAGE, {}, planner, language);
      expect(r.errors).toBeUndefined();
      return r.data.rollup.cells[0].target;
    };
    const en = { provenanceText: "inherited from plan TEST/2026-2035 (VN)", value: { text: "≥ 78.6%" } };
    const vi = { provenanceText: "kế thừa từ kế hoạch TEST/2026-2035 (VN)", value: { text: "≥ 78,6%" } };
    // the targets are kept by the process after the first page: the later ones are the same objects, in other words
    expect(await say("en")).toEqual(en);
    expect(await say("vi")).toEqual(vi);
    expect(await say("en")).toEqual(en);
    expect(await say("vi")).toEqual(vi);
  });
});

describe("a looser target is refused in the caller's language, naming the parent plan as its users know it", () => {
  it.each([
    [
      "vi",
      `${ACTIVITY}: mục tiêu đề nghị lỏng hơn mục tiêu của kế hoạch TEST/2026-2035 của Việt Nam. ` +
        "≥ 70,5% so với ≥ 78,6%: lỏng hơn mục tiêu cấp trên 8,1 điểm phần trăm.",
    ],
    [
      "en",
      `${ACTIVITY}: the requested target is looser than the target of the plan TEST/2026-2035 of Việt Nam. ` +
        "≥ 70.5% against ≥ 78.6%: looser than the parent by 8.1 percentage points.",
    ],
  ] as const)("%s", async (language, message) => {
    const before = await version(hanoi);
    const r = await h.gql(
      SET,
      { i: { planId: hanoi, version: before, reason: "07/KH-UBND", targets: [{ indicator: ACTIVITY, kind: "SHARE_FLOOR", share: 70.5 }] } },
      planner,
      language,
    );
    expect(r.errors).toBeUndefined();
    const [refusal] = r.data.setTargets.refusals;
    expect(refusal).toMatchObject({ indicatorCode: ACTIVITY, reason: "LOOSER_THAN_PARENT", parentPlanId: national, parentPlanDocument: "TEST/2026-2035", comparison: { verdict: "LOOSER" } });
    expect(refusal.message).toBe(message);
    expect(refusal.message).not.toContain(national);
    expect(await version(hanoi)).toBe(before);
  });
});

describe("report rows", () => {
  it("a bad row is refused in Vietnamese, its code an English identifier", async () => {
    const r = await h.gql(SUBMIT, { rows: [{ unitCode: "01", indicatorCode: IZ, period: "2026-Q5", numerator: 10, denominator: 20 }] }, reporter, "vi");
    expect(r.errors?.[0]?.message).toBe("1/1 dòng không hợp lệ; chưa ghi gì.");
    expect(r.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(r.errors?.[0]?.extensions?.invalidRows).toEqual(
      expect.arrayContaining([
        { index: 0, field: "period", code: "BAD_PERIOD", message: "\"2026-Q5\" không phải là kỳ báo cáo: hãy dùng 2025, 2025-H1 hoặc 2025-Q3." },
      ]),
    );
  });

  it("numbers in a row problem are written the Vietnamese way", async () => {
    const r = await h.gql(SUBMIT, { rows: [{ unitCode: "01", indicatorCode: IZ, period: "2026-Q1", numerator: 12500, denominator: 10000 }] }, reporter, "vi");
    expect(r.errors?.[0]?.extensions?.invalidRows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "numerator", code: "NUMERATOR_EXCEEDS_DENOMINATOR", message: "Tử số 12.500 lớn hơn mẫu số 10.000." }),
      ]),
    );
  });
});

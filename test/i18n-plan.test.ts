import http from "node:http";
import { Role } from "../src/auth/auth.types";
import { startHarness, type Harness } from "./support/harness";

/**
 * Issue 15 for plans, over real HTTP: a refusal of a plan's rule answers in Vietnamese when the request names no
 * language at all (node:http sends no Accept-Language; the suite's fetch would ask for English), in English with
 * `Accept-Language: en`, in Vietnamese with `vi-VN,vi;q=0.9`; the same stable `extensions.code` and field in
 * every language; plans named by document number (or title) and unit, never by their id; numbers written as the
 * language writes them.
 */

let h: Harness;
let url: string;
const ids: Record<string, string> = {};
let haNoiName: string;
let title07: string;

const LANGUAGES = [
  { asked: "no Accept-Language", header: undefined, language: "vi" },
  { asked: "Accept-Language: en", header: "en", language: "en" },
  { asked: "Accept-Language: vi-VN,vi;q=0.9", header: "vi-VN,vi;q=0.9", language: "vi" },
] as const;

interface Answer {
  status: number;
  contentLanguage: string | undefined;
  body: { data?: any; errors?: Array<{ message: string; extensions: Record<string, any> }> };
}

/** POST /graphql with node:http: no header is added that the test does not give. */
function post(query: string, variables: Record<string, unknown>, token: string, language?: string): Promise<Answer> {
  const headers: http.OutgoingHttpHeaders = { "content-type": "application/json", authorization: `Bearer ${token}` };
  if (language !== undefined) headers["accept-language"] = language;
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", headers, agent: false }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => {
        try {
          resolve({ status: response.statusCode ?? 0, contentLanguage: response.headers["content-language"], body: JSON.parse(text) });
        } catch (error) {
          reject(error);
        }
      });
    });
    request.on("error", reject);
    request.end(JSON.stringify({ query, variables }));
  });
}

const CLOSE = `mutation($i: ClosePlanInput!) { closePlan(input: $i) { id status } }`;
const version = async (id: string) => Number((await h.dataSource.query(`SELECT version FROM plan WHERE id = $1`, [id]))[0].version);
const haNoiAdmin = () => h.token("01", [Role.VIEWER, Role.ADMIN], "admin-hn");

beforeAll(async () => {
  h = await startHarness();
  url = `http://127.0.0.1:${await h.server.listen(0)}/graphql`;
  const rows = await h.dataSource.query(
    `SELECT p.id, p.document_number, p.title, u.name FROM plan p JOIN org_unit u ON u.id = p.unit_id
      WHERE p.document_number IN ('07/KH-UBND', '06/KH-UBND') AND p.period_start >= DATE '2026-01-01'`,
  );
  for (const r of rows) ids[r.document_number] = r.id;
  haNoiName = rows[0].name;
  title07 = rows.find((r: { document_number: string }) => r.document_number === "07/KH-UBND").title;
  expect(Object.keys(ids).sort()).toEqual(["06/KH-UBND", "07/KH-UBND"]);
});
afterAll(() => h?.close());

describe("closing 07/KH-UBND while 06/KH-UBND implements it", () => {
  const expected = (language: "vi" | "en") =>
    language === "vi"
      ? `Không thể kết thúc kế hoạch 07/KH-UBND: có 1 kế hoạch đang có hiệu lực thực hiện kế hoạch này: 06/KH-UBND của ${haNoiName} (01). ` +
        "Hãy kết thúc hoặc thay thế kế hoạch đó trước (hoặc thay thế kế hoạch này, khi đó nó chuyển sang kế hoạch thay thế)."
      : `Plan 07/KH-UBND cannot be closed: 1 active plan implements it: 06/KH-UBND of ${haNoiName} (01). ` +
        "Close or supersede them first (or supersede this plan, which moves them to its successor).";

  it.each(LANGUAGES)("$asked: CONFLICT in $language, naming both plans by document number, never by id", async ({ header, language }) => {
    const r = await post(CLOSE, { i: { planId: ids["07/KH-UBND"], version: await version(ids["07/KH-UBND"]), reason: "kết thúc" } }, haNoiAdmin(), header);
    expect(r.contentLanguage).toBe(language);
    expect(r.body.data?.closePlan ?? null).toBeNull();
    const [error] = r.body.errors ?? [];
    expect(error?.extensions).toMatchObject({ code: "CONFLICT", field: "input.planId" });
    // the ids stay in extensions for machines
    expect(error!.extensions.activeChildren).toEqual([expect.objectContaining({ planId: ids["06/KH-UBND"], documentNumber: "06/KH-UBND" })]);
    expect(error!.message).toBe(expected(language));
    expect(error!.message).not.toContain(ids["07/KH-UBND"]);
    expect(error!.message).not.toContain(ids["06/KH-UBND"]);
    expect(await h.dataSource.query(`SELECT status FROM plan WHERE id = $1`, [ids["07/KH-UBND"]])).toEqual([{ status: "active" }]);
  });

  it.each([
    { asked: "no Accept-Language", header: undefined, language: "vi", text: "Kế hoạch đã thay đổi kể từ phiên bản 1 (nay là phiên bản 12.345); hãy tải lại và thử lại." },
    { asked: "Accept-Language: en", header: "en", language: "en", text: "The plan changed since version 1 (it is at 12,345); reload it and retry." },
    { asked: "Accept-Language: vi-VN,vi;q=0.9", header: "vi-VN,vi;q=0.9", language: "vi", text: "Kế hoạch đã thay đổi kể từ phiên bản 1 (nay là phiên bản 12.345); hãy tải lại và thử lại." },
  ])("$asked: a stale version is refused with the numbers written in $language", async ({ header, language, text }) => {
    // a plan edited many times (the version only counts changes; no rule looks at its size)
    await h.dataSource.query(`UPDATE plan SET version = 12345 WHERE id = $1`, [ids["07/KH-UBND"]]);
    const r = await post(CLOSE, { i: { planId: ids["07/KH-UBND"], version: 1, reason: "kết thúc" } }, haNoiAdmin(), header);
    expect(r.contentLanguage).toBe(language);
    expect(r.body.errors?.[0]).toMatchObject({ message: text, extensions: { code: "CONFLICT", currentVersion: 12345 } });
  });
});

describe("a ward's plan attached to a parent plan with no document number", () => {
  const ATTACH = `mutation($i: AttachPlanInput!) { attachPlan(input: $i) { __typename
    ... on LooserTargetsRefused { message refusals { indicatorCode reason parentPlanId parentPlanDocument message } } } }`;
  const wardPlanner = () => h.token("00004", [Role.VIEWER, Role.PLANNER], "planner-00004");
  let ward: { id: string; version: number };

  beforeAll(async () => {
    const created = await post(
      `mutation($i: CreatePlanInput!) { createPlan(input: $i) { id version } }`,
      {
        i: {
          unitCode: "00004", programCode: "PCMD_2021_2025", legalBasis: "Pháp lệnh phòng, chống mại dâm 10/2003/PL-UBTVQH11",
          title: "Kế hoạch của phường năm 2026", documentNumber: "15/KH-UBND", periodStart: "2026-02-01", periodEnd: "2026-12-31", reason: "kế hoạch phường",
        },
      },
      wardPlanner(),
      "en",
    );
    expect(created.body.errors).toBeUndefined();
    const set = await post(
      `mutation($i: SetTargetsInput!) { setTargets(input: $i) { __typename ... on TargetsSet { plan { version } } } }`,
      { i: { planId: created.body.data.createPlan.id, version: 1, reason: "chỉ tiêu", targets: [{ indicator: "ENF_REPORTS_HANDLED", kind: "SHARE_FLOOR", share: 80 }] } },
      wardPlanner(),
      "en",
    );
    expect(set.body.errors).toBeUndefined();
    expect(set.body.data.setTargets.__typename).toBe("TargetsSet");
    ward = { id: created.body.data.createPlan.id, version: set.body.data.setTargets.plan.version };
    // 07/KH-UBND as if it had no number yet (a plan in preparation): named by its title and unit
    await h.dataSource.query(`UPDATE plan SET document_number = NULL WHERE id = $1`, [ids["07/KH-UBND"]]);
  });

  it.each(LANGUAGES)("$asked: LooserTargetsRefused in $language names the parent by title and unit, not id", async ({ header, language }) => {
    const r = await post(ATTACH, { i: { planId: ward.id, version: ward.version, parentPlanId: ids["07/KH-UBND"], reason: "gắn" } }, wardPlanner(), header);
    expect(r.contentLanguage).toBe(language);
    expect(r.body.errors).toBeUndefined();
    const refused = r.body.data.attachPlan;
    expect(refused.__typename).toBe("LooserTargetsRefused");
    expect(refused.refusals).toEqual([
      expect.objectContaining({ indicatorCode: "ENF_REPORTS_HANDLED", reason: "LOOSER_THAN_PARENT", parentPlanId: ids["07/KH-UBND"], parentPlanDocument: null }),
    ]);
    const [refusal] = refused.refusals;
    const parent = language === "vi" ? `kế hoạch "${title07}" của ${haNoiName}` : `plan "${title07}" of ${haNoiName}`;
    expect(refusal.message.startsWith(
      language === "vi"
        ? `ENF_REPORTS_HANDLED: mục tiêu của kế hoạch 15/KH-UBND lỏng hơn mục tiêu của ${parent}.`
        : `ENF_REPORTS_HANDLED: 15/KH-UBND's target is looser than ${parent}'s.`,
    )).toBe(true);
    expect(refusal.message).not.toContain(ids["07/KH-UBND"]);
    expect(refused.message).toMatch(
      language === "vi"
        ? /^Việc gắn kế hoạch 15\/KH-UBND vào kế hoạch ".+" bị từ chối: 1 mục tiêu lỏng hơn .*\(ENF_REPORTS_HANDLED\)\. .*Chưa có gì được ghi\.$/
        : /^Attaching 15\/KH-UBND to ".+" refused: 1 target is looser than .*\(ENF_REPORTS_HANDLED\)\. .*Nothing was written\.$/,
    );
    expect(await h.dataSource.query(`SELECT parent_plan_id FROM plan WHERE id = $1`, [ward.id])).toEqual([{ parent_plan_id: null }]);
  });
});

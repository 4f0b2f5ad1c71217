import { Role } from "../src/auth/auth.types";
import { errorCode, startHarness, type GqlResult, type Harness } from "./support/harness";

/**
 * The reporting cycle over the API on the seed data (issue 14, item 4): submit → return → resubmit → approve →
 * locked write refused (submitReports and POST /reports/upload over real HTTP) → reopen → corrected → approved; the
 * approved share and approvedOnly roll-ups; a province approved by the nation; old-tree periods approved by the
 * province that exists today; on a server as on 30/6/2025, by the district. Every refusal writes nothing.
 */
let h: Harness;
let base: string;
const tokens = {} as Record<
  "communeReporter" | "provinceReporter" | "provincePlanner" | "nationPlanner" | "nationViewer" | "communePlanner" | "otherProvince" | "anGiangReporter" | "anGiangPlanner",
  string
>;
beforeAll(async () => {
  h = await startHarness();
  base = `http://127.0.0.1:${await h.server.listen(0)}`;
  tokens.communeReporter = h.token("06673", [Role.REPORTER, Role.VIEWER], "bai-chay-reporter"); // Phường Bãi Cháy, Quảng Ninh
  tokens.communePlanner = h.token("06673", [Role.PLANNER, Role.VIEWER], "bai-chay-planner");
  tokens.provinceReporter = h.token("22", [Role.REPORTER, Role.VIEWER], "qn-reporter");
  tokens.provincePlanner = h.token("22", [Role.PLANNER, Role.VIEWER], "qn-planner");
  tokens.nationPlanner = h.token("VN", [Role.PLANNER, Role.VIEWER], "ministry-planner");
  tokens.nationViewer = h.token("VN", [Role.VIEWER], "ministry-viewer");
  tokens.otherProvince = h.token("79", [Role.REPORTER, Role.PLANNER, Role.VIEWER], "hcmc-all");
  tokens.anGiangReporter = h.token("91", [Role.REPORTER, Role.VIEWER], "an-giang-reporter"); // the new An Giang (old Kiên Giang's successor)
  tokens.anGiangPlanner = h.token("91", [Role.PLANNER, Role.VIEWER], "an-giang-planner");
});
afterAll(async () => {
  await new Promise((resolve) => h.server.httpServer.close(resolve));
  await h.close();
});

const APPROVAL = `unit { code name } period state approver { code name validFrom } reports submittedBy approvedBy approvedByUnitCode approvedAt
  lastStep lastBy lastByUnitCode reason steps { step state by byUnitCode reason }`;
const SUBMIT_PERIOD = `mutation($i: SubmitPeriodInput!) { submitPeriod(input: $i) { ${APPROVAL} } }`;
const APPROVE = `mutation($i: ApprovePeriodInput!) { approvePeriod(input: $i) { ${APPROVAL} } }`;
const RETURN = `mutation($i: DecidePeriodInput!) { returnPeriod(input: $i) { ${APPROVAL} } }`;
const REOPEN = `mutation($i: DecidePeriodInput!) { reopenPeriod(input: $i) { ${APPROVAL} } }`;
const SUBMIT_REPORTS = `mutation($i: SubmitReportsInput!) { submitReports(input: $i) { inserted updated unchanged } }`;
const WITHDRAW = `mutation($i: WithdrawReportInput!) { withdrawReport(input: $i) { unitCode indicatorCode period value numerator denominator reason } }`;
const APPROVALS = `query($u: String!, $p: String!, $s: ApprovalState, $first: Int, $after: String) {
  periodApprovals(unitCode: $u, period: $p, state: $s, first: $first, after: $after) {
    period counts { open submitted returned approved } totalCount hasNextPage endCursor nodes { ${APPROVAL} } } }`;

type Row = { unitCode: string; indicatorCode: string; period: string; value?: number; numerator?: number; denominator?: number };
const activity = (unitCode: string, value: number, period = "2025-Q3"): Row => ({ unitCode, indicatorCode: "AWR_COMMUNE_ACTIVITY", period, value });
const informed = (unitCode: string, numerator: number, denominator: number, period = "2025-Q3"): Row => ({
  unitCode,
  indicatorCode: "AWR_RISKY_WORKERS_INFORMED",
  period,
  numerator,
  denominator,
});

/** A share as completeness gives it (0..1, four decimals). */
const share = (n: number, of: number) => Math.round((n / of) * 10_000) / 10_000;
const ok = <T = any>(r: GqlResult<T>): T => {
  expect(r.errors).toBeUndefined();
  return r.data as T;
};
const submitRows = (rows: Row[], token: string, reason?: string) => h.gql(SUBMIT_REPORTS, { i: { rows, ...(reason ? { reason } : {}) } }, token);

/** Everything the cycle may write: reports, both kinds of summaries, records, history, audit, keys. */
async function snapshot(): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const t of ["report", "report_summary", "report_summary_approved", "report_approval", "report_history", "audit_log", "report_submission"]) {
    const [{ sum }] = await h.dataSource.query(`SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS sum FROM ${t} t`);
    sums[t] = sum;
  }
  return sums;
}

/** A refusal with the code and field, and nothing written. */
async function refused(call: () => Promise<GqlResult>, code: string, field?: string): Promise<GqlResult> {
  const before = await snapshot();
  const r = await call();
  expect({ code: errorCode(r), field: r.errors?.[0]?.extensions?.field ?? null }).toEqual({ code, field: field ?? r.errors?.[0]?.extensions?.field ?? null });
  expect(r.data?.[Object.keys(r.data ?? {})[0] ?? ""] ?? null).toBeNull();
  expect(await snapshot()).toEqual(before);
  return r;
}

async function upload(csv: string, token: string): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.set("file", new Blob([csv]), "q3.csv");
  const response = await fetch(`${base}/reports/upload`, { method: "POST", body: form, headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json() };
}

/** The approved summary of a unit equals a recount of the approved facts below it. */
async function expectApprovedSummaryExact(unitCode: string, on: string, indicatorCode: string, period: string) {
  const [row] = await h.dataSource.query(
    `SELECT coalesce(s.units_reported, 0) AS stored, coalesce(s.numerator_sum, 0)::float8 AS stored_num,
            (SELECT count(DISTINCT r.unit_id)::int FROM report r JOIN report_approval a ON a.unit_id = r.unit_id AND a.period_code = r.period_code AND a.state = 'approved'
              WHERE r.indicator_id = i.id AND r.period_code = $4 AND r.unit_path LIKE u.path || '%') AS counted,
            (SELECT coalesce(sum(r.numerator), 0)::float8 FROM report r JOIN report_approval a ON a.unit_id = r.unit_id AND a.period_code = r.period_code AND a.state = 'approved'
              WHERE r.indicator_id = i.id AND r.period_code = $4 AND r.unit_path LIKE u.path || '%') AS counted_num
       FROM org_unit u JOIN indicator i ON i.code = $3
       LEFT JOIN report_summary_approved s ON s.unit_id = u.id AND s.indicator_id = i.id AND s.period_code = $4
      WHERE u.code = $1 AND u.valid_from <= $2::date AND (u.valid_to IS NULL OR u.valid_to > $2::date)`,
    [unitCode, on, indicatorCode, period],
  );
  expect({ unitCode, stored: row.stored, num: row.stored_num }).toEqual({ unitCode, stored: row.counted, num: row.counted_num });
}

describe("the cycle of a commune's quarter (Phường Bãi Cháy, 2025-Q3)", () => {
  it("submit → return → resubmit → approve → locked → reopen → corrected → approved, each step audited", async () => {
    expect(ok(await submitRows([activity("06673", 1), informed("06673", 30, 60)], tokens.communeReporter)).submitReports.inserted).toBe(2);

    // submitted by the commune's reporter: its approver is its province
    const submitted = ok(await h.gql(SUBMIT_PERIOD, { i: { unitCode: "06673", period: "2025-Q3" } }, tokens.communeReporter)).submitPeriod;
    expect(submitted).toMatchObject({
      unit: { code: "06673", name: "Phường Bãi Cháy" },
      state: "SUBMITTED",
      approver: { code: "22", name: "Tỉnh Quảng Ninh" },
      reports: 2,
      submittedBy: "bai-chay-reporter",
      lastStep: "SUBMIT",
      steps: [{ step: "SUBMIT", state: "SUBMITTED", by: "bai-chay-reporter", byUnitCode: "06673", reason: null }],
    });
    await refused(() => h.gql(SUBMIT_PERIOD, { i: { unitCode: "06673", period: "2025-Q3" } }, tokens.communeReporter), "CONFLICT", "input.period");

    // only the approver (the province's planner) decides: not the commune, not the nation, not another tenant
    const self = await refused(() => h.gql(APPROVE, { i: { unitCode: "06673", period: "2025-Q3" } }, tokens.communePlanner), "FORBIDDEN", "input.unitCode");
    expect(self.errors![0]!.message).toMatch(/approved, returned and reopened by 22 \(Tỉnh Quảng Ninh\)/);
    expect(self.errors![0]!.extensions!.approverUnitCode).toBe("22");
    await refused(() => h.gql(APPROVE, { i: { unitCode: "06673", period: "2025-Q3" } }, tokens.nationPlanner), "FORBIDDEN", "input.unitCode");
    await refused(() => h.gql(APPROVE, { i: { unitCode: "06673", period: "2025-Q3" } }, tokens.otherProvince), "NOT_FOUND");
    await refused(() => h.gql(APPROVE, { i: { unitCode: "06673", period: "2025-Q3" } }, tokens.provinceReporter), "FORBIDDEN");

    // returned with a reason (none: refused)
    await refused(() => h.gql(RETURN, { i: { unitCode: "06673", period: "2025-Q3", reason: " " } }, tokens.provincePlanner), "BAD_USER_INPUT", "input.reason");
    const returned = ok(await h.gql(RETURN, { i: { unitCode: "06673", period: "2025-Q3", reason: "Tỷ lệ người được tuyên truyền chưa khớp sổ" } }, tokens.provincePlanner));
    expect(returned.returnPeriod).toMatchObject({ state: "RETURNED", lastStep: "RETURN", lastBy: "qn-planner", lastByUnitCode: "22", reason: "Tỷ lệ người được tuyên truyền chưa khớp sổ" });
    await refused(() => h.gql(APPROVE, { i: { unitCode: "06673", period: "2025-Q3" } }, tokens.provincePlanner), "CONFLICT", "input.unitCode");

    // corrected (a returned period is open to corrections) and submitted again
    expect(ok(await submitRows([informed("06673", 45, 60)], tokens.communeReporter, "Sửa theo sổ theo dõi")).submitReports.updated).toBe(1);
    expect(ok(await h.gql(SUBMIT_PERIOD, { i: { unitCode: "06673", period: "2025-Q3", reason: "Đã sửa" } }, tokens.communeReporter)).submitPeriod.state).toBe("SUBMITTED");

    const approved = ok(await h.gql(APPROVE, { i: { unitCode: "06673", period: "2025-Q3" } }, tokens.provincePlanner)).approvePeriod;
    expect(approved).toHaveLength(1);
    expect(approved[0]).toMatchObject({ state: "APPROVED", approvedBy: "qn-planner", approvedByUnitCode: "22", lastStep: "APPROVE" });
    await refused(() => h.gql(APPROVE, { i: { unitCode: "06673", period: "2025-Q3" } }, tokens.provincePlanner), "CONFLICT", "input.unitCode");
  });

  it("refuses later rows of the approved unit and period with LOCKED, naming who approved and when: submitReports, a mixed batch, a dry run", async () => {
    const [{ approved_at }] = await h.dataSource.query(
      `SELECT a.approved_at FROM report_approval a JOIN org_unit u ON u.id = a.unit_id WHERE u.code = '06673' AND a.period_code = '2025-Q3'`,
    );
    const r = await refused(() => submitRows([activity("06661", 1), activity("06673", 0)], tokens.communeReporter), "BAD_USER_INPUT", "rows");
    // (06661 is outside Bãi Cháy's subtree: UNKNOWN_UNIT; the province's reporter gets LOCKED alone)
    const byProvince = await refused(() => submitRows([activity("06661", 1), activity("06673", 0)], tokens.provinceReporter), "BAD_USER_INPUT", "rows");
    expect(byProvince.errors![0]!.extensions!.invalidRows).toEqual([
      {
        index: 1,
        field: "period",
        code: "LOCKED",
        message: `The data of 06673 for 2025-Q3 was approved by qn-planner of 22 at ${new Date(approved_at).toISOString()}: it is locked until its approver reopens it (reopenPeriod).`,
        approvedBy: "qn-planner",
        approvedByUnitCode: "22",
        approvedAt: new Date(approved_at).toISOString(),
      },
    ]);
    expect((r.errors![0]!.extensions!.invalidRows as Array<{ code: string }>).map((e) => e.code)).toEqual(["UNKNOWN_UNIT", "LOCKED"]);
    // the same values as stored are refused too (approved data takes no rows), and a dry run answers the same
    await refused(() => submitRows([informed("06673", 45, 60)], tokens.communeReporter), "BAD_USER_INPUT", "rows");
    await refused(() => h.gql(SUBMIT_REPORTS, { i: { rows: [activity("06673", 0)], dryRun: true } }, tokens.communeReporter), "BAD_USER_INPUT", "rows");
    // other periods of the unit stay open
    expect(ok(await submitRows([activity("06673", 1, "2025-Q4")], tokens.communeReporter)).submitReports.inserted).toBe(1);
  });

  it("refuses them in a file over real HTTP too (POST /reports/upload), with the file line", async () => {
    const before = await snapshot();
    const csv = "unit_code;indicator_code;period;value;numerator;denominator\n06673;AWR_COMMUNE_ACTIVITY;2025-Q3;0;;\n06673;AWR_RISKY_WORKERS_INFORMED;2025-Q3;;50;60\n";
    const answer = await upload(csv, tokens.communeReporter);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("BAD_USER_INPUT");
    expect(answer.body.error.invalidRows.map((e: { index: number; line: number; code: string; approvedBy: string }) => [e.index, e.line, e.code, e.approvedBy])).toEqual([
      [0, 2, "LOCKED", "qn-planner"],
      [1, 3, "LOCKED", "qn-planner"],
    ]);
    expect(await snapshot()).toEqual(before);
    // nor can a row be withdrawn
    const w = await refused(
      () => h.gql(WITHDRAW, { i: { unitCode: "06673", indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2025-Q3", reason: "Gửi nhầm" } }, tokens.communeReporter),
      "CONFLICT",
      "input.period",
    );
    expect(w.errors![0]!.extensions).toMatchObject({ rowCode: "LOCKED", approvedBy: "qn-planner", approvedByUnitCode: "22" });
  });

  it("reopens with a reason (by the approver only), takes the correction, and approves it again", async () => {
    await refused(() => h.gql(REOPEN, { i: { unitCode: "06673", period: "2025-Q3", reason: "" } }, tokens.provincePlanner), "BAD_USER_INPUT", "input.reason");
    await refused(() => h.gql(REOPEN, { i: { unitCode: "06673", period: "2025-Q3", reason: "Mở lại" } }, tokens.nationPlanner), "FORBIDDEN", "input.unitCode");
    await refused(() => h.gql(REOPEN, { i: { unitCode: "06673", period: "2025-Q3", reason: "Mở lại" } }, tokens.otherProvince), "NOT_FOUND");
    await refused(() => h.gql(RETURN, { i: { unitCode: "06673", period: "2025-Q3", reason: "Trả lại" } }, tokens.provincePlanner), "CONFLICT", "input.unitCode");
    const reopened = ok(await h.gql(REOPEN, { i: { unitCode: "06673", period: "2025-Q3", reason: "Hoạt động quý III chưa tổ chức" } }, tokens.provincePlanner));
    expect(reopened.reopenPeriod).toMatchObject({ state: "RETURNED", lastStep: "REOPEN", approvedBy: null, reason: "Hoạt động quý III chưa tổ chức" });

    expect(ok(await submitRows([activity("06673", 0)], tokens.communeReporter, "Quý III chưa tổ chức hoạt động")).submitReports.updated).toBe(1);
    ok(await h.gql(SUBMIT_PERIOD, { i: { unitCode: "06673", period: "2025-Q3" } }, tokens.communeReporter));
    const again = ok(await h.gql(APPROVE, { i: { unitCode: "06673", period: "2025-Q3", reason: "Đã kiểm tra" } }, tokens.provincePlanner)).approvePeriod[0];
    expect(again.state).toBe("APPROVED");
    expect(again.steps.map((s: { step: string; state: string; byUnitCode: string }) => `${s.step}:${s.state}:${s.byUnitCode}`)).toEqual([
      "SUBMIT:SUBMITTED:06673",
      "RETURN:RETURNED:22",
      "SUBMIT:SUBMITTED:06673",
      "APPROVE:APPROVED:22",
      "REOPEN:RETURNED:22",
      "SUBMIT:SUBMITTED:06673",
      "APPROVE:APPROVED:22",
    ]);
    expect(again.steps.map((s: { reason: string | null }) => s.reason)).toEqual([
      null,
      "Tỷ lệ người được tuyên truyền chưa khớp sổ",
      "Đã sửa",
      null,
      "Hoạt động quý III chưa tổ chức",
      null,
      "Đã kiểm tra",
    ]);
    // every step is an audit entry in the caller's name
    const audits = await h.dataSource.query(
      `SELECT action, actor, reason, old_value->>'state' AS "from", new_value->>'state' AS "to" FROM audit_log WHERE entity = 'report_period' ORDER BY id`,
    );
    expect(audits.map((a: { action: string; actor: string; from: string; to: string }) => `${a.action} ${a.actor} ${a.from}→${a.to}`)).toEqual([
      "report_period.submit bai-chay-reporter open→submitted",
      "report_period.return qn-planner submitted→returned",
      "report_period.submit bai-chay-reporter returned→submitted",
      "report_period.approve qn-planner submitted→approved",
      "report_period.reopen qn-planner approved→returned",
      "report_period.submit bai-chay-reporter returned→submitted",
      "report_period.approve qn-planner submitted→approved",
    ]);
    await expectApprovedSummaryExact("22", "2025-09-30", "AWR_RISKY_WORKERS_INFORMED", "2025-Q3");
    await expectApprovedSummaryExact("VN", "2025-09-30", "AWR_RISKY_WORKERS_INFORMED", "2025-Q3");
  });

  it("reads the state per unit: the province and its communes, counts per state, a state filter, pages", async () => {
    const all = ok(await h.gql(APPROVALS, { u: "22", p: "2025-Q3", first: 3 }, tokens.provincePlanner)).periodApprovals;
    expect(all.counts).toEqual({ open: 54, submitted: 0, returned: 0, approved: 1 });
    expect(all.totalCount).toBe(55);
    expect(all.nodes[0]).toMatchObject({ unit: { code: "22" }, state: "OPEN", approver: { code: "VN" }, steps: [] });
    expect(all.hasNextPage).toBe(true);
    const next = ok(await h.gql(APPROVALS, { u: "22", p: "2025-Q3", first: 200, after: all.endCursor }, tokens.provincePlanner)).periodApprovals;
    expect(next.nodes).toHaveLength(52);
    expect(next.hasNextPage).toBe(false);
    const codes = [...all.nodes, ...next.nodes].map((n: { unit: { code: string } }) => n.unit.code);
    expect(new Set(codes).size).toBe(55);
    expect(codes.slice(1)).toEqual([...codes.slice(1)].sort());
    const approved = ok(await h.gql(APPROVALS, { u: "22", p: "2025-Q3", s: "APPROVED" }, tokens.provincePlanner)).periodApprovals;
    expect(approved.totalCount).toBe(1);
    expect(approved.nodes.map((n: { unit: { code: string } }) => n.unit.code)).toEqual(["06673"]);
    // the commune's reporter reads its own unit (its province: NOT_FOUND)
    const mine = ok(await h.gql(APPROVALS, { u: "06673", p: "2025-Q3", s: "APPROVED" }, tokens.communeReporter)).periodApprovals;
    expect(mine.nodes.map((n: { unit: { code: string }; state: string }) => `${n.unit.code} ${n.state}`)).toEqual(["06673 APPROVED"]);
    expect(errorCode(await h.gql(APPROVALS, { u: "22", p: "2025-Q3" }, tokens.communeReporter))).toBe("NOT_FOUND");
    expect(errorCode(await h.gql(APPROVALS, { u: "22", p: "2025-Q3" }, tokens.otherProvince))).toBe("NOT_FOUND");
    expect(errorCode(await h.gql(APPROVALS, { u: "22", p: "2025-Q3", after: "nonsense" }, tokens.provincePlanner))).toBe("BAD_USER_INPUT");
  });

  it("refuses a submission for another tenant (NOT_FOUND), for the nation, and with a bad period", async () => {
    await refused(() => h.gql(SUBMIT_PERIOD, { i: { unitCode: "06661", period: "2025-Q3" } }, tokens.otherProvince), "NOT_FOUND");
    await refused(() => h.gql(SUBMIT_PERIOD, { i: { unitCode: "06661", period: "2025-Q3" } }, tokens.communeReporter), "NOT_FOUND");
    await refused(() => h.gql(SUBMIT_PERIOD, { i: { unitCode: "VN", period: "2025-Q3" } }, h.token("VN", [Role.REPORTER])), "BAD_USER_INPUT", "input.unitCode");
    await refused(() => h.gql(SUBMIT_PERIOD, { i: { unitCode: "06673", period: "2025-Q5" } }, tokens.communeReporter), "BAD_USER_INPUT", "input.period");
    // a code that names no unit for the whole period: 06655 Phường Hà Khẩu was abolished on 1/7/2025
    await refused(() => h.gql(SUBMIT_PERIOD, { i: { unitCode: "06655", period: "2025-Q3" } }, tokens.provinceReporter), "NOT_FOUND");
    await refused(() => h.gql(SUBMIT_PERIOD, { i: { unitCode: "06673", period: "2025-Q3" } }, tokens.nationViewer), "FORBIDDEN");
    await refused(() => h.gql(APPROVE, { i: { period: "2025-Q3" } }, tokens.provincePlanner), "BAD_USER_INPUT", "input.unitCode");
  });
});

describe("approved data in roll-ups", () => {
  const ROLLUP = `query($u: String!, $p: String!, $a: Boolean) { rollup(unitCode: $u, period: $p, indicators: ["AWR_COMMUNE_ACTIVITY", "AWR_RISKY_WORKERS_INFORMED"], approvedOnly: $a) {
    approvedOnly cells { indicatorCode value unitsReported unitsMeeting unitsExpected completeness unitsApproved approved numerator denominator }
    children { unit { code } cells { indicatorCode value unitsApproved approved } } } }`;
  const cell = (cells: Array<{ indicatorCode: string }>, code: string) => cells.find((c) => c.indicatorCode === code) as any;

  beforeAll(async () => {
    // two more wards: Việt Hưng reports (not approved), Hạ Long reports and is approved (all at once)
    ok(await submitRows([activity("06661", 1), informed("06661", 10, 40), activity("06688", 1), informed("06688", 20, 20)], tokens.provinceReporter));
    for (const unitCode of ["06661", "06688"]) ok(await h.gql(SUBMIT_PERIOD, { i: { unitCode, period: "2025-Q3" } }, tokens.provinceReporter));
    ok(await h.gql(RETURN, { i: { unitCode: "06661", period: "2025-Q3", reason: "Thiếu mẫu số" } }, tokens.provincePlanner));
    const all = ok(await h.gql(APPROVE, { i: { period: "2025-Q3", allSubmitted: true } }, tokens.provincePlanner)).approvePeriod;
    expect(all.map((a: { unit: { code: string } }) => a.unit.code)).toEqual(["06688"]);
    // nothing left waiting: an empty list, nothing written
    const before = await snapshot();
    expect(ok(await h.gql(APPROVE, { i: { period: "2025-Q3", allSubmitted: true } }, tokens.provincePlanner)).approvePeriod).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it("shows the approved share beside completeness, and counts approved units' data alone with approvedOnly", async () => {
    const page = ok(await h.gql(ROLLUP, { u: "22", p: "2025-Q3" }, tokens.provincePlanner)).rollup;
    expect(page.approvedOnly).toBe(false);
    // Bãi Cháy (approved: no, 45/60), Hạ Long (approved: yes, 20/20), Việt Hưng (returned: yes, 10/40)
    expect(cell(page.cells, "AWR_COMMUNE_ACTIVITY")).toMatchObject({ unitsReported: 3, unitsMeeting: 2, unitsExpected: 54, unitsApproved: 2, approved: share(2, 54) });
    expect(cell(page.cells, "AWR_COMMUNE_ACTIVITY").value).toBeCloseTo((2 / 54) * 100, 2);
    expect(cell(page.cells, "AWR_RISKY_WORKERS_INFORMED")).toMatchObject({ value: 62.5, numerator: 75, denominator: 120, unitsApproved: 2, approved: share(2, 54) });
    const child = (code: string) => page.children.find((c: { unit: { code: string } }) => c.unit.code === code);
    expect(cell(child("06673").cells, "AWR_COMMUNE_ACTIVITY")).toMatchObject({ unitsApproved: 1, approved: 1 });
    expect(cell(child("06661").cells, "AWR_COMMUNE_ACTIVITY")).toMatchObject({ unitsApproved: 0, approved: 0 });

    const approved = ok(await h.gql(ROLLUP, { u: "22", p: "2025-Q3", a: true }, tokens.provincePlanner)).rollup;
    expect(approved.approvedOnly).toBe(true);
    expect(cell(approved.cells, "AWR_COMMUNE_ACTIVITY")).toMatchObject({ unitsReported: 2, unitsMeeting: 1, unitsApproved: 2, completeness: share(2, 54) });
    expect(cell(approved.cells, "AWR_COMMUNE_ACTIVITY").value).toBeCloseTo((1 / 54) * 100, 2);
    expect(cell(approved.cells, "AWR_RISKY_WORKERS_INFORMED")).toMatchObject({ value: 81.25, numerator: 65, denominator: 80 });
    expect(cell(approved.children.find((c: { unit: { code: string } }) => c.unit.code === "06661").cells, "AWR_RISKY_WORKERS_INFORMED").value).toBeNull();
    // a longer period combines the approved quarters (the latest report of a ratio; Bãi Cháy's 2025-Q4 is not approved)
    const h2 = ok(await h.gql(ROLLUP, { u: "22", p: "2025-H2", a: true }, tokens.provincePlanner)).rollup;
    expect(cell(h2.cells, "AWR_RISKY_WORKERS_INFORMED")).toMatchObject({ value: 81.25, unitsReported: 2 });
    // the statement count is that of an ordinary roll-up
    const plain = await h.gql(ROLLUP, { u: "22", p: "2025-Q3" }, tokens.provincePlanner);
    const onlyApproved = await h.gql(ROLLUP, { u: "22", p: "2025-Q3", a: true }, tokens.provincePlanner);
    expect(onlyApproved.statements).toBe(plain.statements);
  });

  it("gives the ministry the approved coverage of each province beside its value", async () => {
    const COMPARE = `query($a: Boolean) { nationalComparison(period: "2025-Q3", indicators: ["AWR_RISKY_WORKERS_INFORMED"], approvedOnly: $a) {
      approvedOnly nation { cells { value unitsReported unitsApproved approved } } provinces { unit { code } cells { value completeness unitsApproved approved rank } } } }`;
    // 3 of 54 communes report: ranked only with no minimum completeness (the default, 50%, is tested in rollup-honest.test.ts)
    await h.dataSource.query(`UPDATE indicator SET min_completeness = 0 WHERE code = 'AWR_RISKY_WORKERS_INFORMED'`);
    const mixed = ok(await h.gql(COMPARE, { a: false }, tokens.nationViewer)).nationalComparison;
    const qn = (c: any) => c.provinces.find((p: { unit: { code: string } }) => p.unit.code === "22").cells[0];
    expect(qn(mixed)).toMatchObject({ value: 62.5, completeness: share(3, 54), unitsApproved: 2, approved: share(2, 54), rank: 1 });
    expect(mixed.nation.cells[0]).toMatchObject({ unitsReported: 3, unitsApproved: 2 });
    const approved = ok(await h.gql(COMPARE, { a: true }, tokens.nationViewer)).nationalComparison;
    expect(approved.approvedOnly).toBe(true);
    expect(qn(approved)).toMatchObject({ value: 81.25, unitsApproved: 2, approved: share(2, 54), rank: 1 });
    expect(approved.provinces.filter((p: { cells: Array<{ value: number | null }> }) => p.cells[0]!.value !== null)).toHaveLength(1);
    expect(approved.nation.cells[0]).toMatchObject({ value: 81.25, unitsReported: 2, unitsApproved: 2 });
  });
});

describe("a province's own data, approved by the nation", () => {
  it("is the same step one level up: the province's reporter submits, the ministry's planner approves, the province's rows lock", async () => {
    ok(await submitRows([{ unitCode: "22", indicatorCode: "AWR_PRESS_FREQUENCY", period: "2025-Q3", value: 3 }], tokens.provinceReporter));
    const submitted = ok(await h.gql(SUBMIT_PERIOD, { i: { unitCode: "22", period: "2025-Q3" } }, tokens.provinceReporter)).submitPeriod;
    expect(submitted).toMatchObject({ state: "SUBMITTED", approver: { code: "VN" }, reports: 1 });
    const own = await refused(() => h.gql(APPROVE, { i: { unitCode: "22", period: "2025-Q3" } }, tokens.provincePlanner), "FORBIDDEN", "input.unitCode");
    expect(own.errors![0]!.extensions!.approverUnitCode).toBe("VN");
    const approved = ok(await h.gql(APPROVE, { i: { unitCode: "22", period: "2025-Q3" } }, tokens.nationPlanner)).approvePeriod[0];
    expect(approved).toMatchObject({ state: "APPROVED", approvedBy: "ministry-planner", approvedByUnitCode: "VN" });
    const locked = await refused(
      () => submitRows([{ unitCode: "22", indicatorCode: "AWR_PRESS_FREQUENCY", period: "2025-Q3", value: 4 }], tokens.provinceReporter),
      "BAD_USER_INPUT",
      "rows",
    );
    expect(locked.errors![0]!.extensions!.invalidRows[0]).toMatchObject({ code: "LOCKED", approvedBy: "ministry-planner", approvedByUnitCode: "VN" });
    // the province's approval is of its own rows: its communes' data keeps its own state (Việt Hưng, returned, takes corrections)
    expect(ok(await submitRows([informed("06661", 12, 40)], tokens.provinceReporter)).submitReports.updated).toBe(1);
    const COMPARE = `{ nationalComparison(period: "2025-Q3", indicators: ["AWR_PRESS_FREQUENCY"], approvedOnly: true) {
      nation { cells { value unitsApproved unitsExpected approved } } provinces { unit { code } cells { value approved } } } }`;
    const c = ok(await h.gql(COMPARE, {}, tokens.nationViewer)).nationalComparison;
    expect(c.nation.cells[0]).toMatchObject({ value: 3, unitsApproved: 1, unitsExpected: 34, approved: share(1, 34) });
    expect(c.provinces.find((p: { unit: { code: string } }) => p.unit.code === "22").cells[0]).toEqual({ value: 3, approved: 1 });
  });
});

describe("periods of the old tree, approved by the unit above that exists today", () => {
  it("2024-Q2 of Hạ Long's wards (a district abolished on 1/7/2025): Quảng Ninh approves them, all at once", async () => {
    ok(await submitRows([activity("06649", 1, "2024-Q2"), activity("06652", 0, "2024-Q2")], tokens.provinceReporter));
    for (const unitCode of ["06649", "06652"]) ok(await h.gql(SUBMIT_PERIOD, { i: { unitCode, period: "2024-Q2" } }, tokens.provinceReporter));
    const list = ok(await h.gql(APPROVALS, { u: "193", p: "2024-Q2", s: "SUBMITTED" }, tokens.provincePlanner)).periodApprovals;
    expect(list.nodes.map((n: { unit: { code: string }; approver: { code: string } }) => `${n.unit.code}→${n.approver.code}`)).toEqual(["06649→22", "06652→22"]);
    // the district itself (2024's tree) is approved by the province too
    const district = ok(await h.gql(APPROVALS, { u: "193", p: "2024-Q2", first: 1 }, tokens.provincePlanner)).periodApprovals.nodes[0];
    expect(district).toMatchObject({ unit: { code: "193", name: "Thành phố Hạ Long" }, approver: { code: "22" } });
    await refused(() => h.gql(APPROVE, { i: { unitCode: "06649", period: "2024-Q2" } }, tokens.nationPlanner), "FORBIDDEN", "input.unitCode");
    const approved = ok(await h.gql(APPROVE, { i: { period: "2024-Q2", unitCode: "193", allSubmitted: true } }, tokens.provincePlanner)).approvePeriod;
    expect(approved.map((a: { unit: { code: string }; state: string }) => `${a.unit.code} ${a.state}`)).toEqual(["06649 APPROVED", "06652 APPROVED"]);
    const r = ok(
      await h.gql(`{ rollup(unitCode: "22", period: "2024-Q2", indicators: ["AWR_COMMUNE_ACTIVITY"]) { cells { unitsApproved } children { unit { code } cells { unitsApproved approved } } } }`, {}, tokens.provincePlanner),
    ).rollup;
    expect(r.cells[0].unitsApproved).toBe(2);
    expect(r.children.find((c: { unit: { code: string } }) => c.unit.code === "193").cells[0].unitsApproved).toBe(2);
    await expectApprovedSummaryExact("193", "2024-06-30", "AWR_COMMUNE_ACTIVITY", "2024-Q2");
  });

  it("2024-Q2 of An Biên's communes (old Kiên Giang): the new An Giang, its successor, approves; its summaries count them", async () => {
    ok(await submitRows([activity("30985", 1, "2024-Q2"), activity("30988", 1, "2024-Q2")], tokens.anGiangReporter));
    const submitted = ok(await h.gql(SUBMIT_PERIOD, { i: { unitCode: "30985", period: "2024-Q2" } }, tokens.anGiangReporter)).submitPeriod;
    expect(submitted.approver).toEqual({ code: "91", name: "Tỉnh An Giang", validFrom: "2025-07-01" });
    ok(await h.gql(SUBMIT_PERIOD, { i: { unitCode: "30988", period: "2024-Q2" } }, tokens.anGiangReporter));
    await refused(() => h.gql(APPROVE, { i: { unitCode: "30985", period: "2024-Q2" } }, tokens.nationPlanner), "FORBIDDEN", "input.unitCode");
    await refused(() => h.gql(APPROVE, { i: { unitCode: "30985", period: "2024-Q2" } }, tokens.provincePlanner), "NOT_FOUND");
    ok(await h.gql(APPROVE, { i: { unitCode: "30985", period: "2024-Q2" } }, tokens.anGiangPlanner));
    // 91 on 2024's tree is old Kiên Giang: its units, approved by the new An Giang (the old province itself by the nation)
    const list = ok(await h.gql(APPROVALS, { u: "91", p: "2024-Q2", first: 1 }, tokens.anGiangPlanner)).periodApprovals;
    expect(list.nodes[0]).toMatchObject({ unit: { code: "91", name: "Tỉnh Kiên Giang" }, approver: { code: "VN" } });
    expect(list.counts).toMatchObject({ submitted: 1, approved: 1 });
    const rest = ok(await h.gql(APPROVE, { i: { unitCode: "91", period: "2024-Q2", allSubmitted: true } }, tokens.anGiangPlanner)).approvePeriod;
    expect(rest.map((a: { unit: { code: string } }) => a.unit.code)).toEqual(["30988"]);
    const r = ok(await h.gql(`{ rollup(unitCode: "91", period: "2024-Q2", indicators: ["AWR_COMMUNE_ACTIVITY"]) { unit { name } cells { unitsReported unitsApproved } } }`, {}, tokens.anGiangPlanner)).rollup;
    expect(r).toEqual({ unit: { name: "Tỉnh Kiên Giang" }, cells: [{ unitsReported: 2, unitsApproved: 2 }] });
    await expectApprovedSummaryExact("908", "2024-06-30", "AWR_COMMUNE_ACTIVITY", "2024-Q2");
    await expectApprovedSummaryExact("VN", "2024-06-30", "AWR_COMMUNE_ACTIVITY", "2024-Q2");
  });

  it("restated on today's tree, the new An Giang's 2024-Q2 shows old Kiên Giang's approved share, and approvedOnly restates the approved data", async () => {
    const Q = `query($a: Boolean) { rollup(unitCode: "91", period: "2024-Q2", asOf: "2026-01-01", indicators: ["AWR_COMMUNE_ACTIVITY"], approvedOnly: $a) {
      unit { name validFrom } restatedFrom { unit { code name } } cells { value unitsReported unitsMeeting unitsExpected unitsApproved approved restated { exact } } } }`;
    const all = ok(await h.gql(Q, { a: false }, tokens.anGiangPlanner)).rollup;
    expect(all.unit).toEqual({ name: "Tỉnh An Giang", validFrom: "2025-07-01" });
    expect(all.restatedFrom.map((s: { unit: { name: string } }) => s.unit.name).sort()).toEqual(["Tỉnh An Giang", "Tỉnh Kiên Giang"]);
    const cell = all.cells[0];
    expect(cell).toMatchObject({ unitsReported: 2, unitsApproved: 2, approved: share(2, cell.unitsExpected) });
    expect(cell.unitsExpected).toBeGreaterThan(200); // the communes of old Kiên Giang and old An Giang in 2024
    // one of them reopened: the approved share drops, approvedOnly counts the other alone
    ok(await h.gql(REOPEN, { i: { unitCode: "30988", period: "2024-Q2", reason: "Kiểm tra lại" } }, tokens.anGiangPlanner));
    const after = ok(await h.gql(Q, { a: false }, tokens.anGiangPlanner)).rollup.cells[0];
    expect(after).toMatchObject({ unitsReported: 2, unitsApproved: 1 });
    const approvedOnly = ok(await h.gql(Q, { a: true }, tokens.anGiangPlanner)).rollup.cells[0];
    expect(approvedOnly).toMatchObject({ unitsReported: 1, unitsMeeting: 1, unitsApproved: 1, restated: { exact: true } });
  });
});

describe("on a server as on 30/6/2025 (the three-tier tree)", () => {
  let g: Harness;
  beforeAll(async () => {
    g = await startHarness({ today: "2025-06-30" });
  });
  afterAll(() => g?.close());

  it("a commune's 2025-Q1 is approved by its district, which exists that day; the province is refused, naming the district", async () => {
    const reporter = g.token("22", [Role.REPORTER], "qn-reporter");
    expect(errorCode(await g.gql(SUBMIT_REPORTS, { i: { rows: [activity("06649", 1, "2025-Q1")] } }, reporter))).toBeUndefined();
    const submitted = await g.gql(SUBMIT_PERIOD, { i: { unitCode: "06649", period: "2025-Q1" } }, reporter);
    expect(submitted.data.submitPeriod.approver).toEqual({ code: "193", name: "Thành phố Hạ Long", validFrom: expect.any(String) });
    const province = await g.gql(APPROVE, { i: { unitCode: "06649", period: "2025-Q1" } }, g.token("22", [Role.PLANNER], "qn-planner"));
    expect(errorCode(province)).toBe("FORBIDDEN");
    expect(province.errors![0]!.message).toMatch(/by 193 \(Thành phố Hạ Long\)/);
    const district = await g.gql(APPROVE, { i: { unitCode: "06649", period: "2025-Q1" } }, g.token("193", [Role.PLANNER], "ha-long-planner"));
    expect(district.errors).toBeUndefined();
    expect(district.data.approvePeriod[0]).toMatchObject({ state: "APPROVED", approvedByUnitCode: "193" });
  });
});

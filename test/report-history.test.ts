import { Role } from "../src/auth/auth.types";
import type { AuthedContext } from "../src/context";
import { ReportService } from "../src/report/report.service";
import { BACKFILL_HISTORY } from "../migrations/1763901750000-ReportApproval";
import { errorCode, startHarness, type GqlResult, type Harness } from "./support/harness";

/**
 * Corrections and history (issue 14, item 6): a reporter withdraws a row sent by mistake before its unit and period are
 * approved (with a reason; summaries follow), not after; every report's history (values, who, when, reason, batch;
 * withdrawals included) reads back; the database refuses any write to approved data, also one racing an approval.
 */
let h: Harness;
let base: string;
let reporter: string;
let planner: string;
beforeAll(async () => {
  h = await startHarness();
  base = `http://127.0.0.1:${await h.server.listen(0)}`;
  reporter = h.token("22", [Role.REPORTER, Role.VIEWER], "qn-reporter");
  planner = h.token("22", [Role.PLANNER, Role.VIEWER], "qn-planner");
});
afterAll(async () => {
  await new Promise((resolve) => h.server.httpServer.close(resolve));
  await h.close();
});

const SUBMIT = `mutation($i: SubmitReportsInput!) { submitReports(input: $i) { inserted updated unchanged } }`;
const WITHDRAW = `mutation($i: WithdrawReportInput!) { withdrawReport(input: $i) { unitCode indicatorCode period value numerator denominator reason } }`;
const HISTORY = `query($u: String!, $i: String!, $p: String!) { reportHistory(unitCode: $u, indicatorCode: $i, period: $p) {
  unit { code name } indicator { code } period
  current { action value numerator denominator by reason batch }
  changes { action value numerator denominator by reason batch at }
  approval { state approver { code } } } }`;
const ROW = { unitCode: "06673", indicatorCode: "AWR_RISKY_WORKERS_INFORMED", period: "2025-Q3" };

async function snapshot(): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const t of ["report", "report_summary", "report_summary_approved", "report_approval", "report_history", "audit_log", "report_submission"]) {
    const [{ sum }] = await h.dataSource.query(`SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS sum FROM ${t} t`);
    sums[t] = sum;
  }
  return sums;
}

async function refused(call: () => Promise<GqlResult>, code: string, field?: string): Promise<GqlResult> {
  const before = await snapshot();
  const r = await call();
  expect({ code: errorCode(r), field: field === undefined ? undefined : r.errors?.[0]?.extensions?.field }).toEqual({ code, field });
  expect(await snapshot()).toEqual(before);
  return r;
}

/** A unit's summary of the indicator for the period (today's unit of the code), checked against a recount from the facts. */
async function summaryOf(unitCode: string, indicatorCode: string, period: string) {
  const [row] = await h.dataSource.query(
    `SELECT coalesce(s.units_reported, 0) AS reported, coalesce(s.numerator_sum, 0)::float8 AS numerator, coalesce(s.denominator_sum, 0)::float8 AS denominator,
            (SELECT count(*)::int FROM report r WHERE r.indicator_id = i.id AND r.period_code = $3 AND r.unit_path LIKE u.path || '%') AS counted,
            (SELECT coalesce(sum(r.numerator), 0)::float8 FROM report r WHERE r.indicator_id = i.id AND r.period_code = $3 AND r.unit_path LIKE u.path || '%') AS counted_numerator
       FROM org_unit u JOIN indicator i ON i.code = $2
       LEFT JOIN report_summary s ON s.unit_id = u.id AND s.indicator_id = i.id AND s.period_code = $3
      WHERE u.code = $1 AND u.valid_to IS NULL`,
    [unitCode, indicatorCode, period],
  );
  // (a quarter: recounted from its reports; a half-year or year combines quarters by the period rule)
  if (period.includes("-Q")) expect({ reported: row.reported, numerator: row.numerator }).toEqual({ reported: row.counted, numerator: row.counted_numerator });
  return { reported: row.reported as number, numerator: row.numerator as number, denominator: row.denominator as number };
}

async function upload(csv: string, fields: Record<string, string>): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.set("file", new Blob([csv]), "q3.csv");
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const response = await fetch(`${base}/reports/upload`, { method: "POST", body: form, headers: { authorization: `Bearer ${reporter}` } });
  return { status: response.status, body: await response.json() };
}

describe("withdrawing a row sent by mistake", () => {
  it("removes it before approval, with a reason: the summaries of every ancestor follow, the history keeps it", async () => {
    const before = { qn: await summaryOf("22", ROW.indicatorCode, "2025-Q3"), vn: await summaryOf("VN", ROW.indicatorCode, "2025-Q3") };
    const sent = await h.gql(SUBMIT, { i: { rows: [{ ...ROW, numerator: 30, denominator: 60 }, { ...ROW, unitCode: "06661", numerator: 5, denominator: 10 }] } }, reporter);
    expect(sent.data.submitReports.inserted).toBe(2);
    expect(await summaryOf("22", ROW.indicatorCode, "2025-Q3")).toEqual({ reported: before.qn.reported + 2, numerator: 35, denominator: 70 });
    // the half-year and the year it feeds too
    expect((await summaryOf("22", ROW.indicatorCode, "2025-H2")).reported).toBe(2);

    await refused(() => h.gql(WITHDRAW, { i: { ...ROW, reason: "" } }, reporter), "BAD_USER_INPUT", "input.reason");
    const w = await h.gql(WITHDRAW, { i: { ...ROW, reason: "Gửi nhầm phường" } }, reporter);
    expect(w.errors).toBeUndefined();
    expect(w.data.withdrawReport).toEqual({ ...ROW, value: null, numerator: 30, denominator: 60, reason: "Gửi nhầm phường" });
    expect(await summaryOf("22", ROW.indicatorCode, "2025-Q3")).toEqual({ reported: 1, numerator: 5, denominator: 10 });
    expect(await summaryOf("VN", ROW.indicatorCode, "2025-Q3")).toEqual({ reported: 1, numerator: 5, denominator: 10 });
    expect((await summaryOf("22", ROW.indicatorCode, "2025-H2")).reported).toBe(1);
    expect((await summaryOf("22", ROW.indicatorCode, "2025")).reported).toBe(1);
    const [audit] = await h.dataSource.query(`SELECT actor, reason, old_value->>'numerator' AS numerator FROM audit_log WHERE action = 'report.withdraw'`);
    expect(audit).toEqual({ actor: "qn-reporter", reason: "Gửi nhầm phường", numerator: "30.000" });

    // gone: a second withdrawal finds nothing
    await refused(() => h.gql(WITHDRAW, { i: { ...ROW, reason: "Gửi nhầm phường" } }, reporter), "NOT_FOUND");
  });

  it("refuses another tenant (NOT_FOUND), a viewer (FORBIDDEN), a code that names no unit for the period, and an unknown indicator", async () => {
    await refused(() => h.gql(WITHDRAW, { i: { ...ROW, unitCode: "06661", reason: "Thử" } }, h.token("79", [Role.REPORTER])), "NOT_FOUND");
    await refused(() => h.gql(WITHDRAW, { i: { ...ROW, unitCode: "06661", reason: "Thử" } }, h.token("06673", [Role.REPORTER])), "NOT_FOUND");
    await refused(() => h.gql(WITHDRAW, { i: { ...ROW, unitCode: "06661", reason: "Thử" } }, h.token("22", [Role.VIEWER])), "FORBIDDEN");
    await refused(() => h.gql(WITHDRAW, { i: { ...ROW, unitCode: "06655", reason: "Thử" } }, reporter), "NOT_FOUND");
    await refused(() => h.gql(WITHDRAW, { i: { ...ROW, unitCode: "06661", indicatorCode: "NO_SUCH", reason: "Thử" } }, reporter), "NOT_FOUND");
    await refused(() => h.gql(WITHDRAW, { i: { ...ROW, unitCode: "06661", period: "2025-Q9", reason: "Thử" } }, reporter), "BAD_USER_INPUT", "input.period");
  });

  it("is refused once the unit and period are approved (CONFLICT naming who approved), and taken again after a reopen", async () => {
    const unit = "06661";
    expect(errorCode(await h.gql(`mutation { submitPeriod(input: { unitCode: "${unit}", period: "2025-Q3" }) { state } }`, {}, reporter))).toBeUndefined();
    expect(errorCode(await h.gql(`mutation { approvePeriod(input: { unitCode: "${unit}", period: "2025-Q3" }) { state } }`, {}, planner))).toBeUndefined();
    const r = await refused(() => h.gql(WITHDRAW, { i: { ...ROW, unitCode: unit, reason: "Gửi nhầm" } }, reporter), "CONFLICT", "input.period");
    expect(r.errors![0]!.message).toMatch(/approved by qn-planner of 22 at .*: it is locked/);
    expect(errorCode(await h.gql(`mutation { reopenPeriod(input: { unitCode: "${unit}", period: "2025-Q3", reason: "Cho rút số liệu" }) { state } }`, {}, planner))).toBeUndefined();
    const w = await h.gql(WITHDRAW, { i: { ...ROW, unitCode: unit, reason: "Gửi nhầm" } }, reporter);
    expect(w.errors).toBeUndefined();
    expect(await summaryOf("22", ROW.indicatorCode, "2025-Q3")).toEqual({ reported: 0, numerator: 0, denominator: 0 });
    // nothing approved is left of it
    const [{ n }] = await h.dataSource.query(`SELECT count(*)::int AS n FROM report_summary_approved WHERE units_reported <> 0 OR numerator_sum <> 0`);
    expect(n).toBe(0);
  });
});

describe("a report's history", () => {
  it("lists every change: first value, updates by mutation and by file (batch, reason), the withdrawal, the value sent again", async () => {
    const period = "2025-Q3";
    const row = { unitCode: "06688", indicatorCode: "AWR_COMMUNE_ACTIVITY", period };
    await h.gql(SUBMIT, { i: { rows: [{ ...row, value: 1 }], idempotencyKey: "qn-q3-1" } }, reporter);
    await h.gql(SUBMIT, { i: { rows: [{ ...row, value: 1 }] } }, reporter); // unchanged: no change recorded
    await h.gql(SUBMIT, { i: { rows: [{ ...row, value: 0 }], reason: "Sai số liệu quý III" } }, reporter);
    const file = await upload("unit_code,indicator_code,period,value\n06688,AWR_COMMUNE_ACTIVITY,2025-Q3,1\n", { idempotencyKey: "qn-q3-file", reason: "Theo biên bản" });
    expect(file.status).toBe(200);
    await h.gql(WITHDRAW, { i: { ...row, reason: "Trùng với báo cáo của phường khác" } }, reporter);
    await h.gql(SUBMIT, { i: { rows: [{ ...row, value: 1 }], idempotencyKey: "qn-q3-2" } }, reporter);

    const r = await h.gql(HISTORY, { u: "06688", i: "AWR_COMMUNE_ACTIVITY", p: period }, h.token("06688", [Role.VIEWER], "ha-long-viewer"));
    expect(r.errors).toBeUndefined();
    const history = r.data.reportHistory;
    expect(history.unit).toEqual({ code: "06688", name: "Phường Hạ Long" });
    expect(history.changes.map(({ at, ...c }: { at: string }) => (expect(Date.parse(at)).not.toBeNaN(), c))).toEqual([
      { action: "SUBMITTED", value: 1, numerator: null, denominator: null, by: "qn-reporter", reason: null, batch: "qn-q3-1" },
      { action: "UPDATED", value: 0, numerator: null, denominator: null, by: "qn-reporter", reason: "Sai số liệu quý III", batch: expect.any(String) },
      { action: "UPDATED", value: 1, numerator: null, denominator: null, by: "qn-reporter", reason: "Theo biên bản", batch: "qn-q3-file" },
      { action: "WITHDRAWN", value: 1, numerator: null, denominator: null, by: "qn-reporter", reason: "Trùng với báo cáo của phường khác", batch: expect.any(String) },
      { action: "SUBMITTED", value: 1, numerator: null, denominator: null, by: "qn-reporter", reason: null, batch: "qn-q3-2" },
    ]);
    expect(history.current).toEqual({ action: "SUBMITTED", value: 1, numerator: null, denominator: null, by: "qn-reporter", reason: null, batch: "qn-q3-2" });
    expect(history.approval).toEqual({ state: "OPEN", approver: { code: "22" } });

    // a report never sent: no change, nothing current; another tenant: NOT_FOUND
    const none = await h.gql(HISTORY, { u: "06673", i: "AWR_COMMUNE_ACTIVITY", p: "2025-Q4" }, reporter);
    expect(none.data.reportHistory).toMatchObject({ current: null, changes: [] });
    expect(errorCode(await h.gql(HISTORY, { u: "06688", i: "AWR_COMMUNE_ACTIVITY", p: period }, h.token("06673", [Role.VIEWER])))).toBe("NOT_FOUND");
    expect(errorCode(await h.gql(HISTORY, { u: "06688", i: "AWR_COMMUNE_ACTIVITY", p: period }, h.token("79", [Role.VIEWER])))).toBe("NOT_FOUND");
  });

  it("the migration rebuilds the same history for reports stored before it, from the reports and their update audits (no reasons, batches)", async () => {
    const rows = (v: number, n: number) => [
      { unitCode: "06736", indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2025-Q3", value: v },
      { unitCode: "06757", indicatorCode: "AWR_RISKY_WORKERS_INFORMED", period: "2025-Q3", numerator: n, denominator: 50 },
    ];
    for (const [v, n] of [[1, 10], [0, 10], [0, 20], [1, 30]] as const) expect(errorCode(await h.gql(SUBMIT, { i: { rows: rows(v, n) } }, reporter))).toBeUndefined();
    const KEY = `unit_id, indicator_id, period_code`;
    // reports that exist now and were never withdrawn (a withdrawal has no earlier record to be rebuilt from)
    const keys: Array<{ unit_id: number; indicator_id: number; period_code: string }> = await h.dataSource.query(
      `SELECT ${KEY} FROM report WHERE (${KEY}) NOT IN (SELECT ${KEY} FROM report_history WHERE action = 'withdrawn')`,
    );
    const params = [keys.map((k) => k.unit_id), keys.map((k) => k.indicator_id), keys.map((k) => k.period_code)];
    const read = `SELECT ${KEY}, action, value::text, numerator::text, denominator::text, changed_by, changed_at FROM report_history
                   WHERE (${KEY}) IN (SELECT * FROM unnest($1::int[], $2::int[], $3::text[])) ORDER BY ${KEY}, changed_at, id`;
    const recorded = await h.dataSource.query(read, params);
    expect(recorded.length).toBeGreaterThanOrEqual(6);
    expect(recorded.some((r: { action: string }) => r.action === "updated")).toBe(true);
    const runner = h.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(`DELETE FROM report_history`);
      await runner.query(BACKFILL_HISTORY);
      expect(await runner.query(read, params)).toEqual(recorded);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it("a reason shorter than 3 characters refuses the batch, writing nothing", async () => {
    await refused(() => h.gql(SUBMIT, { i: { rows: [{ unitCode: "06688", indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2025-Q3", value: 0 }], reason: "x" } }, reporter), "BAD_USER_INPUT", "input.reason");
  });
});

describe("the database's own lock of approved data", () => {
  const approve = async (unitCode: string, period: string) => {
    expect(errorCode(await h.gql(`mutation { submitPeriod(input: { unitCode: "${unitCode}", period: "${period}" }) { state } }`, {}, reporter))).toBeUndefined();
    expect(errorCode(await h.gql(`mutation { approvePeriod(input: { unitCode: "${unitCode}", period: "${period}" }) { state } }`, {}, planner))).toBeUndefined();
  };

  it("refuses any insert, update or delete of approved data, whoever writes it", async () => {
    await h.gql(SUBMIT, { i: { rows: [{ unitCode: "06706", indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2025-Q3", value: 1 }] } }, reporter);
    await approve("06706", "2025-Q3");
    const where = `unit_id = (SELECT id FROM org_unit WHERE code = '06706' AND valid_to IS NULL) AND period_code = '2025-Q3'`;
    await expect(h.dataSource.query(`UPDATE report SET value = 0 WHERE ${where}`)).rejects.toMatchObject({ constraint: "report_locked" });
    await expect(h.dataSource.query(`DELETE FROM report WHERE ${where}`)).rejects.toMatchObject({ constraint: "report_locked" });
    await expect(
      h.dataSource.query(
        `INSERT INTO report (unit_id, indicator_id, period_code, period_type, period_start, period_end, numerator, denominator, submitted_by)
         SELECT u.id, i.id, '2025-Q3', 'quarter', '2025-07-01', '2025-09-30', 1, 2, 'owner' FROM org_unit u, indicator i
          WHERE u.code = '06706' AND u.valid_to IS NULL AND i.code = 'AWR_RISKY_WORKERS_INFORMED'`,
      ),
    ).rejects.toMatchObject({ constraint: "report_locked" });
  });

  it("a batch validated before an approval that commits first is refused whole (CONFLICT), writing nothing", async () => {
    const rows = [
      { unitCode: "06712", indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2025-Q3", value: 1 },
      { unitCode: "06724", indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2025-Q3", value: 1 },
    ];
    const ctx = (await h.server.contextFor(`Bearer ${reporter}`)) as AuthedContext;
    try {
      const v = await ReportService.validate(ctx, rows);
      expect(v.errors).toEqual([]);
      const before = await snapshot();
      await approve("06724", "2025-Q3"); // another request, committed: 06724's 2025-Q3 has no rows yet
      const afterApproval = await snapshot();
      expect(afterApproval.report).toBe(before.report);
      await expect(ReportService.write(ctx, v.rows, v.indicators)).rejects.toMatchObject({ code: "CONFLICT", details: { field: "rows" } });
      await ctx.db.finish(false);
      expect(await snapshot()).toEqual(afterApproval);
    } finally {
      await ctx.db.finish(false);
    }
  });

  it("an approval waits for a batch in flight, then counts what it wrote", async () => {
    const rows = [{ unitCode: "06733", indicatorCode: "AWR_RISKY_WORKERS_INFORMED", period: "2025-Q3", numerator: 7, denominator: 9 }];
    expect(errorCode(await h.gql(`mutation { submitPeriod(input: { unitCode: "06733", period: "2025-Q3" }) { state } }`, {}, reporter))).toBeUndefined();
    const ctx = (await h.server.contextFor(`Bearer ${reporter}`)) as AuthedContext;
    const v = await ReportService.validate(ctx, rows);
    await ReportService.write(ctx, v.rows, v.indicators); // holds the writers' locks until it commits
    let settled = false;
    const approval = h.gql(`mutation { approvePeriod(input: { unitCode: "06733", period: "2025-Q3" }) { state reports } }`, {}, planner).then((r) => {
      settled = true;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    await ctx.db.finish(true);
    const r = await approval;
    expect(r.errors).toBeUndefined();
    expect(r.data.approvePeriod).toEqual([{ state: "APPROVED", reports: 1 }]);
    const [s] = await h.dataSource.query(
      `SELECT s.units_reported, s.numerator_sum::float8 AS n FROM report_summary_approved s JOIN org_unit u ON u.id = s.unit_id JOIN indicator i ON i.id = s.indicator_id
        WHERE u.code = '22' AND i.code = 'AWR_RISKY_WORKERS_INFORMED' AND s.period_code = '2025-Q3'`,
    );
    expect(s).toEqual({ units_reported: 1, n: 7 });
  });
});

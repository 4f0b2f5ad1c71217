import { Role } from "../src/auth/auth.types";
import { errorCode, startHarness, type Harness } from "./support/harness";

let h: Harness;
let reporter: string;
beforeAll(async () => {
  h = await startHarness();
  reporter = h.token("22", [Role.REPORTER, Role.VIEWER], "qn-reporter");
});
afterAll(() => h.close());

const SUBMIT = `mutation($input: SubmitReportsInput!) {
  submitReports(input: $input) { dryRun replayed received inserted updated unchanged }
}`;

type Row = { unitCode: string; indicatorCode: string; period: string; value?: number; numerator?: number; denominator?: number };
const yes = (unitCode: string, value: number, period = "2025-Q1"): Row => ({ unitCode, indicatorCode: "AWR_COMMUNE_ACTIVITY", period, value });
const ratio = (unitCode: string, numerator: number, denominator: number, period = "2025-Q1"): Row => ({
  unitCode,
  indicatorCode: "AWR_RISKY_WORKERS_INFORMED",
  period,
  numerator,
  denominator,
});

/** Everything the reporting path may write: reports, summaries, audit entries, idempotency keys. */
async function snapshot() {
  const [row] = await h.dataSource.query(
    `SELECT (SELECT count(*) FROM report)::int AS reports,
            (SELECT coalesce(sum(coalesce(value, 0) + coalesce(numerator, 0) + coalesce(denominator, 0)), 0)::float8 FROM report) AS report_total,
            (SELECT count(*) FROM report_summary)::int AS summaries,
            (SELECT coalesce(sum(value_sum + numerator_sum + denominator_sum + units_reported + units_meeting), 0)::float8 FROM report_summary) AS summary_total,
            (SELECT count(*) FROM audit_log)::int AS audits,
            (SELECT count(*) FROM report_submission)::int AS keys`,
  );
  return row;
}

const BAD_ROWS: Array<[Row, string, string]> = [
  [{ ...yes("06838", 1), value: -1 }, "value", "NOT_YES_NO"],
  [ratio("06841", 5, -2), "denominator", "NEGATIVE_VALUE"],
  [ratio("06844", 12, 10), "numerator", "NUMERATOR_EXCEEDS_DENOMINATOR"],
  [yes("06847", 2), "value", "NOT_YES_NO"],
  [yes("198", 1), "unitCode", "WRONG_UNIT_LEVEL"],
  [yes("06853", 1, "2025-H1"), "period", "WRONG_PERIOD_TYPE"],
  [yes("06856", 1, "2019-Q1"), "period", "OUTSIDE_PLAN"],
  [yes("99999", 1), "unitCode", "UNKNOWN_UNIT"],
  [{ unitCode: "06859", indicatorCode: "NO_SUCH_INDICATOR", period: "2025-Q1", value: 1 }, "indicatorCode", "UNKNOWN_INDICATOR"],
  // Lai Châu's commune: outside Quảng Ninh's subtree, answered as unknown
  [yes("03386", 1), "unitCode", "UNKNOWN_UNIT"],
  [{ unitCode: "198", indicatorCode: "ENF_CRIMES_HANDLED", period: "2025-Q1", value: -3 }, "value", "NEGATIVE_VALUE"],
  [{ unitCode: "198", indicatorCode: "ENF_CRIMES_HANDLED", period: "2025-Q2", value: 2.5 }, "value", "NOT_WHOLE_NUMBER"],
  [{ unitCode: "199", indicatorCode: "ENF_CRIMES_HANDLED", period: "2025-Q1" }, "value", "MISSING_VALUE"],
  [{ unitCode: "07192", indicatorCode: "AWR_RISKY_WORKERS_INFORMED", period: "2025-Q1", numerator: 3 }, "denominator", "MISSING_VALUE"],
  [yes("07195", 1, "2025-Q5"), "period", "BAD_PERIOD"],
];

describe("report submission", () => {
  it("refuses a batch with bad rows mixed in, listing every bad row, and writes nothing", async () => {
    const good = [yes("07192", 1), yes("07195", 0), ratio("07198", 8, 10)];
    const rows = [...good.slice(0, 2), ...BAD_ROWS.map(([r]) => r), good[2]!, yes("07192", 0)];
    const before = await snapshot();
    const r = await h.gql(SUBMIT, { input: { rows } }, reporter);
    expect(errorCode(r)).toBe("BAD_USER_INPUT");
    const listed = r.errors![0]!.extensions!.invalidRows as Array<{ index: number; field: string; code: string }>;
    const expected = BAD_ROWS.map(([, field, code], i) => ({ index: i + 2, field, code }));
    expected.push({ index: rows.length - 1, field: "period", code: "DUPLICATE_ROW" });
    expect(listed.map(({ index, field, code }) => ({ index, field, code }))).toEqual(expected);
    expect(r.errors![0]!.message).toBe(`${BAD_ROWS.length + 1} of ${rows.length} rows are invalid; nothing was written.`);
    expect(await snapshot()).toEqual(before);
  });

  it("dry-runs a valid batch: counts what it would do and writes nothing", async () => {
    const before = await snapshot();
    const rows = [yes("07192", 1), yes("07195", 1), ratio("07198", 8, 10)];
    const r = await h.gql(SUBMIT, { input: { rows, dryRun: true, idempotencyKey: "dry-1" } }, reporter);
    expect(r.errors).toBeUndefined();
    expect(r.data.submitReports).toEqual({ dryRun: true, replayed: false, received: 3, inserted: 3, updated: 0, unchanged: 0 });
    expect(await snapshot()).toEqual(before);
    // a dry run of a bad batch is refused the same way
    const bad = await h.gql(SUBMIT, { input: { rows: [...rows, BAD_ROWS[2]![0]], dryRun: true } }, reporter);
    expect(errorCode(bad)).toBe("BAD_USER_INPUT");
    expect(await snapshot()).toEqual(before);
  });

  it("is idempotent: same rows unchanged, a changed value updated and audited (old, new, who, when)", async () => {
    const rows = [yes("06838", 1), yes("06841", 0), ratio("06844", 40, 50)];
    const first = await h.gql(SUBMIT, { input: { rows } }, reporter);
    expect(first.data.submitReports).toMatchObject({ inserted: 3, updated: 0, unchanged: 0 });
    const afterFirst = await snapshot();

    const again = await h.gql(SUBMIT, { input: { rows } }, reporter);
    expect(again.data.submitReports).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    expect(await snapshot()).toEqual(afterFirst);

    const changed = [yes("06838", 1), yes("06841", 1), ratio("06844", 40, 50)];
    const third = await h.gql(SUBMIT, { input: { rows: changed } }, reporter);
    expect(third.data.submitReports).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
    const audits = await h.dataSource.query(
      `SELECT a.actor, a.action, a.old_value->>'value' AS old, a.new_value->>'value' AS new, a.new_value->>'period' AS period,
              a.occurred_at IS NOT NULL AS dated,
              -- 06841 names Xã Hoành Mô of huyện Bình Liêu until 30/6/2025 and the new Xã Hoành Mô after: 2025-Q1 is the first
              r.unit_id = (SELECT id FROM org_unit WHERE code = '06841' AND valid_from <= '2025-01-01' AND valid_to > '2025-03-31') AS right_unit
         FROM audit_log a JOIN report r ON r.id::text = a.entity_id WHERE a.entity = 'report'`,
    );
    expect(audits).toEqual([{ actor: "qn-reporter", action: "report.update", old: "0.000", new: "1.000", period: "2025-Q1", dated: true, right_unit: true }]);
    const [stored] = await h.dataSource.query(
      `SELECT value::float8 AS value, submitted_by FROM report r JOIN org_unit u ON u.id = r.unit_id WHERE u.code = '06841'`,
    );
    expect(stored).toEqual({ value: 1, submitted_by: "qn-reporter" });
    // the row landed on the unit of 2025-Q1, not on the new commune of the same code
    const [{ n }] = await h.dataSource.query(
      `SELECT count(*)::int AS n FROM report r JOIN org_unit u ON u.id = r.unit_id WHERE u.code = '06841' AND u.valid_from >= '2025-07-01'`,
    );
    expect(n).toBe(0);
  });

  it("audits every batch that writes, first submissions included: one entry per batch (who, when, key, counts, units)", async () => {
    const batches = async () =>
      h.dataSource.query(
        `SELECT actor, entity, entity_id, new_value, occurred_at IS NOT NULL AS dated, request_id IS NOT NULL AS has_request,
                unit_path = (SELECT path FROM org_unit WHERE code = '22') AS province_path
           FROM audit_log WHERE action = 'report.submit' ORDER BY id`,
      );
    const before = (await batches()).length;
    const rows = [yes("06838", 1, "2023-Q2"), yes("06841", 0, "2023-Q2"), ratio("06838", 4, 5, "2023-Q2")];
    const first = await h.gql(SUBMIT, { input: { rows, idempotencyKey: "qn-2023-q2-upload" } }, reporter);
    expect(first.data.submitReports).toMatchObject({ inserted: 3, updated: 0, unchanged: 0 });
    const afterFirst = await batches();
    // one entry for the batch, not one per row
    expect(afterFirst.slice(before)).toEqual([
      {
        actor: "qn-reporter",
        entity: "report_batch",
        entity_id: "qn-2023-q2-upload",
        new_value: { idempotencyKey: "qn-2023-q2-upload", received: 3, inserted: 3, updated: 0, unchanged: 0, unitCodes: ["06838", "06841"] },
        dated: true,
        has_request: true,
        province_path: true,
      },
    ]);

    // a batch without a key that changes one value: the entry names only the unit it touched
    const changed = await h.gql(SUBMIT, { input: { rows: [yes("06838", 1, "2023-Q2"), yes("06841", 1, "2023-Q2")] } }, reporter);
    expect(changed.data.submitReports).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    const afterChange = await batches();
    expect(afterChange).toHaveLength(before + 2);
    expect(afterChange[before + 1].new_value).toEqual({ idempotencyKey: null, received: 2, inserted: 0, updated: 1, unchanged: 1, unitCodes: ["06841"] });
    expect(afterChange[before + 1].entity_id).toMatch(/./); // the request id stands in for the missing key

    // a replay and a batch that changes nothing write nothing, the audit log included
    await h.gql(SUBMIT, { input: { rows, idempotencyKey: "qn-2023-q2-upload" } }, reporter);
    await h.gql(SUBMIT, { input: { rows: [yes("06838", 1, "2023-Q2")] } }, reporter);
    expect(await batches()).toHaveLength(before + 2);
  });

  it("replays a batch by its idempotency key and refuses the key with a different payload", async () => {
    const rows = [yes("06847", 1), yes("06853", 1)];
    const first = await h.gql(SUBMIT, { input: { rows, idempotencyKey: "qn-2025-q1-batch-7" } }, reporter);
    expect(first.data.submitReports).toEqual({ dryRun: false, replayed: false, received: 2, inserted: 2, updated: 0, unchanged: 0 });
    const before = await snapshot();
    const replay = await h.gql(SUBMIT, { input: { rows, idempotencyKey: "qn-2025-q1-batch-7" } }, reporter);
    expect(replay.data.submitReports).toEqual({ dryRun: false, replayed: true, received: 2, inserted: 2, updated: 0, unchanged: 0 });
    const other = await h.gql(SUBMIT, { input: { rows: [yes("06847", 0), yes("06853", 1)], idempotencyKey: "qn-2025-q1-batch-7" } }, reporter);
    expect(errorCode(other)).toBe("CONFLICT");
    expect(await snapshot()).toEqual(before);
  });

  it("keeps every ancestor's summary exact under concurrent batches of the same units", async () => {
    const communes = ["07069", "07072", "07075", "07078", "07081", "07084"]; // Đông Triều (205)
    const batches = Array.from({ length: 6 }, (_, b) => communes.map((c, i) => yes(c, (i + b) % 2, "2024-Q1")));
    const results = await Promise.all(batches.map((rows) => h.gql(SUBMIT, { input: { rows } }, reporter)));
    for (const r of results) expect(r.errors).toBeUndefined();
    // whatever order they committed in, the summaries equal a recount of the stored reports
    const rows = await h.dataSource.query(
      `SELECT u.code, s.units_reported, s.units_meeting,
              (SELECT count(*) FROM report r JOIN indicator i2 ON i2.id = r.indicator_id
                WHERE i2.code = 'AWR_COMMUNE_ACTIVITY' AND r.period_code = '2024-Q1' AND r.unit_path LIKE u.path || '%')::int AS reported,
              (SELECT count(*) FROM report r JOIN indicator i2 ON i2.id = r.indicator_id
                WHERE i2.code = 'AWR_COMMUNE_ACTIVITY' AND r.period_code = '2024-Q1' AND r.unit_path LIKE u.path || '%' AND r.value = 1)::int AS meeting
         FROM org_unit u JOIN report_summary s ON s.unit_id = u.id JOIN indicator i ON i.id = s.indicator_id
        WHERE u.code IN ('205', '22', 'VN') AND i.code = 'AWR_COMMUNE_ACTIVITY' AND s.period_code = '2024-Q1' ORDER BY u.code`,
    );
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r.units_reported).toBe(r.reported);
      expect(r.units_meeting).toBe(r.meeting);
    }
    expect(rows.find((r: { code: string }) => r.code === "205").units_reported).toBe(6);
  });

  it("needs the REPORTER role", async () => {
    const viewer = h.token("22", [Role.VIEWER]);
    expect(errorCode(await h.gql(SUBMIT, { input: { rows: [yes("06856", 1)] } }, viewer))).toBe("FORBIDDEN");
    expect(errorCode(await h.gql(SUBMIT, { input: { rows: [yes("06856", 1)] } }))).toBe("UNAUTHENTICATED");
  });

  it("writes a reporter's one row in three statements: the lookup (with the summaries' locks), the upsert (with its audit entries), the summaries", async () => {
    const one = await h.gql(SUBMIT, { input: { rows: [yes("06856", 1, "2024-Q1")] } }, reporter);
    expect(one.errors).toBeUndefined();
    expect(one.data.submitReports).toMatchObject({ inserted: 1 });
    expect(one.statements).toBe(3);
    const [batch] = await h.dataSource.query(
      `SELECT new_value FROM audit_log WHERE action = 'report.submit' AND request_id IS NOT NULL ORDER BY id DESC LIMIT 1`,
    );
    expect(batch.new_value).toEqual({ idempotencyKey: null, received: 1, inserted: 1, updated: 0, unchanged: 0, unitCodes: ["06856"] });
  });

  it("writes thousands of rows with a constant number of statements", async () => {
    // the communes of Quảng Ninh on the 2024 tree (valid through 2023 and 2024)
    const communes: Array<{ code: string }> = await h.dataSource.query(
      `SELECT code FROM org_unit WHERE level = 'commune' AND path LIKE (SELECT path FROM org_unit WHERE code = '22') || '%'
          AND valid_from <= '2023-01-01' AND (valid_to IS NULL OR valid_to > '2024-12-31') ORDER BY code`,
    );
    expect(communes.length).toBe(177);
    const small = await h.gql(SUBMIT, { input: { rows: communes.slice(0, 5).map((c) => yes(c.code, 1, "2024-Q2")) } }, reporter);
    const quarters = ["2023-Q1", "2023-Q3", "2023-Q4", "2024-Q3", "2024-Q4"];
    const big = quarters.flatMap((q) => communes.flatMap((c, i) => [yes(c.code, i % 2, q), ratio(c.code, i, 2 * i + 1, q)]));
    expect(big.length).toBe(1770);
    const large = await h.gql(SUBMIT, { input: { rows: big } }, reporter);
    expect(large.errors).toBeUndefined();
    expect(large.data.submitReports).toMatchObject({ inserted: 1770, unchanged: 0 });
    expect(large.statements).toBe(small.statements);
    // every ancestor's summary matches a recount from the facts
    const [check] = await h.dataSource.query(
      `SELECT s.units_reported, s.units_meeting, s.numerator_sum::float8 AS num FROM report_summary s
         JOIN org_unit u ON u.id = s.unit_id JOIN indicator i ON i.id = s.indicator_id
        WHERE u.code = 'VN' AND i.code = 'AWR_RISKY_WORKERS_INFORMED' AND s.period_code = '2024-Q4'`,
    );
    expect(check).toEqual({ units_reported: 177, units_meeting: 0, num: (176 * 177) / 2 });
  });
});

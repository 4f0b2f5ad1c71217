import { errorCode, startHarness, type Harness } from "./support/harness";

let h: Harness;
let ministry: string;
beforeAll(async () => {
  h = await startHarness();
  ministry = h.token("VN");
});
afterAll(() => h.close());

describe("plans and the indicator catalog", () => {
  it("seeds every document's plan with its number, date, period and parent", async () => {
    const rows: Array<Record<string, string | null>> = await h.dataSource.query(
      `SELECT u.code, p.document_number AS doc, to_char(p.issued_on, 'YYYY-MM-DD') AS issued,
              to_char(p.period_start, 'YYYY') || '-' || to_char(p.period_end, 'YYYY') AS period, pp.document_number AS parent
         FROM plan p JOIN org_unit u ON u.id = p.unit_id LEFT JOIN plan pp ON pp.id = p.parent_plan_id ORDER BY p.period_start, u.code`,
    );
    const byDoc = Object.fromEntries(rows.filter((r) => r.doc).map((r) => [r.doc, r]));
    expect(byDoc["1629/QĐ-TTg"]).toMatchObject({ code: "VN", issued: "2021-09-28", period: "2021-2025", parent: null });
    expect(byDoc["702/QĐ-UBND"]).toMatchObject({ code: "79", issued: "2022-03-14", parent: "1629/QĐ-TTg" });
    expect(byDoc["3742/KH-UBND"]).toMatchObject({ code: "12", parent: "1629/QĐ-TTg" });
    expect(byDoc["434/KH-UBND"]).toMatchObject({ code: "12", issued: "2025-01-24", period: "2025-2025", parent: "3742/KH-UBND" });
    expect(byDoc["54/KH-UBND"]).toMatchObject({ code: "908", period: "2020-2020", parent: "94/KH-UBND" });
    expect(byDoc["98/KH-UBND"]).toMatchObject({ code: "40", period: "2020-2020" });
    const quangNinh = rows.find((r) => r.code === "22");
    expect(quangNinh).toMatchObject({ period: "2021-2025", parent: "1629/QĐ-TTg" });
  });

  it("holds every number of the documents' target table", async () => {
    const rows: Array<{ code: string; indicator: string; kind: string; share: string | null; count: number | null; freq: string | null; low: string | null; high: string | null }> =
      await h.dataSource.query(
        `SELECT u.code, i.code AS indicator, t.kind, t.share::float8::text AS share, t.count, t.frequency_interval AS freq,
                t.change_low::float8::text AS low, t.change_high::float8::text AS high
           FROM target t JOIN plan p ON p.id = t.plan_id JOIN org_unit u ON u.id = p.unit_id JOIN indicator i ON i.id = t.indicator_id`,
      );
    const get = (unit: string, indicator: string) => rows.find((r) => r.code === unit && r.indicator === indicator);
    expect(get("79", "AWR_COMMUNE_ACTIVITY")?.share).toBe("100");
    expect(get("22", "AWR_COMMUNE_ACTIVITY")?.share).toBe("75");
    expect(get("22", "AWR_PRESS_FREQUENCY")?.freq).toBe("month");
    expect(get("12", "AWR_PRESS_FREQUENCY")?.freq).toBe("quarter");
    expect(get("22", "ENF_CRIMES_HANDLED")).toMatchObject({ kind: "change_range", low: "4", high: "6" });
    expect(get("79", "ENF_CRIMES_HANDLED")).toMatchObject({ low: "3", high: "5" });
    expect(get("12", "HRM_PILOT_MODEL_DISTRICTS")).toMatchObject({ kind: "count_floor", count: 1 });
    expect(get("22", "HRM_PILOT_MODEL_DISTRICTS")).toMatchObject({ kind: "share_floor", share: "40" });
    expect(get("79", "HRM_SEX_WORKERS_SUPPORTED")?.share).toBe("100");
    expect(get("12", "ENF_BUSINESSES_INSPECTED_YEAR")?.share).toBe("90");
    expect(get("22", "ENF_BUSINESSES_INSPECTED_ONCE")?.kind).toBe("cumulative_deadline");
    expect(get("VN", "AWR_IZ_WORKERS_INFORMED")?.share).toBe("60");
    const assigned: Array<{ indicator: string; n: string }> = await h.dataSource.query(
      `SELECT i.code AS indicator, count(*) AS n FROM target_assignment a JOIN indicator i ON i.id = a.indicator_id GROUP BY 1 ORDER BY 1`,
    );
    expect(assigned).toEqual([
      { indicator: "HRM_PILOT_MODEL_DISTRICTS", n: "5" },
      { indicator: "PRV_DISTRICT_INTEGRATION", n: "8" },
    ]);
  });

  it("lists a unit's plans by period with parent and child plans", async () => {
    const r = await h.gql(
      `{ plans(unitCode: "12", period: "2025-Q2") { documentNumber periodStart periodEnd parentPlan { documentNumber unit { code } } childPlans { documentNumber } } }`,
      {},
      ministry,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.plans.map((p: { documentNumber: string }) => p.documentNumber)).toEqual(["3742/KH-UBND", "434/KH-UBND"]);
    expect(r.data.plans[0].parentPlan).toEqual({ documentNumber: "1629/QĐ-TTg", unit: { code: "VN" } });
    expect(r.data.plans[0].childPlans).toEqual([{ documentNumber: "434/KH-UBND" }]);
    const old = await h.gql(`{ plans(unitCode: "12", period: "2019") { id } }`, {}, ministry);
    expect(old.data.plans).toEqual([]);
  });

  it("answers a plan by id, NOT_FOUND for an unknown id and BAD_USER_INPUT for a malformed one", async () => {
    const [{ id }] = await h.dataSource.query(`SELECT id FROM plan WHERE document_number = '702/QĐ-UBND'`);
    const r = await h.gql(`query($id: ID!) { plan(id: $id) { title unit { name } version } }`, { id }, ministry);
    expect(r.data.plan.unit.name).toBe("Thành phố Hồ Chí Minh");
    expect(errorCode(await h.gql(`{ plan(id: "00000000-0000-4000-8000-000000000000") { id } }`, {}, ministry))).toBe("NOT_FOUND");
    expect(errorCode(await h.gql(`{ plan(id: "42") { id } }`, {}, ministry))).toBe("BAD_USER_INPUT");
    expect(errorCode(await h.gql(`{ plans(unitCode: "12", period: "2025-Q5") { id } }`, {}, ministry))).toBe("BAD_USER_INPUT");
  });

  it("serves the indicator catalog with the roll-up rules", async () => {
    const r = await h.gql(`{ indicators { code area valueKind rollupRule reportingLevel periodRule direction } }`, {}, ministry);
    expect(r.data.indicators.length).toBeGreaterThanOrEqual(16);
    expect(r.data.indicators.find((i: { code: string }) => i.code === "AWR_COMMUNE_ACTIVITY")).toMatchObject({
      area: "AWARENESS",
      valueKind: "YES_NO",
      rollupRule: "SHARE_OF_UNITS",
      reportingLevel: "COMMUNE",
      periodRule: "ALL",
    });
    expect(errorCode(await h.gql(`{ indicator(code: "NOPE") { code } }`, {}, ministry))).toBe("NOT_FOUND");
  });
});

import { importReportCsv } from "../src/report/report-import";
import { parseCsv, readReportCsv } from "../src/report/report.csv";
import { startHarness, type Harness } from "./support/harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const count = async () => (await h.dataSource.query(`SELECT count(*)::int AS n FROM report`))[0].n as number;

describe("CSV import (npm run import)", () => {
  it("reads RFC 4180 CSV with a header in any order", () => {
    expect(parseCsv('a,"b,""c"""\r\n\r\n1,2\n')).toEqual([["a", 'b,"c"'], ["1", "2"]]);
    expect(readReportCsv("\ufeffperiod,unit_code,indicator_code,value\n2025-Q1,07192,AWR_COMMUNE_ACTIVITY,1\n")).toEqual([
      { unitCode: "07192", indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2025-Q1", value: 1, numerator: null, denominator: null },
    ]);
    expect(() => readReportCsv("unit,period\n")).toThrow(/lacks unit_code, indicator_code/);
  });

  it("rejects the whole file on any bad row, with the same rules as the mutation", async () => {
    const csv = [
      "unit_code,indicator_code,period,value,numerator,denominator",
      "07192,AWR_COMMUNE_ACTIVITY,2025-Q1,1,,",
      "07195,AWR_COMMUNE_ACTIVITY,2025-Q1,3,,",
      "07198,AWR_RISKY_WORKERS_INFORMED,2025-Q1,,12,10",
      "03386,AWR_COMMUNE_ACTIVITY,2025-Q1,1,,",
    ].join("\n");
    const summary = await importReportCsv(h.appDataSource, { csv, unitCode: "22", actor: "import:test" });
    expect(summary.rejected.map((e) => [e.index, e.field, e.code])).toEqual([
      [1, "value", "NOT_YES_NO"],
      [2, "numerator", "NUMERATOR_EXCEEDS_DENOMINATOR"],
      [3, "unitCode", "UNKNOWN_UNIT"], // Lai Châu's commune is outside Quảng Ninh
    ]);
    expect(await count()).toBe(0);
  });

  it("imports a valid file, then finds it unchanged", async () => {
    const csv = [
      "unit_code,indicator_code,period,value,numerator,denominator",
      "07192,AWR_COMMUNE_ACTIVITY,2025-Q1,1,,",
      "07195,AWR_COMMUNE_ACTIVITY,2025-Q1,0,,",
      "07198,AWR_RISKY_WORKERS_INFORMED,2025-Q1,,8,10",
    ].join("\n");
    const dry = await importReportCsv(h.appDataSource, { csv, unitCode: "22", actor: "import:test", dryRun: true });
    expect(dry).toMatchObject({ received: 3, inserted: 3, dryRun: true });
    expect(await count()).toBe(0);
    const phases: string[] = [];
    const first = await importReportCsv(h.appDataSource, { csv, unitCode: "22", actor: "import:test", onPhase: (p) => phases.push(p) });
    expect(first).toMatchObject({ received: 3, inserted: 3, updated: 0, unchanged: 0, rejected: [] });
    expect(phases).toEqual(["validate", "write"]);
    expect(await count()).toBe(3);
    // the import is audited like the mutation: one entry for the file
    const audited = await h.dataSource.query(
      `SELECT actor, entity_id LIKE 'import-%' AS by_request, new_value->'inserted' AS inserted, new_value->'unitCodes' AS units
         FROM audit_log WHERE action = 'report.submit'`,
    );
    expect(audited).toEqual([{ actor: "import:test", by_request: true, inserted: 3, units: ["07192", "07195", "07198"] }]);
    const again = await importReportCsv(h.appDataSource, { csv, unitCode: "22", actor: "import:test" });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    const [s] = await h.dataSource.query(
      `SELECT s.units_reported, s.units_meeting FROM report_summary s JOIN org_unit u ON u.id = s.unit_id
         JOIN indicator i ON i.id = s.indicator_id WHERE u.code = '22' AND i.code = 'AWR_COMMUNE_ACTIVITY' AND s.period_code = '2025-Q1'`,
    );
    expect(s).toEqual({ units_reported: 2, units_meeting: 1 });
  });
});

import { Role } from "../src/auth/auth.types";
import { errorCode, startHarness, type Harness } from "./support/harness";

/**
 * Reports on the tree of their period. A row's unit code is resolved on the period's dates, and the unit
 * must be valid for the whole period; from 1/7/2025 an indicator is reported at its two-tier level.
 * Lai Châu (12) kept its territory in the reform: 8 districts and 106 communes until 30/6/2025, 38
 * communes directly under the province from 1/7/2025. In Thành phố Lai Châu (district 105), Phường
 * Quyết Thắng (03386) and Phường Quyết Tiến (03388) became Phường Đoàn Kết, which took the code 03388.
 */
let h: Harness;
let reporter: string;
let ministry: string;
beforeAll(async () => {
  h = await startHarness();
  reporter = h.token("12", [Role.REPORTER, Role.VIEWER], "lc-reporter");
  ministry = h.token("VN", [Role.REPORTER, Role.VIEWER], "ministry");
});
afterAll(() => h.close());

const SUBMIT = `mutation($rows: [ReportRowInput!]!) { submitReports(input: { rows: $rows }) { received inserted updated unchanged } }`;
const ROLLUP = `query($unit: String!, $period: String!, $ind: [String!], $asOf: Date) {
  rollup(unitCode: $unit, period: $period, indicators: $ind, asOf: $asOf) {
    period
    unit { code name level }
    cells { indicatorCode value unitsReported unitsExpected unitsMeeting completeness }
    children { unit { code name level } cells { indicatorCode value unitsReported unitsExpected } }
  }
}`;
const COMPARISON = `query($period: String!, $ind: [String!], $asOf: Date) {
  nationalComparison(period: $period, indicators: $ind, asOf: $asOf) {
    period
    nation { cells { indicatorCode unitsReported unitsExpected } }
    provinces { unit { code name } cells { indicatorCode value unitsReported unitsExpected } }
  }
}`;

type Row = { unitCode: string; indicatorCode: string; period: string; value?: number; numerator?: number; denominator?: number };
const activity = (unitCode: string, period: string, value = 1): Row => ({ unitCode, indicatorCode: "AWR_COMMUNE_ACTIVITY", period, value });
/** a district indicator (reported by communes from 1/7/2025) */
const crimes = (unitCode: string, period: string, value = 3): Row => ({ unitCode, indicatorCode: "ENF_CRIMES_HANDLED", period, value });
/** a yearly indicator */
const ownPlan = (unitCode: string, period: string, value = 1): Row => ({ unitCode, indicatorCode: "PRV_DISTRICT_OWN_PLAN", period, value });

async function reportCount(): Promise<number> {
  const [{ n }] = await h.dataSource.query(`SELECT count(*)::int AS n FROM report`);
  return n;
}

/** Submits rows expecting a refusal: the coded rows it lists, and that nothing was written. */
async function refused(rows: Row[], token = reporter) {
  const before = await reportCount();
  const r = await h.gql(SUBMIT, { rows }, token);
  expect(errorCode(r)).toBe("BAD_USER_INPUT");
  expect(await reportCount()).toBe(before);
  return {
    message: r.errors![0]!.message,
    rows: r.errors![0]!.extensions!.invalidRows as Array<{ index: number; field: string; code: string; message: string }>,
  };
}

async function accepted(rows: Row[], token = reporter) {
  const before = await reportCount();
  const r = await h.gql(SUBMIT, { rows }, token);
  expect(r.errors).toBeUndefined();
  expect(r.data.submitReports).toMatchObject({ received: rows.length, inserted: rows.length });
  expect(await reportCount()).toBe(before + rows.length);
}

/** The unit a stored report landed on: its name and first day. */
async function landedOn(unitCode: string, indicatorCode: string, period: string) {
  return h.dataSource.query(
    `SELECT u.name, to_char(u.valid_from, 'YYYY-MM-DD') AS "validFrom", u.level
       FROM report r JOIN org_unit u ON u.id = r.unit_id JOIN indicator i ON i.id = r.indicator_id
      WHERE u.code = $1 AND i.code = $2 AND r.period_code = $3`,
    [unitCode, indicatorCode, period],
  );
}

async function rollup(unit: string, period: string, ind: string[] | null, asOf?: string) {
  const r = await h.gql(ROLLUP, { unit, period, ind, asOf }, reporter);
  expect(r.errors).toBeUndefined();
  return r.data.rollup;
}

describe("a unit is the one its code names over the whole period", () => {
  it("refuses 2025-Q3 on a commune abolished on 1/7/2025, naming its successor; takes it on the successor", async () => {
    const refusal = await refused([activity("03386", "2025-Q3")]);
    expect(refusal.rows).toEqual([
      {
        index: 0,
        field: "unitCode",
        code: "UNIT_NOT_IN_PERIOD",
        message: "Phường Quyết Thắng (03386) was closed on 2025-07-01, before 2025-Q3: report on 03388 Phường Đoàn Kết.",
      },
    ]);

    await accepted([activity("03388", "2025-Q3")]);
    expect(await landedOn("03388", "AWR_COMMUNE_ACTIVITY", "2025-Q3")).toEqual([{ name: "Phường Đoàn Kết", validFrom: "2025-07-01", level: "commune" }]);
  });

  it("takes the same code for 2025-Q1 on the unit it named then, where the old district's roll-up sees it", async () => {
    await accepted([activity("03388", "2025-Q1")]);
    expect(await landedOn("03388", "AWR_COMMUNE_ACTIVITY", "2025-Q1")).toEqual([{ name: "Phường Quyết Tiến", validFrom: "2000-01-01", level: "commune" }]);

    // Thành phố Lai Châu (105) in 2025-Q1: 1 of its 7 communes reported, and the child is Quyết Tiến
    const district = await rollup("105", "2025-Q1", ["AWR_COMMUNE_ACTIVITY"]);
    expect(district.unit).toEqual({ code: "105", name: "Thành phố Lai Châu", level: "DISTRICT" });
    expect(district.cells[0]).toMatchObject({ unitsReported: 1, unitsMeeting: 1, unitsExpected: 7 });
    const child = district.children.find((c: any) => c.unit.code === "03388");
    expect(child.unit.name).toBe("Phường Quyết Tiến");
    expect(child.cells[0]).toMatchObject({ value: 100, unitsReported: 1 });

    // the two quarters do not mix: each commune's roll-up is that of its own unit
    expect((await rollup("03388", "2025-Q1", ["AWR_COMMUNE_ACTIVITY"])).unit.name).toBe("Phường Quyết Tiến");
    const q3 = await rollup("03388", "2025-Q3", ["AWR_COMMUNE_ACTIVITY"]);
    expect(q3.unit.name).toBe("Phường Đoàn Kết");
    expect(q3.cells[0]).toMatchObject({ unitsReported: 1, unitsExpected: 1 });
    // and Lai Châu's 2025-Q3 sees the new commune directly under the province, not the old one
    const province = await rollup("12", "2025-Q3", ["AWR_COMMUNE_ACTIVITY"]);
    expect(province.cells[0]).toMatchObject({ unitsReported: 1, unitsExpected: 38 });
    expect(province.children.find((c: any) => c.unit.code === "03388").cells[0]).toMatchObject({ unitsReported: 1 });
  });

  it("refuses a 2025 yearly report on a unit that did not exist the whole year, naming the parts it can report", async () => {
    const refusal = await refused([ownPlan("03386", "2025"), ownPlan("03388", "2025")]);
    expect(refusal.rows.map(({ index, field, code }) => ({ index, field, code }))).toEqual([
      { index: 0, field: "unitCode", code: "UNIT_NOT_IN_PERIOD" },
      { index: 1, field: "unitCode", code: "UNIT_NOT_IN_PERIOD" },
    ]);
    expect(refusal.rows[0]!.message).toBe(
      "Phường Quyết Thắng (03386) existed from 2000-01-01 until 2025-07-01: report 2025-H1, 2025-Q1, 2025-Q2 instead; " +
        "from 2025-07-01 report on 03388 Phường Đoàn Kết.",
    );
    // 03388 named two units in 2025, one per half
    expect(refusal.rows[1]!.message).toContain("Phường Quyết Tiến (03388) existed from 2000-01-01 until 2025-07-01: report 2025-H1, 2025-Q1, 2025-Q2 instead");
    expect(refusal.rows[1]!.message).toContain("Phường Đoàn Kết (03388) existed from 2025-07-01: report 2025-H2, 2025-Q3, 2025-Q4 instead");
  });
});

describe("the level that reports an indicator on each tree", () => {
  it("refuses a district's report for a period after 30/6/2025", async () => {
    for (const district of ["105", "106"]) {
      const refusal = await refused([crimes(district, "2025-Q3"), activity(district, "2025-Q4")]);
      expect(refusal.rows.map(({ index, field, code }) => ({ index, field, code }))).toEqual([
        { index: 0, field: "unitCode", code: "LEVEL_NOT_IN_TREE" },
        { index: 1, field: "unitCode", code: "LEVEL_NOT_IN_TREE" },
      ]);
      expect(refusal.rows[0]!.message).toMatch(new RegExp(`^${district} is a district, and districts were abolished on 1/7/2025`));
    }
    // Quảng Ninh's Hạ Long, through the ministry's token
    const haLong = await refused([crimes("193", "2025-Q3")], ministry);
    expect(haLong.rows.map((e) => e.code)).toEqual(["LEVEL_NOT_IN_TREE"]);
  });

  it("takes a district indicator from a commune in 2025-Q3 (its two-tier level), not in 2025-Q1", async () => {
    await accepted([crimes("03388", "2025-Q3", 4)]);
    expect(await landedOn("03388", "ENF_CRIMES_HANDLED", "2025-Q3")).toEqual([{ name: "Phường Đoàn Kết", validFrom: "2025-07-01", level: "commune" }]);

    // in 2025-Q1 the code names Phường Quyết Tiến, a commune, and districts report the indicator
    const early = await refused([crimes("03388", "2025-Q1")]);
    expect(early.rows).toEqual([
      {
        index: 0,
        field: "unitCode",
        code: "WRONG_UNIT_LEVEL",
        message: "ENF_CRIMES_HANDLED is reported by district units in 2025-Q1; 03388 is a commune.",
      },
    ]);
    // which its district does
    await accepted([crimes("105", "2025-Q1", 2)]);
  });

  it("refuses a district indicator over a period that straddles the reform", async () => {
    // Lai Châu kept its territory, so the province is valid all 2025; no level reports a district measure for the whole year
    const refusal = await refused([ownPlan("12", "2025")]);
    expect(refusal.rows.map(({ field, code }) => ({ field, code }))).toEqual([{ field: "period", code: "LEVEL_NOT_IN_TREE" }]);
    expect(refusal.rows[0]!.message).toContain("2025 straddles the reform");
  });
});

describe("a batch is all or nothing", () => {
  it("refuses a batch with rows off the tree of their period mixed in, naming each, and writes nothing", async () => {
    const rows = [
      activity("03390", "2025-Q3"), // good: Xã Bình Lư of the two-tier tree
      activity("03386", "2025-Q4"), // abolished
      crimes("105", "2025-Q3"), // a district after the reform
      activity("03390", "2025-Q2"), // good: the old Xã Bình Lư
      crimes("03390", "2025-Q2"), // a commune reporting a district measure before the reform
      ownPlan("03388", "2025"), // a yearly report for a code that named two units in 2025
      crimes("03394", "2025-Q4", 1), // good: a commune, two-tier level
      { ...activity("03405", "2025-Q3"), value: 2 }, // on the tree, but not a yes/no
    ];
    const refusal = await refused(rows);
    expect(refusal.rows.map(({ index, field, code }) => ({ index, field, code }))).toEqual([
      { index: 1, field: "unitCode", code: "UNIT_NOT_IN_PERIOD" },
      { index: 2, field: "unitCode", code: "LEVEL_NOT_IN_TREE" },
      { index: 4, field: "unitCode", code: "WRONG_UNIT_LEVEL" },
      { index: 5, field: "unitCode", code: "UNIT_NOT_IN_PERIOD" },
      { index: 7, field: "value", code: "NOT_YES_NO" },
    ]);
    expect(refusal.message).toBe(`5 of ${rows.length} rows are invalid; nothing was written.`);
    expect(refusal.rows[0]!.message).toContain("report on 03388 Phường Đoàn Kết");
    // nothing of the good rows either
    expect(await landedOn("03390", "AWR_COMMUNE_ACTIVITY", "2025-Q3")).toEqual([]);
    expect(await landedOn("03394", "ENF_CRIMES_HANDLED", "2025-Q4")).toEqual([]);

    // the good rows alone go through
    await accepted([rows[0]!, rows[3]!, rows[6]!]);
    expect((await landedOn("03390", "AWR_COMMUNE_ACTIVITY", "2025-Q3"))[0].validFrom).toBe("2025-07-01");
    expect((await landedOn("03390", "AWR_COMMUNE_ACTIVITY", "2025-Q2"))[0].validFrom).toBe("2000-01-01");
  });
});

describe("completeness on the tree of the period", () => {
  it("counts Lai Châu's units expected out of 106 communes in 2025-Q1 and 38 in 2025-Q3", async () => {
    const q1 = await rollup("12", "2025-Q1", ["AWR_COMMUNE_ACTIVITY", "ENF_CRIMES_HANDLED"]);
    const cell = (page: any, code: string) => page.cells.find((c: any) => c.indicatorCode === code);
    // reported so far in 2025-Q1: 03388 (then Quyết Tiến) for the commune measure, district 105 for crimes
    expect(cell(q1, "AWR_COMMUNE_ACTIVITY")).toMatchObject({ unitsReported: 1, unitsExpected: 106 });
    expect(cell(q1, "AWR_COMMUNE_ACTIVITY").completeness).toBeCloseTo(1 / 106, 4);
    // a district measure: out of the 8 districts
    expect(cell(q1, "ENF_CRIMES_HANDLED")).toMatchObject({ unitsReported: 1, unitsExpected: 8 });
    expect(q1.children).toHaveLength(8);
    expect(q1.children.every((c: any) => c.unit.level === "DISTRICT")).toBe(true);
    expect(q1.children.find((c: any) => c.unit.code === "105").cells[0]).toMatchObject({ unitsExpected: 7 });

    const q3 = await rollup("12", "2025-Q3", ["AWR_COMMUNE_ACTIVITY", "ENF_CRIMES_HANDLED"]);
    // 03388 and 03390 in Q3, out of 38 communes
    expect(cell(q3, "AWR_COMMUNE_ACTIVITY")).toMatchObject({ unitsReported: 2, unitsExpected: 38 });
    // the district measure at its two-tier level: out of the 38 communes (03388 reported it)
    expect(cell(q3, "ENF_CRIMES_HANDLED")).toMatchObject({ unitsReported: 1, unitsExpected: 38 });
    expect(q3.children).toHaveLength(38);
    expect(q3.children.every((c: any) => c.unit.level === "COMMUNE")).toBe(true);
    expect(q3.children.find((c: any) => c.unit.code === "03388").cells[0]).toMatchObject({ unitsExpected: 1 });
  });

  it("compares 63 provinces for 2024, 34 for 2025-Q3, and 34 for 2024 read on the tree of 2026", async () => {
    const compare = async (period: string, asOf?: string) => {
      const r = await h.gql(COMPARISON, { period, ind: ["AWR_COMMUNE_ACTIVITY"], asOf }, ministry);
      expect(r.errors).toBeUndefined();
      return r.data.nationalComparison;
    };
    const communesOn = async (date: string) => {
      const [{ n }] = await h.dataSource.query(
        `SELECT count(*)::int AS n FROM org_unit WHERE level = 'commune' AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)`,
        [date],
      );
      return n;
    };

    const y2024 = await compare("2024");
    expect(y2024.provinces).toHaveLength(63);
    expect(y2024.provinces.find((p: any) => p.unit.code === "91").unit.name).toBe("Tỉnh Kiên Giang");
    expect(y2024.nation.cells[0].unitsExpected).toBe(await communesOn("2024-12-31"));

    const q3 = await compare("2025-Q3");
    expect(q3.provinces).toHaveLength(34);
    expect(q3.provinces.find((p: any) => p.unit.code === "91").unit.name).toBe("Tỉnh An Giang");
    expect(q3.provinces.some((p: any) => p.unit.code === "89")).toBe(false); // the old An Giang went into the new one
    expect(q3.nation.cells[0].unitsExpected).toBe(await communesOn("2025-09-30"));
    expect(q3.nation.cells[0].unitsExpected).toBe(3321);
    expect(q3.provinces.find((p: any) => p.unit.code === "12").cells[0]).toMatchObject({ unitsReported: 2, unitsExpected: 38 });

    const restated = await compare("2024", "2026-01-01");
    expect(restated.period).toBe("2024");
    expect(restated.provinces).toHaveLength(34);
    // the provinces of 2026's tree, named as on that day
    expect(restated.provinces.map((p: any) => p.unit.code)).toEqual(q3.provinces.map((p: any) => p.unit.code));
    expect(restated.provinces.find((p: any) => p.unit.code === "91").unit.name).toBe("Tỉnh An Giang");
  });
});

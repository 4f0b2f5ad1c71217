import type { TargetValue } from "./target.model";
import { checkQuotaList, compareWithQuota, judgeQuotas } from "./quota.rules";
import { mayStand } from "./target.rules";

const floor = (n: number, unit: TargetValue["unit"] = "businesses"): TargetValue => ({ kind: "quantity_floor", quantity: n, unit });
const ceiling = (n: number, unit: TargetValue["unit"] = "cases"): TargetValue => ({ kind: "quantity_ceiling", quantity: n, unit });
const share = (kind: "share_floor" | "share_ceiling", s: number): TargetValue => ({ kind, share: s });

describe("judgeQuotas: the quotas must add up to the plan's quantity", () => {
  // Hà Nội 06/KH-UBND: commune teams inspect at least 2,937 businesses in all
  it.each([
    ["short by 437", floor(2937), { sum: 2500, named: 5, children: 126, withoutQuota: 121 }, { meets: false, shortfall: 437, excess: null }],
    ["exactly the total", floor(2937), { sum: 2937, named: 126, children: 126, withoutQuota: 0 }, { meets: true, shortfall: 0 }],
    ["above the total", floor(2937), { sum: 3000, named: 126, children: 126, withoutQuota: 0 }, { meets: true, shortfall: 0 }],
    ["no quota yet", floor(2937), { sum: 0, named: 0, children: 126, withoutQuota: 126 }, { meets: false, shortfall: 2937 }],
    ["a ceiling within", ceiling(40), { sum: 35, named: 3, children: 126, withoutQuota: 123 }, { meets: true, shortfall: null, excess: 0 }],
    ["a ceiling exceeded", ceiling(40), { sum: 45, named: 3, children: 126, withoutQuota: 123 }, { meets: false, excess: 5 }],
  ] as const)("%s", (_n, target, q, expected) => {
    expect(judgeQuotas(target, q)).toMatchObject({ applicable: true, required: target.quantity, sum: q.sum, withoutQuota: q.withoutQuota, ...expected });
  });

  it("says it plainly", () => {
    expect(judgeQuotas(floor(2937), { sum: 2500, named: 5, children: 126, withoutQuota: 121 }).explanation).toBe(
      "Quotas add up to 2,500 businesses against the plan's at least 2,937 businesses: short by 437 businesses (5 of 126 child units have a quota, 121 have none).",
    );
    expect(judgeQuotas(floor(2937), { sum: 2937, named: 126, children: 126, withoutQuota: 0 }).explanation).toContain("they reach it exactly");
  });

  it("does not judge quotas without a quantity target", () => {
    expect(judgeQuotas(null, { sum: 10, named: 1, children: 5, withoutQuota: 4 })).toMatchObject({ applicable: false, meets: null, shortfall: null });
    expect(judgeQuotas(share("share_floor", 60), { sum: 10, named: 1, children: 5, withoutQuota: 4 }).explanation).toContain("its target is ≥ 60%");
  });
});

describe("compareWithQuota: a child may raise its quota, never lower it", () => {
  const planned = { value: 1000, source: "planning_figure" as const };
  it.each([
    ["raised", floor(150), floor(120), null, "tighter", 30],
    ["kept", floor(120), floor(120), null, "equal", 0],
    ["lowered: refused", floor(100), floor(120), null, "looser", -20],
    ["a ceiling lowered", ceiling(3), ceiling(5), null, "tighter", 2],
    ["a ceiling raised: refused", ceiling(8), ceiling(5), null, "looser", -3],
    ["a floor against a ceiling quota", floor(3), ceiling(5), null, "kind_mismatch", null],
    ["a share through the denominator: 15% of 1,000 = 150 ≥ 120", share("share_floor", 15), floor(120), planned, "tighter", 30],
    ["a share through the denominator: 10% of 1,000 = 100 < 120", share("share_floor", 10), floor(120), planned, "looser", -20],
    ["a share without a denominator", share("share_floor", 10), floor(120), null, "not_comparable", null],
    ["a frequency against a quota", { kind: "frequency", frequencyInterval: "month" } as TargetValue, floor(12, "items"), null, "kind_mismatch", null],
  ] as const)("%s", (_n, own, quota, denominator, verdict, delta) => {
    const c = compareWithQuota(own, quota, denominator);
    expect(c.verdict).toBe(verdict);
    expect(c.delta).toBe(delta);
    if (delta !== null) expect(c.deltaUnit).toBe("quantity");
    expect(mayStand(c)).toBe(verdict === "tighter" || verdict === "equal" || verdict === "not_comparable");
  });

  it("says what it compared", () => {
    expect(compareWithQuota(floor(100), floor(120)).explanation).toBe(
      "at least 100 businesses against its quota of at least 120 businesses: looser than the quota by 20 businesses (a unit may raise its quota, never lower it).",
    );
  });
});

describe("checkQuotaList", () => {
  const q = (unitCode: string, quantity: number) => ({ unitCode, quantity });
  it.each([
    ["a negative quantity", [q("00004", 10), q("00008", -1)], "people", { index: 1, field: "quantity" }],
    ["a fractional quantity of people", [q("00004", 10.5)], "people", { index: 0, field: "quantity" }],
    ["a unit twice", [q("00004", 10), q(" 00004 ", 5)], "people", { index: 1, field: "unitCode" }],
    ["an empty code", [q(" ", 10)], "people", { index: 0, field: "unitCode" }],
  ] as const)("refuses %s", (_n, list, unit, expected) => {
    expect(checkQuotaList([...list], unit)).toMatchObject(expected);
  });
  it("accepts whole quantities, zero included, and an empty list", () => {
    expect(checkQuotaList([q("00004", 0), q("00008", 1200)], "businesses")).toBeNull();
    expect(checkQuotaList([], "businesses")).toBeNull();
  });
});

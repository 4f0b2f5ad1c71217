import { checkPlanDates, isSelfOrChild, mayEditPlansOf } from "./plan.rules";

describe("mayEditPlansOf", () => {
  // Quảng Ninh (22, id 2) → Hạ Long (193, id 20) → Bãi Cháy (id 200); Lai Châu (id 3) beside it
  const province = { id: 2, parentId: 1 };
  const district = { id: 20, parentId: 2 };
  const commune = { id: 200, parentId: 20 };
  const otherProvince = { id: 3, parentId: 1 };
  it.each([
    ["own unit", 2, province, true],
    ["a direct child", 2, district, true],
    ["a grandchild", 2, commune, false],
    ["the parent", 20, province, false],
    ["a sibling", 2, otherProvince, false],
    ["the nation's own plan, as the nation", 1, { id: 1, parentId: null }, true],
    ["a province, as the nation", 1, province, true],
  ])("%s: %s", (_what, actor, unit, may) => {
    expect(mayEditPlansOf(actor, unit)).toBe(may);
  });

  it("isSelfOrChild is the same relation seen from the unit", () => {
    expect(isSelfOrChild(district, 2)).toBe(true);
    expect(isSelfOrChild(commune, 2)).toBe(false);
  });
});

describe("checkPlanDates", () => {
  const parent = { periodStart: "2021-01-01", periodEnd: "2025-12-31" };
  it.each([
    ["the parent's whole period", { periodStart: "2021-01-01", periodEnd: "2025-12-31" }, null],
    ["one year inside it", { periodStart: "2025-01-01", periodEnd: "2025-12-31", issuedOn: "2024-12-20" }, null],
    ["one day", { periodStart: "2023-05-05", periodEnd: "2023-05-05" }, null],
    ["starting before the parent", { periodStart: "2020-12-31", periodEnd: "2021-12-31" }, "periodStart"],
    ["ending after the parent", { periodStart: "2025-01-01", periodEnd: "2026-01-01" }, "periodEnd"],
    ["ending before it starts", { periodStart: "2024-01-01", periodEnd: "2023-12-31" }, "periodEnd"],
    ["a start that is no day", { periodStart: "2025-02-30", periodEnd: "2025-12-31" }, "periodStart"],
    ["an end that is no day", { periodStart: "2025-01-01", periodEnd: "2025-13-01" }, "periodEnd"],
    ["an issue date that is no day", { periodStart: "2025-01-01", periodEnd: "2025-12-31", issuedOn: "2025-1-1" }, "issuedOn"],
  ])("%s → %s", (_what, plan, field) => {
    expect(checkPlanDates(plan, parent)?.field ?? null).toBe(field);
  });
});

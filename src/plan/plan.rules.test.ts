import { withLanguage } from "../i18n/i18n.language";
import { checkPlacement, checkPlanDates, isSelfOrChild, mayEditPlansOf } from "./plan.rules";

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

describe("checkPlanDates without a parent", () => {
  it.each([
    ["any real period", { periodStart: "2026-01-01", periodEnd: "2026-12-31" }, null],
    ["ten years", { periodStart: "2026-01-01", periodEnd: "2035-12-31" }, null],
    ["ending before it starts", { periodStart: "2026-01-01", periodEnd: "2025-12-31" }, "periodEnd"],
    ["a start that is no day", { periodStart: "2026-02-30", periodEnd: "2026-12-31" }, "periodStart"],
  ])("%s → %s", (_what, plan, field) => {
    expect(checkPlanDates(plan, null)?.field ?? null).toBe(field);
  });
});

describe("checkPlacement", () => {
  // the nation (1) → Hà Nội (2) → a ward (200); Quảng Ninh (3) beside Hà Nội
  const nation = { id: 1, parentId: null };
  const haNoi = { id: 2, parentId: 1 };
  const ward = { id: 200, parentId: 2 };
  const planner = (unitId: number) => ({ unitId, roles: ["PLANNER"] });
  const admin = (unitId: number) => ({ unitId, roles: ["ADMIN"] });
  const viewer = (unitId: number) => ({ unitId, roles: ["VIEWER"] });
  const parentOf = (unitId: number, status = "active") => ({ unitId, status, programCode: "PCMD" });
  const basis = "Pháp lệnh 10/2003/PL-UBTVQH11";
  type Case = [string, Parameters<typeof checkPlacement>[0], string | null];
  const cases: Case[] = [
    ["a province plan under the national plan, by the province's planner", { actor: planner(2), unit: haNoi, parent: parentOf(1), programCode: null, legalBasis: null }, null],
    ["a ward plan under the province's plan, by the province's planner", { actor: planner(2), unit: ward, parent: parentOf(2), programCode: null, legalBasis: null }, null],
    ["under a draft parent (drafting under a draft)", { actor: planner(2), unit: haNoi, parent: parentOf(1, "draft"), programCode: "PCMD", legalBasis: null }, null],
    ["under a closed parent", { actor: planner(2), unit: haNoi, parent: parentOf(1, "closed"), programCode: null, legalBasis: null }, "BAD_USER_INPUT parentPlanId"],
    ["under a superseded parent", { actor: planner(2), unit: haNoi, parent: parentOf(1, "superseded"), programCode: null, legalBasis: null }, "BAD_USER_INPUT parentPlanId"],
    ["naming another program than the parent's", { actor: planner(2), unit: haNoi, parent: parentOf(1), programCode: "OTHER", legalBasis: null }, "BAD_USER_INPUT programCode"],
    ["a grandchild's plan under the nation's", { actor: planner(1), unit: ward, parent: parentOf(1), programCode: null, legalBasis: null }, "BAD_USER_INPUT unitCode"],
    ["an admin (not planner) under a parent", { actor: admin(2), unit: haNoi, parent: parentOf(2), programCode: null, legalBasis: null }, "FORBIDDEN unitCode"],
    ["a ward planner on its province's plan", { actor: planner(200), unit: haNoi, parent: parentOf(1), programCode: null, legalBasis: null }, "FORBIDDEN unitCode"],
    ["no parent: the province's own plan, by its planner", { actor: planner(2), unit: haNoi, parent: null, programCode: "PCMD", legalBasis: basis }, null],
    ["no parent: the province's own plan, by its admin", { actor: admin(2), unit: haNoi, parent: null, programCode: "PCMD", legalBasis: basis }, null],
    ["no parent: the nation's 2026-2035 plan, by its admin", { actor: admin(1), unit: nation, parent: null, programCode: "PCMD", legalBasis: basis }, null],
    ["no parent: by a viewer", { actor: viewer(2), unit: haNoi, parent: null, programCode: "PCMD", legalBasis: basis }, "FORBIDDEN unitCode"],
    ["no parent: for a child unit", { actor: planner(2), unit: ward, parent: null, programCode: "PCMD", legalBasis: basis }, "FORBIDDEN unitCode"],
    ["no parent: for another province, as the nation", { actor: planner(1), unit: haNoi, parent: null, programCode: "PCMD", legalBasis: basis }, "FORBIDDEN unitCode"],
    ["no parent: without a program", { actor: planner(2), unit: haNoi, parent: null, programCode: null, legalBasis: basis }, "BAD_USER_INPUT programCode"],
    ["no parent: without a legal basis", { actor: planner(2), unit: haNoi, parent: null, programCode: "PCMD", legalBasis: null }, "BAD_USER_INPUT legalBasis"],
  ];
  it.each(cases)("%s → %s", (_what, input, expected) => {
    const p = checkPlacement(input);
    expect(p ? `${p.code} ${p.field}` : null).toBe(expected);
  });
});

describe("date problems in the request's language", () => {
  const parent = { periodStart: "2026-01-01", periodEnd: "2026-12-31" };
  it.each([
    ["vi", "Kỳ kế hoạch phải nằm trong kỳ của kế hoạch cấp trên (2026-01-01 - 2026-12-31)."],
    ["en", "The period must lie within the parent plan's (2026-01-01 - 2026-12-31)."],
  ] as const)("%s", (language, message) => {
    expect(withLanguage(language, () => checkPlanDates({ periodStart: "2025-12-01", periodEnd: "2026-06-30" }, parent))).toEqual({ field: "periodStart", message });
  });
});

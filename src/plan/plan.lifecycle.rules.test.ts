import type { PlanStatus } from "../common/enums";
import { withLanguage } from "../i18n/i18n.language";
import {
  approverOf,
  checkActivation,
  checkAttach,
  checkSupersede,
  checkTransition,
  findOverlap,
  inheritanceNote,
  mayApprove,
  periodCovers,
  periodsOverlap,
  type PlanRef,
} from "./plan.lifecycle.rules";

const plan = (over: Partial<PlanRef> = {}): PlanRef => ({
  id: "p",
  programId: 1,
  unitId: 2,
  status: "draft",
  periodStart: "2026-01-01",
  periodEnd: "2026-12-31",
  documentNumber: "07/KH-UBND",
  title: "Kế hoạch 2026",
  parentPlanId: null,
  ...over,
});
const show = (p: { code: string; field: string } | null) => (p ? `${p.code} ${p.field}` : null);

describe("checkTransition: DRAFT → ACTIVE → CLOSED | SUPERSEDED", () => {
  const all: PlanStatus[] = ["draft", "active", "closed", "superseded"];
  const allowed = new Set(["draft→active", "active→closed", "active→superseded"]);
  it.each(all.flatMap((from) => all.map((to) => [from, to] as const)))("%s → %s", (from, to) => {
    const p = checkTransition(plan({ status: from }), to);
    expect(p === null).toBe(allowed.has(`${from}→${to}`));
    if (p) expect(p).toMatchObject({ code: "CONFLICT", field: "input.planId" });
  });
});

describe("who approves (activates, closes, supersedes)", () => {
  // Hà Nội (2) under the nation (1); a ward (200) under Hà Nội
  it.each([
    ["a plan under the national plan: the nation's planner", { unitId: 2, parentPlanUnitId: 1 }, { unitId: 1, roles: ["PLANNER"] }, true],
    ["… not the nation's admin", { unitId: 2, parentPlanUnitId: 1 }, { unitId: 1, roles: ["ADMIN"] }, false],
    ["… not the province's own planner", { unitId: 2, parentPlanUnitId: 1 }, { unitId: 2, roles: ["PLANNER", "ADMIN"] }, false],
    ["an annual plan under the unit's own five-year plan: the unit's planner", { unitId: 2, parentPlanUnitId: 2 }, { unitId: 2, roles: ["PLANNER"] }, true],
    ["a ward plan under the province's: the province's planner", { unitId: 200, parentPlanUnitId: 2 }, { unitId: 2, roles: ["PLANNER"] }, true],
    ["… not the ward's planner", { unitId: 200, parentPlanUnitId: 2 }, { unitId: 200, roles: ["PLANNER"] }, false],
    ["a plan with no parent: the unit's own admin", { unitId: 2, parentPlanUnitId: null }, { unitId: 2, roles: ["ADMIN"] }, true],
    ["… not its planner", { unitId: 2, parentPlanUnitId: null }, { unitId: 2, roles: ["PLANNER", "VIEWER"] }, false],
    ["… not the nation's admin", { unitId: 2, parentPlanUnitId: null }, { unitId: 1, roles: ["ADMIN"] }, false],
    ["the national plan: the nation's admin", { unitId: 1, parentPlanUnitId: null }, { unitId: 1, roles: ["ADMIN"] }, true],
  ])("%s", (_what, subject, actor, may) => {
    expect(mayApprove(actor, subject)).toBe(may);
  });

  it("names the approver", () => {
    expect(approverOf({ unitId: 2, parentPlanUnitId: null })).toEqual({ unitId: 2, role: "ADMIN" });
    expect(approverOf({ unitId: 200, parentPlanUnitId: 2 })).toEqual({ unitId: 2, role: "PLANNER" });
  });
});

describe("checkActivation", () => {
  const parent = (status: PlanStatus) => ({ id: "n", status, documentNumber: "QĐ 2026-2035", title: "Chương trình 2026-2035" });
  it.each([
    ["a draft with no parent", plan(), null, null],
    ["a draft under an active parent", plan({ parentPlanId: "n" }), parent("active"), null],
    ["a draft under a draft parent", plan({ parentPlanId: "n" }), parent("draft"), "CONFLICT input.planId"],
    ["a draft under a closed parent", plan({ parentPlanId: "n" }), parent("closed"), "CONFLICT input.planId"],
    ["an active plan", plan({ status: "active" }), null, "CONFLICT input.planId"],
    ["a closed plan", plan({ status: "closed" }), null, "CONFLICT input.planId"],
  ])("%s → %s", (_what, p, par, expected) => {
    expect(show(checkActivation(p, par))).toBe(expected);
  });

  it("says the parent is a draft", () => {
    expect(checkActivation(plan({ parentPlanId: "n" }), parent("draft"))?.message).toMatch(/parent plan QĐ 2026-2035 is still a draft/);
  });
});

describe("periods", () => {
  it.each([
    ["2025", "2025-01-01", "2025-12-31", "2025-01-01", "2025-06-30", true, true],
    ["touching on one day", "2025-01-01", "2025-06-30", "2025-06-30", "2025-12-31", true, false],
    ["apart", "2025-01-01", "2025-06-30", "2025-07-01", "2025-12-31", false, false],
    ["2026-2035 and 2026", "2026-01-01", "2035-12-31", "2026-01-01", "2026-12-31", true, true],
  ])("%s", (_what, as, ae, bs, be, overlap, covers) => {
    const a = { periodStart: as, periodEnd: ae };
    const b = { periodStart: bs, periodEnd: be };
    expect(periodsOverlap(a, b)).toBe(overlap);
    expect(periodsOverlap(b, a)).toBe(overlap);
    expect(periodCovers(a, b)).toBe(covers);
  });
});

describe("findOverlap: two active plans of one unit and program", () => {
  // Hạ Long (20): a 2021-2025 plan, its 2025 plan under it, a 2025 half-year plan under the province's plan
  const fiveYear = { ...plan({ id: "h5", unitId: 20, status: "active", periodStart: "2021-01-01", periodEnd: "2025-12-31" }), ancestorIds: ["qn"] };
  const year = { ...plan({ id: "h2025", unitId: 20, status: "active", periodStart: "2025-01-01", periodEnd: "2025-12-31" }), ancestorIds: ["qn", "vn"] };
  const half = { ...plan({ id: "hH1", unitId: 20, periodStart: "2025-01-01", periodEnd: "2025-06-30" }), ancestorIds: ["qn", "vn"] };
  it.each([
    ["a half-year plan beside the unit's 2025 plan, both under the province's", half, [year], "h2025"],
    ["an annual plan under the unit's own five-year plan", { ...year, ancestorIds: ["h5", "qn", "vn"] }, [fiveYear], null],
    ["the five-year plan seen from above (the annual plan implements it)", fiveYear, [{ ...year, ancestorIds: ["h5", "qn"] }], null],
    ["a quarter under the annual under the five-year plan (through a plan between)", { ...half, ancestorIds: ["h2025", "h5"] }, [fiveYear], null],
    ["periods apart", { ...half, periodStart: "2026-01-01", periodEnd: "2026-06-30" }, [year], null],
    ["a draft beside it", half, [{ ...year, status: "draft" as const }], null],
    ["a closed plan beside it", half, [{ ...year, status: "closed" as const }], null],
    ["another program's plan", half, [{ ...year, programId: 2 }], null],
    ["another unit's plan", half, [{ ...year, unitId: 21 }], null],
    ["itself", year, [year], null],
  ])("%s → %s", (_what, p, others, clash) => {
    expect(findOverlap(p, others)?.id ?? null).toBe(clash);
  });
});

describe("checkAttach", () => {
  // Hà Nội (2, under the nation 1) attaches its 2026 plan
  const haNoi2026 = { ...plan({ status: "active" }), unitParentId: 1 };
  const national = plan({ id: "n", unitId: 1, status: "active", periodStart: "2026-01-01", periodEnd: "2035-12-31", documentNumber: "QĐ/TTg" });
  it.each([
    ["to the approved national 2026-2035 plan", haNoi2026, national, null],
    ["a draft, to it", { ...haNoi2026, status: "draft" as const }, national, null],
    ["to the province's own 2026-2030 plan", haNoi2026, { ...national, unitId: 2, periodEnd: "2030-12-31" }, null],
    ["to a draft national plan", haNoi2026, { ...national, status: "draft" as const }, "BAD_USER_INPUT input.parentPlanId"],
    ["to a closed plan", haNoi2026, { ...national, status: "closed" as const }, "BAD_USER_INPUT input.parentPlanId"],
    ["to another program's plan", haNoi2026, { ...national, programId: 2 }, "BAD_USER_INPUT input.parentPlanId"],
    ["to a plan whose period does not cover it", haNoi2026, { ...national, periodStart: "2021-01-01", periodEnd: "2025-12-31" }, "BAD_USER_INPUT input.parentPlanId"],
    ["to a plan that ends mid-year", haNoi2026, { ...national, periodEnd: "2026-06-30" }, "BAD_USER_INPUT input.parentPlanId"],
    ["to another province's plan", haNoi2026, { ...national, unitId: 3 }, "BAD_USER_INPUT input.parentPlanId"],
    ["to a ward's plan", haNoi2026, { ...national, unitId: 200 }, "BAD_USER_INPUT input.parentPlanId"],
    ["to itself", haNoi2026, { ...haNoi2026 }, "BAD_USER_INPUT input.parentPlanId"],
    ["a plan that already has a parent", { ...haNoi2026, parentPlanId: "x" }, national, "CONFLICT input.planId"],
    ["a closed plan", { ...haNoi2026, status: "closed" as const }, national, "CONFLICT input.planId"],
  ])("%s → %s", (_what, p, parent, expected) => {
    expect(show(checkAttach(p, parent))).toBe(expected);
  });

  it("says why: a draft parent, another program, a period not covered", () => {
    expect(checkAttach(haNoi2026, { ...national, status: "draft" })?.message).toMatch(/still a draft: a plan is attached only to an approved \(ACTIVE\) plan/);
    expect(checkAttach(haNoi2026, { ...national, programId: 2 })?.message).toMatch(/another program/);
    expect(checkAttach(haNoi2026, { ...national, periodEnd: "2025-12-31", periodStart: "2021-01-01" })?.message).toMatch(/does not cover/);
  });
});

describe("checkSupersede", () => {
  const old = plan({ id: "old", status: "active", periodStart: "2026-01-01", periodEnd: "2026-12-31" });
  const by = { ...plan({ id: "new", status: "draft", periodStart: "2026-03-01", periodEnd: "2026-12-31" }), ancestorIds: [] as string[] };
  const child = plan({ id: "c", unitId: 200, periodStart: "2026-04-01", periodEnd: "2026-12-31", documentNumber: "12/KH" });
  it.each([
    ["by a draft of the same unit, covering its children", old, by, [child], null],
    ["by an active plan", old, { ...by, status: "active" as const }, [], null],
    ["a draft", { ...old, status: "draft" as const }, by, [], "CONFLICT input.planId"],
    ["by itself", old, { ...by, id: "old" }, [], "BAD_USER_INPUT input.byPlanId"],
    ["by another unit's plan", old, { ...by, unitId: 3 }, [], "BAD_USER_INPUT input.byPlanId"],
    ["by another program's plan", old, { ...by, programId: 2 }, [], "BAD_USER_INPUT input.byPlanId"],
    ["by a closed plan", old, { ...by, status: "closed" as const }, [], "BAD_USER_INPUT input.byPlanId"],
    ["by a plan that implements it", old, { ...by, ancestorIds: ["old"] }, [], "BAD_USER_INPUT input.byPlanId"],
    ["by a plan that does not cover a child", old, by, [{ ...child, periodStart: "2026-01-01" }], "BAD_USER_INPUT input.byPlanId"],
  ])("%s → %s", (_what, o, b, children, expected) => {
    expect(show(checkSupersede(o, b, children))).toBe(expected);
  });
});

describe("inheritanceNote", () => {
  it("says a plan with no parent inherits nothing, and what it rests on", () => {
    const note = inheritanceNote({ status: "active", parentPlanId: null, legalBasis: "Pháp lệnh 10/2003/PL-UBTVQH11" }, null);
    expect(note).toMatch(/no parent plan: it inherits no target/);
    expect(note).toMatch(/rests on: Pháp lệnh 10\/2003\/PL-UBTVQH11/);
    expect(note).toMatch(/It is active/);
  });
  it("names the parent, and says a draft is not in force", () => {
    const note = inheritanceNote({ status: "draft", parentPlanId: "n", legalBasis: null }, { documentNumber: "1629/QĐ-TTg", title: "x", unitName: "Việt Nam" });
    expect(note).toMatch(/inherits every target it does not set itself from 1629\/QĐ-TTg \(Việt Nam\)/);
    expect(note).toMatch(/draft: not in force/);
  });
});

describe("refusals in the request's language, naming plans by document number", () => {
  const parent = plan({ id: "q", documentNumber: "QĐ 2026-2035", status: "draft" });
  it.each([
    ["vi", "Không thể kích hoạt kế hoạch 07/KH-UBND: kế hoạch cấp trên QĐ 2026-2035 vẫn là dự thảo: hãy kích hoạt (phê duyệt) kế hoạch cấp trên trước."],
    ["en", "Plan 07/KH-UBND cannot be activated: its parent plan QĐ 2026-2035 is still a draft: activate (approve) the parent first."],
  ] as const)("%s: activation under a draft parent", (language, message) => {
    expect(withLanguage(language, () => checkActivation(plan(), parent))?.message).toBe(message);
  });

  it.each([
    ["vi", "Kế hoạch 07/KH-UBND đã kết thúc nên không thể kích hoạt: kế hoạch đã kết thúc thì giữ nguyên trạng thái kết thúc."],
    ["en", "Plan 07/KH-UBND is closed and cannot be activated: a closed plan stays closed."],
  ] as const)("%s: a closed plan is not activated", (language, message) => {
    expect(withLanguage(language, () => checkTransition(plan({ status: "closed" }), "active"))?.message).toBe(message);
  });

  it.each([
    ["vi", /^Kế hoạch này không có kế hoạch cấp trên: .* Căn cứ: Pháp lệnh 10\/2003\. Kế hoạch đang là dự thảo: chưa có hiệu lực/],
    ["en", /^This plan has no parent plan: .* It rests on: Pháp lệnh 10\/2003\. It is a draft: not in force/],
  ] as const)("%s: what a plan with no parent inherits", (language, note) => {
    expect(withLanguage(language, () => inheritanceNote({ status: "draft", parentPlanId: null, legalBasis: "Pháp lệnh 10/2003" }, null))).toMatch(note);
  });
});

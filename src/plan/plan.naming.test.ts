import { withLanguage, type Language } from "../i18n/i18n.language";
import { planLabel, planName, type PlanNaming } from "./plan.naming";

const HN: PlanNaming = { documentNumber: "06/KH-UBND", title: "Kế hoạch năm 2026", unitName: "Thành phố Hà Nội" };

describe("planName", () => {
  it.each([
    [{ documentNumber: "06/KH-UBND", title: "Kế hoạch năm 2026" }, "06/KH-UBND"],
    [{ documentNumber: null, title: "Kế hoạch năm 2026" }, "\"Kế hoạch năm 2026\""],
  ])("%o → %s", (plan, name) => {
    expect(planName(plan)).toBe(name);
  });
});

describe("planLabel: a plan as people know it, never its id", () => {
  it.each<[Language, PlanNaming, string]>([
    ["vi", HN, "kế hoạch 06/KH-UBND của Thành phố Hà Nội"],
    ["en", HN, "plan 06/KH-UBND of Thành phố Hà Nội"],
    ["vi", { ...HN, documentNumber: null }, "kế hoạch \"Kế hoạch năm 2026\" của Thành phố Hà Nội"],
    ["en", { ...HN, documentNumber: null }, "plan \"Kế hoạch năm 2026\" of Thành phố Hà Nội"],
    ["vi", { ...HN, unitName: null }, "kế hoạch 06/KH-UBND"],
    ["en", { documentNumber: "06/KH-UBND", title: "x" }, "plan 06/KH-UBND"],
  ])("%s: %o → %s", (language, plan, label) => {
    expect(withLanguage(language, () => planLabel(plan))).toBe(label);
  });
});

import { withLanguage } from "../i18n/i18n.language";
import { planLabel } from "./target.naming";

describe("planLabel: a plan named the way its users know it, never by its UUID", () => {
  it.each([
    ["vi", { documentNumber: "06/KH-UBND", title: "Kế hoạch kiểm tra năm 2026", unitName: "Thành phố Hà Nội" }, "kế hoạch 06/KH-UBND của Thành phố Hà Nội"],
    ["en", { documentNumber: "06/KH-UBND", title: "Kế hoạch kiểm tra năm 2026", unitName: "Thành phố Hà Nội" }, "plan 06/KH-UBND of Thành phố Hà Nội"],
    ["vi", { documentNumber: null, title: "Kế hoạch kiểm tra năm 2026", unitName: "Thành phố Hà Nội" }, "kế hoạch \"Kế hoạch kiểm tra năm 2026\" của Thành phố Hà Nội"],
    ["en", { documentNumber: "  ", title: "Kế hoạch kiểm tra năm 2026", unitName: "Thành phố Hà Nội" }, "plan \"Kế hoạch kiểm tra năm 2026\" of Thành phố Hà Nội"],
    ["vi", { documentNumber: "1629/QĐ-TTg", title: "x", unitName: null }, "kế hoạch 1629/QĐ-TTg"],
    ["en", { documentNumber: undefined, title: "Kế hoạch 2026", unitName: undefined }, "plan \"Kế hoạch 2026\""],
    ["en", { documentNumber: null, title: null, unitName: "Việt Nam" }, "plan \"?\" of Việt Nam"],
  ] as const)("%s: %j → %s", (language, plan, text) => {
    expect(withLanguage(language, () => planLabel(plan))).toBe(text);
  });
});

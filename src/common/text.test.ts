import { checkAuditReason, normalizeText, toSearchText } from "./text";

describe("normalizeText", () => {
  it.each([
    ["  Phường   Bãi Cháy ", "Phường Bãi Cháy"],
    ["Xã".normalize("NFD"), "Xã"],
    ["a\t\nb", "a b"],
    ["   ", ""],
  ])("%j → %j", (input, stored) => {
    expect(normalizeText(input)).toBe(stored);
  });
});

describe("toSearchText", () => {
  it.each([
    ["Thành phố Hạ Long", "thanh pho ha long"],
    ["  Đông   Triều ", "dong trieu"],
    ["Xã".normalize("NFD"), "xa"],
  ])("%j → %j", (input, search) => {
    expect(toSearchText(input)).toBe(search);
  });
});

describe("checkAuditReason", () => {
  it.each(["", "   ", " \t\n ", "  ab  ", "a\n\n"])("refuses %j (BAD_USER_INPUT on input.reason)", (reason) => {
    expect(() => checkAuditReason(reason)).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT", details: { field: "input.reason" } }));
  });

  it("keeps a reason normalized", () => {
    expect(checkAuditReason("  numbers  of\n94/KH-UBND ")).toBe("numbers of 94/KH-UBND");
  });
});

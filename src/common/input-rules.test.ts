import { isDateInRange, unsafeNameCharacter } from "./input-rules";

describe("isDateInRange", () => {
  it.each([
    ["1945-01-01", true],
    ["2025-06-30", true],
    ["2100-12-31", true],
    ["1944-12-31", false],
    ["0001-01-01", false],
    ["2101-01-01", false],
    ["9999-12-31", false],
    // not a date at all: the ISO-date check answers that
    ["yesterday", true],
    [null, true],
  ])("%s → %s", (value, expected) => {
    expect(isDateInRange(value)).toBe(expected);
  });
});

describe("unsafeNameCharacter", () => {
  it.each([
    ["Phường Hạ Long", null],
    ["Xã Đặc khu Vân Đồn", null],
    ["Kế hoạch 01/KH-UBND (2025–2030)", null],
    // combining marks (decomposed Vietnamese) are letters' accents, not controls
    ["Ha\u0323 Long", null],
    ["Xã \u202Egnol aH", "U+202E"],
    ["\u202DHạ Long", "U+202D"],
    ["Hạ\u2066 Long\u2069", "U+2066"],
    ["Hạ\u200F Long", "U+200F"],
    ["Hạ\u061C Long", "U+061C"],
    ["Hạ Long\u0000", "U+0000"],
    ["Hạ\nLong", "U+000A"],
    ["Hạ\tLong", "U+0009"],
    ["Hạ\u0007Long", "U+0007"],
    ["Hạ\u007FLong", "U+007F"],
    ["Hạ\u0085Long", "U+0085"],
    ["Hạ\u200BLong", "U+200B"],
    ["Hạ\uFEFFLong", "U+FEFF"],
    ["Hạ\u2028Long", "U+2028"],
  ])("%j → %s", (value, expected) => {
    expect(unsafeNameCharacter(value)).toBe(expected);
  });
});

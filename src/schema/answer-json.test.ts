import { answerHead } from "./answer-json";

/** What Apollo and express send for the same data: JSON.stringify's text, then its bytes in UTF-8. */
const reference = (data: unknown) => Buffer.from(`${JSON.stringify({ data })}\n`, "utf8");
const written = (data: unknown) => Buffer.concat([answerHead(data), Buffer.from("}\n")]);

class Unit {
  constructor(readonly code: string) {}
}
const row = (k: number) => ({
  unit: { code: String(k).padStart(5, "0"), name: `Xã Nghĩa Đàn ${k} — Tỉnh Nghệ An` },
  cells: [{ indicatorCode: "A", value: k / 7, status: "MET", target: { value: { kind: "SHARE_FLOOR", share: 51, count: null } } }],
});

const CASES: Array<[string, unknown]> = [
  ["null data", null],
  ["an empty object", {}],
  ["Vietnamese text, in a row of a list and above it", { rollup: { unit: { name: "Tỉnh Nghệ An" }, children: [row(1), row(2)] } }],
  ["escapes: quotes, backslash, control characters, U+2028", { text: 'a"b\\c\n\t\u0001\u2028' }],
  ["astral characters and a lone surrogate", { emoji: "🇻🇳 ✓", lone: "x\ud800y", list: ["\udfff", "𝔸"] }],
  ["numbers: fractions, -0, big, NaN and infinities", { n: [0.1 + 0.2, -0, 1e21, 1e-7, Number.NaN, Infinity], m: -Infinity }],
  ["undefined, functions and symbols left out of objects, null in lists", { a: undefined, f: () => 1, s: Symbol("x"), list: [undefined, () => 1, Symbol("y"), 1] }],
  ["nested lists and empty ones", { m: [[1, [2, []]], [], [{}]], e: [] }],
  ["objects with toJSON, class instances and null-prototype objects", { d: new Date(Date.UTC(2026, 0, 1)), u: new Unit("40"), o: Object.assign(Object.create(null), { k: "v", l: [1] }) }],
  ["a toJSON above the first list", { page: { toJSON: () => ({ replaced: true }), rows: [1] } }],
  ["numeric keys, written in JSON.stringify's order", { page: { b: 1, 2: "two", a: [1], 1: "one" } }],
  ["a list as data's member that grows the buffer many times (a national page and more)", { rows: Array.from({ length: 5000 }, (_, k) => row(k)) }],
  ["one string larger than the first buffer", { big: "ệ".repeat(100_000) }],
];

describe("answerHead: the bytes JSON.stringify and express would send", () => {
  it.each(CASES)("%s", (_name, data) => {
    expect(written(data).equals(reference(data))).toBe(true);
  });

  it("throws where JSON.stringify throws (a BigInt), rather than sending something else", () => {
    expect(() => answerHead({ n: [BigInt(1)] })).toThrow(TypeError);
  });
});

import { readKey, RowDigest } from "./read-digest";

const digestOf = (rows: Array<Array<string | null>>) => {
  const digest = new RowDigest();
  for (const row of rows) digest.row(row);
  return digest.value();
};

describe("RowDigest: the same rows give the same digest, any difference another", () => {
  const base = [["1", "a"], ["2", null]];
  it.each<[string, Array<Array<string | null>>, boolean]>([
    ["the same rows", [["1", "a"], ["2", null]], true],
    ["a changed value", [["1", "b"], ["2", null]], false],
    ["null against an empty text", [["1", "a"], ["2", ""]], false],
    ["null against the text of a null marker", [["1", "a"], ["2", "\u0000"]], false],
    ["the rows in another order", [["2", null], ["1", "a"]], false],
    ["a field moved across a boundary", [["1a", ""], ["2", null]], false],
    ["a row split in two", [["1"], ["a"], ["2", null]], false],
    ["a row more", [["1", "a"], ["2", null], []], false],
    ["a row less", [["1", "a"]], false],
    ["a length-looking text", [["1", "1:a"], ["2", null]], false],
  ])("%s", (_name, rows, same) => {
    expect(digestOf(rows) === digestOf(base)).toBe(same);
  });

  it("keeps the fields as sent only when asked (a replay, to parse them if they changed)", () => {
    const kept = new RowDigest({ keepRaw: true });
    kept.row(["1", null]);
    expect(kept.raw).toEqual([["1", null]]);
    expect(new RowDigest().raw).toBeUndefined();
    expect(kept.value()).toBe(digestOf([["1", null]]));
  });
});

describe("readKey: a statement with its parameters", () => {
  it.each<[string, [string, unknown[]], [string, unknown[]], boolean]>([
    ["same text and parameters", ["SELECT $1", [1]], ["SELECT $1", [1]], true],
    ["another parameter", ["SELECT $1", [1]], ["SELECT $1", [2]], false],
    ["a number against its text", ["SELECT $1", [1]], ["SELECT $1", ["1"]], false],
    ["another text", ["SELECT $1", [1]], ["SELECT $1 ", [1]], false],
  ])("%s", (_name, a, b, same) => {
    expect(readKey(...a) === readKey(...b)).toBe(same);
  });
});

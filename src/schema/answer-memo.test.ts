import type { RequestDb } from "../db/request-db";
import type { RecordedRead } from "../db/read-digest";
import { AnswerMemo } from "./answer-memo";

// an answer kept with no reads is found without a statement (a query that reads nothing, e.g. __typename)
const noDb = {} as RequestDb;
const answerOf = (size: number, fill: string) => Buffer.alloc(size, fill);

describe("AnswerMemo: what it keeps, and within what bound", () => {
  it("keeps a copy of the answer, followed in the same memory by Apollo's usual end (sent without a copy)", async () => {
    const memo = new AnswerMemo(1024 * 1024);
    const head = Buffer.from('{"data":{"a":1}');
    memo.keep("k", [], head);
    head.fill(0); // the request's buffer is reused: the kept answer is its own
    const kept = (await memo.answer("k", noDb))!;
    expect(kept.toString()).toBe('{"data":{"a":1}');
    expect(Buffer.from(kept.buffer, kept.byteOffset + kept.length, 2).toString()).toBe("}\n");
    expect(await memo.answer("other", noDb)).toBeUndefined();
  });

  it.each<[string, number, number[], string[]]>([
    ["all within the bound", 1000, [200, 200, 200], ["a", "b", "c"]],
    ["the least recently used out first", 1000, [240, 240, 240, 240, 240], ["b", "c", "d", "e"]],
    ["none over a quarter of the bound", 1000, [300, 100], ["b"]],
  ])("%s", async (_name, bound, sizes, expected) => {
    const memo = new AnswerMemo(bound);
    sizes.forEach((size, i) => memo.keep("abcde"[i]!, [], answerOf(size - 2, "x")));
    const found = [];
    for (const key of "abcde") if (await memo.answer(key, noDb)) found.push(key);
    expect(found).toEqual(expected);
    expect(memo.size.bytes).toBeLessThanOrEqual(bound);
  });

  it("counts the reads kept with an answer, their parameters included", () => {
    const memo = new AnswerMemo(1024 * 1024);
    const read = (params: unknown[]): RecordedRead => ({ sql: "SELECT 1", params, prepare: true, settings: { name: "s", text: "SELECT 1", values: [] }, digest: "d" });
    const many = [Array.from({ length: 1000 }, (_, i) => i)];
    memo.keep("small", [read([])], answerOf(100, "x"));
    const small = memo.size.bytes;
    memo.keep("large", [read(many)], answerOf(100, "x"));
    // the same answer and SQL: the second differs by its parameters' text alone
    expect(memo.size.bytes - 2 * small).toBe(JSON.stringify(many).length - JSON.stringify([]).length);
  });
});

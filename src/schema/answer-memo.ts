import crypto from "node:crypto";
import { LRUCache } from "lru-cache";
import type { GraphQLRequestContextResponseForOperation } from "@apollo/server";
import type { RequestContext } from "../context";
import type { RecordedRead } from "../db/read-digest";
import type { RequestDb } from "../db/request-db";
import { currentLanguage } from "../i18n/i18n.language";
import { today } from "../common/date.scalar";

interface Memo {
  reads: RecordedRead[];
  /** the answer's head (what answerHead writes), followed in the same memory by Apollo's usual end of it */
  answer: Buffer;
}

/** How Apollo ends an answer with data and nothing else: stored after the head, so it is sent without a copy (prepared-answer.ts). */
const USUAL_END = Buffer.from("}\n");

/**
 * Answers of queries kept by what they were computed from, so that a page asked again is not computed again.
 *
 * An answer is a pure function of the query (document, operation, variables), the caller (the verified token's
 * actor), the language, the day, and the rows its statements read (the targets kept in memory included: they
 * are checked against the targets version, which a statement of the request reads). So an answer is kept with
 * its reads, each with the digest of its rows (read-digest.ts). The same query by the same caller is answered
 * from here only once every read, run again now as that caller (scope, row-level security, replica routing and
 * consistency token as for any read), gave the same rows: a write committed anywhere that changes what it read
 * changes a digest, and the answer is computed afresh. The database does all of its work on every request; only Node's (judging, the
 * GraphQL execution, the answer's JSON) is saved. Nothing is shared between callers, and nothing between
 * processes: no invalidation to miss.
 *
 * Kept per process, least recently used first out, within `maxBytes` of answers (ANSWER_MEMO_MB).
 */
export class AnswerMemo {
  private readonly memos: LRUCache<string, Memo>;

  constructor(maxBytes: number) {
    this.memos = new LRUCache<string, Memo>({
      maxSize: maxBytes,
      // the answer's memory, and its reads' text and parameters (a statement's SQL is shared with the code, but counted as if not)
      sizeCalculation: (memo) => memo.answer.buffer.byteLength + memo.reads.reduce((n, r) => n + r.sql.length + JSON.stringify(r.params).length + 64, 0),
      maxEntrySize: Math.max(1, Math.floor(maxBytes / 4)),
    });
  }

  /** What the answer depends on besides its reads; undefined: this request is not answered from here. */
  keyOf(request: GraphQLRequestContextResponseForOperation<RequestContext>): string | undefined {
    const { contextValue: ctx, request: asked } = request;
    if (!ctx.db.readsOnlyRequest || !asked.http || request.requestIsBatched) return undefined;
    const parts = [request.queryHash, request.operationName ?? null, asked.variables ?? {}, ctx.actor, currentLanguage(), today()];
    return crypto.createHash("sha256").update(JSON.stringify(parts)).digest("base64");
  }

  /**
   * The kept answer if its reads, replayed in order, give the same rows; else undefined (the rows replayed, up to the
   * first that changed, are kept by `db` for the request's own run). A replay that fails leaves the request to run as usual.
   */
  async answer(key: string, db: RequestDb): Promise<Buffer | undefined> {
    const memo = this.memos.get(key);
    if (!memo) return undefined;
    try {
      for (const read of memo.reads) if (!(await db.replay(read))) return undefined;
    } catch {
      return undefined;
    }
    return memo.answer;
  }

  /** Keeps an answer computed now, with the reads it came from (its own copy: the request's buffer is sent and dropped). */
  keep(key: string, reads: RecordedRead[], answer: Buffer): void {
    // memory of its own (never a slice of Node's shared pool): what it holds is exactly what it counts
    const whole = Buffer.allocUnsafeSlow(answer.length + USUAL_END.length);
    answer.copy(whole);
    USUAL_END.copy(whole, answer.length);
    this.memos.set(key, { reads, answer: whole.subarray(0, answer.length) });
  }

  /** How many answers are kept, and their size with their reads (tests read it). */
  get size(): { answers: number; bytes: number } {
    return { answers: this.memos.size, bytes: this.memos.calculatedSize };
  }
}

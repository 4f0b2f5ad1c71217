import type { RequestHandler, Response } from "express";
import { currentScope, type RequestScope } from "../ops/request-scope";
import { answerHead } from "./answer-json";

/** What Apollo serialises in place of a prepared answer's data: a string no answer can hold (it starts with NUL). */
const PLACEHOLDER = "\u0000prepared-answer";
/** How Apollo's text of such an answer starts (data is its first member when there is no error) */
const PLACEHOLDER_HEAD = `{"data":${JSON.stringify(PLACEHOLDER)}`;

/**
 * A query's data written as the answer's UTF-8 bytes now (answer-json.ts), kept in the request's scope; Apollo gets a
 * placeholder, so its own serialisation of the page (one large string, then converted) is not made. Only when the
 * request runs in an HTTP request's scope: otherwise (no scope) the data is returned as it is.
 */
export function prepareAnswer(data: Record<string, unknown> | null | undefined): Record<string, unknown> | null | undefined {
  if (!currentScope() || data === null || data === undefined) return data;
  return answerAsPrepared(answerHead(data));
}

/** An answer's head already written (answerHead, or kept: answer-memo.ts), to be sent in place of Apollo's text. */
export function answerAsPrepared(bytes: Buffer): Record<string, unknown> {
  const scope = currentScope();
  if (!scope) throw new Error("A prepared answer is sent only within an HTTP request's scope");
  scope.preparedAnswer = bytes;
  return PLACEHOLDER as unknown as Record<string, unknown>;
}

/**
 * Sends a prepared answer where Apollo's text starts with the placeholder as data: the prepared bytes, then the rest of
 * Apollo's text (`}` and its newline, or extensions). Had the commit failed, the answer carries its error and no
 * data instead, and is sent as it is. Express types and measures the bytes as it does any Buffer; compression
 * (compression.ts) applies after this.
 */
export function sendPreparedAnswers(): RequestHandler {
  return (_req, res, next) => {
    const send = res.send;
    res.send = function (this: Response, body?: unknown) {
      const scope = res.locals.opsScope as RequestScope | undefined;
      const prepared = scope?.preparedAnswer;
      if (scope) scope.preparedAnswer = undefined;
      const replaced = prepared && typeof body === "string" && body.startsWith(PLACEHOLDER_HEAD);
      return send.call(this, replaced ? withRest(prepared, Buffer.from(body.slice(PLACEHOLDER_HEAD.length))) : body);
    } as Response["send"];
    next();
  };
}

/**
 * The head and the rest of the answer as one buffer: the head's own memory when the same bytes follow it there (a kept
 * answer is stored with its usual end, answer-memo.ts), so a large answer is not copied on every request; else a copy.
 */
function withRest(head: Buffer, rest: Buffer): Buffer {
  const end = head.byteOffset + head.length;
  if (end + rest.length <= head.buffer.byteLength && Buffer.from(head.buffer, end, rest.length).equals(rest)) {
    return Buffer.from(head.buffer, head.byteOffset, head.length + rest.length);
  }
  return Buffer.concat([head, rest]);
}

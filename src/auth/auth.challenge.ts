import type { ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import { bearerChallenge } from "./auth.errors";

/**
 * For routes that answer their own JSON errors (downloads, the report upload): their 401 answers
 * carry the RFC 6750 challenge too (/graphql's come with the error, src/common/format-error.ts). A
 * 401 there means no token (no Authorization header) or a refused one (AuthService), so the request
 * tells which challenge.
 */
export const challengeUnauthenticated: RequestHandler = (req, res, next) => {
  const writeHead = res.writeHead as (this: ServerResponse, ...args: unknown[]) => ServerResponse;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (args[0] === 401 && !this.hasHeader("www-authenticate")) {
      this.setHeader("www-authenticate", bearerChallenge(req.headers.authorization ? "INVALID" : "MISSING"));
    }
    return writeHead.apply(this, args);
  } as typeof res.writeHead;
  next();
};

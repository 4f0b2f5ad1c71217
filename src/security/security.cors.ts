import cors from "cors";
import type { RequestHandler } from "express";

/** The routes browser apps call: GraphQL, the downloads and the report upload. */
export const API_PATHS = ["/graphql", "/csv", "/xlsx", "/reports"];

/** What a browser app may send: the token, JSON, its language, a request id, Apollo's preflight headers. */
const ALLOWED_HEADERS = ["authorization", "content-type", "accept-language", "x-request-id", "apollo-require-preflight", "x-apollo-operation-name", "x-consistency-token"];
/** What it may read besides the simple headers: the 401 challenge, a download's file name, the request id, a write's consistency token. */
const EXPOSED_HEADERS = ["www-authenticate", "content-disposition", "x-request-id", "x-consistency-token"];

/**
 * CORS for browser apps on the origins of CORS_ORIGINS (the `cors` package), or undefined when none
 * are set (same origin only). No credentials: callers send a bearer token, never a cookie. A
 * preflight (OPTIONS) is answered here; another origin gets no CORS header at all. Apollo's CSRF
 * prevention stays on: a browser's JSON POST, or a request carrying apollo-require-preflight, is
 * preflighted, so only the allowed origins' get through, and a simple request is refused by Apollo.
 */
export function corsFor(origins: readonly string[]): RequestHandler | undefined {
  if (origins.length === 0) return undefined;
  const allowed = new Set(origins);
  const handler = cors({
    origin: (origin, done) => done(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ["GET", "POST"],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
  });
  return (req, res, next) => {
    res.vary("Origin"); // the answer depends on the origin, allowed or not (shared caches)
    handler(req, res, next);
  };
}

import compression from "compression";
import compressible from "compressible";
import zlib from "node:zlib";
import type { Request, RequestHandler, Response } from "express";

/** Answers under this size are sent as they are (compressing them saves less than it costs). */
const THRESHOLD = 1024;
/**
 * The fastest levels: the API is CPU-bound, and they keep most of the gain of the slower ones (see below). Brotli's
 * window is 256 KB (LGWIN 18; its default is 4 MB): a page is 10-300 KB, and a window allocated fresh for every
 * answer made quality 1 cost 0.7-1.6 ms a province page instead of 0.14 ms, for the same 7.8 KB.
 */
const BROTLI = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_LGWIN]: 18 } };
const GZIP = { level: 1 };

/**
 * The API's answers (GraphQL, CSV, JSON) compressed for clients that ask (Accept-Encoding; every browser does):
 * brotli where accepted, else gzip. A province page's 116 KB of JSON travels as ~8 KB, a national comparison's
 * 300 KB as ~29 KB. An answer is a whole string in memory when express sends it, so it is compressed in one call
 * (~0.1 ms per 100 KB at brotli quality 1 on this machine; quality 4 gives 6 KB instead of 8 for three times the
 * CPU), not through a stream (measured at ~1 ms more a page). COMPRESSION=0 turns it off where a proxy compresses.
 */
export function compressAnswers(): RequestHandler {
  return (req, res, next) => {
    const send = res.send;
    res.send = function (this: Response, body?: unknown) {
      const compressed = compressedBody(req, this, body);
      return send.call(this, compressed ?? utf8Answer(this, body));
    } as Response["send"];
    next();
  };
}

function compressedBody(req: Request, res: Response, body: unknown): Buffer | undefined {
  if (typeof body !== "string" && !Buffer.isBuffer(body)) return undefined;
  if (req.method === "HEAD" || res.statusCode === 204 || res.statusCode === 304) return undefined;
  // only answers that say what they are, of a type worth compressing: JSON and CSV are, an .xlsx (already a zip) is not
  const type = res.getHeader("Content-Type");
  if (typeof type !== "string" || !compressible(type) || res.getHeader("Content-Encoding")) return undefined;
  res.vary("Accept-Encoding");
  // brotli whenever the client accepts it (browsers list it last, at the same weight as gzip), else gzip; a client
  // that accepts neither, or a small answer (under THRESHOLD characters or bytes), gets the answer untouched
  const encoding = req.acceptsEncodings("br") === "br" ? "br" : req.acceptsEncodings("gzip") === "gzip" ? "gzip" : undefined;
  if (!encoding || body.length < THRESHOLD) return undefined;
  res.setHeader("Content-Encoding", encoding);
  const bytes = typeof body === "string" ? utf8(body) : body;
  return encoding === "br"
    ? zlib.brotliCompressSync(bytes, { params: { ...BROTLI.params, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
    : zlib.gzipSync(bytes, GZIP);
}

const encoder = new TextEncoder();

/**
 * A string's UTF-8 bytes through TextEncoder: Node 20's Buffer.from is ~3× slower on the two-byte strings a
 * Vietnamese answer is (any "ệ" or "Đ" makes the whole text one): 0.1 against 0.28 ms for a 116 KB page here.
 */
function utf8(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text, "utf8"));
  encoder.encodeInto(text, bytes);
  return bytes;
}

/**
 * A large string answer already typed as UTF-8 (a GraphQL answer Apollo wrote: one with errors; most are sent as
 * bytes already, src/schema/prepared-answer.ts) handed to express as its bytes, converted as above; express would
 * convert it itself (it measures any answer of 1,000 characters or more as a Buffer). Others keep express's own
 * path, which types and sets the charset of a string answer.
 */
function utf8Answer(res: Response, body: unknown): unknown {
  if (typeof body !== "string" || body.length < 1000) return body;
  const type = res.getHeader("Content-Type");
  return typeof type === "string" && /;\s*charset=utf-8\b/i.test(type) ? utf8(body) : body;
}

/** Static files (the dashboard's and GraphiQL's bundles) are streamed from disk: compressed as they stream. */
export function compressFiles(): RequestHandler {
  return compression({ level: GZIP.level, brotli: BROTLI, threshold: THRESHOLD });
}

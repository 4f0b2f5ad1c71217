import http from "node:http";

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** the bytes as they travelled (no decoding of any Content-Encoding) */
  raw: Buffer;
  /** the same read as UTF-8 */
  body: string;
}

/**
 * A raw HTTP request through node:http: the headers are sent exactly as given (Origin, preflights,
 * Accept-Encoding: none is added) and the answer is not decoded, as `fetch` would.
 */
export function rawRequest(url: string, method: string, headers: Record<string, string> = {}, body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { "accept-language": "en", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode!, headers: res.headers, raw, body: raw.toString("utf8") });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

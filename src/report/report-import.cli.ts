import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { parseArgs } from "node:util";
import { Presets, SingleBar } from "cli-progress";

const USAGE = `usage: npm run import -- <file.csv|file.xlsx> --token <jwt> [--url <server>] [--dry-run] [--key <idempotency key>]
  Sends the file to a running server (POST /reports/upload) with your token; the server checks every
  row against your unit's area and writes all of them or none.
  --token    a token with the REPORTER role (or IMPORT_TOKEN); npm run token -- --unit 22 --role REPORTER
  --url      the server (default http://localhost:<PORT>, PORT 4000 when unset)
  --dry-run  validate and count, write nothing
  --key      idempotency key: a retry with the same key and file answers the first result`;

interface Answer {
  status: number;
  body: any;
}

/** POSTs the multipart body in chunks, moving the bar as each one is handed to the socket. */
function post(url: URL, headers: Record<string, string>, body: Buffer, onProgress: (sent: number) => void): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === "https:" ? https : http;
    const request = client.request(url, { method: "POST", headers: { ...headers, "content-length": String(body.length) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (c: Buffer) => chunks.push(c));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        try {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) });
        } catch {
          resolve({ status: response.statusCode ?? 0, body: { error: { code: "BAD_RESPONSE", message: text.slice(0, 300) } } });
        }
      });
    });
    request.on("error", reject);
    const CHUNK = 64 * 1024;
    let sent = 0;
    const pump = () => {
      while (sent < body.length) {
        const chunk = body.subarray(sent, sent + CHUNK);
        sent += chunk.length;
        const more = request.write(chunk, () => onProgress(Math.min(sent, body.length)));
        if (!more) return void request.once("drain", pump);
      }
      request.end();
    };
    pump();
  });
}

function printSummary(s: any, seconds: string): void {
  const counts = `${s.inserted} new, ${s.updated} updated, ${s.unchanged} unchanged, 0 rejected`;
  if (s.replayed) console.log(`Already imported with this key: ${s.received} rows (${counts}); nothing written again.`);
  else if (s.dryRun) console.log(`Dry run (nothing written): would import ${s.received} rows in ${seconds} s: ${counts}.`);
  else console.log(`Imported ${s.received} rows in ${seconds} s: ${counts}.`);
  const restored: Array<{ line: number; from: string; to: string }> = s.restoredCodes ?? [];
  if (restored.length) {
    console.log(`Restored the leading zeros of ${restored.length} unit codes:`);
    for (const r of restored.slice(0, 20)) console.log(`  line ${r.line}: ${r.from} → ${r.to}`);
    if (restored.length > 20) console.log(`  … and ${restored.length - 20} more`);
  }
  const skipped: number[] = s.skippedLines ?? [];
  if (skipped.length) {
    const shown = skipped.slice(0, 20).join(", ");
    console.log(`Left out ${skipped.length} lines without any figure: ${shown}${skipped.length > 20 ? ", …" : ""}`);
  }
}

function printRefusal(status: number, error: any, seconds: string): void {
  const rows: Array<{ line: number; field: string; code: string; message: string }> = error?.invalidRows ?? [];
  if (rows.length) {
    console.log(`Rejected: ${error.message.replace("nothing was written", "nothing was imported")} (${seconds} s)`);
    for (const e of rows.slice(0, 200)) console.log(`  line ${e.line}: ${e.field} ${e.code}: ${e.message}`);
    if (rows.length > 200) console.log(`  … and ${rows.length - 200} more`);
    return;
  }
  console.log(`Refused (${error?.code ?? `HTTP ${status}`}): ${error?.message ?? "no answer"}`);
  if (status === 401) console.log("The token is missing, invalid or expired: mint one with `npm run token -- --unit <code> --role REPORTER`.");
}

/**
 * npm run import -- file.csv --token <jwt>: the file goes to a running server's POST /reports/upload,
 * as the token's holder, with a progress bar while it uploads, then the server's summary. This command
 * opens no database: the server decides, with the caller's scope, what may be written.
 */
async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: { token: { type: "string" }, url: { type: "string" }, "dry-run": { type: "boolean" }, key: { type: "string" }, help: { type: "boolean" } },
    });
  } catch (error) {
    const gone = /--(unit|as)\b/.test(String(error)) ? "\n--unit and --as are gone: your token says who you are and which units you may report for." : "";
    console.error(`${error instanceof Error ? error.message : error}${gone}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const token = values.token ?? process.env.IMPORT_TOKEN;
  if (values.help || positionals.length !== 1 || !token) {
    console.error(`${!token && positionals.length === 1 ? "A token is needed (--token or IMPORT_TOKEN).\n" : ""}${USAGE}`);
    return 2;
  }
  const file = positionals[0]!;
  const bytes = fs.readFileSync(file);
  const form = new FormData();
  form.set("file", new Blob([bytes]), path.basename(file));
  if (values["dry-run"]) form.set("dryRun", "true");
  if (values.key) form.set("idempotencyKey", values.key);
  const encoded = new Response(form);
  const body = Buffer.from(await encoded.arrayBuffer());
  const base = values.url ?? `http://localhost:${process.env.PORT || 4000}`;
  const url = new URL("reports/upload", base.endsWith("/") ? base : `${base}/`);

  const bar = new SingleBar({ format: "uploading {bar} {percentage}% of {size} ({duration}s)", hideCursor: true }, Presets.shades_classic);
  bar.start(body.length, 0, { size: `${Math.ceil(bytes.length / 1024)} kB` });
  const started = Date.now();
  let answer: Answer;
  try {
    answer = await post(url, { "content-type": encoded.headers.get("content-type")!, authorization: `Bearer ${token}` }, body, (sent) => bar.update(sent));
  } catch (error) {
    bar.stop();
    console.error(`Cannot reach the server at ${url.origin} (${(error as Error).message}): is it running (npm start), and is --url right?`);
    return 1;
  }
  bar.stop();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (answer.status === 200 && !answer.body.error) {
    printSummary(answer.body, seconds);
    return 0;
  }
  printRefusal(answer.status, answer.body.error, seconds);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { parseArgs } from "node:util";
import { Presets, SingleBar } from "cli-progress";
import { t } from "../i18n/i18n";
import { currentLanguage } from "../i18n/i18n.language";

// outside a request the tool speaks APP_LANGUAGE (Vietnamese when unset), and asks the server for the same
const USAGE = t("report:cli.usage");

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
  const counts = t("report:cli.counts", { inserted: s.inserted, updated: s.updated, unchanged: s.unchanged });
  if (s.replayed) console.log(t("report:cli.replayed", { received: s.received, counts }));
  else if (s.dryRun) console.log(t("report:cli.dryRun", { received: s.received, seconds, counts }));
  else console.log(t("report:cli.imported", { received: s.received, seconds, counts }));
  const restored: Array<{ line: number; from: string; to: string }> = s.restoredCodes ?? [];
  if (restored.length) {
    console.log(t("report:cli.restored", { n: restored.length }));
    for (const r of restored.slice(0, 20)) console.log(t("report:cli.line", { line: r.line, text: `${r.from} → ${r.to}` }));
    if (restored.length > 20) console.log(t("report:cli.more", { n: restored.length - 20 }));
  }
  const skipped: number[] = s.skippedLines ?? [];
  if (skipped.length) {
    const shown = skipped.slice(0, 20).join(", ");
    console.log(t("report:cli.skipped", { n: skipped.length, lines: `${shown}${skipped.length > 20 ? ", …" : ""}` }));
  }
}

function printRefusal(status: number, error: any, seconds: string): void {
  const rows: Array<{ line: number; field: string; code: string; message: string }> = error?.invalidRows ?? [];
  if (rows.length) {
    const message = String(error.message).replace(t("report:cli.nothingWritten"), t("report:cli.nothingImported"));
    console.log(t("report:cli.rejected", { message, seconds }));
    for (const e of rows.slice(0, 200)) console.log(t("report:cli.line", { line: e.line, text: `${e.field} ${e.code}: ${e.message}` }));
    if (rows.length > 200) console.log(t("report:cli.more", { n: rows.length - 200 }));
    return;
  }
  console.log(t("report:cli.refused", { code: error?.code ?? `HTTP ${status}`, message: error?.message ?? t("report:cli.noAnswer") }));
  if (status === 401) console.log(t("report:cli.badToken"));
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
    const gone = /--(unit|as)\b/.test(String(error)) ? `\n${t("report:cli.gone")}` : "";
    console.error(`${error instanceof Error ? error.message : error}${gone}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const token = values.token ?? process.env.IMPORT_TOKEN;
  if (values.help || positionals.length !== 1 || !token) {
    console.error(`${!token && positionals.length === 1 ? `${t("report:cli.needsToken")}\n` : ""}${USAGE}`);
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

  const bar = new SingleBar({ format: t("report:cli.progress"), hideCursor: true }, Presets.shades_classic);
  bar.start(body.length, 0, { size: `${Math.ceil(bytes.length / 1024)} kB` });
  const started = Date.now();
  let answer: Answer;
  try {
    const headers = { "content-type": encoded.headers.get("content-type")!, authorization: `Bearer ${token}`, "accept-language": currentLanguage() };
    answer = await post(url, headers, body, (sent) => bar.update(sent));
  } catch (error) {
    bar.stop();
    console.error(t("report:cli.unreachable", { origin: url.origin, detail: (error as Error).message }));
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

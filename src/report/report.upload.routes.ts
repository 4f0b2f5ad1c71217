import type express from "express";
import multer from "multer";
import type { AuthCheckerFn, ResolverData } from "type-graphql";
import type { AuthedContext, RequestContext } from "../context";
import { Role } from "../auth/auth.types";
import { authChecker } from "../auth/auth-checker";
import { CSV_BOM } from "../common/csv";
import { BadUserInputError, InternalError, PayloadTooLargeError } from "../common/errors";
import { t } from "../i18n/i18n";
import { httpStatusOf, reportError } from "../common/format-error";
import { parsePeriod } from "../common/period";
import { shortenFormattedError } from "../security/security.echo";
import { UPLOAD_LIMITS } from "./report.upload.read";
import { ReportUploadService } from "./report.upload.service";
import { templateCsv, templateXlsx } from "./report.upload.template";

export interface UploadDeps {
  contextFor(authorization: string | undefined, requestId?: string): Promise<RequestContext>;
}

const FIELDS = ["dryRun", "idempotencyKey", "reason"];

const parseForm = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: UPLOAD_LIMITS.fileBytes, files: 1, fields: FIELDS.length, fieldSize: 1024, parts: FIELDS.length + 1 },
}).single("file");

/** multer's and busboy's failures in our vocabulary. */
function formError(error: unknown): Error {
  if (!(error instanceof multer.MulterError)) {
    return new BadUserInputError(t("report:form.unreadable"), "file");
  }
  switch (error.code) {
    case "LIMIT_FILE_SIZE":
      return new PayloadTooLargeError(t("report:form.fileTooLarge", { mb: UPLOAD_LIMITS.fileBytes / 1024 / 1024 }), { limit: UPLOAD_LIMITS.fileBytes });
    case "LIMIT_UNEXPECTED_FILE":
    case "LIMIT_FILE_COUNT":
      return new BadUserInputError(t("report:form.oneFile"), "file");
    default:
      return new BadUserInputError(t("report:form.extraParts", { fields: FIELDS.join(t("report:form.and")) }), "file");
  }
}

function readForm(req: express.Request, res: express.Response): Promise<void> {
  return new Promise((resolve, reject) => parseForm(req, res, (error: unknown) => (error ? reject(formError(error)) : resolve())));
}

function formOptions(body: Record<string, unknown>): { dryRun: boolean; idempotencyKey: string | null; reason: string | null } {
  const unknown = Object.keys(body).filter((k) => !FIELDS.includes(k));
  if (unknown.length) throw new BadUserInputError(t("report:form.unknownPart", { part: unknown[0], fields: FIELDS.join(t("report:form.and")) }), unknown[0]);
  const dryRun = typeof body.dryRun === "string" ? body.dryRun.trim().toLowerCase() : "";
  if (!["", "true", "false", "1", "0"].includes(dryRun)) throw new BadUserInputError(t("report:form.dryRun", { value: body.dryRun }), "dryRun");
  const key = typeof body.idempotencyKey === "string" ? body.idempotencyKey.trim() : "";
  if (key.length > 200) throw new BadUserInputError(t("report:form.keyTooLong"), "idempotencyKey");
  const reason = typeof body.reason === "string" && body.reason.trim() ? body.reason : null;
  return { dryRun: dryRun === "true" || dryRun === "1", idempotencyKey: key || null, reason };
}

/** The caller (their token), refused as GraphQL would refuse it: no token 401, a role missing 403. */
async function callerOf(deps: UploadDeps, req: express.Request, roles: Role[]): Promise<AuthedContext> {
  const context = await deps.contextFor(req.headers.authorization, req.headers["x-request-id"] as string | undefined);
  (authChecker as AuthCheckerFn<RequestContext, Role>)({ context } as ResolverData<RequestContext>, roles);
  return context as AuthedContext;
}

/** A failure answers JSON `{ error: { code, message, requestId, …details } }` with its code's HTTP status. */
function sendError(res: express.Response, error: unknown): void {
  const formatted = shortenFormattedError(reportError(error));
  const { code, requestId, ...details } = formatted.extensions ?? {};
  res.status(httpStatusOf(formatted)).json({ error: { code, message: formatted.message, requestId, ...details } });
}

/** Runs `work` in the caller's transaction: committed when it succeeds, rolled back otherwise. */
async function inTransaction<T>(ctx: RequestContext, work: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await ctx.db.finish(false).catch(() => undefined);
    throw error;
  }
  try {
    await ctx.db.finish(true);
  } catch (error) {
    throw new InternalError(t("common:saveFailed"), error);
  }
  return result;
}

const param = (req: express.Request, name: string) => (typeof req.query[name] === "string" ? (req.query[name] as string).trim() : "");
const safeName = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 40);

/**
 * Report files over HTTP, with a bearer token (README "Uploading report files"):
 * - POST /reports/upload (REPORTER; multipart/form-data: file, optional dryRun, idempotencyKey and reason) —
 *   a CSV or .xlsx of report rows, submitted as submitReports submits them; answers the JSON summary;
 * - GET /reports/template?period=2025-Q1[&unitCode=22][&indicatorCode=…][&format=csv|xlsx] — the rows
 *   a unit of the caller's subtree (default their own) is expected to report, to fill in.
 */
export function installReportUpload(app: express.Express, deps: UploadDeps): void {
  app.post("/reports/upload", async (req, res) => {
    try {
      const ctx = await callerOf(deps, req, [Role.REPORTER]); // before the body is read
      await readForm(req, res);
      const file = req.file;
      if (!file) throw new BadUserInputError(t("report:form.sendFile"), "file");
      const options = formOptions(req.body ?? {});
      const summary = await inTransaction(ctx, () => ReportUploadService.upload(ctx, { name: file.originalname, bytes: file.buffer }, options));
      res.setHeader("cache-control", "no-store");
      res.json(summary);
    } catch (error) {
      sendError(res, error);
    }
  });

  app.get("/reports/template", async (req, res) => {
    try {
      const ctx = await callerOf(deps, req, []);
      const format = param(req, "format") || "csv";
      if (format !== "csv" && format !== "xlsx") throw new BadUserInputError(t("report:form.format", { format }), "format");
      const period = parsePeriod(param(req, "period")).code;
      const unitCode = param(req, "unitCode") || ctx.actor.unitCode;
      const rows = await inTransaction(ctx, () => ReportUploadService.template(ctx, { unitCode, period, indicatorCode: param(req, "indicatorCode") }));
      const name = `report-template-${safeName(unitCode.toUpperCase())}-${safeName(period)}`;
      res.setHeader("cache-control", "no-store");
      if (format === "xlsx") {
        res.setHeader("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        res.setHeader("content-disposition", `attachment; filename="${name}.xlsx"`);
        res.send(await templateXlsx(rows, period, `${unitCode.toUpperCase()} ${period}`));
      } else {
        res.setHeader("content-type", "text/csv; charset=utf-8");
        res.setHeader("content-disposition", `attachment; filename="${name}.csv"`);
        res.send(CSV_BOM + templateCsv(rows, period));
      }
    } catch (error) {
      sendError(res, error);
    }
  });
}

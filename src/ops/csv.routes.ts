import type express from "express";
import type { ApolloServer } from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";
import { ArgumentValidationError, type AuthCheckerFn, type ResolverData } from "type-graphql";
import { validate } from "class-validator";
import type { AuthedContext, RequestContext } from "../context";
import { authChecker } from "../auth/auth-checker";
import type { Role } from "../auth/auth.types";
import { COMMA, CSV_BOM, SEMICOLON, type CsvDialect } from "../common/csv";
import { BadUserInputError } from "../common/errors";
import { httpStatusOf, reportError } from "../common/format-error";
import { tableCsv, type ExportTable } from "../export/export.table";
import { writeXlsx, XLSX_TYPE } from "../export/export.xlsx";
import { t } from "../i18n/i18n";
import { nationalComparisonTable, rollupTable, type RollupCsvUnit } from "../rollup/rollup.csv";
import { ReportingStatusService } from "../reporting-status/reporting-status.service";
import { ReportingStatusCsvArgs } from "../reporting-status/reporting-status.types";

export interface CsvDeps {
  apollo: ApolloServer<RequestContext>;
  contextFor(authorization: string | undefined, requestId?: string): Promise<RequestContext>;
}

type Result<T> = { data?: T; errors?: readonly GraphQLFormattedError[] };

/**
 * Runs one GraphQL operation as the caller of this HTTP request (their token, their scope, one
 * transaction), so downloads see exactly what the API would show them. Errors come back
 * formatted (and logged, once) by src/common/format-error.ts.
 */
export async function runAsCaller<T>(deps: CsvDeps, req: express.Request, query: string, variables: Record<string, unknown>): Promise<Result<T>> {
  let contextValue: RequestContext;
  try {
    contextValue = await deps.contextFor(req.headers.authorization, req.headers["x-request-id"] as string | undefined);
  } catch (error) {
    return { errors: [reportError(error)] };
  }
  const response = await deps.apollo.executeOperation({ query, variables }, { contextValue });
  if (response.body.kind !== "single") throw new Error("Incremental delivery is not used");
  const { data, errors } = response.body.singleResult;
  return { data: (data ?? undefined) as T | undefined, errors };
}

const TARGET = "target { inherited sourcePlanDocument sourceUnitCode value { text } }";
const RESTATED = "restated { exact parts subPeriods unitsReported unitsExpected }";
const CELL = `indicatorCode indicator { nameVi } value numerator denominator unitsReported unitsExpected completeness status required measured gap rank ${TARGET} ${RESTATED}`;

const SOURCE = "unit { code name } period whole indicatorsReported";
const UNIT_ROLLUP = `unit { code name level } cells { ${CELL} } restatedFrom { ${SOURCE} }`;

const ROLLUP_QUERY = `query CsvRollup($unit: String!, $period: String!, $asOf: Date) {
  rollup(unitCode: $unit, period: $period, asOf: $asOf) { period ${UNIT_ROLLUP} children { ${UNIT_ROLLUP} } }
}`;

// the cells nationalComparisonCsv writes, so the file and the query's text never differ
const COMPARISON_QUERY = `query CsvNationalComparison($period: String!, $asOf: Date) {
  nationalComparison(period: $period, asOf: $asOf) { period nation { ${UNIT_ROLLUP} } provinces { ${UNIT_ROLLUP} } }
}`;

type Page = RollupCsvUnit & { period: string; children: RollupCsvUnit[] };
type Comparison = { period: string; nation: RollupCsvUnit; provinces: RollupCsvUnit[] };

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 40);
}

/** An error GraphQL already formatted (and logged). */
class Answered extends Error {
  constructor(readonly formatted: GraphQLFormattedError) {
    super(formatted.message);
  }
}

/** The operation's data, or its first error thrown as it was formatted. */
async function dataOf<T>(deps: CsvDeps, req: express.Request, query: string, variables: Record<string, unknown>): Promise<T> {
  const result = await runAsCaller<T>(deps, req, query, variables);
  if (result.errors?.length) throw new Answered(result.errors[0]!);
  if (!result.data) throw new Error("A download's query answered neither data nor errors");
  return result.data;
}

/**
 * Runs `work` as the caller as a GraphQL query of any signed-in caller would run: the token checked
 * (401), the arguments validated by their class (the query's constraints), one transaction in their scope.
 */
async function asCaller<T>(deps: CsvDeps, req: express.Request, args: object, work: (ctx: AuthedContext) => Promise<T>): Promise<T> {
  const ctx = await deps.contextFor(req.headers.authorization, req.headers["x-request-id"] as string | undefined);
  try {
    (authChecker as AuthCheckerFn<RequestContext, Role>)({ context: ctx } as ResolverData<RequestContext>, []);
    const problems = await validate(args);
    if (problems.length) throw new ArgumentValidationError(problems);
    const result = await work(ctx as AuthedContext);
    await ctx.db.finish(true);
    return result;
  } catch (error) {
    await ctx.db.finish(false).catch(() => undefined);
    throw error;
  }
}

/** A failed download answers JSON with the HTTP status of the error's code (src/common/errors.ts). */
function sendError(res: express.Response, error: GraphQLFormattedError): void {
  const { code, requestId } = error.extensions ?? {};
  res.status(httpStatusOf(error)).json({ error: { code, message: error.message, requestId } });
}

function param(req: express.Request, name: string): string {
  const value = req.query[name];
  return typeof value === "string" ? value.trim() : "";
}

/** `?locale=vi`: semicolons and decimal commas, as spreadsheet programs in a Vietnamese locale read them. */
function dialectOf(req: express.Request): CsvDialect {
  const locale = param(req, "locale").toLowerCase();
  if (locale === "" || locale === "en") return COMMA;
  if (locale === "vi") return SEMICOLON;
  throw new BadUserInputError(t("export:badLocale", { value: param(req, "locale").slice(0, 20) }), "locale");
}

type Format = "csv" | "xlsx";

/** Sends the table as the file asked for: CSV (UTF-8 with BOM) or a workbook, streamed. */
async function sendTable(res: express.Response, format: Format, dialect: CsvDialect, name: string, table: ExportTable): Promise<void> {
  res.setHeader("content-disposition", `attachment; filename="${name}.${format}"`);
  res.setHeader("cache-control", "no-store");
  if (format === "csv") {
    res.setHeader("content-type", "text/csv; charset=utf-8");
    res.send(CSV_BOM + tableCsv(table, dialect));
    return;
  }
  res.setHeader("content-type", XLSX_TYPE);
  await writeXlsx(table, res);
}

/** One download: the input checked, the table built as the caller, then sent, or the first error as JSON. */
async function download(
  req: express.Request,
  res: express.Response,
  format: Format,
  build: () => Promise<{ name: string; table: ExportTable }>,
): Promise<void> {
  try {
    const dialect = dialectOf(req);
    const { name, table } = await build();
    await sendTable(res, format, dialect, name, table);
  } catch (error) {
    const formatted = error instanceof Answered ? error.formatted : reportError(error);
    // a workbook cut short after its first bytes cannot turn into JSON: the client sees the connection drop
    if (res.headersSent) res.destroy();
    else sendError(res, formatted);
  }
}

/**
 * Downloads, each as CSV (UTF-8 with BOM; `?locale=vi`: `sep=;`, semicolons and decimal commas) or as a
 * workbook (.xlsx: one sheet, frozen header, numbers as numbers, shares as percentages), run as the caller
 * (Authorization: Bearer <token>), headers and status labels in the request's language (Accept-Language),
 * in the columns of src/rollup/rollup.csv.ts and src/reporting-status/reporting-status.service.ts:
 * - GET /csv|xlsx/rollup?unit=22&period=2025[&asOf=2024-06-30] — the unit's roll-up and each child's, one line per unit and indicator
 * - GET /csv|xlsx/national-comparison?period=2025[&asOf=…] — the nation and every province, one line per unit and indicator
 * - GET /csv|xlsx/reporting-status?unit=22&period=2025-Q3[&asOf=…][&indicators=A,B] — who has (not) reported, one line per
 *   indicator and unit expected
 * (asOf: the date whose tree shapes it, as in the queries; default the period's last day)
 */
export function installCsv(app: express.Express, deps: CsvDeps): void {
  for (const format of ["csv", "xlsx"] as const) {
    app.get(`/${format}/rollup`, (req, res) =>
      download(req, res, format, async () => {
        const variables = { unit: param(req, "unit"), period: param(req, "period"), asOf: param(req, "asOf") || null };
        const { rollup: r } = await dataOf<{ rollup: Page }>(deps, req, ROLLUP_QUERY, variables);
        return { name: `rollup-${safeName(r.unit.code)}-${safeName(r.period)}`, table: rollupTable(r) };
      }),
    );

    app.get(`/${format}/national-comparison`, (req, res) =>
      download(req, res, format, async () => {
        const variables = { period: param(req, "period"), asOf: param(req, "asOf") || null };
        const { nationalComparison: c } = await dataOf<{ nationalComparison: Comparison }>(deps, req, COMPARISON_QUERY, variables);
        return { name: `national-comparison-${safeName(c.period)}`, table: nationalComparisonTable(c) };
      }),
    );

    // the lines have no GraphQL type (reportingStatusCsv gives them as text): the service, as its query runs it
    app.get(`/${format}/reporting-status`, (req, res) =>
      download(req, res, format, async () => {
        const list = param(req, "indicators");
        const args = Object.assign(new ReportingStatusCsvArgs(), {
          unitCode: param(req, "unit"),
          period: param(req, "period"),
          asOf: param(req, "asOf") || null,
          indicators: list ? list.split(",").map((c) => c.trim()).filter(Boolean) : null,
        });
        const table = await asCaller(deps, req, args, (ctx) => ReportingStatusService.table(ctx, args));
        return { name: `reporting-status-${safeName(args.unitCode.toUpperCase())}-${safeName(args.period.toUpperCase())}`, table };
      }),
    );
  }
}

import type express from "express";
import type { ApolloServer } from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";
import type { RequestContext } from "../context";
import { CSV_BOM } from "../common/csv";
import { httpStatusOf, reportError } from "../common/format-error";
import { rollupCsv, type RollupCsvUnit } from "../rollup/rollup.csv";

export interface CsvDeps {
  apollo: ApolloServer<RequestContext>;
  contextFor(authorization: string | undefined, requestId?: string): Promise<RequestContext>;
}

type Result<T> = { data?: T; errors?: readonly GraphQLFormattedError[] };

/**
 * Runs one GraphQL operation as the caller of this HTTP request (their token, their scope, one
 * transaction), so CSV downloads see exactly what the API would show them. Errors come back
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

const ROLLUP_QUERY = `query CsvRollup($unit: String!, $period: String!, $asOf: Date) {
  rollup(unitCode: $unit, period: $period, asOf: $asOf) {
    period
    unit { code name level }
    cells { ${CELL} }
    restatedFrom { ${SOURCE} }
    children { unit { code name level } cells { ${CELL} } restatedFrom { ${SOURCE} } }
  }
}`;

// the same text as the query gives, so the file and the API never differ
const COMPARISON_QUERY = `query CsvNationalComparison($period: String!, $asOf: Date) { nationalComparisonCsv(period: $period, asOf: $asOf) }`;

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 40);
}

function sendCsv(res: express.Response, filename: string, csv: string): void {
  res.setHeader("content-type", "text/csv; charset=utf-8");
  res.setHeader("content-disposition", `attachment; filename="${filename}"`);
  res.setHeader("cache-control", "no-store");
  res.send(CSV_BOM + csv);
}

/** A failed download answers JSON with the HTTP status of the error's code (src/common/errors.ts). */
function sendError(res: express.Response, error: GraphQLFormattedError): void {
  const { code, requestId } = error.extensions ?? {};
  res.status(httpStatusOf(error)).json({ error: { code, message: error.message, requestId } });
}

/** Runs the operation and sends its CSV, or its first error. */
async function download<T>(
  deps: CsvDeps,
  req: express.Request,
  res: express.Response,
  operation: { query: string; variables: Record<string, unknown> },
  write: (data: T) => { filename: string; csv: string },
): Promise<void> {
  try {
    const result = await runAsCaller<T>(deps, req, operation.query, operation.variables);
    if (result.errors?.length) return sendError(res, result.errors[0]!);
    if (!result.data) throw new Error("A CSV query answered neither data nor errors");
    const { filename, csv } = write(result.data);
    sendCsv(res, filename, csv);
  } catch (error) {
    sendError(res, reportError(error));
  }
}

function param(req: express.Request, name: string): string {
  const value = req.query[name];
  return typeof value === "string" ? value.trim() : "";
}

/**
 * CSV downloads (UTF-8 with BOM, so spreadsheet programs show Vietnamese), each one GraphQL query
 * run as the caller (Authorization: Bearer <token>), in the columns of src/rollup/rollup.csv.ts:
 * - GET /csv/rollup?unit=22&period=2025[&asOf=2024-06-30] — the unit's roll-up and each child's, one line per unit and indicator
 * - GET /csv/national-comparison?period=2025[&asOf=…] — the nation and every province, one line per unit and indicator
 * (asOf: the date whose tree shapes it, as in the queries; default the period's last day)
 */
export function installCsv(app: express.Express, deps: CsvDeps): void {
  app.get("/csv/rollup", (req, res) => {
    const variables = { unit: param(req, "unit"), period: param(req, "period"), asOf: param(req, "asOf") || null };
    return download<{ rollup: RollupCsvUnit & { period: string; children: RollupCsvUnit[] } }>(
      deps, req, res, { query: ROLLUP_QUERY, variables },
      ({ rollup: r }) => ({ filename: `rollup-${safeName(r.unit.code)}-${safeName(r.period)}.csv`, csv: rollupCsv(r) }),
    );
  });

  app.get("/csv/national-comparison", (req, res) => {
    const period = param(req, "period");
    return download<{ nationalComparisonCsv: string }>(
      deps, req, res, { query: COMPARISON_QUERY, variables: { period, asOf: param(req, "asOf") || null } },
      (data) => ({ filename: `national-comparison-${safeName(period.toUpperCase())}.csv`, csv: data.nationalComparisonCsv }),
    );
  });
}

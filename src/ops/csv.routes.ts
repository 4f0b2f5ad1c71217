import type express from "express";
import type { ApolloServer } from "@apollo/server";
import type { RequestContext } from "../context";

export interface CsvDeps {
  apollo: ApolloServer<RequestContext>;
  contextFor(authorization: string | undefined, requestId?: string): Promise<RequestContext>;
}

/** One CSV cell: quoted when needed, formula-looking text defused for spreadsheet programs. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8 with a byte-order mark (so spreadsheet programs show Vietnamese), CRLF line ends. */
export function toCsv(header: string[], rows: unknown[][]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(","));
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}

/**
 * Runs one GraphQL operation as the caller of this HTTP request (their token, their scope, one
 * transaction), so CSV downloads see exactly what the API would show them.
 */
export async function runAsCaller<T>(
  deps: CsvDeps,
  req: express.Request,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
  let contextValue: RequestContext;
  try {
    contextValue = await deps.contextFor(req.headers.authorization, req.headers["x-request-id"] as string | undefined);
  } catch (error) {
    const extensions = (error as { extensions?: Record<string, unknown> }).extensions ?? { code: "INTERNAL_SERVER_ERROR" };
    return { errors: [{ message: (error as Error).message, extensions }] };
  }
  const response = await deps.apollo.executeOperation({ query, variables }, { contextValue });
  if (response.body.kind !== "single") throw new Error("Incremental delivery is not used");
  const { data, errors } = response.body.singleResult;
  return { data: (data ?? undefined) as T | undefined, errors: errors as never };
}

/** Maps a GraphQL error code to an HTTP status for the CSV routes. */
export function statusOf(code: unknown): number {
  switch (code) {
    case "UNAUTHENTICATED":
      return 401;
    case "FORBIDDEN":
      return 403;
    case "NOT_FOUND":
      return 404;
    case "BAD_USER_INPUT":
    case "GRAPHQL_VALIDATION_FAILED":
      return 400;
    case "SERVICE_UNAVAILABLE":
      return 503;
    default:
      return 500;
  }
}

const TARGET = "target { inherited sourcePlanDocument sourceUnitCode value { text } }";
const CELL = `indicatorCode indicator { nameVi } value numerator denominator sum unitsReported unitsExpected completeness status required measured gap rank ${TARGET}`;

const ROLLUP_QUERY = `query CsvRollup($unit: String!, $period: String!) {
  rollup(unitCode: $unit, period: $period) {
    period
    unit { code name level }
    cells { ${CELL} }
    children { unit { code name level } cells { ${CELL} } }
  }
}`;

const COMPARISON_QUERY = `query CsvNationalComparison($period: String!) {
  nationalComparison(period: $period) {
    period
    nation { unit { code name level } cells { ${CELL} } }
    provinces { unit { code name level } cells { ${CELL} } }
  }
}`;

interface CsvCell {
  indicatorCode: string;
  indicator: { nameVi: string };
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  sum: number | null;
  unitsReported: number;
  unitsExpected: number;
  completeness: number | null;
  status: string;
  required: number | null;
  measured: number | null;
  gap: number | null;
  rank: number | null;
  target: { inherited: boolean; sourcePlanDocument: string | null; sourceUnitCode: string; value: { text: string } } | null;
}
interface CsvUnitRollup {
  unit: { code: string; name: string; level: string };
  cells: CsvCell[];
}

const HEADER = [
  "period", "unit_code", "unit_name", "unit_level", "role", "indicator_code", "indicator_name_vi", "value", "numerator",
  "denominator", "units_reported", "units_expected", "completeness", "target", "target_inherited", "target_source_plan",
  "target_source_unit", "status", "required", "measured", "gap", "rank",
];

function rowsOf(period: string, role: string, r: CsvUnitRollup): unknown[][] {
  return r.cells.map((c) => [
    period, r.unit.code, r.unit.name, r.unit.level, role, c.indicatorCode, c.indicator.nameVi, c.value, c.numerator,
    c.denominator, c.unitsReported, c.unitsExpected, c.completeness, c.target?.value.text ?? null,
    c.target ? c.target.inherited : null, c.target?.sourcePlanDocument ?? null, c.target?.sourceUnitCode ?? null,
    c.status.toUpperCase(), c.required, c.measured, c.gap, c.rank,
  ]);
}

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 40);
}

function sendCsv(res: express.Response, filename: string, csv: string): void {
  res.setHeader("content-type", "text/csv; charset=utf-8");
  res.setHeader("content-disposition", `attachment; filename="${filename}"`);
  res.setHeader("cache-control", "no-store");
  res.send(csv);
}

function sendError(res: express.Response, error: { message: string; extensions?: Record<string, unknown> }): void {
  const code = error.extensions?.code ?? "INTERNAL_SERVER_ERROR";
  res.status(statusOf(code)).json({ error: { code, message: error.message, requestId: res.getHeader("x-request-id") } });
}

function param(req: express.Request, name: string): string {
  const value = req.query[name];
  return typeof value === "string" ? value.trim() : "";
}

/**
 * CSV downloads (UTF-8 with BOM, so spreadsheet programs show Vietnamese), each one GraphQL query
 * run as the caller (Authorization: Bearer <token>):
 * - GET /csv/rollup?unit=22&period=2025 — the unit's roll-up and each child's, one line per unit and indicator
 * - GET /csv/national-comparison?period=2025 — the nation and every province, one line per province and indicator
 */
export function installCsv(app: express.Express, deps: CsvDeps): void {
  app.get("/csv/rollup", async (req, res, next) => {
    try {
      const unit = param(req, "unit");
      const period = param(req, "period");
      const result = await runAsCaller<{ rollup: CsvUnitRollup & { period: string; children: CsvUnitRollup[] } }>(
        deps, req, ROLLUP_QUERY, { unit, period },
      );
      if (result.errors?.length || !result.data) return sendError(res, result.errors?.[0] ?? { message: "No data" });
      const r = result.data.rollup;
      const rows = [...rowsOf(r.period, "unit", r), ...r.children.flatMap((c) => rowsOf(r.period, "child", c))];
      sendCsv(res, `rollup-${safeName(r.unit.code)}-${safeName(r.period)}.csv`, toCsv(HEADER, rows));
    } catch (error) {
      next(error);
    }
  });

  app.get("/csv/national-comparison", async (req, res, next) => {
    try {
      const period = param(req, "period");
      const result = await runAsCaller<{ nationalComparison: { period: string; nation: CsvUnitRollup; provinces: CsvUnitRollup[] } }>(
        deps, req, COMPARISON_QUERY, { period },
      );
      if (result.errors?.length || !result.data) return sendError(res, result.errors?.[0] ?? { message: "No data" });
      const c = result.data.nationalComparison;
      const rows = [...rowsOf(c.period, "nation", c.nation), ...c.provinces.flatMap((p) => rowsOf(c.period, "province", p))];
      sendCsv(res, `national-comparison-${safeName(c.period)}.csv`, toCsv(HEADER, rows));
    } catch (error) {
      next(error);
    }
  });
}

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
  let text = typeof value === "number" ? String(value) : String(value);
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

/** CSV downloads under /csv (routes are added as the roll-up API provides their data). */
export function installCsv(app: express.Express, deps: CsvDeps): void {
  void app;
  void deps;
}

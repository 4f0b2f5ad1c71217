import crypto from "node:crypto";
import type { PrefixStatement } from "./prefixed-query";

/** A read as a request ran it, and what it answered (its rows' digest): what a memoised answer rests on. */
export interface RecordedRead {
  sql: string;
  params: unknown[];
  prepare: boolean;
  /** the settings it ran under (scope, and `jit` or `plan_cache_mode` where a service asked): replayed under them */
  settings: PrefixStatement;
  digest: string;
}

/**
 * The digest of a statement's rows, from the text PostgreSQL sent for each field before pg parses it (the same rows
 * give the same digest; any changed value, row or order gives another). Each field is written with its length, a
 * null as a character no length starts with, so no two different answers are written alike.
 *
 * `keepRaw`: the fields are kept too, so a replay that finds them changed can still hand the rows over (parsed then)
 * instead of running the statement again.
 */
export class RowDigest {
  private readonly hash = crypto.createHash("sha256");
  private rows = 0;
  readonly raw?: Array<readonly (string | null)[]>;

  constructor(options: { keepRaw?: boolean } = {}) {
    if (options.keepRaw) this.raw = [];
  }

  row(fields: readonly (string | null)[]): void {
    // the lengths first, then each text as it is: a page's JSON aggregate (hundreds of KB) is never copied into another string
    let lengths = "";
    for (const field of fields) lengths += field === null ? "\u0000" : `${field.length}:`;
    this.hash.update(`${lengths}\n`);
    for (const field of fields) if (field) this.hash.update(field);
    this.rows++;
    this.raw?.push(fields);
  }

  value(): string {
    return this.hash.update(`#${this.rows}`).digest("base64");
  }
}

/** The key of a statement with its parameters: a replayed statement's rows are taken by the request's same statement. */
export const readKey = (sql: string, params: readonly unknown[]): string => `${sql}\u0000${JSON.stringify(params)}`;

import pg from "pg";
import type { RowDigest } from "./read-digest";

/** A statement as pg runs it: named when prepared once per connection (request-db.ts statementName). */
export interface Statement {
  name?: string;
  text: string;
  values: unknown[];
  /** fed each row's fields as sent, before pg parses them (read-digest.ts); with `raw` kept, pg parses none */
  digest?: RowDigest;
}

/** A statement sent ahead of another (the scope's settings, START TRANSACTION): named, its values text written as they are. */
export interface PrefixStatement extends Statement {
  name: string;
  values: string[];
}

/** pg's Query as it is (its protocol steps are not in @types/pg): what this class overrides and calls. */
interface PgQuery {
  requiresPreparation(): boolean;
  prepare(connection: PgConnection): void;
  handleDataRow(msg: { fields: (string | null)[] }): void;
  handleCommandComplete(msg: unknown, connection: PgConnection): void;
}
const PgQueryClass = pg.Query as unknown as new (config: pg.QueryConfig, callback: (error: Error | null, result: pg.QueryResult) => void) => PgQuery;

/**
 * A statement and what must run before it, in one round trip, then one Sync:
 * - A read: the scope's settings ahead. Without a BEGIN the messages up to a Sync are one implicit transaction (the
 *   protocol's rule), so set_config(…, true) holds for the read and ends with it: the scope never outlives the
 *   statement. One round trip a statement, where an explicit transaction cost three for one statement.
 * - A write's first statement: START TRANSACTION and the settings ahead; the transaction then stays open until COMMIT.
 *   The round trip that opened it is gone.
 * If anything fails, PostgreSQL skips the rest up to the Sync and the error is the query's. What the statements ahead
 * answer is dropped: only the statement's rows, fields and command are the result.
 *
 * Prepared statements, as pg keeps them per connection (`parsedStatements`): pg records a Parse under the query's own
 * name at every ParseComplete, so the statement's own Parse goes first (the first ParseComplete is then its own; Parse
 * runs nothing, and the settings are read when it executes). A statement ahead is recorded only once it has run (its
 * CommandComplete proves its Parse); until then it is sent as Close then Parse, so a Parse that succeeded in a round
 * trip that failed later is replaced, not refused as a duplicate.
 */
export class PrefixedQuery extends PgQueryClass {
  private ahead = 0;

  constructor(
    private readonly prefix: readonly PrefixStatement[],
    private readonly statement: Statement,
    callback: (error: Error | null, result: pg.QueryResult) => void,
  ) {
    super({ name: statement.name, text: statement.text, values: statement.values }, callback);
  }

  /** Always the extended protocol, even for a statement without parameters: a simple query cannot follow the prefix. */
  override requiresPreparation(): boolean {
    return true;
  }

  override prepare(connection: PgConnection): void {
    const { name, text } = this.statement;
    if (name && connection.parsedStatements[name] === undefined && connection.submittedNamedStatements[name] === undefined) {
      connection.parse({ text, name, types: [] });
      connection.submittedNamedStatements[name] = text; // pg's prepare then binds it without parsing again
    }
    for (const { name: ahead, text: aheadText, values } of this.prefix) {
      if (connection.parsedStatements[ahead] === undefined) {
        connection.close({ type: "S", name: ahead });
        connection.parse({ text: aheadText, name: ahead, types: [] });
      }
      connection.bind({ portal: "", statement: ahead, values });
      connection.execute({ portal: "", rows: 0 });
    }
    this.ahead = this.prefix.length;
    super.prepare(connection);
  }

  override handleDataRow(msg: { fields: (string | null)[] }): void {
    if (this.ahead !== 0) return;
    const digest = this.statement.digest;
    digest?.row(msg.fields);
    if (!digest?.raw) super.handleDataRow(msg);
  }

  override handleCommandComplete(msg: unknown, connection: PgConnection): void {
    if (this.ahead === 0) return super.handleCommandComplete(msg, connection);
    const done = this.prefix[this.prefix.length - this.ahead--]!;
    connection.parsedStatements[done.name] = done.text;
  }
}

/** What of pg's connection this uses (its protocol writer, and which statements it has parsed). */
interface PgConnection {
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
  parse(msg: { text: string; name: string; types: unknown[] }): void;
  close(msg: { type: "S"; name: string }): void;
  bind(msg: { portal: string; statement: string; values: string[] }): void;
  execute(msg: { portal: string; rows: number }): void;
}

/** Runs a statement after its prefix (none: the statement alone) on a client, in one round trip. */
export function runPrefixed(client: pg.ClientBase, prefix: readonly PrefixStatement[], statement: Statement): Promise<pg.QueryResult> {
  return new Promise((resolve, reject) => {
    client.query(new PrefixedQuery(prefix, statement, (error, result) => (error ? reject(error) : resolve(result))) as unknown as pg.QueryConfig);
  });
}

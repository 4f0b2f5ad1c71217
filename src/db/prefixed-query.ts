import pg from "pg";
import { QUERY_READ_TIMEOUT } from "./data-source";

/** A statement as pg runs it: named when prepared once per connection (request-db.ts statementName). */
export interface Statement {
  name?: string;
  text: string;
  values: unknown[];
}

/** A statement sent ahead of another (the scope's settings, START TRANSACTION): its values are text, written as they are. */
export interface PrefixStatement extends Statement {
  values: string[];
}

/** pg's Query as it is (its protocol steps are not in @types/pg): what this class overrides and calls. */
interface PgQuery {
  requiresPreparation(): boolean;
  prepare(connection: PgConnection): void;
  handleDataRow(msg: unknown): void;
  handleCommandComplete(msg: unknown, connection: PgConnection): void;
}
const PgQueryClass = pg.Query as unknown as new (config: pg.QueryConfig, callback: (error: Error | null, result: pg.QueryResult) => void) => PgQuery;

/**
 * A statement and what must run before it, in one round trip: Parse/Bind/Execute of each statement ahead, then of the
 * statement, then one Sync.
 * - A read: the scope's settings ahead. Without a BEGIN the messages up to a Sync are one implicit transaction (the
 *   protocol's rule), so set_config(…, true) holds for the read and ends with it: the scope never outlives the
 *   statement. One round trip a statement, where an explicit transaction cost three for one statement.
 * - A write's first statement: START TRANSACTION and the settings ahead; the transaction then stays open until COMMIT.
 *   The round trip that opened it is gone.
 * If a statement ahead fails, PostgreSQL skips the rest up to the Sync and the error is the query's.
 * What the statements ahead answer is dropped: only the statement's rows, fields and command are the result.
 */
export class PrefixedQuery extends PgQueryClass {
  private ahead: number;

  constructor(
    private readonly prefix: readonly PrefixStatement[],
    statement: Statement,
    callback: (error: Error | null, result: pg.QueryResult) => void,
  ) {
    super({ name: statement.name, text: statement.text, values: statement.values }, callback);
    this.ahead = prefix.length;
  }

  /** Always the extended protocol, even for a statement without parameters: a simple query cannot follow the prefix. */
  override requiresPreparation(): boolean {
    return true;
  }

  override prepare(connection: PgConnection): void {
    for (const { name = "", text, values } of this.prefix) {
      if (!name || (connection.parsedStatements[name] === undefined && connection.submittedNamedStatements[name] === undefined)) {
        connection.parse({ text, name, types: [] });
        // pg records a parse under the query's own name only (its parseComplete handler): these are recorded here
        if (name) connection.submittedNamedStatements[name] = text;
      }
      connection.bind({ portal: "", statement: name, values });
      connection.execute({ portal: "", rows: 0 });
    }
    super.prepare(connection);
  }

  override handleDataRow(msg: unknown): void {
    if (this.ahead === 0) super.handleDataRow(msg);
  }

  override handleCommandComplete(msg: unknown, connection: PgConnection): void {
    if (this.ahead > 0) this.ahead--;
    else super.handleCommandComplete(msg, connection);
  }
}

/** What of pg's connection this uses (its protocol writer, and which statements it has parsed). */
interface PgConnection {
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
  parse(msg: { text: string; name: string; types: unknown[] }): void;
  bind(msg: { portal: string; statement: string; values: string[] }): void;
  execute(msg: { portal: string; rows: number }): void;
}

/** Runs a statement after its prefix on a client, in one round trip, and answers the statement's result. */
export function runPrefixed(client: pg.ClientBase, prefix: readonly PrefixStatement[], statement: Statement): Promise<pg.QueryResult> {
  return new Promise((resolve, reject) => {
    const query = new PrefixedQuery(prefix, statement, (error, result) => {
      if (!error) return resolve(result);
      // as TimeoutDroppingClient does for pg's own queries: the connection is busy with the lost statement
      if (error.message === QUERY_READ_TIMEOUT) (client as pg.ClientBase & { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      reject(error);
    });
    client.query(query as unknown as pg.QueryConfig);
  });
}

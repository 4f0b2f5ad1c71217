import pg from "pg";
import { QUERY_READ_TIMEOUT } from "./data-source";

/** A statement as pg runs it: named when prepared once per connection (request-db.ts statementName). */
export interface ScopedStatement {
  name?: string;
  text: string;
  values: unknown[];
}

/** The settings' statement: its values are text, written as they are (no value mapping). */
export interface SettingsStatement extends ScopedStatement {
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
 * A read and the settings it runs under, in one round trip: Parse/Bind/Execute of the settings' statement, then of the
 * read, then one Sync. Without a BEGIN the messages up to a Sync are one implicit transaction (the protocol's rule), so
 * set_config(…, true) holds for the read and ends with it: the scope never outlives the statement, as with the
 * transaction a write opens. A read request sends one such message group per statement, where the explicit transaction
 * cost three round trips for one statement (START TRANSACTION with the settings, the statement, COMMIT).
 *
 * The settings' statement answers one row, which is dropped: only the read's rows, fields and command are the result.
 */
export class ScopedReadQuery extends PgQueryClass {
  private settingsPending = true;

  constructor(
    private readonly settings: SettingsStatement,
    read: ScopedStatement,
    callback: (error: Error | null, result: pg.QueryResult) => void,
  ) {
    super({ name: read.name, text: read.text, values: read.values }, callback);
  }

  /** Always the extended protocol, even for a read without parameters: a simple query cannot carry the settings. */
  override requiresPreparation(): boolean {
    return true;
  }

  override prepare(connection: PgConnection): void {
    const { name = "", text, values } = this.settings;
    if (!name || (connection.parsedStatements[name] === undefined && connection.submittedNamedStatements[name] === undefined)) {
      connection.parse({ text, name, types: [] });
      // pg records a parse under the read's name only (its parseComplete handler): the settings' own is recorded here
      if (name) connection.submittedNamedStatements[name] = text;
    }
    connection.bind({ portal: "", statement: name, values });
    connection.execute({ portal: "", rows: 0 });
    super.prepare(connection);
  }

  override handleDataRow(msg: unknown): void {
    if (!this.settingsPending) super.handleDataRow(msg);
  }

  override handleCommandComplete(msg: unknown, connection: PgConnection): void {
    if (this.settingsPending) this.settingsPending = false;
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

/** Runs a scoped read on a client and answers its rows (pg's Result of the read). */
export function runScopedRead(client: pg.ClientBase, settings: SettingsStatement, read: ScopedStatement): Promise<pg.QueryResult> {
  return new Promise((resolve, reject) => {
    const query = new ScopedReadQuery(settings, read, (error, result) => {
      if (!error) return resolve(result);
      // as TimeoutDroppingClient does for pg's own queries: the connection is busy with the lost statement
      if (error.message === QUERY_READ_TIMEOUT) (client as pg.ClientBase & { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      reject(error);
    });
    client.query(query as unknown as pg.QueryConfig);
  });
}

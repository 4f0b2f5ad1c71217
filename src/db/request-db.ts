import crypto from "node:crypto";
import pg from "pg";
import { QueryFailedError, type DataSource, type QueryRunner } from "typeorm";
import type { RunnerStats } from "./statement-counter";
import { runPrefixed, type PrefixStatement } from "./prefixed-query";
import { readKey, RowDigest, type RecordedRead } from "./read-digest";

export interface DbScope {
  /** materialized path of the caller's unit ('/1/' for the nation); rows outside it are invisible */
  unitPath: string;
  /** paths of earlier units that became part of the caller's subtree (read by app_in_subtree too) */
  earlierPaths: string[];
  actor: string;
}

/**
 * The database of one request: one connection, taken on first use, with the caller's scope set
 * transaction-locally (so it can never leak to the next user of the connection):
 * - a write request runs in one transaction, opened with its first statement (in that statement's round trip),
 *   committed when the request succeeds, rolled back when it fails;
 * - a read request (`onlyReads`, a GraphQL query) opens none: each statement carries its scope in its own round
 *   trip, in a read-only implicit transaction (prefixed-query.ts).
 *
 * The scope is also what PostgreSQL's row-level security policies read (`app_scope()`, migration
 * 1763900300000): the app connects as a role subject to them, so a query that forgets its own
 * filter still sees only the caller's rows, and a connection outside a request sees none.
 */
export class RequestDb {
  private runner?: Promise<QueryRunner>;
  /** one connection runs one statement at a time; parallel resolvers queue here */
  private queue: Promise<unknown> = Promise.resolve();
  readonly stats: RunnerStats = { statements: 0 };
  /** Set before the first statement: where a read runs (a replica, see replica-router.ts); else the primary. */
  route?: () => Promise<DataSource>;
  /** Set for a mutation when replicas serve reads: the commit's WAL position is read into `commitLsn`. */
  wantsCommitLsn = false;
  commitLsn?: string;
  /** Transaction-local settings asked before the transaction opened: sent with the statement that opens it (or each read). */
  private settings = new Map<string, string>();
  /** What opened the transaction, sent ahead of its first statement (the bench replays it as the API ran it). */
  openedWith?: PrefixStatement[];
  /** Not yet sent: START TRANSACTION and the settings, ahead of the transaction's first statement. */
  private opening?: PrefixStatement[];
  /**
   * A read-only request (a GraphQL query): no transaction is opened; each statement goes in one round trip with the
   * scope set for it alone and the transaction read only (prefixed-query.ts). Set before the first statement.
   */
  private readsOnly = false;
  /** The statement a read's statements run under, made once (settings asked later make it anew). */
  private readSettingsMade?: PrefixStatement;
  /** A read request's statements with their rows' digests, while recorded (src/schema/answer-memo.ts). */
  reads?: RecordedRead[];
  /** Rows replayed, taken by the request's own run of the same statement (if the answer is computed) instead of running it again. */
  private readonly replayed = new Map<string, { rows: () => unknown[]; digest: string }>();

  constructor(
    readonly dataSource: DataSource,
    readonly scope: DbScope,
  ) {}

  private open(): Promise<QueryRunner> {
    this.runner ??= (async () => {
      const routed = this.route ? await this.route() : this.dataSource;
      // a replica that cannot be reached since its last check: the primary answers instead (a pooled connection
      // that died is found by the first statement: run())
      if (routed !== this.dataSource) return this.begin(routed).catch(() => this.begin(this.dataSource));
      return this.begin(this.dataSource);
    })();
    return this.runner;
  }

  /** From now on the request only reads: each statement carries its own scope (ignored once a statement ran). */
  onlyReads(): void {
    if (!this.runner) this.readsOnly = true;
  }

  /** Whether the request only reads (set by onlyReads before any statement). */
  get readsOnlyRequest(): boolean {
    return this.readsOnly;
  }

  /** From now on each read is recorded with its rows' digest (`reads`): what an answer memoised for it rests on. */
  recordReads(): void {
    if (this.readsOnly) this.reads = [];
  }

  /**
   * Recording ends without a record: a cache of this process was filled on the way (a statement the next request
   * will not run), so this request's reads are not the ones to replay.
   */
  stopRecording(): void {
    this.reads = undefined;
  }

  /**
   * Runs a recorded read again as this request (its scope, its route) and tells whether its rows are the same. The rows
   * are kept as sent: if the answer is then computed (a read gave other rows), the request's own run of the statement
   * takes them, parsed then, and sends nothing.
   */
  replay(read: RecordedRead): Promise<boolean> {
    const run = this.queue.then(async () => {
      const runner = await this.open();
      runner.connection.logger.logQuery(read.sql, read.params, runner);
      const digest = new RowDigest({ keepRaw: true });
      const statement = { name: read.prepare ? statementName(read.sql) : undefined, text: read.sql, values: read.params, digest };
      const result = (await runPrefixed(connectionOf(runner), [read.settings], statement)) as pg.QueryResult & ParsesRows;
      const value = digest.value();
      this.replayed.set(readKey(read.sql, read.params), { digest: value, rows: () => digest.raw!.map((fields) => result.parseRow(fields)) });
      return value === read.digest;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async begin(dataSource: DataSource): Promise<QueryRunner> {
    const runner = dataSource.createQueryRunner();
    runner.data = { stats: this.stats };
    await runner.connect();
    if (!this.readsOnly) {
      // the transaction opens with its first statement, in the same round trip (each round trip costs both processes
      // a wake-up, and every write paid one for this); a read sets its scope with each statement
      openedTransaction(runner);
      this.opening = this.openedWith = [START_TRANSACTION, this.settingsStatement(false)];
    }
    return runner;
  }

  /**
   * Runs a statement: a write's in its transaction, a read's with its scope (`onlyReads`). `prepare`: a statement of
   * fixed text run on every request (a roll-up's, a small write's) is prepared once per connection, so PostgreSQL
   * neither parses nor, once it has seen a few, plans it again; a statement whose best plan depends on its sizes (a
   * bulk batch) is not.
   */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = [], options: { prepare?: boolean } = {}): Promise<T[]> {
    const run = this.queue.then(() => this.run(sql, params, options.prepare ?? false)) as Promise<T[]>;
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(sql: string, params: unknown[], prepare: boolean): Promise<unknown[]> {
    const key = this.replayed.size > 0 ? readKey(sql, params) : undefined;
    const replayed = key === undefined ? undefined : this.replayed.get(key);
    if (replayed) {
      this.replayed.delete(key!);
      this.reads?.push({ sql, params, prepare, settings: this.readSettings(), digest: replayed.digest });
      return replayed.rows();
    }
    const runner = await this.open();
    try {
      return await this.send(runner, sql, params, prepare);
    } catch (error) {
      // a replica that went down since its last check (its pooled connection dead, or frozen past the query timeout):
      // the primary answers instead. Only reads are routed, and a read wrote nothing that a retry would repeat.
      if (!this.readsOnly || runner.connection === this.dataSource || answeredByServer(error)) throw error;
      await (runner as QueryRunner & { releasePostgresConnection(err?: unknown): Promise<void> }).releasePostgresConnection(error);
      const primary = (this.runner = this.begin(this.dataSource));
      return this.send(await primary, sql, params, prepare);
    }
  }

  private async send(runner: QueryRunner, sql: string, params: unknown[], prepare: boolean): Promise<unknown[]> {
    if (this.readsOnly) {
      const settings = this.readSettings();
      const digest = this.reads ? new RowDigest() : undefined;
      const rows = await runStatement(runner, [settings], sql, params, prepare, digest);
      if (digest) this.reads?.push({ sql, params, prepare, settings, digest: digest.value() });
      return rows;
    }
    const prefix = this.opening;
    this.opening = undefined; // sent now, whatever the statement's fate (a failed one leaves an aborted transaction)
    if (prefix || prepare) return runStatement(runner, prefix ?? [], sql, params, prepare);
    return runner.query(sql, params);
  }

  /**
   * Transaction-local settings (`jit`, `plan_cache_mode`) for the request's statements from here on: sent with the
   * statement that opens the transaction, or with each read's, else set by a statement of their own.
   */
  async configure(settings: Record<string, string>): Promise<void> {
    const changed = new Map(Object.entries(settings).filter(([name, value]) => this.settings.get(name) !== value));
    if (changed.size === 0) return;
    for (const [name, value] of changed) this.settings.set(name, value);
    this.readSettingsMade = undefined;
    if (this.runner && !this.readsOnly) {
      const { text, values } = setConfigStatement(changed);
      await this.query(text, values, { prepare: true });
    }
  }

  /** What each of a read request's statements runs under (settingsStatement), made once. */
  readSettings(): PrefixStatement {
    return (this.readSettingsMade ??= this.settingsStatement(true));
  }

  /**
   * The scope, the actor and the settings asked, transaction-local; for a read also a read-only transaction (a read
   * request that tried to write would fail, as on a replica). One prepared statement per set of setting names.
   */
  private settingsStatement(readOnly: boolean): PrefixStatement {
    return setConfigStatement(
      new Map([
        ["app.scope_path", this.scope.unitPath],
        ["app.actor", this.scope.actor],
        ["app.scope_earlier_paths", this.scope.earlierPaths.join(",")],
        ...(readOnly ? [["transaction_read_only", "on"] as const] : []),
        ...this.settings,
      ]),
    );
  }

  /** Ends the transaction: commit on success, roll back otherwise; always returns the connection. */
  async finish(success: boolean): Promise<void> {
    if (!this.runner) return;
    const pending = this.runner;
    this.runner = undefined;
    let runner: QueryRunner;
    try {
      runner = await pending;
    } catch {
      return;
    }
    let broken: unknown;
    try {
      // a connection that died mid-request was already released (and its transaction rolled back by the server)
      if (runner.isTransactionActive && !(runner.isReleased && !success)) {
        if (success) await runner.commitTransaction();
        else await runner.rollbackTransaction();
        if (success && this.wantsCommitLsn) this.commitLsn = await commitPosition(runner);
      }
    } catch (error) {
      broken = error;
      throw error;
    } finally {
      // A connection whose transaction could not be ended is destroyed, never pooled again.
      const pg = runner as QueryRunner & { releasePostgresConnection?: (err?: unknown) => Promise<void> };
      if (broken !== undefined && pg.releasePostgresConnection) await pg.releasePostgresConnection(broken);
      else await runner.release();
    }
  }
}

/** set_config(name, $n, true) for each setting: one prepared statement per set of names, the values its parameters. */
function setConfigStatement(settings: Map<string, string>): PrefixStatement {
  const text = `SELECT ${[...settings.keys()].map((name, i) => `set_config(${pg.escapeLiteral(name)}, $${i + 1}, true)`).join(", ")}`;
  return { name: statementName(text), text, values: [...settings.values()] };
}

/** A prepared statement's name per text: the same on every connection, each preparing it on first use (pg keeps which). */
const statementNames = new Map<string, string>();

export function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) statementNames.set(sql, (name = `s${crypto.createHash("sha1").update(sql).digest("hex").slice(0, 24)}`));
  return name;
}

/** Opens a write's transaction, ahead of its first statement. */
const START_TRANSACTION: PrefixStatement = { name: "start_transaction", text: "START TRANSACTION", values: [] };

/**
 * A statement on the runner's own connection, in one round trip with what runs ahead of it (prefixed-query.ts), named
 * when prepared; counted, answered and failing as TypeORM's queries are.
 */
async function runStatement(
  runner: QueryRunner,
  prefix: PrefixStatement[],
  sql: string,
  params: unknown[],
  prepare: boolean,
  digest?: RowDigest,
): Promise<unknown[]> {
  runner.connection.logger.logQuery(sql, params, runner);
  try {
    const result = await runPrefixed(connectionOf(runner), prefix, { name: prepare ? statementName(sql) : undefined, text: sql, values: params, digest });
    // as TypeORM answers a statement it runs: an UPDATE's or DELETE's with its count (a prepared one: its rows)
    return !prepare && (result.command === "UPDATE" || result.command === "DELETE") ? [result.rows, result.rowCount] : result.rows;
  } catch (error) {
    throw new QueryFailedError(sql, params, error as Error);
  }
}

/** The runner's own pg connection. */
const connectionOf = (runner: QueryRunner): pg.ClientBase => (runner as QueryRunner & { databaseConnection: pg.ClientBase }).databaseConnection;

/** pg's Result parses a row's fields as sent (not in @types/pg). */
interface ParsesRows {
  parseRow(fields: readonly (string | null)[]): unknown;
}

/** PostgreSQL answered the statement with an error of its own (not a lost or dead connection). */
function answeredByServer(error: unknown): boolean {
  return error instanceof QueryFailedError && error.driverError instanceof pg.DatabaseError;
}

/** TypeORM's bookkeeping of a transaction opened by our own START TRANSACTION: commit and rollback then end it. */
function openedTransaction(runner: QueryRunner): void {
  Object.assign(runner, { isTransactionActive: true, transactionDepth: 1 });
}

/** The WAL position right after this connection's commit: covers it (the consistency token). */
async function commitPosition(runner: QueryRunner): Promise<string | undefined> {
  runner.data = {}; // not one of the request's statements
  try {
    const [row] = await runner.query("SELECT pg_current_wal_lsn()::text AS lsn");
    return row?.lsn;
  } catch {
    return undefined; // committed all the same; the client just gets no token
  }
}

import pg from "pg";
import type { DataSource } from "typeorm";
import type { ApolloServerPlugin, GraphQLResponse } from "@apollo/server";
import type { RequestContext } from "../context";
import type { ReplicaSettings } from "../config";
import { logger } from "../common/logger";
import { appRoleUrl, type AppRole } from "./app-role";
import { createDataSource, type PoolOptions } from "./data-source";
import { CONSISTENCY_TOKEN_HEADER, formatLsn, parseLsn, pruneSamples, replicaLagMs, type LsnSample } from "./consistency-token";

/** A replica that does not answer a position check within this is down. */
const PROBE_TIMEOUT_MS = 2000;
/** Between two readings of a replica's position while a request waits for it. */
const POLL_MS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Replica {
  /** host:port/database, for logs (no credentials) */
  name: string;
  /** a one-connection pool for the cheap position checks, apart from the requests' pool */
  probe: pg.Pool;
  dataSource: DataSource;
  up: boolean;
  replayed?: bigint;
  lagMs: number;
  /** the check in flight, shared by every request waiting for this replica */
  reading?: Promise<void>;
}

export interface ReplicaStatus {
  name: string;
  up: boolean;
  lagMs: number;
  replayed?: string;
  /** up, within DATABASE_REPLICA_MAX_LAG_MS and connected: reads may go there */
  serving: boolean;
}

/**
 * Sends reads to PostgreSQL streaming replicas and keeps read-your-writes: a request carrying a
 * consistency token (the WAL position of its own earlier write) goes to a replica only once that
 * replica has replayed it, after a bounded wait, else to the primary. Replicas that are down, not in
 * recovery or later than the lag bound are skipped; all state here is a cache of what PostgreSQL says,
 * so any number of processes can share the replicas.
 */
export class ReplicaRouter {
  private readonly replicas: Replica[];
  private samples: LsnSample[] = [];
  private turn = 0;
  private timer?: NodeJS.Timeout;
  private sampling?: Promise<void>;

  constructor(
    private readonly primary: DataSource,
    role: AppRole,
    private readonly settings: ReplicaSettings,
    pool: PoolOptions,
  ) {
    this.replicas = settings.urls.map((ownerUrl) => {
      const url = appRoleUrl(ownerUrl, role); // the role and its password stream from the primary
      const at = new URL(ownerUrl);
      // bounded both ways, so a frozen replica is seen down rather than holding its readers
      const probe = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: PROBE_TIMEOUT_MS, query_timeout: PROBE_TIMEOUT_MS, idleTimeoutMillis: 0 });
      probe.on("error", () => undefined); // a replica going away ends its idle connection; the next check says so
      return {
        name: `${at.hostname}:${at.port || 5432}${at.pathname}`,
        probe,
        dataSource: createDataSource(url, { ...pool, applicationName: "vn-program-plans-replica" }),
        up: false,
        lagMs: 0,
      };
    });
  }

  /** First check (so the first requests may use the replicas), then one every checkIntervalMs. */
  async start(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => void this.check(), this.settings.checkIntervalMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.sampling?.catch(() => undefined);
    for (const replica of this.replicas) {
      await replica.reading?.catch(() => undefined);
      await replica.probe.end().catch(() => undefined);
      if (replica.dataSource.isInitialized) await replica.dataSource.destroy().catch(() => undefined);
    }
  }

  status(): ReplicaStatus[] {
    return this.replicas.map((r) => ({ name: r.name, up: r.up, lagMs: r.lagMs, replayed: r.replayed === undefined ? undefined : formatLsn(r.replayed), serving: this.serving(r) }));
  }

  /**
   * Where a read runs. Without a token: the next serving replica. With one: a serving replica that has
   * replayed it, waiting up to waitMs for one to; otherwise (or with a token that is no LSN) the primary.
   */
  async pick(token?: string): Promise<DataSource> {
    if (!this.replicas.some((r) => this.serving(r))) return this.primary;
    if (token === undefined) return this.next(this.replicas.filter((r) => this.serving(r)));
    const wanted = parseLsn(token);
    if (wanted === undefined) return this.primary; // not ours: the primary has every write
    const deadline = Date.now() + this.settings.waitMs;
    for (;;) {
      const ready = this.replicas.filter((r) => this.serving(r) && r.replayed !== undefined && r.replayed >= wanted);
      if (ready.length) return this.next(ready);
      const left = deadline - Date.now();
      if (left <= 0 || !this.replicas.some((r) => this.serving(r))) return this.primary;
      const reads = Promise.all(this.replicas.filter((r) => this.serving(r)).map((r) => this.read(r)));
      await Promise.race([reads, sleep(left)]);
      await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
    }
  }

  private serving(replica: Replica): boolean {
    return replica.up && replica.lagMs <= this.settings.maxLagMs && replica.dataSource.isInitialized;
  }

  private next(replicas: Replica[]): DataSource {
    this.turn = (this.turn + 1) % replicas.length;
    return replicas[this.turn]!.dataSource;
  }

  /** The primary's position (kept as a short history for the lag) and every replica's, one reading of each in flight. */
  private async check(): Promise<void> {
    this.sampling ??= this.sample().finally(() => (this.sampling = undefined));
    await Promise.all([this.sampling, ...this.replicas.map((r) => this.read(r))]);
  }

  private async sample(): Promise<void> {
    try {
      const [row] = await this.primary.query("SELECT pg_current_wal_lsn()::text AS lsn");
      const lsn = parseLsn(row?.lsn);
      const now = Date.now();
      if (lsn !== undefined) this.samples.push({ at: now, lsn });
      this.samples = pruneSamples(this.samples, now, this.settings.maxLagMs + 3 * this.settings.checkIntervalMs);
    } catch {
      // the primary unreachable: the replicas are judged on the positions known so far
    }
  }

  private read(replica: Replica): Promise<void> {
    replica.reading ??= this.readNow(replica).finally(() => (replica.reading = undefined));
    return replica.reading;
  }

  private async readNow(replica: Replica): Promise<void> {
    const was = this.serving(replica);
    try {
      const { rows } = await replica.probe.query("SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replayed");
      const replayed = rows[0]?.standby ? parseLsn(rows[0].replayed) : undefined;
      // a server not in recovery is no replica of this primary (a promoted one would be a second primary)
      replica.up = replayed !== undefined;
      replica.replayed = replayed;
      replica.lagMs = replayed === undefined ? 0 : replicaLagMs(this.samples, replayed, Date.now());
      if (replica.up && !replica.dataSource.isInitialized) await replica.dataSource.initialize();
    } catch (error) {
      replica.up = false;
      if (was) logger.warn({ replica: replica.name, err: error }, "read replica unreachable; reads go elsewhere");
    }
    const now = this.serving(replica);
    if (was !== now) logger.info({ replica: replica.name, serving: now, lagMs: replica.lagMs }, now ? "read replica serving" : "read replica skipped");
  }
}

/** A request's reads: a query goes where the router says (honouring its consistency token); a mutation answers one. */
export function replicaPlugin(router: ReplicaRouter): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue, request }) {
          if (operation?.operation === "mutation") contextValue.db.wantsCommitLsn = true;
          if (operation?.operation !== "query") return;
          const token = request.http?.headers.get(CONSISTENCY_TOKEN_HEADER) ?? undefined;
          contextValue.db.route = () => router.pick(token);
        },
      };
    },
  };
}

/** After the commit: the mutation's WAL position as header and `extensions.consistencyToken`. */
export function answerConsistencyToken(token: string | undefined, response: GraphQLResponse): void {
  if (!token) return;
  response.http.headers.set(CONSISTENCY_TOKEN_HEADER, token);
  if (response.body.kind === "single") {
    response.body.singleResult.extensions = { ...response.body.singleResult.extensions, consistencyToken: token };
  }
}

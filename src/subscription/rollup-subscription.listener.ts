import pg from "pg";
import type { DataSource } from "typeorm";
import { ROLLUP_CHANNEL } from "../../migrations/1763901920000-RollupNotifications";
import { logger } from "../common/logger";
import { parseNotice, type RollupNotice } from "./rollup-subscription.rules";

/** `undefined`: anything may have changed (a payload not understood, or notifications missed while reconnecting). */
export type NoticeHandler = (notice: RollupNotice | undefined) => void;

const RECONNECT_MS = 1000;

/**
 * One LISTEN connection per API process, fanning `rollup_changed` out to the process's subscriptions. It is a
 * connection of its own, outside the pool (LISTEN holds a session), to the database the writes go to: NOTIFY
 * reaches only sessions of the primary. Opened by the first subscription; when it drops it reconnects, and tells
 * every subscription to re-read, since notifications sent meanwhile are lost.
 */
export class RollupListener {
  private readonly handlers = new Set<NoticeHandler>();
  private client?: pg.Client;
  private connecting?: Promise<void>;
  private retry?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly connectionString: string) {}

  /** The listener of the database a data source connects to. */
  static of(dataSource: DataSource): RollupListener {
    const url = (dataSource.options as { url?: string }).url;
    if (!url) throw new Error("Live roll-ups need the data source's connection URL to LISTEN on");
    return new RollupListener(url);
  }

  /** Adds a handler once the connection listens (so nothing committed after this resolves is missed); returns its removal. */
  async add(handler: NoticeHandler): Promise<() => void> {
    await this.connect();
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.handlers.clear();
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private connect(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error("the roll-up listener is stopped"));
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.connectionString, application_name: "vn-program-plans-listen", keepAlive: true });
      client.on("notification", (message) => {
        if (message.channel === ROLLUP_CHANNEL) this.dispatch(parseNotice(message.payload));
      });
      client.on("error", (error) => this.lost(client, error));
      client.on("end", () => this.lost(client));
      try {
        await client.connect();
        await client.query(`LISTEN ${ROLLUP_CHANNEL}`);
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      if (this.stopped) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
    })().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    this.connecting = undefined;
    logger.warn({ err: error }, "roll-up LISTEN connection lost; reconnecting");
    void client.end().catch(() => undefined);
    this.reconnect();
  }

  private reconnect(): void {
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      this.connect().then(
        () => this.dispatch(undefined), // what was committed while away: everyone re-reads
        () => this.reconnect(),
      );
    }, RECONNECT_MS);
    this.retry.unref();
  }

  private dispatch(notice: RollupNotice | undefined): void {
    for (const handler of this.handlers) {
      try {
        handler(notice);
      } catch (error) {
        logger.error({ err: error }, "roll-up notification handler failed");
      }
    }
  }
}

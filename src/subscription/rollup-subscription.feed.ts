import type { RequestContext } from "../context";
import { logger } from "../common/logger";
import { withLanguage } from "../i18n/i18n.language";
import { RollupService } from "../rollup/rollup.service";
import { UnitRollup, type RollupArgs, type RollupCell, type RollupPage } from "../rollup/rollup.types";
import { changedCells, concerns, yearsRead, type RollupInterest, type RollupNotice } from "./rollup-subscription.rules";
import { RollupChange, type LiveContext, type LiveSession } from "./rollup-subscription.types";

/** Notifications within this window are answered by one re-read (a batch, an approval of many units). */
const COALESCE_MS = 150;

/**
 * One subscription: waits for a notification that concerns its roll-up, lets a burst settle, re-reads the
 * roll-up in a transaction of its own under the subscriber's scope, and yields the cells that changed since the
 * last message (nothing when none did). An iterator rather than an async generator: `return()` must end it at
 * once, even while it waits for the next notification.
 *
 * The subscription's context is re-pointed at each re-read's transaction, so the fields graphql-js resolves for
 * the message (a cell's target, a unit's parent) read in it too; the transaction ends when the consumer asks for
 * the next message, the previous one being sent by then.
 */
export class RollupFeed implements AsyncIterableIterator<RollupChange> {
  private sent = new Map<string, string>();
  private interest?: RollupInterest;
  private timer?: NodeJS.Timeout;
  private due = false;
  private wake?: () => void;
  private closed = false;
  private reading = false;
  /** The transaction the fields of the message being sent read in (ended when the next message is asked for) */
  private event?: Pick<RequestContext, "db">;
  private unlisten?: () => void;
  private initial?: RollupChange;

  constructor(
    private readonly ctx: LiveContext & { live: LiveSession },
    private readonly args: RollupArgs,
    private readonly judged: boolean,
  ) {}

  /**
   * Listens first, then reads the roll-up as it stands in the caller's transaction (a change committed in between
   * is not missed): the first message, every cell, which also tells the client that it is subscribed.
   */
  async start(): Promise<void> {
    try {
      this.unlisten = await this.ctx.live.listener.add((notice) => this.poke(notice));
      this.event = { db: this.ctx.db };
      this.initial = this.remember(await RollupService.page(this.ctx, this.args, this.judged));
    } catch (error) {
      this.event = undefined; // the caller rolls it back
      this.close();
      throw error;
    }
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<RollupChange>> {
    const initial = this.initial;
    this.initial = undefined;
    if (initial && !this.closed) return { value: initial, done: false };
    await this.endEvent();
    while (!this.closed) {
      if (!this.due) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      this.due = false;
      this.reading = true;
      const change = await this.reread().finally(() => (this.reading = false));
      if (change && !this.closed) return { value: change, done: false };
      await this.endEvent();
    }
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<RollupChange>> {
    this.close();
    if (!this.reading) await this.endEvent();
    return { value: undefined, done: true };
  }

  private poke(notice: RollupNotice | undefined): void {
    if (this.closed || this.timer || (this.interest && !concerns(notice, this.interest))) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.due = true;
      this.wake?.();
    }, COALESCE_MS);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.unlisten?.();
    this.ctx.live.slots.release(this.ctx.live.tokenKey);
    this.wake?.();
  }

  /** The roll-up again, in a transaction of its own; the change, or undefined when no cell changed. */
  private async reread(): Promise<RollupChange | undefined> {
    const event = this.ctx.live.renew();
    this.event = event;
    Object.assign(this.ctx, { requestId: event.requestId, db: event.db, loaders: event.loaders });
    try {
      const page = await withLanguage(this.ctx.live.language, () => RollupService.page(this.ctx, this.args, this.judged));
      return this.remember(page);
    } catch (error) {
      // a failed re-read (the database away, the unit gone from the tree) sends nothing; the next notification retries
      logger.warn({ err: error, requestId: event.requestId }, "live roll-up re-read failed");
      return undefined;
    }
  }

  private async endEvent(): Promise<void> {
    const event = this.event;
    if (!event) return;
    this.event = undefined;
    await event.db.finish(true).catch((error: unknown) => logger.warn({ err: error }, "live roll-up transaction did not end cleanly"));
    // a field still resolving after `return()` must not open a transaction nobody would end
    event.db.query = () => Promise.reject(new Error("this live roll-up message is over"));
  }

  /** Keeps what is sent and what to listen for; returns the cells that changed (all of them the first time). */
  private remember(page: RollupPage): RollupChange | undefined {
    const rows: Array<{ unitId: number; cells: RollupCell[] }> = [page, ...page.children].map((r) => ({ unitId: r.unit.id, cells: r.cells }));
    const keyed = rows.flatMap((r) => r.cells.map((cell) => ({ key: `${r.unitId}:${cell.indicatorCode}`, cell, unitId: r.unitId })));
    const first = this.interest === undefined;
    const { changed, state } = changedCells(this.sent, keyed);
    this.sent = state;
    this.interest = {
      paths: [page.unit, ...[page, ...page.children].flatMap((r) => r.restatedFrom.map((s) => s.unit))]
        .map((u) => u.path)
        .filter((p, i, all): p is string => typeof p === "string" && all.indexOf(p) === i),
      years: yearsRead(page.period),
      indicators: [...new Set(page.cells.map((c) => c.indicator.id))],
    };
    if (!first && changed.length === 0) return undefined;
    const ofUnit = (unitId: number) => changed.filter((c) => c.unitId === unitId).map((c) => c.cell);
    return Object.assign(new RollupChange(), {
      initial: first,
      period: page.period,
      reportingPeriod: page.reportingPeriod,
      unit: page.unit,
      cells: ofUnit(page.unit.id),
      children: page.children
        .map((child) => Object.assign(new UnitRollup(), { ...child, cells: ofUnit(child.unit.id) }))
        .filter((child) => child.cells.length > 0),
    });
  }
}

/**
 * Which notifications concern a subscription, and which cells to send (pure; the database sends ids only:
 * migrations/1763901920000-RollupNotifications.ts).
 */

/** One `rollup_changed` notification: what changed, as ids. `null` lists mean "any". */
export interface RollupNotice {
  /** Deepest changed unit paths: rows of these units and of their ancestors changed. */
  paths: string[];
  /** True when `paths` were cut to fewer levels: anything below them may have changed. */
  broad: boolean;
  periods: string[] | null;
  indicators: number[] | null;
}

/** What a subscription's roll-up reads: its unit's path and those of the units it is restated from, years, indicators. */
export interface RollupInterest {
  paths: string[];
  /** The period's year and the year before (yearly changes, quantity targets judged on the year so far). */
  years: string[];
  /** The indicators of the page (empty: any). */
  indicators: number[];
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
const isIntList = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => Number.isInteger(x));

/** Reads a payload; undefined when it is not one of ours (then every subscription re-reads, to be safe). */
export function parseNotice(payload: string | undefined): RollupNotice | undefined {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(payload ?? "");
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== "object") return undefined;
  const paths = raw.b ?? raw.p;
  if (!isStringList(paths)) return undefined;
  const periods = raw.d ?? null;
  const indicators = raw.i ?? null;
  if (periods !== null && !isStringList(periods)) return undefined;
  if (indicators !== null && !isIntList(indicators)) return undefined;
  return { paths, broad: raw.b !== undefined, periods, indicators };
}

/** The years a period's roll-up reads: its own and the one before. */
export function yearsRead(periodCode: string): string[] {
  const year = Number(periodCode.slice(0, 4));
  return [String(year), String(year - 1)];
}

/** Whether a notification may change the roll-up: a path in the subtree, a year read, an indicator shown. */
export function concerns(notice: RollupNotice | undefined, interest: RollupInterest): boolean {
  if (!notice) return true;
  const inSubtree = notice.paths.some((p) => interest.paths.some((mine) => p.startsWith(mine) || (notice.broad && mine.startsWith(p))));
  if (!inSubtree) return false;
  if (notice.periods && !notice.periods.some((d) => interest.years.includes(d.slice(0, 4)))) return false;
  if (notice.indicators && interest.indicators.length && !notice.indicators.some((i) => interest.indicators.includes(i))) return false;
  return true;
}

/**
 * The cells that differ from those last sent, by key, and the state to keep. A cell is compared whole (every
 * field it carries, new ones included), so any change a client could see is sent.
 */
export function changedCells<E extends { key: string; cell: unknown }>(sent: ReadonlyMap<string, string>, entries: E[]): { changed: E[]; state: Map<string, string> } {
  const state = new Map<string, string>();
  const changed: E[] = [];
  for (const entry of entries) {
    const print = JSON.stringify(entry.cell);
    state.set(entry.key, print);
    if (sent.get(entry.key) !== print) changed.push(entry);
  }
  return { changed, state };
}

/** Counts live subscriptions per token; `acquire` says false when the token already holds `max`. */
export class SubscriptionSlots {
  private readonly held = new Map<string, number>();

  constructor(private readonly max: number) {}

  acquire(token: string): boolean {
    const n = this.held.get(token) ?? 0;
    if (n >= this.max) return false;
    this.held.set(token, n + 1);
    return true;
  }

  release(token: string): void {
    const n = (this.held.get(token) ?? 0) - 1;
    if (n > 0) this.held.set(token, n);
    else this.held.delete(token);
  }
}

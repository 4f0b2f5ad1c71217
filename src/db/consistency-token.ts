/**
 * Consistency tokens for read-your-writes across PostgreSQL streaming replicas: the WAL position
 * (LSN, as PostgreSQL prints it: `16/B374D848`) of a committed mutation. A replica that has replayed
 * that position shows the write; the primary always does.
 */
export const CONSISTENCY_TOKEN_HEADER = "x-consistency-token";

const LSN = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

/** The LSN as a number (64 bits: high word / low word), or undefined when `text` is not one. */
export function parseLsn(text: string | null | undefined): bigint | undefined {
  const match = text ? LSN.exec(text.trim()) : null;
  if (!match) return undefined;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** One reading of the primary's WAL position. */
export interface LsnSample {
  at: number;
  lsn: bigint;
}

/**
 * How long ago the primary was first at a position a replica has not replayed yet (0 when the replica
 * has everything the samples saw). Time, not bytes: an idle primary never makes a replica look late,
 * and a paused or stuck one looks later and later. `samples` are in time order.
 */
export function replicaLagMs(samples: LsnSample[], replayed: bigint, now: number): number {
  const first = samples.find((sample) => sample.lsn > replayed);
  return first ? Math.max(0, now - first.at) : 0;
}

/** The samples still needed to judge a lag up to `keepMs`, always keeping the latest. */
export function pruneSamples(samples: LsnSample[], now: number, keepMs: number): LsnSample[] {
  const kept = samples.filter((sample) => now - sample.at <= keepMs);
  return kept.length ? kept : samples.slice(-1);
}

/**
 * Whether a roll-up cell says anything about its unit, as pure functions (issue 15, item 3). A cell is judged
 * (MET / NOT_MET) and ranked only when enough of the units expected reported: Quảng Ninh "met" on 2 of its 177
 * communes, or ranked first at 0% because no other province reported, misleads. Shares here are percent (0..100),
 * the scale of every share the API shows.
 */
import { rank, type DirectionName, type StatusName } from "./rollup.rules";

/** A cell's status: judge()'s, or what coverage says first. */
export type CellStatusName = StatusName | "insufficient_data" | "not_expected";

export interface Coverage {
  unitsReported: number;
  unitsExpected: number;
  /** the indicator's minimum completeness, percent of the units expected */
  minCompleteness: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Units reported / units expected in percent, 0..100 (2 decimals); null when no unit is expected. */
export function completenessPercent(unitsReported: number, unitsExpected: number): number | null {
  return unitsExpected > 0 ? round2((Math.min(unitsReported, unitsExpected) / unitsExpected) * 100) : null;
}

/**
 * Whether enough units reported to judge and rank the cell: at least the minimum share of those expected (compared
 * exactly, not on a rounded percent), and at least one. A cell with none expected but some reported has no
 * completeness to fall short of: its data stands.
 */
export function hasEnoughData(c: Coverage): boolean {
  if (c.unitsReported <= 0) return false;
  if (c.unitsExpected <= 0) return true;
  return Math.min(c.unitsReported, c.unitsExpected) * 100 >= c.minCompleteness * c.unitsExpected;
}

/**
 * The cell's status, first what coverage says:
 * - NOT_EXPECTED: no unit in the subtree reports the indicator (a province's indicator on a district: nobody
 *   there is asked for it), and none did;
 * - NO_DATA: units are expected and none reported;
 * - INSUFFICIENT_DATA: some reported, fewer than the indicator's minimum share (the value is still shown);
 * - else judge()'s status (MET, NOT_MET, NO_TARGET, or NO_DATA when there is nothing to compare).
 */
export function cellStatus(c: Coverage, judged: StatusName): CellStatusName {
  if (c.unitsReported <= 0) return c.unitsExpected <= 0 ? "not_expected" : "no_data";
  if (!hasEnoughData(c)) return "insufficient_data";
  return judged;
}

/** Competition ranks among the cells with enough data only (rollup.rules.ts rank); the others get no rank. */
export function rankWithEnoughData(cells: ReadonlyArray<Coverage & { value: number | null }>, direction: DirectionName): (number | null)[] {
  return rank(cells.map((c) => (hasEnoughData(c) ? c.value : null)), direction);
}

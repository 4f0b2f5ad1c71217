/** Pure types of targets (no I/O): what a target asks, and an effective target with its provenance. */
import { FrequencyInterval, type Direction, type TargetKind } from "../common/enums";

/** Shortest first: a shorter interval asks more often. */
export const FREQUENCY_ORDER: readonly FrequencyInterval[] = Object.values(FrequencyInterval);

/** A target's value. Which fields are set depends on the kind (shares and changes are percents). */
export interface TargetValue {
  kind: TargetKind;
  share?: number | null;
  count?: number | null;
  frequencyInterval?: FrequencyInterval | null;
  changeLow?: number | null;
  changeHigh?: number | null;
  /** ISO date */
  deadline?: string | null;
}

/** The nearest target above an effective target (what it must not loosen). */
export interface ParentTarget {
  value: TargetValue;
  planId: string;
  planDocument: string | null;
  unitId: number;
  unitCode: string;
}

/** The target that applies to a unit (or plan) for an indicator, and where it comes from. */
export interface EffectiveTarget {
  unitId: number;
  indicatorId: number;
  value: TargetValue;
  /** false when the unit's own plan covering the period sets it */
  inherited: boolean;
  sourcePlanId: string;
  sourcePlanDocument: string | null;
  sourceUnitId: number;
  sourceUnitCode: string;
  /** plan of the unit itself that covers the period, if any */
  planId: string | null;
  /** extras (filled by EffectiveTargetService): */
  unitCode?: string;
  indicatorCode?: string;
  direction?: Direction;
  /** the effective target of the source plan's parent plan, if any */
  parent?: ParentTarget | null;
  /** units at the indicator's reporting level under the source plan's unit (counts versus shares) */
  unitCount?: number | null;
}

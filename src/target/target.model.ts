/** Pure types of targets (no I/O): what a target asks, and an effective target with its provenance. */
import { FrequencyInterval, type DenominatorSource, type Direction, type TargetKind, type UnitOfMeasure } from "../common/enums";

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
  /** quantity floor/ceiling: how many of the indicator's quantity unit in the period */
  quantity?: number | null;
  /** what a quantity counts (the indicator's quantity unit), for its words; not stored with the target */
  unit?: UnitOfMeasure | null;
}

export const isQuantityKind = (kind: TargetKind): boolean => kind === "quantity_floor" || kind === "quantity_ceiling";

/** The denominator that turns a unit's quantity into a share of it (workers informed of all the workers it has). */
export interface Denominator {
  value: number;
  source: DenominatorSource;
  /** the period of the reported summary it was read from (source "reported") */
  period?: string | null;
}

/** The nearest target above an effective target (what it must not loosen). */
export interface ParentTarget {
  value: TargetValue;
  planId: string;
  planDocument: string | null;
  /** the plan's title and its unit's name: to name the plan to people (planLabel) */
  planTitle?: string | null;
  unitId: number;
  unitCode: string;
  unitName?: string | null;
  /** a quota of the unit from the plan (assignQuotas): the target this one must not loosen is the unit's own part */
  quota?: boolean;
}

/** The target that applies to a unit (or plan) for an indicator, and where it comes from. */
export interface EffectiveTarget {
  unitId: number;
  indicatorId: number;
  value: TargetValue;
  /** false when the unit's own plan covering the period sets it */
  inherited: boolean;
  /** the unit's quota from the source plan (a plan of its parent unit split its quantity): provenance QUOTA */
  fromQuota?: boolean;
  sourcePlanId: string;
  sourcePlanDocument: string | null;
  sourcePlanTitle?: string | null;
  sourceUnitId: number;
  sourceUnitCode: string;
  sourceUnitName?: string | null;
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
  /** the source plan's period (ISO dates): the span a quantity target is for */
  sourcePeriodStart?: string;
  sourcePeriodEnd?: string;
  /** a quantity against a share: the denominator of the unit (planning figure, else reported), if known */
  denominator?: Denominator | null;
}

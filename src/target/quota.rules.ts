/**
 * Pure rules of quotas (no I/O): a plan splits its quantity target into quotas for named child units
 * (Hà Nội's 2,937 inspections over its communes). The check that children honour the parent's minimum is
 * additive: the quotas must add up to the plan's quantity (at most to it, for a ceiling). A child's own target
 * may raise its quota, never lower it.
 */
import type { UnitOfMeasure } from "../common/enums";
import { t } from "../i18n/i18n";
import { isQuantityKind, type Denominator, type TargetValue } from "./target.model";
import {
  checkQuantity,
  denominatorInWords,
  describeTarget,
  fmtQuantity,
  kindInWords,
  missingDenominator,
  quantityInWords,
  type Comparison,
  type ValueProblem,
} from "./target.rules";

export interface QuotaInput {
  unitCode: string;
  quantity: number;
}

/**
 * The first problem of a list of quotas, by index, before any unit is looked up: a code given twice, a quantity
 * that is negative, fractional or too large. `field` is relative to the list item (`unitCode`, `quantity`).
 */
export function checkQuotaList(quotas: QuotaInput[], unit: UnitOfMeasure | null): (ValueProblem & { index: number }) | null {
  const seen = new Map<string, number>();
  for (const [index, q] of quotas.entries()) {
    const code = q.unitCode.trim().toUpperCase();
    if (!code) return { index, field: "unitCode", message: t("target:quota.needsUnit") };
    if (seen.has(code)) return { index, field: "unitCode", message: t("target:quota.twice", { code, item: seen.get(code) }) };
    seen.set(code, index);
    const problem = checkQuantity(q.quantity, unit);
    if (problem) return { index, field: "quantity", message: problem };
  }
  return null;
}

/** How a plan's quotas stand against its quantity target. */
export interface QuotaJudgement {
  /** false when the plan has no quantity target (quotas then add up to nothing) */
  applicable: boolean;
  /** the plan's quantity */
  required: number | null;
  /** Σ quotas */
  sum: number;
  /** child units with a quota */
  named: number;
  /** child units of the plan's unit over the plan's period */
  children: number;
  /** child units without a quota */
  withoutQuota: number;
  /** floors: how many are still to be given out (0 when the quotas reach the plan's quantity) */
  shortfall: number | null;
  /** ceilings: by how much the quotas exceed the plan's quantity */
  excess: number | null;
  meets: boolean | null;
  explanation: string;
}

/**
 * Do the quotas add up? A QUANTITY_FLOOR is met when Σ quotas ≥ the plan's quantity (shortfall: what is
 * missing); a QUANTITY_CEILING when Σ quotas ≤ it (excess: by how much the allowances exceed the whole).
 */
export function judgeQuotas(
  target: TargetValue | null,
  q: { sum: number; named: number; children: number; withoutQuota: number },
): QuotaJudgement {
  const base = { sum: q.sum, named: q.named, children: q.children, withoutQuota: q.withoutQuota };
  const who = t(q.withoutQuota > 0 ? "target:quota.whoNone" : "target:quota.who", { named: q.named, children: q.children, none: q.withoutQuota });
  if (!target || !isQuantityKind(target.kind) || target.quantity == null) {
    return {
      ...base,
      applicable: false,
      required: null,
      shortfall: null,
      excess: null,
      meets: null,
      explanation: target ? t("target:quota.noTargetIs", { target: describeTarget(target), who }) : t("target:quota.noTarget", { who }),
    };
  }
  const required = target.quantity;
  const sum = quantityInWords(q.sum, target.unit);
  if (target.kind === "quantity_floor") {
    const shortfall = Math.max(0, required - q.sum);
    const meets = shortfall === 0;
    const how = meets
      ? q.sum > required
        ? t("target:quota.spare", { spare: fmtQuantity(q.sum - required) })
        : t("target:quota.exact")
      : t("target:quota.short", { short: quantityInWords(shortfall, target.unit) });
    return {
      ...base,
      applicable: true,
      required,
      shortfall,
      excess: null,
      meets,
      explanation: t("target:quota.sum", { sum, target: describeTarget(target), how, who }),
    };
  }
  const excess = Math.max(0, q.sum - required);
  const meets = excess === 0;
  return {
    ...base,
    applicable: true,
    required,
    shortfall: null,
    excess,
    meets,
    explanation: t("target:quota.sum", {
      sum,
      target: describeTarget(target),
      how: meets ? t("target:quota.within") : t("target:quota.over", { excess: quantityInWords(excess, target.unit) }),
      who,
    }),
  };
}

/**
 * A unit's own target against its quota (the unit's part of a parent's quantity). A quantity floor may raise the
 * quota, never lower it (a ceiling: the other way round): delta in the quantity's unit, > 0 tighter. A share
 * meets a quota through the unit's denominator (share × denominator against the quota), else it is
 * NOT_COMPARABLE. A floor against a ceiling, or any other kind, is a kind mismatch.
 */
export function compareWithQuota(own: TargetValue, quota: TargetValue, denominator?: Denominator | null): Comparison {
  const floor = quota.kind === "quantity_floor";
  const mismatch = (why: string): Comparison => ({ verdict: "kind_mismatch", delta: null, deltaUnit: null, explanation: why });
  let value: number;
  let how: string;
  if (isQuantityKind(own.kind)) {
    if ((own.kind === "quantity_floor") !== floor) return mismatch(t("target:quota.floorVsCeiling", { own: describeTarget(own), quota: describeTarget(quota) }));
    value = own.quantity!;
    how = describeTarget(own);
  } else if (own.kind === "share_floor" || own.kind === "share_ceiling") {
    if ((own.kind === "share_floor") !== floor) return mismatch(t("target:quota.floorVsCeiling", { own: describeTarget(own), quota: describeTarget(quota) }));
    if (!denominator || !(denominator.value > 0)) {
      return {
        verdict: "not_comparable",
        delta: null,
        deltaUnit: null,
        denominator: null,
        missing: missingDenominator(),
        explanation: t("target:quota.notComparable", { own: describeTarget(own), quota: describeTarget(quota), missing: missingDenominator() }),
      };
    }
    value = (own.share! / 100) * denominator.value;
    how = t("target:quota.shareOf", {
      own: describeTarget(own),
      denominator: denominatorInWords(denominator, quota.unit),
      value: quantityInWords(Math.round(value * 100) / 100, quota.unit),
    });
  } else {
    return mismatch(t("target:quota.kindMismatch", { kind: kindInWords(own.kind), quota: describeTarget(quota) }));
  }
  const delta = floor ? value - quota.quantity! : quota.quantity! - value;
  const rounded = Math.round(delta * 100) / 100;
  const verdict = rounded > 0 ? "tighter" : rounded < 0 ? "looser" : "equal";
  const by = quantityInWords(Math.abs(rounded), quota.unit);
  const words =
    verdict === "equal"
      ? t("target:quota.equal")
      : verdict === "tighter"
        ? t("target:quota.tighter", { delta: by })
        : t(floor ? "target:quota.looserFloor" : "target:quota.looserCeiling", { delta: by });
  return {
    verdict,
    delta: rounded,
    deltaUnit: "quantity",
    denominator: isQuantityKind(own.kind) ? undefined : denominator,
    explanation: t("target:quota.compared", { how, quota: describeTarget(quota), words }),
  };
}

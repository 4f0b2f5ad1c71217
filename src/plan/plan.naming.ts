import { t } from "../i18n/i18n";

/** What naming a plan needs: its document number (may be missing), its title, and its issuing unit's name. */
export interface PlanNaming {
  documentNumber: string | null;
  title: string;
  unitName?: string | null;
}

/** A plan's short name: its document number, else its title in quotes (the same in every language). */
export const planName = (p: { documentNumber: string | null; title: string }): string => p.documentNumber ?? `"${p.title}"`;

/**
 * A plan as a person knows it, in the request's language: "plan 06/KH-UBND of Hà Nội" / "kế hoạch 06/KH-UBND
 * của Hà Nội" (its title in quotes when it has no document number; without "of …" when the unit is unknown).
 * Never its UUID: messages name plans so, and keep the id in `extensions` for machines.
 */
export function planLabel(p: PlanNaming): string {
  const name = planName(p);
  return p.unitName ? t("plan:label", { name, unit: p.unitName }) : t("plan:labelNoUnit", { name });
}

import { t } from "../i18n/i18n";

/** What names a plan for its users: its document number (else its title) and its unit's name. */
export interface PlanNaming {
  documentNumber: string | null | undefined;
  title: string | null | undefined;
  unitName: string | null | undefined;
}

/**
 * A plan the way its users know it, never by its UUID: "plan 06/KH-UBND of Thành phố Hà Nội" ("kế hoạch
 * 06/KH-UBND của Thành phố Hà Nội"), by its title in quotes when it has no document number. Same words as
 * src/plan/plan.naming.ts (branch i18n-plan), so that one can replace this.
 */
export function planLabel({ documentNumber, title, unitName }: PlanNaming): string {
  const document = documentNumber?.trim();
  const unit = unitName?.trim();
  if (document) return unit ? t("target:plan.numbered", { document, unit }) : t("target:plan.numberedNoUnit", { document });
  const name = title?.trim() || "?";
  return unit ? t("target:plan.titled", { title: name, unit }) : t("target:plan.titledNoUnit", { title: name });
}

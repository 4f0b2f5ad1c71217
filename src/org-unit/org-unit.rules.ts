/**
 * The rules of the administrative tree as pure functions (no I/O), for the admin's changes:
 * which level a child of a unit has, which unit types fit a level (as the 2024 register in
 * seeds/vn-admin-2024.csv uses them, plus the special zones of the 2025 reform), and the checks
 * of names and dates. Each check answers the input field it is about and a message, or null.
 */
import { OrgLevel, type SubnationalLevel } from "../common/enums";
import { isIsoDate } from "../common/period";
import { normalizeText } from "../common/text";
import { hasMessage, t } from "../i18n/i18n";
import { currentLanguage } from "../i18n/i18n.language";

/** Unit types by level. "Thành phố" is a district-level city (Hạ Long); a centrally-run one is "Thành phố Trung ương". */
export const UNIT_TYPES_BY_LEVEL: Readonly<Record<SubnationalLevel, readonly string[]>> = {
  [OrgLevel.PROVINCE]: ["Tỉnh", "Thành phố Trung ương"],
  [OrgLevel.DISTRICT]: ["Huyện", "Quận", "Thị xã", "Thành phố"],
  [OrgLevel.COMMUNE]: ["Xã", "Phường", "Thị trấn", "Đặc khu"],
};

export const UNIT_TYPES: readonly string[] = Object.values(UNIT_TYPES_BY_LEVEL).flat();

export const NAME_MAX = 200;

export interface RuleProblem {
  /** the input field, without the `input.` prefix */
  field: string;
  message: string;
}

/** The first day of the two-tier tree (no districts): the reform of 1/7/2025. */
const TWO_TIER = "2025-07-01";

/**
 * The level of a new child on the tree of its first day: nation → province → district → commune before
 * 1/7/2025, nation → province → commune from then on; a commune has no children (null).
 */
export function childLevel(parentLevel: OrgLevel | string, on: string): SubnationalLevel | null {
  switch (parentLevel) {
    case OrgLevel.NATION:
      return OrgLevel.PROVINCE;
    case OrgLevel.PROVINCE:
      return on >= TWO_TIER ? OrgLevel.COMMUNE : OrgLevel.DISTRICT;
    case OrgLevel.DISTRICT:
      return OrgLevel.COMMUNE;
    default:
      return null;
  }
}

/** The unit type checked against the level; returns the stored form. */
export function checkUnitType(level: OrgLevel | string, type: string): { type: string } | RuleProblem {
  const normalized = normalizeText(type);
  const allowed = (UNIT_TYPES_BY_LEVEL as Record<string, readonly string[]>)[level];
  if (!allowed) return { field: "type", message: t("orgUnit:typeNoLevel", { level: levelName(level) }) };
  if (allowed.includes(normalized)) return { type: normalized };
  const known = UNIT_TYPES.includes(normalized);
  return {
    field: "type",
    message: known
      ? t("orgUnit:typeWrongLevel", { type: normalized, level: levelName(level), allowed: allowed.join(", ") })
      : t("orgUnit:typeUnknown", { type, level: levelName(level), allowed: allowed.join(", ") }),
  };
}

/** A unit name: 1-200 characters once trimmed. Returns the stored form. */
export function checkUnitName(name: string): { name: string } | RuleProblem {
  const normalized = normalizeText(name);
  if (normalized.length === 0) return { field: "name", message: t("orgUnit:nameEmpty") };
  if (normalized.length > NAME_MAX) return { field: "name", message: t("orgUnit:nameTooLong", { max: NAME_MAX }) };
  return { name: normalized };
}

/** The first day of a new unit: a real date, not before its parent's first day. */
export function checkValidFrom(validFrom: string, parentValidFrom: string): RuleProblem | null {
  if (!isIsoDate(validFrom)) return { field: "validFrom", message: t("orgUnit:notADate", { value: validFrom }) };
  if (validFrom < parentValidFrom) {
    return { field: "validFrom", message: t("orgUnit:startsBeforeParent", { validFrom, parentValidFrom }) };
  }
  return null;
}

/** A level as people call it in the current language ("xã/phường" for commune); an unknown value as it was given. */
export function levelName(level: string): string {
  const key = `orgUnit:level.${level}`;
  return hasMessage(key, currentLanguage()) ? t(key) : level;
}

/** Levels joined as "a or b" in the current language. */
export const levelNames = (levels: readonly string[]) => levels.map(levelName).join(t("orgUnit:or"));

export const isProblem = (r: object): r is RuleProblem => "field" in r && "message" in r;

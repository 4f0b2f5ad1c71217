import { BadUserInputError } from "./errors";
import { t } from "../i18n/i18n";

/** Text as stored: Unicode NFC (a decomposed "Xã" from some keyboards is the same word), trimmed, single spaces. */
export function normalizeText(value: string): string {
  return value.normalize("NFC").replace(/\s+/g, " ").trim();
}

/** Normalized, lower-case, without Vietnamese diacritics, so "Ha Long" finds "Hạ Long" (đ has no decomposition). */
export function toSearchText(value: string): string {
  const bare = value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D");
  return normalizeText(bare).toLowerCase();
}

/** Escape LIKE wildcards in user text. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The reason every change gives for the audit log (every mutation that takes one calls this): normalized,
 * at least 3 characters besides spaces. Returns the stored form.
 */
export function checkAuditReason(reason: string): string {
  const r = normalizeText(reason);
  if (r.length < 3) throw new BadUserInputError(t("common:reasonTooShort"), "input.reason");
  return r;
}

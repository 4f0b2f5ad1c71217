import { BadUserInputError } from "./errors";

/** Lower-case and strip Vietnamese diacritics, so "Ha Long" finds "Hạ Long" (đ has no decomposition). */
export function toSearchText(value: string): string {
  return value
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** Escape LIKE wildcards in user text. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The reason a change gives for the audit log: NFC, trimmed, at least 3 characters besides spaces. */
export function checkAuditReason(reason: string): string {
  const r = reason.normalize("NFC").trim();
  if (r.length < 3) throw new BadUserInputError("Give a reason (at least 3 characters): it is kept in the audit log.", "input.reason");
  return r;
}

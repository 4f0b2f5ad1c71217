/**
 * Pure rules of the reporting cycle (no I/O): the states of a unit's data for a period and the steps between
 * them, what each step refuses and why, and the LOCKED row code of approved data.
 *
 *   OPEN ──submit──▶ SUBMITTED ──approve──▶ APPROVED
 *                     │     ▲                  │
 *                  return  submit            reopen
 *                     ▼     │                  │
 *                    RETURNED ◀────────────────┘
 *
 * OPEN is the absence of a record: nothing was submitted yet. RETURNED (by the approver, with a reason; a
 * reopen of approved data lands here too) is open to corrections and is submitted again. Only APPROVED locks.
 */
import type { ReportRow, RowError } from "./report.rules";
import { t } from "../i18n/i18n";

export type ApprovalStateName = "open" | "submitted" | "returned" | "approved";
export type ApprovalStepName = "submit" | "approve" | "return" | "reopen";

/** The states a step may start from, and the state it leads to. */
export const STEPS: Readonly<Record<ApprovalStepName, { from: readonly ApprovalStateName[]; to: ApprovalStateName }>> = {
  submit: { from: ["open", "returned"], to: "submitted" },
  approve: { from: ["submitted"], to: "approved" },
  return: { from: ["submitted"], to: "returned" },
  reopen: { from: ["approved"], to: "returned" },
};

/** What the rules need of a unit's record for a period (null fields: OPEN, nothing recorded). */
export interface ApprovalRecord {
  state: ApprovalStateName;
  submittedBy: string | null;
  submittedAt: Date | string | null;
  approvedBy: string | null;
  approvedByUnitCode: string | null;
  approvedAt: Date | string | null;
  lastStep: ApprovalStepName | null;
  lastBy: string | null;
  lastByUnitCode: string | null;
  lastAt: Date | string | null;
  reason: string | null;
}

/** A step refused: the input field it is about and why (the service answers CONFLICT). */
export interface ApprovalProblem {
  field: string;
  message: string;
}

const when = (at: Date | string | null): string => {
  if (at === null) return "?";
  const d = typeof at === "string" ? new Date(at) : at;
  return Number.isNaN(d.getTime()) ? String(at) : d.toISOString();
};

/** "06673 (Phường Bãi Cháy) for 2025-Q3" */
export const dataOf = (unit: { code: string; name: string }, period: string) => t("report:dataOf", { code: unit.code, name: unit.name, period });

/** Who approved, and when, in words: the LOCKED message and the refusals of approved data say it. */
export function approvedByWords(r: Pick<ApprovalRecord, "approvedBy" | "approvedByUnitCode" | "approvedAt">): string {
  const by = r.approvedBy ?? "?";
  const at = when(r.approvedAt);
  return r.approvedByUnitCode ? t("report:approvedByOf", { by, unit: r.approvedByUnitCode, at }) : t("report:approvedBy", { by, at });
}

/** Null when `step` may be taken from the record's state; else why not (the state says what to do instead). */
export function checkStep(step: ApprovalStepName, record: ApprovalRecord | null, unit: { code: string; name: string }, period: string, field: string): ApprovalProblem | null {
  const state = record?.state ?? "open";
  if (STEPS[step].from.includes(state)) return null;
  const data = dataOf(unit, period);
  const why: Record<ApprovalStateName, () => string> = {
    open: () => t("report:step.open", { data }),
    submitted: () => t("report:step.submitted", { data, by: record?.submittedBy ?? "?", at: when(record?.submittedAt ?? null) }),
    returned: () =>
      t(record?.lastStep === "reopen" ? "report:step.reopened" : "report:step.returned", {
        data,
        by: record?.lastBy ?? "?",
        at: when(record?.lastAt ?? null),
        reason: record?.reason ?? "",
      }),
    approved: () => t("report:step.approved", { data, by: record ? approvedByWords(record) : "?" }),
  };
  return { field, message: why[state]() };
}

/** The lock of approved data, as the write path finds it for a row. */
export interface Lock {
  approvedBy: string;
  approvedByUnitCode: string | null;
  approvedAt: string;
}

/** The row code LOCKED: the row's unit and period are approved (who approved and when, in the message and beside it). */
export function lockedRow(row: ReportRow, index: number, lock: Lock): RowError {
  return {
    index,
    field: "period",
    code: "LOCKED",
    message: t("report:locked", { unit: String(row.unitCode).trim(), period: String(row.period).trim(), by: approvedByWords(lock) }),
    approvedBy: lock.approvedBy,
    approvedByUnitCode: lock.approvedByUnitCode,
    approvedAt: lock.approvedAt,
  };
}

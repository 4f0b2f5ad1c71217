import { validateRow, type ReportRow, type ResolvedRow } from "./report.rules";
import { checkStep, lockedRow, STEPS, type ApprovalRecord, type ApprovalStateName, type ApprovalStepName } from "./report.approval.rules";

const unit = { code: "06673", name: "Phường Bãi Cháy" };
const record = (state: ApprovalStateName, over: Partial<ApprovalRecord> = {}): ApprovalRecord => ({
  state,
  submittedBy: "reporter",
  submittedAt: "2025-10-02T01:00:00.000Z",
  approvedBy: state === "approved" ? "planner" : null,
  approvedByUnitCode: state === "approved" ? "22" : null,
  approvedAt: state === "approved" ? "2025-10-03T02:00:00.000Z" : null,
  lastStep: state === "submitted" ? "submit" : state === "approved" ? "approve" : "return",
  lastBy: "planner",
  lastByUnitCode: "22",
  lastAt: "2025-10-03T02:00:00.000Z",
  reason: state === "returned" ? "Thiếu mẫu số" : null,
  ...over,
});
const lock = { approvedBy: "planner", approvedByUnitCode: "22", approvedAt: "2025-10-03T02:00:00.000Z" };

describe("the steps of the reporting cycle", () => {
  const states: ApprovalStateName[] = ["open", "submitted", "returned", "approved"];
  const allowed: Record<ApprovalStepName, ApprovalStateName[]> = {
    submit: ["open", "returned"],
    approve: ["submitted"],
    return: ["submitted"],
    reopen: ["approved"],
  };
  it.each(Object.keys(allowed) as ApprovalStepName[])("%s is taken from its states only, and leads where STEPS says", (step) => {
    for (const state of states) {
      const problem = checkStep(step, state === "open" ? null : record(state), unit, "2025-Q3", "input.unitCode");
      expect({ step, state, allowed: problem === null }).toEqual({ step, state, allowed: allowed[step].includes(state) });
      if (problem) expect(problem.field).toBe("input.unitCode");
    }
    expect(STEPS[step].to).toBe({ submit: "submitted", approve: "approved", return: "returned", reopen: "returned" }[step]);
  });

  it("says what to do instead, naming who acted and when", () => {
    expect(checkStep("approve", null, unit, "2025-Q3", "f")!.message).toBe(
      "The data of 06673 (Phường Bãi Cháy) for 2025-Q3 has not been submitted yet: its reporter submits it first (submitPeriod).",
    );
    expect(checkStep("submit", record("submitted"), unit, "2025-Q3", "f")!.message).toMatch(/already submitted by reporter at 2025-10-02T01:00:00.000Z/);
    expect(checkStep("approve", record("returned"), unit, "2025-Q3", "f")!.message).toMatch(/was returned by planner .* \(Thiếu mẫu số\): its reporter corrects it/);
    expect(checkStep("approve", record("returned", { lastStep: "reopen", reason: "Mở lại" }), unit, "2025-Q3", "f")!.message).toMatch(/was reopened by planner/);
    expect(checkStep("submit", record("approved"), unit, "2025-Q3", "f")!.message).toBe(
      "The data of 06673 (Phường Bãi Cháy) for 2025-Q3 was approved by planner of 22 at 2025-10-03T02:00:00.000Z: it is locked; its approver reopens it (reopenPeriod, with a reason) to change it.",
    );
  });
});

describe("LOCKED rows", () => {
  const row: ReportRow = { unitCode: "06673", indicatorCode: "AWR_COMMUNE_ACTIVITY", period: "2025-Q3", value: 1 };
  const resolved = (over: Partial<ResolvedRow> = {}): ResolvedRow => ({
    unit: { id: 7, level: "commune" },
    indicator: { id: 1, valueKind: "yes_no", reportingLevel: "commune", periodType: "quarter" },
    coveredByPlan: true,
    ...over,
  });

  it("names who approved the unit's period and when, on the period field", () => {
    expect(lockedRow(row, 3, lock)).toEqual({
      index: 3,
      field: "period",
      code: "LOCKED",
      message: "The data of 06673 for 2025-Q3 was approved by planner of 22 at 2025-10-03T02:00:00.000Z: it is locked until its approver reopens it (reopenPeriod).",
      ...lock,
    });
  });

  it("is one more problem of a row in validateRow: a good row is refused for it alone, a bad one lists both", () => {
    expect(validateRow(row, 0, resolved({ lock })).map((e) => e.code)).toEqual(["LOCKED"]);
    expect(validateRow({ ...row, value: 2 }, 0, resolved({ lock })).map((e) => e.code)).toEqual(["LOCKED", "NOT_YES_NO"]);
    expect(validateRow(row, 0, resolved({ lock: null }))).toEqual([]);
    // an unknown unit has no lock to name
    expect(validateRow(row, 0, resolved({ unit: null, lock })).map((e) => e.code)).toEqual(["UNKNOWN_UNIT"]);
  });
});

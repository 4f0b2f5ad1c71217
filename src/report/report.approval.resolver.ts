import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { AuthedContext } from "../context";
import { Role } from "../auth/auth.types";
import { ReportApprovalService } from "./report.approval.service";
import { ReportHistoryService } from "./report.history.service";
import {
  ApprovePeriodInput,
  DecidePeriodInput,
  PeriodApproval,
  PeriodApprovalPage,
  PeriodApprovalsArgs,
  ReportHistory,
  ReportHistoryArgs,
  SubmitPeriodInput,
  WithdrawReportInput,
  WithdrawnReport,
} from "./report.approval.types";

/** The reporting cycle (submission, approval, lock) and corrections (withdrawal, history) of report data. */
@Resolver()
export class ReportApprovalResolver {
  @Authorized()
  @Query(() => PeriodApprovalPage, {
    description:
      "Where the data of a unit and of every unit below it (on the period's tree) stands for a period: OPEN, SUBMITTED, RETURNED or APPROVED, " +
      "who approves it, who did what, when and why. NOT_FOUND outside your subtree.",
  })
  periodApprovals(@Ctx() ctx: AuthedContext, @Args(() => PeriodApprovalsArgs) args: PeriodApprovalsArgs): Promise<PeriodApprovalPage> {
    return ReportApprovalService.page(ctx, args);
  }

  @Authorized()
  @Query(() => ReportHistory, {
    description: "Every change of one report (submitted, updated, withdrawn: values, who, when, reason, batch), oldest first. NOT_FOUND outside your subtree.",
  })
  reportHistory(@Ctx() ctx: AuthedContext, @Args(() => ReportHistoryArgs) args: ReportHistoryArgs): Promise<ReportHistory> {
    return ReportHistoryService.history(ctx, args);
  }

  @Authorized(Role.REPORTER)
  @Mutation(() => PeriodApproval, {
    description:
      "Mark a unit's data for a period as submitted to its approver (OPEN or RETURNED → SUBMITTED): a REPORTER of the unit or of a unit above it. " +
      "NOT_FOUND outside your subtree; CONFLICT when already submitted or approved. Audited.",
  })
  submitPeriod(@Ctx() ctx: AuthedContext, @Arg("input", () => SubmitPeriodInput) input: SubmitPeriodInput): Promise<PeriodApproval> {
    return ReportApprovalService.submit(ctx, input);
  }

  @Authorized(Role.PLANNER)
  @Mutation(() => [PeriodApproval], {
    description:
      "Approve submitted data (SUBMITTED → APPROVED, locked): a PLANNER of the unit's approver, the nearest unit above it that exists today. One unit, or " +
      "allSubmitted: every submitted unit you approve. FORBIDDEN for another unit than the approver; CONFLICT when not submitted. Audited.",
  })
  approvePeriod(@Ctx() ctx: AuthedContext, @Arg("input", () => ApprovePeriodInput) input: ApprovePeriodInput): Promise<PeriodApproval[]> {
    return ReportApprovalService.approve(ctx, input);
  }

  @Authorized(Role.PLANNER)
  @Mutation(() => PeriodApproval, {
    description: "Send submitted data back to its reporter with a reason (SUBMITTED → RETURNED): the approver's PLANNER. Audited.",
  })
  returnPeriod(@Ctx() ctx: AuthedContext, @Arg("input", () => DecidePeriodInput) input: DecidePeriodInput): Promise<PeriodApproval> {
    return ReportApprovalService.returnData(ctx, input);
  }

  @Authorized(Role.PLANNER)
  @Mutation(() => PeriodApproval, {
    description:
      "Unlock approved data with a reason (APPROVED → RETURNED): the approver's PLANNER. Its reporter corrects and submits it again. Audited.",
  })
  reopenPeriod(@Ctx() ctx: AuthedContext, @Arg("input", () => DecidePeriodInput) input: DecidePeriodInput): Promise<PeriodApproval> {
    return ReportApprovalService.reopen(ctx, input);
  }

  @Authorized(Role.REPORTER)
  @Mutation(() => WithdrawnReport, {
    description:
      "Withdraw a report row sent by mistake, with a reason, before its unit and period are approved (CONFLICT after): roll-ups follow at once; " +
      "the row's history keeps it. NOT_FOUND outside your subtree or when there is no such row.",
  })
  withdrawReport(@Ctx() ctx: AuthedContext, @Arg("input", () => WithdrawReportInput) input: WithdrawReportInput): Promise<WithdrawnReport> {
    return ReportHistoryService.withdraw(ctx, input);
  }
}

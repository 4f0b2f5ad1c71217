import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { AuthedContext } from "../context";
import { Role } from "../auth/auth.types";
import { ReportService } from "./report.service";
import { SubmitReportsInput, SubmitReportsResult } from "./report.types";

@Resolver()
export class ReportResolver {
  @Authorized(Role.REPORTER)
  @Mutation(() => SubmitReportsResult, {
    description:
      "Submit report rows for units of your subtree. The whole batch is validated first: any bad row refuses it (BAD_USER_INPUT with extensions.invalidRows: index, field, code, message) and nothing is written. Identical rows are left unchanged; changed values are updated and audited. Roll-ups of every ancestor reflect the batch on the next read.",
  })
  submitReports(@Ctx() ctx: AuthedContext, @Arg("input", () => SubmitReportsInput) input: SubmitReportsInput): Promise<SubmitReportsResult> {
    return ReportService.submit(ctx, input);
  }
}

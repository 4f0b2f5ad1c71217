import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { AuthedContext } from "../context";
import { Role } from "../auth/auth.types";
import { ReformApiService } from "./org-unit.reform.api";
import { CorrectSuccessionInput, RecordReformInput, ReformRecorded, SuccessionCorrected } from "./org-unit.reform.inputs";

@Resolver()
export class OrgUnitReformResolver {
  @Authorized(Role.ADMIN)
  @Mutation(() => ReformRecorded, {
    description:
      "Records a reform of the tree (nation's admins): closes old units on effectiveOn, opens new ones, records the successions; " +
      "all or nothing, every bad row named (BAD_USER_INPUT, extensions.invalidRows); audited. The CLI `npm run reform` sends a crosswalk CSV",
  })
  recordReform(@Ctx() ctx: AuthedContext, @Arg("input", () => RecordReformInput) input: RecordReformInput): Promise<ReformRecorded> {
    return ReformApiService.record(ctx, input);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => SuccessionCorrected, {
    description: "Corrects one succession (nation's admins): sets its relation (verification becomes corrected) or removes it; audited",
  })
  correctSuccession(
    @Ctx() ctx: AuthedContext,
    @Arg("input", () => CorrectSuccessionInput) input: CorrectSuccessionInput,
  ): Promise<SuccessionCorrected> {
    return ReformApiService.correct(ctx, input);
  }
}

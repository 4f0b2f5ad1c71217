import type { AuthChecker } from "type-graphql";
import { ForbiddenError } from "../common/errors";
import { t } from "../i18n/i18n";
import type { RequestContext } from "../context";
import { TokenError } from "./auth.errors";
import type { Role } from "./auth.types";

/**
 * `@Authorized()` needs a verified caller; `@Authorized(Role.PLANNER)` needs one of the roles.
 * Throws our own errors so the codes are UNAUTHENTICATED (reason MISSING) / FORBIDDEN.
 */
export const authChecker: AuthChecker<RequestContext, Role> = ({ context }, roles) => {
  if (!context.actor) throw new TokenError("MISSING");
  if (roles.length > 0 && !roles.some((role) => context.actor!.roles.includes(role))) {
    throw new ForbiddenError(t("auth:rolesNeeded", { needed: roles.join(", "), held: context.actor.roles.join(", ") }));
  }
  return true;
};

import type { AuthChecker } from "type-graphql";
import { ForbiddenError, UnauthenticatedError } from "../common/errors";
import type { RequestContext } from "../context";
import type { Role } from "./auth.types";

/**
 * `@Authorized()` needs a verified caller; `@Authorized(Role.PLANNER)` needs one of the roles.
 * Throws our own errors so the codes are UNAUTHENTICATED / FORBIDDEN.
 */
export const authChecker: AuthChecker<RequestContext, Role> = ({ context }, roles) => {
  if (!context.actor) throw new UnauthenticatedError();
  if (roles.length > 0 && !roles.some((role) => context.actor!.roles.includes(role))) {
    throw new ForbiddenError(`This needs one of the roles ${roles.join(", ")}; your token has ${context.actor.roles.join(", ")}.`);
  }
  return true;
};

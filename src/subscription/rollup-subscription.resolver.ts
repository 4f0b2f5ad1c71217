import type { GraphQLResolveInfo } from "graphql";
import { Args, Authorized, Resolver, Root, Subscription } from "type-graphql";
import { asksForTargets } from "../rollup/rollup.selection";
import { RollupArgs } from "../rollup/rollup.types";
import { RollupSubscriptionService } from "./rollup-subscription.service";
import { RollupChange, type LiveContext } from "./rollup-subscription.types";

@Resolver()
export class RollupSubscriptionResolver {
  @Authorized()
  @Subscription(() => RollupChange, {
    description:
      "A unit's roll-up, live (WebSocket at /graphql, graphql-transport-ws protocol, token in connectionParams.authorization): first every cell as " +
      "it stands (initial), then, within a second of each report, approval or reopening that changes it, the cells of the unit and its children " +
      "whose figures changed, read under your own scope. Same arguments and cells as `rollup`. TOO_MANY_SUBSCRIPTIONS past " +
      "MAX_SUBSCRIPTIONS_PER_TOKEN open at once; NOT_FOUND outside your subtree",
    subscribe: ({ context, args, info }) =>
      RollupSubscriptionService.subscribe(context as LiveContext, args as RollupArgs, asksForTargets(info as GraphQLResolveInfo)),
  })
  rollupChanged(@Root() change: RollupChange | undefined, @Args(() => RollupArgs) _args: RollupArgs): RollupChange {
    return RollupSubscriptionService.message(change);
  }
}

import { validate } from "class-validator";
import { ArgumentValidationError, type BuildSchemaOptions } from "type-graphql";
import { BadUserInputError } from "../common/errors";
import { t } from "../i18n/i18n";
import { RollupArgs } from "../rollup/rollup.types";
import { RollupFeed } from "./rollup-subscription.feed";
import { TooManySubscriptionsError, type LiveContext, type LiveSession, type RollupChange } from "./rollup-subscription.types";

/**
 * type-graphql wants a pub/sub for any subscription; ours bring their own `subscribe` (a feed per subscriber,
 * fed by the process's LISTEN connection), so topics are never used.
 */
export const NO_TOPICS: NonNullable<BuildSchemaOptions["pubSub"]> = {
  publish() {
    throw new Error("subscriptions of this API have no topics");
  },
  subscribe() {
    throw new Error("subscriptions of this API have no topics");
  },
};

export class RollupSubscriptionService {
  /**
   * A live roll-up: after a check of the arguments (type-graphql validates them for each message, not here) and
   * of the token's count of subscriptions, it sends the roll-up as it stands (read in the caller's transaction), then
   * the cells each relevant change alters.
   */
  static async subscribe(ctx: LiveContext, args: RollupArgs, judged: boolean): Promise<AsyncIterableIterator<RollupChange>> {
    const live = ctx.live;
    if (!live) throw new BadUserInputError(t("subscription:webSocketOnly"));
    const problems = await validate(Object.assign(new RollupArgs(), args), { forbidUnknownValues: false });
    if (problems.length) throw new ArgumentValidationError(problems);
    if (!live.slots.acquire(live.tokenKey)) throw new TooManySubscriptionsError(live.maxPerToken);
    const feed = new RollupFeed(ctx as LiveContext & { live: LiveSession }, args, judged);
    try {
      await feed.start(); // the feed ends the transaction once its first message is sent
    } catch (error) {
      await ctx.db.finish(false);
      throw error;
    }
    return feed;
  }

  /** A message of the feed; none when the operation came over HTTP (executed as a query there, with no feed). */
  static message(change: RollupChange | undefined): RollupChange {
    if (!change) throw new BadUserInputError(t("subscription:webSocketOnly"));
    return change;
  }
}

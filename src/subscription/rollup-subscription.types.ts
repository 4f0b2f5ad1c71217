import { Field, ObjectType } from "type-graphql";
import type { AuthedContext, RequestContext } from "../context";
import { DomainError } from "../common/errors";
import { t } from "../i18n/i18n";
import type { Language } from "../i18n/i18n.language";
import { OrgUnit } from "../org-unit/org-unit.model";
import { RollupCell, UnitRollup } from "../rollup/rollup.types";
import { ReportingPeriod } from "../period/period.types";
import type { RollupListener } from "./rollup-subscription.listener";
import type { SubscriptionSlots } from "./rollup-subscription.rules";

@ObjectType({
  simpleResolvers: true,
  description:
    "What changed in a subscribed roll-up since the last message: the cells of the unit and of its children whose figures changed (only those), " +
    "read under the subscriber's own scope after a report, approval or reopening that touches them. The first message carries every cell",
})
export class RollupChange {
  @Field(() => Boolean, { description: "True on the first message: every cell as it stands when you subscribed; later messages carry changed cells only" })
  initial!: boolean;

  @Field(() => String, { deprecationReason: "Use reportingPeriod { code }" })
  period!: string;

  @Field(() => ReportingPeriod, { description: "The period: code, label in the request's language, first and last day" })
  reportingPeriod!: ReportingPeriod;

  @Field(() => OrgUnit)
  unit!: OrgUnit;

  @Field(() => [RollupCell], { description: "The unit's own cells that changed (empty when only children's did)" })
  cells!: RollupCell[];

  @Field(() => [UnitRollup], { description: "The children with cells that changed, each with those cells only" })
  children!: UnitRollup[];
}

/** What a WebSocket connection gives its subscriptions (src/subscription/subscription.ws.ts). */
export interface LiveSession {
  /** A hash of the bearer token: what the per-token limit counts */
  tokenKey: string;
  language: Language;
  /** A fresh context of the subscriber (its own transaction, scope and row-level security) for one re-read */
  renew(): RequestContext;
  listener: RollupListener;
  slots: SubscriptionSlots;
  maxPerToken: number;
}

/** A subscription's context: the caller's, re-pointed at a new transaction for every message it sends. */
export interface LiveContext extends AuthedContext {
  live?: LiveSession;
}

/** The token already holds as many subscriptions as MAX_SUBSCRIPTIONS_PER_TOKEN allows. */
export class TooManySubscriptionsError extends DomainError {
  readonly code = "TOO_MANY_SUBSCRIPTIONS";
  constructor(max: number) {
    super(t("subscription:tooMany", { max }), { limit: max });
  }
}

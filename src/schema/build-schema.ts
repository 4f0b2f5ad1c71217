import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema, type NonEmptyArray } from "type-graphql";
import { authChecker } from "../auth/auth-checker";
import { RESOLVERS } from "./resolvers";
import { NO_TOPICS } from "../subscription/rollup-subscription.service";

let cached: Promise<GraphQLSchema> | undefined;

/** The schema built from the decorated resolvers (and emitted to schema.graphql). */
export function buildAppSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: RESOLVERS as unknown as NonEmptyArray<Function>,
    authChecker,
    validate: { forbidUnknownValues: false },
    pubSub: NO_TOPICS, // subscriptions bring their own `subscribe` (src/subscription/)
  });
  return cached;
}

import type { Actor } from "./auth/auth.types";
import type { RequestDb } from "./db/request-db";
import type { Loaders } from "./loaders";

/** What every resolver and service receives first: who asks, their database, their loaders. */
export interface RequestContext {
  requestId: string;
  actor: Actor | null;
  db: RequestDb;
  loaders: Loaders;
}

/** A context whose caller is known (resolvers behind @Authorized get this). */
export interface AuthedContext extends RequestContext {
  actor: Actor;
}

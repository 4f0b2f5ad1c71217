import crypto from "node:crypto";
import type { DataSource } from "typeorm";
import type { Actor } from "./auth/auth.types";
import { RequestDb } from "./db/request-db";
import { createLoaders, type Loaders } from "./loaders";

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

/**
 * The one way a context is made (HTTP requests, the CSV import, the bench): `actor`'s own connection on
 * `dataSource` (a transaction for writes; a query's reads each carry the scope), scoped to the actor's unit
 * (nothing visible without one), and loaders bound to it. The caller ends it with `ctx.db.finish(success)`.
 */
export function createRequestContext<A extends Actor | null>(
  dataSource: DataSource,
  actor: A,
  requestId: string = crypto.randomUUID(),
): RequestContext & { actor: A } {
  const context = {
    requestId,
    actor,
    db: new RequestDb(dataSource, { unitPath: actor?.unitPath ?? "", earlierPaths: actor?.scopePaths.slice(1) ?? [], actor: actor?.subject ?? "" }),
    loaders: undefined as unknown as Loaders,
  };
  context.loaders = createLoaders(context);
  return context;
}

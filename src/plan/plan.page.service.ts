import type { AuthedContext } from "../context";
import { decodeCursor, encodeCursor } from "../common/pagination";
import type { Plan } from "./plan.model";
import { PlanService } from "./plan.service";
import { PlanPage, type PlansArgs } from "./plan.types";
import type { PageArgs } from "../common/pagination";

/** A plan's place in the list: first day, last day (the longest first), id (a tie-break). */
const KEY = /^\d{4}-\d{2}-\d{2}\|\d{4}-\d{2}-\d{2}\|[0-9a-f-]{36}$/;
const keyOf = (p: Plan) => `${p.periodStart}|${p.periodEnd}|${p.id}`;

/** The key order of `plans`: first day ascending, last day descending, then id. */
function compareKeys(a: string, b: string): number {
  const [as, ae, ai] = a.split("|") as [string, string, string];
  const [bs, be, bi] = b.split("|") as [string, string, string];
  return as.localeCompare(bs) || be.localeCompare(ae) || ai.localeCompare(bi);
}

/**
 * `plans` as pages (issue 15, item 7), in its order. A unit has a handful of plans a period: the list is loaded
 * whole in its one statement and cut by the cursor, so totalCount costs nothing and a plan never moves between pages.
 */
export class PlanPageService {
  static async forUnit(ctx: AuthedContext, args: PlansArgs, page: PageArgs): Promise<PlanPage> {
    const after = page.after ? decodeCursor(page.after, KEY) : null;
    const plans = (await PlanService.forUnit(ctx, args)).sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
    const fresh = after ? plans.filter((p) => compareKeys(keyOf(p), after) > 0) : plans;
    const nodes = fresh.slice(0, page.first);
    const last = nodes[nodes.length - 1];
    return Object.assign(new PlanPage(), {
      nodes,
      totalCount: plans.length,
      hasNextPage: fresh.length > page.first,
      endCursor: last ? encodeCursor(keyOf(last)) : null,
    });
  }
}

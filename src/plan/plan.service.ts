import type { AuthedContext } from "../context";
import { BadUserInputError, NotFoundError } from "../common/errors";
import { parsePeriod } from "../common/period";
import { inSubtreeOrAncestor } from "../auth/scope";
import { OrgUnitService } from "../org-unit/org-unit.service";
import type { Plan } from "./plan.entity";
import type { PlansArgs } from "./plan.types";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Columns of plan under the entity's property names (for raw queries). */
export const SELECT_PLAN = `p.id, p.program_id AS "programId", p.unit_id AS "unitId", p.unit_path AS "unitPath",
  p.parent_plan_id AS "parentPlanId", p.title, p.document_number AS "documentNumber",
  to_char(p.issued_on, 'YYYY-MM-DD') AS "issuedOn", to_char(p.period_start, 'YYYY-MM-DD') AS "periodStart",
  to_char(p.period_end, 'YYYY-MM-DD') AS "periodEnd", p.status, p.version, p.created_by AS "createdBy",
  p.updated_at AS "updatedAt"`;

/** Reads of plans. A caller sees the plans of its subtree and of its ancestors (whose targets it inherits). */
export class PlanService {
  static checkId(id: string, field = "id"): string {
    if (!UUID.test(id)) throw new BadUserInputError(`"${id}" is not a plan id (a UUID).`, field);
    return id.toLowerCase();
  }

  static async byId(ctx: AuthedContext, id: string, field = "id"): Promise<Plan> {
    const plan = await ctx.loaders.planById.load(PlanService.checkId(id, field));
    if (!plan) throw new NotFoundError("Plan", id);
    return plan;
  }

  static async byIds(ctx: AuthedContext, ids: readonly string[]): Promise<Plan[]> {
    return ctx.db.query<Plan>(
      `SELECT ${SELECT_PLAN} FROM plan p WHERE p.id = ANY($2::uuid[]) AND ${inSubtreeOrAncestor("p.unit_path", "$1")}`,
      [ctx.actor.unitPath, [...ids]],
    );
  }

  static async childrenOf(ctx: AuthedContext, parentIds: readonly string[]): Promise<Plan[]> {
    return ctx.db.query<Plan>(
      `SELECT ${SELECT_PLAN} FROM plan p
        WHERE p.parent_plan_id = ANY($2::uuid[]) AND ${inSubtreeOrAncestor("p.unit_path", "$1")}
        ORDER BY p.unit_path, p.period_start, p.period_end DESC`,
      [ctx.actor.unitPath, [...parentIds]],
    );
  }

  static async forUnit(ctx: AuthedContext, args: PlansArgs): Promise<Plan[]> {
    const unit = await OrgUnitService.byCode(ctx, args.unitCode);
    const period = args.period ? parsePeriod(args.period) : null;
    return ctx.db.query<Plan>(
      `SELECT ${SELECT_PLAN} FROM plan p
        WHERE p.unit_id = $2 AND ${inSubtreeOrAncestor("p.unit_path", "$1")}
          AND ($3::date IS NULL OR (p.period_start <= $4::date AND p.period_end >= $3::date))
        ORDER BY p.period_start, p.period_end DESC`,
      [ctx.actor.unitPath, unit.id, period?.start ?? null, period?.end ?? null],
    );
  }
}

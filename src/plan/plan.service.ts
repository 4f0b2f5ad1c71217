import type { AuthedContext } from "../context";
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from "../common/errors";
import { isIsoDate, parsePeriod } from "../common/period";
import { t } from "../i18n/i18n";
import { checkAuditReason, normalizeText } from "../common/text";
import { inSubtreeOrAncestor } from "../auth/scope";
import { insertAudit } from "../audit/audit.writer";
import { OrgUnitService, codeOn } from "../org-unit/org-unit.service";
import type { Plan } from "./plan.model";
import type { CreatePlanInput } from "./plan.inputs";
import { checkPlacement, checkPlanDates, mayEditPlansOf } from "./plan.rules";
import type { PlansArgs } from "./plan.types";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Columns of plan under the model's property names (for raw queries). */
export const SELECT_PLAN = `p.id, p.program_id AS "programId", p.unit_id AS "unitId", p.unit_path AS "unitPath",
  p.parent_plan_id AS "parentPlanId", p.title, p.document_number AS "documentNumber",
  to_char(p.issued_on, 'YYYY-MM-DD') AS "issuedOn", to_char(p.period_start, 'YYYY-MM-DD') AS "periodStart",
  to_char(p.period_end, 'YYYY-MM-DD') AS "periodEnd", p.status, p.version, p.created_by AS "createdBy",
  p.updated_at AS "updatedAt", p.legal_basis AS "legalBasis", p.superseded_by AS "supersededById",
  p.status_changed_at AS "statusChangedAt"`;

/**
 * Plans: reads (a caller sees the plans of its subtree and of its ancestors, whose targets it inherits),
 * new plans, and the edit lock every change of a plan's targets takes (optimistic, by version).
 */
export class PlanService {
  static checkId(id: string, field = "id"): string {
    if (!UUID.test(id)) throw new BadUserInputError(t("plan:notAPlanId", { id }), field);
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
      [ctx.actor.scopePaths, [...ids]],
    );
  }

  static async childrenOf(ctx: AuthedContext, parentIds: readonly string[]): Promise<Plan[]> {
    return ctx.db.query<Plan>(
      `SELECT ${SELECT_PLAN} FROM plan p
        WHERE p.parent_plan_id = ANY($2::uuid[]) AND ${inSubtreeOrAncestor("p.unit_path", "$1")}
        ORDER BY p.unit_path, p.period_start, p.period_end DESC`,
      [ctx.actor.scopePaths, [...parentIds]],
    );
  }

  static async forUnit(ctx: AuthedContext, args: PlansArgs): Promise<Plan[]> {
    const period = args.period ? parsePeriod(args.period) : null;
    // 91 in a 2024 plan list is Kiên Giang: the code is read on the period's first day unless asOf says
    const unit = await OrgUnitService.byCode(ctx, args.unitCode, args.asOf ?? period?.start, "unitCode");
    return ctx.db.query<Plan>(
      `SELECT ${SELECT_PLAN} FROM plan p
        WHERE p.unit_id = $2 AND ${inSubtreeOrAncestor("p.unit_path", "$1")}
          AND ($3::date IS NULL OR (p.period_start <= $4::date AND p.period_end >= $3::date))
        ORDER BY p.period_start, p.period_end DESC`,
      [ctx.actor.scopePaths, unit.id, period?.start ?? null, period?.end ?? null],
    );
  }

  /** The plan as it is now (after a change in this transaction). */
  static async reload(ctx: AuthedContext, planId: string): Promise<Plan> {
    ctx.loaders.planById.clear(planId);
    return PlanService.byId(ctx, planId);
  }

  // ---------------------------------------------------------------- editing

  /**
   * A plan the caller may edit: its own unit's plans and those of its direct children. Another tenant's plan
   * is NOT_FOUND; a visible plan the caller may not edit (an ancestor's, a grandchild's) is FORBIDDEN.
   */
  static async forEdit(ctx: AuthedContext, planId: string, field: string): Promise<Plan> {
    const id = PlanService.checkId(planId, field);
    const rows = await ctx.db.query<Plan & { unitParentId: number | null }>(
      `SELECT ${SELECT_PLAN}, u.parent_id AS "unitParentId" FROM plan p JOIN org_unit u ON u.id = p.unit_id
        WHERE p.id = $2 AND ${inSubtreeOrAncestor("p.unit_path", "$1")}`,
      [ctx.actor.scopePaths, id],
    );
    const row = rows[0];
    if (!row) throw new NotFoundError("Plan", planId);
    const { unitParentId, ...plan } = row;
    if (!mayEditPlansOf(ctx.actor.unitId, { id: plan.unitId, parentId: unitParentId })) {
      throw new ForbiddenError(t("plan:editForbidden"), { planId });
    }
    // drafts are edited freely, active plans with their version; a closed or superseded plan no longer changes
    if (plan.status === "closed" || plan.status === "superseded") {
      throw new ConflictError(t("plan:noLongerChanges", { status: t(`plan:status.${plan.status}`) }), { field, planId: plan.id, status: plan.status });
    }
    return plan;
  }

  /** CONFLICT unless the plan (as read) is at `version`. */
  static checkVersion(plan: Plan, version: number): void {
    if (plan.version !== version) {
      throw new ConflictError(t("plan:versionChanged", { version, current: plan.version }), {
        planId: plan.id,
        currentVersion: plan.version,
      });
    }
  }

  /** Takes the plan's row lock and moves it to the next version; CONFLICT if it is no longer at `version`. */
  static async bumpVersion(ctx: AuthedContext, plan: Plan, version: number): Promise<number> {
    PlanService.checkVersion(plan, version);
    const rows = await ctx.db.query<{ version: number }>(
      `WITH u AS (UPDATE plan SET version = version + 1, updated_at = now() WHERE id = $1 AND version = $2 RETURNING version)
       SELECT version FROM u`,
      [plan.id, version],
    );
    if (rows.length !== 1) {
      throw new ConflictError(t("plan:versionRace", { version }), {
        planId: plan.id,
      });
    }
    return rows[0]!.version;
  }

  /**
   * A new plan, in DRAFT: implementing `parentPlanId` (for the parent plan's unit or one of its children, within
   * its period, of its program), or, with no parent, a top-level plan of the caller's own unit naming its program
   * and legal basis (see checkPlacement).
   */
  static async create(ctx: AuthedContext, input: CreatePlanInput): Promise<Plan> {
    const reason = checkAuditReason(input.reason);
    const title = normalizeText(input.title);
    if (!title) throw new BadUserInputError(t("plan:titleEmpty"), "input.title");
    const legalBasis = input.legalBasis == null ? null : normalizeText(input.legalBasis) || null;
    const parent = input.parentPlanId ? await PlanService.byId(ctx, input.parentPlanId, "input.parentPlanId") : null;
    if (!isIsoDate(input.periodStart)) throw new BadUserInputError(t("plan:notAnIsoDate", { value: input.periodStart }), "input.periodStart");
    // the unit the code names when the plan's period begins
    const unit = await ctx.loaders.orgUnitByCode.load(codeOn(input.unitCode.trim().toUpperCase(), input.periodStart));
    if (!unit) {
      throw new BadUserInputError(t("plan:noUnitOnFirstDay", { code: input.unitCode, date: input.periodStart }), "input.unitCode");
    }
    const programs = await ctx.db.query<{ id: number; code: string }>(
      `SELECT id, code FROM program WHERE code = $1 OR id = $2`,
      [input.programCode?.trim().toUpperCase() ?? null, parent?.programId ?? null],
    );
    const programCode = input.programCode == null ? null : input.programCode.trim().toUpperCase();
    const program = parent ? programs.find((p) => p.id === parent.programId)! : programs.find((p) => p.code === programCode);
    if (programCode !== null && !programs.some((p) => p.code === programCode)) {
      throw new BadUserInputError(t("plan:unknownProgram", { code: input.programCode }), "input.programCode");
    }
    const placement = checkPlacement({
      actor: ctx.actor,
      unit,
      parent: parent ? { unitId: parent.unitId, status: parent.status, programCode: program!.code } : null,
      programCode,
      legalBasis,
    });
    if (placement?.code === "FORBIDDEN") throw new ForbiddenError(placement.message, { unitCode: unit.code });
    if (placement) throw new BadUserInputError(placement.message, `input.${placement.field}`);
    const problem = checkPlanDates(input, parent);
    if (problem) throw new BadUserInputError(problem.message, `input.${problem.field}`);
    const programId = program!.id;
    const rows = await ctx.db.query<Plan>(
      `WITH p AS (
         INSERT INTO plan (program_id, unit_id, parent_plan_id, title, document_number, issued_on, period_start, period_end, created_by,
                           status, legal_basis)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', $12)
         ON CONFLICT (program_id, unit_id, period_start, period_end) DO NOTHING
         RETURNING *
       ),
       a AS (
         ${insertAudit(
           {
             actor: "$9",
             action: "plan.create",
             entity: "plan",
             entityId: "p.id",
             planId: "p.id",
             unitPath: "p.unit_path",
             newValue: `jsonb_build_object('title', p.title, 'documentNumber', p.document_number, 'periodStart', p.period_start,
                                           'periodEnd', p.period_end, 'parentPlanId', p.parent_plan_id, 'status', p.status,
                                           'legalBasis', p.legal_basis)`,
             reason: "$10",
             requestId: "$11",
           },
           "FROM p",
         )}
       )
       SELECT ${SELECT_PLAN} FROM p`,
      [programId, unit.id, parent?.id ?? null, title, input.documentNumber ?? null, input.issuedOn ?? null,
       input.periodStart, input.periodEnd, ctx.actor.subject, reason, ctx.requestId, legalBasis],
    );
    if (!rows[0]) {
      // one plan per unit, program and period (plan_unit_period_key): the other one was there first
      const [existing] = await ctx.db.query<{ id: string }>(
        `SELECT id FROM plan WHERE program_id = $1 AND unit_id = $2 AND period_start = $3 AND period_end = $4`,
        [programId, unit.id, input.periodStart, input.periodEnd],
      );
      throw new ConflictError(
        t("plan:duplicate", { unit: unit.name, start: input.periodStart, end: input.periodEnd }),
        { field: "input.periodStart", planId: existing?.id ?? null },
      );
    }
    return rows[0];
  }
}

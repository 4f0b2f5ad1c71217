import type { AuthedContext } from "../context";
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, UnitNotOnDateError, isExclusionViolation, isUniqueViolation } from "../common/errors";
import { insertAudit } from "../audit/audit.writer";
import { checkAuditReason, toSearchText } from "../common/text";
import { isInSubtree } from "../auth/scope";
import type { OrgUnit } from "./org-unit.model";
import { OrgUnitService, SELECT_UNIT } from "./org-unit.service";
import type { CreateOrgUnitInput, UpdateOrgUnitInput } from "./org-unit.inputs";
import { checkUnitName, checkUnitType, checkValidFrom, childLevel, isProblem, type RuleProblem } from "./org-unit.rules";
import { checkDate } from "../common/date.scalar";
import { t } from "../i18n/i18n";

/**
 * Changes to the tree take this transaction-level lock first, so they run one at a time: the check that
 * a code is free and the insert cannot interleave with another request's, and org_unit's statement
 * trigger (which recounts org_unit_count) never races another recount. Tree changes are rare.
 */
const TREE_LOCK = 7_190_001;

/** The unit's fields as kept in audit_log (old_value / new_value). */
const UNIT_JSON = (u: string) => `jsonb_build_object('code', ${u}.code, 'name', ${u}.name, 'type', ${u}.unit_type, 'level', ${u}.level,
  'parentId', ${u}.parent_id, 'path', ${u}.path, 'validFrom', to_char(${u}.valid_from, 'YYYY-MM-DD'))`;

const problemError = (p: RuleProblem) => new BadUserInputError(p.message, `input.${p.field}`);

/**
 * An admin's changes to the administrative tree, within its subtree. A unit the caller cannot see
 * answers NOT_FOUND (as if it did not exist); one it sees but may not change (its own unit, an
 * ancestor) answers FORBIDDEN. Every change is audited in the same statement that makes it.
 */
export class OrgUnitAdminService {
  /** A new province, district or commune under `parentCode`, its level one below the parent's. */
  static async create(ctx: AuthedContext, input: CreateOrgUnitInput): Promise<OrgUnit> {
    const parentCode = OrgUnitService.checkCode(input.parentCode, "input.parentCode");
    const code = OrgUnitService.checkCode(input.code, "input.code");
    if (code === "VN") throw new BadUserInputError(t("orgUnit:nationCode"), "input.code");
    const name = checkUnitName(input.name);
    if (isProblem(name)) throw problemError(name);
    const reason = checkAuditReason(input.reason);

    // the unit joins the tree of its first day: its parent is the unit the code names that day
    const validFrom = checkDate(input.validFrom, "input.validFrom");
    const parent = await OrgUnitService.byCode(ctx, parentCode, validFrom, "input.parentCode").catch((error: unknown) => {
      // the parent exists only later: the new unit's first day is what does not fit (a parent that has ended stays NOT_FOUND)
      const spans = error instanceof UnitNotOnDateError ? (error.details.validSpans as Array<{ validFrom: string }>) : [];
      if (spans.length > 0 && spans.every((span) => span.validFrom > validFrom)) {
        throw new BadUserInputError(t("orgUnit:startsBeforeParentExists", { validFrom, parentCode, parentFrom: spans[0]!.validFrom }), "input.validFrom");
      }
      throw error;
    });
    if (!isInSubtree(parent.path, ctx.actor.scopePaths)) {
      throw new ForbiddenError(t("orgUnit:onlyUnderOwn", { unitCode: ctx.actor.unitCode }), {
        field: "input.parentCode",
      });
    }
    const level = childLevel(parent.level, validFrom);
    if (!level) throw new BadUserInputError(t("orgUnit:communeNoChildren", { code: parent.code }), "input.parentCode");
    const type = checkUnitType(level, input.type);
    if (isProblem(type)) throw problemError(type);
    const badDate = checkValidFrom(validFrom, parent.validFrom);
    if (badDate) throw problemError(badDate);

    await ctx.db.query(`SELECT pg_advisory_xact_lock($1)`, [TREE_LOCK]);
    // GSO codes are national: the check must see every province's units, not only the caller's
    // (auth_unit_by_code is the owner's lookup of a current unit by code; it answers no more than "taken")
    const taken = await ctx.db.query(`SELECT 1 FROM auth_unit_by_code($1, $2::date)`, [code, validFrom]);
    if (taken.length > 0) {
      throw new ConflictError(t("orgUnit:codeTaken", { code, validFrom }), { field: "input.code" });
    }

    let rows: OrgUnit[];
    try {
      rows = await ctx.db.query<OrgUnit>(
        `WITH parent AS (
           SELECT p.id, p.path, p.depth, p.province_id, p.district_id, p.valid_to FROM org_unit p WHERE p.id = $1
         ), fresh AS (
           SELECT nextval(pg_get_serial_sequence('org_unit', 'id'))::int AS id
         ), u AS (
           INSERT INTO org_unit (id, code, name, name_search, level, unit_type, parent_id, path, depth, province_id, district_id,
                                 valid_from, valid_to)
           OVERRIDING SYSTEM VALUE
           SELECT f.id, $2::text, $3::text, $4::text, $5::text, $6::text, p.id, p.path || f.id || '/', p.depth + 1,
                  CASE WHEN $5::text = 'province' THEN f.id ELSE p.province_id END,
                  CASE WHEN $5::text = 'district' THEN f.id WHEN $5::text = 'commune' THEN p.district_id END,
                  -- it closes with its parent (a district's units with the reform of 1/7/2025, as every district)
                  $7::date, CASE WHEN $5::text = 'district' THEN LEAST(p.valid_to, DATE '2025-07-01') ELSE p.valid_to END
             FROM parent p CROSS JOIN fresh f
           RETURNING *
         ), audit AS (
           ${insertAudit(
             { actor: "$8", action: "org_unit.create", entity: "org_unit", entityId: "u.id", unitPath: "u.path",
               newValue: UNIT_JSON("u"), reason: "$9", requestId: "$10" },
             "FROM u",
           )}
         )
         SELECT ${SELECT_UNIT} FROM u`,
        [parent.id, code, name.name, toSearchText(name.name), level, type.type, validFrom, ctx.actor.subject, reason, ctx.requestId],
      );
    } catch (error) {
      // UNIQUE (code, valid_from): a former unit with this code started the same day
      if (isUniqueViolation(error) || isExclusionViolation(error)) {
        throw new ConflictError(t("orgUnit:codeTakenDuring", { code, validFrom }), {
          field: "input.code",
        });
      }
      throw error;
    }
    const unit = rows[0];
    if (!unit) throw new NotFoundError("Org unit", input.parentCode); // the parent vanished meanwhile
    ctx.loaders.orgUnitByCode.clearAll();
    ctx.loaders.orgUnitById.clear(unit.id);
    return { ...unit, asOf: validFrom };
  }

  /** Corrects the name and/or type of a unit strictly below the caller's unit. */
  static async update(ctx: AuthedContext, input: UpdateOrgUnitInput): Promise<OrgUnit> {
    const code = OrgUnitService.checkCode(input.code, "input.code");
    // a correction of the unit the code names today
    const unit = await OrgUnitService.byCode(ctx, code, null, "input.code");
    if (unit.id === ctx.actor.unitId) {
      throw new ForbiddenError(t("orgUnit:ownUnit", { code: unit.code }), {
        field: "input.code",
      });
    }
    if (!isInSubtree(unit.path, ctx.actor.scopePaths)) {
      throw new ForbiddenError(t("orgUnit:aboveUnit", { code: unit.code }), { field: "input.code" });
    }
    if (input.name == null && input.type == null) {
      throw new BadUserInputError(t("orgUnit:nameOrType"), "input");
    }
    const name = input.name == null ? { name: unit.name } : checkUnitName(input.name);
    if (isProblem(name)) throw problemError(name);
    const type = input.type == null ? { type: unit.type ?? "" } : checkUnitType(unit.level, input.type);
    if (isProblem(type)) throw problemError(type);
    const reason = checkAuditReason(input.reason);

    await ctx.db.query(`SELECT pg_advisory_xact_lock($1)`, [TREE_LOCK]);
    const rows = await ctx.db.query<OrgUnit>(
      `WITH old AS (
         SELECT o.* FROM org_unit o WHERE o.id = $1
       ), u AS (
         UPDATE org_unit x SET name = $2, name_search = $3, unit_type = $4
           FROM old WHERE x.id = old.id
         RETURNING x.*
       ), audit AS (
         ${insertAudit(
           { actor: "$5", action: "org_unit.update", entity: "org_unit", entityId: "u.id", unitPath: "u.path",
             oldValue: UNIT_JSON("old"), newValue: UNIT_JSON("u"), reason: "$6", requestId: "$7" },
           "FROM u JOIN old ON old.id = u.id",
         )}
       )
       SELECT ${SELECT_UNIT} FROM u`,
      [unit.id, name.name, toSearchText(name.name), type.type, ctx.actor.subject, reason, ctx.requestId],
    );
    const updated = rows[0];
    if (!updated) throw new NotFoundError("Org unit", input.code); // replaced meanwhile
    ctx.loaders.orgUnitByCode.clearAll();
    ctx.loaders.orgUnitById.clear(updated.id);
    return { ...updated, asOf: unit.asOf };
  }
}

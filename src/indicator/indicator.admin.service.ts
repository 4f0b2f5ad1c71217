import type { AuthedContext } from "../context";
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, isUniqueViolation } from "../common/errors";
import { OrgLevel, type UnitOfMeasure, type ValueKind } from "../common/enums";
import { insertAudit } from "../audit/audit.writer";
import { checkAuditReason, normalizeText } from "../common/text";
import { t } from "../i18n/i18n";
import type { Indicator } from "./indicator.model";
import { SELECT_INDICATOR } from "./indicator.service";
import type { CreateIndicatorInput, UpdateIndicatorInput } from "./indicator.inputs";
import { checkIndicatorSettings, INDICATOR_CODE, resolveIndicatorUnits } from "./indicator.rules";

/** The indicator's fields as kept in audit_log (old_value / new_value). */
const INDICATOR_JSON = (i: string) => `jsonb_build_object('code', ${i}.code, 'nameVi', ${i}.name_vi, 'nameEn', ${i}.name_en,
  'area', ${i}.area, 'valueKind', ${i}.value_kind, 'direction', ${i}.direction, 'rollupRule', ${i}.rollup_rule,
  'reportingLevel', ${i}.reporting_level, 'periodType', ${i}.period_type, 'periodRule', ${i}.period_rule,
  'measuredOn', ${i}.measured_on, 'sortOrder', ${i}.sort_order, 'unit', ${i}.unit, 'numeratorUnit', ${i}.numerator_unit,
  'minCompleteness', ${i}.min_completeness)`;

/** Normalized text; BAD_USER_INPUT naming the field when nothing is left. */
function text(value: string, field: string): string {
  const v = normalizeText(value);
  if (!v) throw new BadUserInputError(t("indicator:notEmpty", { field: field.replace(/^input\./, "") }), field);
  return v;
}

/**
 * Changes to the indicator catalog. The catalog is one for the whole country: only an admin whose
 * token is the nation's may change it (row-level security says the same: indicator_write needs
 * app_is_national()). Catalog entries carry no unit, so their audit entries have no unit path
 * (readable by the nation only).
 */
export class IndicatorAdminService {
  static requireNational(ctx: AuthedContext): void {
    if (ctx.actor.unitLevel !== OrgLevel.NATION) {
      throw new ForbiddenError(t("indicator:national", { unit: ctx.actor.unitCode }));
    }
  }

  static checkCode(code: string): string {
    const normalized = code.trim().toUpperCase();
    if (!INDICATOR_CODE.test(normalized)) {
      throw new BadUserInputError(t("indicator:badCode", { code }), "input.code");
    }
    return normalized;
  }

  static async create(ctx: AuthedContext, input: CreateIndicatorInput): Promise<Indicator> {
    IndicatorAdminService.requireNational(ctx);
    const code = IndicatorAdminService.checkCode(input.code);
    const nameVi = text(input.nameVi, "input.nameVi");
    const nameEn = text(input.nameEn, "input.nameEn");
    const measuredOn = text(input.measuredOn, "input.measuredOn");
    const reason = checkAuditReason(input.reason);
    const problem = checkIndicatorSettings(input);
    if (problem) throw new BadUserInputError(problem.message, `input.${problem.field}`);
    const units = resolveIndicatorUnits(input.valueKind, input.unit, input.numeratorUnit);
    if ("field" in units) throw new BadUserInputError(units.message, `input.${units.field}`);

    // the program named, or the only one there is (PCMD_2021_2025 in the seeds)
    const programCode = input.programCode?.trim() || null;
    const programs = await ctx.db.query<{ id: number; code: string }>(
      `SELECT id, code FROM program WHERE $1::text IS NULL OR code = $1 ORDER BY id LIMIT 2`,
      [programCode],
    );
    if (programCode && programs.length === 0) throw new BadUserInputError(t("indicator:noProgram", { code: programCode }), "input.programCode");
    if (programs.length !== 1) {
      throw new BadUserInputError(programs.length === 0 ? t("indicator:noPrograms") : t("indicator:severalPrograms"), "input.programCode");
    }
    try {
      const rows = await ctx.db.query<Indicator>(
        `WITH i AS (
           INSERT INTO indicator (program_id, code, name_vi, name_en, area, value_kind, direction, rollup_rule, reporting_level,
                                  period_type, period_rule, measured_on, sort_order, unit, numerator_unit, min_completeness)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                   coalesce($13::int, (SELECT coalesce(max(sort_order), 0) + 1 FROM indicator)), $17, $18, coalesce($19::numeric, 50))
           RETURNING *
         ), audit AS (
           ${insertAudit(
             { actor: "$14", action: "indicator.create", entity: "indicator", entityId: "i.code", unitPath: "NULL",
               newValue: INDICATOR_JSON("i"), reason: "$15", requestId: "$16" },
             "FROM i",
           )}
         )
         SELECT ${SELECT_INDICATOR} FROM i`,
        [programs[0]!.id, code, nameVi, nameEn, input.area, input.valueKind, input.direction, input.rollupRule, input.reportingLevel,
         input.periodType, input.periodRule, measuredOn, input.sortOrder ?? null, ctx.actor.subject, reason, ctx.requestId,
         units.unit, units.numeratorUnit, input.minCompleteness ?? null],
      );
      return rows[0]!;
    } catch (error) {
      // the code is taken (indicator.code is UNIQUE; the catalog is national, so every row is visible)
      if (isUniqueViolation(error)) throw new ConflictError(t("indicator:codeTaken", { code }), { field: "input.code" });
      throw error;
    }
  }

  /** Changes descriptive fields only; the settings that decide the math are not in the input. */
  static async update(ctx: AuthedContext, input: UpdateIndicatorInput): Promise<Indicator> {
    IndicatorAdminService.requireNational(ctx);
    const code = IndicatorAdminService.checkCode(input.code);
    const changes = {
      nameVi: input.nameVi == null ? null : text(input.nameVi, "input.nameVi"),
      nameEn: input.nameEn == null ? null : text(input.nameEn, "input.nameEn"),
      area: input.area ?? null,
      measuredOn: input.measuredOn == null ? null : text(input.measuredOn, "input.measuredOn"),
      sortOrder: input.sortOrder ?? null,
      unit: input.unit ?? null,
      numeratorUnit: input.numeratorUnit ?? null,
      minCompleteness: input.minCompleteness ?? null,
    };
    const reason = checkAuditReason(input.reason);
    if (Object.values(changes).every((v) => v === null)) {
      throw new BadUserInputError(t("indicator:nothingToChange"), "input");
    }
    if (changes.unit !== null || changes.numeratorUnit !== null) {
      // units must still fit the value kind (which cannot change)
      const [current] = await ctx.db.query<{ valueKind: ValueKind; unit: UnitOfMeasure; numeratorUnit: UnitOfMeasure | null }>(
        `SELECT value_kind AS "valueKind", unit, numerator_unit AS "numeratorUnit" FROM indicator WHERE code = $1`,
        [code],
      );
      if (!current) throw new NotFoundError("Indicator", input.code);
      const units = resolveIndicatorUnits(current.valueKind, changes.unit ?? current.unit, changes.numeratorUnit ?? current.numeratorUnit);
      if ("field" in units) throw new BadUserInputError(units.message, `input.${units.field}`);
    }
    const rows = await ctx.db.query<Indicator>(
      `WITH old AS (
         SELECT o.* FROM indicator o WHERE o.code = $1 FOR UPDATE
       ), i AS (
         UPDATE indicator x SET name_vi = coalesce($2::text, x.name_vi), name_en = coalesce($3::text, x.name_en), area = coalesce($4::text, x.area),
                                measured_on = coalesce($5::text, x.measured_on), sort_order = coalesce($6::int, x.sort_order),
                                unit = coalesce($10::text, x.unit), numerator_unit = coalesce($11::text, x.numerator_unit),
                                min_completeness = coalesce($12::numeric, x.min_completeness)
           FROM old WHERE x.id = old.id
         RETURNING x.*
       ), audit AS (
         ${insertAudit(
           { actor: "$7", action: "indicator.update", entity: "indicator", entityId: "i.code", unitPath: "NULL",
             oldValue: INDICATOR_JSON("old"), newValue: INDICATOR_JSON("i"), reason: "$8", requestId: "$9" },
           "FROM i JOIN old ON old.id = i.id",
         )}
       )
       SELECT ${SELECT_INDICATOR} FROM i`,
      [code, changes.nameVi, changes.nameEn, changes.area, changes.measuredOn, changes.sortOrder, ctx.actor.subject, reason, ctx.requestId,
       changes.unit, changes.numeratorUnit, changes.minCompleteness],
    );
    if (!rows[0]) throw new NotFoundError("Indicator", input.code);
    ctx.loaders.indicatorById.clear(rows[0].id).prime(rows[0].id, rows[0]);
    return rows[0];
  }
}

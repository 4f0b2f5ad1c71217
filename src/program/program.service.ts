import type { AuthedContext } from "../context";
import { BadUserInputError, ConflictError, ForbiddenError, isUniqueViolation } from "../common/errors";
import { OrgLevel } from "../common/enums";
import { checkAuditReason, normalizeText } from "../common/text";
import { t } from "../i18n/i18n";
import { insertAudit } from "../audit/audit.writer";
import type { Indicator } from "../indicator/indicator.model";
import { SELECT_INDICATOR } from "../indicator/indicator.service";
import { checkIndicatorSettings, INDICATOR_CODE } from "../indicator/indicator.rules";
import type { Program } from "./program.model";
import type { CreateProgramInput } from "./program.inputs";

export const SELECT_PROGRAM = `g.id, g.code, g.name_vi AS "nameVi", g.name_en AS "nameEn"`;
const PROGRAM_CODE = /^[A-Z0-9_]{2,40}$/;

/** Normalized text; BAD_USER_INPUT naming the field when nothing is left. */
function text(value: string, field: string): string {
  const v = normalizeText(value);
  if (!v) throw new BadUserInputError(t("indicator:notEmpty", { field: field.replace(/^input\./, "") }), field);
  return v;
}

/**
 * Programs: read by everyone with a scope (like the catalog), created by the nation's admins only (row-level
 * security says the same: program_write and indicator_write need app_is_national()).
 */
export class ProgramService {
  static async list(ctx: AuthedContext): Promise<Program[]> {
    return ctx.db.query<Program>(`SELECT ${SELECT_PROGRAM} FROM program g ORDER BY g.id`);
  }

  static async byIds(ctx: AuthedContext, ids: readonly number[]): Promise<Program[]> {
    return ctx.db.query<Program>(`SELECT ${SELECT_PROGRAM} FROM program g WHERE g.id = ANY($1::int[])`, [[...ids]]);
  }

  static async indicatorsOf(ctx: AuthedContext, programIds: readonly number[]): Promise<Indicator[]> {
    return ctx.db.query<Indicator>(`SELECT ${SELECT_INDICATOR} FROM indicator i WHERE i.program_id = ANY($1::int[]) ORDER BY i.sort_order, i.code`, [
      [...programIds],
    ]);
  }

  /** A new program and its own catalog, in one statement, audited; all or nothing. */
  static async create(ctx: AuthedContext, input: CreateProgramInput): Promise<Program> {
    if (ctx.actor.unitLevel !== OrgLevel.NATION) {
      throw new ForbiddenError(t("program:national", { unit: ctx.actor.unitCode }));
    }
    const code = input.code.trim().toUpperCase();
    if (!PROGRAM_CODE.test(code)) throw new BadUserInputError(t("program:badCode", { code: input.code }), "input.code");
    const nameVi = text(input.nameVi, "input.nameVi");
    const nameEn = text(input.nameEn, "input.nameEn");
    const reason = checkAuditReason(input.reason);
    const indicators = (input.indicators ?? []).map((i, index) => {
      const field = `input.indicators.${index}`;
      const iCode = i.code.trim().toUpperCase();
      if (!INDICATOR_CODE.test(iCode)) throw new BadUserInputError(t("indicator:badCode", { code: i.code }), `${field}.code`);
      const problem = checkIndicatorSettings(i);
      if (problem) throw new BadUserInputError(problem.message, `${field}.${problem.field}`);
      return {
        code: iCode,
        name_vi: text(i.nameVi, `${field}.nameVi`),
        name_en: text(i.nameEn, `${field}.nameEn`),
        area: i.area,
        value_kind: i.valueKind,
        direction: i.direction,
        rollup_rule: i.rollupRule,
        reporting_level: i.reportingLevel,
        period_type: i.periodType,
        period_rule: i.periodRule,
        measured_on: text(i.measuredOn, `${field}.measuredOn`),
        sort_order: i.sortOrder ?? null,
        ord: index,
      };
    });
    const seen = new Map<string, number>();
    for (const [index, i] of indicators.entries()) {
      if (seen.has(i.code)) throw new BadUserInputError(t("program:indicatorTwice", { code: i.code }), `input.indicators.${index}.code`);
      seen.set(i.code, index);
    }
    const taken = await ctx.db.query<{ code: string }>(`SELECT code FROM indicator WHERE code = ANY($1::text[])`, [[...seen.keys()]]);
    if (taken[0]) {
      throw new ConflictError(t("indicator:codeTaken", { code: taken[0].code }), { field: `input.indicators.${seen.get(taken[0].code)}.code` });
    }
    try {
      const [row] = await ctx.db.query<Program>(
        `WITH g AS (
           INSERT INTO program (code, name_vi, name_en) VALUES ($1, $2, $3) RETURNING *
         ), x AS (
           SELECT * FROM jsonb_to_recordset($4::jsonb) AS x(code text, name_vi text, name_en text, area text, value_kind text,
                  direction text, rollup_rule text, reporting_level text, period_type text, period_rule text, measured_on text,
                  sort_order int, ord int)
         ), i AS (
           INSERT INTO indicator (program_id, code, name_vi, name_en, area, value_kind, direction, rollup_rule, reporting_level,
                                  period_type, period_rule, measured_on, sort_order)
           SELECT g.id, x.code, x.name_vi, x.name_en, x.area, x.value_kind, x.direction, x.rollup_rule, x.reporting_level,
                  x.period_type, x.period_rule, x.measured_on,
                  coalesce(x.sort_order, (SELECT coalesce(max(sort_order), 0) FROM indicator) + 1 + x.ord)
             FROM g, x
           RETURNING code
         ), a AS (
           ${insertAudit(
             {
               actor: "$5",
               action: "program.create",
               entity: "program",
               entityId: "g.code",
               unitPath: "NULL",
               newValue: "jsonb_build_object('code', g.code, 'nameVi', g.name_vi, 'nameEn', g.name_en, 'indicators', (SELECT coalesce(jsonb_agg(code ORDER BY code), '[]') FROM i))",
               reason: "$6",
               requestId: "$7",
             },
             "FROM g",
           )}
         )
         SELECT ${SELECT_PROGRAM} FROM g`,
        [code, nameVi, nameEn, JSON.stringify(indicators), ctx.actor.subject, reason, ctx.requestId],
      );
      return row!;
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(t("program:codeTaken", { code }), { field: "input.code" });
      throw error;
    }
  }
}

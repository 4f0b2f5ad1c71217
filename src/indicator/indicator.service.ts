import type { AuthedContext } from "../context";
import { NotFoundError } from "../common/errors";
import type { Area } from "../common/enums";
import type { Indicator } from "./indicator.model";

/** What a quantity target on indicator `i` counts (SQL): a ratio's numerator unit, a count's unit, none for yes/no. */
export const QUANTITY_UNIT = (i: string) =>
  `CASE ${i}.value_kind WHEN 'ratio' THEN ${i}.numerator_unit WHEN 'yes_no' THEN NULL ELSE ${i}.unit END`;

export const SELECT_INDICATOR = `i.id, i.program_id AS "programId", i.code, i.name_vi AS "nameVi", i.name_en AS "nameEn",
  i.area, i.value_kind AS "valueKind", i.direction, i.rollup_rule AS "rollupRule",
  i.reporting_level AS "reportingLevel", i.reporting_level_two_tier AS "reportingLevelTwoTier", i.period_type AS "periodType", i.period_rule AS "periodRule",
  i.measured_on AS "measuredOn", i.sort_order AS "sortOrder", i.unit, i.numerator_unit AS "numeratorUnit",
  ${QUANTITY_UNIT("i")} AS "quantityUnit", i.min_completeness::float8 AS "minCompleteness"`;

/** The indicator catalog: shared by every tenant, read-only for all but national admins. */
export class IndicatorService {
  static async list(ctx: AuthedContext, area?: Area): Promise<Indicator[]> {
    return ctx.db.query<Indicator>(
      `SELECT ${SELECT_INDICATOR} FROM indicator i WHERE ($1::text IS NULL OR i.area = $1) ORDER BY i.sort_order, i.code`,
      [area ?? null],
    );
  }

  static async byCode(ctx: AuthedContext, code: string): Promise<Indicator> {
    const rows = await ctx.db.query<Indicator>(`SELECT ${SELECT_INDICATOR} FROM indicator i WHERE i.code = $1`, [
      code.trim().toUpperCase(),
    ]);
    if (!rows[0]) throw new NotFoundError("Indicator", code);
    return rows[0];
  }

  static async byIds(ctx: AuthedContext, ids: readonly number[]): Promise<Indicator[]> {
    return ctx.db.query<Indicator>(`SELECT ${SELECT_INDICATOR} FROM indicator i WHERE i.id = ANY($1)`, [[...ids]]);
  }
}

import type { AuthedContext } from "../context";
import { BadUserInputError, NotFoundError } from "../common/errors";
import { escapeLike, toSearchText } from "../common/text";
import { inSubtreeOrAncestor } from "../auth/scope";
import type { OrgUnit } from "./org-unit.model";
import type { OrgUnitPage, OrgUnitSearchArgs } from "./org-unit.types";
import { decodeCursor, encodeCursor, type PageArgs } from "../common/pagination";

const CODE = /^[0-9A-Z]{2,5}$/;

/** Reads of the administrative tree, always within the caller's scope (subtree plus own ancestors). */
export class OrgUnitService {
  /** The current unit with this code, or NOT_FOUND (also when it is outside the caller's scope). */
  static async byCode(ctx: AuthedContext, code: string): Promise<OrgUnit> {
    const unit = await ctx.loaders.orgUnitByCode.load(OrgUnitService.checkCode(code));
    if (!unit) throw new NotFoundError("Org unit", code);
    return unit;
  }

  static checkCode(code: string, field = "code"): string {
    const normalized = code.trim().toUpperCase();
    if (!CODE.test(normalized)) {
      throw new BadUserInputError(`"${code}" is not a unit code: use a GSO code such as 22 or 193, or VN.`, field);
    }
    return normalized;
  }

  static async children(ctx: AuthedContext, unit: OrgUnit, page: PageArgs): Promise<OrgUnitPage> {
    return OrgUnitService.page(ctx, "u.parent_id = $2", [unit.id], page);
  }

  static async search(ctx: AuthedContext, args: OrgUnitSearchArgs): Promise<OrgUnitPage> {
    const under = args.under ? await OrgUnitService.byCode(ctx, args.under) : null;
    const text = toSearchText(args.text);
    if (!text) throw new BadUserInputError("Give some letters of the name to search for.", "text");
    const params: unknown[] = [`%${escapeLike(text)}%`, under?.path ?? ctx.actor.unitPath];
    let where = "u.name_search LIKE $2 AND u.path LIKE $3 || '%'";
    // $1 is the scope path (added by page()); shift our parameters after it
    if (args.level) {
      params.push(args.level);
      where += ` AND u.level = $${params.length + 1}`;
    }
    return OrgUnitService.page(ctx, where, params, args);
  }

  /** Ancestors from the nation down to the parent. One batched load however deep. */
  static async ancestors(ctx: AuthedContext, unit: OrgUnit): Promise<OrgUnit[]> {
    const ids = unit.path.split("/").filter(Boolean).map(Number).filter((id) => id !== unit.id);
    const units = await ctx.loaders.orgUnitById.loadMany(ids);
    return units.filter((u): u is OrgUnit => !!u && !(u instanceof Error));
  }

  static async byIds(ctx: AuthedContext, ids: readonly number[]): Promise<OrgUnit[]> {
    return ctx.db.query<OrgUnit>(
      `SELECT ${SELECT_UNIT} FROM org_unit u WHERE u.id = ANY($2) AND ${inSubtreeOrAncestor("u.path", "$1")}`,
      [ctx.actor.unitPath, [...ids]],
    );
  }

  static async byCodes(ctx: AuthedContext, codes: readonly string[]): Promise<OrgUnit[]> {
    return ctx.db.query<OrgUnit>(
      `SELECT DISTINCT ON (u.code) ${SELECT_UNIT} FROM org_unit u
        WHERE u.code = ANY($2) AND u.valid_to IS NULL AND ${inSubtreeOrAncestor("u.path", "$1")}
        ORDER BY u.code, u.valid_from DESC`,
      [ctx.actor.unitPath, [...codes]],
    );
  }

  /** Keyset pagination by code, with the total, in one statement. */
  private static async page(ctx: AuthedContext, where: string, params: unknown[], page: PageArgs): Promise<OrgUnitPage> {
    const all = [ctx.actor.unitPath, ...params];
    const after = page.after ? decodeCursor(page.after, CODE) : "";
    all.push(after, page.first + 1);
    const rows = await ctx.db.query<OrgUnit & { total_count: string }>(
      `SELECT ${SELECT_UNIT}, count(*) OVER () AS total_count FROM (
         SELECT * FROM org_unit u WHERE ${where} AND u.valid_to IS NULL AND ${inSubtreeOrAncestor("u.path", "$1")}
       ) u
       ORDER BY (u.code > $${all.length - 1}) DESC, u.code
       LIMIT $${all.length}`,
      all,
    );
    // count(*) OVER () counts every match; rows at or before the cursor sort last and are cut off
    const nodes = rows.filter((r) => r.code > after).slice(0, page.first);
    const remaining = rows.filter((r) => r.code > after).length;
    const last = nodes[nodes.length - 1];
    return {
      nodes,
      totalCount: rows.length > 0 ? Number(rows[0]!.total_count) : 0,
      hasNextPage: remaining > page.first,
      endCursor: last ? encodeCursor(last.code) : null,
    };
  }
}

/** Columns of org_unit under the entity's property names (for raw queries). */
export const SELECT_UNIT = `u.id, u.code, u.name, u.name_search AS "nameSearch", u.level, u.unit_type AS "type",
  u.parent_id AS "parentId", u.path, u.depth, u.province_id AS "provinceId", u.district_id AS "districtId",
  to_char(u.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(u.valid_to, 'YYYY-MM-DD') AS "validTo"`;

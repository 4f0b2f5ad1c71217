import type { AuthedContext } from "../context";
import { BadUserInputError, NotFoundError, UnitNotOnDateError } from "../common/errors";
import { escapeLike, toSearchText } from "../common/text";
import { checkDate, today } from "../common/date.scalar";
import { t } from "../i18n/i18n";
import { dayBefore } from "./org-unit.reform.rules";
import { inSubtreeOrAncestor } from "../auth/scope";
import type { OrgUnit } from "./org-unit.model";
import type { FormerName, OrgUnitPage, OrgUnitSearchArgs, UnitSuccession } from "./org-unit.types";
import { decodeCursor, encodeCursor, type PageArgs } from "../common/pagination";

const CODE = /^[0-9A-Z]{2,5}$/;

/** A unit valid on the date held by parameter `d` (validity is [valid_from, valid_to)). */
export const validOn = (alias: string, d: string) =>
  `${alias}.valid_from <= ${d}::date AND (${alias}.valid_to IS NULL OR ${alias}.valid_to > ${d}::date)`;

/** The key of a unit look-up by code on a date (orgUnitByCode's loader). */
export const codeOn = (code: string, asOf: string) => `${code}@${asOf}`;

/**
 * Reads of the administrative tree, always within the caller's scope (its subtree on every date, plus its
 * own ancestors). A unit is a code on a date: every look-up resolves the unit the code named that day.
 */
export class OrgUnitService {
  /** The unit the code names on `asOf` (default today), or NOT_FOUND saying when the code did name one. */
  static async byCode(ctx: AuthedContext, code: string, asOf?: string | null, field = "code"): Promise<OrgUnit> {
    const normalized = OrgUnitService.checkCode(code, field);
    const date = checkDate(asOf, "asOf");
    const unit = await ctx.loaders.orgUnitByCode.load(codeOn(normalized, date));
    if (!unit) throw await OrgUnitService.notFound(ctx, normalized, date);
    return unit;
  }

  static checkCode(code: string, field = "code"): string {
    const normalized = code.trim().toUpperCase();
    if (!CODE.test(normalized)) {
      throw new BadUserInputError(t("orgUnit:badCode", { code }), field);
    }
    return normalized;
  }

  /** NOT_FOUND for a code on a date, naming the dates on which the code named a unit the caller may see. */
  private static async notFound(ctx: AuthedContext, code: string, date: string): Promise<NotFoundError | UnitNotOnDateError> {
    const spans = await ctx.db.query<{ name: string; validFrom: string; validTo: string | null }>(
      `SELECT u.name, to_char(u.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(u.valid_to, 'YYYY-MM-DD') AS "validTo"
         FROM org_unit u WHERE u.code = $2 AND ${inSubtreeOrAncestor("u.path", "$1")} ORDER BY u.valid_from`,
      [ctx.actor.scopePaths, code],
    );
    return spans.length === 0 ? new NotFoundError("Org unit", code) : new UnitNotOnDateError(code, date, spans);
  }

  /** A page of a unit's children on a date; the pages of many units (children of children) load in one statement. */
  static async children(ctx: AuthedContext, unit: OrgUnit, page: PageArgs, asOf?: string | null): Promise<OrgUnitPage> {
    const date = checkDate(asOf, "asOf", () => unit.asOf);
    const after = page.after ? decodeCursor(page.after, CURSOR) : "";
    return ctx.loaders.childrenPage.load(childrenKey({ parentId: unit.id, asOf: date, first: page.first, after }));
  }

  /** The children pages of many (parent, date, first, after) keys in one statement (childrenPage's loader). */
  static async childrenPages(ctx: AuthedContext, keys: readonly string[]): Promise<OrgUnitPage[]> {
    const wanted = keys.map((k) => JSON.parse(k) as ChildrenKey);
    const rows = await ctx.db.query<OrgUnit & { ord: string; total_count: string; sort_key: string }>(
      `SELECT k.ord, x.* FROM unnest($2::int[], $3::date[], $4::text[], $5::int[]) WITH ORDINALITY AS k(parent_id, on_date, after, lim, ord)
       CROSS JOIN LATERAL (
         SELECT ${SELECT_UNIT}, to_char(k.on_date, 'YYYY-MM-DD') AS "asOf", u.sort_key, count(*) OVER () AS total_count FROM (
           SELECT u.*, u.code || '|' || to_char(u.valid_from, 'YYYY-MM-DD') AS sort_key
             FROM org_unit u
            WHERE u.parent_id = k.parent_id AND ${validOn("u", "k.on_date")} AND ${inSubtreeOrAncestor("u.path", "$1")}
         ) u
         ORDER BY (u.sort_key > k.after) DESC, u.sort_key
         LIMIT k.lim
       ) x`,
      [ctx.actor.scopePaths, wanted.map((k) => k.parentId), wanted.map((k) => k.asOf), wanted.map((k) => k.after), wanted.map((k) => k.first + 1)],
    );
    const byOrd = new Map<number, typeof rows>();
    for (const r of rows) byOrd.set(Number(r.ord), [...(byOrd.get(Number(r.ord)) ?? []), r]);
    return wanted.map((k, i) => toPage(byOrd.get(i + 1) ?? [], k.first, k.after));
  }

  static async search(ctx: AuthedContext, args: OrgUnitSearchArgs): Promise<OrgUnitPage> {
    const date = checkDate(args.asOf, "asOf");
    const under = args.under ? await OrgUnitService.byCode(ctx, args.under, date, "under") : null;
    const text = toSearchText(args.text);
    if (!text) throw new BadUserInputError(t("orgUnit:searchEmpty"), "text");
    // $1 is the scope (added by page()); ours follow it. Every parameter must be referenced (PostgreSQL cannot
    // type an unused one), so the date is a parameter only where it filters.
    const params: unknown[] = [`%${escapeLike(text)}%`, under?.path ?? null];
    let where = `($3::text IS NULL OR u.path LIKE $3 || '%')`;
    if (args.includeHistorical) {
      if (under) {
        // below `under` on any date: also below the earlier units that became part of it (old Kiên Giang's under the
        // new An Giang), as a token of `under` reaches them; computed once (an uncorrelated subquery)
        params.push(under.id);
        where = `(u.path LIKE $3 || '%' OR EXISTS (SELECT 1 FROM unnest((SELECT auth_scope_paths($${params.length + 1}::int))) AS e(p) WHERE u.path LIKE e.p || '%'))`;
      }
      where += ` AND (u.name_search LIKE $2 OR EXISTS (SELECT 1 FROM org_unit_name h WHERE h.unit_id = u.id AND h.name_search LIKE $2))`;
    } else {
      params.push(date);
      where += ` AND u.name_search LIKE $2 AND ${validOn("u", `$${params.length + 1}`)}`;
    }
    if (args.level) {
      params.push(args.level);
      where += ` AND u.level = $${params.length + 1}`;
    }
    return OrgUnitService.page(ctx, where, params, args, date);
  }

  /** Ancestors from the nation down to the parent (the versions its path names), on the unit's date. One batched load however deep. */
  static async ancestors(ctx: AuthedContext, unit: OrgUnit): Promise<OrgUnit[]> {
    const ids = unit.path.split("/").filter(Boolean).map(Number).filter((id) => id !== unit.id);
    const units = await ctx.loaders.orgUnitById.loadMany(ids);
    return units.filter((u): u is OrgUnit => !!u && !(u instanceof Error)).map((u) => onDateOf(u, unit.asOf));
  }

  /** A unit above another (parent, province, district), reached on the other's date: its children are those of that day. */
  static async relativeOn(ctx: AuthedContext, id: number, asOf: string): Promise<OrgUnit | null> {
    const unit = await ctx.loaders.orgUnitById.load(id);
    return unit ? onDateOf(unit, asOf) : null;
  }

  /** Units by id, each reached at today's date or, if it no longer exists, at its last day. */
  static async byIds(ctx: AuthedContext, ids: readonly number[]): Promise<OrgUnit[]> {
    return ctx.db.query<OrgUnit>(
      `SELECT ${SELECT_UNIT}, ${AS_OF_CLAMPED("$3")} FROM org_unit u WHERE u.id = ANY($2) AND ${inSubtreeOrAncestor("u.path", "$1")}`,
      [ctx.actor.scopePaths, [...ids], today()],
    );
  }

  /** Units by `code@date` keys (codeOn): the unit each code names on its date. */
  static async byCodesOn(ctx: AuthedContext, keys: readonly string[]): Promise<Array<OrgUnit & { key: string }>> {
    const pairs = keys.map((k) => k.split("@") as [string, string]);
    return ctx.db.query<OrgUnit & { key: string }>(
      `SELECT ${SELECT_UNIT}, to_char(k.on_date, 'YYYY-MM-DD') AS "asOf", k.code || '@' || to_char(k.on_date, 'YYYY-MM-DD') AS key
         FROM unnest($2::text[], $3::date[]) AS k(code, on_date)
         JOIN org_unit u ON u.code = k.code AND ${validOn("u", "k.on_date")}
        WHERE ${inSubtreeOrAncestor("u.path", "$1")}`,
      [ctx.actor.scopePaths, pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
  }

  /** The successions of units, from the old side (successors) or the new side (predecessors). */
  static async successions(
    ctx: AuthedContext,
    unitIds: readonly number[],
    side: "successors" | "predecessors",
  ): Promise<Array<UnitSuccession & { fromId: number }>> {
    const [mine, other] = side === "successors" ? ["predecessor_id", "successor_id"] : ["successor_id", "predecessor_id"];
    const rows = await ctx.db.query<OrgUnit & { fromId: number; relation: string; on: string; verification: string }>(
      // the links of the units asked first (by index), then their other ends by id: left to itself, the planner
      // misjudges the row-level security filters and walks every unit looking for links (4x slower at 50 units)
      `WITH s AS MATERIALIZED (SELECT * FROM org_unit_succession s WHERE s.${mine} = ANY($2::int[]))
       SELECT s.${mine} AS "fromId", upper(s.relation) AS relation, to_char(s.effective_on, 'YYYY-MM-DD') AS "on", s.verification,
              ${SELECT_UNIT}, ${AS_OF_CLAMPED("$3")}
         FROM s JOIN org_unit u ON u.id = s.${other}
        WHERE ${inSubtreeOrAncestor("u.path", "$1")}
        ORDER BY u.code`,
      [ctx.actor.scopePaths, [...unitIds], today()],
    );
    return rows.map(({ fromId, relation, on, verification, ...unit }) => ({
      fromId,
      relation: relation as UnitSuccession["relation"],
      on,
      verification,
      unit: unit as OrgUnit,
    }));
  }

  static async formerNames(ctx: AuthedContext, unitIds: readonly number[]): Promise<Array<FormerName & { unitId: number }>> {
    return ctx.db.query<FormerName & { unitId: number }>(
      `SELECT h.unit_id AS "unitId", h.name, h.unit_type AS type,
              to_char(h.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(h.valid_to, 'YYYY-MM-DD') AS "validTo"
         FROM org_unit_name h WHERE h.unit_id = ANY($2::int[]) AND ${inSubtreeOrAncestor("h.unit_path", "$1")}
        ORDER BY h.valid_from`,
      [ctx.actor.scopePaths, [...unitIds]],
    );
  }

  /** Keyset pagination by (code, validFrom), with the total, in one statement. */
  private static async page(
    ctx: AuthedContext,
    where: string,
    params: unknown[],
    page: PageArgs,
    asOf: string,
  ): Promise<OrgUnitPage> {
    const all: unknown[] = [ctx.actor.scopePaths, ...params];
    const after = page.after ? decodeCursor(page.after, CURSOR) : "";
    all.push(after, page.first + 1, asOf);
    const n = all.length;
    const rows = await ctx.db.query<OrgUnit & { total_count: string; sort_key: string }>(
      `SELECT ${SELECT_UNIT}, ${AS_OF_CLAMPED(`$${n}`)}, u.sort_key, count(*) OVER () AS total_count FROM (
         SELECT u.*, u.code || '|' || to_char(u.valid_from, 'YYYY-MM-DD') AS sort_key
           FROM org_unit u WHERE ${where} AND ${inSubtreeOrAncestor("u.path", "$1")}
       ) u
       ORDER BY (u.sort_key > $${n - 2}) DESC, u.sort_key
       LIMIT $${n - 1}`,
      all,
    );
    return toPage(rows, page.first, after);
  }
}

interface ChildrenKey {
  parentId: number;
  asOf: string;
  first: number;
  after: string;
}
const childrenKey = (k: ChildrenKey) => JSON.stringify(k);

/** A page from rows ordered by sort_key, at most `first` + 1 of them past the cursor, each with the total. */
function toPage(rows: Array<OrgUnit & { total_count: string; sort_key: string; ord?: string }>, first: number, after: string): OrgUnitPage {
  // count(*) OVER () counts every match; rows at or before the cursor sort last and are cut off
  const fresh = rows.filter((r) => r.sort_key > after);
  const nodes = fresh.slice(0, first).map(({ sort_key: _k, total_count: _t, ord: _o, ...unit }) => unit as OrgUnit);
  const last = fresh[Math.min(fresh.length, first) - 1];
  return {
    nodes,
    totalCount: rows.length > 0 ? Number(rows[0]!.total_count) : 0,
    hasNextPage: fresh.length > first,
    endCursor: last ? encodeCursor(last.sort_key) : null,
  };
}

/** The unit reached on `date`, or on the nearest day of its validity (as AS_OF_CLAMPED does in SQL). */
function onDateOf(unit: OrgUnit, date: string): OrgUnit {
  let asOf = date < unit.validFrom ? unit.validFrom : date;
  if (unit.validTo && asOf >= unit.validTo) asOf = dayBefore(unit.validTo);
  return asOf === unit.asOf ? unit : { ...unit, asOf };
}

const CURSOR = /^[0-9A-Z]{2,5}\|\d{4}-\d{2}-\d{2}$/;

/** The unit's asOf: the given date, or the nearest day of the unit's validity to it. */
const AS_OF_CLAMPED = (d: string) =>
  `to_char(CASE WHEN ${d}::date < u.valid_from THEN u.valid_from
                WHEN u.valid_to IS NOT NULL AND ${d}::date >= u.valid_to THEN u.valid_to - 1
                ELSE ${d}::date END, 'YYYY-MM-DD') AS "asOf"`;

/** Columns of org_unit under the entity's property names (for raw queries). */
export const SELECT_UNIT = `u.id, u.code, u.name, u.name_search AS "nameSearch", u.level, u.unit_type AS "type",
  u.parent_id AS "parentId", u.path, u.depth, u.province_id AS "provinceId", u.district_id AS "districtId",
  to_char(u.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(u.valid_to, 'YYYY-MM-DD') AS "validTo"`;

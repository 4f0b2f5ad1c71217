import type { AuthedContext } from "../context";
import { TARGETS_VERSION_COLUMN, type TargetsVersionRead } from "../target/effective-target.cache";
import { BadUserInputError, NotFoundError } from "../common/errors";
import { t } from "../i18n/i18n";
import type { Period } from "../common/period";
import type { Indicator } from "../indicator/indicator.model";
import { SELECT_INDICATOR } from "../indicator/indicator.service";
import type { OrgUnit } from "../org-unit/org-unit.model";
import { SELECT_UNIT, validOn } from "../org-unit/org-unit.service";
import { inSubtree } from "../auth/scope";
import { candidatesWithPreviousYear, RestatedFigures, treeParts, type SourceLink, type TreePart } from "./rollup.restate.rules";

export interface RestateLoaded {
  /** the unit asked (ord 0) and its children (ord 1), on the tree of asOf */
  units: Array<OrgUnit & { ord: number }>;
  indicators: Indicator[];
  /** the units of earlier trees the figures come from or leave out, by id (the page's units among them) */
  sources: Map<number, OrgUnit>;
  figures: RestatedFigures;
  /** the same from the summaries of approved data only (report_summary_approved): approved shares, approvedOnly */
  approvedFigures: RestatedFigures;
  /** the targets version in the statement's snapshot: the targets cache needs no statement of its own when it holds the page */
  targetsVersion: TargetsVersionRead;
}

type Row = {
  units: Array<OrgUnit & { ord: number }> | null;
  indicators: Indicator[] | null;
  parts: Array<[string, string]> | null;
  links: Array<[number, string, number, boolean]> | null;
  sources: OrgUnit[] | null;
  summaries: Array<[number, number, string, string, string, string, number, number]> | null;
  approved: Array<[number, number, string, string, string, string, number, number]> | null;
  counts: Array<[number, string, string, number]> | null;
  changes: string[] | null;
  reform: string | null;
  targets_version: [number | string, boolean];
};

/** The unit reached at a date, clamped to its validity (as org-unit.service's AS_OF_CLAMPED). */
const AS_OF = (d: string) =>
  `to_char(CASE WHEN ${d}::date < u.valid_from THEN u.valid_from
                WHEN u.valid_to IS NOT NULL AND ${d}::date >= u.valid_to THEN u.valid_to - 1
                ELSE ${d}::date END, 'YYYY-MM-DD') AS "asOf"`;

/**
 * ONE statement loads a roll-up page on the tree of asOf, restated where the period was reported on other
 * trees: the unit and its children; the indicators; the days the tree changed (the spans of the nation's unit
 * counts); the period's tree parts; for every page unit and part, its sources (itself, and the units that went
 * into it, found by walking the successions back from it: a handful per unit, never a scan); their maintained
 * summaries of the part (report_summary, never the reports) and their unit counts on the part's tree
 * (org_unit_count). The same for the year before (yearly change). Row-level security applies throughout: a
 * province sees the earlier units that became part of it (its scope's earlier paths), nothing else.
 */
export class RestateService {
  /** `withApproved`: also the approved data's summaries (approvedOnly, or an approved share asked); else approvedFigures is empty. */
  static async load(ctx: AuthedContext, unitCode: string, period: Period, codes: string[] | null, asOf: string, withApproved = true): Promise<RestateLoaded> {
    const wanted = codes ? [...new Set(codes.map((c) => c.trim().toUpperCase()))] : null;
    const candidates = candidatesWithPreviousYear(period);
    const earliest = candidates.reduce((d, c) => (c.from < d ? c.from : d), period.start);
    const [row] = await ctx.db.query<Row>(
      `WITH RECURSIVE root AS (
         SELECT u.* FROM org_unit u
          WHERE u.code = $2 AND ${validOn("u", "$4")} AND ${inSubtree("u.path", "$1")}
       ), units AS (
         SELECT r.*, 0 AS ord FROM root r
         UNION ALL
         SELECT c.*, 1 AS ord FROM org_unit c JOIN root r ON c.parent_id = r.id WHERE ${validOn("c", "$4")}
       ), ind AS (
         SELECT i.* FROM indicator i WHERE $3::text[] IS NULL OR i.code = ANY($3::text[])
       ), cand AS (
         SELECT * FROM unnest($5::text[], $6::text[], $7::date[], $8::date[], $9::boolean[]) AS c(which, code, c_from, c_to, whole)
       ), changes AS (
         -- every day a unit opens or closes starts a span of the unit counts, and the nation has a row in each
         SELECT c.valid_from AS day FROM root r
           JOIN org_unit_count c ON c.unit_id = split_part(r.path, '/', 2)::int AND c.level = 'nation'
       ), clean AS (
         -- the candidates no change cuts (a quarter is never cut: its reports are on the tree of its end)
         SELECT x.* FROM cand x
          WHERE x.code ~ '-Q' OR NOT EXISTS (SELECT 1 FROM changes ch WHERE ch.day > x.c_from AND ch.day <= x.c_to)
       ), parts AS (
         SELECT x.which, x.code, x.c_from, x.c_to, false AS whole FROM clean x
          WHERE NOT EXISTS (SELECT 1 FROM clean y WHERE y.which = x.which AND y.code <> x.code AND y.c_from <= x.c_from AND y.c_to >= x.c_to)
         UNION ALL
         SELECT x.which, x.code, x.c_from, x.c_to, true FROM cand x
          WHERE x.whole AND NOT EXISTS (SELECT 1 FROM clean y WHERE y.code = x.code)
       ), walk(unit_id, src_id, whole) AS (
         -- each page unit, then back through its predecessors (only those that lived after the earliest period began)
         SELECT u.id, u.id, true FROM units u
         UNION
         -- (a lateral look-up per unit: left to itself the planner hashes the whole succession table at every step)
         SELECT w.unit_id, s.predecessor_id, w.whole AND s.relation = 'full'
           FROM walk w
           CROSS JOIN LATERAL (
             SELECT s.predecessor_id, s.relation FROM org_unit_succession s JOIN org_unit p ON p.id = s.predecessor_id
              WHERE s.successor_id = w.src_id AND p.valid_to > $10::date OFFSET 0) s
       ), src AS (
         -- per page unit and part: the units of the part's tree it was made of (all of them, or part: left out)
         SELECT w.unit_id, pt.code AS part_code, pt.c_to AS count_on, o.id AS src_id, o.path, bool_and(w.whole) AS whole
           FROM walk w
           JOIN org_unit o ON o.id = w.src_id
           JOIN parts pt ON o.valid_from <= pt.c_to AND (o.valid_to IS NULL OR o.valid_to > pt.c_from)
          GROUP BY 1, 2, 3, 4, 5
       ), src_top AS (
         -- not one held by another source of the same unit and part (its figures are in that one's summary)
         SELECT s.* FROM src s
          WHERE NOT EXISTS (SELECT 1 FROM src t WHERE t.unit_id = s.unit_id AND t.part_code = s.part_code AND t.src_id <> s.src_id
                                                   AND s.path LIKE t.path || '%' AND (t.whole OR NOT s.whole))
       ), needed AS (
         SELECT DISTINCT src_id, part_code, count_on FROM src_top
       )
       SELECT
         (SELECT json_agg(x ORDER BY x.ord, x.code) FROM (SELECT ${SELECT_UNIT}, $4 AS "asOf", u.ord FROM units u) x) AS units,
         (SELECT json_agg(x ORDER BY x."sortOrder", x.code) FROM (SELECT ${SELECT_INDICATOR} FROM ind i) x) AS indicators,
         (SELECT json_agg(json_build_array(p.which, p.code) ORDER BY p.which, p.c_from, p.whole) FROM parts p) AS parts,
         (SELECT json_agg(json_build_array(s.unit_id, s.part_code, s.src_id, s.whole) ORDER BY s.unit_id, s.part_code, s.src_id) FROM src_top s) AS links,
         (SELECT json_agg(x ORDER BY x.code, x."validFrom") FROM (
            SELECT ${SELECT_UNIT}, ${AS_OF("$11")} FROM org_unit u
             WHERE u.id IN (SELECT src_id FROM src_top) AND u.id NOT IN (SELECT id FROM units)) x) AS sources,
         (SELECT json_agg(json_build_array(s.unit_id, s.indicator_id, s.period_code, s.value_sum, s.numerator_sum,
                                           s.denominator_sum, s.units_reported, s.units_meeting)
                          ORDER BY s.unit_id, s.indicator_id, s.period_code)
            FROM needed k
            JOIN parts pt ON pt.code = k.part_code
            -- the year before only for yearly change; a period read whole only for reports longer than a quarter
            JOIN ind i ON (pt.which = 'cur' OR i.rollup_rule = 'yearly_change') AND (NOT pt.whole OR i.period_type <> 'quarter')
            JOIN report_summary s ON s.unit_id = k.src_id AND s.indicator_id = i.id AND s.period_code = k.part_code) AS summaries,
         -- the same of approved data only (report_summary_approved, src/report/report.approval.summary.ts)
         (SELECT json_agg(json_build_array(s.unit_id, s.indicator_id, s.period_code, s.value_sum, s.numerator_sum,
                                           s.denominator_sum, s.units_reported, s.units_meeting)
                          ORDER BY s.unit_id, s.indicator_id, s.period_code)
            FROM needed k
            JOIN parts pt ON pt.code = k.part_code
            JOIN ind i ON (pt.which = 'cur' OR i.rollup_rule = 'yearly_change') AND (NOT pt.whole OR i.period_type <> 'quarter')
            JOIN report_summary_approved s ON s.unit_id = k.src_id AND s.indicator_id = i.id AND s.period_code = k.part_code
           WHERE $12::boolean) AS approved,
         (SELECT json_agg(json_build_array(k.src_id, k.part_code, c.level, c.n) ORDER BY k.src_id, k.part_code, c.level)
            FROM needed k JOIN org_unit_count c ON c.unit_id = k.src_id AND ${validOn("c", "k.count_on")}) AS counts,
         (SELECT json_agg(to_char(ch.day, 'YYYY-MM-DD') ORDER BY ch.day) FROM changes ch) AS changes,
         -- an asOf before the period's end: the first day the asked unit's subtree changed in between, if any
         (SELECT to_char(min(b.day), 'YYYY-MM-DD') FROM root r
            JOIN org_unit d ON d.path LIKE r.path || '%'
            CROSS JOIN LATERAL (VALUES (d.valid_from), (d.valid_to)) AS b(day)
           WHERE $4::date < $11::date AND b.day > $4::date AND b.day <= $11::date) AS reform,
         ${TARGETS_VERSION_COLUMN} AS targets_version`,
      [
        ctx.actor.scopePaths,
        unitCode,
        wanted,
        asOf,
        candidates.map((c) => c.which),
        candidates.map((c) => c.code),
        candidates.map((c) => c.from),
        candidates.map((c) => c.to),
        candidates.map((c) => c.whole),
        earliest,
        period.end,
        withApproved,
      ],
      { prepare: true }, // every page's statement: parsed once per connection, its plan kept
    );
    const indicators = row?.indicators ?? [];
    if (wanted) {
      const found = new Set(indicators.map((i) => i.code));
      const missing = wanted.find((c) => !found.has(c));
      if (missing) throw new NotFoundError("Indicator", missing);
    }
    const units = row?.units ?? [];
    if (row?.reform) {
      throw new BadUserInputError(
        t("rollup:asOfBeforeReform", { asOf, period: period.code, unit: units[0]?.code ?? unitCode, changedOn: row.reform }),
        "asOf",
        { changedOn: row.reform },
      );
    }
    const changes = row?.changes ?? [];
    // the parts the statement read are those the rules give for these change days (one definition, checked)
    const parts: TreePart[] = treeParts(candidates, changes);
    const read = (row?.parts ?? []).map(([which, code]) => `${which}:${code}`).join(",");
    if (read !== parts.map((p) => `${p.which}:${p.code}`).join(",")) {
      throw new Error(`Restating read parts ${read}, the rules give ${parts.map((p) => `${p.which}:${p.code}`).join(",")}`);
    }
    const links: SourceLink[] = (row?.links ?? []).map(([unitId, partCode, srcId, whole]) => ({ unitId, partCode, srcId, whole }));
    const sources = new Map<number, OrgUnit>();
    for (const u of [...(row?.sources ?? []), ...units]) sources.set(u.id, u);
    const figures = new RestatedFigures(parts, links, row?.summaries ?? [], row?.counts ?? [], asOf, changes);
    return {
      units,
      indicators,
      sources,
      figures,
      approvedFigures: figures.withSummaries(row?.approved ?? []),
      targetsVersion: { version: Number(row!.targets_version[0]), written: row!.targets_version[1] },
    };
  }
}

import { inSubtreeOrAncestor } from "../auth/scope";
import type { AuthedContext } from "../context";
import type { Direction, FrequencyInterval, TargetKind } from "../common/enums";
import type { EffectiveTarget, TargetValue } from "./target.model";

/** One row of the resolution query: the effective target (rn 1) or its parent (rn 2) of a key and indicator. */
interface HitRow {
  row_kind: "u" | "t";
  start_plan_id: string;
  key: string;
  unit_id: number;
  unit_code: string;
  own_plan_id: string | null;
  indicator_id: number;
  indicator_code: string;
  direction: Direction;
  rn: string;
  kind: TargetKind;
  share: string | null;
  count: number | null;
  frequency_interval: FrequencyInterval | null;
  change_low: string | null;
  change_high: string | null;
  deadline: string | null;
  source_plan_id: string;
  source_document: string | null;
  source_unit_id: number;
  source_unit_code: string;
  unit_count: string | null;
}

/**
 * How many current units of `level` lie under the unit (itself excluded): a lookup in org_unit_count, which
 * counts the whole tree (readable for visible units, so a count does not shrink to the caller's subtree).
 */
export const UNITS_AT_LEVEL = (unitId: string, level: string, periodStart: string, periodEnd: string) =>
  // the latest span of the tree within the period on which the unit held units of that level: a 2021-2025
  // plan counts its districts as they were before the reform, not the none of 31/12/2025
  `COALESCE((SELECT c.n FROM org_unit_count c JOIN org_unit cu ON cu.id = c.unit_id
              WHERE c.unit_id = ${unitId} AND c.level = ${level} AND cu.level <> ${level}
                AND c.valid_from <= ${periodEnd}::date AND (c.valid_to IS NULL OR c.valid_to > ${periodStart}::date)
              ORDER BY c.valid_from DESC LIMIT 1), 0)`;

const num = (v: string | null) => (v === null || v === undefined ? null : Number(v));

/** The value columns of `target t` as a TargetValue (numerics come back as strings). */
export function valueOfRow(row: {
  kind: TargetKind;
  share: string | number | null;
  count: number | null;
  frequency_interval: FrequencyInterval | null;
  change_low: string | number | null;
  change_high: string | number | null;
  deadline: string | null;
}): TargetValue {
  const n = (v: string | number | null) => (v === null || v === undefined ? null : Number(v));
  return {
    kind: row.kind,
    share: n(row.share),
    count: row.count ?? null,
    frequencyInterval: row.frequency_interval ?? null,
    changeLow: n(row.change_low),
    changeHigh: n(row.change_high),
    deadline: row.deadline ?? null,
  };
}

/**
 * The shared tail of the resolution: from `start(key, unit_id, start_plan_id, own_plan_id)`, walk each
 * distinct start plan up its parent plans (recursive CTE), keep for every (start, indicator) the nearest
 * target (rn 1, the effective one) and the next one above it (rn 2, its parent's), in ONE statement.
 */
function resolutionSql(startCte: string, indicatorParam: string): string {
  return `WITH RECURSIVE
  ${startCte},
  starts AS (SELECT DISTINCT start_plan_id FROM start),
  chain AS (
    SELECT s.start_plan_id, p.id AS plan_id, p.parent_plan_id, 0 AS depth
      FROM starts s JOIN plan p ON p.id = s.start_plan_id
    UNION ALL
    SELECT c.start_plan_id, p.id, p.parent_plan_id, c.depth + 1
      FROM chain c JOIN plan p ON p.id = c.parent_plan_id
     WHERE c.depth < 32
  ),
  hits AS (
    SELECT c.start_plan_id, c.plan_id, t.indicator_id, t.kind, t.share, t.count, t.frequency_interval,
           t.change_low, t.change_high, to_char(t.deadline, 'YYYY-MM-DD') AS deadline,
           row_number() OVER (PARTITION BY c.start_plan_id, t.indicator_id ORDER BY c.depth) AS rn
      FROM chain c JOIN target t ON t.plan_id = c.plan_id
     WHERE (${indicatorParam}::int[] IS NULL OR t.indicator_id = ANY(${indicatorParam}::int[]))
  ),
  top2 AS (
    -- mixed: the effective target and its parent differ in count-vs-share, so they meet through a unit count
    SELECT h.*, sp.document_number AS source_document, su.id AS source_unit_id, su.code AS source_unit_code,
           su.path AS source_unit_path, sp.period_start AS source_start, sp.period_end AS source_end, i.code AS indicator_code, i.direction, i.reporting_level,
           bool_or(h.kind LIKE 'count%') OVER w <> bool_and(h.kind LIKE 'count%') OVER w AS mixed
      FROM hits h
      JOIN plan sp ON sp.id = h.plan_id
      JOIN org_unit su ON su.id = sp.unit_id
      JOIN indicator i ON i.id = h.indicator_id
     WHERE h.rn <= 2
    WINDOW w AS (PARTITION BY h.start_plan_id, h.indicator_id)
  ),
  counted AS (
    -- units at the reporting level under the source plan's unit: needed only where a count meets a share
    SELECT a.*, CASE WHEN a.rn = 1 AND a.mixed
           THEN ${UNITS_AT_LEVEL("a.source_unit_id", "a.reporting_level", "a.source_start", "a.source_end")}
           END AS unit_count
      FROM top2 a
  )
  -- one row per requested key ('u') and one per target of each distinct start plan ('t'): the fan-out of
  -- start plans to units happens in assemble(), so the result stays narrow however many units share a plan
  SELECT 'u' AS row_kind, s.key, s.unit_id, u.code AS unit_code, s.own_plan_id, s.start_plan_id,
         NULL AS indicator_id, NULL AS indicator_code, NULL AS direction, NULL AS rn, NULL AS kind, NULL AS share,
         NULL AS count, NULL AS frequency_interval, NULL AS change_low, NULL AS change_high, NULL AS deadline,
         NULL AS source_plan_id, NULL AS source_document, NULL AS source_unit_id, NULL AS source_unit_code, NULL AS unit_count
    FROM start s JOIN org_unit u ON u.id = s.unit_id
  UNION ALL
  SELECT 't', NULL, NULL, NULL, NULL, c.start_plan_id,
         c.indicator_id, c.indicator_code, c.direction, c.rn, c.kind, c.share,
         c.count, c.frequency_interval, c.change_low, c.change_high, c.deadline,
         c.plan_id, c.source_document, c.source_unit_id, c.source_unit_code, c.unit_count
    FROM counted c
   ORDER BY row_kind, key, indicator_id, rn`; // 't' rows sort first
}

function assemble(rows: HitRow[]): Map<string, EffectiveTarget> {
  // value and parent are made once per target found and shared by every unit that inherits it
  type Found = { hit: HitRow; value: TargetValue; parent: EffectiveTarget["parent"] };
  const toParent = (p: HitRow): EffectiveTarget["parent"] => ({
    value: valueOfRow(p),
    planId: p.source_plan_id,
    planDocument: p.source_document,
    unitId: p.source_unit_id,
    unitCode: p.source_unit_code,
  });
  const byStart = new Map<string, Found[]>();
  const map = new Map<string, EffectiveTarget>();
  for (const r of rows) {
    if (r.row_kind === "t") {
      const list = byStart.get(r.start_plan_id) ?? [];
      if (Number(r.rn) === 1) list.push({ hit: r, value: valueOfRow(r), parent: null });
      else if (list.length > 0 && list[list.length - 1]!.hit.indicator_id === r.indicator_id) list[list.length - 1]!.parent = toParent(r);
      byStart.set(r.start_plan_id, list);
      continue;
    }
    for (const { hit, value, parent } of byStart.get(r.start_plan_id) ?? []) {
      map.set(`${r.key}:${hit.indicator_id}`, {
        unitId: r.unit_id,
        indicatorId: hit.indicator_id,
        value,
        inherited: r.own_plan_id !== hit.source_plan_id,
        sourcePlanId: hit.source_plan_id,
        sourcePlanDocument: hit.source_document,
        sourceUnitId: hit.source_unit_id,
        sourceUnitCode: hit.source_unit_code,
        planId: r.own_plan_id,
        unitCode: r.unit_code,
        indicatorCode: hit.indicator_code,
        direction: hit.direction,
        parent,
        unitCount: num(hit.unit_count),
      });
    }
  }
  return map;
}

/**
 * Effective targets: a plan's own target for an indicator, else the nearest one up its chain of parent
 * plans (district plan → province plan → national program; annual plan → five-year plan).
 */
export class EffectiveTargetService {
  /**
   * For each (unit, indicator): the unit's own ACTIVE plan covering the period (the most specific one: shortest
   * period that contains it), else the nearest ancestor unit's active plan covering it; then walk up parent plans
   * until a plan with a target for that indicator. ONE set-based SQL statement however many units and
   * indicators. Key of the map: `${unitId}:${indicatorId}`. Units with no target anywhere up the chain are
   * absent. Units outside the caller's scope (subtree and ancestors) are absent too.
   */
  static async forUnits(
    ctx: AuthedContext,
    unitIds: number[],
    indicatorIds: number[],
    period: { start: string; end: string },
  ): Promise<Map<string, EffectiveTarget>> {
    if (unitIds.length === 0 || indicatorIds.length === 0) return new Map();
    const start = `
  req AS (
    SELECT u.id, u.path FROM org_unit u
     WHERE u.id = ANY($2::int[]) AND ${inSubtreeOrAncestor("u.path", "$1")}
  ),
  start AS (
    SELECT DISTINCT ON (r.id) r.id::text AS key, r.id AS unit_id, p.id AS start_plan_id,
           CASE WHEN p.unit_id = r.id THEN p.id END AS own_plan_id
      FROM req r
      CROSS JOIN LATERAL unnest(string_to_array(btrim(r.path, '/'), '/')::int[]) WITH ORDINALITY AS a(unit_id, lvl)
      JOIN plan p ON p.unit_id = a.unit_id AND p.status = 'active' -- a draft is not in force, a closed plan no longer
     WHERE p.period_start <= $4::date AND p.period_end >= $5::date
     ORDER BY r.id, a.lvl DESC, (p.period_end - p.period_start), p.period_start DESC, p.id
  )`;
    const rows = await ctx.db.query<HitRow>(resolutionSql(start, "$3"), [
      ctx.actor.scopePaths,
      unitIds,
      indicatorIds,
      period.start,
      period.end,
    ]);
    return assemble(rows);
  }

  /**
   * For each plan: its own targets and those it inherits up its chain. Key: `${planId}:${indicatorId}`.
   * `indicatorIds` null means every indicator. One statement. Plans outside the caller's scope are absent.
   */
  static async forPlans(
    ctx: AuthedContext,
    planIds: readonly string[],
    indicatorIds: number[] | null = null,
  ): Promise<Map<string, EffectiveTarget>> {
    if (planIds.length === 0) return new Map();
    const start = `
  start AS (
    SELECT p.id::text AS key, p.unit_id, p.id AS start_plan_id, p.id AS own_plan_id
      FROM plan p
     WHERE p.id = ANY($2::uuid[]) AND ${inSubtreeOrAncestor("p.unit_path", "$1")}
  )`;
    const rows = await ctx.db.query<HitRow>(resolutionSql(start, "$3"), [ctx.actor.scopePaths, [...planIds], indicatorIds]);
    return assemble(rows);
  }
}

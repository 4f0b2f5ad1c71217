import { inSubtreeOrAncestor } from "../auth/scope";
import type { AuthedContext } from "../context";
import type { DenominatorSource, Direction, FrequencyInterval, TargetKind, UnitOfMeasure } from "../common/enums";
import { QUANTITY_UNIT } from "../indicator/indicator.service";
import { cachedForUnits, type TargetsVersionRead } from "./effective-target.cache";
import { isQuantityKind, type Denominator, type EffectiveTarget, type TargetValue } from "./target.model";

/**
 * One row of the resolution query: the effective target (rn 1) or its parent (rn 2) of a start plan and
 * indicator ('t'), a requested key ('u'), or the nearest quota of a key's unit up its chain ('q').
 */
interface HitRow {
  row_kind: "u" | "t" | "q";
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
  source_title: string | null;
  source_unit_id: number;
  source_unit_code: string;
  source_unit_name: string | null;
  unit_count: string | null;
  /** how far up the start plan's chain the target (or quota) was found: 0 is the start plan */
  depth: number | null;
  quantity: string | null;
  quantity_unit: UnitOfMeasure | null;
  source_start: string | null;
  source_end: string | null;
  den_value: string | null;
  den_source: DenominatorSource | null;
  den_period: string | null;
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
  quantity?: string | number | null;
  /** the indicator's quantity unit (kept on quantity kinds only, for their words) */
  quantity_unit?: UnitOfMeasure | null;
}): TargetValue {
  const n = (v: string | number | null | undefined) => (v === null || v === undefined ? null : Number(v));
  const value: TargetValue = {
    kind: row.kind,
    share: n(row.share),
    count: row.count ?? null,
    frequencyInterval: row.frequency_interval ?? null,
    changeLow: n(row.change_low),
    changeHigh: n(row.change_high),
    deadline: row.deadline ?? null,
    quantity: n(row.quantity),
  };
  if (isQuantityKind(row.kind) && row.quantity_unit) value.unit = row.quantity_unit;
  return value;
}

/** The latest report summary first: the latest year, the latest end in it, the longest period of those (2025 before 2025-H2 before 2025-Q4). */
export const LATEST_SUMMARY_ORDER = (s: string) => `left(${s}.period_code, 4) DESC,
  CASE right(${s}.period_code, 2) WHEN 'Q1' THEN 3 WHEN 'Q2' THEN 6 WHEN 'H1' THEN 6 WHEN 'Q3' THEN 9 ELSE 12 END DESC,
  length(${s}.period_code), ${s}.period_code`;

/**
 * The denominator of a unit's plan for a ratio indicator, as a LATERAL subquery of one row (den_value,
 * den_source, den_period) or none: the plan's planning figure (plan_figure), else the unit's latest reported
 * denominator (report_summary: the latest period up to the plan's last year, the longest of those ending last:
 * a year before its H2 before its Q4: LATEST_SUMMARY_ORDER). `when` guards the lookup (only pairs that need it
 * pay for it).
 */
export const DENOMINATOR_LATERAL = (o: { planId: string; unitId: string; indicatorId: string; lastYear: string; when: string }) => `LATERAL (
    SELECT d.den_value, d.den_source, d.den_period FROM (
      SELECT f.denominator AS den_value, 'planning_figure'::text AS den_source, NULL::text AS den_period, 0 AS pref
        FROM plan_figure f WHERE (${o.when}) AND f.plan_id = ${o.planId} AND f.indicator_id = ${o.indicatorId}
      UNION ALL
      (SELECT s.denominator_sum, 'reported', s.period_code, 1
         FROM report_summary s
        WHERE (${o.when}) AND s.unit_id = ${o.unitId} AND s.indicator_id = ${o.indicatorId} AND s.denominator_sum > 0
          AND left(s.period_code, 4) <= ${o.lastYear}
        ORDER BY ${LATEST_SUMMARY_ORDER("s")}
        LIMIT 1)
    ) d ORDER BY d.pref LIMIT 1)`;

/** A denominator read by DENOMINATOR_LATERAL, or null. */
export function denominatorOfRow(row: { den_value: string | number | null; den_source: DenominatorSource | null; den_period: string | null }): Denominator | null {
  if (row.den_value === null || row.den_value === undefined || !row.den_source) return null;
  return { value: Number(row.den_value), source: row.den_source, period: row.den_period ?? null };
}

/**
 * The shared tail of the resolution: from `start(key, unit_id, start_plan_id, own_plan_id)`, walk each
 * distinct start plan up its parent plans (recursive CTE), keep for every (start, indicator) the nearest
 * target (rn 1, the effective one) and the next one above it (rn 2, its parent's), and for every key the
 * nearest quota of its unit up the same chain (a plan of its parent unit split a quantity: assignQuotas), in
 * ONE statement.
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
    SELECT c.start_plan_id, c.plan_id, c.depth, t.indicator_id, t.kind, t.share, t.count, t.frequency_interval,
           t.change_low, t.change_high, to_char(t.deadline, 'YYYY-MM-DD') AS deadline, t.quantity,
           row_number() OVER (PARTITION BY c.start_plan_id, t.indicator_id ORDER BY c.depth) AS rn
      FROM chain c JOIN target t ON t.plan_id = c.plan_id
     WHERE (${indicatorParam}::int[] IS NULL OR t.indicator_id = ANY(${indicatorParam}::int[]))
  ),
  top2 AS (
    -- mixed: the effective target and its parent differ in count-vs-share, so they meet through a unit count;
    -- qshare: a quantity under a share, which meet through the source plan's denominator
    SELECT h.*, sp.document_number AS source_document, sp.title AS source_title, su.id AS source_unit_id, su.code AS source_unit_code,
           su.name AS source_unit_name, su.path AS source_unit_path, sp.period_start AS source_start, sp.period_end AS source_end, i.code AS indicator_code, i.direction, i.reporting_level,
           ${QUANTITY_UNIT("i")} AS quantity_unit,
           bool_or(h.kind LIKE 'count%') OVER w <> bool_and(h.kind LIKE 'count%') OVER w AS mixed,
           bool_or(h.rn = 2 AND h.kind LIKE 'share%') OVER w AS qshare
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
           END AS unit_count, d.den_value, d.den_source, d.den_period
      FROM top2 a
      LEFT JOIN ${DENOMINATOR_LATERAL({
        planId: "a.plan_id",
        unitId: "a.source_unit_id",
        indicatorId: "a.indicator_id",
        lastYear: "to_char(a.source_end, 'YYYY')",
        when: "a.rn = 1 AND a.qshare AND a.kind LIKE 'quantity%'",
      })} d ON true
  ),
  quota_hits AS (
    SELECT DISTINCT ON (s.key, q.indicator_id) s.key, s.unit_id, s.own_plan_id, c.plan_id, c.depth, q.indicator_id, q.kind, q.quantity
      FROM start s
      JOIN chain c ON c.start_plan_id = s.start_plan_id
      JOIN target_quota q ON q.plan_id = c.plan_id AND q.unit_id = s.unit_id
     WHERE (${indicatorParam}::int[] IS NULL OR q.indicator_id = ANY(${indicatorParam}::int[]))
     ORDER BY s.key, q.indicator_id, c.depth
  ),
  quotas AS (
    -- the denominator of the unit's own plan: where the unit's own share stands against its quota
    SELECT qh.*, sp.document_number AS source_document, sp.title AS source_title, su.id AS source_unit_id, su.code AS source_unit_code,
           su.name AS source_unit_name,
           sp.period_start AS source_start, sp.period_end AS source_end, i.code AS indicator_code, i.direction,
           ${QUANTITY_UNIT("i")} AS quantity_unit, d.den_value, d.den_source, d.den_period
      FROM quota_hits qh
      JOIN plan sp ON sp.id = qh.plan_id
      JOIN org_unit su ON su.id = sp.unit_id
      JOIN indicator i ON i.id = qh.indicator_id
      LEFT JOIN ${DENOMINATOR_LATERAL({
        planId: "qh.own_plan_id",
        unitId: "qh.unit_id",
        indicatorId: "qh.indicator_id",
        lastYear: "to_char(sp.period_end, 'YYYY')",
        when: "i.value_kind = 'ratio'",
      })} d ON true
  )
  -- one row per requested key ('u'), one per target of each distinct start plan ('t') and one per quota of a
  -- key ('q'): the fan-out of start plans to units happens in assemble(), so the result stays narrow however
  -- many units share a plan
  SELECT 'u' AS row_kind, s.key, s.unit_id, u.code AS unit_code, s.own_plan_id, s.start_plan_id,
         NULL AS indicator_id, NULL AS indicator_code, NULL AS direction, NULL AS rn, NULL AS kind, NULL AS share,
         NULL AS count, NULL AS frequency_interval, NULL AS change_low, NULL AS change_high, NULL AS deadline,
         NULL AS source_plan_id, NULL AS source_document, NULL AS source_title, NULL AS source_unit_id, NULL AS source_unit_code,
         NULL AS source_unit_name, NULL AS unit_count,
         NULL::int AS depth, NULL::numeric AS quantity, NULL AS quantity_unit, NULL::text AS source_start, NULL::text AS source_end,
         NULL::numeric AS den_value, NULL AS den_source, NULL AS den_period
    FROM start s JOIN org_unit u ON u.id = s.unit_id
  UNION ALL
  SELECT 't', NULL, NULL, NULL, NULL, c.start_plan_id,
         c.indicator_id, c.indicator_code, c.direction, c.rn, c.kind, c.share,
         c.count, c.frequency_interval, c.change_low, c.change_high, c.deadline,
         c.plan_id, c.source_document, c.source_title, c.source_unit_id, c.source_unit_code, c.source_unit_name, c.unit_count,
         c.depth, c.quantity, c.quantity_unit, to_char(c.source_start, 'YYYY-MM-DD'), to_char(c.source_end, 'YYYY-MM-DD'),
         c.den_value, c.den_source, c.den_period
    FROM counted c
  UNION ALL
  SELECT 'q', q.key, q.unit_id, NULL, q.own_plan_id, NULL,
         q.indicator_id, q.indicator_code, q.direction, NULL, q.kind, NULL,
         NULL, NULL, NULL, NULL, NULL,
         q.plan_id, q.source_document, q.source_title, q.source_unit_id, q.source_unit_code, q.source_unit_name, NULL,
         q.depth, q.quantity, q.quantity_unit, to_char(q.source_start, 'YYYY-MM-DD'), to_char(q.source_end, 'YYYY-MM-DD'),
         q.den_value, q.den_source, q.den_period
    FROM quotas q
   ORDER BY row_kind, key, indicator_id, rn`; // 'q' rows sort first, then 't', then 'u'
}

function assemble(rows: HitRow[]): Map<string, EffectiveTarget> {
  // value and parent are made once per target found and shared by every unit that inherits it
  type Found = { hit: HitRow; value: TargetValue; parent: EffectiveTarget["parent"] };
  const toParent = (p: HitRow, quota = false): NonNullable<EffectiveTarget["parent"]> => ({
    value: valueOfRow(p),
    planId: p.source_plan_id,
    planDocument: p.source_document,
    planTitle: p.source_title,
    unitId: p.source_unit_id,
    unitCode: p.source_unit_code,
    unitName: p.source_unit_name,
    ...(quota ? { quota: true } : {}),
  });
  const byStart = new Map<string, Found[]>();
  const quotasByKey = new Map<string, Map<number, HitRow>>();
  const map = new Map<string, EffectiveTarget>();
  /**
   * One literal of every field, in one order: pages read these targets by the thousand, from the process's cache. Built
   * by spreading a base (`{ ...base(r, hit), value, … }`), Node 20's V8 gave nearly every object a map of its own
   * (1,254 maps for 1,280 targets), so every read of a target's field went through V8's megamorphic path.
   */
  const target = (r: HitRow, hit: HitRow, own: Pick<EffectiveTarget, "value" | "inherited" | "fromQuota" | "parent" | "unitCount" | "denominator">): EffectiveTarget => ({
    unitId: r.unit_id,
    indicatorId: hit.indicator_id,
    value: own.value,
    inherited: own.inherited,
    fromQuota: own.fromQuota,
    sourcePlanId: hit.source_plan_id,
    sourcePlanDocument: hit.source_document,
    sourcePlanTitle: hit.source_title,
    sourceUnitId: hit.source_unit_id,
    sourceUnitCode: hit.source_unit_code,
    sourceUnitName: hit.source_unit_name,
    planId: r.own_plan_id,
    unitCode: r.unit_code,
    indicatorCode: hit.indicator_code,
    direction: hit.direction,
    parent: own.parent,
    unitCount: own.unitCount,
    sourcePeriodStart: hit.source_start ?? undefined,
    sourcePeriodEnd: hit.source_end ?? undefined,
    denominator: own.denominator,
  });
  for (const r of rows) {
    if (r.row_kind === "q") {
      const list = quotasByKey.get(r.key) ?? new Map<number, HitRow>();
      list.set(r.indicator_id, r);
      quotasByKey.set(r.key, list);
      continue;
    }
    if (r.row_kind === "t") {
      const list = byStart.get(r.start_plan_id) ?? [];
      if (Number(r.rn) === 1) list.push({ hit: r, value: valueOfRow(r), parent: null });
      else if (list.length > 0 && list[list.length - 1]!.hit.indicator_id === r.indicator_id) list[list.length - 1]!.parent = toParent(r);
      byStart.set(r.start_plan_id, list);
      continue;
    }
    const quotas = quotasByKey.get(r.key);
    for (const { hit, value, parent } of byStart.get(r.start_plan_id) ?? []) {
      const quota = quotas?.get(hit.indicator_id);
      if (quota) quotas!.delete(hit.indicator_id);
      if (quota && Number(quota.depth) <= Number(hit.depth)) {
        // the unit's quota, from the plan that holds (or inherits) the quantity it is a part of
        map.set(`${r.key}:${hit.indicator_id}`, fromQuota(r, quota, toParent(hit)));
        continue;
      }
      map.set(
        `${r.key}:${hit.indicator_id}`,
        target(r, hit, {
          value,
          inherited: r.own_plan_id !== hit.source_plan_id,
          fromQuota: undefined,
          // a nearer target of the unit's own stands against the unit's quota, not against the whole above it
          parent: quota ? toParent(quota, true) : parent,
          unitCount: num(hit.unit_count),
          denominator: denominatorOfRow(quota ?? hit),
        }),
      );
    }
    for (const quota of quotas?.values() ?? []) map.set(`${r.key}:${quota.indicator_id}`, fromQuota(r, quota, null));
  }
  return map;

  function fromQuota(r: HitRow, quota: HitRow, parent: EffectiveTarget["parent"]): EffectiveTarget {
    return target(r, quota, { value: valueOfRow(quota), inherited: true, fromQuota: true, parent, unitCount: null, denominator: null });
  }
}

/** A statement around forUnits' resolution (EffectiveTargetService.resolveUnits). */
export interface ResolutionWrap {
  /** the statement, given the resolution's SQL and the number of its own first parameter */
  sql(resolution: string, firstParam: number): string;
  params: unknown[];
  rows?: Array<Record<string, unknown>>;
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
   * absent. Units outside the caller's scope (subtree and ancestors) are absent too. Kept in the process's
   * memory until a write changes targets (effective-target.cache.ts).
   */
  static async forUnits(
    ctx: AuthedContext,
    unitIds: number[],
    indicatorIds: number[],
    period: { start: string; end: string },
    /** the targets version read by an earlier statement of the request (a roll-up's summaries statement): no statement of its own when the cache holds it all */
    known?: TargetsVersionRead,
  ): Promise<Map<string, EffectiveTarget>> {
    if (unitIds.length === 0 || indicatorIds.length === 0) return new Map();
    return cachedForUnits(ctx, unitIds, indicatorIds, period, EffectiveTargetService.resolveUnits, known);
  }

  /**
   * forUnits straight from the database (the cache's source). `wrap` runs a statement around the resolution
   * (in its snapshot, so in the same round trip): it reads it as a subquery, keeps its columns and order, may
   * add its own (rows without row_kind are its alone), and gets the rows back in `wrap.rows`.
   */
  static async resolveUnits(
    ctx: AuthedContext,
    unitIds: number[],
    indicatorIds: number[],
    period: { start: string; end: string },
    wrap?: ResolutionWrap,
  ): Promise<Map<string, EffectiveTarget>> {
    const start = `
  req AS (
    SELECT u.id, u.path FROM org_unit u
     WHERE u.id = ANY($2::int[]) AND ${inSubtreeOrAncestor("u.path", "$1")}
  ),
  start AS (
    -- per unit and program (each program its own catalog): the nearest plan in force for the period. A draft
    -- is not in force; a closed plan was, for its own period (closing 1629/QĐ-TTg after 2025 keeps 2021-2025
    -- judged against it); a superseded plan gave way to the plan that replaced it.
    SELECT DISTINCT ON (r.id, p.program_id) r.id::text AS key, r.id AS unit_id, p.id AS start_plan_id,
           CASE WHEN p.unit_id = r.id THEN p.id END AS own_plan_id
      FROM req r
      CROSS JOIN LATERAL unnest(string_to_array(btrim(r.path, '/'), '/')::int[]) WITH ORDINALITY AS a(unit_id, lvl)
      JOIN plan p ON p.unit_id = a.unit_id AND p.status IN ('active', 'closed')
     WHERE p.period_start <= $4::date AND p.period_end >= $5::date
     ORDER BY r.id, p.program_id, a.lvl DESC, (p.period_end - p.period_start), p.period_start DESC, p.id
  )`;
    const params = [ctx.actor.scopePaths, unitIds, indicatorIds, period.start, period.end];
    const sql = resolutionSql(start, "$3");
    if (!wrap) return assemble(await ctx.db.query<HitRow>(sql, params));
    const rows = await ctx.db.query<HitRow>(wrap.sql(sql, params.length + 1), [...params, ...wrap.params]);
    wrap.rows = rows as unknown as Array<Record<string, unknown>>;
    return assemble(rows.filter((r) => r.row_kind));
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

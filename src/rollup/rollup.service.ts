import type { AuthedContext } from "../context";
import { ForbiddenError, NotFoundError } from "../common/errors";
import { parsePeriod, type Period } from "../common/period";
import type { Indicator } from "../indicator/indicator.model";
import { SELECT_INDICATOR } from "../indicator/indicator.service";
import type { OrgUnit } from "../org-unit/org-unit.model";
import { OrgUnitService, SELECT_UNIT, validOn } from "../org-unit/org-unit.service";
import { TWO_TIER_FROM } from "../org-unit/org-unit.reform.rules";
import { inSubtree } from "../auth/scope";
import { checkDate } from "../common/date.scalar";
import { EffectiveTargetService } from "../target/effective-target.service";
import type { EffectiveTarget } from "../target/target.model";
import { toEffectiveTargetView } from "../target/target.types";
import { nationalComparisonCsv } from "./rollup.csv";
import {
  EMPTY_AGGREGATE,
  combineQuantityPeriods,
  completeness,
  containingPeriods,
  judge,
  previousYearPeriod,
  quantityPeriods,
  rank,
  rollupValue,
  type DirectionName,
  type PeriodRuleName,
  type RollupRuleName,
  type UnitAggregate,
} from "./rollup.rules";
import { isQuantityKind } from "../target/target.model";
import { UnitOfMeasure } from "../common/enums";
import {
  NationalComparison,
  RollupCell,
  RollupPage,
  RollupStatus,
  UnitRollup,
  type ComparisonArgs,
  type RollupArgs,
} from "./rollup.types";

type SummaryTuple = [number, number, string, number, number, number, number, number];

interface Loaded {
  units: Array<OrgUnit & { ord: number }>;
  indicators: Indicator[];
  summaries: SummaryTuple[] | null;
  /** the same of approved data only (report_summary_approved, maintained on approve and reopen) */
  approved: SummaryTuple[] | null;
  counts: Array<[number, string, number]> | null;
}

/** Where summaries are read from: all reported data, or approved data only (never the facts). */
const SUMMARY_TABLE = { all: "report_summary", approved: "report_summary_approved" } as const;

/** The summaries of the units × indicators of load()'s CTEs for its periods, from one of SUMMARY_TABLE. */
const summariesFrom = (table: (typeof SUMMARY_TABLE)[keyof typeof SUMMARY_TABLE]) =>
  `(SELECT json_agg(json_build_array(s.unit_id, s.indicator_id, s.period_code, s.value_sum, s.numerator_sum,
                                     s.denominator_sum, s.units_reported, s.units_meeting))
      FROM units u CROSS JOIN ind i
      CROSS JOIN LATERAL (SELECT unnest($4::text[]) UNION ALL SELECT CASE WHEN i.rollup_rule = 'yearly_change' THEN $5::text END) AS p(code)
      JOIN ${table} s ON s.unit_id = u.id AND s.indicator_id = i.id AND s.period_code = p.code)`;

/**
 * Roll-ups read the maintained summaries (never the facts): ONE statement loads the unit, its current
 * children, the indicators, their summaries for the period (and a year before, for yearly change; and the
 * half-year and year containing it, for quantity targets judged on their plan's period so far), the same of approved
 * data only (report_summary_approved: each cell's approved share, and the data itself with approvedOnly) and the unit
 * counts per level; ONE more resolves every unit's effective target. Two statements for a province page or the
 * national comparison, whatever the number of units and indicators; a third only where a quantity target of a
 * plan of several years needs the summaries of its earlier years.
 */
export class RollupService {
  static async page(ctx: AuthedContext, args: RollupArgs): Promise<RollupPage> {
    const period = parsePeriod(args.period, "period");
    const unitCode = args.unitCode.trim().toUpperCase();
    const asOf = checkDate(args.asOf, "asOf", () => period.end);
    const loaded = await RollupService.load(ctx, unitCode, period, args.indicators ?? null, asOf);
    if (!loaded.units[0] || loaded.units[0].ord !== 0) {
      // NOT_FOUND as a unit look-up answers it (saying when the code named a unit, if it ever did); a unit the
      // look-up finds is an ancestor the caller sees but may not roll up (outside its subtree): not found either
      await OrgUnitService.byCode(ctx, unitCode, asOf, "unitCode");
      throw new NotFoundError("Org unit", args.unitCode);
    }
    const rows = await RollupService.judgeAll(ctx, loaded, period, false, asOf, args.approvedOnly ?? false);
    return Object.assign(new RollupPage(), {
      period: period.code,
      approvedOnly: args.approvedOnly ?? false,
      unit: rows[0]!.unit,
      cells: rows[0]!.cells,
      children: rows.slice(1),
    });
  }

  /** The ministry's view: every province on the chosen indicators, with a rank per indicator. */
  static async nationalComparison(ctx: AuthedContext, args: ComparisonArgs): Promise<NationalComparison> {
    if (ctx.actor.unitLevel !== "nation") {
      throw new ForbiddenError("The national comparison is for the ministry: your token's unit must be the nation.");
    }
    const period = parsePeriod(args.period, "period");
    const asOf = checkDate(args.asOf, "asOf", () => period.end);
    const loaded = await RollupService.load(ctx, ctx.actor.unitCode, period, args.indicators ?? null, asOf);
    if (!loaded.units[0]) throw new NotFoundError("Org unit", ctx.actor.unitCode);
    const rows = await RollupService.judgeAll(ctx, loaded, period, true, asOf, args.approvedOnly ?? false);
    return Object.assign(new NationalComparison(), {
      period: period.code,
      approvedOnly: args.approvedOnly ?? false,
      indicators: loaded.indicators,
      nation: rows[0],
      provinces: rows.slice(1),
    });
  }

  /** The national comparison as CSV text: the same columns and cells as `/csv/national-comparison` (src/rollup/rollup.csv.ts). */
  static async nationalComparisonCsv(ctx: AuthedContext, args: ComparisonArgs): Promise<string> {
    return nationalComparisonCsv(await RollupService.nationalComparison(ctx, args));
  }

  private static async load(ctx: AuthedContext, unitCode: string, period: Period, codes: string[] | null, asOf: string): Promise<Loaded> {
    const wanted = codes ? [...new Set(codes.map((c) => c.trim().toUpperCase()))] : null;
    const [row] = await ctx.db.query<Loaded>(
      `WITH root AS (
         SELECT u.* FROM org_unit u
          WHERE u.code = $2 AND ${validOn("u", "$6")} AND ${inSubtree("u.path", "$1")}
       ), units AS (
         SELECT r.*, 0 AS ord FROM root r
         UNION ALL
         SELECT c.*, 1 AS ord FROM org_unit c JOIN root r ON c.parent_id = r.id WHERE ${validOn("c", "$6")}
       ), ind AS (
         SELECT i.* FROM indicator i WHERE $3::text[] IS NULL OR i.code = ANY($3::text[])
       )
       SELECT
         (SELECT json_agg(x ORDER BY x.ord, x.code) FROM (SELECT ${SELECT_UNIT}, $6 AS "asOf", u.ord FROM units u) x) AS units,
         (SELECT json_agg(x ORDER BY x."sortOrder", x.code) FROM (SELECT ${SELECT_INDICATOR} FROM ind i) x) AS indicators,
         ${summariesFrom(SUMMARY_TABLE.all)} AS summaries,
         ${summariesFrom(SUMMARY_TABLE.approved)} AS approved,
         (SELECT json_agg(json_build_array(c.unit_id, c.level, c.n))
            FROM units u JOIN org_unit_count c ON c.unit_id = u.id AND ${validOn("c", "$6")}) AS counts`,
      // the period and the half-year and year that contain it (quantity targets are judged on their plan's period)
      [ctx.actor.scopePaths, unitCode, wanted, containingPeriods(period.code), previousYearPeriod(period.code), asOf],
    );
    const loaded: Loaded = {
      units: row?.units ?? [],
      indicators: row?.indicators ?? [],
      summaries: row?.summaries ?? [],
      approved: row?.approved ?? [],
      counts: row?.counts ?? [],
    };
    if (wanted) {
      const found = new Set(loaded.indicators.map((i) => i.code));
      const missing = wanted.find((c) => !found.has(c));
      if (missing) throw new NotFoundError("Indicator", missing);
    }
    return loaded;
  }

  private static async judgeAll(
    ctx: AuthedContext,
    loaded: Loaded,
    period: Period,
    ranked: boolean,
    asOf: string,
    approvedOnly: boolean,
  ): Promise<UnitRollup[]> {
    const twoTier = asOf >= TWO_TIER_FROM;
    const { units, indicators } = loaded;
    const targets: Map<string, EffectiveTarget> =
      units.length && indicators.length
        ? await EffectiveTargetService.forUnits(ctx, units.map((u) => u.id), indicators.map((i) => i.id), period)
        : new Map();
    const aggregates = (tuples: SummaryTuple[] | null) => {
      const map = new Map<string, UnitAggregate>();
      for (const [unitId, indicatorId, code, v, n, d, rep, meet] of tuples ?? []) {
        map.set(`${unitId}:${indicatorId}:${code}`, {
          valueSum: Number(v),
          numeratorSum: Number(n),
          denominatorSum: Number(d),
          unitsReported: Number(rep),
          unitsMeeting: Number(meet),
        });
      }
      return map;
    };
    // approvedOnly: the approved data is the data; either way each cell shows the approved share
    const approved = aggregates(loaded.approved);
    const summaries = approvedOnly ? approved : aggregates(loaded.summaries);
    const counts = new Map((loaded.counts ?? []).map(([unitId, level, n]) => [`${unitId}:${level}`, Number(n)] as const));
    const previousCode = previousYearPeriod(period.code);
    // quantity targets: the periods each is judged on; the summaries of earlier years of a long plan in one more statement
    const judged = new Map<string, string[]>();
    const missing = { units: [] as number[], indicators: [] as number[], codes: [] as string[] };
    for (const [key, t] of targets) {
      if (!isQuantityKind(t.value.kind) || !t.sourcePeriodStart || !t.sourcePeriodEnd) continue;
      const codes = quantityPeriods({ start: t.sourcePeriodStart, end: t.sourcePeriodEnd }, period);
      judged.set(key, codes);
      for (const code of codes) {
        if (summaries.has(`${t.unitId}:${t.indicatorId}:${code}`) || containingPeriods(period.code).includes(code)) continue;
        missing.units.push(t.unitId);
        missing.indicators.push(t.indicatorId);
        missing.codes.push(code);
      }
    }
    if (missing.codes.length > 0) {
      const rows = await ctx.db.query<{ unit_id: number; indicator_id: number; period_code: string; v: string; n: string; d: string; rep: number; meet: number }>(
        `SELECT s.unit_id, s.indicator_id, s.period_code, s.value_sum AS v, s.numerator_sum AS n, s.denominator_sum AS d,
                s.units_reported AS rep, s.units_meeting AS meet
           FROM unnest($1::int[], $2::int[], $3::text[]) AS k(unit_id, indicator_id, code)
           JOIN ${approvedOnly ? SUMMARY_TABLE.approved : SUMMARY_TABLE.all} s
             ON s.unit_id = k.unit_id AND s.indicator_id = k.indicator_id AND s.period_code = k.code`,
        [missing.units, missing.indicators, missing.codes],
      );
      for (const r of rows) {
        summaries.set(`${r.unit_id}:${r.indicator_id}:${r.period_code}`, {
          valueSum: Number(r.v),
          numeratorSum: Number(r.n),
          denominatorSum: Number(r.d),
          unitsReported: Number(r.rep),
          unitsMeeting: Number(r.meet),
        });
      }
    }

    const rows = units.map((raw) => {
      const { ord: _ord, ...unit } = raw;
      const cells = indicators.map((indicator) => {
        const agg = summaries.get(`${unit.id}:${indicator.id}:${period.code}`) ?? EMPTY_AGGREGATE;
        const previous = summaries.get(`${unit.id}:${indicator.id}:${previousCode}`) ?? null;
        // units expected: those at the indicator's reporting level in the tree of the date
        const expected = counts.get(`${unit.id}:${twoTier ? indicator.reportingLevelTwoTier : indicator.reportingLevel}`) ?? 0;
        const rule = indicator.rollupRule as RollupRuleName;
        const value = rollupValue(rule, agg, expected, previous);
        const target = targets.get(`${unit.id}:${indicator.id}`) ?? null;
        const judgedPeriods = judged.get(`${unit.id}:${indicator.id}`) ?? null;
        const quantityAgg = judgedPeriods
          ? combineQuantityPeriods(
              indicator.periodRule as PeriodRuleName,
              judgedPeriods.map((code) => summaries.get(`${unit.id}:${indicator.id}:${code}`)),
            )
          : undefined;
        const j = judge(
          { direction: indicator.direction as DirectionName, rollupRule: rule, value, agg, period, quantityAgg },
          target?.value ?? null,
        );
        const unitsApproved = approved.get(`${unit.id}:${indicator.id}:${period.code}`)?.unitsReported ?? 0;
        const reported = agg.unitsReported > 0;
        return Object.assign(new RollupCell(), {
          indicator,
          indicatorCode: indicator.code,
          value,
          numerator: reported && indicator.valueKind === "ratio" ? agg.numeratorSum : null,
          denominator: reported && indicator.valueKind === "ratio" ? agg.denominatorSum : null,
          sum: reported && indicator.valueKind !== "ratio" ? agg.valueSum : null,
          unit: rule === "sum" ? indicator.unit : UnitOfMeasure.PERCENT,
          quantityUnit: indicator.quantityUnit,
          previousSum: rule === "yearly_change" && previous?.unitsReported ? previous.valueSum : null,
          unitsReported: agg.unitsReported,
          unitsExpected: expected,
          unitsMeeting: agg.unitsMeeting,
          completeness: completeness(agg.unitsReported, expected),
          unitsApproved,
          approved: completeness(unitsApproved, expected),
          target: target ? toEffectiveTargetView(target) : null,
          status: j.status as RollupStatus,
          required: j.required,
          measured: j.measured,
          gap: j.gap,
          judgedPeriods,
          rank: null as number | null,
        });
      });
      return Object.assign(new UnitRollup(), { unit: unit as OrgUnit, cells });
    });

    if (ranked) {
      const children = rows.slice(1);
      indicators.forEach((indicator, k) => {
        const ranks = rank(children.map((r) => r.cells[k]!.value), indicator.direction as DirectionName);
        children.forEach((r, c) => (r.cells[k]!.rank = ranks[c]!));
      });
    }
    return rows;
  }
}

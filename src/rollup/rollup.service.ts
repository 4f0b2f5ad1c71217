import type { AuthedContext } from "../context";
import { BadUserInputError, ForbiddenError, NotFoundError } from "../common/errors";
import { t } from "../i18n/i18n";
import { parsePeriod, type Period } from "../common/period";
import type { OrgUnit } from "../org-unit/org-unit.model";
import { OrgUnitService } from "../org-unit/org-unit.service";
import { checkDate } from "../common/date.scalar";
import { EffectiveTargetService } from "../target/effective-target.service";
import type { EffectiveTarget } from "../target/target.model";
import { toEffectiveTargetViewIn } from "../target/target.types";
import { currentLanguage } from "../i18n/i18n.language";
import { nationalComparisonCsv } from "./rollup.csv";
import {
  combineQuantityPeriods,
  completeness,
  judge,
  quantityPeriods,
  rollupValue,
  type DirectionName,
  type Judgement,
  type PeriodRuleName,
  type RollupRuleName,
  type UnitAggregate,
} from "./rollup.rules";
import { isQuantityKind } from "../target/target.model";
import { cellStatus, completenessPercent, rankWithEnoughData } from "./rollup.coverage.rules";
import { ReportingPeriod } from "../period/period.types";
import { ReportingUnitsService } from "./rollup.reporting-units.service";
import { ALL_NEEDS, type RollupNeeds } from "./rollup.selection";
import { decodeCursor, encodeCursor, type PageArgs } from "../common/pagination";

/** A roll-up row's cursor: its unit's code (unique on the tree of the page). */
const UNIT_CODE_CURSOR = /^[0-9A-Za-z_]{1,20}$/;
import { UnitOfMeasure } from "../common/enums";
import { RestateService, type RestateLoaded } from "./rollup.restate.service";
import type { RestatedFigure } from "./rollup.restate.rules";
import { CellRestatement, RestatedSource } from "./rollup.restate.types";
import {
  NationalComparison,
  RollupCell,
  RollupPage,
  RollupStatus,
  UnitRollup,
  UnitRollupPage,
  type ComparisonArgs,
  type ComparisonTrendArgs,
  type RollupArgs,
  NationalTrend,
  TrendLine,
} from "./rollup.types";

/**
 * Roll-ups read the maintained summaries (never the facts): ONE statement loads the unit and its children
 * on the tree of asOf, the indicators, and for each unit the summaries and unit counts of the units of the
 * period's tree(s) it is made of (itself, or its predecessors when the period was reported on an earlier
 * tree: restating, src/rollup/rollup.restate.service.ts), for the period and a year before (yearly change), and
 * the same of approved data only when an approved share is asked (report_summary_approved; the data with approvedOnly),
 * and the targets version. The effective targets come from the process's cache when that version is the one it
 * holds, else ONE more statement resolves them. One statement for a province page or the national comparison,
 * whatever the number of units and indicators; a second after targets changed; another only where quantity
 * targets are judged on their plan's period so far (the summaries of the half-year, year and earlier years they sum).
 */
export class RollupService {
  /** `needs`: what the caller selects beyond values (rollup.selection.ts); false: no target, status or gap (the summaries statement alone). */
  static async page(ctx: AuthedContext, args: RollupArgs, needs: RollupNeeds | boolean = ALL_NEEDS): Promise<RollupPage> {
    const period = parsePeriod(args.period, "period");
    const unitCode = args.unitCode.trim().toUpperCase();
    const asOf = checkDate(args.asOf, "asOf", () => period.end);
    const wants = needsOf(needs, args.approvedOnly ?? false);
    const loaded = await RestateService.load(ctx, unitCode, period, args.indicators ?? null, asOf, wants.approvedShare);
    if (!loaded.units[0] || loaded.units[0].ord !== 0) {
      // NOT_FOUND as a unit look-up answers it (saying when the code named a unit, if it ever did); a unit the
      // look-up finds is an ancestor the caller sees but may not roll up (outside its subtree): not found either
      await OrgUnitService.byCode(ctx, unitCode, asOf, "unitCode");
      throw new NotFoundError("Org unit", args.unitCode);
    }
    const root = loaded.units[0];
    if (!loaded.figures.hasSources(root.id)) {
      throw new BadUserInputError(
        t("rollup:unitNotInPeriod", { name: root.name, code: root.code, asOf, period: period.code, validFrom: root.validFrom }),
        "period",
        { validFrom: root.validFrom, validTo: root.validTo },
      );
    }
    const rows = await RollupService.judgeAll(ctx, loaded, period, false, args.approvedOnly ?? false, wants);
    return Object.assign(new RollupPage(), {
      period: period.code,
      reportingPeriod: ReportingPeriod.of(period),
      approvedOnly: args.approvedOnly ?? false,
      unit: rows[0]!.unit,
      cells: rows[0]!.cells,
      restatedFrom: rows[0]!.restatedFrom,
      children: rows.slice(1),
      reportingKey: rows[0]!.reportingKey,
    });
  }

  /** The ministry's view: every province on the chosen indicators, with a rank per indicator. */
  static async nationalComparison(ctx: AuthedContext, args: ComparisonArgs, needs: RollupNeeds | boolean = ALL_NEEDS): Promise<NationalComparison> {
    if (ctx.actor.unitLevel !== "nation") {
      throw new ForbiddenError(t("rollup:ministryOnly"));
    }
    const period = parsePeriod(args.period, "period");
    const asOf = checkDate(args.asOf, "asOf", () => period.end);
    const wants = needsOf(needs, args.approvedOnly ?? false);
    const loaded = await RestateService.load(ctx, ctx.actor.unitCode, period, args.indicators ?? null, asOf, wants.approvedShare);
    if (!loaded.units[0]) throw new NotFoundError("Org unit", ctx.actor.unitCode);
    const rows = await RollupService.judgeAll(ctx, loaded, period, true, args.approvedOnly ?? false, wants);
    return Object.assign(new NationalComparison(), {
      period: period.code,
      reportingPeriod: ReportingPeriod.of(period),
      approvedOnly: args.approvedOnly ?? false,
      indicators: loaded.indicators,
      nation: rows[0],
      provinces: rows.slice(1),
    });
  }

  /**
   * One indicator over several periods on one tree (a trend per province in one request): each period is
   * restated onto the tree of asOf, by default the last day of the latest period. Two statements a period.
   */
  static async nationalTrend(ctx: AuthedContext, args: ComparisonTrendArgs): Promise<NationalTrend> {
    const periods = [...new Set(args.periods.map((p) => parsePeriod(p, "periods")))]
      .filter((p, i, all) => all.findIndex((q) => q.code === p.code) === i)
      .sort((a, b) => a.start.localeCompare(b.start) || a.end.localeCompare(b.end));
    const asOf = checkDate(args.asOf, "asOf", () => periods.map((p) => p.end).sort().at(-1)!);
    const comparisons: NationalComparison[] = [];
    for (const period of periods) {
      comparisons.push(
        await RollupService.nationalComparison(ctx, { period: period.code, indicators: [args.indicator], asOf, approvedOnly: args.approvedOnly ?? false }),
      );
    }
    const line = (pick: (c: NationalComparison) => UnitRollup | undefined, unit: OrgUnit) =>
      Object.assign(new TrendLine(), { unit, points: comparisons.map((c) => pick(c)?.cells[0]).filter((x): x is RollupCell => !!x) });
    const first = comparisons[0]!;
    return Object.assign(new NationalTrend(), {
      asOf,
      periods: periods.map((p) => p.code),
      reportingPeriods: periods.map((p) => ReportingPeriod.of(p)),
      indicator: first.indicators[0],
      nation: line((c) => c.nation, first.nation.unit),
      provinces: first.provinces.map((p) => line((c) => c.provinces.find((q) => q.unit.id === p.unit.id), p.unit)),
    });
  }

  /**
   * A page of a roll-up's rows (a page's children, the comparison's provinces), by unit code as OrgUnit.children
   * pages: the rows are all judged and ranked in the page's own statements (ranks are among every province,
   * whatever the page), so a page costs no statement of its own.
   */
  static rowsPage(rows: readonly UnitRollup[], page: PageArgs): UnitRollupPage {
    const after = page.after ? decodeCursor(page.after, UNIT_CODE_CURSOR) : "";
    const sorted = [...rows].sort((a, b) => (a.unit.code < b.unit.code ? -1 : a.unit.code > b.unit.code ? 1 : 0));
    const fresh = sorted.filter((r) => r.unit.code > after);
    const nodes = fresh.slice(0, page.first);
    const last = nodes[nodes.length - 1];
    return Object.assign(new UnitRollupPage(), {
      nodes,
      totalCount: rows.length,
      hasNextPage: fresh.length > page.first,
      endCursor: last ? encodeCursor(last.unit.code) : null,
    });
  }

  /** The national comparison as CSV text: the same columns and cells as `/csv/national-comparison` (src/rollup/rollup.csv.ts). */
  static async nationalComparisonCsv(ctx: AuthedContext, args: ComparisonArgs): Promise<string> {
    return nationalComparisonCsv(await RollupService.nationalComparison(ctx, args));
  }

  private static async judgeAll(
    ctx: AuthedContext,
    loaded: RestateLoaded,
    period: Period,
    ranked: boolean,
    approvedOnly: boolean,
    needs: RollupNeeds,
  ): Promise<UnitRollup[]> {
    const { units, indicators } = loaded;
    const targets: Map<string, EffectiveTarget> =
      needs.targets && units.length && indicators.length
        ? await EffectiveTargetService.forUnits(ctx, units.map((u) => u.id), indicators.map((i) => i.id), period, loaded.targetsVersion)
        : new Map();
    const { judged, summaries } = await RollupService.quantitySummaries(ctx, targets, period, approvedOnly);
    // approvedOnly: the approved data is the data; either way each cell shows the approved share (when asked)
    const figures = approvedOnly ? loaded.approvedFigures : loaded.figures;
    const reportingKey = ReportingUnitsService.keyFor(period, indicators);
    const language = currentLanguage();
    const rows = units.map((raw): UnitRollup => {
      const { ord: _ord, ...unit } = raw;
      const cells = indicators.map((indicator): RollupCell => {
        const rule = indicator.rollupRule as RollupRuleName;
        // the unit's figures from the summaries of the units of the period's tree(s) it is made of; units expected:
        // those at the indicator's reporting level on the tree(s) that reported the period
        const figure = figures.figure(unit.id, indicator, rule === "yearly_change");
        const { agg, previous, unitsExpected: expected } = figure;
        const unitsApproved = !needs.approvedShare
          ? 0
          : approvedOnly
            ? agg.unitsReported
            : loaded.approvedFigures.figure(unit.id, indicator, false).agg.unitsReported;
        const value = rollupValue(rule, agg, expected, previous);
        // judged only when some field asks (status, gap, target…): a values-only page builds no judgement at all
        let target: EffectiveTarget | null = null;
        let judgedPeriods: string[] | null = null;
        let j: Judgement = NOT_JUDGED;
        let status: RollupStatus | null = null;
        if (needs.targets) {
          const key = `${unit.id}:${indicator.id}`;
          target = targets.get(key) ?? null;
          judgedPeriods = judged.get(key) ?? null;
          const quantityAgg = judgedPeriods
            ? combineQuantityPeriods(
                indicator.periodRule as PeriodRuleName,
                judgedPeriods.map((code) => summaries.get(`${key}:${code}`)),
              )
            : undefined;
          j = judge({ direction: indicator.direction as DirectionName, rollupRule: rule, value, agg, period, quantityAgg }, target?.value ?? null);
          // coverage first (not expected, nothing or too little reported), then the judgement
          const coverage = { unitsReported: agg.unitsReported, unitsExpected: expected, minCompleteness: indicator.minCompleteness };
          status = cellStatus(coverage, j.status) as RollupStatus;
        }
        const reported = agg.unitsReported > 0;
        const isRatio = indicator.valueKind === "ratio";
        // a plain object of the cell's one shape (GraphQL reads its fields as they are: simpleResolvers)
        return {
          indicator,
          indicatorCode: indicator.code,
          value,
          numerator: reported && isRatio ? agg.numeratorSum : null,
          denominator: reported && isRatio ? agg.denominatorSum : null,
          sum: reported && !isRatio ? agg.valueSum : null,
          unit: rule === "sum" ? indicator.unit : UnitOfMeasure.PERCENT,
          quantityUnit: indicator.quantityUnit,
          previousSum: rule === "yearly_change" && previous?.unitsReported ? previous.valueSum : null,
          unitsReported: agg.unitsReported,
          unitsExpected: expected,
          unitsMeeting: agg.unitsMeeting,
          completeness: completeness(agg.unitsReported, expected),
          completenessPercent: completenessPercent(agg.unitsReported, expected),
          unitsApproved,
          approved: needs.approvedShare ? completeness(unitsApproved, expected) : null,
          approvedPercent: needs.approvedShare ? completenessPercent(unitsApproved, expected) : null,
          target: target ? toEffectiveTargetViewIn(target, language) : null,
          status: status as RollupStatus, // null only where no field reads it
          required: j.required,
          measured: j.measured,
          gap: j.gap,
          judgedPeriods,
          rank: null,
          restated: figure.restated ? RollupService.restatement(figure) : null,
        };
      });
      // the units it is made of on the period's tree (itself unless restated): what reportingUnits counts under
      const sources = loaded.figures.sourcesOf(unit.id, indicators);
      return {
        unit: unit as OrgUnit,
        cells,
        restatedFrom: RollupService.restatedFrom(loaded, sources),
        reportingKey: reportingKey(sources.length ? [...new Set([unit.id, ...sources.map((s) => s.srcId)])] : [unit.id]),
      };
    });

    if (ranked && needs.rank) {
      const children = rows.slice(1);
      indicators.forEach((indicator, k) => {
        // only among provinces with enough data: 0% is not first because nobody else reported
        const ranks = rankWithEnoughData(
          children.map((r) => {
            const c = r.cells[k]!;
            return { unitsReported: c.unitsReported, unitsExpected: c.unitsExpected, value: c.value, minCompleteness: indicator.minCompleteness };
          }),
          indicator.direction as DirectionName,
        );
        children.forEach((r, c) => (r.cells[k]!.rank = ranks[c]!));
      });
    }
    return rows;
  }

  /**
   * Quantity targets are judged on their plan's period so far (a 2026-Q1 cell against a 2026 quantity sums
   * the year so far): the periods each is judged on, and their summaries (the units' own, on the tree of the
   * period), in one statement for all of them. None when no quantity target is in the page.
   */
  private static async quantitySummaries(
    ctx: AuthedContext,
    targets: Map<string, EffectiveTarget>,
    period: Period,
    approvedOnly: boolean,
  ): Promise<{ judged: Map<string, string[]>; summaries: Map<string, UnitAggregate> }> {
    const judged = new Map<string, string[]>();
    const wanted = { units: [] as number[], indicators: [] as number[], codes: [] as string[] };
    // the units inheriting one plan's quantity share its period: its periods are worked out once
    const periodsOf = new Map<string, string[]>();
    targets.forEach((t, key) => {
      if (!isQuantityKind(t.value.kind) || !t.sourcePeriodStart || !t.sourcePeriodEnd) return;
      const span = `${t.sourcePeriodStart}|${t.sourcePeriodEnd}`;
      let codes = periodsOf.get(span);
      if (!codes) periodsOf.set(span, (codes = quantityPeriods({ start: t.sourcePeriodStart, end: t.sourcePeriodEnd }, period)));
      judged.set(key, codes);
      for (const code of codes) {
        wanted.units.push(t.unitId);
        wanted.indicators.push(t.indicatorId);
        wanted.codes.push(code);
      }
    });
    const summaries = new Map<string, UnitAggregate>();
    if (wanted.codes.length === 0) return { judged, summaries };
    const rows = await ctx.db.query<{ unit_id: number; indicator_id: number; period_code: string; v: string; n: string; d: string; rep: number; meet: number }>(
      `SELECT s.unit_id, s.indicator_id, s.period_code, s.value_sum AS v, s.numerator_sum AS n, s.denominator_sum AS d,
              s.units_reported AS rep, s.units_meeting AS meet
         FROM unnest($1::int[], $2::int[], $3::text[]) AS k(unit_id, indicator_id, code)
         JOIN ${approvedOnly ? "report_summary_approved" : "report_summary"} s
           ON s.unit_id = k.unit_id AND s.indicator_id = k.indicator_id AND s.period_code = k.code`,
      [wanted.units, wanted.indicators, wanted.codes],
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
    return { judged, summaries };
  }

  /** The cell's restating field from its figure (rollup.restate.types.ts). */
  private static restatement(figure: RestatedFigure): CellRestatement {
    return Object.assign(new CellRestatement(), {
      exact: figure.leftOut.length === 0,
      unitsLeftOut: figure.leftOut.length,
      leftOutReported: figure.leftOut.reduce((n, l) => n + l.unitsReported, 0),
      parts: figure.parts.map((p) => p.part.code),
      subPeriods: figure.parts.map((p) => p.subPeriods),
      unitsReported: figure.parts.map((p) => p.unitsReported),
      unitsExpected: figure.parts.map((p) => p.unitsExpected),
    });
  }

  /** The units of the period's tree(s) a unit is made of (rollup.restate.types.ts). */
  private static restatedFrom(loaded: RestateLoaded, sources: ReturnType<RestateLoaded["figures"]["sourcesOf"]>): RestatedSource[] {
    return sources
      .map(({ srcId, ...s }) => Object.assign(new RestatedSource(), { ...s, reportingPeriod: ReportingPeriod.of(s.period), unit: loaded.sources.get(srcId)! }))
      .sort((a, b) => a.period.localeCompare(b.period) || a.unit.code.localeCompare(b.unit.code) || a.unit.validFrom.localeCompare(b.unit.validFrom));
  }
}

/** A cell's judgement where nothing asked for one (values only). */
const NOT_JUDGED: Judgement = Object.freeze({ status: "no_target", required: null, measured: null, gap: null });

/** A boolean says whether targets are asked (subscriptions); the approved share is then computed as before. */
const needsOf = (needs: RollupNeeds | boolean, approvedOnly: boolean): RollupNeeds => {
  const asked = typeof needs === "boolean" ? { ...ALL_NEEDS, targets: needs } : needs;
  // with approvedOnly the approved data is the data
  return { ...asked, approvedShare: asked.approvedShare || approvedOnly };
};

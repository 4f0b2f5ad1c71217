/**
 * Restating roll-ups across reforms, as pure functions (no I/O; the SQL is in rollup.restate.service.ts).
 *
 * A roll-up is asked on the tree of a date (asOf); its period was reported on the tree(s) of the period.
 * - **Tree parts.** A period is cut into parts at the days the tree changed inside it: 2025 is 2025-H1 (the
 *   three-tier tree) and 2025-H2 (the two-tier one); 2024 is one part. Each part is a period with its own
 *   maintained summaries, and every unit that reported in a part lived through all of it, so a part's
 *   summaries are never clipped (an old commune's 2025-H1 expects its two quarters, not four).
 * - **Sources.** A unit of the asked tree is made, in each part, of the units of that part's tree that are
 *   itself or went wholly into it (full successions followed transitively up to asOf): the sum of their
 *   summaries is exact for every roll-up rule (sums of values, numerators, denominators, units reported
 *   and meeting). A unit that reaches it through a `partial` succession cannot be divided: it is left
 *   out of the figure (its figures count where a whole ancestor holds them, e.g. the province), listed on the
 *   cell with the units that reported in it, and still expected (so completeness says it is missing).
 * - **Combining parts.** Sums of parts (SUM, ALL, ANY, ratio SUM): a yes/no unit is judged over the part it
 *   lived (ALL: yes in every quarter of it), and the year's share of units is units meeting over units expected,
 *   both counted per unit and part ("unit-halves": Lai Châu's 2025 is out of 106 + 38). LATEST (stocks, latest
 *   status) reads the last part only. An indicator reported over a period longer than a part (a yearly one
 *   in 2025) reads the period whole, on the tree of its end (only a unit that lived through it could report it).
 */
import { parsePeriod, type Period } from "../common/period";
import { TWO_TIER_FROM } from "../org-unit/org-unit.reform.rules";
import {
  EMPTY_AGGREGATE,
  addAggregates,
  periodTypeOf,
  previousYearPeriod,
  subPeriodCount,
  type PeriodRuleName,
  type PeriodTypeName,
  type UnitAggregate,
} from "./rollup.rules";

/** The period asked ("cur") or the same period a year before ("prev", for yearly change). */
export type Which = "cur" | "prev";

/** A period and the aligned periods inside it, one of which may become a tree part. */
export interface PeriodCandidate {
  which: Which;
  code: string;
  from: string;
  to: string;
  /** the period asked itself (read whole for indicators reported over periods longer than its parts) */
  whole: boolean;
}

/** A part of a period over which the tree did not change (or, `whole`, the period read as one on the tree of its end). */
export interface TreePart extends PeriodCandidate {}

/** A unit of the asked tree (unitId) made, in a part, of an earlier unit (srcId): wholly, or in part (left out). */
export interface SourceLink {
  unitId: number;
  partCode: string;
  srcId: number;
  whole: boolean;
}

/** The period and its halves and quarters (a year: 7 periods; a half: 3; a quarter: itself). */
export function periodCandidates(period: Period, which: Which = "cur"): PeriodCandidate[] {
  const codes =
    period.type === "year"
      ? [period.code, ...["H1", "H2", "Q1", "Q2", "Q3", "Q4"].map((p) => `${period.year}-${p}`)]
      : period.type === "half_year"
        ? [period.code, ...(period.code.endsWith("H1") ? ["Q1", "Q2"] : ["Q3", "Q4"]).map((q) => `${period.year}-${q}`)]
        : [period.code];
  return codes.map((code) => {
    const p = parsePeriod(code);
    return { which, code, from: p.start, to: p.end, whole: code === period.code };
  });
}

/** The candidates of the period asked and of the same period a year before. */
export function candidatesWithPreviousYear(period: Period): PeriodCandidate[] {
  return [...periodCandidates(period, "cur"), ...periodCandidates(parsePeriod(previousYearPeriod(period.code)), "prev")];
}

/**
 * The tree parts of a period given the days the tree changed, as the SQL computes them (kept here for the
 * table tests): the largest candidates no change cuts (a change day d cuts [from, to] when from < d ≤ to; a
 * quarter is never cut, its reports being on the tree of its end), plus the period itself, `whole`, when cut.
 */
export function treeParts(candidates: PeriodCandidate[], changeDays: readonly string[]): TreePart[] {
  const cut = (c: PeriodCandidate) => periodTypeOf(c.code) !== "quarter" && changeDays.some((d) => d > c.from && d <= c.to);
  const clean = candidates.filter((c) => !cut(c));
  const contains = (a: PeriodCandidate, b: PeriodCandidate) => a.which === b.which && a.code !== b.code && a.from <= b.from && a.to >= b.to;
  const regular = clean.filter((c) => !clean.some((o) => contains(o, c))).map((c) => ({ ...c, whole: false }));
  const wholes = candidates.filter((c) => c.whole && cut(c));
  return [...regular, ...wholes].sort((a, b) => a.which.localeCompare(b.which) || a.from.localeCompare(b.from) || Number(a.whole) - Number(b.whole));
}

/** The parts an indicator reads (see the file's comment): all parts; the last for LATEST; the period whole when a part is shorter than its reports. */
export function partsForIndicator(parts: readonly TreePart[], which: Which, indicator: { periodType: PeriodTypeName; periodRule: PeriodRuleName }): TreePart[] {
  const regular = parts.filter((p) => p.which === which && !p.whole).sort((a, b) => a.from.localeCompare(b.from));
  const whole = parts.find((p) => p.which === which && p.whole);
  if (whole && regular.some((p) => subPeriodCount(periodTypeOf(p.code), indicator.periodType) === 0)) return [whole];
  if (indicator.periodRule === "latest" && regular.length > 1) return [regular[regular.length - 1]!];
  return regular;
}

/** The level that reports an indicator on the tree of a day (districts until 30/6/2025). */
export function reportingLevelOn(indicator: { reportingLevel: string; reportingLevelTwoTier: string }, day: string): string {
  return day >= TWO_TIER_FROM ? indicator.reportingLevelTwoTier : indicator.reportingLevel;
}

/** A part reported on an earlier tree than that of asOf: the tree changed after its last day, on or before asOf. */
export function reportedOnEarlierTree(part: { to: string }, asOf: string, changeDays: readonly string[]): boolean {
  return changeDays.some((d) => d > part.to && d <= asOf);
}

export interface IndicatorRulesForRestate {
  id: number;
  periodType: PeriodTypeName;
  periodRule: PeriodRuleName;
  reportingLevel: string;
  reportingLevelTwoTier: string;
}

export interface PartFigure {
  part: TreePart;
  /** reports of the indicator's own period type the part holds (2 quarters in a half) */
  subPeriods: number;
  unitsReported: number;
  unitsExpected: number;
}

export interface RestatedFigure {
  agg: UnitAggregate;
  unitsExpected: number;
  /** the year before (yearly change), by the same parts and sources; null when nothing was reported */
  previous: UnitAggregate | null;
  parts: PartFigure[];
  /** units left out (split among several units), with the units that reported in them */
  leftOut: Array<{ srcId: number; unitsReported: number }>;
  /** some part of the period (read or not: a LATEST indicator reads the last) was reported on an earlier tree than the one asked, or by other units */
  restated: boolean;
}

/**
 * The maintained summaries and unit counts one statement loads, indexed, and the figure of a (unit,
 * indicator) from them: the sum over the parts the indicator reads of its whole sources' summaries, the
 * units expected at the part's reporting level in the whole sources and the left-out units.
 */
export class RestatedFigures {
  // indexed by number, part by part (no key strings: a national page looks up some 10,000 of them per request)
  private readonly links = new Map<string, Map<number, SourceLink[]>>();
  private summaries: SummaryIndex;
  private readonly counts = new Map<string, Map<string, Map<number, number>>>();
  // the parts each indicator of the page reads, and the regular parts (the same for every unit)
  private readonly partsOf: Record<Which, Map<IndicatorRulesForRestate, TreePart[]>> = { cur: new Map(), prev: new Map() };
  private readonly regularParts: Record<Which, TreePart[]>;
  private readonly restatedUnits = new Map<number, boolean>();
  private readonly earlierTree = new Map<string, boolean>();

  constructor(
    private readonly parts: readonly TreePart[],
    links: readonly SourceLink[],
    summaries: ReadonlyArray<SummaryRow>,
    counts: ReadonlyArray<readonly [number, string, string, number | string]>,
    private readonly asOf: string,
    private readonly changeDays: readonly string[],
  ) {
    const regular = (which: Which) => parts.filter((p) => p.which === which && !p.whole);
    this.regularParts = { cur: regular("cur"), prev: regular("prev") };
    for (const l of links) {
      const byUnit = getOrSet(this.links, l.partCode, () => new Map<number, SourceLink[]>());
      const list = byUnit.get(l.unitId);
      if (list) list.push(l);
      else byUnit.set(l.unitId, [l]);
    }
    this.summaries = indexSummaries(summaries);
    for (const [srcId, part, level, n] of counts) {
      getOrSet(getOrSet(this.counts, part, () => new Map<string, Map<number, number>>()), level, () => new Map<number, number>()).set(srcId, Number(n));
    }
  }

  /** The same tree's parts, links and unit counts with other summaries (the approved data's): nothing indexed twice. */
  withSummaries(summaries: ReadonlyArray<SummaryRow>): RestatedFigures {
    const other: RestatedFigures = Object.assign(Object.create(RestatedFigures.prototype), this);
    other.summaries = indexSummaries(summaries);
    return other;
  }

  private linksOf(unitId: number, partCode: string): SourceLink[] {
    return this.links.get(partCode)?.get(unitId) ?? NO_LINKS;
  }

  private summaryOf(srcId: number, indicatorId: number, partCode: string): UnitAggregate | undefined {
    return this.summaries.get(partCode)?.get(indicatorId)?.get(srcId);
  }

  private countOf(srcId: number, partCode: string, level: string): number {
    return this.counts.get(partCode)?.get(level)?.get(srcId) ?? 0;
  }

  /** reportedOnEarlierTree, once per part (the same for every cell of the page). */
  private onEarlierTree(part: TreePart): boolean {
    let earlier = this.earlierTree.get(part.code);
    if (earlier === undefined) this.earlierTree.set(part.code, (earlier = reportedOnEarlierTree(part, this.asOf, this.changeDays)));
    return earlier;
  }

  /** Whether the unit existed, or had predecessors, in some part of the period asked. */
  hasSources(unitId: number): boolean {
    return this.regular("cur").some((p) => this.linksOf(unitId, p.code).length > 0);
  }

  /**
   * The units of the period's parts a unit is made of (whole) or fed in part (left out), with the indicators each
   * reported in its part; empty when every part was reported on the tree asked by the unit itself.
   */
  sourcesOf(unitId: number, indicators: ReadonlyArray<{ id: number; code: string }>): Array<{ srcId: number; period: string; whole: boolean; indicatorsReported: string[] }> {
    if (!this.restated(unitId)) return [];
    const links = this.regular("cur").flatMap((p) => this.linksOf(unitId, p.code).map((l) => ({ l, p })));
    return links.map(({ l, p }) => ({
      srcId: l.srcId,
      period: p.code,
      whole: l.whole,
      indicatorsReported: indicators.filter((i) => (this.summaryOf(l.srcId, i.id, p.code)?.unitsReported ?? 0) > 0).map((i) => i.code),
    }));
  }

  /** Some part of the period was reported on an earlier tree than asOf's, or by other units than this one. */
  private restated(unitId: number): boolean {
    const known = this.restatedUnits.get(unitId);
    if (known !== undefined) return known;
    const restated = this.regular("cur").some(
      (p) =>
        this.onEarlierTree(p) || this.linksOf(unitId, p.code).some((l) => !l.whole || l.srcId !== unitId),
    );
    this.restatedUnits.set(unitId, restated);
    return restated;
  }

  /** The parts an indicator reads (the same for every unit of the page). */
  private read(which: Which, indicator: IndicatorRulesForRestate): TreePart[] {
    return getOrSet(this.partsOf[which], indicator, () => partsForIndicator(this.parts, which, indicator));
  }

  private regular(which: Which): TreePart[] {
    return this.regularParts[which];
  }

  figure(unitId: number, indicator: IndicatorRulesForRestate, withPrevious: boolean): RestatedFigure {
    // allocation-lean: most cells read one part from one source (the unit itself), and a national page has 1,000s;
    // the parts and left-out units are worked out (a second pass) only for the few cells that are restated
    const sum = this.sum(unitId, indicator, null);
    const previous = withPrevious ? this.previous(unitId, indicator) : null;
    if (!sum.restated) return { agg: sum.agg, unitsExpected: sum.expected, previous, parts: NO_PARTS, leftOut: NO_LEFT_OUT, restated: false };
    const parts: PartFigure[] = [];
    const { leftOut } = this.sum(unitId, indicator, parts);
    return {
      agg: sum.agg,
      unitsExpected: sum.expected,
      previous,
      parts,
      leftOut: leftOut ? [...leftOut].map(([srcId, unitsReported]) => ({ srcId, unitsReported })) : [],
      restated: true,
    };
  }

  /** The figure's sums over the parts the indicator reads, each part's figure pushed to `parts` when asked. */
  private sum(unitId: number, indicator: IndicatorRulesForRestate, parts: PartFigure[] | null) {
    let others = false;
    let leftOut: Map<number, number> | undefined;
    let agg = EMPTY_AGGREGATE;
    let expected = 0;
    let restated = false;
    for (const part of this.read("cur", indicator)) {
      const level = reportingLevelOn(indicator, part.to);
      let inPartExpected = 0;
      let inPart = EMPTY_AGGREGATE;
      for (const link of this.linksOf(unitId, part.code)) {
        const s = this.summaryOf(link.srcId, indicator.id, part.code) ?? EMPTY_AGGREGATE;
        inPartExpected += this.countOf(link.srcId, part.code, level);
        if (link.whole) inPart = inPart === EMPTY_AGGREGATE ? s : addAggregates(inPart, s);
        else (leftOut ??= new Map()).set(link.srcId, (leftOut.get(link.srcId) ?? 0) + s.unitsReported);
        if (link.srcId !== unitId) others = true;
      }
      agg = agg === EMPTY_AGGREGATE ? inPart : addAggregates(agg, inPart);
      expected += inPartExpected;
      parts?.push({
        part,
        subPeriods: part.whole ? 1 : subPeriodCount(periodTypeOf(part.code), indicator.periodType),
        unitsReported: inPart.unitsReported,
        unitsExpected: inPartExpected,
      });
      restated ||= this.onEarlierTree(part);
    }
    return { agg, expected, leftOut, restated: restated || others || this.restated(unitId) };
  }

  private previous(unitId: number, indicator: IndicatorRulesForRestate): UnitAggregate | null {
    const aggs = this.read("prev", indicator).flatMap((part) =>
      this.linksOf(unitId, part.code)
        .filter((l) => l.whole)
        .map((l) => this.summaryOf(l.srcId, indicator.id, part.code) ?? EMPTY_AGGREGATE),
    );
    const sum = addAggregates(...aggs);
    return sum.unitsReported > 0 ? sum : null;
  }
}

/** A summary as the roll-up statement answers it: source unit, indicator, part, value, numerator, denominator, reported, meeting. */
export type SummaryRow = readonly [number, number, string, number | string, number | string, number | string, number | string, number | string];
type SummaryIndex = Map<string, Map<number, Map<number, UnitAggregate>>>;

/** Summaries indexed by part, indicator and source unit (numbers: no key strings). */
function indexSummaries(summaries: ReadonlyArray<SummaryRow>): SummaryIndex {
  const index: SummaryIndex = new Map();
  for (const [srcId, indicatorId, part, v, n, d, rep, meet] of summaries) {
    const byIndicator = getOrSet(index, part, () => new Map<number, Map<number, UnitAggregate>>());
    getOrSet(byIndicator, indicatorId, () => new Map<number, UnitAggregate>()).set(srcId, {
      valueSum: Number(v),
      numeratorSum: Number(n),
      denominatorSum: Number(d),
      unitsReported: Number(rep),
      unitsMeeting: Number(meet),
    });
  }
  return index;
}

const NO_LINKS: SourceLink[] = [];
const NO_PARTS: PartFigure[] = [];
const NO_LEFT_OUT: RestatedFigure["leftOut"] = [];

function getOrSet<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

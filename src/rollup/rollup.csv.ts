import { toCsv } from "../common/csv";

/**
 * The columns of every roll-up CSV: `/csv/rollup`, `/csv/national-comparison` and the
 * `nationalComparisonCsv` query. The types are structural, so the same rows come from the service's
 * objects and from a GraphQL answer.
 */
export interface RollupCsvUnit {
  unit: { code: string; name: string; level: string };
  cells: ReadonlyArray<{
    indicatorCode: string;
    indicator: { nameVi: string };
    value: number | null;
    numerator: number | null;
    denominator: number | null;
    unitsReported: number;
    unitsExpected: number;
    completeness: number | null;
    status: string;
    required: number | null;
    measured: number | null;
    gap: number | null;
    rank: number | null;
    target: { inherited: boolean; sourcePlanDocument: string | null; sourceUnitCode: string; value: { text: string } } | null;
    restated: {
      exact: boolean;
      parts: readonly string[];
      subPeriods: readonly number[];
      unitsReported: readonly number[];
      unitsExpected: readonly number[];
    } | null;
  }>;
  restatedFrom: ReadonlyArray<{ unit: { code: string; name: string }; period: string; whole: boolean; indicatorsReported: readonly string[] }>;
}

/** What a line's unit is to the report: the unit asked for, its child; the nation, a province. */
export type RollupCsvRole = "unit" | "child" | "nation" | "province";

export const ROLLUP_CSV_HEADER = [
  "period", "unit_code", "unit_name", "unit_level", "role", "indicator_code", "indicator_name_vi", "value", "numerator",
  "denominator", "units_reported", "units_expected", "completeness", "target", "target_inherited", "target_source_plan",
  "target_source_unit", "status", "required", "measured", "gap", "rank",
  // restating (src/rollup/rollup.restate.rules.ts): empty unless the period was (partly) reported on an earlier tree
  "restated_from", "restated_exact", "left_out", "tree_parts",
] as const;

type CsvCell = RollupCsvUnit["cells"][number];

/**
 * The restating columns of a cell: the units summed and those left out, of the parts the cell read ("89 Tỉnh An
 * Giang; 91 Tỉnh Kiên Giang": a code names a unit only with a date, the name says which; a left-out unit that
 * reported the indicator says so), and each part as "2025-H1 (2) 50/106": sub-periods, units reported / expected.
 */
function restatedColumns(r: RollupCsvUnit, c: CsvCell): unknown[] {
  if (!c.restated) return [null, null, null, null];
  const { parts } = c.restated;
  const read = r.restatedFrom.filter((s) => parts.includes(s.period));
  const names = (whole: boolean) => [
    ...new Set(
      read
        .filter((s) => s.whole === whole)
        .map((s) => `${s.unit.code} ${s.unit.name}${!whole && s.indicatorsReported.includes(c.indicatorCode) ? " (reported)" : ""}`),
    ),
  ].join("; ");
  const partText = parts
    .map((p, k) => `${p} (${c.restated!.subPeriods[k]}) ${c.restated!.unitsReported[k]}/${c.restated!.unitsExpected[k]}`)
    .join("; ");
  return [names(true), c.restated.exact, names(false), partText];
}

/** One line per indicator of `r`. Level and status as the GraphQL enums name them (PROVINCE, NOT_MET). */
export function rollupCsvRows(period: string, role: RollupCsvRole, r: RollupCsvUnit): unknown[][] {
  return r.cells.map((c) => [
    period, r.unit.code, r.unit.name, r.unit.level.toUpperCase(), role, c.indicatorCode, c.indicator.nameVi, c.value, c.numerator,
    c.denominator, c.unitsReported, c.unitsExpected, c.completeness, c.target?.value.text ?? null,
    c.target ? c.target.inherited : null, c.target?.sourcePlanDocument ?? null, c.target?.sourceUnitCode ?? null,
    c.status.toUpperCase(), c.required, c.measured, c.gap, c.rank, ...restatedColumns(r, c),
  ]);
}

/** A unit's roll-up and each child's. */
export function rollupCsv(page: RollupCsvUnit & { period: string; children: readonly RollupCsvUnit[] }): string {
  const rows = [...rollupCsvRows(page.period, "unit", page), ...page.children.flatMap((c) => rollupCsvRows(page.period, "child", c))];
  return toCsv(ROLLUP_CSV_HEADER, rows);
}

/** The nation and every province. */
export function nationalComparisonCsv(c: { period: string; nation: RollupCsvUnit; provinces: readonly RollupCsvUnit[] }): string {
  const rows = [...rollupCsvRows(c.period, "nation", c.nation), ...c.provinces.flatMap((p) => rollupCsvRows(c.period, "province", p))];
  return toCsv(ROLLUP_CSV_HEADER, rows);
}

import { columns, statusLabel, tableCsv, type ExportTable } from "../export/export.table";
import { t } from "../i18n/i18n";

/**
 * The columns of every roll-up download: `/csv/rollup`, `/csv/national-comparison`, their `/xlsx/` twins and
 * the `nationalComparisonCsv` query. The types are structural, so the same rows come from the service's
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

/** Headers in the request's language (src/export/export.messages.ts); status beside its label. */
export const ROLLUP_COLUMNS = columns([
  ["period", "text", 10], ["unit_code", "text", 10], ["unit_name", "text", 30], ["unit_level", "text", 12], ["role", "text", 10],
  ["indicator_code", "text", 28], ["indicator_name_vi", "text", 60], ["value", "number"], ["numerator", "number"],
  ["denominator", "number"], ["units_reported", "number"], ["units_expected", "number"], ["completeness", "share"],
  ["target", "text", 14], ["target_inherited", "boolean"], ["target_source_plan", "text", 20], ["target_source_unit", "text"],
  ["status", "text", 14], ["status_text", "text", 20], ["required", "number"], ["measured", "number"], ["gap", "number"], ["rank", "number"],
  // restating (src/rollup/rollup.restate.rules.ts): empty unless the period was (partly) reported on an earlier tree
  ["restated_from", "text", 40], ["restated_exact", "boolean"], ["left_out", "text", 40], ["tree_parts", "text", 30],
]);

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
        .map((s) => {
          const unit = `${s.unit.code} ${s.unit.name}`;
          return !whole && s.indicatorsReported.includes(c.indicatorCode) ? t("export:leftOutReported", { unit }) : unit;
        }),
    ),
  ].join("; ");
  const partText = parts
    .map((p, k) => `${p} (${c.restated!.subPeriods[k]}) ${c.restated!.unitsReported[k]}/${c.restated!.unitsExpected[k]}`)
    .join("; ");
  return [names(true), c.restated.exact, names(false), partText];
}

/**
 * One line per indicator of `r`. Level and status as the GraphQL enums name them (PROVINCE, NOT_MET), the
 * status's label beside it in the request's language.
 */
export function rollupCsvRows(period: string, role: RollupCsvRole, r: RollupCsvUnit): unknown[][] {
  return r.cells.map((c) => [
    period, r.unit.code, r.unit.name, r.unit.level.toUpperCase(), role, c.indicatorCode, c.indicator.nameVi, c.value, c.numerator,
    c.denominator, c.unitsReported, c.unitsExpected, c.completeness, c.target?.value.text ?? null,
    c.target ? c.target.inherited : null, c.target?.sourcePlanDocument ?? null, c.target?.sourceUnitCode ?? null,
    c.status.toUpperCase(), statusLabel("rollupStatus", c.status), c.required, c.measured, c.gap, c.rank, ...restatedColumns(r, c),
  ]);
}

/** A unit's roll-up and each child's. */
export function rollupTable(page: RollupCsvUnit & { period: string; children: readonly RollupCsvUnit[] }): ExportTable {
  const rows = [...rollupCsvRows(page.period, "unit", page), ...page.children.flatMap((c) => rollupCsvRows(page.period, "child", c))];
  return { title: `${t("export:sheet.rollup")} ${page.unit.code} ${page.period}`, columns: ROLLUP_COLUMNS, rows };
}

/** The nation and every province. */
export function nationalComparisonTable(c: { period: string; nation: RollupCsvUnit; provinces: readonly RollupCsvUnit[] }): ExportTable {
  const rows = [...rollupCsvRows(c.period, "nation", c.nation), ...c.provinces.flatMap((p) => rollupCsvRows(c.period, "province", p))];
  return { title: `${t("export:sheet.nationalComparison")} ${c.period}`, columns: ROLLUP_COLUMNS, rows };
}

/** The national comparison as CSV text (the `nationalComparisonCsv` query's answer). */
export function nationalComparisonCsv(c: { period: string; nation: RollupCsvUnit; provinces: readonly RollupCsvUnit[] }): string {
  return tableCsv(nationalComparisonTable(c));
}

import fs from "node:fs";
import path from "node:path";
import type { DataSource, EntityManager } from "typeorm";
import type { SubnationalLevel } from "../src/common/enums";
import { toSearchText } from "../src/common/text";

export interface UnitRow {
  code: string;
  name: string;
  level: SubnationalLevel;
  type: string;
  parent_code: string;
}

export const NATION = { code: "VN", name: "Việt Nam" };
/** The five provinces the seed documents concern. */
export const DOCUMENT_PROVINCES = ["12", "22", "40", "79", "91"];

const REGISTER_FILE = path.resolve(__dirname, "..", "..", "seeds", "vn-admin-2024.csv");
const SOURCE_FILE = path.resolve(__dirname, "vn-admin-2024.csv");

/** Reads the 2024 register (no quoted fields in it; codes stay strings). */
export function readRegister(): UnitRow[] {
  const file = fs.existsSync(SOURCE_FILE) ? SOURCE_FILE : REGISTER_FILE;
  const [header, ...lines] = fs.readFileSync(file, "utf8").trim().split("\n");
  if (header !== "code,name,level,type,parent_code") throw new Error(`Unexpected header in ${file}: ${header}`);
  return lines.map((line) => {
    const [code, name, level, type, parent_code] = line.split(",");
    return { code, name, level, type, parent_code } as UnitRow;
  });
}

/** The register rows of some provinces with all their districts and communes. */
export function rowsOfProvinces(rows: UnitRow[], provinces: string[]): UnitRow[] {
  const wanted = new Set(provinces);
  const districtProvince = new Map(rows.filter((r) => r.level === "district").map((r) => [r.code, r.parent_code]));
  return rows.filter((r) =>
    r.level === "province"
      ? wanted.has(r.code)
      : r.level === "district"
        ? wanted.has(r.parent_code)
        : wanted.has(districtProvince.get(r.parent_code) ?? ""),
  );
}

export async function ensureNation(manager: EntityManager | DataSource): Promise<void> {
  await manager.query(
    `WITH fresh AS (SELECT nextval(pg_get_serial_sequence('org_unit', 'id'))::int AS id)
     INSERT INTO org_unit (id, code, name, name_search, level, unit_type, parent_id, path, depth)
     OVERRIDING SYSTEM VALUE
     SELECT fresh.id, $1, $2, $3, 'nation', NULL, NULL, '/' || fresh.id || '/', 0 FROM fresh
     WHERE NOT EXISTS (SELECT 1 FROM org_unit WHERE code = $1 AND valid_to IS NULL)`,
    [NATION.code, NATION.name, toSearchText(NATION.name)],
  );
}

/**
 * Inserts the units not yet present, level by level, in set-based statements of `chunk` rows.
 * Ids are drawn from the identity sequence up front so each row's path can include its own id.
 * Returns the number inserted.
 */
export async function loadUnits(
  manager: EntityManager | DataSource,
  rows: UnitRow[],
  onProgress: (done: number) => void = () => undefined,
  chunk = 5000,
): Promise<number> {
  let inserted = 0;
  let done = 0;
  for (const level of ["province", "district", "commune"] as const) {
    const ofLevel = rows.filter((r) => r.level === level);
    for (let i = 0; i < ofLevel.length; i += chunk) {
      const part = ofLevel.slice(i, i + chunk);
      const result: Array<{ n: string }> = await manager.query(
        `WITH src AS (
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
             AS s(code, name, name_search, unit_type, parent_code)
         ), fresh AS (
           SELECT s.*, nextval(pg_get_serial_sequence('org_unit', 'id'))::int AS id FROM src s
           WHERE NOT EXISTS (SELECT 1 FROM org_unit o WHERE o.code = s.code AND o.valid_to IS NULL)
         ), ins AS (
           INSERT INTO org_unit (id, code, name, name_search, level, unit_type, parent_id, path, depth, province_id, district_id)
           OVERRIDING SYSTEM VALUE
           SELECT f.id, f.code, f.name, f.name_search, $6, f.unit_type, p.id, p.path || f.id || '/', p.depth + 1,
                  CASE WHEN $6 = 'province' THEN f.id ELSE p.province_id END,
                  CASE WHEN $6 = 'district' THEN f.id WHEN $6 = 'commune' THEN p.district_id END
           FROM fresh f JOIN org_unit p ON p.code = f.parent_code AND p.valid_to IS NULL
           RETURNING 1
         ) SELECT count(*) AS n FROM ins`,
        [
          part.map((r) => r.code),
          part.map((r) => r.name),
          part.map((r) => toSearchText(r.name)),
          part.map((r) => r.type),
          part.map((r) => (level === "province" ? NATION.code : r.parent_code)),
          level,
        ],
      );
      inserted += Number(result[0]?.n ?? 0);
      done += part.length;
      onProgress(done);
    }
  }
  return inserted;
}

import fs from "node:fs";
import path from "node:path";
import type { DataSource, EntityManager } from "typeorm";
import { logger } from "../src/common/logger";
import { insertSuccessions, insertUnits, TREE_LOCK } from "../src/org-unit/org-unit.reform.service";
import type { CrosswalkRow } from "../src/org-unit/org-unit.reform.rules";
import { toSearchText } from "../src/common/text";
import { diffRegisters, readCrosswalk, readUnitList, reformFromCrosswalk, withOmitted, type RegisterRow } from "./registers.rules";
import { RegisterTree, type StoredUnit } from "./registers.tree";

export const NATION = { code: "VN", name: "Việt Nam" };

/** The root of every tree, from the first date any register holds. */
async function ensureNation(manager: EntityManager): Promise<void> {
  await manager.query(
    `WITH fresh AS (SELECT nextval(pg_get_serial_sequence('org_unit', 'id'))::int AS id)
     INSERT INTO org_unit (id, code, name, name_search, level, unit_type, parent_id, path, depth, valid_from)
     OVERRIDING SYSTEM VALUE
     SELECT fresh.id, $1, $2, $3, 'nation', NULL, NULL, '/' || fresh.id || '/', 0, $4 FROM fresh
     WHERE NOT EXISTS (SELECT 1 FROM org_unit WHERE code = $1 AND valid_to IS NULL)`,
    [NATION.code, NATION.name, toSearchText(NATION.name), REGISTERS.list2024.from],
  );
}

/** The registers in seeds/ (see seeds/SOURCES.md) and the dates they hold from. */
export const REGISTERS = {
  /** three tiers as of 1/2/2024: the seeds' tree, taken to hold since before any plan */
  list2024: { file: "vn-admin-2024.csv", from: "2000-01-01", checkedOn: "2024-12-31" },
  /** three tiers as of 1/3/2025; the registers give no date for the changes since 2024: dated 1/1/2025 */
  list202506: { file: "vn-admin-2025-06.csv", from: "2025-01-01", checkedOn: "2025-06-30" },
  /** two tiers from the reform of 1/7/2025 */
  list202507: { file: "vn-admin-2025.csv", from: "2025-07-01", checkedOn: "2025-07-01" },
  crosswalk: { file: "vn-admin-2025-mapping.csv" },
} as const;

/** Island districts without communes that the 2024 list leaves out (seeds/SOURCES.md); they existed all along. */
export const OMITTED_FROM_2024 = ["318", "471", "498", "536", "755"] as const;

type Step = "loaded" | "present";

export interface RegistersSummary {
  steps: { list2024: Step; list202506: Step; list202507: Step };
  /** units opened, units closed and successions recorded by this run */
  opened: number;
  closed: number;
  successions: number;
  /** units renamed or retyped between 2024 and 2025-06 (their former names kept in org_unit_name) */
  renamed: number;
  /** crosswalk rows whose old code is in no unit list (skipped, not refused) */
  skipped: Array<Pick<CrosswalkRow, "oldCode" | "oldName" | "oldParentCode" | "newCode" | "newName" | "relation" | "check">>;
  ms: number;
}

function readSeedFile(file: string): string {
  // ts-jest runs seeds/ itself; the compiled seed runs from dist/seeds
  const beside = path.resolve(__dirname, file);
  return fs.readFileSync(fs.existsSync(beside) ? beside : path.resolve(__dirname, "..", "..", "seeds", file), "utf8");
}

export function readRegisters() {
  const list202506 = readUnitList(readSeedFile(REGISTERS.list202506.file), REGISTERS.list202506.file);
  return {
    list2024: withOmitted(readUnitList(readSeedFile(REGISTERS.list2024.file), REGISTERS.list2024.file), list202506, OMITTED_FROM_2024),
    list202506,
    list202507: readUnitList(readSeedFile(REGISTERS.list202507.file), REGISTERS.list202507.file),
    crosswalk: readCrosswalk(readSeedFile(REGISTERS.crosswalk.file), REGISTERS.crosswalk.file),
  };
}

/**
 * How many rows of each register the tree of its date lacks: a unit of that code and level under a
 * parent of that code, valid on the register's last day. Zero means the step was loaded (each step
 * runs in one transaction with the others, so a step is there whole or not at all).
 */
async function missingRows(manager: EntityManager, lists: Array<{ rows: RegisterRow[]; on: string }>): Promise<number[]> {
  const params: unknown[] = [];
  const parts = lists.map(({ rows, on }) => {
    params.push(rows.map((r) => r.code), rows.map((r) => r.level), rows.map((r) => r.parentCode || "VN"), on);
    const n = params.length;
    return `(SELECT count(*)::int FROM unnest($${n - 3}::text[], $${n - 2}::text[], $${n - 1}::text[]) AS r(code, level, parent_code)
              WHERE NOT EXISTS (SELECT 1 FROM org_unit u JOIN org_unit p ON p.id = u.parent_id
                                 WHERE u.code = r.code AND u.level = r.level AND p.code = r.parent_code
                                   AND u.valid_from <= $${n}::date AND (u.valid_to IS NULL OR u.valid_to > $${n}::date)))`;
  });
  const [row] = await manager.query(`SELECT ARRAY[${parts.join(", ")}] AS missing`, params);
  return row.missing;
}

/** Every unit in the database, with the end of its latest former name: the tree the plans start from. */
async function storedUnits(manager: EntityManager): Promise<StoredUnit[]> {
  return manager.query(
    `SELECT u.id, u.code, u.name, u.level, u.unit_type AS type, u.parent_id AS "parentId",
            to_char(u.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(u.valid_to, 'YYYY-MM-DD') AS "validTo",
            u.path, u.depth, u.province_id AS "provinceId", u.district_id AS "districtId",
            (SELECT to_char(max(h.valid_to), 'YYYY-MM-DD') FROM org_unit_name h WHERE h.unit_id = u.id) AS "namedSince"
       FROM org_unit u`,
  );
}

/**
 * Writes what the plans changed, each table once: stored units first (their new end dates, names and types:
 * a code may pass from a stored unit to a new one), then the new unit versions with their final dates, their
 * former names and the successions.
 */
async function writeTree(manager: EntityManager, tree: RegisterTree): Promise<void> {
  const changed = tree.changedVersions();
  if (changed.length > 0) {
    await manager.query(
      `UPDATE org_unit o SET valid_to = c.valid_to, name = c.name, name_search = c.name_search, unit_type = c.unit_type
         FROM unnest($1::int[], $2::date[], $3::text[], $4::text[], $5::text[]) AS c(id, valid_to, name, name_search, unit_type)
        WHERE o.id = c.id`,
      [changed.map((v) => v.key), changed.map((v) => v.validTo), changed.map((v) => v.name), changed.map((v) => toSearchText(v.name)), changed.map((v) => v.type)],
    );
  }
  const ids = await insertUnits(
    manager,
    tree.newVersions().map((v) => {
      const parent = tree.versions.get(v.parentKey!)!;
      return {
        key: v.key,
        code: v.code,
        name: v.name,
        level: v.level,
        type: v.type!,
        parent: parent.stored ? { unit: parent.stored } : { key: parent.key },
        validFrom: v.validFrom,
        validTo: v.validTo,
      };
    }),
  );
  const idOf = (key: number) => (key > 0 ? key : ids.get(key)!);
  if (tree.formerNames.length > 0) {
    const names = tree.formerNames;
    await manager.query(
      `INSERT INTO org_unit_name (unit_id, name, name_search, unit_type, valid_from, valid_to)
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::date[], $6::date[])`,
      [names.map((n) => idOf(n.key)), names.map((n) => n.name), names.map((n) => toSearchText(n.name)), names.map((n) => n.type),
       names.map((n) => n.validFrom), names.map((n) => n.validTo)],
    );
  }
  await insertSuccessions(
    manager,
    tree.successions.map((x) => ({ ...x, predecessorId: idOf(x.predecessorKey), successorId: idOf(x.successorKey) })),
  );
}

/**
 * Loads the three registers as one dated tree, idempotently: the 2024 list (valid until 1/1/2025), the
 * list of 2025-06 (from 1/1/2025 until 1/7/2025) and the two-tier list from 1/7/2025, linked by
 * successions (see seeds/registers.rules.ts for which unit stays itself). Every step is planned by the
 * reform core's rules (planReform, checkOrphans: the checks recordReform makes) on the tree in memory,
 * which starts from the units already in the database (the 2024 units of seedDocuments, say); then each
 * table is written once. A second run finds every step present and writes nothing. One transaction.
 */
export async function seedRegisters(dataSource: DataSource): Promise<RegistersSummary> {
  const started = Date.now();
  const lists = readRegisters();
  const toReform = reformFromCrosswalk(lists.list202506, lists.list202507, lists.crosswalk, REGISTERS.list202507.from);
  const skipped = toReform.skipped.map(({ oldCode, oldName, oldParentCode, newCode, newName, relation, check }) => ({
    oldCode, oldName, oldParentCode, newCode, newName, relation, check,
  }));
  if (skipped.length > 0) {
    logger.warn(
      { skipped: skipped.map((r) => `${r.oldCode} ${r.oldName} → ${r.newCode}`) },
      `${skipped.length} crosswalk rows skipped: their old codes are in no unit list (merged before the 2025-06 list)`,
    );
  }

  const summary = await dataSource.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock($1)`, [TREE_LOCK]);
    const [nation] = await manager.query(`SELECT 1 FROM org_unit WHERE code = 'VN' AND valid_to IS NULL`);
    if (!nation) await ensureNation(manager);
    const missing = await missingRows(manager, [
      { rows: lists.list2024, on: REGISTERS.list2024.checkedOn },
      { rows: lists.list202506, on: REGISTERS.list202506.checkedOn },
      { rows: lists.list202507, on: REGISTERS.list202507.checkedOn },
    ]);
    const totals = { opened: 0, closed: 0, successions: 0, renamed: 0 };
    const steps = { list2024: "present" as Step, list202506: "present" as Step, list202507: "present" as Step };
    if (missing.every((n) => n === 0)) return { steps, ...totals };

    const tree = new RegisterTree(await storedUnits(manager));
    const add = (s: { opened: number; closed: number; successions: number }) => {
      totals.opened += s.opened;
      totals.closed += s.closed;
      totals.successions += s.successions;
    };
    if (missing[0]! > 0) {
      // the 2024 units not there yet (seedDocuments may have loaded some provinces)
      const opens = lists.list2024.filter((r) => !tree.on(r.code, REGISTERS.list2024.checkedOn));
      add(tree.reform({ effectiveOn: REGISTERS.list2024.from, rows: [], opens }));
      steps.list2024 = "loaded";
    }
    if (missing[1]! > 0) {
      const diff = diffRegisters(lists.list2024, lists.list202506, REGISTERS.list202506.from);
      totals.renamed = tree.rename(diff.renames, REGISTERS.list202506.from);
      add(tree.reform(diff.batch));
      steps.list202506 = "loaded";
    }
    if (missing[2]! > 0) {
      add(tree.reform(toReform.batch));
      steps.list202507 = "loaded";
    }
    await writeTree(manager, tree);
    // every district now ends with the reform (a database migrated on the open-ended 2024 tree had them open)
    await manager.query(`ALTER TABLE org_unit VALIDATE CONSTRAINT org_unit_district_before_reform`);
    return { steps, ...totals };
  });
  const result = { ...summary, skipped, ms: Date.now() - started };
  logger.info({ ...result, skipped: skipped.length }, "registers loaded");
  return result;
}

import type { EntityManager } from "typeorm";
import { BadUserInputError } from "../common/errors";
import { t } from "../i18n/i18n";
import { toSearchText } from "../common/text";
import { isIsoDate } from "../common/period";
import {
  NATION_CODE,
  checkOrphans,
  dayBefore,
  planReform,
  type BatchFacts,
  type KnownUnit,
  type ReformBatch,
  type ReformPlan,
  type ReformProblem,
  type UnitLevel,
} from "./org-unit.reform.rules";

/** The same transaction-level lock as OrgUnitAdminService's: changes to the tree run one at a time. */
export const TREE_LOCK = 7_190_001;

export interface ReformSummary {
  effectiveOn: string;
  closed: number;
  opened: number;
  successions: number;
  /** rows whose old unit continues as itself (nothing written for them) */
  continued: number;
}

/** Refuses a batch: every bad row (list, index, field, code, message) in extensions.invalidRows. */
export class ReformRefusedError extends BadUserInputError {
  constructor(readonly problems: ReformProblem[], received: number) {
    const shown = problems
      .slice(0, 3)
      .map((p) => `${p.list}[${p.index}].${p.field}: ${p.message}`)
      .join(" ");
    super(
      t("orgUnit:refused", { count: problems.length, received, shown, more: problems.length > 3 ? " …" : "" }),
      "rows",
      { invalidRows: problems },
    );
  }
}

/**
 * Records a reform of the tree, whole or not at all: checks every row (old units exist on the day
 * before effectiveOn, new units exist on effectiveOn or are opened by the batch, the tree of the date
 * keeps its shape), then closes the old units on effectiveOn, opens the new ones under their parents
 * and records the successions. A unit that continues as itself (its row maps it wholly onto its own
 * code, nothing else going in, and the batch does not open that code) is left as it is.
 * Runs in the caller's transaction (a request's or a seed's), or in its own if there is none.
 * Set-based: a fixed number of statements whatever the batch size.
 */
export async function recordReform(manager: EntityManager, batch: ReformBatch): Promise<ReformSummary> {
  if (!manager.queryRunner?.isTransactionActive) return manager.transaction((m) => recordReform(m, batch));
  return recordReformIn(manager, batch);
}

/** What the reform writer needs of a connection: one that is inside a transaction (a request's own, say). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

/** recordReform inside a transaction the caller holds (the API's request transaction). */
export async function recordReformIn(manager: Queryable, batch: ReformBatch): Promise<ReformSummary> {
  await manager.query(`SELECT pg_advisory_xact_lock($1)`, [TREE_LOCK]);

  const facts = await lookUp(manager, batch);
  const { problems, plan } = planReform(batch, facts);
  if (!plan) throw new ReformRefusedError(problems, batch.rows.length);
  const children: Array<{ id: number; code: string; parentId: number }> = await manager.query(
    `SELECT c.id, c.code, c.parent_id AS "parentId" FROM org_unit c
      WHERE c.parent_id = ANY($1::int[]) AND (c.valid_to IS NULL OR c.valid_to > $2::date)`,
    [[...plan.closing.keys()], plan.effectiveOn],
  );
  const orphans = checkOrphans(plan, children);
  if (orphans.length > 0) throw new ReformRefusedError(orphans, batch.rows.length);

  await write(manager, plan);
  return {
    effectiveOn: plan.effectiveOn,
    closed: plan.closing.size,
    opened: plan.opens.length,
    successions: plan.successions.length,
    continued: plan.continued,
  };
}

/** Every unit a code of the batch names from the day before effectiveOn on, in one query. */
async function lookUp(manager: Queryable, batch: ReformBatch): Promise<BatchFacts> {
  const d = batch.effectiveOn;
  const facts: BatchFacts = { before: new Map(), on: new Map(), later: new Map() };
  if (!isIsoDate(d)) return facts; // planReform names the bad date
  const codes = new Set<string>([NATION_CODE, ...(batch.closes ?? [])]);
  for (const r of batch.rows) codes.add(r.oldCode).add(r.newCode);
  for (const o of batch.opens ?? []) codes.add(o.code).add(o.parentCode);
  const before = dayBefore(d);
  const units: KnownUnit[] = await manager.query(
    `SELECT u.id, u.code, u.name, u.level, p.code AS "parentCode", pr.code AS "provinceCode",
            to_char(u.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(u.valid_to, 'YYYY-MM-DD') AS "validTo",
            u.path, u.depth, u.province_id AS "provinceId", u.district_id AS "districtId"
       FROM org_unit u
       LEFT JOIN org_unit p ON p.id = u.parent_id
       LEFT JOIN org_unit pr ON pr.id = u.province_id
      WHERE u.code = ANY($1::text[]) AND (u.valid_to IS NULL OR u.valid_to > $2::date)`,
    [[...codes], before],
  );
  for (const u of units) {
    if (u.validFrom <= before) facts.before.set(u.code, u);
    if (u.validFrom <= d && (u.validTo === null || u.validTo > d)) facts.on.set(u.code, u);
    if (u.validFrom > d) facts.later.set(u.code, u.validFrom);
  }
  return facts;
}

/** Where a new unit hangs: an existing unit (its placement known) or another new unit of the same write, by key. */
export type ParentRef = { unit: Pick<KnownUnit, "id" | "path" | "depth" | "provinceId" | "districtId"> } | { key: number };

/** A unit version to insert; `key` names it within one write (new units' parents refer to it). */
export interface UnitInsert {
  key: number;
  code: string;
  name: string;
  level: UnitLevel;
  type: string;
  parent: ParentRef;
  validFrom: string;
  validTo: string | null;
}

/**
 * Inserts unit versions in one statement: ids are drawn from the identity sequence up front so each path
 * can end in its own id; parents come before their children. Returns the id of each key.
 */
export async function insertUnits(manager: Queryable, units: UnitInsert[]): Promise<Map<number, number>> {
  const ids = new Map<number, number>();
  if (units.length === 0) return ids;
  const fresh: Array<{ id: number }> = await manager.query(
    `SELECT nextval(pg_get_serial_sequence('org_unit', 'id'))::int AS id FROM generate_series(1, $1::int)`,
    [units.length],
  );
  units.forEach((u, i) => ids.set(u.key, fresh[i]!.id));
  const order = { province: 0, district: 1, commune: 2 } as const;
  const placed = new Map<number, { id: number; path: string; depth: number; provinceId: number | null; districtId: number | null }>();
  const rows = [...units].sort((a, b) => order[a.level] - order[b.level]).map((u) => {
    const id = ids.get(u.key)!;
    const parent = "unit" in u.parent ? u.parent.unit : placed.get(u.parent.key);
    if (!parent) throw new Error(`Unit ${u.code}: its parent (key ${(u.parent as { key: number }).key}) is not in this write`);
    const row = {
      id,
      path: `${parent.path}${id}/`,
      depth: parent.depth + 1,
      provinceId: u.level === "province" ? id : parent.provinceId,
      districtId: u.level === "district" ? id : u.level === "commune" ? parent.districtId : null,
    };
    placed.set(u.key, row);
    return { ...row, u, parentId: parent.id };
  });
  await manager.query(
    `INSERT INTO org_unit (id, code, name, name_search, level, unit_type, parent_id, path, depth, province_id, district_id, valid_from, valid_to)
     OVERRIDING SYSTEM VALUE
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::int[],
                          $10::int[], $11::int[], $12::date[], $13::date[])`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.u.code),
      rows.map((r) => r.u.name),
      rows.map((r) => toSearchText(r.u.name)),
      rows.map((r) => r.u.level),
      rows.map((r) => r.u.type),
      rows.map((r) => r.parentId),
      rows.map((r) => r.path),
      rows.map((r) => r.depth),
      rows.map((r) => r.provinceId),
      rows.map((r) => r.districtId),
      rows.map((r) => r.u.validFrom),
      rows.map((r) => r.u.validTo),
    ],
  );
  return ids;
}

/** A succession between unit ids. */
export interface SuccessionInsert {
  predecessorId: number;
  successorId: number;
  relation: string;
  effectiveOn: string;
  verification: string;
}

/** Records successions in one statement. */
export async function insertSuccessions(manager: Queryable, successions: SuccessionInsert[]): Promise<void> {
  if (successions.length === 0) return;
  await manager.query(
    `INSERT INTO org_unit_succession (predecessor_id, successor_id, relation, effective_on, verification)
     SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::date[], $5::text[])`,
    [
      successions.map((x) => x.predecessorId),
      successions.map((x) => x.successorId),
      successions.map((x) => x.relation),
      successions.map((x) => x.effectiveOn),
      successions.map((x) => x.verification),
    ],
  );
}

/** Closes, opens and links, one statement each (closing first: a code may pass from an old unit to a new one). */
async function write(manager: Queryable, plan: ReformPlan): Promise<void> {
  const d = plan.effectiveOn;
  if (plan.closing.size > 0) {
    await manager.query(`UPDATE org_unit SET valid_to = $2::date WHERE id = ANY($1::int[])`, [[...plan.closing.keys()], d]);
  }
  // keys of the opened units: their position in the plan
  const keyOf = new Map(plan.opens.map((o, i) => [o.opening.code, i]));
  const ids = await insertUnits(
    manager,
    plan.opens.map((o, i) => ({
      key: i,
      ...o.opening,
      parent: "unit" in o.parent ? { unit: o.parent.unit } : { key: keyOf.get(o.parent.opened)! },
      validFrom: d,
      validTo: null,
    })),
  );
  await insertSuccessions(
    manager,
    plan.successions.map((x) => ({
      predecessorId: x.predecessorId,
      successorId: "opened" in x.successor ? ids.get(keyOf.get(x.successor.opened)!)! : x.successor.id,
      relation: x.relation,
      effectiveOn: d,
      verification: x.verification,
    })),
  );
}

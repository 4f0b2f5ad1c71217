import type { DataSource, EntityManager } from "typeorm";
import { INDICATORS, PROGRAM } from "./indicators.data";
import { PLANS, type DeadlineSeed } from "./plans.data";
import { PLANS_2026 } from "./plans-2026.data";
import { seedRegisters } from "./registers.seed";
import type { PlanSeed } from "./seed.types";
import { t } from "../src/i18n/i18n";

export const SEED_ACTOR = "seed";

/** Program and indicator catalog (idempotent: existing codes are left alone). Returns the program's id. */
export async function seedCatalog(manager: EntityManager): Promise<number> {
  return (await insertCatalog(manager)).programId;
}

/** seedCatalog, saying which indicator codes it added (none on a second run). */
export async function insertCatalog(manager: EntityManager): Promise<{ programId: number; added: string[] }> {
  await manager.query(
    `INSERT INTO program (code, name_vi, name_en) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING`,
    [PROGRAM.code, PROGRAM.nameVi, PROGRAM.nameEn],
  );
  const [{ id: programId }] = await manager.query(`SELECT id FROM program WHERE code = $1`, [PROGRAM.code]);
  const added: string[] = [];
  for (const [index, i] of INDICATORS.entries()) {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO indicator (program_id, code, name_vi, name_en, area, value_kind, direction, rollup_rule,
                              reporting_level, reporting_level_two_tier, period_type, period_rule, measured_on, sort_order,
                              unit, numerator_unit)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16) ON CONFLICT (code) DO NOTHING RETURNING 1`,
      [programId, i.code, i.nameVi, i.nameEn, i.area, i.valueKind, i.direction, i.rollupRule,
       i.reportingLevel, i.reportingLevelTwoTier, i.periodType, i.periodRule, i.measuredOn, (index + 1) * 10,
       i.unit, i.numeratorUnit ?? null],
    );
    if (inserted.length) added.push(i.code);
  }
  return { programId, added };
}

/** What seeding a list of plans did, by seed key. */
export interface SeededPlans {
  /** every plan of the list that is in the database now (added or kept), by seed key */
  ids: Map<string, string>;
  /** plans inserted by this run, with their targets, reporting deadlines, assignments and quotas */
  added: string[];
  /** plans already there (same unit, program and period, same document): left as they are, targets and all */
  kept: string[];
  /** plans not seeded: the unit holds another plan for that period (or the plan's parent was skipped) */
  skipped: Array<{ key: string; why: string }>;
}

/** The plans of the seed documents (2021-2025 and before) with their targets, assignments and reporting deadlines. Returns plan ids by seed key. */
export async function seedPlans(manager: EntityManager, programId: number): Promise<Map<string, string>> {
  return (await seedPlanList(manager, programId, PLANS)).ids;
}

/**
 * Seeds a list of plans, parents before children, idempotently: a plan whose unit already holds a plan of the
 * program for the same period (the unique key of plan) is not inserted again; if that plan is the seed's (same
 * document number, or title when the seed has none) it is kept as it is and its seeded children may go under
 * it, otherwise it and its seeded children are skipped. A new plan gets its targets, reporting deadlines,
 * assignments and quotas.
 * `known`: ids of plans of earlier lists, for parents across lists.
 */
export async function seedPlanList(
  manager: EntityManager,
  programId: number,
  plans: ReadonlyArray<PlanSeed & { deadlines?: DeadlineSeed[] }>,
  known: ReadonlyMap<string, string> = new Map(),
): Promise<SeededPlans> {
  const result: SeededPlans = { ids: new Map(), added: [], kept: [], skipped: [] };
  const skipped = new Set<string>();
  for (const plan of plans) {
    if (plan.parentKey && skipped.has(plan.parentKey)) {
      skipped.add(plan.key);
      result.skipped.push({ key: plan.key, why: t("seed:parentSkipped", { parentKey: plan.parentKey }) });
      continue;
    }
    const parentId = plan.parentKey ? (result.ids.get(plan.parentKey) ?? known.get(plan.parentKey)) : null;
    if (plan.parentKey && !parentId) throw new Error(`Plan ${plan.key}: parent ${plan.parentKey} must come first`);
    // a plan's unit is the one the code named when the plan's period began (91 was Kiên Giang in 2021)
    const [unit] = await manager.query(
      `SELECT id FROM org_unit WHERE code = $1 AND valid_from <= $2::date AND (valid_to IS NULL OR valid_to > $2::date)`,
      [plan.unitCode, plan.periodStart],
    );
    if (!unit) throw new Error(`Plan ${plan.key}: no unit ${plan.unitCode} on the tree of ${plan.periodStart} (load the registers first: npm run seed:registers)`);
    const [inserted] = await manager.query(
      `INSERT INTO plan (program_id, unit_id, parent_plan_id, title, document_number, issued_on, period_start, period_end,
                         status, legal_basis, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (program_id, unit_id, period_start, period_end) DO NOTHING
       RETURNING id`,
      [programId, unit.id, parentId, plan.title, plan.documentNumber ?? null, plan.issuedOn ?? null,
       plan.periodStart, plan.periodEnd, plan.status ?? "active", plan.legalBasis ?? null, SEED_ACTOR],
    );
    if (!inserted) {
      const [existing] = await manager.query(
        `SELECT id, coalesce(document_number, title) AS name FROM plan
          WHERE program_id = $1 AND unit_id = $2 AND period_start = $3::date AND period_end = $4::date`,
        [programId, unit.id, plan.periodStart, plan.periodEnd],
      );
      if (existing.name === (plan.documentNumber ?? plan.title)) {
        result.ids.set(plan.key, existing.id);
        result.kept.push(plan.key);
      } else {
        skipped.add(plan.key);
        result.skipped.push({ key: plan.key, why: t("seed:unitHoldsPlan", { unitCode: plan.unitCode, name: existing.name, periodStart: plan.periodStart, periodEnd: plan.periodEnd }) });
      }
      continue;
    }
    const id: string = inserted.id;
    result.ids.set(plan.key, id);
    result.added.push(plan.key);
    for (const t of plan.targets) {
      await manager.query(
        `INSERT INTO target (plan_id, indicator_id, kind, share, count, frequency_interval, change_low, change_high,
                             deadline, quantity, source_text, updated_by)
         SELECT $1, i.id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 FROM indicator i WHERE i.code = $2`,
        [id, t.indicator, t.kind, t.share ?? null, t.count ?? null, t.frequencyInterval ?? null,
         t.changeLow ?? null, t.changeHigh ?? null, t.deadline ?? null, t.quantity ?? null, t.sourceText, SEED_ACTOR],
      );
    }
    for (const d of plan.deadlines ?? []) {
      await manager.query(
        `INSERT INTO reporting_deadline (plan_id, period_type, days_after_end, months_after_end, due_day, source_text, set_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, d.periodType, d.daysAfterEnd ?? null, d.day === undefined ? null : (d.monthsAfterEnd ?? 0), d.day ?? null, d.sourceText, SEED_ACTOR],
      );
    }
    for (const a of plan.assignments ?? []) {
      const assigned: unknown[] = await manager.query(
        `INSERT INTO target_assignment (plan_id, indicator_id, unit_id, assigned_by)
         SELECT $1, i.id, u.id, $4 FROM indicator i, org_unit u
         WHERE i.code = $2 AND u.code = ANY($3) AND u.valid_from <= $5::date AND (u.valid_to IS NULL OR u.valid_to > $5::date)
         RETURNING 1`,
        [id, a.indicator, a.unitCodes, SEED_ACTOR, plan.periodStart],
      );
      // a code the tree of the plan's start does not hold would otherwise vanish silently
      if (assigned.length !== a.unitCodes.length) {
        throw new Error(`Plan ${plan.key}: ${a.unitCodes.length - assigned.length} of ${a.indicator}'s assigned units are not on the tree of ${plan.periodStart}`);
      }
    }
    for (const q of plan.quotas ?? []) {
      // as assignQuotas: a split of one of the plan's own quantity targets, among children of its unit on its dates
      const target = plan.targets.find((t) => t.indicator === q.indicator);
      if (!target || (target.kind !== "quantity_floor" && target.kind !== "quantity_ceiling")) {
        throw new Error(`Plan ${plan.key}: quotas of ${q.indicator} split no quantity target of the plan`);
      }
      const given: unknown[] = await manager.query(
        `INSERT INTO target_quota (plan_id, indicator_id, unit_id, kind, quantity, assigned_by)
         SELECT $1, i.id, u.id, $3, q.quantity, $4
           FROM jsonb_to_recordset($5::jsonb) AS q("unitCode" text, quantity numeric)
           JOIN org_unit u ON u.code = q."unitCode" AND u.parent_id = $6
                          AND u.valid_from <= $7::date AND (u.valid_to IS NULL OR u.valid_to > $7::date)
           JOIN indicator i ON i.code = $2
         RETURNING 1`,
        [id, q.indicator, target.kind, SEED_ACTOR, JSON.stringify(q.quotas), unit.id, plan.periodStart],
      );
      if (given.length !== q.quotas.length) {
        throw new Error(`Plan ${plan.key}: ${q.quotas.length - given.length} of ${q.indicator}'s quota units are not children of ${plan.unitCode} on ${plan.periodStart}`);
      }
    }
  }
  return result;
}

/** True when the documents' plans have not been seeded yet (the registers may already be there). */
export async function isEmpty(dataSource: DataSource): Promise<boolean> {
  const rows = await dataSource.query(`SELECT 1 FROM plan LIMIT 1`);
  return rows.length === 0;
}

/**
 * The default seed: every register (the dated tree of 2024, 2025-06 and the two-tier reform, with its
 * successions), then the indicator catalog, the documents' plans on the units of their time, and the plans of
 * 2026 (plans-2026.data.ts: the national 2026-2035 draft, Hà Nội's 07/KH-UBND and 06/KH-UBND with its quotas).
 * The registers load idempotently in their own transaction; catalog and plans, idempotently too, in one more.
 */
export async function seedDocuments(dataSource: DataSource): Promise<{ units: number; plans: number }> {
  const registers = await seedRegisters(dataSource);
  return dataSource.transaction(async (manager) => {
    const { plans } = await seedCatalogAndPlans(manager);
    return { units: registers.opened, plans };
  });
}

/**
 * The catalog and every seed plan (2021-2025 and before, then 2026), loading only what is missing: on a database
 * seeded before the 2026 plans existed, this adds them and the indicators they need. Says what it added.
 */
export async function seedCatalogAndPlans(
  manager: EntityManager,
): Promise<{ plans: number; indicatorsAdded: string[]; plansAdded: string[]; plansSkipped: SeededPlans["skipped"] }> {
  const catalog = await insertCatalog(manager);
  const documents = await seedPlanList(manager, catalog.programId, PLANS);
  const y2026 = await seedPlanList(manager, catalog.programId, PLANS_2026, documents.ids);
  return {
    plans: documents.ids.size + y2026.ids.size,
    indicatorsAdded: catalog.added,
    plansAdded: [...documents.added, ...y2026.added],
    plansSkipped: [...documents.skipped, ...y2026.skipped],
  };
}

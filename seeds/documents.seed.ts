import type { DataSource, EntityManager } from "typeorm";
import { INDICATORS, PROGRAM } from "./indicators.data";
import { PLANS } from "./plans.data";
import { seedRegisters } from "./registers.seed";

export const SEED_ACTOR = "seed";

/** Program and indicator catalog (idempotent: existing codes are left alone). */
export async function seedCatalog(manager: EntityManager): Promise<number> {
  await manager.query(
    `INSERT INTO program (code, name_vi, name_en) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING`,
    [PROGRAM.code, PROGRAM.nameVi, PROGRAM.nameEn],
  );
  const [{ id: programId }] = await manager.query(`SELECT id FROM program WHERE code = $1`, [PROGRAM.code]);
  for (const [index, i] of INDICATORS.entries()) {
    await manager.query(
      `INSERT INTO indicator (program_id, code, name_vi, name_en, area, value_kind, direction, rollup_rule,
                              reporting_level, reporting_level_two_tier, period_type, period_rule, measured_on, sort_order,
                              unit, numerator_unit)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16) ON CONFLICT (code) DO NOTHING`,
      [programId, i.code, i.nameVi, i.nameEn, i.area, i.valueKind, i.direction, i.rollupRule,
       i.reportingLevel, i.reportingLevelTwoTier, i.periodType, i.periodRule, i.measuredOn, (index + 1) * 10,
       i.unit, i.numeratorUnit ?? null],
    );
  }
  return programId;
}

/** The plans of the seed documents with their targets, assignments and reporting deadlines. Returns plan ids by seed key. */
export async function seedPlans(manager: EntityManager, programId: number): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const plan of PLANS) {
    const parentId = plan.parentKey ? ids.get(plan.parentKey) : null;
    if (plan.parentKey && !parentId) throw new Error(`Plan ${plan.key}: parent ${plan.parentKey} must come first`);
    // a plan's unit is the one the code named when the plan's period began (91 was Kiên Giang in 2021)
    const [{ id }] = await manager.query(
      `INSERT INTO plan (program_id, unit_id, parent_plan_id, title, document_number, issued_on, period_start, period_end, created_by)
       SELECT $1, u.id, $3, $4, $5, $6, $7, $8, $9 FROM org_unit u
        WHERE u.code = $2 AND u.valid_from <= $7::date AND (u.valid_to IS NULL OR u.valid_to > $7::date)
       RETURNING id`,
      [programId, plan.unitCode, parentId, plan.title, plan.documentNumber ?? null, plan.issuedOn ?? null,
       plan.periodStart, plan.periodEnd, SEED_ACTOR],
    );
    ids.set(plan.key, id);
    for (const t of plan.targets) {
      await manager.query(
        `INSERT INTO target (plan_id, indicator_id, kind, share, count, frequency_interval, change_low, change_high,
                             deadline, source_text, updated_by)
         SELECT $1, i.id, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM indicator i WHERE i.code = $2`,
        [id, t.indicator, t.kind, t.share ?? null, t.count ?? null, t.frequencyInterval ?? null,
         t.changeLow ?? null, t.changeHigh ?? null, t.deadline ?? null, t.sourceText, SEED_ACTOR],
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
  }
  return ids;
}

/** True when the documents' plans have not been seeded yet (the registers may already be there). */
export async function isEmpty(dataSource: DataSource): Promise<boolean> {
  const rows = await dataSource.query(`SELECT 1 FROM plan LIMIT 1`);
  return rows.length === 0;
}

/**
 * The default seed: every register (the dated tree of 2024, 2025-06 and the two-tier reform, with its
 * successions), then the indicator catalog and the documents' plans on the units of their time. The
 * registers load idempotently in their own transaction; catalog and plans in one more.
 */
export async function seedDocuments(dataSource: DataSource): Promise<{ units: number; plans: number }> {
  const registers = await seedRegisters(dataSource);
  return dataSource.transaction(async (manager) => {
    const programId = await seedCatalog(manager);
    const plans = await seedPlans(manager, programId);
    return { units: registers.opened, plans: plans.size };
  });
}

import type { DataSource, EntityManager } from "typeorm";
import { INDICATORS, PROGRAM } from "./indicators.data";
import { PLANS } from "./plans.data";
import { DOCUMENT_PROVINCES, ensureNation, loadUnits, readRegister, rowsOfProvinces } from "./units.loader";

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
                              reporting_level, reporting_level_two_tier, period_type, period_rule, measured_on, sort_order)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) ON CONFLICT (code) DO NOTHING`,
      [programId, i.code, i.nameVi, i.nameEn, i.area, i.valueKind, i.direction, i.rollupRule,
       i.reportingLevel, i.reportingLevelTwoTier, i.periodType, i.periodRule, i.measuredOn, (index + 1) * 10],
    );
  }
  return programId;
}

/** The plans of the seed documents with their targets and assignments. Returns plan ids by seed key. */
export async function seedPlans(manager: EntityManager, programId: number): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const plan of PLANS) {
    const parentId = plan.parentKey ? ids.get(plan.parentKey) : null;
    if (plan.parentKey && !parentId) throw new Error(`Plan ${plan.key}: parent ${plan.parentKey} must come first`);
    const [{ id }] = await manager.query(
      `INSERT INTO plan (program_id, unit_id, parent_plan_id, title, document_number, issued_on, period_start, period_end, created_by)
       SELECT $1, u.id, $3, $4, $5, $6, $7, $8, $9 FROM org_unit u WHERE u.code = $2 AND u.valid_to IS NULL
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
    for (const a of plan.assignments ?? []) {
      await manager.query(
        `INSERT INTO target_assignment (plan_id, indicator_id, unit_id, assigned_by)
         SELECT $1, i.id, u.id, $4 FROM indicator i, org_unit u
         WHERE i.code = $2 AND u.code = ANY($3) AND u.valid_to IS NULL`,
        [id, a.indicator, a.unitCodes, SEED_ACTOR],
      );
    }
  }
  return ids;
}

/** True when the documents' plans have not been seeded yet (units may already be there, e.g. from seed:national). */
export async function isEmpty(dataSource: DataSource): Promise<boolean> {
  const rows = await dataSource.query(`SELECT 1 FROM plan LIMIT 1`);
  return rows.length === 0;
}

/**
 * The default seed: the nation, the five provinces of the seed documents with all their districts and
 * communes, the indicator catalog and the documents' plans. One transaction; units and catalog entries
 * that already exist are kept, so it can follow `npm run seed:national`.
 */
export async function seedDocuments(dataSource: DataSource): Promise<{ units: number; plans: number }> {
  return dataSource.transaction(async (manager) => {
    await ensureNation(manager);
    const units = await loadUnits(manager, rowsOfProvinces(readRegister(), DOCUMENT_PROVINCES));
    const programId = await seedCatalog(manager);
    const plans = await seedPlans(manager, programId);
    return { units, plans: plans.size };
  });
}

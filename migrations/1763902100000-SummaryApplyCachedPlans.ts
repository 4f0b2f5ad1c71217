import type { MigrationInterface, QueryRunner } from "typeorm";
import { APPLY_FUNCTIONS, summaryApplyInTwoSteps } from "./1763902060000-BulkWrites";

/**
 * report_summary_apply and report_summary_approved_apply were SQL functions: PostgreSQL plans a SECURITY DEFINER
 * SQL function's body anew on every call (it cannot be inlined, and its plan lives only for the calling statement):
 * ~0.8 ms of a one-report write's 1.3 ms in the summaries (bench, BENCH_WRITE_ONLY=1). The same statement in
 * plpgsql keeps its plan per connection: generic under plan_cache_mode force_generic_plan, which a reporter's small
 * write sets (ReportService.planFor), and chosen by PostgreSQL as usual for a batch. Same body, same answers.
 */
function inPlpgsql(definition: string): string {
  const body = /AS \$\$([\s\S]*)\$\$;\s*$/.exec(definition);
  if (!definition.includes("LANGUAGE sql") || !body) throw new Error("summary apply: not the SQL function of migration 1763902060000");
  return `${definition.slice(0, body.index).replace("LANGUAGE sql", "LANGUAGE plpgsql")}AS $$
        BEGIN
        ${body[1]!.trim()};
        END $$;`;
}

export class SummaryApplyCachedPlans1763902100000 implements MigrationInterface {
  name = "SummaryApplyCachedPlans1763902100000";

  async up(q: QueryRunner): Promise<void> {
    for (const f of APPLY_FUNCTIONS) await q.query(inPlpgsql(summaryApplyInTwoSteps(f.name, f.table)));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const f of APPLY_FUNCTIONS) await q.query(summaryApplyInTwoSteps(f.name, f.table));
  }
}

import crypto from "node:crypto";
import type { AuthedContext } from "../context";
import { BadUserInputError, ConflictError } from "../common/errors";
import { t } from "../i18n/i18n";
import { checkAuditReason } from "../common/text";
import { insertAudit } from "../audit/audit.writer";
import { RollupSummaryService, lockSummariesSql, type IndicatorRules, type YearReport } from "../rollup/rollup-summary.service";
import {
  canonicalPayload,
  duplicateRows,
  normalizeRow,
  periodOf,
  validateRow,
  type NormalizedRow,
  type ReportRow,
  type ResolvedRow,
  type RowError,
  type UnitVersion,
} from "./report.rules";
import { inSubtree } from "../auth/scope";
import { SubmitReportsResult, type SubmitReportsInput } from "./report.types";

/** The report_locked trigger refused a write: its unit and period were approved after the batch was validated. */
export function lockedMeanwhile(error: unknown): never {
  const e = error as { constraint?: string; message?: string } | null;
  if (e?.constraint === "report_locked") {
    // the trigger's words (migration ReportApproval) carry who and when: said again in the caller's language
    const hit = /^The data of (.+) for (.+) was approved by (.+) at (.+): it is locked/.exec(e.message ?? "");
    const message = hit
      ? t("report:lockedRace", { unit: hit[1], period: hit[2], by: hit[3], at: hit[4] })
      : t("report:lockedMeanwhile", { detail: t("report:lockedDefault") });
    throw new ConflictError(message, {
      field: "rows",
    });
  }
  throw error;
}

/** Rows per set-based statement (validation lookups and writes). */
export const CHUNK = 5000;

/**
 * From this many rows, the batch's transaction runs without JIT: PostgreSQL plans the lookup over unnest()s at a
 * cost in the millions and JIT-compiles it, ≈ 0.5 s a statement, for statements that run in ≈ 0.1 s without.
 */
const NO_JIT_ROWS = 100;

export interface Validation {
  rows: NormalizedRow[];
  errors: RowError[];
  indicators: Map<number, IndicatorRules>;
  /** the rows' summaries are locked already (validate's lockForWrite) */
  locked: boolean;
}

export interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

interface ResolveRow {
  ord: number;
  unit_id: number | null;
  unit_level: string | null;
  unit_path: string | null;
  indicator_id: number | null;
  value_kind: string | null;
  reporting_level: string | null;
  period_type: string | null;
  period_rule: string | null;
  reporting_level_two_tier: string | null;
  covered: boolean;
  other_versions: UnitVersion[] | null;
  approved_by: string | null;
  approved_by_unit_code: string | null;
  approved_at: Date | null;
}

const code = (s: unknown) => String(s ?? "").trim().toUpperCase();

/**
 * Report submission: a batch is validated whole (one lookup statement per 5,000 rows, then the pure row
 * rules), refused whole when any row is bad, and written with set-based statements: an upsert that
 * skips identical rows and audits changed ones, then the maintained roll-up summaries, in the same
 * transaction. The GraphQL mutation and the CSV import share validate() and write().
 */
export class ReportService {
  static async submit(ctx: AuthedContext, input: SubmitReportsInput): Promise<SubmitReportsResult> {
    const rows: ReportRow[] = input.rows;
    const key = input.idempotencyKey?.trim() || null;
    const reason = input.reason === undefined || input.reason === null ? null : checkAuditReason(input.reason);
    const hash = crypto.createHash("sha256").update(canonicalPayload(rows)).digest("hex");
    await ReportService.planFor(ctx, rows.length); // before the key's claim opens the transaction
    if (key && !input.dryRun) {
      const replay = await ReportService.claimKey(ctx, key, hash);
      if (replay) return replay;
    }
    const validation = await ReportService.validate(ctx, rows, undefined, { lockForWrite: !input.dryRun });
    ReportService.refuseInvalid(validation.errors, rows.length);
    const counts = input.dryRun
      ? await ReportService.countChanges(ctx, validation.rows)
      : await ReportService.write(ctx, validation.rows, validation.indicators, { idempotencyKey: key, reason, locked: validation.locked });
    const result = Object.assign(new SubmitReportsResult(), { dryRun: input.dryRun, replayed: false, received: rows.length, ...counts });
    if (key && !input.dryRun) {
      await ctx.db.query(`UPDATE report_submission SET result = $3 WHERE actor = $1 AND idempotency_key = $2`, [
        ctx.actor.subject,
        key,
        JSON.stringify(result),
      ]);
    }
    return result;
  }

  /**
   * How PostgreSQL plans a write of this many rows: a batch for its size, without JIT (compiling costs more than it
   * saves); a reporter's few rows with the statements' generic plans, kept per connection (planning each anew cost
   * more than running it: ~1 ms a statement). Transaction-local; sent with the transaction's first statement.
   */
  private static planFor(ctx: AuthedContext, rows: number): Promise<void> {
    return ctx.db.configure(rows >= NO_JIT_ROWS ? { jit: "off" } : { plan_cache_mode: "force_generic_plan" });
  }

  /** Throws BAD_USER_INPUT listing every bad row (index, field, code, message) when there is one. */
  static refuseInvalid(errors: RowError[], received: number): void {
    if (errors.length === 0) return;
    const badRows = new Set(errors.map((e) => e.index)).size;
    throw new BadUserInputError(t("report:invalidRows", { bad: badRows, received }), "rows", {
      invalidRows: errors,
    });
  }

  /**
   * Claims an idempotency key for this payload. A key seen before answers its first result (same rows)
   * or is refused (other rows). A concurrent batch with the same key waits on the row, then sees it.
   */
  private static async claimKey(ctx: AuthedContext, key: string, hash: string): Promise<SubmitReportsResult | null> {
    const claimed = await ctx.db.query(
      `INSERT INTO report_submission (actor, idempotency_key, payload_hash, unit_path) VALUES ($1, $2, $3, $4)
       ON CONFLICT (actor, idempotency_key) DO NOTHING RETURNING 1`,
      [ctx.actor.subject, key, hash, ctx.actor.unitPath],
    );
    if (claimed.length > 0) return null;
    const [seen] = await ctx.db.query<{ payload_hash: string; result: Record<string, unknown> | null }>(
      `SELECT payload_hash, result FROM report_submission WHERE actor = $1 AND idempotency_key = $2`,
      [ctx.actor.subject, key],
    );
    if (!seen || seen.payload_hash !== hash || !seen.result) {
      throw new ConflictError(t("report:keyReused", { key }), {
        field: "idempotencyKey",
      });
    }
    return Object.assign(new SubmitReportsResult(), seen.result, { replayed: true });
  }

  /**
   * Resolves codes (units only in the caller's subtree), finds the units and periods whose data is approved
   * (LOCKED), and runs every row through the rules. `lockForWrite`: the rows are about to be written (not a dry
   * run): the lookup also takes their summaries' locks, which write() then need not take (`locked`).
   */
  static async validate(
    ctx: AuthedContext,
    rows: ReportRow[],
    onProgress: (done: number) => void = () => undefined,
    options: { lockForWrite?: boolean } = {},
  ): Promise<Validation> {
    const errors: RowError[] = duplicateRows(rows);
    const normalized: NormalizedRow[] = [];
    const indicators = new Map<number, IndicatorRules>();
    await ReportService.planFor(ctx, rows.length);
    for (let offset = 0; offset < rows.length; offset += CHUNK) {
      const part = rows.slice(offset, offset + CHUNK);
      const periods = part.map((r) => periodOf(r.period));
      const found = await ctx.db.query<ResolveRow>(
        `WITH found AS (
         SELECT s.ord::int AS ord, u.id AS unit_id, u.level AS unit_level, u.path AS unit_path, i.id AS indicator_id, i.value_kind,
                i.reporting_level, i.reporting_level_two_tier, i.period_type, i.period_rule, other.versions AS other_versions,
                lk.approved_by, lk.approved_by_unit_code, lk.approved_at,
                (u.id IS NOT NULL AND i.id IS NOT NULL AND s.ps IS NOT NULL AND EXISTS (
                   SELECT 1 FROM plan p
                    WHERE p.unit_id = ANY (string_to_array(btrim(u.path, '/'), '/')::int[])
                      AND p.program_id = i.program_id AND p.status <> 'draft'
                      AND p.period_start <= s.ps AND p.period_end >= s.pe)) AS covered
           FROM unnest($2::text[], $3::text[], $4::date[], $5::date[], $6::text[]) WITH ORDINALITY AS s(unit_code, indicator_code, ps, pe, period_code, ord)
           -- the unit the code names over the whole period: reports are on the tree of their period
           LEFT JOIN LATERAL (
             SELECT u.id, u.level, u.path FROM org_unit u
              WHERE u.code = s.unit_code AND u.valid_from <= s.ps AND (u.valid_to IS NULL OR u.valid_to > s.pe)
                AND ${inSubtree("u.path", "$1")}) u ON true
           -- else the units it names on other dates, to say why and what to report instead (with a malformed
           -- period: that the code is known, so the row is refused for its period alone)
           LEFT JOIN LATERAL (
             SELECT json_agg(json_build_object('name', o.name, 'level', o.level,
                      'validFrom', to_char(o.valid_from, 'YYYY-MM-DD'), 'validTo', to_char(o.valid_to, 'YYYY-MM-DD'),
                      'successors', (SELECT coalesce(json_agg(n.code || ' ' || n.name ORDER BY n.code), '[]')
                                       FROM org_unit_succession x JOIN org_unit n ON n.id = x.successor_id
                                      WHERE x.predecessor_id = o.id)) ORDER BY o.valid_from) AS versions
               FROM org_unit o
              WHERE u.id IS NULL AND o.code = s.unit_code AND ${inSubtree("o.path", "$1")}) other ON true
           LEFT JOIN indicator i ON i.code = s.indicator_code
           -- approved data is locked (report.approval.rules.ts): who approved it, from which unit, when
           LEFT JOIN LATERAL (
             SELECT a.approved_by, au.code AS approved_by_unit_code, a.approved_at
               FROM report_approval a LEFT JOIN org_unit au ON au.id = a.approved_by_unit_id
              WHERE a.unit_id = u.id AND a.period_code = s.period_code AND a.state = 'approved') lk ON true
         ), locked AS (
           -- a write's summaries' locks (lockUnits'), before its upsert's snapshot: with the lookup, not a round trip of their own
           ${lockSummariesSql("found", "$7::boolean")}
         )
         SELECT found.* FROM found CROSS JOIN locked ORDER BY found.ord`,
        [
          ctx.actor.scopePaths,
          part.map((r) => code(r.unitCode)),
          part.map((r) => code(r.indicatorCode)),
          periods.map((p) => p?.start ?? null),
          periods.map((p) => p?.end ?? null),
          periods.map((p) => p?.code ?? null),
          options.lockForWrite ?? false,
        ],
        { prepare: rows.length < NO_JIT_ROWS },
      );
      found.forEach((f, i) => {
        const row = part[i]!;
        const resolved: ResolvedRow = {
          unit: f.unit_id === null ? null : { id: f.unit_id, level: f.unit_level!, path: f.unit_path! },
          indicator:
            f.indicator_id === null
              ? null
              : {
                  id: f.indicator_id,
                  valueKind: f.value_kind!,
                  reportingLevel: f.reporting_level!,
                  reportingLevelTwoTier: f.reporting_level_two_tier!,
                  periodType: f.period_type!,
                },
          coveredByPlan: f.covered,
          otherVersions: f.other_versions ?? undefined,
          lock: f.approved_by
            ? { approvedBy: f.approved_by, approvedByUnitCode: f.approved_by_unit_code, approvedAt: new Date(f.approved_at!).toISOString() }
            : null,
        };
        const rowErrors = validateRow(row, offset + i, resolved);
        if (rowErrors.length > 0) errors.push(...rowErrors);
        else if (errors.length === 0) normalized.push(normalizeRow(row, resolved));
        if (f.indicator_id !== null && !indicators.has(f.indicator_id)) {
          indicators.set(f.indicator_id, {
            id: f.indicator_id,
            valueKind: f.value_kind as IndicatorRules["valueKind"],
            periodType: f.period_type as IndicatorRules["periodType"],
            periodRule: f.period_rule as IndicatorRules["periodRule"],
          });
        }
      });
      onProgress(offset + part.length);
    }
    errors.sort((a, b) => a.index - b.index);
    return { rows: errors.length ? [] : normalized, errors, indicators, locked: options.lockForWrite ?? false };
  }

  private static columns(rows: NormalizedRow[]): unknown[] {
    return [
      rows.map((r) => r.unitId),
      rows.map((r) => r.indicatorId),
      rows.map((r) => r.periodCode),
      rows.map((r) => r.periodType),
      rows.map((r) => r.periodStart),
      rows.map((r) => r.periodEnd),
      rows.map((r) => r.value),
      rows.map((r) => r.numerator),
      rows.map((r) => r.denominator),
      rows.map((r) => r.unitPath),
    ];
  }

  private static readonly SOURCE = `
    src AS (
      SELECT s.unit_id, s.indicator_id, s.period_code, s.period_type, s.ps, s.pe,
             round(s.v, 3) AS v, round(s.n, 3) AS n, round(s.d, 3) AS d, s.unit_path
        FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::date[], $6::date[], $7::numeric[], $8::numeric[], $9::numeric[], $10::text[])
          AS s(unit_id, indicator_id, period_code, period_type, ps, pe, v, n, d, unit_path)
    ), old AS (
      SELECT r.id, r.unit_id, r.indicator_id, r.period_code, r.value, r.numerator, r.denominator, r.submitted_by, r.submitted_at
        FROM report r JOIN src s USING (unit_id, indicator_id, period_code)
    ), changed AS (
      SELECT s.*, o.id AS old_id FROM src s LEFT JOIN old o USING (unit_id, indicator_id, period_code)
       WHERE o.id IS NULL OR o.value IS DISTINCT FROM s.v OR o.numerator IS DISTINCT FROM s.n OR o.denominator IS DISTINCT FROM s.d
    )`;

  /** What a write would do, writing nothing (dry run). One statement per 5,000 rows. */
  static async countChanges(ctx: AuthedContext, rows: NormalizedRow[]): Promise<WriteCounts> {
    let inserted = 0;
    let updated = 0;
    for (let offset = 0; offset < rows.length; offset += CHUNK) {
      const [c] = await ctx.db.query<{ inserted: number; updated: number }>(
        `WITH ${ReportService.SOURCE}
         SELECT count(*) FILTER (WHERE old_id IS NULL)::int AS inserted, count(*) FILTER (WHERE old_id IS NOT NULL)::int AS updated FROM changed`,
        ReportService.columns(rows.slice(offset, offset + CHUNK)),
      );
      inserted += c!.inserted;
      updated += c!.updated;
    }
    return { inserted, updated, unchanged: rows.length - inserted - updated };
  }

  /**
   * Writes valid rows: identical ones are left alone, new ones inserted, changed ones updated with an
   * audit_log entry (old value, new value, who, when), each new or changed one with a report_history row
   * (values, who, when, reason, batch); then the roll-up summaries of every ancestor.
   * Per 5,000 rows: lock, upsert + audit + history + the year's reports read, summaries upsert — three statements; then one
   * audit entry for the whole batch when it wrote anything (see auditBatch). A row whose unit and period were
   * approved after validation (the report_locked trigger) refuses the batch: CONFLICT, nothing written.
   */
  static async write(
    ctx: AuthedContext,
    rows: NormalizedRow[],
    indicators: Map<number, IndicatorRules>,
    options: { idempotencyKey?: string | null; reason?: string | null; onProgress?: (done: number) => void; locked?: boolean } = {},
  ): Promise<WriteCounts> {
    let inserted = 0;
    let updated = 0;
    const touched = new Set<number>();
    const codes = new Map(rows.map((r) => [r.unitId, r.unitCode]));
    // one chunk: its statement writes the batch's audit entry too (several: auditBatch, with the counts of all)
    const auditedHere = rows.length <= CHUNK;
    for (let offset = 0; offset < rows.length; offset += CHUNK) {
      const part = rows.slice(offset, offset + CHUNK);
      // before the statement below: its snapshot then holds every write of the same units that held the lock before
      if (!options.locked) await RollupSummaryService.lockUnits(ctx, part);
      const written = await ctx.db
        .query<YearReport & { changed: boolean; is_new: boolean | null }>(
        `WITH ${ReportService.SOURCE},
         up AS (
           -- the unit's path as validation found it, checked per statement by the report_unit_path_check trigger
           -- (migration 1763902060000); without one, the row trigger looks it up
           INSERT INTO report (unit_id, unit_path, indicator_id, period_code, period_type, period_start, period_end, value, numerator, denominator, submitted_by)
           SELECT unit_id, unit_path, indicator_id, period_code, period_type, ps, pe, v, n, d, $11 FROM changed
            ORDER BY unit_id, indicator_id, period_code
           ON CONFLICT (unit_id, indicator_id, period_code) DO UPDATE
              SET value = EXCLUDED.value, numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator,
                  submitted_by = EXCLUDED.submitted_by, submitted_at = now()
           RETURNING id, unit_id, indicator_id, period_code, period_start, unit_path, value, numerator, denominator
         ), audit AS (
           ${insertAudit(
             {
               actor: "$11",
               action: "report.update",
               entity: "report",
               entityId: "u.id",
               unitPath: "u.unit_path",
               oldValue: `jsonb_build_object('value', o.value, 'numerator', o.numerator, 'denominator', o.denominator,
                                             'submittedBy', o.submitted_by, 'submittedAt', o.submitted_at)`,
               newValue: `jsonb_build_object('value', u.value, 'numerator', u.numerator, 'denominator', u.denominator,
                                             'unitId', u.unit_id, 'indicatorId', u.indicator_id, 'period', u.period_code)`,
               requestId: "$12",
             },
             "FROM up u JOIN old o USING (unit_id, indicator_id, period_code)",
           )}
           RETURNING 1
         ), history AS (
           INSERT INTO report_history (unit_id, indicator_id, period_code, unit_path, action, value, numerator, denominator,
                                       changed_by, reason, batch, request_id)
           SELECT u.unit_id, u.indicator_id, u.period_code, u.unit_path, CASE WHEN o.id IS NULL THEN 'submitted' ELSE 'updated' END,
                  u.value, u.numerator, u.denominator, $11, $13, coalesce($14, $12), $12
             FROM up u LEFT JOIN old o USING (unit_id, indicator_id, period_code)
           RETURNING 1
         ), batch AS (
           -- a batch written in one statement (one chunk) has its batch entry here (auditBatch's: $15 rows received,
           -- the codes $16 give the rows' units): not a statement of its own
           ${insertAudit(
             {
               actor: "$11",
               action: "report.submit",
               entity: "report_batch",
               entityId: "coalesce($14, $12)",
               unitPath: "$17",
               newValue: `jsonb_build_object('idempotencyKey', $14::text, 'received', $15::int, 'inserted', c.inserted, 'updated', c.updated,
                            'unchanged', $15::int - c.inserted - c.updated, 'unitCodes', c.unit_codes)`,
               requestId: "$12",
             },
             `FROM (SELECT count(*) FILTER (WHERE o.id IS NULL)::int AS inserted, count(*) FILTER (WHERE o.id IS NOT NULL)::int AS updated,
                           (SELECT jsonb_agg(x.code ORDER BY x.code)
                              FROM (SELECT DISTINCT ON (k.unit_id) k.code FROM unnest($1::int[], $16::text[]) AS k(unit_id, code)
                                     WHERE k.unit_id IN (SELECT unit_id FROM up)) x) AS unit_codes
                      FROM up u LEFT JOIN old o USING (unit_id, indicator_id, period_code)) c
               WHERE $15::int > 0 AND c.inserted + c.updated > 0`,
           )}
           RETURNING 1
         ), pairs AS (
           SELECT DISTINCT unit_id, indicator_id, left(period_code, 4) AS year FROM up
         ), kept AS (
           -- the summaries' input: the year's other reports of each changed (unit, indicator), as stored before this
           -- statement (its own rows are up's); a year's periods are the codes that start with it, one index probe each
           SELECT r.unit_id, r.indicator_id, r.period_code, r.period_start, r.value, r.numerator, r.denominator
             FROM pairs k
             CROSS JOIN LATERAL (
               SELECT * FROM report r
                WHERE r.unit_id = k.unit_id AND r.indicator_id = k.indicator_id
                  AND r.period_code >= k.year AND r.period_code < (k.year::int + 1)::text
               OFFSET 0) r
            WHERE NOT EXISTS (SELECT 1 FROM up u WHERE u.unit_id = r.unit_id AND u.indicator_id = r.indicator_id AND u.period_code = r.period_code)
         )
         SELECT true AS changed, u.unit_id, u.indicator_id, u.period_code, (o.id IS NULL) AS is_new,
                to_char(u.period_start, 'YYYY-MM-DD') AS period_start, u.value, u.numerator, u.denominator,
                (SELECT count(*) FROM audit) AS audited
           FROM up u LEFT JOIN old o USING (unit_id, indicator_id, period_code)
         UNION ALL
         SELECT false, unit_id, indicator_id, period_code, NULL, to_char(period_start, 'YYYY-MM-DD'), value, numerator, denominator, NULL
           FROM kept`,
          [
            ...ReportService.columns(part),
            ctx.actor.subject,
            ctx.requestId,
            options.reason ?? null,
            options.idempotencyKey ?? null,
            auditedHere ? rows.length : 0,
            auditedHere ? part.map((r) => r.unitCode) : null,
            ctx.actor.unitPath,
          ],
          // a few rows (a reporter's form): the plan is kept; a bulk batch is planned for its size
          { prepare: rows.length < NO_JIT_ROWS },
        )
        .catch(lockedMeanwhile);
      const changed = written.filter((c) => c.changed);
      for (const c of changed) {
        if (c.is_new) inserted++;
        else updated++;
        touched.add(c.unit_id);
      }
      await RollupSummaryService.apply(
        ctx,
        changed.map((c) => ({ unitId: c.unit_id, indicatorId: c.indicator_id, periodCode: c.period_code })),
        indicators,
        written,
      );
      options.onProgress?.(offset + part.length);
    }
    const counts = { inserted, updated, unchanged: rows.length - inserted - updated };
    if (inserted + updated > 0 && !auditedHere) await ReportService.auditBatch(ctx, options.idempotencyKey ?? null, rows.length, counts, [...touched].map((id) => codes.get(id)!));
    return counts;
  }

  /**
   * One audit entry per written batch (mutation or import), in the caller's name and unit: the
   * idempotency key (else the request id names it), the counts, and the units whose reports it inserted
   * or changed (their codes as validation matched them: no look-up of 10,000 units through row-level security). Changed values also have their own entries (old and new value, written with the upsert);
   * new ones need none beyond this: the report row itself says who submitted it and when.
   */
  private static async auditBatch(ctx: AuthedContext, key: string | null, received: number, counts: WriteCounts, unitCodes: string[]) {
    await ctx.db.query(
      insertAudit({
        actor: "$1",
        action: "report.submit",
        entity: "report_batch",
        entityId: "coalesce($2, $3)",
        unitPath: "$4",
        newValue: `jsonb_build_object('idempotencyKey', $2::text, 'received', $5::int, 'inserted', $6::int, 'updated', $7::int,
                     'unchanged', $8::int, 'unitCodes', (SELECT jsonb_agg(c ORDER BY c) FROM unnest($9::text[]) AS c))`,
        requestId: "$3",
      }),
      [ctx.actor.subject, key, ctx.requestId, ctx.actor.unitPath, received, counts.inserted, counts.updated, counts.unchanged, unitCodes],
      { prepare: true },
    );
  }
}

import type { AuthedContext } from "../context";
import { BadUserInputError, DomainError, ForbiddenError } from "../common/errors";
import { t } from "../i18n/i18n";
import { checkAuditReason } from "../common/text";
import { checkDate } from "../common/date.scalar";
import { insertAudit } from "../audit/audit.writer";
import { dayBefore } from "./org-unit.reform.rules";
import { TREE_LOCK, recordReformIn } from "./org-unit.reform.service";
import { SuccessionRelation } from "./org-unit.types";
import {
  ReformRecorded,
  SuccessionCorrected,
  type CorrectSuccessionInput,
  type RecordReformInput,
} from "./org-unit.reform.inputs";

/** Reforms and their corrections belong to the nation: units of several provinces close and open at once. */
function requireNation(ctx: AuthedContext): void {
  if (ctx.actor.unitLevel !== "nation") {
    throw new ForbiddenError(t("orgUnit:nationOnly"));
  }
}

/** No unit bears the code on the date; extensions keep the English `what` and a stable key (as NotFoundError's). */
class UnitCodeNotFoundError extends DomainError {
  readonly code = "NOT_FOUND";
  constructor(code: string, date: string) {
    super(t("orgUnit:notFoundOnDate", { code, date }), { what: "Org unit", key: `${code} on ${date}` });
  }
}

/**
 * The API over the reform core (org-unit.reform.service.ts): records a reform in the request's transaction,
 * whole or not at all (every bad row named), audited; corrects one succession, audited. Everything read from
 * successions (a caller's scope across the reform, restated roll-ups) is computed from them on use, so it
 * follows a correction at once.
 */
export class ReformApiService {
  static async record(ctx: AuthedContext, input: RecordReformInput): Promise<ReformRecorded> {
    requireNation(ctx);
    const reason = checkAuditReason(input.reason);
    const effectiveOn = checkDate(input.effectiveOn, "input.effectiveOn");
    const summary = await recordReformIn(ctx.db, {
      effectiveOn,
      rows: input.rows.map((r) => ({ ...r })),
      opens: (input.opens ?? []).map((o) => ({ ...o })),
      closes: input.closes ?? [],
    });
    await ctx.db.query(
      insertAudit({
        actor: "$1", action: "org_unit.reform", entity: "org_unit", entityId: "$2", unitPath: "$3",
        newValue: "$4", reason: "$5", requestId: "$6",
      }),
      [ctx.actor.subject, `reform ${effectiveOn}`, ctx.actor.unitPath,
       JSON.stringify({ ...summary, rows: input.rows.length, opens: input.opens?.length ?? 0, closes: input.closes ?? [] }), reason, ctx.requestId],
    );
    return Object.assign(new ReformRecorded(), summary);
  }

  static async correct(ctx: AuthedContext, input: CorrectSuccessionInput): Promise<SuccessionCorrected> {
    requireNation(ctx);
    const reason = checkAuditReason(input.reason);
    const on = checkDate(input.on, "input.on");
    await ctx.db.query(`SELECT pg_advisory_xact_lock($1)`, [TREE_LOCK]);
    const [pair] = await ctx.db.query<{ old_id: number | null; new_id: number | null; relation: string | null; old_path: string }>(
      `SELECT o.id AS old_id, n.id AS new_id, s.relation, o.path AS old_path
         FROM (SELECT 1) one
         LEFT JOIN org_unit o ON o.code = $1 AND o.valid_from <= $4::date AND (o.valid_to IS NULL OR o.valid_to > $4::date)
         LEFT JOIN org_unit n ON n.code = $2 AND n.valid_from <= $3::date AND (n.valid_to IS NULL OR n.valid_to > $3::date)
         LEFT JOIN org_unit_succession s ON s.predecessor_id = o.id AND s.successor_id = n.id`,
      [input.oldCode.trim(), input.newCode.trim(), on, dayBefore(on)],
    );
    if (!pair?.old_id) throw new UnitCodeNotFoundError(input.oldCode, dayBefore(on));
    if (!pair.new_id) throw new UnitCodeNotFoundError(input.newCode, on);
    const wanted = input.relation ? input.relation.toLowerCase() : null;
    if (!pair.relation && !wanted) {
      throw new BadUserInputError(t("orgUnit:noSuccession", { oldCode: input.oldCode, newCode: input.newCode, on }), "input.relation");
    }
    if (wanted && pair.relation === wanted) {
      throw new BadUserInputError(t("orgUnit:successionAlready", { oldCode: input.oldCode, newCode: input.newCode, relation: t(`orgUnit:relation.${wanted}`) }), "input.relation");
    }
    if (!wanted) {
      await ctx.db.query(`DELETE FROM org_unit_succession WHERE predecessor_id = $1 AND successor_id = $2`, [pair.old_id, pair.new_id]);
    } else {
      await ctx.db.query(
        `INSERT INTO org_unit_succession (predecessor_id, successor_id, relation, effective_on, verification)
         VALUES ($1, $2, $3, $4::date, 'corrected')
         ON CONFLICT (predecessor_id, successor_id) DO UPDATE SET relation = EXCLUDED.relation, verification = 'corrected'`,
        [pair.old_id, pair.new_id, wanted, on],
      );
    }
    const toEnum = (r: string | null) => (r ? (r.toUpperCase() as SuccessionRelation) : null);
    await ctx.db.query(
      insertAudit({
        actor: "$1", action: "org_unit.succession_correct", entity: "org_unit_succession", entityId: "$2", unitPath: "$3",
        oldValue: "$4", newValue: "$5", reason: "$6", requestId: "$7",
      }),
      [ctx.actor.subject, `${pair.old_id}>${pair.new_id}`, pair.old_path, JSON.stringify({ relation: pair.relation }),
       JSON.stringify({ relation: wanted }), reason, ctx.requestId],
    );
    return Object.assign(new SuccessionCorrected(), {
      oldCode: input.oldCode.trim(),
      newCode: input.newCode.trim(),
      on,
      relation: toEnum(wanted),
      previousRelation: toEnum(pair.relation),
    });
  }
}

/** What one audit_log entry holds, each as an SQL expression of the statement that writes it. */
export interface AuditColumns {
  /** the request's caller: audit_log's insert policy refuses any other actor */
  actor: string;
  /** a constant such as "target.set" */
  action: string;
  /** a constant such as "target" */
  entity: string;
  entityId: string;
  planId?: string;
  unitPath: string;
  oldValue?: string;
  newValue?: string;
  reason?: string;
  requestId: string;
}

const WORD = /^[a-z_]+(\.[a-z_]+)*$/;

/**
 * The application's one way into audit_log: one entry per row of `from` (a FROM clause over the CTEs of the
 * statement that makes the change, so a change and its entries are one statement; "" for a single entry).
 */
export function insertAudit(c: AuditColumns, from = ""): string {
  if (!WORD.test(c.action) || !WORD.test(c.entity)) throw new Error(`audit action and entity are constants: ${c.action}, ${c.entity}`);
  return `INSERT INTO audit_log (actor, action, entity, entity_id, plan_id, unit_path, old_value, new_value, reason, request_id)
         SELECT (${c.actor})::text, '${c.action}', '${c.entity}', (${c.entityId})::text, (${c.planId ?? "NULL"})::uuid,
                (${c.unitPath})::text, (${c.oldValue ?? "NULL"})::jsonb, (${c.newValue ?? "NULL"})::jsonb, (${c.reason ?? "NULL"})::text,
                (${c.requestId})::text
         ${from}`;
}

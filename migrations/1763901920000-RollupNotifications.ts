import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Live roll-ups (issue 15, item 9): every statement that changes report_summary or report_summary_approved
 * sends one NOTIFY on the channel `rollup_changed`, delivered to every API process LISTENing on the primary when
 * the writer commits (never for a rolled-back write). The payload carries ids only, never values; each subscriber
 * re-reads its roll-up under its own scope and row-level security (src/subscription/).
 *
 * Payload (JSON, kept under PostgreSQL's 8000-byte limit):
 * - p: the deepest unit paths whose summaries changed (their ancestors' rows changed with them), or
 * - b: when those would not fit, the same paths cut to their first levels: anything below may have changed;
 * - d: the period codes changed (the report's own and the longer ones containing it), null when too many;
 * - i: the indicator ids changed, null when too many.
 * Statement triggers with transition tables: a bulk load of 10,000 reports sends a few notifications, not 10,000.
 * PostgreSQL folds identical payloads of one transaction into one.
 */
export const ROLLUP_CHANNEL = "rollup_changed";

const TABLES = ["report_summary", "report_summary_approved"];
const EVENTS = [
  { event: "INSERT", transition: "NEW" },
  { event: "UPDATE", transition: "NEW" },
  { event: "DELETE", transition: "OLD" },
];
const triggerName = (table: string, event: string) => `${table}_notify_${event.toLowerCase()}`;

export class RollupNotifications1763901920000 implements MigrationInterface {
  name = "RollupNotifications1763901920000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION rollup_notify() RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
      DECLARE
        leaves text[];
        broad boolean := false;
        depth int;
        periods text[];
        indicators int[];
      BEGIN
        -- the deepest changed paths: in C order a path's descendants follow it directly
        SELECT array_agg(unit_path ORDER BY unit_path), max(array_length(string_to_array(btrim(unit_path, '/'), '/'), 1))
          INTO leaves, depth
          FROM (SELECT unit_path, lead(unit_path) OVER (ORDER BY unit_path COLLATE "C") AS next
                  FROM (SELECT DISTINCT unit_path FROM changed) d) x
         WHERE next IS NULL OR NOT starts_with(next, unit_path);
        IF leaves IS NULL THEN
          RETURN NULL; -- the statement changed no row
        END IF;
        -- too many to list: cut them to fewer levels until they fit (the nation '/1/' always does)
        WHILE octet_length(array_to_json(leaves)::text) > 5000 AND depth > 1 LOOP
          depth := depth - 1;
          broad := true;
          SELECT array_agg(DISTINCT '/' || array_to_string((string_to_array(btrim(p, '/'), '/'))[1:depth], '/') || '/')
            INTO leaves FROM unnest(leaves) AS p;
        END LOOP;
        SELECT array_agg(DISTINCT period_code), array_agg(DISTINCT indicator_id) INTO periods, indicators FROM changed;
        PERFORM pg_notify('${ROLLUP_CHANNEL}', json_build_object(
          CASE WHEN broad THEN 'b' ELSE 'p' END, leaves,
          'd', CASE WHEN cardinality(periods) <= 60 THEN periods END,
          'i', CASE WHEN cardinality(indicators) <= 150 THEN indicators END)::text);
        RETURN NULL;
      END $$;
    `);
    for (const table of TABLES) {
      for (const { event, transition } of EVENTS) {
        await q.query(
          `CREATE TRIGGER ${triggerName(table, event)} AFTER ${event} ON ${table}
             REFERENCING ${transition} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION rollup_notify()`,
        );
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      for (const { event } of EVENTS) await q.query(`DROP TRIGGER ${triggerName(table, event)} ON ${table}`);
    }
    await q.query("DROP FUNCTION rollup_notify()");
  }
}

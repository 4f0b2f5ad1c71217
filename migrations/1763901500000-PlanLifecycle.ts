import type { MigrationInterface, QueryRunner } from "typeorm";
import { loadAppRole } from "../src/db/app-role";

/**
 * A plan's life cycle and plans without a parent (issue 13, items 1-2):
 * - status DRAFT → ACTIVE → CLOSED, or SUPERSEDED by a named plan (`superseded_by`); `status_changed_at`.
 * - `legal_basis`: what a plan with no parent rests on (a law, the unit's own review), in words.
 * - `plan_exception`: a plan attached (or activated) with targets looser than, or not comparable with, its
 *   parent's, kept as a recorded exception: which target, both values, why, who, when. Append-only for the app;
 *   read like plans (subtree and ancestors), written in the caller's own name within its subtree.
 * - The constraint trigger `plan_lifecycle` holds, whoever writes:
 *   - a plan's parent is a plan of the same program;
 *   - an ACTIVE plan's parent is ACTIVE (a draft parent is not approved yet; a closed one no longer applies);
 *   - no two ACTIVE plans of one unit and program overlap in time unless one implements the other (directly
 *     or through plans between: an annual plan under the same unit's five-year plan). Concurrent activations
 *     serialize on an advisory lock per unit and program, so two cannot both get in;
 *   - a CLOSED or SUPERSEDED plan has no ACTIVE child.
 *   It fires at the end of each statement, so one statement may swap a plan for its successor and move its children.
 * Plans already stored that break the overlap rule are named and the migration refuses, as 1763900800000 does:
 * close one of each pair first.
 */
export class PlanLifecycle1763901500000 implements MigrationInterface {
  name = "PlanLifecycle1763901500000";

  async up(q: QueryRunner): Promise<void> {
    const app = loadAppRole().user; // validated as a plain lower-case identifier
    await q.query(`
      ALTER TABLE plan DROP CONSTRAINT plan_status_check;
      ALTER TABLE plan ADD CONSTRAINT plan_status_check CHECK (status IN ('draft', 'active', 'closed', 'superseded'));
      ALTER TABLE plan
        ADD COLUMN legal_basis text CHECK (length(legal_basis) BETWEEN 1 AND 2000),
        ADD COLUMN superseded_by uuid REFERENCES plan(id),
        ADD COLUMN status_changed_at timestamptz,
        ADD CONSTRAINT plan_superseded_by_check
          CHECK ((status = 'superseded') = (superseded_by IS NOT NULL) AND (superseded_by IS NULL OR superseded_by <> id));
      CREATE INDEX plan_active_unit_idx ON plan (unit_id, program_id) WHERE status = 'active';

      -- The plans a plan implements, nearest first (its parent, the parent's parent, ...).
      CREATE FUNCTION plan_ancestor_ids(p_id uuid) RETURNS uuid[] LANGUAGE sql STABLE AS $$
        WITH RECURSIVE up(id, depth) AS (
          SELECT parent_plan_id, 1 FROM plan WHERE id = p_id
          UNION ALL
          SELECT p.parent_plan_id, up.depth + 1 FROM up JOIN plan p ON p.id = up.id WHERE up.depth < 32
        )
        SELECT coalesce(array_agg(id ORDER BY depth), '{}') FROM up WHERE id IS NOT NULL
      $$;

      CREATE FUNCTION plan_check_lifecycle() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      DECLARE parent record; other record; child record;
      BEGIN
        IF NEW.parent_plan_id IS NOT NULL THEN
          SELECT id, program_id, status, coalesce(document_number, title) AS name INTO parent FROM plan WHERE id = NEW.parent_plan_id;
          IF parent.program_id <> NEW.program_id THEN
            RAISE EXCEPTION 'A plan implements a plan of its own program; % belongs to another program', parent.name
              USING ERRCODE = 'check_violation', CONSTRAINT = 'plan_lifecycle';
          END IF;
          IF NEW.status = 'active' AND parent.status <> 'active' THEN
            RAISE EXCEPTION 'An active plan implements an active plan; its parent % is %', parent.name, parent.status
              USING ERRCODE = 'check_violation', CONSTRAINT = 'plan_lifecycle';
          END IF;
        END IF;
        IF NEW.status = 'active' THEN
          PERFORM pg_advisory_xact_lock(hashtextextended('plan_active:' || NEW.program_id || ':' || NEW.unit_id, 0));
          SELECT q.id, coalesce(q.document_number, q.title) AS name, u.code, u.name AS unit_name,
                 q.period_start, q.period_end INTO other
            FROM plan q JOIN org_unit u ON u.id = q.unit_id
           WHERE q.program_id = NEW.program_id AND q.unit_id = NEW.unit_id AND q.id <> NEW.id AND q.status = 'active'
             AND q.period_start <= NEW.period_end AND q.period_end >= NEW.period_start
             AND NOT q.id = ANY (plan_ancestor_ids(NEW.id)) AND NOT NEW.id = ANY (plan_ancestor_ids(q.id))
           ORDER BY q.period_start, q.id LIMIT 1;
          IF FOUND THEN
            RAISE EXCEPTION 'Plan % of % (%) is active over % to %, which overlaps this plan''s period, and neither implements the other',
              other.name, other.unit_name, other.code, other.period_start, other.period_end
              USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'plan_lifecycle', DETAIL = other.id::text;
          END IF;
        END IF;
        IF NEW.status IN ('closed', 'superseded') THEN
          SELECT c.id, coalesce(c.document_number, c.title) AS name INTO child
            FROM plan c WHERE c.parent_plan_id = NEW.id AND c.status = 'active' LIMIT 1;
          IF FOUND THEN
            RAISE EXCEPTION 'A % plan has no active child plan; % still implements it', NEW.status, child.name
              USING ERRCODE = 'check_violation', CONSTRAINT = 'plan_lifecycle';
          END IF;
        END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER plan_lifecycle
        AFTER INSERT OR UPDATE OF status, parent_plan_id, period_start, period_end, unit_id, program_id ON plan
        FOR EACH ROW EXECUTE FUNCTION plan_check_lifecycle();

      CREATE TABLE plan_exception (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id         uuid NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
        -- the plan's unit path, copied on insert (row-level security reads it as on plan)
        unit_path       text NOT NULL,
        -- the parent the plan was attached or activated under, and the plan up its chain that sets the parent value
        parent_plan_id  uuid NOT NULL REFERENCES plan(id),
        source_plan_id  uuid NOT NULL REFERENCES plan(id),
        indicator_id    integer NOT NULL REFERENCES indicator(id),
        refusal         text NOT NULL CHECK (refusal IN ('looser_than_parent', 'kind_mismatch')),
        occasion        text NOT NULL CHECK (occasion IN ('attach', 'activate', 'supersede')),
        value           jsonb NOT NULL,
        parent_value    jsonb NOT NULL,
        comparison      jsonb NOT NULL,
        reason          text NOT NULL CHECK (length(reason) BETWEEN 3 AND 1000),
        recorded_by     text NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        request_id      text
      );
      CREATE INDEX plan_exception_plan_idx ON plan_exception (plan_id, recorded_at);
      CREATE INDEX plan_exception_path_idx ON plan_exception (unit_path text_pattern_ops);
      GRANT SELECT, INSERT ON plan_exception TO ${app};
      ALTER TABLE plan_exception ENABLE ROW LEVEL SECURITY;
      ALTER TABLE plan_exception FORCE ROW LEVEL SECURITY;
      CREATE POLICY plan_exception_read ON plan_exception FOR SELECT USING (app_in_subtree_or_ancestor(unit_path));
      CREATE POLICY plan_exception_insert ON plan_exception FOR INSERT
        WITH CHECK (app_in_subtree(unit_path) AND recorded_by = current_setting('app.actor', true));
    `);
    // stored plans that the overlap rule would refuse: name them (nothing is changed)
    await q.query(`
      DO $$
      DECLARE d text;
      BEGIN
        SELECT string_agg(format('unit %s: plans %s (%s to %s) and %s (%s to %s)', a.unit_id, a.id, a.period_start, a.period_end,
                                 b.id, b.period_start, b.period_end), '; ') INTO d
          FROM plan a JOIN plan b ON b.program_id = a.program_id AND b.unit_id = a.unit_id AND a.id < b.id
         WHERE a.status = 'active' AND b.status = 'active'
           AND a.period_start <= b.period_end AND a.period_end >= b.period_start
           AND NOT a.id = ANY (plan_ancestor_ids(b.id)) AND NOT b.id = ANY (plan_ancestor_ids(a.id));
        IF d IS NOT NULL THEN
          RAISE EXCEPTION 'Some units hold two active plans over overlapping periods, neither implementing the other; close one of each pair before this migration: %', d;
        END IF;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE plan_exception;
      DROP TRIGGER plan_lifecycle ON plan;
      DROP FUNCTION plan_check_lifecycle();
      DROP FUNCTION plan_ancestor_ids(uuid);
      DROP INDEX plan_active_unit_idx;
      ALTER TABLE plan DROP CONSTRAINT plan_superseded_by_check, DROP CONSTRAINT plan_status_check;
      UPDATE plan SET status = 'closed' WHERE status = 'superseded';
      ALTER TABLE plan DROP COLUMN status_changed_at, DROP COLUMN superseded_by, DROP COLUMN legal_basis;
      ALTER TABLE plan ADD CONSTRAINT plan_status_check CHECK (status IN ('draft', 'active', 'closed'));
    `);
  }
}

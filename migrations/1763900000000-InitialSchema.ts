import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The core model: the administrative tree (versioned by validity dates), programs, plans that
 * implement parent plans, the indicator catalog, typed targets, assignments to named child units,
 * reports and an audit trail. Constraints here back up the rules enforced in code.
 */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = "InitialSchema1763900000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE org_unit (
        id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        code         text NOT NULL CHECK (code ~ '^[0-9A-Z]{2,5}$'),
        name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        -- lower-case, diacritics stripped (đ -> d): accent-insensitive search without extensions
        name_search  text NOT NULL,
        level        text NOT NULL CHECK (level IN ('nation','province','district','commune')),
        unit_type    text CHECK (unit_type IN ('Tỉnh','Thành phố Trung ương','Huyện','Quận','Thị xã','Thành phố',
                                               'Xã','Phường','Thị trấn','Đặc khu')),
        parent_id    integer REFERENCES org_unit(id),
        -- materialized path of ancestor ids, '/1/2/30/': subtree = path LIKE '/1/2/%'
        path         text NOT NULL CHECK (path ~ '^(/[0-9]+)+/$'),
        depth        smallint NOT NULL CHECK (depth BETWEEN 0 AND 3),
        province_id  integer REFERENCES org_unit(id),
        district_id  integer REFERENCES org_unit(id),
        valid_from   date NOT NULL DEFAULT DATE '2000-01-01',
        valid_to     date,
        CHECK (valid_to IS NULL OR valid_to > valid_from),
        CHECK ((level = 'nation') = (parent_id IS NULL)),
        CHECK ((level = 'nation') = (unit_type IS NULL)),
        CHECK (level <> 'district' OR province_id IS NOT NULL),
        CHECK (level <> 'commune' OR province_id IS NOT NULL),
        UNIQUE (code, valid_from)
      );
      CREATE INDEX org_unit_parent_idx ON org_unit (parent_id);
      CREATE INDEX org_unit_path_idx ON org_unit (path text_pattern_ops);
      CREATE INDEX org_unit_province_idx ON org_unit (province_id, level);
      CREATE INDEX org_unit_district_idx ON org_unit (district_id, level);
      CREATE INDEX org_unit_code_idx ON org_unit (code);

      -- The July 2025 reform (and any later one) is recorded as successions, never by rewriting units.
      CREATE TABLE org_unit_succession (
        predecessor_id integer NOT NULL REFERENCES org_unit(id),
        successor_id   integer NOT NULL REFERENCES org_unit(id),
        relation       text NOT NULL CHECK (relation IN ('full','partial')),
        effective_on   date NOT NULL,
        PRIMARY KEY (predecessor_id, successor_id)
      );

      CREATE TABLE program (
        id       integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        code     text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9_]{2,40}$'),
        name_vi  text NOT NULL,
        name_en  text NOT NULL
      );

      CREATE TABLE indicator (
        id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        program_id       integer NOT NULL REFERENCES program(id),
        code             text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9_]{2,60}$'),
        name_vi          text NOT NULL,
        name_en          text NOT NULL,
        area             text NOT NULL CHECK (area IN ('awareness','prevention','enforcement','harm_reduction','training')),
        value_kind       text NOT NULL CHECK (value_kind IN ('yes_no','ratio','count','frequency')),
        direction        text NOT NULL CHECK (direction IN ('higher_is_better','lower_is_better')),
        rollup_rule      text NOT NULL CHECK (rollup_rule IN ('share_of_units','ratio_of_sums','sum','yearly_change')),
        reporting_level  text NOT NULL CHECK (reporting_level IN ('province','district','commune')),
        period_type      text NOT NULL CHECK (period_type IN ('quarter','half_year','year')),
        -- how reports of shorter periods combine into a longer one (a year of quarterly yes/no, say)
        period_rule      text NOT NULL CHECK (period_rule IN ('all','any','sum','latest')),
        measured_on      text NOT NULL,
        sort_order       integer NOT NULL DEFAULT 0,
        CHECK (rollup_rule <> 'share_of_units' OR value_kind = 'yes_no'),
        CHECK (rollup_rule <> 'ratio_of_sums' OR value_kind = 'ratio'),
        CHECK (value_kind <> 'yes_no' OR period_rule IN ('all','any','latest')),
        CHECK (value_kind <> 'ratio' OR period_rule IN ('sum','latest'))
      );

      CREATE TABLE plan (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        program_id       integer NOT NULL REFERENCES program(id),
        unit_id          integer NOT NULL REFERENCES org_unit(id),
        unit_path        text NOT NULL,
        parent_plan_id   uuid REFERENCES plan(id),
        title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
        document_number  text CHECK (length(document_number) BETWEEN 1 AND 80),
        issued_on        date,
        period_start     date NOT NULL,
        period_end       date NOT NULL,
        status           text NOT NULL DEFAULT 'active' CHECK (status IN ('draft','active','closed')),
        version          integer NOT NULL DEFAULT 1 CHECK (version > 0),
        created_by       text NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CHECK (period_end >= period_start),
        CHECK (parent_plan_id IS NULL OR parent_plan_id <> id)
      );
      CREATE INDEX plan_unit_idx ON plan (unit_id, period_start);
      CREATE INDEX plan_parent_idx ON plan (parent_plan_id);
      CREATE INDEX plan_path_idx ON plan (unit_path text_pattern_ops);

      CREATE TABLE target (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id             uuid NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
        indicator_id        integer NOT NULL REFERENCES indicator(id),
        kind                text NOT NULL CHECK (kind IN ('share_floor','share_ceiling','count_floor','count_ceiling',
                                                          'frequency','change_range','cumulative_deadline')),
        share               numeric(7,3) CHECK (share BETWEEN 0 AND 100),
        count               integer CHECK (count >= 0),
        frequency_interval  text CHECK (frequency_interval IN ('day','week','month','quarter','half_year','year')),
        change_low          numeric(7,3),
        change_high         numeric(7,3),
        deadline            date,
        source_text         text,
        updated_by          text NOT NULL,
        updated_at          timestamptz NOT NULL DEFAULT now(),
        UNIQUE (plan_id, indicator_id),
        CHECK (change_low IS NULL OR change_high IS NULL OR change_low <= change_high),
        CHECK (kind NOT IN ('share_floor','share_ceiling') OR share IS NOT NULL),
        CHECK (kind NOT IN ('count_floor','count_ceiling') OR count IS NOT NULL),
        CHECK (kind <> 'frequency' OR frequency_interval IS NOT NULL),
        CHECK (kind <> 'change_range' OR (change_low IS NOT NULL AND change_high IS NOT NULL)),
        CHECK (kind <> 'cumulative_deadline' OR (share IS NOT NULL AND deadline IS NOT NULL))
      );
      CREATE INDEX target_indicator_idx ON target (indicator_id);

      -- "These 8 districts must integrate the program": a parent plan names child units for an indicator.
      CREATE TABLE target_assignment (
        plan_id       uuid NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
        indicator_id  integer NOT NULL REFERENCES indicator(id),
        unit_id       integer NOT NULL REFERENCES org_unit(id),
        assigned_by   text NOT NULL,
        assigned_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (plan_id, indicator_id, unit_id)
      );

      CREATE TABLE report (
        id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        unit_id       integer NOT NULL REFERENCES org_unit(id),
        unit_path     text NOT NULL,
        indicator_id  integer NOT NULL REFERENCES indicator(id),
        period_code   text NOT NULL CHECK (period_code ~ '^[0-9]{4}(-Q[1-4]|-H[12])?$'),
        period_type   text NOT NULL CHECK (period_type IN ('quarter','half_year','year')),
        period_start  date NOT NULL,
        period_end    date NOT NULL,
        value         numeric(14,3) CHECK (value >= 0),
        numerator     numeric(14,3) CHECK (numerator >= 0),
        denominator   numeric(14,3) CHECK (denominator >= 0),
        submitted_by  text NOT NULL,
        submitted_at  timestamptz NOT NULL DEFAULT now(),
        CHECK ((value IS NOT NULL AND numerator IS NULL AND denominator IS NULL)
            OR (value IS NULL AND numerator IS NOT NULL AND denominator IS NOT NULL)),
        CHECK (numerator IS NULL OR numerator <= denominator),
        CHECK (period_end >= period_start),
        UNIQUE (unit_id, indicator_id, period_code)
      );
      CREATE INDEX report_indicator_period_idx ON report (indicator_id, period_code);
      CREATE INDEX report_path_idx ON report (unit_path text_pattern_ops);

      CREATE TABLE audit_log (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at  timestamptz NOT NULL DEFAULT now(),
        actor        text NOT NULL,
        action       text NOT NULL,
        entity       text NOT NULL,
        entity_id    text NOT NULL,
        plan_id      uuid,
        unit_path    text,
        old_value    jsonb,
        new_value    jsonb,
        reason       text,
        request_id   text
      );
      CREATE INDEX audit_entity_idx ON audit_log (entity, entity_id, occurred_at);
      CREATE INDEX audit_plan_idx ON audit_log (plan_id, occurred_at);

      -- Rows that carry a unit copy its path, so that scope checks need no join.
      CREATE FUNCTION copy_unit_path() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT path INTO NEW.unit_path FROM org_unit WHERE id = NEW.unit_id;
        IF NEW.unit_path IS NULL THEN
          RAISE EXCEPTION 'unknown org unit %', NEW.unit_id USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER plan_unit_path BEFORE INSERT OR UPDATE OF unit_id ON plan
        FOR EACH ROW EXECUTE FUNCTION copy_unit_path();
      CREATE TRIGGER report_unit_path BEFORE INSERT OR UPDATE OF unit_id ON report
        FOR EACH ROW EXECUTE FUNCTION copy_unit_path();

      -- Token verification must resolve the caller's unit before any scope exists.
      CREATE FUNCTION auth_unit_by_code(p_code text)
        RETURNS TABLE (id integer, code text, level text, path text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT u.id, u.code, u.level, u.path FROM org_unit u
          WHERE u.code = p_code AND u.valid_to IS NULL
          ORDER BY u.valid_from DESC LIMIT 1
        $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE audit_log, report, target_assignment, target, plan, indicator, program,
                 org_unit_succession, org_unit;
      DROP FUNCTION copy_unit_path();
      DROP FUNCTION auth_unit_by_code(text);
    `);
  }
}

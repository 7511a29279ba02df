-- Typed columns for the front door in figures (docs/figures.md). The device's JSON stays the
-- source; these generated columns let the office queries group and filter without parsing JSON
-- per row. `time` writes a Date as [year, day of year] and a moment as RFC 3339.

CREATE FUNCTION kt_date(value jsonb) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE jsonb_typeof(value)
        WHEN 'array' THEN make_date((value->>0)::int, 1, 1) + ((value->>1)::int - 1)
        WHEN 'string' THEN to_date(value #>> '{}', 'YYYY-MM-DD')
    END
$$;

-- RFC 3339 always carries its offset, so the result does not depend on the session time zone.
CREATE FUNCTION kt_timestamptz(value text) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT value::timestamptz $$;

ALTER TABLE contact
    ADD COLUMN started_at timestamptz GENERATED ALWAYS AS (kt_timestamptz(fields->>'started_at')) STORED;
CREATE INDEX contact_started_at ON contact (started_at);

CREATE FUNCTION kt_text_array(value jsonb) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE jsonb_typeof(value)
        WHEN 'array' THEN ARRAY(SELECT DISTINCT jsonb_array_elements_text(value))
        ELSE '{}'::text[]
    END
$$;

ALTER TABLE question
    ADD COLUMN contact_id uuid GENERATED ALWAYS AS ((fields->>'contact_id')::uuid) STORED,
    ADD COLUMN life_domains text[] GENERATED ALWAYS AS (kt_text_array(fields->'life_domains')) STORED;
CREATE INDEX question_contact ON question (contact_id);

ALTER TABLE quick_scan
    ADD COLUMN completed_at timestamptz GENERATED ALWAYS AS (kt_timestamptz(fields->>'completed_at')) STORED,
    ADD COLUMN outcome_kind text GENERATED ALWAYS AS (fields->'outcome'->'outcome'->>'kind') STORED,
    ADD COLUMN partner_id text GENERATED ALWAYS AS (fields->'outcome'->'outcome'->>'partner_id') STORED,
    ADD COLUMN warm_handover boolean GENERATED ALWAYS AS ((fields->'outcome'->'outcome'->>'warm_handover')::boolean) STORED;
CREATE INDEX quick_scan_completed_at ON quick_scan (completed_at);

ALTER TABLE notification
    ADD COLUMN notification_date date GENERATED ALWAYS AS (kt_date(fields->'clock'->'notification_date')) STORED,
    ADD COLUMN investigation_done_on date GENERATED ALWAYS AS (kt_date(fields->'clock'->'investigation_done_on')) STORED,
    ADD COLUMN application_date date GENERATED ALWAYS AS (kt_date(fields->'clock'->'application_date')) STORED,
    ADD COLUMN decision_on date GENERATED ALWAYS AS (kt_date(fields->'clock'->'decision_on')) STORED;
CREATE INDEX notification_date ON notification (notification_date);

ALTER TABLE conversation
    ADD COLUMN held_on date GENERATED ALWAYS AS (kt_date(fields->'held_on')) STORED;
CREATE INDEX conversation_held_on ON conversation (household_id, held_on);

-- Sync: teams (the scope a device pulls), devices and their receipts, one table per
-- aggregate, the change log devices pull by cursor, and conflicts. See docs/sync.md.

CREATE TABLE team (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The log position counter per team. Pushes update this row in their own transaction, so a
-- later position can only be handed out after the earlier one committed: a pull reading
-- "position > cursor" never skips a row that commits late.
CREATE TABLE scope_counter (
    team_id        text PRIMARY KEY REFERENCES team,
    last_position  bigint NOT NULL DEFAULT 0
);

INSERT INTO team (id, name) VALUES ('wijkteam', 'Wijkteam');
INSERT INTO scope_counter (team_id) VALUES ('wijkteam');

CREATE TABLE device (
    id             uuid PRIMARY KEY,
    team_id        text NOT NULL REFERENCES team,
    worker         text NOT NULL,
    -- The last change number settled for this device: numbers up to here are never applied again.
    last_seq       bigint NOT NULL DEFAULT 0,
    first_seen_at  timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now()
);

-- Every aggregate keeps its fields as the client model's JSON (validated by shared::sync on
-- the way in), the version per field that the merge rule needs, and typed columns the office
-- queries by. A delete sets `deleted` and keeps the fields (a tombstone).
CREATE TABLE household (
    id              uuid PRIMARY KEY,
    team_id         text NOT NULL REFERENCES team,
    version         bigint NOT NULL,
    deleted         boolean NOT NULL DEFAULT false,
    fields          jsonb NOT NULL,
    field_versions  jsonb NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- So that every aggregate table answers the same questions.
    household_id    uuid GENERATED ALWAYS AS (id) STORED,
    name            text GENERATED ALWAYS AS (fields->>'name') STORED
);
CREATE INDEX household_team ON household (team_id);

CREATE TABLE resident (
    id              uuid PRIMARY KEY,
    household_id    uuid NOT NULL REFERENCES household,
    version         bigint NOT NULL,
    deleted         boolean NOT NULL DEFAULT false,
    fields          jsonb NOT NULL,
    field_versions  jsonb NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    family_name text GENERATED ALWAYS AS (fields->>'family_name') STORED,
    bsn text GENERATED ALWAYS AS (fields->>'bsn') STORED
);
CREATE INDEX resident_household ON resident (household_id);

CREATE TABLE contact (
    id              uuid PRIMARY KEY,
    household_id    uuid NOT NULL REFERENCES household,
    version         bigint NOT NULL,
    deleted         boolean NOT NULL DEFAULT false,
    fields          jsonb NOT NULL,
    field_versions  jsonb NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    channel text GENERATED ALWAYS AS (fields->>'channel') STORED,
    worker text GENERATED ALWAYS AS (fields->>'worker') STORED
);
CREATE INDEX contact_household ON contact (household_id);

CREATE TABLE question (
    id              uuid PRIMARY KEY,
    household_id    uuid NOT NULL REFERENCES household,
    version         bigint NOT NULL,
    deleted         boolean NOT NULL DEFAULT false,
    fields          jsonb NOT NULL,
    field_versions  jsonb NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    status text GENERATED ALWAYS AS (fields->>'status') STORED,
    owner text GENERATED ALWAYS AS (fields->>'owner') STORED,
    next_date text GENERATED ALWAYS AS (fields->>'next_date') STORED
);
CREATE INDEX question_household ON question (household_id);

CREATE TABLE quick_scan (
    id              uuid PRIMARY KEY,
    household_id    uuid NOT NULL REFERENCES household,
    version         bigint NOT NULL,
    deleted         boolean NOT NULL DEFAULT false,
    fields          jsonb NOT NULL,
    field_versions  jsonb NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    template_version text GENERATED ALWAYS AS (fields->>'template_version') STORED
);
CREATE INDEX quick_scan_household ON quick_scan (household_id);

CREATE TABLE conversation (
    id              uuid PRIMARY KEY,
    household_id    uuid NOT NULL REFERENCES household,
    version         bigint NOT NULL,
    deleted         boolean NOT NULL DEFAULT false,
    fields          jsonb NOT NULL,
    field_versions  jsonb NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversation_household ON conversation (household_id);

CREATE TABLE notification (
    id              uuid PRIMARY KEY,
    household_id    uuid NOT NULL REFERENCES household,
    version         bigint NOT NULL,
    deleted         boolean NOT NULL DEFAULT false,
    fields          jsonb NOT NULL,
    field_versions  jsonb NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_household ON notification (household_id);

CREATE TABLE support_plan (
    id              uuid PRIMARY KEY,
    household_id    uuid NOT NULL REFERENCES household,
    version         bigint NOT NULL,
    deleted         boolean NOT NULL DEFAULT false,
    fields          jsonb NOT NULL,
    field_versions  jsonb NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    coordinator text GENERATED ALWAYS AS (fields->>'coordinator') STORED
);
CREATE INDEX support_plan_household ON support_plan (household_id);

CREATE TABLE consent (
    id              uuid PRIMARY KEY,
    household_id    uuid NOT NULL REFERENCES household,
    version         bigint NOT NULL,
    deleted         boolean NOT NULL DEFAULT false,
    fields          jsonb NOT NULL,
    field_versions  jsonb NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    resident_id text GENERATED ALWAYS AS (fields->>'resident_id') STORED
);
CREATE INDEX consent_household ON consent (household_id);

CREATE INDEX question_open ON question (owner, next_date) WHERE status = 'open';

-- What devices pull: per team, positions 1, 2, 3, … without gaps. `body` is the entry as it
-- travels (shared::sync::LogBody).
CREATE TABLE change_log (
    team_id       text   NOT NULL REFERENCES team,
    position      bigint NOT NULL,
    kind          text   NOT NULL CHECK (kind IN ('record', 'conflict', 'resolved')),
    household_id  uuid   NOT NULL,
    record_id     uuid,
    device_id     uuid,
    device_seq    bigint,
    body          jsonb  NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, position)
);
CREATE INDEX change_log_household ON change_log (household_id);

-- One row per settled change: the proof that each was applied, conflicted or rejected once.
-- A rejected change keeps its fields, so no typed word is lost even when it cannot land.
CREATE TABLE receipt (
    device_id    uuid   NOT NULL REFERENCES device,
    seq          bigint NOT NULL,
    outcome      text   NOT NULL CHECK (outcome IN ('applied', 'conflict', 'rejected')),
    reason       text,
    record_type  text   NOT NULL,
    record_id    uuid   NOT NULL,
    rejected_fields jsonb,
    settled_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, seq)
);

CREATE TABLE conflict (
    id                 uuid PRIMARY KEY,
    team_id            text NOT NULL REFERENCES team,
    household_id       uuid NOT NULL,
    record_type        text NOT NULL,
    record_id          uuid NOT NULL,
    field              text NOT NULL,
    server_value       jsonb NOT NULL,
    device_value       jsonb NOT NULL,
    deleted_on_server  boolean NOT NULL,
    device_id          uuid NOT NULL,
    device_seq         bigint NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    resolved_at        timestamptz,
    resolved_by        uuid
);
CREATE INDEX conflict_open ON conflict (household_id) WHERE resolved_at IS NULL;

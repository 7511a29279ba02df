-- Accounts, sessions and roles. Several municipalities may share one installation; a team
-- belongs to one municipality and every account to one municipality (and, for the roles that
-- work with residents, to one team). See docs/privacy.md.

CREATE TABLE municipality (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO municipality (id, name) VALUES ('lindeveen', 'Gemeente Lindeveen');

ALTER TABLE team ADD COLUMN municipality_id text REFERENCES municipality;
UPDATE team SET municipality_id = 'lindeveen';
ALTER TABLE team ALTER COLUMN municipality_id SET NOT NULL;

CREATE TABLE account (
    id               uuid PRIMARY KEY,
    municipality_id  text NOT NULL REFERENCES municipality,
    team_id          text REFERENCES team,
    email            text NOT NULL UNIQUE CHECK (email = lower(email)),
    name             text NOT NULL,
    role             text NOT NULL CHECK (role IN
                         ('front_office', 'consultant', 'coordinator', 'administrator', 'privacy_officer')),
    -- argon2id, PHC string format (algorithm, parameters and salt included).
    password_hash    text NOT NULL,
    failed_sign_ins  integer NOT NULL DEFAULT 0,
    locked_until     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (team_id IS NOT NULL OR role IN ('administrator', 'privacy_officer'))
);

-- Only a hash of the session token is kept: a copy of this table opens no session.
CREATE TABLE session (
    token_hash  bytea PRIMARY KEY,
    account_id  uuid NOT NULL REFERENCES account ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX session_account ON session (account_id);

-- The households a consultant coordinates or was added to.
CREATE TABLE household_worker (
    household_id  uuid NOT NULL REFERENCES household,
    account_id    uuid NOT NULL REFERENCES account,
    added_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (household_id, account_id)
);
CREATE INDEX household_worker_account ON household_worker (account_id);

ALTER TABLE device ADD COLUMN account_id uuid REFERENCES account;

-- Pull filters entries by role: the record type, and entries meant for one account only
-- (a household's records sent to a consultant who was just added to it).
ALTER TABLE change_log ADD COLUMN record_type text;
ALTER TABLE change_log ADD COLUMN audience uuid REFERENCES account;

-- Who read, created, changed, printed or exported which household's data, when, from which
-- device (NEN 7513). Append-only: the trigger refuses every update and delete.
CREATE TABLE audit_event (
    id               bigserial PRIMARY KEY,
    at               timestamptz NOT NULL DEFAULT now(),
    municipality_id  text REFERENCES municipality,
    account_id       uuid REFERENCES account,
    device_id        uuid,
    action           text NOT NULL,
    household_id     uuid,
    record_type      text,
    record_id        uuid,
    detail           text
);
CREATE INDEX audit_event_household ON audit_event (household_id, at);
CREATE INDEX audit_event_account ON audit_event (account_id, at);

CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();

-- Contacts where no resident was registered (a quick question by phone): channel, subject, life
-- domains and what was given, for the front door's figures. No resident's data.
CREATE TABLE anonymous_contact (
    id           uuid PRIMARY KEY,
    team_id      text NOT NULL REFERENCES team,
    account_id   uuid REFERENCES account ON DELETE SET NULL,
    channel      text NOT NULL,
    at           timestamptz NOT NULL,
    subject      text NOT NULL,
    life_domains text[] NOT NULL,
    given        text NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX anonymous_contact_team_at ON anonymous_contact (team_id, at);

-- Signals from outside (a GP, a neighbour, the housing corporation, ...): recorded by the front
-- office, offline too, and acted on from the team's inbox. A signal becomes a question of a
-- household (when a contact made from it is synced) or is closed with a reason.
CREATE TABLE outside_signal (
    id                 uuid PRIMARY KEY,
    team_id            text NOT NULL REFERENCES team,
    recorded_by        uuid REFERENCES account ON DELETE SET NULL,
    recorded_by_name   text NOT NULL,
    channel            text NOT NULL,
    received_at        timestamptz NOT NULL,
    source             text NOT NULL,
    reporter_anonymous boolean NOT NULL,
    reporter_name      text NOT NULL,
    reporter_reach     text NOT NULL,
    concern            text NOT NULL,
    about              text NOT NULL,
    ground             text NOT NULL,
    -- open, became_question or closed
    status             text NOT NULL DEFAULT 'open',
    household_id       uuid REFERENCES household ON DELETE CASCADE,
    close_reason       text,
    close_note         text,
    settled_at         timestamptz,
    settled_by         uuid REFERENCES account ON DELETE SET NULL,
    reporter_told_at   timestamptz,
    stored_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (status IN ('open', 'became_question', 'closed'))
);
CREATE INDEX outside_signal_team_status ON outside_signal (team_id, status, received_at);
CREATE INDEX outside_signal_household ON outside_signal (household_id) WHERE household_id IS NOT NULL;

-- Find before you register: a worker of another team asks the household's team for access;
-- its coordinator grants or refuses. A grant lets that one account see and write the household
-- (as if added to it), its devices receiving the household through their own team's log.
CREATE TABLE access_request (
    id            uuid PRIMARY KEY,
    household_id  uuid NOT NULL REFERENCES household,
    account_id    uuid NOT NULL REFERENCES account,
    reason        text NOT NULL,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    decided_at    timestamptz,
    decided_by    uuid REFERENCES account,
    granted       boolean
);
-- One open request per worker and household.
CREATE UNIQUE INDEX access_request_open ON access_request (household_id, account_id)
    WHERE decided_at IS NULL;

CREATE TABLE household_guest (
    household_id  uuid NOT NULL REFERENCES household,
    account_id    uuid NOT NULL REFERENCES account,
    -- The guest's own team, whose log carries the household's entries for them.
    team_id       text NOT NULL REFERENCES team,
    granted_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (household_id, account_id)
);
CREATE INDEX household_guest_account ON household_guest (account_id);

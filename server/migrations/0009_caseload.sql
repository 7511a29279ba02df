-- The team's caseload: one coordinator per household (één huishouden, één regisseur), and warm
-- handovers to a colleague or a partner that show whether they were picked up.

CREATE TABLE household_coordinator (
    household_id  uuid PRIMARY KEY REFERENCES household,
    account_id    uuid NOT NULL REFERENCES account,
    assigned_at   timestamptz NOT NULL DEFAULT now(),
    assigned_by   uuid REFERENCES account
);

-- A handover carries its context as it was when sent (the note and the open questions), and
-- only with the resident's consent for that partner, or a recorded legal ground.
CREATE TABLE handover (
    id             uuid PRIMARY KEY,
    household_id   uuid NOT NULL REFERENCES household,
    from_account   uuid NOT NULL REFERENCES account,
    to_account     uuid REFERENCES account,
    to_partner     text,
    note           text NOT NULL,
    context        jsonb NOT NULL,
    legal_ground   text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    picked_up_at   timestamptz,
    picked_up_by   uuid REFERENCES account,
    CHECK (num_nonnulls(to_account, to_partner) = 1)
);
CREATE INDEX handover_household ON handover (household_id, created_at);
CREATE INDEX handover_waiting ON handover (to_account) WHERE picked_up_at IS NULL;

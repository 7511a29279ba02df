-- The ZGW export (docs/zgw.md): each melding becomes a zaak in the municipality's zaaksysteem.
-- `zgw_zaak` keeps the zaak's identificatie (its household is the melding's, which a merge of
-- two registrations can change), fixed before the first call, so that a retry
-- after a lost answer finds the zaak it made instead of making a second one;
-- `zgw_delivered` what reached the zaaksysteem (one row per step: the zaak, its initiator, each
-- status, each agreed report); `zgw_outbox` the melding whose zaak has something waiting,
-- with its retry schedule and its last failure in words. Removing a household (retention)
-- removes its meldingen and with them these rows.

CREATE SEQUENCE zgw_zaak_number;

CREATE TABLE zgw_zaak (
    notification_id uuid PRIMARY KEY REFERENCES notification ON DELETE CASCADE,
    identificatie   text NOT NULL UNIQUE,
    url             text,
    updated_at      timestamptz
);

CREATE TABLE zgw_delivered (
    notification_id uuid NOT NULL REFERENCES zgw_zaak ON DELETE CASCADE,
    step            text NOT NULL,
    url             text NOT NULL,
    delivered_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (notification_id, step)
);

CREATE TABLE zgw_outbox (
    notification_id uuid PRIMARY KEY REFERENCES zgw_zaak ON DELETE CASCADE,
    queued_at       timestamptz NOT NULL DEFAULT now(),
    due_at          timestamptz NOT NULL DEFAULT now(),
    attempts        integer NOT NULL DEFAULT 0,
    last_attempt_at timestamptz,
    last_error      text
);
CREATE INDEX zgw_outbox_due ON zgw_outbox (due_at);

-- A household is closed by its coordinator, with the basis that sets how long its data is kept
-- (docs/privacy.md); the retention command removes it once that time has passed.
CREATE TABLE household_closure (
    household_id  uuid PRIMARY KEY REFERENCES household,
    closed_at     timestamptz NOT NULL DEFAULT now(),
    basis         text NOT NULL CHECK (basis IN ('wmo_support', 'no_support', 'youth_act')),
    closed_by     uuid REFERENCES account
);

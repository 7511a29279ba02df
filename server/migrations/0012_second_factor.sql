-- Two-factor sign-in for every role (issue 13): a TOTP secret per account, enrolled by the
-- worker with a QR code at the first sign-in, and ten recovery codes. See docs/privacy.md.

-- The confirmed secret (NULL: the worker still has to set up the second factor).
ALTER TABLE account ADD COLUMN totp_secret bytea;
-- A secret shown for enrolment and not yet confirmed with a code.
ALTER TABLE account ADD COLUMN totp_pending bytea;
-- The last time step whose code was accepted: a code is accepted once.
ALTER TABLE account ADD COLUMN totp_last_step bigint NOT NULL DEFAULT 0;

-- Recovery codes, each usable once instead of a TOTP code; only their SHA-256 is kept.
CREATE TABLE recovery_code (
    account_id  uuid NOT NULL REFERENCES account ON DELETE CASCADE,
    code_hash   bytea NOT NULL,
    used_at     timestamptz,
    PRIMARY KEY (account_id, code_hash)
);

-- Issue 13: a session cookie alone opens nothing; leavers, lost devices and idle office
-- sessions are refused. See docs/privacy.md ("Threats and what stops them").

-- The proof that the app on the device is unlocked: its hash, compared with the
-- `x-keukentafel-unlock` header on every request for resident data. The token itself lives only
-- in the device's sealed store and in memory while the app is unlocked.
ALTER TABLE session ADD COLUMN unlock_hash bytea;
-- Set while the app on the device is locked (it said so when locking online).
ALTER TABLE session ADD COLUMN locked_at timestamptz;
-- The last request in this session: office sessions end after an idle time.
ALTER TABLE session ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
-- Sessions from before this migration had no unlock proof: they end.
DELETE FROM session WHERE unlock_hash IS NULL;
ALTER TABLE session ALTER COLUMN unlock_hash SET NOT NULL;

-- A disabled account (a leaver) signs in no more; its devices may push what they hold, then wipe.
ALTER TABLE account ADD COLUMN active boolean NOT NULL DEFAULT true;
-- A one-time password (after a reset, or a new account) must be changed at the next sign-in.
ALTER TABLE account ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

-- "Apparaat kwijt": the device pulls nothing more; it may push what it holds, then wipes.
ALTER TABLE device ADD COLUMN lost_at timestamptz;
ALTER TABLE device ADD COLUMN lost_by uuid REFERENCES account;

-- Partners gained a working area and an active flag (a stopped partner is kept so older
-- referrals still show its name). Rows get the defaults, so a stored partner equals the app's
-- JSON of it and an unchanged import changes nothing.
UPDATE partner SET fields = jsonb_build_object('area', '', 'active', true) || fields;

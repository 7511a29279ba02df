-- Migrations 0002, 0004 and 0008 made a demo municipality (Lindeveen, its team `wijkteam` and
-- a sample social map). An installation starts empty now: `server create-team` makes a
-- municipality's teams, `server seed-demo` the demo (server/demo/lindeveen.sql). The demo
-- rows go where nothing uses them (a new installation); where an account, a device, a record
-- or a published template refers to them, they stay as they are (the foreign key refuses).
DO $$
BEGIN
    DELETE FROM scope_counter WHERE team_id = 'wijkteam';
    DELETE FROM team WHERE id = 'wijkteam';
    DELETE FROM partner WHERE municipality_id = 'lindeveen';
    DELETE FROM reference_version WHERE municipality_id = 'lindeveen';
    DELETE FROM municipality WHERE id = 'lindeveen';
EXCEPTION WHEN foreign_key_violation THEN
    RAISE NOTICE 'the demo municipality is in use and stays';
END
$$;

-- A resident registered twice, found when the later registration reached the server (typed
-- offline, where the municipality could not be asked first): for the team's coordinator to
-- merge or dismiss (households::duplicates). No foreign keys: a settled row keeps naming the
-- household merged away; retention removes a household's rows on either side.
CREATE TABLE possible_duplicate (
    id                  uuid PRIMARY KEY,
    household_id        uuid NOT NULL,
    resident_id         uuid NOT NULL,
    other_household_id  uuid NOT NULL,
    other_resident_id   uuid NOT NULL,
    found_at            timestamptz NOT NULL DEFAULT now(),
    settled_at          timestamptz,
    settled_by          uuid,
    outcome             text CHECK (outcome IN ('merged', 'dismissed')),
    UNIQUE (resident_id, other_resident_id)
);
CREATE INDEX possible_duplicate_open ON possible_duplicate (household_id) WHERE settled_at IS NULL;
CREATE INDEX possible_duplicate_other ON possible_duplicate (other_household_id);

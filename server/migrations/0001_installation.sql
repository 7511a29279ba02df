-- The installation itself: one row, so that an operator can see when the schema was created
-- and which Keukentafel created it. Later migrations add the aggregates.
CREATE TABLE installation (
    id          boolean PRIMARY KEY DEFAULT true CHECK (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text        NOT NULL DEFAULT 'keukentafel'
);

INSERT INTO installation DEFAULT VALUES;

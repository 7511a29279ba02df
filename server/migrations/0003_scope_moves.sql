-- A household can move to another team; the old team's devices learn it from a log entry.
ALTER TABLE change_log DROP CONSTRAINT change_log_kind_check;
ALTER TABLE change_log ADD CONSTRAINT change_log_kind_check
    CHECK (kind IN ('record', 'conflict', 'resolved', 'left_scope'));

-- The record's version when the conflict arose, so a conflict re-sent to another team still
-- tells a resolution what it is based on.
ALTER TABLE conflict ADD COLUMN server_version bigint NOT NULL DEFAULT 0;

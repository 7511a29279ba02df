-- Issue 14: a delete against edits the deleting device had not seen is a conflict about the
-- whole record, not a silent tombstone over newer words.
ALTER TABLE conflict ADD COLUMN deleted_on_device boolean NOT NULL DEFAULT false;

-- A refused change the worker threw away on purpose ("Niet verwerkt", "Weggooien"); audited.
ALTER TABLE receipt ADD COLUMN discarded_at timestamptz, ADD COLUMN discarded_by uuid;

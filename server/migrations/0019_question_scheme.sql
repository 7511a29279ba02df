-- The law or scheme a question falls under, typed for the figures (questions per law).
ALTER TABLE question
    ADD COLUMN scheme text GENERATED ALWAYS AS (fields->>'scheme') STORED;

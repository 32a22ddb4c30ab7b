-- Specs are compiled from the schedule's occurrences into UTC entries over a horizon (OccurrenceSpecCompiler).
-- What was written is kept so the reconciler knows when to roll it forward (spec_until), when a new
-- tzdb or setting changes it (spec_tzdb, spec_inputs, spec_hash), and what the server's reading of it last disagreed with.
ALTER TABLE schedules
    DROP COLUMN spec_written_at,
    -- When the written spec stops firing (null: a one-time schedule's single entry).
    ADD COLUMN spec_until timestamptz,
    ADD COLUMN spec_tzdb text,
    -- What else it was compiled from (TemporalScheduleSpecTranslator.Inputs) and its fingerprint.
    ADD COLUMN spec_inputs text,
    ADD COLUMN spec_hash text,
    -- The first instant where the server's matching times differed from the preview, what the preview
    -- has there and what the server listed (either null: nothing), and when it was seen.
    ADD COLUMN drift_at timestamptz,
    ADD COLUMN drift_expected timestamptz,
    ADD COLUMN drift_listed timestamptz,
    ADD COLUMN drift_seen_at timestamptz,
    ADD COLUMN drift_checked_at timestamptz;

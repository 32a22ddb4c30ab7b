-- The sync applies a schedule's changes in order: it looks for an earlier unprocessed row of the same schedule.
-- Every query by schedule looks only at unprocessed rows, so this replaces the full index: each
-- change writes one index entry fewer.
CREATE INDEX schedule_outbox_unprocessed_by_schedule ON schedule_outbox (schedule_id, id) WHERE processed_at IS NULL;
DROP INDEX schedule_outbox_by_schedule;

ALTER TABLE schedules
    -- When the sync last wrote the spec to Temporal: the reconciler rewrites old ones to extend the DST horizon.
    ADD COLUMN spec_written_at timestamptz,
    -- Occurrences up to this instant have been checked for runs that never happened (recorded as 'missed').
    ADD COLUMN missed_checked_until timestamptz;

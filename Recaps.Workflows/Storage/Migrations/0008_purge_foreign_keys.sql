-- Deleting a schedule (the retention purge of deleted schedules) makes PostgreSQL look for rows that
-- still reference it in every table with a foreign key to schedules; without an index on the
-- referencing column each deleted schedule scans that table in full (recaps keeps 180 days).
CREATE INDEX recaps_by_schedule ON recaps (schedule_id);
CREATE INDEX schedule_outbox_by_schedule ON schedule_outbox (schedule_id);
CREATE INDEX idempotency_keys_by_schedule ON idempotency_keys (schedule_id);

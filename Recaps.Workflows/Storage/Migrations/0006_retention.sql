-- The retention purge (RetentionService) finds what is past its retention through these. Both are
-- partial: a run gets its entry when it ends, a schedule only when it is deleted, so the hot paths
-- (claims, live schedules) write nothing more. Applied outbox rows and idempotency keys have no
-- index of their own: both tables hold only their retention's worth of rows, scanned once per pass,
-- and an index on the outbox would cost the sync a write for every change it applies.
CREATE INDEX schedule_runs_ended ON schedule_runs (completed_at) WHERE completed_at IS NOT NULL;
CREATE INDEX schedules_deleted ON schedules (deleted_at) WHERE deleted_at IS NOT NULL;

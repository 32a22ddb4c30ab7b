-- Per-user hourly quotas (UserQuotas) count a user's recent requests from the rows they leave:
-- schedules created or deleted, and run-now runs (occurrence key 'run-…') of the user's schedules,
-- deleted ones included. These indexes keep each count to the user's recent rows.
CREATE INDEX schedules_deleted_by_user ON schedules (user_id, deleted_at) WHERE deleted_at IS NOT NULL;
-- Also serves the per-schedule run-now cooldown (the schedule's latest run-now).
CREATE INDEX schedule_runs_run_nows ON schedule_runs (schedule_id, created_at) WHERE occurrence_key LIKE 'run-%';

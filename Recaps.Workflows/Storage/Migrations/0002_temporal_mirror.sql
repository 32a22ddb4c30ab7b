-- What the reconciler learns from Temporal about a schedule. An operator's pause (made with the
-- temporal CLI or Web UI, so without the Recaps note prefix) is kept apart from the user's pause
-- in status/paused_by: the user's resume never lifts it, and the operator's unpause never lifts
-- the user's.
ALTER TABLE schedules
    ADD COLUMN operator_paused_at    timestamptz,
    ADD COLUMN operator_pause_reason text,
    ADD COLUMN next_action_at        timestamptz,
    ADD COLUMN last_action_at        timestamptz;

-- Intent: what users asked for. Temporal schedules are derived from these rows.
CREATE TABLE schedules (
    id                  uuid PRIMARY KEY,
    user_id             text NOT NULL,
    title               text NOT NULL,
    days_of_week        smallint NOT NULL CHECK (days_of_week BETWEEN 1 AND 254), -- bit n = ISO day n (Monday = 1)
    time_of_day         time NOT NULL,
    time_zone           text NOT NULL,
    channel_mode        text NOT NULL CHECK (channel_mode IN ('specific', 'allUnreads')),
    channel_ids         text[] NOT NULL DEFAULT '{}',
    recurring           boolean NOT NULL,
    agent               text NOT NULL,
    custom_instructions text,
    status              text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'completed')),
    paused_by           text CHECK (paused_by IN ('user', 'operator')),
    pause_reason        text,
    anchor_at           timestamptz NOT NULL, -- a one-time schedule runs at its first occurrence after this
    version             integer NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    deleted_at          timestamptz,
    last_run_at         timestamptz,
    run_count           integer NOT NULL DEFAULT 0,
    watermark           timestamptz, -- windowEnd of the last successful recap: the next window starts here
    sync_state          text NOT NULL DEFAULT 'pending' CHECK (sync_state IN ('pending', 'synced', 'error')),
    sync_error          text,
    synced_at           timestamptz
);
CREATE INDEX schedules_by_user ON schedules (user_id, created_at DESC) WHERE deleted_at IS NULL;

-- Every change to intent is written here in the same transaction; the sync applies it to Temporal.
CREATE TABLE schedule_outbox (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    schedule_id      uuid NOT NULL REFERENCES schedules (id),
    operation        text NOT NULL CHECK (operation IN ('upsert', 'delete', 'pause', 'resume', 'run')),
    schedule_version integer NOT NULL,
    run_id           uuid, -- the run a 'run' operation starts
    created_at       timestamptz NOT NULL,
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_error       text,
    processed_at     timestamptz
);
CREATE INDEX schedule_outbox_pending ON schedule_outbox (next_attempt_at, id) WHERE processed_at IS NULL;
CREATE INDEX schedule_outbox_by_schedule ON schedule_outbox (schedule_id, id);

-- One row per workflow execution. An occurrence (schedule, local date or run-now request) is
-- held by at most one row that is neither 'skipped' nor 'failed': duplicate fires are recorded as
-- skipped, and a failed occurrence (which has no recap) can be started again.
CREATE TABLE schedule_runs (
    id             uuid PRIMARY KEY,
    schedule_id    uuid NOT NULL REFERENCES schedules (id),
    occurrence_key text NOT NULL,
    nominal_time   timestamptz NOT NULL,
    workflow_id    text NOT NULL UNIQUE,
    status         text NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'skipped', 'missed')),
    reason         text,
    window_start   timestamptz,
    window_end     timestamptz,
    channels       jsonb,
    recap_id       uuid,
    error          text,
    created_at     timestamptz NOT NULL,
    claimed_at     timestamptz,
    completed_at   timestamptz
);
CREATE UNIQUE INDEX schedule_runs_one_per_occurrence ON schedule_runs (schedule_id, occurrence_key) WHERE status NOT IN ('skipped', 'failed');
CREATE INDEX schedule_runs_history ON schedule_runs (schedule_id, nominal_time DESC);
CREATE INDEX schedule_runs_in_progress ON schedule_runs (schedule_id) WHERE status = 'running';

CREATE TABLE recaps (
    id           uuid PRIMARY KEY,
    run_id       uuid NOT NULL UNIQUE REFERENCES schedule_runs (id),
    schedule_id  uuid NOT NULL REFERENCES schedules (id),
    user_id      text NOT NULL,
    title        text NOT NULL,
    status       text NOT NULL CHECK (status IN ('completed', 'partial')),
    window_start timestamptz NOT NULL,
    window_end   timestamptz NOT NULL,
    channels     jsonb NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX recaps_by_user ON recaps (user_id, created_at DESC);

CREATE TABLE idempotency_keys (
    user_id      text NOT NULL,
    key          text NOT NULL,
    request_hash text NOT NULL,
    schedule_id  uuid NOT NULL REFERENCES schedules (id),
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);

-- The built-in chat store.
CREATE TABLE channels (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE channel_members (
    channel_id   text NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    user_id      text NOT NULL,
    last_read_at timestamptz,
    PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX channel_members_by_user ON channel_members (user_id);

CREATE TABLE posts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel_id text NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    author_id  text NOT NULL,
    message    text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX posts_by_channel_time ON posts (channel_id, created_at DESC, id DESC);

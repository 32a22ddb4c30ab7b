-- Which agent wrote a recap, whether it fell back to the extractive one (and why), what the model
-- calls cost, and its version: a regenerated recap is a new version of the same run's window. The
-- run keeps pointing (recap_id) at its first version.
ALTER TABLE recaps
    ADD COLUMN agent           text NOT NULL DEFAULT 'extractive',
    ADD COLUMN fallback_reason text,
    ADD COLUMN usage           jsonb,
    ADD COLUMN version         integer NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE recaps DROP CONSTRAINT recaps_run_id_key;
ALTER TABLE recaps ADD CONSTRAINT recaps_one_per_version UNIQUE (run_id, version);

-- Tokens the LLM agents spent for each user, per UTC day, as one row per spend (a channel's calls of
-- one activity attempt): a retried attempt writes its own rows and a repeated write of the same spend
-- replaces its row, so the day's sum counts each spend once. Only today's rows are read.
CREATE TABLE agent_token_spend (
    user_id  text NOT NULL,
    day      date NOT NULL,
    spend    text NOT NULL,
    tokens   bigint NOT NULL CHECK (tokens >= 0),
    PRIMARY KEY (user_id, day, spend)
);
CREATE INDEX agent_token_spend_by_day ON agent_token_spend (day);

-- A user's request for a new version of a recap; the sync starts its workflow from the outbox row
-- that names it, so no request is lost while Temporal is down. recap_id is the id the new version
-- is stored under (known from the request on, so the API can answer with it).
CREATE TABLE recap_regenerations (
    id           uuid PRIMARY KEY,
    run_id       uuid NOT NULL REFERENCES schedule_runs (id) ON DELETE CASCADE,
    recap_id     uuid NOT NULL UNIQUE,
    user_id      text NOT NULL,
    version      integer NOT NULL,
    agent        text NOT NULL,
    requested_at timestamptz NOT NULL,
    UNIQUE (run_id, version)
);

ALTER TABLE schedule_outbox ADD COLUMN regeneration_id uuid; -- the regeneration a 'regenerate' operation starts
ALTER TABLE schedule_outbox DROP CONSTRAINT schedule_outbox_operation_check;
ALTER TABLE schedule_outbox ADD CONSTRAINT schedule_outbox_operation_check
    CHECK (operation IN ('upsert', 'delete', 'pause', 'resume', 'run', 'regenerate'));

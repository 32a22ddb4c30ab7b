-- This deployment's identity: the owner mark it writes on every Temporal schedule it creates, so
-- that deployments sharing a Temporal namespace (each with its own database) never take each other's
-- schedules for orphans. Generated at first use (ScheduleOwner), not here: a database cloned from a
-- migrated template gets its own. Recaps:Sync:Owner overrides it.
CREATE TABLE deployment (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    id        uuid NOT NULL DEFAULT gen_random_uuid());

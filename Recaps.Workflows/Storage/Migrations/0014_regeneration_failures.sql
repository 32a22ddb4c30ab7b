-- A regeneration whose workflow failed for good: recorded, so a new request makes a new version
-- instead of being answered with this one for ever.
ALTER TABLE recap_regenerations ADD COLUMN failed_at timestamptz, ADD COLUMN error text;

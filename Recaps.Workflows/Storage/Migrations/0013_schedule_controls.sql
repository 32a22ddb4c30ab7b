-- A user's controls over a schedule's occurrences. skip_if_empty: an occurrence with no posts in its
-- window is recorded skipped ('empty') instead of storing an empty recap. skip_dates: local dates (in
-- the schedule's zone) whose occurrence is recorded skipped; the next recap covers their posts.
ALTER TABLE schedules
    ADD COLUMN skip_if_empty boolean NOT NULL DEFAULT false,
    ADD COLUMN skip_dates    date[]  NOT NULL DEFAULT '{}';

-- What the owner of a recap thought of it: one rating per recap, replaced when given again. It goes
-- with its recap when the retention purge removes that.
CREATE TABLE recap_feedback (
    recap_id   uuid PRIMARY KEY REFERENCES recaps (id) ON DELETE CASCADE,
    rating     text NOT NULL CHECK (rating IN ('up', 'down')),
    comment    text,
    given_at   timestamptz NOT NULL
);

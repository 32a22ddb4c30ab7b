-- A schedule's own delivery targets (null: its user's); same JSON as user_delivery.targets.
ALTER TABLE schedules ADD COLUMN deliver_to jsonb;

-- Each recap's deliveries, one row per target, resolved once when the recap's delivery is planned:
-- later edits of targets do not re-route a recap. The id is the delivery's id on the wire
-- (X-Recaps-Delivery, the email's Message-ID), the same on every attempt. The target is a copy,
-- webhook secret included (the API never shows it). A delivery goes with its recap.
CREATE TABLE recap_deliveries (
    id        uuid PRIMARY KEY,
    recap_id  uuid NOT NULL REFERENCES recaps (id) ON DELETE CASCADE,
    position  int NOT NULL,
    target    jsonb NOT NULL,
    status    text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts  int NOT NULL DEFAULT 0,
    at        timestamptz NOT NULL,
    error     text,
    UNIQUE (recap_id, position)
);

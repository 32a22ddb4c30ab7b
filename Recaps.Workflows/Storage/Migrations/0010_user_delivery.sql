-- Where each user's recaps are delivered; a user without a row gets them in the app only.
-- Webhook secrets are kept here because every delivery signs with them; the API never shows them.
CREATE TABLE user_delivery (
    user_id    text PRIMARY KEY,
    targets    jsonb NOT NULL,
    updated_at timestamptz NOT NULL
);

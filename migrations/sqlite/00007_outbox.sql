-- +goose Up
-- The outbox: every change that others must hear about (live streams now,
-- webhooks later), written in the same transaction as the change.
CREATE TABLE outbox_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    type       text NOT NULL,
    market     text NOT NULL DEFAULT '',
    case_id    INTEGER,
    user_id    INTEGER,
    actor      text NOT NULL,
    payload    text NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX outbox_events_market_idx ON outbox_events (market, id);

-- +goose Down
DROP TABLE outbox_events;

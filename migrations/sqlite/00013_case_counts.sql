-- +goose Up
-- Queue counts come from a rollup of open cases, refreshed every few seconds
-- by one GROUP BY (app.RefreshQueueCounts), never from scans per request.
-- One row per combination of the dimensions queues filter on; breached and
-- at risk are judged at the refresh time, rollups.as_of. (The PostgreSQL
-- twin also adds trigram indexes for text search; SQLite has none.)
CREATE TABLE case_counts (
    market            text NOT NULL,
    policy_code       text NOT NULL,
    severity          text NOT NULL,
    status            text NOT NULL,
    queue             text,
    emergency         BOOLEAN NOT NULL,
    assigned          BOOLEAN NOT NULL,
    total             integer NOT NULL,
    breached          integer NOT NULL,
    at_risk           integer NOT NULL,
    oldest_created_at DATETIME NOT NULL
);
CREATE INDEX case_counts_market_idx ON case_counts (market, status);

-- When each rollup was last refreshed (NULL: never).
CREATE TABLE rollups (
    name       text PRIMARY KEY,
    as_of      DATETIME,
    took_ms    integer NOT NULL DEFAULT 0
);
INSERT INTO rollups (name) VALUES ('case_counts');

-- +goose Down
DROP TABLE rollups;
DROP TABLE case_counts;

-- +goose Up
-- Queue counts come from a rollup of open cases, refreshed every few seconds
-- by one GROUP BY (app.RefreshQueueCounts), never from scans per request.
-- One row per combination of the dimensions queues filter on; breached and
-- at risk are judged at the refresh time, rollups.as_of.
CREATE TABLE case_counts (
    market            text NOT NULL,
    policy_code       text NOT NULL,
    severity          text NOT NULL,
    status            text NOT NULL,
    queue             text,
    emergency         boolean NOT NULL,
    assigned          boolean NOT NULL,
    total             bigint NOT NULL,
    breached          bigint NOT NULL,
    at_risk           bigint NOT NULL,
    oldest_created_at timestamptz NOT NULL
);
CREATE INDEX case_counts_market_idx ON case_counts (market, status);

-- When each rollup was last refreshed (NULL: never).
CREATE TABLE rollups (
    name       text PRIMARY KEY,
    as_of      timestamptz,
    took_ms    bigint NOT NULL DEFAULT 0
);
INSERT INTO rollups (name) VALUES ('case_counts');

-- Case search by text (q=) matches substrings of subject names and external
-- ids: trigram indexes let the planner find them without reading every
-- subject.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX subjects_name_trgm_idx ON subjects USING gin (lower(display_name) gin_trgm_ops);
CREATE INDEX subjects_external_id_trgm_idx ON subjects USING gin (lower(external_id) gin_trgm_ops);
CREATE INDEX comments_body_trgm_idx ON comments USING gin (lower(body) gin_trgm_ops);

-- +goose Down
DROP INDEX comments_body_trgm_idx;
DROP INDEX subjects_external_id_trgm_idx;
DROP INDEX subjects_name_trgm_idx;
DROP TABLE rollups;
DROP TABLE case_counts;

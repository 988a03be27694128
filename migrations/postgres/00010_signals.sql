-- +goose Up
-- Signals pushed by upstream systems: stored once per (source, source_id)
-- for velocity functions, backtests and evidence.
CREATE TABLE signals (
    id          bigserial PRIMARY KEY,
    source      text NOT NULL,
    source_id   text NOT NULL,
    type        text NOT NULL,
    subject_id  bigint NOT NULL REFERENCES subjects (id),
    market      text NOT NULL REFERENCES markets (code),
    occurred_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    attributes  text NOT NULL DEFAULT '{}',
    sent_by     text NOT NULL
);
CREATE UNIQUE INDEX signals_source_idx ON signals (source, source_id);
-- Velocity: a subject's signals of a type in a window.
CREATE INDEX signals_subject_type_time_idx ON signals (subject_id, type, occurred_at);
-- Backtests: replay by time.
CREATE INDEX signals_time_idx ON signals (occurred_at);

-- +goose Down
DROP TABLE signals;

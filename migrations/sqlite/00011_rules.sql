-- +goose Up
-- Risk rules: a rule is its identity and lifecycle; every saved change is an
-- immutable version (the database refuses UPDATE and DELETE on versions).
CREATE TABLE rules (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           text NOT NULL,
    status         text NOT NULL CHECK (status IN ('draft', 'shadow', 'live', 'disabled')),
    version        integer NOT NULL,
    version_id     INTEGER NOT NULL,
    markets        text NOT NULL,
    signal_types   text NOT NULL,
    created_by     text NOT NULL,
    created_at     DATETIME NOT NULL,
    updated_by     text NOT NULL,
    updated_at     DATETIME NOT NULL,
    error_count    INTEGER NOT NULL DEFAULT 0,
    last_error     text NOT NULL DEFAULT '',
    last_error_at  DATETIME
);
CREATE UNIQUE INDEX rules_name_key ON rules (lower(name));
CREATE INDEX rules_active_idx ON rules (status) WHERE status IN ('shadow', 'live');

CREATE TABLE rule_versions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id        INTEGER NOT NULL REFERENCES rules (id),
    version        integer NOT NULL,
    status         text NOT NULL,
    name           text NOT NULL,
    description    text NOT NULL DEFAULT '',
    markets        text NOT NULL,
    signal_types   text NOT NULL,
    expression     text NOT NULL,
    policy_code    text NOT NULL REFERENCES policies (code),
    severity       text NOT NULL,
    priority_boost integer NOT NULL DEFAULT 0,
    queue_id       INTEGER REFERENCES queues (id),
    auto_triage    BOOLEAN NOT NULL DEFAULT 0,
    note           text NOT NULL DEFAULT '',
    created_by     text NOT NULL,
    created_by_label text NOT NULL DEFAULT '',
    created_at     DATETIME NOT NULL
);
CREATE UNIQUE INDEX rule_versions_key ON rule_versions (rule_id, version);
-- +goose StatementBegin
CREATE TRIGGER rule_versions_no_update BEFORE UPDATE ON rule_versions
BEGIN
    SELECT RAISE(ABORT, 'rule_versions rows are immutable (UPDATE refused)');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rule_versions_no_delete BEFORE DELETE ON rule_versions
BEGIN
    SELECT RAISE(ABORT, 'rule_versions rows are immutable (DELETE refused)');
END;
-- +goose StatementEnd

-- A hit: a rule version matched a signal. Live hits open or join a case;
-- shadow hits are only recorded. values holds what the expression read.
CREATE TABLE rule_hits (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id         INTEGER NOT NULL REFERENCES rules (id),
    rule_version_id INTEGER NOT NULL REFERENCES rule_versions (id),
    version         integer NOT NULL,
    mode            text NOT NULL CHECK (mode IN ('live', 'shadow')),
    signal_id       INTEGER NOT NULL REFERENCES signals (id),
    signal_type     text NOT NULL,
    subject_id      INTEGER NOT NULL REFERENCES subjects (id),
    market          text NOT NULL,
    severity        text NOT NULL,
    case_id         INTEGER REFERENCES cases (id),
    opened_case     BOOLEAN NOT NULL DEFAULT 0,
    hit_values      text NOT NULL DEFAULT '{}',
    occurred_at     DATETIME NOT NULL,
    created_at      DATETIME NOT NULL
);
CREATE UNIQUE INDEX rule_hits_signal_key ON rule_hits (rule_id, signal_id);
CREATE INDEX rule_hits_rule_time_idx ON rule_hits (rule_id, occurred_at);
CREATE INDEX rule_hits_case_idx ON rule_hits (case_id) WHERE case_id IS NOT NULL;

-- Where a rule's new case goes: by market and policy (policy NULL is the
-- market's default).
CREATE TABLE routes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    market      text NOT NULL REFERENCES markets (code),
    policy_code text REFERENCES policies (code),
    queue_id    INTEGER NOT NULL REFERENCES queues (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX routes_key ON routes (market, COALESCE(policy_code, ''));
INSERT INTO routes (market, queue_id)
    SELECT q.markets, q.id FROM queues q WHERE q.kind = 'review' AND q.markets IN (SELECT code FROM markets) AND q.created_by = 'system:migration';

-- Backtests run in the background; result is JSON once done.
CREATE TABLE backtests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id      INTEGER NOT NULL REFERENCES rules (id),
    version      integer,
    expression   text NOT NULL,
    from_at      DATETIME NOT NULL,
    to_at        DATETIME NOT NULL,
    max_signals  integer NOT NULL,
    status       text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'cancelled', 'failed')),
    scanned      integer NOT NULL DEFAULT 0,
    total        integer NOT NULL DEFAULT 0,
    result       text,
    error        text NOT NULL DEFAULT '',
    created_by   text NOT NULL,
    created_by_label text NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    heartbeat_at DATETIME,
    finished_at  DATETIME
);
CREATE INDEX backtests_rule_idx ON backtests (rule_id, id);
CREATE INDEX backtests_queued_idx ON backtests (id) WHERE status = 'queued';

-- Quality alerts, at most one per rule, kind and day.
CREATE TABLE rule_alerts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id    INTEGER NOT NULL REFERENCES rules (id),
    kind       text NOT NULL,
    day        text NOT NULL,
    message    text NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX rule_alerts_key ON rule_alerts (rule_id, kind, day);

-- A rule's priority boost stays with the case through recomputations.
ALTER TABLE cases ADD COLUMN priority_boost integer NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE cases DROP COLUMN priority_boost;
DROP TABLE rule_alerts;
DROP TABLE backtests;
DROP TABLE routes;
DROP TABLE rule_hits;
DROP TABLE rule_versions;
DROP TABLE rules;

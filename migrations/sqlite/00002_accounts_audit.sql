-- +goose Up
-- Accounts, sessions, API tokens, authorization policy and the audit trail.

CREATE TABLE users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    email          text NOT NULL CHECK (email <> ''),
    name           text NOT NULL CHECK (name <> ''),
    password_hash  text NOT NULL,
    active         BOOLEAN NOT NULL DEFAULT 1,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    last_login_at  DATETIME,
    deactivated_at DATETIME
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Server-side sessions. Only a hash of the cookie value is stored.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   text NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    csrf_token   text NOT NULL,
    created_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    revoked_at   DATETIME,
    client_ip    text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_live_idx ON sessions (user_id) WHERE revoked_at IS NULL;

-- API tokens for integrations. Only a hash of the secret is stored.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         text NOT NULL CHECK (name <> ''),
    token_hash   text NOT NULL UNIQUE,
    prefix       text NOT NULL,
    scopes       text NOT NULL,
    markets      text NOT NULL,
    created_by   text NOT NULL,
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME,
    last_used_at DATETIME,
    revoked_at   DATETIME
);

-- Failed-login counters per account and per client address, shared by every
-- server instance.
CREATE TABLE login_throttles (
    key               text PRIMARY KEY,
    failures          integer NOT NULL,
    window_started_at DATETIME NOT NULL,
    locked_until      DATETIME
);

-- Casbin policy (gorm-adapter layout; the adapter's auto-migration is off).
CREATE TABLE casbin_rule (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    ptype varchar(100) NOT NULL DEFAULT '',
    v0    varchar(100) NOT NULL DEFAULT '',
    v1    varchar(100) NOT NULL DEFAULT '',
    v2    varchar(100) NOT NULL DEFAULT '',
    v3    varchar(100) NOT NULL DEFAULT '',
    v4    varchar(100) NOT NULL DEFAULT '',
    v5    varchar(100) NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX idx_casbin_rule ON casbin_rule (ptype, v0, v1, v2, v3, v4, v5);

-- Bumped with every policy change, so every server reloads its enforcer.
CREATE TABLE authz_revision (
    id       integer PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
);
INSERT INTO authz_revision (id, revision) VALUES (1, 1);

-- The role permission matrix (docs/PERMISSIONS.md shows it; a test keeps
-- the two in agreement).
INSERT INTO casbin_rule (ptype, v0, v1) VALUES
    ('p', 'admin', 'user.manage'),
    ('p', 'admin', 'token.manage'),
    ('p', 'admin', 'policy.manage'),
    ('p', 'admin', 'queue.manage'),
    ('p', 'admin', 'webhook.manage'),
    ('p', 'admin', 'rule.read'),
    ('p', 'admin', 'rule.publish'),
    ('p', 'admin', 'audit.read'),
    ('p', 'admin', 'audit.verify'),
    ('p', 'lead', 'case.read'),
    ('p', 'lead', 'case.comment'),
    ('p', 'lead', 'case.evidence'),
    ('p', 'lead', 'case.claim'),
    ('p', 'lead', 'case.hold'),
    ('p', 'lead', 'case.escalate'),
    ('p', 'lead', 'case.resolve'),
    ('p', 'lead', 'subject.read'),
    ('p', 'lead', 'decision.read'),
    ('p', 'lead', 'queue.read'),
    ('p', 'lead', 'case.create'),
    ('p', 'lead', 'case.triage'),
    ('p', 'lead', 'case.assign'),
    ('p', 'lead', 'case.release_any'),
    ('p', 'lead', 'case.deescalate'),
    ('p', 'lead', 'case.reopen'),
    ('p', 'lead', 'case.emergency'),
    ('p', 'lead', 'case.approve'),
    ('p', 'lead', 'case.bulk'),
    ('p', 'lead', 'queue.manage'),
    ('p', 'lead', 'signal.read'),
    ('p', 'lead', 'rule.read'),
    ('p', 'lead', 'rule.publish'),
    ('p', 'lead', 'dashboard.read'),
    ('p', 'reviewer', 'case.read'),
    ('p', 'reviewer', 'case.comment'),
    ('p', 'reviewer', 'case.evidence'),
    ('p', 'reviewer', 'case.claim'),
    ('p', 'reviewer', 'case.hold'),
    ('p', 'reviewer', 'case.escalate'),
    ('p', 'reviewer', 'case.resolve'),
    ('p', 'reviewer', 'subject.read'),
    ('p', 'reviewer', 'decision.read'),
    ('p', 'reviewer', 'queue.read'),
    ('p', 'analyst', 'case.read'),
    ('p', 'analyst', 'case.create'),
    ('p', 'analyst', 'subject.read'),
    ('p', 'analyst', 'decision.read'),
    ('p', 'analyst', 'queue.read'),
    ('p', 'analyst', 'signal.read'),
    ('p', 'analyst', 'rule.read'),
    ('p', 'analyst', 'rule.write'),
    ('p', 'analyst', 'rule.backtest'),
    ('p', 'analyst', 'dashboard.read'),
    ('p', 'auditor', 'case.read'),
    ('p', 'auditor', 'subject.read'),
    ('p', 'auditor', 'decision.read'),
    ('p', 'auditor', 'queue.read'),
    ('p', 'auditor', 'signal.read'),
    ('p', 'auditor', 'rule.read'),
    ('p', 'auditor', 'dashboard.read'),
    ('p', 'auditor', 'audit.read'),
    ('p', 'auditor', 'audit.export'),
    ('p', 'auditor', 'audit.verify'),
    ('p', 'qa', 'case.read'),
    ('p', 'qa', 'subject.read'),
    ('p', 'qa', 'decision.read'),
    ('p', 'qa', 'queue.read'),
    ('p', 'qa', 'qa.review');

-- What each API token scope allows.
INSERT INTO casbin_rule (ptype, v0, v1) VALUES
    ('p', 'scope:signals:write', 'signal.write'),
    ('p', 'scope:appeals:write', 'appeal.write'),
    ('p', 'scope:cases:read', 'case.read'),
    ('p', 'scope:cases:read', 'subject.read'),
    ('p', 'scope:cases:read', 'decision.read'),
    ('p', 'scope:audit:read', 'audit.read');

-- Append-only, hash-chained record of every mutation.
CREATE TABLE audit_entries (
    seq         INTEGER PRIMARY KEY,
    occurred_at DATETIME NOT NULL,
    actor       text NOT NULL,
    actor_label text NOT NULL,
    action      text NOT NULL,
    object_type text NOT NULL,
    object_id   text NOT NULL,
    market      text NOT NULL DEFAULT '',
    before_json text,
    after_json  text,
    request_id  text NOT NULL DEFAULT '',
    client_ip   text NOT NULL DEFAULT '',
    prev_hash   text NOT NULL,
    hash        text NOT NULL
);
CREATE INDEX audit_entries_actor_idx ON audit_entries (actor, seq);
CREATE INDEX audit_entries_action_idx ON audit_entries (action, seq);
CREATE INDEX audit_entries_object_idx ON audit_entries (object_type, object_id, seq);
CREATE INDEX audit_entries_market_idx ON audit_entries (market, seq);
CREATE INDEX audit_entries_time_idx ON audit_entries (occurred_at);

-- +goose StatementBegin
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only (UPDATE refused)');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only (DELETE refused)');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_entries;
DROP TABLE authz_revision;
DROP TABLE casbin_rule;
DROP TABLE login_throttles;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;

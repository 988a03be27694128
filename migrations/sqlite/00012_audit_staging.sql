-- +goose Up
-- Audit entries are staged in the transaction that makes the change and
-- joined to the hash chain just after commit by a sealer; readers of the
-- audit log seal first. (PostgreSQL also tunes autovacuum here.)
CREATE TABLE audit_pending (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
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
    staged_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- The claim's appeal exclusion looks decisions up by who made them.
CREATE INDEX decisions_decided_by_idx ON decisions (decided_by, case_id) WHERE decided_by IS NOT NULL;

-- +goose Down
DROP INDEX decisions_decided_by_idx;
DROP TABLE audit_pending;

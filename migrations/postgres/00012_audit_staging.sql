-- +goose Up
-- Audit entries are staged in the transaction that makes the change and
-- joined to the hash chain just after commit by a sealer (one at a time,
-- under an advisory lock), so write transactions no longer queue behind
-- one another's commits for the chain. Readers of the audit log seal first.
CREATE TABLE audit_pending (
    id          bigserial PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
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
    staged_at   timestamptz NOT NULL DEFAULT now()
);

-- audit_pending is a queue (rows live for milliseconds); the case and event
-- tables churn with every claim and decision. Vacuum them on small changes
-- rather than on a fifth of the table, so claim-next never walks long runs
-- of dead index entries.
ALTER TABLE audit_pending SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
    autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 10000);
ALTER TABLE cases SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
    autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 1);
ALTER TABLE outbox_events SET (autovacuum_vacuum_insert_scale_factor = 0.05);
ALTER TABLE case_events SET (autovacuum_vacuum_insert_scale_factor = 0.05);

-- The claim's appeal exclusion looks decisions up by who made them.
CREATE INDEX decisions_decided_by_idx ON decisions (decided_by, case_id) WHERE decided_by IS NOT NULL;

-- +goose Down
DROP INDEX decisions_decided_by_idx;
ALTER TABLE case_events RESET (autovacuum_vacuum_insert_scale_factor);
ALTER TABLE outbox_events RESET (autovacuum_vacuum_insert_scale_factor);
ALTER TABLE cases RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold,
    autovacuum_analyze_scale_factor, autovacuum_vacuum_cost_delay);
DROP TABLE audit_pending;

-- +goose Up
-- audit_pending (staged audit entries, sealed within milliseconds) and
-- case_counts (rewritten whole by every rollup refresh) are emptied over
-- and over, and vacuumed often: by autovacuum (00012) and by the servers
-- themselves (the sealer; the rollup refresher). A vacuum that finds the
-- table's tail empty truncates it, which needs an ACCESS EXCLUSIVE lock:
-- it waits for every writer in flight and meanwhile blocks every new one
-- (every claim stages an audit entry; every GET /queues reads the counts),
-- for up to five seconds when the lock does not come. The pages come back
-- at the next burst anyway, so these tables keep them.
ALTER TABLE audit_pending SET (vacuum_truncate = false);
ALTER TABLE case_counts SET (vacuum_truncate = false);

-- +goose Down
ALTER TABLE audit_pending RESET (vacuum_truncate);
ALTER TABLE case_counts RESET (vacuum_truncate);

-- +goose Up
-- When a case's stored priority next goes stale (its SLA urgency moves up
-- a step); the sweeper refreshes it then. NULL: nothing left to refresh.
ALTER TABLE cases ADD COLUMN priority_refresh_at DATETIME;
CREATE INDEX cases_priority_refresh_idx ON cases (priority_refresh_at) WHERE priority_refresh_at IS NOT NULL;
UPDATE cases SET priority_refresh_at = CURRENT_TIMESTAMP WHERE status <> 'resolved';

-- +goose Down
DROP INDEX cases_priority_refresh_idx;
ALTER TABLE cases DROP COLUMN priority_refresh_at;

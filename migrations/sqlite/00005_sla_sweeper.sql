-- +goose Up
-- SLA clocks: when a hold began (the clock pauses), and when a breach was
-- escalated (so it happens once).
ALTER TABLE cases ADD COLUMN held_at DATETIME;
ALTER TABLE cases ADD COLUMN sla_breach_escalated_at DATETIME;
CREATE INDEX cases_lease_idx ON cases (claim_expires_at) WHERE status = 'in_review';
CREATE INDEX cases_breach_idx ON cases (sla_due_at) WHERE status IN ('new', 'triaged', 'in_review') AND sla_breach_escalated_at IS NULL;

-- +goose Down
DROP INDEX cases_breach_idx;
DROP INDEX cases_lease_idx;
ALTER TABLE cases DROP COLUMN sla_breach_escalated_at;
ALTER TABLE cases DROP COLUMN held_at;

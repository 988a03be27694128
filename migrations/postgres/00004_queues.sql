-- +goose Up
-- Queues: named views over cases that reviewers pull from.

CREATE TABLE queues (
    id             bigserial PRIMARY KEY,
    name           text NOT NULL CHECK (name <> ''),
    description    text NOT NULL DEFAULT '',
    kind           text NOT NULL DEFAULT 'review' CHECK (kind IN ('review', 'escalation')),
    markets        text NOT NULL CHECK (markets <> ''),
    policies       text NOT NULL DEFAULT '',
    severities     text NOT NULL DEFAULT '',
    emergency_only boolean NOT NULL DEFAULT false,
    created_by     text NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    version        integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX queues_name_key ON queues (lower(name));

-- When a case turns "at risk" (80% of its SLA used).
ALTER TABLE cases ADD COLUMN sla_at_risk_at timestamptz;
UPDATE cases SET sla_at_risk_at = sla_due_at;

-- Claim-next reads the most urgent unassigned triaged case of a market.
CREATE INDEX cases_claimable_idx ON cases (market, priority DESC, id) WHERE status = 'triaged' AND assignee_id IS NULL;

INSERT INTO queues (name, description, kind, markets, created_by, created_at, updated_at) VALUES
('Indonesia review', 'Triaged cases in Indonesia, most urgent first.', 'review', 'ID', 'system:migration', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('Indonesia escalations', 'Escalated cases in Indonesia, for leads.', 'escalation', 'ID', 'system:migration', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('Malaysia review', 'Triaged cases in Malaysia, most urgent first.', 'review', 'MY', 'system:migration', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('Malaysia escalations', 'Escalated cases in Malaysia, for leads.', 'escalation', 'MY', 'system:migration', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('Philippines review', 'Triaged cases in Philippines, most urgent first.', 'review', 'PH', 'system:migration', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('Philippines escalations', 'Escalated cases in Philippines, for leads.', 'escalation', 'PH', 'system:migration', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('Singapore review', 'Triaged cases in Singapore, most urgent first.', 'review', 'SG', 'system:migration', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('Singapore escalations', 'Escalated cases in Singapore, for leads.', 'escalation', 'SG', 'system:migration', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('Thailand review', 'Triaged cases in Thailand, most urgent first.', 'review', 'TH', 'system:migration', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('Thailand escalations', 'Escalated cases in Thailand, for leads.', 'escalation', 'TH', 'system:migration', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('Vietnam review', 'Triaged cases in Vietnam, most urgent first.', 'review', 'VN', 'system:migration', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('Vietnam escalations', 'Escalated cases in Vietnam, for leads.', 'escalation', 'VN', 'system:migration', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

-- +goose Down
DROP INDEX cases_claimable_idx;
ALTER TABLE cases DROP COLUMN sla_at_risk_at;
DROP TABLE queues;

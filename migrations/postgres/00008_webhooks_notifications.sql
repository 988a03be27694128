-- +goose Up
-- Webhook endpoints: where an admin wants events sent. The secret signs
-- every delivery (HMAC-SHA256), so it is kept, not hashed.
CREATE TABLE webhook_endpoints (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL,
    url         text NOT NULL,
    secret      text NOT NULL,
    event_types text NOT NULL,           -- space-separated
    markets     text NOT NULL DEFAULT '', -- space-separated; empty: every market
    active      boolean NOT NULL DEFAULT true,
    version     integer NOT NULL DEFAULT 1,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- The webhook outbox: one row per event and endpoint, written in the same
-- transaction as the change; workers deliver, retry and dead-letter them.
CREATE TABLE webhook_deliveries (
    id               bigserial PRIMARY KEY,
    endpoint_id      bigint NOT NULL REFERENCES webhook_endpoints (id),
    event_id         text NOT NULL,
    event_type       text NOT NULL,
    market           text NOT NULL,
    case_id          bigint,
    payload          text NOT NULL,
    status           text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    last_attempt_at  timestamptz,
    last_status_code integer,
    last_error       text NOT NULL DEFAULT '',
    delivered_at     timestamptz,
    created_at       timestamptz NOT NULL
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, status, id);

-- In-app notifications to one person (leads hear of emergencies and SLA
-- breaches in their markets).
CREATE TABLE notifications (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id),
    kind       text NOT NULL,
    market     text NOT NULL,
    case_id    bigint REFERENCES cases (id),
    title      text NOT NULL,
    body       text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    read_at    timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id);

-- SLA clocks per market: calendar hours, or business hours in the
-- market's time zone (weekdays 1 = Monday ... 7 = Sunday).
ALTER TABLE markets ADD COLUMN sla_clock text NOT NULL DEFAULT 'calendar' CHECK (sla_clock IN ('calendar', 'business'));
ALTER TABLE markets ADD COLUMN business_days text NOT NULL DEFAULT '1 2 3 4 5';
ALTER TABLE markets ADD COLUMN business_start text NOT NULL DEFAULT '09:00';
ALTER TABLE markets ADD COLUMN business_end text NOT NULL DEFAULT '18:00';
ALTER TABLE markets ADD COLUMN version integer NOT NULL DEFAULT 1;

INSERT INTO casbin_rule (ptype, v0, v1) VALUES ('p', 'admin', 'market.manage');
UPDATE authz_revision SET revision = revision + 1;

-- +goose Down
DELETE FROM casbin_rule WHERE ptype = 'p' AND v0 = 'admin' AND v1 = 'market.manage';
UPDATE authz_revision SET revision = revision + 1;
ALTER TABLE markets DROP COLUMN version;
ALTER TABLE markets DROP COLUMN business_end;
ALTER TABLE markets DROP COLUMN business_start;
ALTER TABLE markets DROP COLUMN business_days;
ALTER TABLE markets DROP COLUMN sla_clock;
DROP TABLE notifications;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;

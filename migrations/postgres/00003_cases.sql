-- +goose Up
-- Cases: subjects, policies, cases, their timeline, decisions, comments,
-- evidence, links and tags.

CREATE TABLE subjects (
    id           bigserial PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('creator', 'seller', 'content', 'listing', 'livestream')),
    external_id  text NOT NULL CHECK (external_id <> ''),
    market       text NOT NULL REFERENCES markets (code),
    display_name text NOT NULL,
    attributes   text NOT NULL DEFAULT '{}',
    followers    bigint NOT NULL DEFAULT 0,
    gmv_usd      bigint NOT NULL DEFAULT 0,
    strike_count integer NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    UNIQUE (kind, external_id)
);
CREATE INDEX subjects_name_idx ON subjects (lower(display_name));

CREATE TABLE policies (
    code                text PRIMARY KEY,
    name                text NOT NULL,
    description         text NOT NULL,
    default_severity    text NOT NULL CHECK (default_severity IN ('critical', 'high', 'medium', 'low')),
    sla_hours_critical  integer NOT NULL,
    sla_hours_high      integer NOT NULL,
    sla_hours_medium    integer NOT NULL,
    sla_hours_low       integer NOT NULL,
    allowed_actions     text NOT NULL,
    high_impact_actions text NOT NULL
);
INSERT INTO policies (code, name, description, default_severity, sla_hours_critical, sla_hours_high, sla_hours_medium, sla_hours_low, allowed_actions, high_impact_actions) VALUES
    ('counterfeit', 'Counterfeit goods', 'Listings or sellers offering fake branded goods.', 'high', 4, 24, 72, 168, 'warn remove_content restrict_listing suspend_account ban_seller', 'suspend_account ban_seller'),
    ('prohibited_item', 'Prohibited item', 'Items banned from sale in the market (weapons, drugs, wildlife, regulated medicine).', 'high', 4, 24, 72, 168, 'warn remove_content restrict_listing suspend_account ban_seller', 'suspend_account ban_seller'),
    ('misleading_claim', 'Misleading claim', 'False or unproven product claims (health, origin, certification).', 'medium', 4, 24, 72, 168, 'warn remove_content restrict_listing', 'restrict_listing'),
    ('ip_infringement', 'IP infringement', 'Use of trademarks, copyrighted images or designs without rights.', 'medium', 4, 24, 72, 168, 'warn remove_content restrict_listing suspend_account', 'suspend_account'),
    ('fake_engagement', 'Fake engagement', 'Bought followers, reviews, likes or livestream viewers.', 'medium', 4, 24, 72, 168, 'warn remove_content suspend_livestream suspend_account', 'suspend_account'),
    ('off_platform_transaction', 'Off-platform transaction', 'Steering buyers to pay or trade outside the platform.', 'high', 4, 24, 72, 168, 'warn remove_content suspend_livestream suspend_account ban_seller', 'suspend_account ban_seller'),
    ('dangerous_goods', 'Dangerous goods', 'Unsafe products: recalled items, uncertified electricals, hazardous chemicals.', 'critical', 4, 24, 72, 168, 'warn remove_content restrict_listing suspend_account ban_seller', 'suspend_account ban_seller'),
    ('minor_safety', 'Minor safety', 'Content or conduct that endangers minors.', 'critical', 4, 24, 72, 168, 'remove_content suspend_livestream suspend_account ban_seller', 'suspend_account ban_seller'),
    ('livestream_harassment', 'Harassment in livestream', 'Abuse, hate or harassment by hosts or viewers during livestreams.', 'high', 4, 24, 72, 168, 'warn remove_content suspend_livestream suspend_account', 'suspend_account'),
    ('price_gouging', 'Price gouging', 'Excessive prices on essentials during shortages or emergencies.', 'medium', 4, 24, 72, 168, 'warn restrict_listing suspend_account', 'suspend_account');

CREATE TABLE cases (
    id                bigserial PRIMARY KEY,
    subject_id        bigint NOT NULL REFERENCES subjects (id),
    market            text NOT NULL REFERENCES markets (code),
    policy_code       text NOT NULL REFERENCES policies (code),
    severity          text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    priority          double precision NOT NULL DEFAULT 0,
    status            text NOT NULL,
    hold_from         text,
    queue             text,
    assignee_id       bigint REFERENCES users (id),
    claim_expires_at  timestamptz,
    sla_due_at        timestamptz NOT NULL,
    escalation_reason text,
    emergency         boolean NOT NULL DEFAULT false,
    outcome           text,
    summary           text NOT NULL DEFAULT '',
    created_by        text NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    resolved_at       timestamptz,
    version           integer NOT NULL DEFAULT 1
);
-- One open case per (subject, policy).
CREATE UNIQUE INDEX cases_one_open_idx ON cases (subject_id, policy_code) WHERE status <> 'resolved';
CREATE INDEX cases_market_status_idx ON cases (market, status);
CREATE INDEX cases_priority_idx ON cases (priority DESC, id DESC);
CREATE INDEX cases_due_idx ON cases (sla_due_at, id);
CREATE INDEX cases_created_idx ON cases (created_at DESC, id DESC);
CREATE INDEX cases_updated_idx ON cases (updated_at DESC, id DESC);
CREATE INDEX cases_assignee_idx ON cases (assignee_id) WHERE assignee_id IS NOT NULL;
CREATE INDEX cases_subject_idx ON cases (subject_id);

CREATE TABLE case_events (
    id         bigserial PRIMARY KEY,
    case_id    bigint NOT NULL REFERENCES cases (id),
    type       text NOT NULL,
    actor      text NOT NULL,
    actor_label text NOT NULL,
    data       text NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL
);
CREATE INDEX case_events_case_idx ON case_events (case_id, id);

CREATE TABLE decisions (
    id          bigserial PRIMARY KEY,
    case_id     bigint NOT NULL REFERENCES cases (id),
    outcome     text NOT NULL CHECK (outcome IN ('violation', 'no_violation', 'insufficient_evidence')),
    policy_code text NOT NULL REFERENCES policies (code),
    actions     text NOT NULL DEFAULT '',
    rationale   text NOT NULL CHECK (rationale <> ''),
    high_impact boolean NOT NULL,
    decided_by  bigint REFERENCES users (id),
    decided_by_label text NOT NULL,
    decided_at  timestamptz NOT NULL
);
CREATE INDEX decisions_case_idx ON decisions (case_id, id);

-- The checker's verdict on a high-impact decision (maker-checker).
CREATE TABLE decision_reviews (
    id          bigserial PRIMARY KEY,
    decision_id bigint NOT NULL REFERENCES decisions (id),
    verdict     text NOT NULL CHECK (verdict IN ('approved', 'rejected')),
    note        text NOT NULL DEFAULT '',
    reviewer_id bigint REFERENCES users (id),
    reviewer_label text NOT NULL,
    reviewed_at timestamptz NOT NULL,
    UNIQUE (decision_id)
);

CREATE TABLE comments (
    id           bigserial PRIMARY KEY,
    case_id      bigint NOT NULL REFERENCES cases (id),
    author       text NOT NULL,
    author_label text NOT NULL,
    body         text NOT NULL CHECK (body <> ''),
    created_at   timestamptz NOT NULL
);
CREATE INDEX comments_case_idx ON comments (case_id, id);

CREATE TABLE evidence (
    id           bigserial PRIMARY KEY,
    case_id      bigint NOT NULL REFERENCES cases (id),
    kind         text NOT NULL CHECK (kind IN ('text', 'url', 'json', 'file')),
    title        text NOT NULL,
    body         text NOT NULL DEFAULT '',
    file_name    text NOT NULL DEFAULT '',
    content_type text NOT NULL DEFAULT '',
    size_bytes   bigint NOT NULL DEFAULT 0,
    sha256       text NOT NULL DEFAULT '',
    data         bytea,
    added_by     text NOT NULL,
    added_by_label text NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX evidence_case_idx ON evidence (case_id, id);

CREATE TABLE case_links (
    case_id       bigint NOT NULL REFERENCES cases (id),
    other_case_id bigint NOT NULL REFERENCES cases (id),
    kind          text NOT NULL CHECK (kind IN ('related', 'duplicate_of', 'appeal_of')),
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (case_id, other_case_id, kind),
    CHECK (case_id <> other_case_id)
);

CREATE TABLE case_tags (
    case_id bigint NOT NULL REFERENCES cases (id),
    tag     text NOT NULL CHECK (tag <> ''),
    PRIMARY KEY (case_id, tag)
);
CREATE INDEX case_tags_tag_idx ON case_tags (tag, case_id);

-- Decisions and their reviews are immutable once made.
-- +goose StatementBegin
CREATE FUNCTION refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are immutable (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER decisions_immutable BEFORE UPDATE OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER decision_reviews_immutable BEFORE UPDATE OR DELETE ON decision_reviews
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- +goose Down
DROP TABLE case_tags;
DROP TABLE case_links;
DROP TABLE evidence;
DROP TABLE comments;
DROP TABLE decision_reviews;
DROP TABLE decisions;
DROP FUNCTION refuse_change();
DROP TABLE case_events;
DROP TABLE cases;
DROP TABLE policies;
DROP TABLE subjects;

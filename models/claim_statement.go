package models

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ClaimStatement is what ClaimInOneStatement needs to know besides the
// queue: the transition and every value of the rows it writes that does
// not come from the claimed case. The use case computes them (from the
// transition table, the clock and the actor) exactly as its general path
// does; the statement fills in the case's own columns.
type ClaimStatement struct {
	From, To       CaseStatus
	AssigneeID     int64
	ExpiresAt      time.Time
	Now            time.Time
	AuthzRevision  int64 // the policy revision the caller's authorization was computed at
	ExcludeDecider int64

	EventType string // the timeline entry's type
	EventData string // its data (JSON), the same for every claim
	Actor     string // user:ID
	// ActorLabelJSON is the actor's label encoded as a JSON string, for
	// the outbox payload's "by".
	ActorLabel, ActorLabelJSON string
	OutboxType                 string
	AuditAction                string
	RequestID, ClientIP        string
}

// ClaimInOneStatement claims the most urgent claimable case of q on
// PostgreSQL in a single statement, its own transaction: it locks the
// case as LockNextClaimable does (SKIP LOCKED), moves it to s.To with the
// lease, and writes the timeline entry, the outbox event and the staged
// audit entry that the general path (lock, SaveCase, FlushTxWrites) would
// write, all or nothing. One round trip instead of five; the rows are the
// same (app.TestOneStatementClaimWritesWhatTheGeneralPathWrites holds the
// two paths to that).
//
// It claims nothing, and returns KindNotFound queue_empty, when no case
// is claimable or when the policy revision is no longer s.AuthzRevision
// (a grant changed since the caller was authorized): the caller then
// takes the general path, which re-reads the policy and explains itself.
func ClaimInOneStatement(ctx context.Context, db *gorm.DB, q Queue, markets []string, s ClaimStatement) (Case, error) {
	db = db.WithContext(ctx)
	if db.Dialector.Name() != "postgres" {
		return Case{}, errors.New("ClaimInOneStatement needs PostgreSQL")
	}
	picked := nextClaimable(db, q, markets, s.ExcludeDecider).
		Where("EXISTS (SELECT 1 FROM authz_revision WHERE id = 1 AND revision = ?)", s.AuthzRevision)
	before := caseAuditJSON("p.assignee_id", "p.status", "p.version")
	after := caseAuditJSON("c.assignee_id", "c.status", "c.version")
	payload := "'{\"by\":' || ? || ',\"case_id\":' || c.id || ',\"emergency\":' || to_json(c.emergency)::text || " +
		"',\"event\":' || to_json(?::text)::text || ',\"severity\":' || to_json(c.severity)::text || " +
		"',\"status\":' || to_json(c.status)::text || ',\"version\":' || c.version || '}'"
	sql := `WITH p AS (?),
	c AS (UPDATE cases SET status = ?, assignee_id = ?, claim_expires_at = ?, updated_at = ?, version = cases.version + 1
		FROM p WHERE cases.id = p.id AND cases.status = ? RETURNING cases.*),
	e AS (INSERT INTO case_events (case_id, type, actor, actor_label, data, created_at)
		SELECT c.id, ?, ?, ?, ?, ? FROM c),
	o AS (INSERT INTO outbox_events (type, market, case_id, user_id, actor, payload, created_at)
		SELECT ?, c.market, c.id, NULL, ?, ` + payload + `, ? FROM c),
	a AS (INSERT INTO audit_pending (occurred_at, actor, actor_label, action, object_type, object_id, market,
			before_json, after_json, request_id, client_ip)
		SELECT ?, ?, ?, ?, 'case', c.id::text, c.market, ` + before + `, ` + after + `, ?, ? FROM c JOIN p ON p.id = c.id)
	SELECT c.* FROM c`
	args := []any{picked, s.To, s.AssigneeID, s.ExpiresAt, s.Now, s.From,
		s.EventType, s.Actor, s.ActorLabel, s.EventData, s.Now,
		s.OutboxType, s.Actor, s.ActorLabelJSON, s.EventType, s.Now,
		s.Now, s.Actor, s.ActorLabel, s.AuditAction, s.RequestID, s.ClientIP}
	// Rows, not Scan: gorm's Scan renders the statement with its
	// arguments for its logger, even a silent one (7% of a claim's CPU).
	rows, err := db.Raw(sql, args...).Rows()
	if err != nil {
		return Case{}, err
	}
	defer rows.Close()
	var c Case
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return Case{}, err
		}
		return Case{}, Errorf(KindNotFound, "queue_empty", "no case to claim in this queue")
	}
	if err := db.ScanRows(rows, &c); err != nil {
		return Case{}, err
	}
	return c, rows.Close()
}

// caseAuditJSON is the SQL text of the audit log's case state (the keys
// of app's caseAuditState, in encoding/json's sorted order, compact) with
// assignee, status and version taken from the given columns and the rest
// from the claimed row c (a claim changes nothing else).
func caseAuditJSON(assignee, status, version string) string {
	field := func(key, expr string) string {
		return `'"` + key + `":' || coalesce(to_json(` + expr + `)::text, 'null')`
	}
	parts := []string{
		field("assignee_id", assignee),
		field("emergency", "c.emergency"),
		field("escalation_reason", "c.escalation_reason"),
		field("outcome", "c.outcome"),
		field("priority", "c.priority"),
		field("severity", "c.severity"),
		field("status", status),
		field("version", version),
	}
	return `'{' || ` + strings.Join(parts, ` || ',' || `) + ` || '}'`
}

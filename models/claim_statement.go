package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
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
	st, err := claimStatementFor(db, q, markets)
	if err != nil {
		return Case{}, err
	}
	// The per-claim values fill the params row, whose placeholders come
	// first; the queue's own values follow as rendered.
	args := append([]any{s.AuthzRevision, s.ExcludeDecider, string(s.From), string(s.To), s.AssigneeID, s.ExpiresAt, s.Now,
		s.EventType, s.EventData, s.Actor, s.ActorLabel, s.ActorLabelJSON, s.OutboxType, s.AuditAction, s.RequestID, s.ClientIP},
		st.queueArgs...)
	// Straight to the driver: gorm would rebuild the statement (and its
	// subquery) for every claim.
	rows, err := db.Statement.ConnPool.QueryContext(ctx, st.sql, args...)
	if err != nil {
		return Case{}, err
	}
	var c Case
	found, err := scanFirst(db, rows, &c)
	if err == nil && !found {
		err = Errorf(KindNotFound, "queue_empty", "no case to claim in this queue")
	}
	return c, err
}

// claimStatementParams is how many per-claim values lead the statement.
const claimStatementParams = 16

// renderedClaim is the claim statement of one queue definition and set of
// markets, rendered once: its text and the queue's own arguments.
type renderedClaim struct {
	sql       string
	queueArgs []any
}

// renderedClaims caches renderedClaim by everything the text depends on
// (a handful of queues times their reviewers' market sets; emptied if
// edits ever pile up past maxRenderedClaims).
var renderedClaims = struct {
	sync.Mutex
	m map[string]renderedClaim
}{m: map[string]renderedClaim{}}

const maxRenderedClaims = 1000

func claimStatementFor(db *gorm.DB, q Queue, markets []string) (renderedClaim, error) {
	key := strings.Join([]string{strconv.FormatInt(q.ID, 10), strconv.Itoa(q.Version), q.Name, q.Kind, q.Markets, q.Policies, q.Severities,
		strconv.FormatBool(q.EmergencyOnly), strings.Join(markets, " ")}, "\x00")
	renderedClaims.Lock()
	r, ok := renderedClaims.m[key]
	renderedClaims.Unlock()
	if ok {
		return r, nil
	}
	dry := db.Session(&gorm.Session{DryRun: true, NewDB: true})
	picked := nextClaimable(dry, q, markets, clause.Expr{SQL: "(SELECT decider FROM params)"}).
		Where("EXISTS (SELECT 1 FROM authz_revision WHERE id = 1 AND revision = (SELECT rev FROM params))")
	mid, before, after := caseAuditJSON()
	payload := `'{"by":' || params.label_json || ',"case_id":' || c.id || ',"emergency":' || to_json(c.emergency)::text || ` +
		`',"event":' || to_json(params.event_type)::text || ',"severity":' || to_json(c.severity)::text || ` +
		`',"status":' || to_json(c.status)::text || ',"version":' || c.version || '}'`
	text := `WITH params AS (SELECT CAST(? AS bigint) AS rev, CAST(? AS bigint) AS decider, CAST(? AS text) AS from_status,
		CAST(? AS text) AS to_status, CAST(? AS bigint) AS assignee, CAST(? AS timestamptz) AS expires_at, CAST(? AS timestamptz) AS now,
		CAST(? AS text) AS event_type, CAST(? AS text) AS event_data, CAST(? AS text) AS actor, CAST(? AS text) AS label,
		CAST(? AS text) AS label_json, CAST(? AS text) AS outbox_type, CAST(? AS text) AS audit_action, CAST(? AS text) AS request_id,
		CAST(? AS text) AS client_ip),
	p AS (?),
	c AS (UPDATE cases SET status = params.to_status, assignee_id = params.assignee, claim_expires_at = params.expires_at,
			updated_at = params.now, version = cases.version + 1
		FROM p, params WHERE cases.id = p.id AND cases.status = params.from_status
		RETURNING cases.id, cases.version, cases.status, cases.market, cases.policy_code, cases.severity, cases.queue,
			cases.assignee_id, cases.claim_expires_at, cases.emergency, cases.escalation_reason, cases.outcome, cases.priority),
	e AS (INSERT INTO case_events (case_id, type, actor, actor_label, data, created_at)
		SELECT c.id, params.event_type, params.actor, params.label, params.event_data, params.now FROM c, params),
	o AS (INSERT INTO outbox_events (type, market, case_id, user_id, actor, payload, created_at)
		SELECT params.outbox_type, c.market, c.id, NULL, params.actor, ` + payload + `, params.now FROM c, params),
	a AS (INSERT INTO audit_pending (occurred_at, actor, actor_label, action, object_type, object_id, market,
			before_json, after_json, request_id, client_ip)
		SELECT params.now, params.actor, params.label, params.audit_action, 'case', c.id::text, c.market, ` + before + `, ` + after + `,
			params.request_id, params.client_ip FROM c JOIN p ON p.id = c.id, params, LATERAL (SELECT ` + mid + `) AS m(mid))
	SELECT c.id, c.version, c.status, c.market, c.policy_code, c.severity, c.queue, c.assignee_id, c.claim_expires_at FROM c`
	placeholders := make([]any, claimStatementParams, claimStatementParams+1)
	stmt := dry.Raw(text, append(placeholders, picked)...).Find(&[]Case{}).Statement
	if stmt.Error != nil {
		return renderedClaim{}, stmt.Error
	}
	if len(stmt.Vars) < claimStatementParams {
		return renderedClaim{}, fmt.Errorf("claim statement: %d parameters rendered, want at least %d", len(stmt.Vars), claimStatementParams)
	}
	r = renderedClaim{sql: stmt.SQL.String(), queueArgs: slices.Clone(stmt.Vars[claimStatementParams:])}
	renderedClaims.Lock()
	if len(renderedClaims.m) >= maxRenderedClaims {
		clear(renderedClaims.m)
	}
	renderedClaims.m[key] = r
	renderedClaims.Unlock()
	return r, nil
}

// caseAuditJSON is the SQL text of the audit log's case state before and
// after the claim: the keys of app's caseAuditState, in encoding/json's
// sorted order, compact. Assignee, status and version come from the
// locked row p (before) and the claimed row c (after); the keys between
// them, which a claim does not change, are rendered once as m.mid from c.
func caseAuditJSON() (mid, before, after string) {
	field := func(key, expr string) string {
		return `'"` + key + `":' || coalesce(to_json(` + expr + `)::text, 'null')`
	}
	mid = strings.Join([]string{
		field("emergency", "c.emergency"),
		field("escalation_reason", "c.escalation_reason"),
		field("outcome", "c.outcome"),
		field("priority", "c.priority"),
		field("severity", "c.severity"),
	}, ` || ',' || `)
	state := func(row string) string {
		return `'{' || ` + field("assignee_id", row+".assignee_id") + ` || ',' || m.mid || ',' || ` +
			field("status", row+".status") + ` || ',' || ` + field("version", row+".version") + ` || '}'`
	}
	return mid, state("p"), state("c")
}

package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// TxWrites are the append-only rows a write transaction produces along the
// way (case timeline entries, outbox events, staged audit entries). Nothing
// reads them back inside the transaction, so they are written together just
// before commit: on PostgreSQL in one statement instead of a round trip
// each. The outbox is announced after commit (NotifyOutbox).
type TxWrites struct {
	Events []*CaseEvent
	Outbox []*OutboxEvent
	Audit  []*AuditEntry
}

// Empty reports whether there is nothing to write.
func (w *TxWrites) Empty() bool {
	return len(w.Events) == 0 && len(w.Outbox) == 0 && len(w.Audit) == 0
}

// flushOneStatementMax bounds the rows written by the single-statement path
// (bulk actions and signal batches can stage hundreds; they go table by
// table in batches instead, well under PostgreSQL's parameter limit).
const flushOneStatementMax = 64

// FlushTxWrites writes w in tx and clears it.
func FlushTxWrites(ctx context.Context, tx *gorm.DB, w *TxWrites) error {
	if w.Empty() {
		return nil
	}
	defer func() { *w = TxWrites{} }()
	db := tx.WithContext(ctx)
	pg := db.Dialector.Name() == "postgres"
	if pg && len(w.Events)+len(w.Outbox)+len(w.Audit) <= flushOneStatementMax {
		sql, args := oneStatement(w)
		return db.Exec(sql, args...).Error
	}
	if len(w.Events) > 0 {
		if err := db.CreateInBatches(w.Events, 200).Error; err != nil {
			return err
		}
	}
	if len(w.Outbox) > 0 {
		if err := db.CreateInBatches(w.Outbox, 200).Error; err != nil {
			return err
		}
	}
	if len(w.Audit) > 0 {
		rows := make([]pendingAudit, len(w.Audit))
		for i, e := range w.Audit {
			rows[i] = stagedFrom(e)
		}
		if err := db.CreateInBatches(rows, 200).Error; err != nil {
			return err
		}
	}
	return nil
}

// oneStatement is the PostgreSQL statement writing all of w: one
// data-modifying CTE per table, and the outbox notification (delivered at
// commit, like every NOTIFY).
func oneStatement(w *TxWrites) (string, []any) {
	var ctes []string
	var args []any
	values := func(n, cols int) string {
		row := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
		return strings.TrimSuffix(strings.Repeat(row+",", n), ",")
	}
	if n := len(w.Events); n > 0 {
		ctes = append(ctes, "e AS (INSERT INTO case_events (case_id, type, actor, actor_label, data, created_at) VALUES "+
			values(n, 6)+" RETURNING 1)")
		for _, e := range w.Events {
			args = append(args, e.CaseID, e.Type, e.Actor, e.ActorLabel, e.Data, e.CreatedAt)
		}
	}
	if n := len(w.Outbox); n > 0 {
		ctes = append(ctes, "o AS (INSERT INTO outbox_events (type, market, case_id, user_id, actor, payload, created_at) VALUES "+
			values(n, 7)+" RETURNING 1)")
		for _, e := range w.Outbox {
			args = append(args, e.Type, e.Market, e.CaseID, e.UserID, e.Actor, e.Payload, e.CreatedAt)
		}
	}
	if n := len(w.Audit); n > 0 {
		ctes = append(ctes, "a AS (INSERT INTO audit_pending (occurred_at, actor, actor_label, action, object_type, object_id, market, "+
			"before_json, after_json, request_id, client_ip) VALUES "+values(n, 11)+" RETURNING 1)")
		for _, e := range w.Audit {
			s := stagedFrom(e)
			args = append(args, s.OccurredAt, s.Actor, s.ActorLabel, s.Action, s.ObjectType, s.ObjectID, s.Market,
				s.BeforeJSON, s.AfterJSON, s.RequestID, s.ClientIP)
		}
	}
	return "WITH " + strings.Join(ctes, ", ") + " SELECT 1", args
}

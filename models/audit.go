package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// GenesisHash is the previous hash of the first audit entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// AuditEntry is one append-only, hash-chained record of a mutation. The
// database refuses UPDATE and DELETE on the table.
type AuditEntry struct {
	Seq        int64 `gorm:"primaryKey;autoIncrement:false"`
	OccurredAt time.Time
	Actor      string // user:ID, token:ID or system:NAME
	ActorLabel string
	Action     string
	ObjectType string
	ObjectID   string
	Market     string
	BeforeJSON *string `gorm:"column:before_json"`
	AfterJSON  *string `gorm:"column:after_json"`
	RequestID  string
	ClientIP   string
	PrevHash   string
	Hash       string
}

// ComputeHash is SHA-256 over the previous hash and a canonical encoding of
// every other field: a JSON array in fixed order, times in UTC to the
// microsecond.
func (e *AuditEntry) ComputeHash() string {
	canon, _ := json.Marshal([]any{
		"docket-audit-v1", e.Seq, e.OccurredAt.UTC().Format(time.RFC3339Nano),
		e.Actor, e.ActorLabel, e.Action, e.ObjectType, e.ObjectID, e.Market,
		e.BeforeJSON, e.AfterJSON, e.RequestID, e.ClientIP,
	})
	h := sha256.New()
	h.Write([]byte(e.PrevHash))
	h.Write([]byte{'\n'})
	h.Write(canon)
	return hex.EncodeToString(h.Sum(nil))
}

// auditLockKey serialises sealers on PostgreSQL so the chain stays one
// line; on SQLite the write transaction already does.
const auditLockKey = 0x61756469 // "audi"

// pendingAudit is an audit entry staged by the transaction that made the
// change, waiting for the sealer to give it its place in the chain.
type pendingAudit struct {
	ID         int64 `gorm:"primaryKey"`
	OccurredAt time.Time
	Actor      string
	ActorLabel string
	Action     string
	ObjectType string
	ObjectID   string
	Market     string
	BeforeJSON *string `gorm:"column:before_json"`
	AfterJSON  *string `gorm:"column:after_json"`
	RequestID  string
	ClientIP   string
}

func (pendingAudit) TableName() string { return "audit_pending" }

func stagedFrom(e *AuditEntry) pendingAudit {
	return pendingAudit{OccurredAt: e.OccurredAt.UTC().Truncate(time.Microsecond), Actor: e.Actor, ActorLabel: e.ActorLabel,
		Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID, Market: e.Market, BeforeJSON: e.BeforeJSON,
		AfterJSON: e.AfterJSON, RequestID: e.RequestID, ClientIP: e.ClientIP}
}

// StageAudit writes e to the staging table in tx: it becomes part of the
// change (and disappears with it on rollback) and joins the chain when
// SealAudit next runs after the commit.
func StageAudit(ctx context.Context, tx *gorm.DB, e *AuditEntry) error {
	row := stagedFrom(e)
	return tx.WithContext(ctx).Create(&row).Error
}

// AuditPending reports whether any staged entry waits for the sealer.
func AuditPending(ctx context.Context, db *gorm.DB) (bool, error) {
	var ids []int64
	// By the primary key: its dead entries are marked as such on the
	// first visit, while a scan of the heap would step over every row
	// sealed since the table was last vacuumed.
	err := db.WithContext(ctx).Model(&pendingAudit{}).Order("id").Limit(1).Pluck("id", &ids).Error
	return len(ids) > 0, err
}

// VacuumAuditPending reclaims the staged rows the sealer deleted
// (PostgreSQL; a no-op on SQLite). Outside any transaction. The table is
// a queue whose rows live for milliseconds: a few pages when vacuumed
// often, and a long run of dead rows for every reader where autovacuum is
// slow or off.
func VacuumAuditPending(ctx context.Context, db *gorm.DB) error {
	return vacuum(ctx, db, "audit_pending")
}

// SealAudit moves up to limit staged entries, oldest first, onto the end of
// the hash chain and returns how many it moved. Run it in its own
// transaction: on PostgreSQL it holds a transaction-scoped advisory lock
// until commit, so one sealer at a time (on any server) extends the chain,
// in the order the staged entries became visible.
func SealAudit(ctx context.Context, tx *gorm.DB, limit int) (int, error) {
	db := tx.WithContext(ctx)
	if db.Dialector.Name() == "postgres" {
		if err := db.Exec("SELECT pg_advisory_xact_lock(?)", auditLockKey).Error; err != nil {
			return 0, err
		}
	}
	var staged []pendingAudit
	if err := db.Order("id").Limit(limit).Find(&staged).Error; err != nil || len(staged) == 0 {
		return 0, err
	}
	var last AuditEntry
	seq, prev := int64(0), GenesisHash
	err := db.Order("seq DESC").Limit(1).Take(&last).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
	case err != nil:
		return 0, err
	default:
		seq, prev = last.Seq, last.Hash
	}
	entries := make([]AuditEntry, len(staged))
	ids := make([]int64, len(staged))
	for i, s := range staged {
		seq++
		e := AuditEntry{Seq: seq, OccurredAt: s.OccurredAt.UTC().Truncate(time.Microsecond), Actor: s.Actor,
			ActorLabel: s.ActorLabel, Action: s.Action, ObjectType: s.ObjectType, ObjectID: s.ObjectID, Market: s.Market,
			BeforeJSON: s.BeforeJSON, AfterJSON: s.AfterJSON, RequestID: s.RequestID, ClientIP: s.ClientIP, PrevHash: prev}
		e.Hash = e.ComputeHash()
		prev = e.Hash
		entries[i], ids[i] = e, s.ID
	}
	if err := insertSealed(db, entries); err != nil {
		return 0, err
	}
	// By id, never by range: an entry staged with a smaller id by a
	// transaction that committed after the read above must stay staged.
	if db.Dialector.Name() == "postgres" {
		return len(entries), db.Exec("DELETE FROM audit_pending WHERE id = ANY("+arrayParams("bigint")+")", idArray(ids)).Error
	}
	if err := db.Where("id IN ?", ids).Delete(&pendingAudit{}).Error; err != nil {
		return 0, err
	}
	return len(entries), nil
}

// insertSealed appends sealed entries to the chain. On PostgreSQL the rows
// travel as one array per column: the statement's text is the same for
// every round, so it is planned once per connection instead of once per
// round (a VALUES list as long as the round; sealing was a quarter of a
// claim's cost before).
func insertSealed(db *gorm.DB, entries []AuditEntry) error {
	if db.Dialector.Name() != "postgres" {
		return db.CreateInBatches(entries, 200).Error
	}
	n := len(entries)
	seq, at := make(textArray, n), make(textArray, n)
	actor, label, action, otype, oid, market := make(textArray, n), make(textArray, n), make(textArray, n), make(textArray, n), make(textArray, n), make(textArray, n)
	before, after := make(nullTextArray, n), make(nullTextArray, n)
	reqID, ip, prev, hash := make(textArray, n), make(textArray, n), make(textArray, n), make(textArray, n)
	for i, e := range entries {
		seq[i], at[i] = strconv.FormatInt(e.Seq, 10), timeText(e.OccurredAt)
		actor[i], label[i], action[i], otype[i], oid[i], market[i] = e.Actor, e.ActorLabel, e.Action, e.ObjectType, e.ObjectID, e.Market
		before[i], after[i] = e.BeforeJSON, e.AfterJSON
		reqID[i], ip[i], prev[i], hash[i] = e.RequestID, e.ClientIP, e.PrevHash, e.Hash
	}
	return db.Exec(`INSERT INTO audit_entries (seq, occurred_at, actor, actor_label, action, object_type, object_id, market,
			before_json, after_json, request_id, client_ip, prev_hash, hash)
		SELECT * FROM unnest(`+arrayParams("bigint", "timestamptz", "text", "text", "text", "text", "text", "text",
		"text", "text", "text", "text", "text", "text")+`)`,
		seq, at, actor, label, action, otype, oid, market, before, after, reqID, ip, prev, hash).Error
}

// AuditFilter narrows ListAudit and WalkAudit. Markets, when not nil,
// limits entries to those markets (the empty string is the global scope).
type AuditFilter struct {
	Actor      string
	Action     string
	ObjectType string
	ObjectID   string
	Market     string
	Since      *time.Time
	Until      *time.Time
	Markets    []string
}

func (f AuditFilter) apply(q *gorm.DB) *gorm.DB {
	if f.Actor != "" {
		q = q.Where("actor = ?", f.Actor)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.ObjectType != "" {
		q = q.Where("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		q = q.Where("object_id = ?", f.ObjectID)
	}
	if f.Market != "" {
		q = q.Where("market = ?", f.Market)
	}
	if f.Since != nil {
		q = q.Where("occurred_at >= ?", f.Since.UTC())
	}
	if f.Until != nil {
		q = q.Where("occurred_at < ?", f.Until.UTC())
	}
	if f.Markets != nil {
		if len(f.Markets) == 0 {
			return q.Where("1 = 0")
		}
		q = q.Where("market IN ?", f.Markets)
	}
	return q
}

// ListAudit returns up to limit entries newest first, seq < beforeSeq when
// beforeSeq > 0.
func ListAudit(ctx context.Context, db *gorm.DB, f AuditFilter, beforeSeq int64, limit int) ([]AuditEntry, error) {
	q := f.apply(db.WithContext(ctx).Model(&AuditEntry{})).Order("seq DESC").Limit(limit)
	if beforeSeq > 0 {
		q = q.Where("seq < ?", beforeSeq)
	}
	var out []AuditEntry
	return out, q.Find(&out).Error
}

// WalkAudit calls fn for every matching entry in seq order, reading in
// batches so memory stays flat however long the log.
func WalkAudit(ctx context.Context, db *gorm.DB, f AuditFilter, fn func(AuditEntry) error) error {
	const batch = 1000
	after := int64(0)
	for {
		var rows []AuditEntry
		if err := f.apply(db.WithContext(ctx).Model(&AuditEntry{})).Where("seq > ?", after).Order("seq").Limit(batch).Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(rows) < batch {
			return nil
		}
		after = rows[len(rows)-1].Seq
	}
}

package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
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

// auditLockKey serialises appends on PostgreSQL so the chain stays one
// line; on SQLite the write transaction already does.
const auditLockKey = 0x61756469 // "audi"

// AppendAudit chains e after the newest entry and inserts it. Call it last
// in the transaction: on PostgreSQL it holds a transaction-scoped advisory
// lock until commit.
func AppendAudit(ctx context.Context, tx *gorm.DB, e *AuditEntry) error {
	db := tx.WithContext(ctx)
	if db.Dialector.Name() == "postgres" {
		if err := db.Exec("SELECT pg_advisory_xact_lock(?)", auditLockKey).Error; err != nil {
			return err
		}
	}
	var last AuditEntry
	err := db.Order("seq DESC").Limit(1).Take(&last).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		e.Seq, e.PrevHash = 1, GenesisHash
	case err != nil:
		return err
	default:
		e.Seq, e.PrevHash = last.Seq+1, last.Hash
	}
	e.OccurredAt = e.OccurredAt.UTC().Truncate(time.Microsecond)
	e.Hash = e.ComputeHash()
	return db.Create(e).Error
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

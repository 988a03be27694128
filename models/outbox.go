package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// OutboxEvent is a change others must hear about, written in the same
// transaction as the change; streams (and later webhooks) read it after
// commit, so nothing is announced that did not happen.
type OutboxEvent struct {
	ID        int64 `gorm:"primaryKey"`
	Type      string
	Market    string
	CaseID    *int64
	UserID    *int64 // the user the event is for (e.g. a case assigned to them)
	Actor     string
	Payload   string
	CreatedAt time.Time
}

// AppendOutbox writes an event in tx. The caller announces it after
// commit (NotifyOutbox).
func AppendOutbox(ctx context.Context, tx *gorm.DB, e *OutboxEvent) error {
	return tx.WithContext(ctx).Create(e).Error
}

// OutboxAfter lists up to limit events with id > after, oldest first, of
// the given markets (nil: all).
func OutboxAfter(ctx context.Context, db *gorm.DB, after int64, markets []string, limit int) ([]OutboxEvent, error) {
	q := db.WithContext(ctx).Where("id > ?", after).Order("id").Limit(limit)
	if markets != nil {
		if len(markets) == 0 {
			return nil, nil
		}
		q = q.Where("market IN ?", markets)
	}
	var out []OutboxEvent
	return out, q.Find(&out).Error
}

// LastOutboxID is the newest event id (0 when empty).
func LastOutboxID(ctx context.Context, db *gorm.DB) (int64, error) {
	var id *int64
	err := db.WithContext(ctx).Model(&OutboxEvent{}).Select("MAX(id)").Scan(&id).Error
	if id == nil {
		return 0, err
	}
	return *id, err
}

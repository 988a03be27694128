package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Signal is one observation an upstream system pushed about a subject.
type Signal struct {
	ID         int64 `gorm:"primaryKey"`
	Source     string
	SourceID   string
	Type       string
	SubjectID  int64
	Market     string
	OccurredAt time.Time
	ReceivedAt time.Time
	Attributes string
	SentBy     string
}

// InsertSignal stores s unless a signal with its (source, source_id) is
// already stored; it reports whether s was new. Concurrent inserts of the
// same key store it once (the unique index decides; the loser waits for
// the winner's commit and then does nothing).
func InsertSignal(ctx context.Context, tx *gorm.DB, s *Signal) (bool, error) {
	res := tx.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "source"}, {Name: "source_id"}}, DoNothing: true}).Create(s)
	return res.RowsAffected == 1, res.Error
}

// FindSignalBySource returns the stored signal of (source, sourceID).
func FindSignalBySource(ctx context.Context, db *gorm.DB, source, sourceID string) (Signal, error) {
	var s Signal
	return s, db.WithContext(ctx).Where("source = ? AND source_id = ?", source, sourceID).Take(&s).Error
}

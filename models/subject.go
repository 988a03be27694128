package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SubjectKinds are what a case may be about.
var SubjectKinds = []string{"creator", "seller", "content", "listing", "livestream"}

// Subject is a creator, seller, piece of content, listing or livestream.
// Attributes is a JSON object; Followers and GMVUSD are lifted out of it
// because priority (reach) reads them.
type Subject struct {
	ID          int64 `gorm:"primaryKey"`
	Kind        string
	ExternalID  string
	Market      string
	DisplayName string
	Attributes  string
	Followers   int64
	GMVUSD      int64 `gorm:"column:gmv_usd"`
	StrikeCount int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// FindSubject returns a subject by id; KindNotFound subject_not_found.
func FindSubject(ctx context.Context, db *gorm.DB, id int64) (Subject, error) {
	var s Subject
	err := db.WithContext(ctx).Where("id = ?", id).Take(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return s, Errorf(KindNotFound, "subject_not_found", "subject %d does not exist", id)
	}
	return s, err
}

// FindSubjects returns the subjects with these ids (those that exist, in
// no particular order).
func FindSubjects(ctx context.Context, db *gorm.DB, ids []int64) ([]Subject, error) {
	var out []Subject
	return out, db.WithContext(ctx).Where("id IN ?", ids).Find(&out).Error
}

// FindSubjectByKey returns the subject with (kind, external id), or
// KindNotFound.
func FindSubjectByKey(ctx context.Context, db *gorm.DB, kind, externalID string) (Subject, error) {
	var s Subject
	err := db.WithContext(ctx).Where("kind = ? AND external_id = ?", kind, externalID).Take(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return s, Errorf(KindNotFound, "subject_not_found", "no %s %s", kind, externalID)
	}
	return s, err
}

// CreateSubject inserts s, or does nothing when (kind, external id) exists;
// either way s ends up holding the stored row.
func UpsertSubject(ctx context.Context, tx *gorm.DB, s *Subject) error {
	db := tx.WithContext(ctx)
	if err := db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "kind"}, {Name: "external_id"}}, DoNothing: true}).Create(s).Error; err != nil {
		return err
	}
	return db.Where("kind = ? AND external_id = ?", s.Kind, s.ExternalID).Take(s).Error
}

// AddStrike adds one strike to a subject.
func AddStrike(ctx context.Context, tx *gorm.DB, id int64, at time.Time) error {
	return tx.WithContext(ctx).Model(&Subject{}).Where("id = ?", id).
		Updates(map[string]any{"strike_count": gorm.Expr("strike_count + 1"), "updated_at": at}).Error
}

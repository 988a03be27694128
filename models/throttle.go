package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// LoginThrottle counts failed logins for one key ("email:..." or "ip:...").
type LoginThrottle struct {
	Key             string `gorm:"primaryKey"`
	Failures        int
	WindowStartedAt time.Time
	LockedUntil     *time.Time
}

// FindLoginThrottle returns the counter for key; a zero counter if none.
func FindLoginThrottle(ctx context.Context, db *gorm.DB, key string) (LoginThrottle, error) {
	var t LoginThrottle
	err := db.WithContext(ctx).Where("key = ?", key).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return LoginThrottle{Key: key}, nil
	}
	return t, err
}

// SaveLoginThrottle upserts t.
func SaveLoginThrottle(ctx context.Context, tx *gorm.DB, t LoginThrottle) error {
	return tx.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&t).Error
}

// ClearLoginThrottle forgets a key's failures.
func ClearLoginThrottle(ctx context.Context, tx *gorm.DB, key string) error {
	return tx.WithContext(ctx).Where("key = ?", key).Delete(&LoginThrottle{}).Error
}

// LockLoginThrottle returns key's counter holding its row lock until the
// transaction ends, creating an empty counter first, so concurrent failures
// each see the previous one's count (no lost increments).
func LockLoginThrottle(ctx context.Context, tx *gorm.DB, key string, now time.Time) (LoginThrottle, error) {
	db := tx.WithContext(ctx)
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&LoginThrottle{Key: key, WindowStartedAt: now}).Error; err != nil {
		return LoginThrottle{}, err
	}
	var t LoginThrottle
	err := db.Clauses(clause.Locking{Strength: "UPDATE"}).Where("key = ?", key).Take(&t).Error
	return t, err
}

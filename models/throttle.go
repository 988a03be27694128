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

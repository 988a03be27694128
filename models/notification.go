package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Notification is a message to one person (a lead hears of an emergency or
// an SLA breach in their market).
type Notification struct {
	ID        int64 `gorm:"primaryKey"`
	UserID    int64
	Kind      string
	Market    string
	CaseID    *int64
	Title     string
	Body      string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// ListNotifications lists a user's notifications newest first, id < before
// (0: from the newest).
func ListNotifications(ctx context.Context, db *gorm.DB, userID int64, unreadOnly bool, before int64, limit int) ([]Notification, error) {
	q := db.WithContext(ctx).Where("user_id = ?", userID).Order("id DESC").Limit(limit)
	if unreadOnly {
		q = q.Where("read_at IS NULL")
	}
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	var out []Notification
	return out, q.Find(&out).Error
}

// CountUnread counts a user's unread notifications.
func CountUnread(ctx context.Context, db *gorm.DB, userID int64) (int64, error) {
	var n int64
	return n, db.WithContext(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
}

// MarkNotificationsRead marks a user's notifications read: those of ids,
// or all when ids is nil.
func MarkNotificationsRead(ctx context.Context, tx *gorm.DB, userID int64, ids []int64, at time.Time) error {
	q := tx.WithContext(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID)
	if ids != nil {
		q = q.Where("id IN ?", ids)
	}
	return q.Update("read_at", at).Error
}

package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Session is a server-side login session. TokenHash is the SHA-256 of the
// cookie value; the value itself is never stored.
type Session struct {
	ID         int64 `gorm:"primaryKey"`
	TokenHash  string
	UserID     int64
	CSRFToken  string `gorm:"column:csrf_token"`
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
	ClientIP   string
	UserAgent  string
}

// SessionWithUser is a session joined with its user, for authentication
// and for admin lists.
type SessionWithUser struct {
	Session
	UserEmail  string
	UserName   string
	UserActive bool
	// AuthzRevision is the policy revision when the session was read: the
	// request that authenticates with it need not read it again.
	AuthzRevision int64
}

// CreateSession inserts s.
func CreateSession(ctx context.Context, tx *gorm.DB, s *Session) error {
	return tx.WithContext(ctx).Create(s).Error
}

func sessionsWithUsers(db *gorm.DB) *gorm.DB {
	return db.Table("sessions").Select(sessionColumns).Joins("JOIN users ON users.id = sessions.user_id")
}

// FindSessionByTokenHash returns the session (revoked or not) with its
// user; KindNotFound when no such session exists.
//
// Every authenticated request runs it, so it is one plain statement read
// with Rows and ScanRows (no gorm query builder or Scan logging).
func FindSessionByTokenHash(ctx context.Context, db *gorm.DB, hash string) (SessionWithUser, error) {
	var s SessionWithUser
	db = db.WithContext(ctx)
	rows, err := db.Raw(sessionByTokenSQL, hash).Rows()
	if err != nil {
		return s, err
	}
	found, err := scanFirst(db, rows, &s)
	if err == nil && !found {
		err = Errorf(KindNotFound, "session_not_found", "no such session")
	}
	return s, err
}

// sessionByTokenSQL is sessionsWithUsers by token hash.
const sessionByTokenSQL = "SELECT " + sessionColumns +
	" FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.token_hash = ? LIMIT 1"

// sessionColumns are a SessionWithUser's: the session, its user, and the
// policy revision at the time of reading.
const sessionColumns = "sessions.*, users.email AS user_email, users.name AS user_name, users.active AS user_active, " +
	"(SELECT revision FROM authz_revision WHERE id = 1) AS authz_revision"

// FindSession returns a session by id with its user.
func FindSession(ctx context.Context, db *gorm.DB, id int64) (SessionWithUser, error) {
	var s SessionWithUser
	err := sessionsWithUsers(db.WithContext(ctx)).Where("sessions.id = ?", id).Take(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return s, Errorf(KindNotFound, "session_not_found", "session %d does not exist", id)
	}
	return s, err
}

// ListLiveSessions lists unrevoked, unexpired sessions newest first, with
// id < beforeID when beforeID > 0. userIDs, when not nil, limits the owners.
func ListLiveSessions(ctx context.Context, db *gorm.DB, now, idleCutoff time.Time, userIDs []int64, beforeID int64, limit int) ([]SessionWithUser, error) {
	q := sessionsWithUsers(db.WithContext(ctx)).
		Where("sessions.revoked_at IS NULL AND sessions.expires_at > ? AND sessions.last_seen_at > ?", now, idleCutoff).
		Order("sessions.id DESC").Limit(limit)
	if userIDs != nil {
		if len(userIDs) == 0 {
			return []SessionWithUser{}, nil
		}
		q = q.Where("sessions.user_id IN ?", userIDs)
	}
	if beforeID > 0 {
		q = q.Where("sessions.id < ?", beforeID)
	}
	var out []SessionWithUser
	return out, q.Find(&out).Error
}

// TouchSession moves last_seen_at forward.
func TouchSession(ctx context.Context, db *gorm.DB, id int64, at time.Time) error {
	return db.WithContext(ctx).Model(&Session{}).Where("id = ? AND last_seen_at < ?", id, at).Update("last_seen_at", at).Error
}

// RevokeSession revokes one live session; it reports whether it did.
func RevokeSession(ctx context.Context, tx *gorm.DB, id int64, at time.Time) (bool, error) {
	res := tx.WithContext(ctx).Model(&Session{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", at)
	return res.RowsAffected > 0, res.Error
}

// RevokeUserSessions revokes every live session of a user and returns how
// many.
func RevokeUserSessions(ctx context.Context, tx *gorm.DB, userID int64, at time.Time) (int64, error) {
	res := tx.WithContext(ctx).Model(&Session{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", at)
	return res.RowsAffected, res.Error
}

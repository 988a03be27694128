package models

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// User is a person who signs in. Users are deactivated, never deleted.
type User struct {
	ID            int64 `gorm:"primaryKey"`
	Email         string
	Name          string
	PasswordHash  string
	Active        bool
	Available     bool
	CreatedAt     time.Time
	UpdatedAt     time.Time
	LastLoginAt   *time.Time
	DeactivatedAt *time.Time
}

// CreateUser inserts u. A taken email (case-insensitive) is KindConflict
// email_taken.
func CreateUser(ctx context.Context, tx *gorm.DB, u *User) error {
	err := tx.WithContext(ctx).Create(u).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return Errorf(KindConflict, "email_taken", "a user with email %s already exists", u.Email)
	}
	return err
}

// FindUser returns the user with id, or KindNotFound user_not_found.
func FindUser(ctx context.Context, db *gorm.DB, id int64) (User, error) {
	var u User
	err := db.WithContext(ctx).Where("id = ?", id).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return u, Errorf(KindNotFound, "user_not_found", "user %d does not exist", id)
	}
	return u, err
}

// FindUsers returns the users with these ids (those that exist, in no
// particular order).
func FindUsers(ctx context.Context, db *gorm.DB, ids []int64) ([]User, error) {
	var out []User
	return out, db.WithContext(ctx).Where("id IN ?", ids).Find(&out).Error
}

// LockUser is FindUser holding a row lock until the transaction ends (on
// SQLite the write transaction already excludes other writers).
func LockUser(ctx context.Context, tx *gorm.DB, id int64) (User, error) {
	return FindUser(ctx, tx.Clauses(clause.Locking{Strength: "UPDATE"}), id)
}

// FindUserByEmail matches email case-insensitively; KindNotFound when absent.
func FindUserByEmail(ctx context.Context, db *gorm.DB, email string) (User, error) {
	var u User
	err := db.WithContext(ctx).Where("lower(email) = ?", strings.ToLower(email)).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return u, Errorf(KindNotFound, "user_not_found", "no user with that email")
	}
	return u, err
}

// UserFilter narrows ListUsers.
type UserFilter struct {
	Query  string // substring of email or name
	Active *bool
	// IDs, when not nil, limits the result to these users.
	IDs []int64
	// AfterEmail/AfterID is the keyset position (order: lower(email), id).
	AfterEmail string
	AfterID    int64
}

// ListUsers returns up to limit users ordered by email.
func ListUsers(ctx context.Context, db *gorm.DB, f UserFilter, limit int) ([]User, error) {
	q := db.WithContext(ctx).Model(&User{}).Order("lower(email)").Order("id").Limit(limit)
	if f.Query != "" {
		like := "%" + escapeLike(strings.ToLower(f.Query)) + "%"
		q = q.Where("(lower(email) LIKE ? ESCAPE '\\' OR lower(name) LIKE ? ESCAPE '\\')", like, like)
	}
	if f.Active != nil {
		q = q.Where("active = ?", *f.Active)
	}
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return []User{}, nil
		}
		q = q.Where("id IN ?", f.IDs)
	}
	if f.AfterEmail != "" {
		q = q.Where("(lower(email) > ? OR (lower(email) = ? AND id > ?))", f.AfterEmail, f.AfterEmail, f.AfterID)
	}
	var out []User
	return out, q.Find(&out).Error
}

// CountUsers counts all users.
func CountUsers(ctx context.Context, db *gorm.DB) (int64, error) {
	var n int64
	return n, db.WithContext(ctx).Model(&User{}).Count(&n).Error
}

// SaveUser writes every column of u.
func SaveUser(ctx context.Context, tx *gorm.DB, u *User) error {
	return tx.WithContext(ctx).Save(u).Error
}

// TouchLastLogin records a successful login.
func TouchLastLogin(ctx context.Context, tx *gorm.DB, id int64, at time.Time) error {
	return tx.WithContext(ctx).Model(&User{}).Where("id = ?", id).Update("last_login_at", at).Error
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

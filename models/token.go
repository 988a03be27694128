package models

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// APIToken is an integration's credential. TokenHash is the SHA-256 of the
// secret; Prefix is its first characters, to recognise it in lists.
// Scopes and Markets are space-separated.
type APIToken struct {
	ID         int64 `gorm:"primaryKey"`
	Name       string
	TokenHash  string
	Prefix     string
	Scopes     string
	Markets    string
	CreatedBy  string
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// TableName is api_tokens.
func (APIToken) TableName() string { return "api_tokens" }

// ScopeList splits Scopes.
func (t APIToken) ScopeList() []string { return strings.Fields(t.Scopes) }

// MarketList splits Markets.
func (t APIToken) MarketList() []string { return strings.Fields(t.Markets) }

// Live reports whether the token may be used at now.
func (t APIToken) Live(now time.Time) bool {
	return t.RevokedAt == nil && (t.ExpiresAt == nil || now.Before(*t.ExpiresAt))
}

// CreateToken inserts t.
func CreateToken(ctx context.Context, tx *gorm.DB, t *APIToken) error {
	return tx.WithContext(ctx).Create(t).Error
}

// FindTokenByHash returns the token with the hash; KindNotFound if none.
func FindTokenByHash(ctx context.Context, db *gorm.DB, hash string) (APIToken, error) {
	var t APIToken
	err := db.WithContext(ctx).Where("token_hash = ?", hash).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return t, Errorf(KindNotFound, "token_not_found", "no such token")
	}
	return t, err
}

// FindToken returns the token with id; KindNotFound if none.
func FindToken(ctx context.Context, db *gorm.DB, id int64) (APIToken, error) {
	var t APIToken
	err := db.WithContext(ctx).Where("id = ?", id).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return t, Errorf(KindNotFound, "token_not_found", "token %d does not exist", id)
	}
	return t, err
}

// ListTokens lists tokens newest first, with id < beforeID when beforeID > 0.
func ListTokens(ctx context.Context, db *gorm.DB, beforeID int64, limit int) ([]APIToken, error) {
	q := db.WithContext(ctx).Order("id DESC").Limit(limit)
	if beforeID > 0 {
		q = q.Where("id < ?", beforeID)
	}
	var out []APIToken
	return out, q.Find(&out).Error
}

// RevokeToken revokes a live token; it reports whether it did.
func RevokeToken(ctx context.Context, tx *gorm.DB, id int64, at time.Time) (bool, error) {
	res := tx.WithContext(ctx).Model(&APIToken{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", at)
	return res.RowsAffected > 0, res.Error
}

// RevokeTokensCreatedBy revokes every live token created by actor (e.g.
// "user:42") and returns their ids.
func RevokeTokensCreatedBy(ctx context.Context, tx *gorm.DB, actor string, at time.Time) ([]int64, error) {
	var ids []int64
	if err := tx.WithContext(ctx).Model(&APIToken{}).Where("created_by = ? AND revoked_at IS NULL", actor).Pluck("id", &ids).Error; err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return ids, nil
	}
	return ids, tx.WithContext(ctx).Model(&APIToken{}).Where("id IN ?", ids).Update("revoked_at", at).Error
}

// TouchTokenUse records a use, at most once a minute per token.
func TouchTokenUse(ctx context.Context, db *gorm.DB, id int64, at time.Time) error {
	return db.WithContext(ctx).Model(&APIToken{}).
		Where("id = ? AND (last_used_at IS NULL OR last_used_at < ?)", id, at.Add(-time.Minute)).
		Update("last_used_at", at).Error
}

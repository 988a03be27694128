package models

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// CasbinRule is a row of the Casbin policy table, in gorm-adapter's layout.
// Role grants are "g" rows: (subject, role, market).
type CasbinRule struct {
	ID    int64 `gorm:"primaryKey"`
	Ptype string
	V0    string
	V1    string
	V2    string
	V3    string
	V4    string
	V5    string
}

// TableName is casbin_rule.
func (CasbinRule) TableName() string { return "casbin_rule" }

// Grant is a role held in a market ("*" for all markets).
type Grant struct {
	Role   string `json:"role"`
	Market string `json:"market"`
}

// AddGrant inserts a grouping row; KindConflict grant_exists if it is there.
func AddGrant(ctx context.Context, tx *gorm.DB, subject string, g Grant) error {
	err := tx.WithContext(ctx).Create(&CasbinRule{Ptype: "g", V0: subject, V1: g.Role, V2: g.Market}).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return Errorf(KindConflict, "grant_exists", "%s already holds %s in %s", subject, g.Role, g.Market)
	}
	return err
}

// RemoveGrant deletes a grouping row; it reports whether one existed.
func RemoveGrant(ctx context.Context, tx *gorm.DB, subject string, g Grant) (bool, error) {
	res := tx.WithContext(ctx).Where("ptype = 'g' AND v0 = ? AND v1 = ? AND v2 = ?", subject, g.Role, g.Market).Delete(&CasbinRule{})
	return res.RowsAffected > 0, res.Error
}

// GrantsOf lists a subject's grants from the database, ordered.
func GrantsOf(ctx context.Context, db *gorm.DB, subject string) ([]Grant, error) {
	var rows []CasbinRule
	if err := db.WithContext(ctx).Where("ptype = 'g' AND v0 = ?", subject).Order("v2, v1").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Grant, 0, len(rows))
	for _, r := range rows {
		out = append(out, Grant{Role: r.V1, Market: r.V2})
	}
	return out, nil
}

// GrantsOfSubjects maps each subject to its grants, in one query.
func GrantsOfSubjects(ctx context.Context, db *gorm.DB, subjects []string) (map[string][]Grant, error) {
	out := map[string][]Grant{}
	if len(subjects) == 0 {
		return out, nil
	}
	var rows []CasbinRule
	if err := db.WithContext(ctx).Where("ptype = 'g' AND v0 IN ?", subjects).Order("v0, v2, v1").Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.V0] = append(out[r.V0], Grant{Role: r.V1, Market: r.V2})
	}
	return out, nil
}

// SubjectsWithGrantIn lists subjects with a prefix (e.g. "user:") holding
// any role in one of markets.
func SubjectsWithGrantIn(ctx context.Context, db *gorm.DB, prefix string, markets []string) ([]string, error) {
	var subs []string
	err := db.WithContext(ctx).Model(&CasbinRule{}).Distinct("v0").
		Where("ptype = 'g' AND v0 LIKE ? AND v2 IN ?", prefix+"%", markets).Pluck("v0", &subs).Error
	return subs, err
}

// SubjectsWithAnyGrant lists subjects with a prefix that hold any grant.
func SubjectsWithAnyGrant(ctx context.Context, db *gorm.DB, prefix string) ([]string, error) {
	var subs []string
	err := db.WithContext(ctx).Model(&CasbinRule{}).Distinct("v0").
		Where("ptype = 'g' AND v0 LIKE ?", prefix+"%").Pluck("v0", &subs).Error
	return subs, err
}

// AuthzRevision is the policy's change counter.
func AuthzRevision(ctx context.Context, db *gorm.DB) (int64, error) {
	var rev int64
	err := db.WithContext(ctx).Table("authz_revision").Select("revision").Where("id = 1").Scan(&rev).Error
	return rev, err
}

// BumpAuthzRevision marks the policy changed, so every server reloads it.
func BumpAuthzRevision(ctx context.Context, tx *gorm.DB) error {
	return tx.WithContext(ctx).Exec("UPDATE authz_revision SET revision = revision + 1 WHERE id = 1").Error
}

// RolePermissions reads the "p" rows: role (or scope) -> permissions.
func RolePermissions(ctx context.Context, db *gorm.DB) (map[string][]string, error) {
	var rows []CasbinRule
	if err := db.WithContext(ctx).Where("ptype = 'p'").Order("v0, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, r := range rows {
		out[r.V0] = append(out[r.V0], r.V1)
	}
	return out, nil
}

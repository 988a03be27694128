package models

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Rule statuses: draft -> shadow -> live -> disabled.
const (
	RuleDraft    = "draft"
	RuleShadow   = "shadow"
	RuleLive     = "live"
	RuleDisabled = "disabled"
)

// RuleStatuses lists them in lifecycle order.
var RuleStatuses = []string{RuleDraft, RuleShadow, RuleLive, RuleDisabled}

// Rule is a risk rule's identity and lifecycle. Its content lives in
// immutable RuleVersions; Version/VersionID point at the current one, and
// Markets and SignalTypes repeat it for filtering.
type Rule struct {
	ID          int64 `gorm:"primaryKey"`
	Name        string
	Status      string
	Version     int
	VersionID   int64
	Markets     string
	SignalTypes string
	CreatedBy   string
	CreatedAt   time.Time
	UpdatedBy   string
	UpdatedAt   time.Time
	ErrorCount  int64
	LastError   string
	LastErrorAt *time.Time
}

// RuleVersion is one saved, immutable state of a rule (the database
// refuses UPDATE and DELETE).
type RuleVersion struct {
	ID             int64 `gorm:"primaryKey"`
	RuleID         int64
	Version        int
	Status         string
	Name           string
	Description    string
	Markets        string // space-separated
	SignalTypes    string // space-separated
	Expression     string
	PolicyCode     string
	Severity       string
	PriorityBoost  int
	QueueID        *int64
	AutoTriage     bool
	Note           string
	CreatedBy      string
	CreatedByLabel string
	CreatedAt      time.Time
}

// MarketList splits Markets.
func (v RuleVersion) MarketList() []string { return strings.Fields(v.Markets) }

// SignalTypeList splits SignalTypes.
func (v RuleVersion) SignalTypeList() []string { return strings.Fields(v.SignalTypes) }

// RuleHit records that a rule version matched a signal.
type RuleHit struct {
	ID            int64 `gorm:"primaryKey"`
	RuleID        int64
	RuleVersionID int64
	Version       int
	Mode          string // live | shadow
	SignalID      int64
	SignalType    string
	SubjectID     int64
	Market        string
	Severity      string
	CaseID        *int64
	OpenedCase    bool
	HitValues     string
	OccurredAt    time.Time
	CreatedAt     time.Time
}

// Route sends a rule's new cases of a market (and policy) to a queue.
type Route struct {
	ID         int64 `gorm:"primaryKey"`
	Market     string
	PolicyCode *string
	QueueID    int64
}

// Backtest is a background replay of stored signals through a rule.
type Backtest struct {
	ID             int64 `gorm:"primaryKey"`
	RuleID         int64
	Version        *int
	Expression     string
	FromAt         time.Time
	ToAt           time.Time
	MaxSignals     int
	Status         string
	Scanned        int
	Total          int
	Result         *string
	Error          string
	CreatedBy      string
	CreatedByLabel string
	CreatedAt      time.Time
	HeartbeatAt    *time.Time
	FinishedAt     *time.Time
}

// RuleAlert is a quality alert, at most one per rule, kind and day.
type RuleAlert struct {
	ID        int64 `gorm:"primaryKey"`
	RuleID    int64
	Kind      string
	Day       string
	Message   string
	CreatedAt time.Time
}

// FindRule returns a rule; KindNotFound rule_not_found.
func FindRule(ctx context.Context, db *gorm.DB, id int64, lock bool) (Rule, error) {
	var r Rule
	q := db.WithContext(ctx).Where("id = ?", id)
	if lock && db.Dialector.Name() == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, Errorf(KindNotFound, "rule_not_found", "rule %d does not exist", id)
	}
	return r, err
}

// FindRuleVersion returns version n of a rule; KindNotFound version_not_found.
func FindRuleVersion(ctx context.Context, db *gorm.DB, ruleID int64, n int) (RuleVersion, error) {
	var v RuleVersion
	err := db.WithContext(ctx).Where("rule_id = ? AND version = ?", ruleID, n).Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return v, Errorf(KindNotFound, "version_not_found", "rule %d has no version %d", ruleID, n)
	}
	return v, err
}

// SaveRuleVersion appends v as the rule's next version and points the rule
// at it, if the rule is still at version expected (else KindConflict
// version_conflict). A taken name is KindConflict rule_name_taken.
func SaveRuleVersion(ctx context.Context, tx *gorm.DB, r *Rule, v *RuleVersion, expected int) error {
	v.RuleID, v.Version = r.ID, expected+1
	if err := tx.WithContext(ctx).Create(v).Error; err != nil {
		return err
	}
	res := tx.WithContext(ctx).Model(&Rule{}).Where("id = ? AND version = ?", r.ID, expected).Updates(map[string]any{
		"name": v.Name, "status": v.Status, "version": v.Version, "version_id": v.ID, "markets": v.Markets,
		"signal_types": v.SignalTypes, "updated_by": v.CreatedBy, "updated_at": v.CreatedAt,
		"error_count": 0, "last_error": "", "last_error_at": nil,
	})
	if res.Error != nil {
		if errors.Is(res.Error, gorm.ErrDuplicatedKey) {
			return Errorf(KindConflict, "rule_name_taken", "a rule named %q exists", v.Name)
		}
		return res.Error
	}
	if res.RowsAffected == 0 {
		e := Errorf(KindConflict, "version_conflict", "the rule changed since version %d", expected)
		e.Extra = map[string]any{"current_version": r.Version}
		return e
	}
	r.Name, r.Status, r.Version, r.VersionID, r.Markets, r.SignalTypes = v.Name, v.Status, v.Version, v.ID, v.Markets, v.SignalTypes
	r.UpdatedBy, r.UpdatedAt, r.ErrorCount, r.LastError, r.LastErrorAt = v.CreatedBy, v.CreatedAt, 0, "", nil
	return nil
}

// CreateRule inserts a rule with its first version.
func CreateRule(ctx context.Context, tx *gorm.DB, r *Rule, v *RuleVersion) error {
	r.Version, r.VersionID = 0, 0
	if err := tx.WithContext(ctx).Create(r).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return Errorf(KindConflict, "rule_name_taken", "a rule named %q exists", r.Name)
		}
		return err
	}
	return SaveRuleVersion(ctx, tx, r, v, 0)
}

// ActiveRuleVersions returns the current versions of every shadow and live
// rule.
func ActiveRuleVersions(ctx context.Context, db *gorm.DB) ([]RuleVersion, error) {
	var out []RuleVersion
	return out, db.WithContext(ctx).Where("id IN (SELECT version_id FROM rules WHERE status IN ?)", []string{RuleShadow, RuleLive}).
		Order("rule_id").Find(&out).Error
}

// RulesStamp changes whenever a rule version is saved: the newest version id.
func RulesStamp(ctx context.Context, db *gorm.DB) (int64, error) {
	var id *int64
	err := db.WithContext(ctx).Model(&RuleVersion{}).Select("MAX(id)").Scan(&id).Error
	if id == nil {
		return 0, err
	}
	return *id, err
}

// AddRuleErrors counts evaluation errors against a rule's current version.
func AddRuleErrors(ctx context.Context, tx *gorm.DB, ruleID int64, versionID int64, n int, last string, at time.Time) error {
	return tx.WithContext(ctx).Model(&Rule{}).Where("id = ? AND version_id = ?", ruleID, versionID).Updates(map[string]any{
		"error_count": gorm.Expr("error_count + ?", n), "last_error": last, "last_error_at": at,
	}).Error
}

// InsertRuleHit stores h unless the rule already hit this signal.
func InsertRuleHit(ctx context.Context, tx *gorm.DB, h *RuleHit) (bool, error) {
	res := tx.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "rule_id"}, {Name: "signal_id"}}, DoNothing: true}).Create(h)
	return res.RowsAffected == 1, res.Error
}

// RouteFor returns the queue of (market, policy): the policy's route, else
// the market's default, else nil.
func RouteFor(ctx context.Context, db *gorm.DB, market, policy string) (*Queue, error) {
	var rs []Route
	if err := db.WithContext(ctx).Where("market = ? AND (policy_code = ? OR policy_code IS NULL)", market, policy).Find(&rs).Error; err != nil {
		return nil, err
	}
	var pick *Route
	for i := range rs {
		if rs[i].PolicyCode != nil || pick == nil {
			pick = &rs[i]
		}
	}
	if pick == nil {
		return nil, nil
	}
	q, err := FindQueue(ctx, db, pick.QueueID)
	if err != nil {
		return nil, err
	}
	return &q, nil
}

// VelocityWindow answers one velocity call over a subject's signals of a
// type with occurred_at in (to - window, to]: their count, the sum of a
// numeric attribute, or its distinct values.
func VelocityWindow(ctx context.Context, db *gorm.DB, fn string, subjectID int64, typ, attr string, from, to time.Time) (float64, error) {
	q := db.WithContext(ctx).Model(&Signal{}).Where("subject_id = ? AND type = ? AND occurred_at > ? AND occurred_at <= ?", subjectID, typ, from, to)
	var out *float64
	switch fn {
	case "count":
		var n int64
		err := q.Count(&n).Error
		return float64(n), err
	case "sum":
		err := q.Select(jsonNumberSum(db), attr, attr).Scan(&out).Error
		if out == nil {
			return 0, err
		}
		return *out, err
	default:
		var n int64
		err := q.Select("COUNT(DISTINCT "+jsonText(db)+")", attr).Scan(&n).Error
		return float64(n), err
	}
}

// jsonNumberSum sums a numeric attribute of signals.attributes; values that
// are not numbers count as 0.
func jsonNumberSum(db *gorm.DB) string {
	if db.Dialector.Name() == "postgres" {
		return `SUM(CASE WHEN jsonb_typeof(attributes::jsonb -> ?) = 'number' THEN (attributes::jsonb ->> ?)::float8 ELSE 0 END)`
	}
	return `SUM(CASE WHEN json_type(attributes, '$."' || ? || '"') IN ('integer', 'real') THEN json_extract(attributes, '$."' || ? || '"') ELSE 0 END)`
}

func jsonText(db *gorm.DB) string {
	if db.Dialector.Name() == "postgres" {
		return `attributes::jsonb ->> ?`
	}
	return `json_extract(attributes, '$."' || ? || '"')`
}

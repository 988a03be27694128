package models

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Severities, most severe first.
var Severities = []string{"critical", "high", "medium", "low"}

// SeverityRank orders severities: critical 4 ... low 1, unknown 0.
func SeverityRank(s string) int {
	switch s {
	case "critical":
		return 4
	case "high":
		return 3
	case "medium":
		return 2
	case "low":
		return 1
	}
	return 0
}

// Outcomes of a decision.
var Outcomes = []string{"violation", "no_violation", "insufficient_evidence"}

// Policy is a violation category with its SLAs and enforcement actions.
type Policy struct {
	Code              string `gorm:"primaryKey"`
	Name              string
	Description       string
	DefaultSeverity   string
	SLAHoursCritical  int `gorm:"column:sla_hours_critical"`
	SLAHoursHigh      int `gorm:"column:sla_hours_high"`
	SLAHoursMedium    int `gorm:"column:sla_hours_medium"`
	SLAHoursLow       int `gorm:"column:sla_hours_low"`
	AllowedActions    string
	HighImpactActions string
}

// SLA is the time allowed to resolve a case of this severity.
func (p Policy) SLA(severity string) time.Duration {
	h := map[string]int{"critical": p.SLAHoursCritical, "high": p.SLAHoursHigh, "medium": p.SLAHoursMedium, "low": p.SLAHoursLow}[severity]
	return time.Duration(h) * time.Hour
}

// Allowed lists the enforcement actions the policy allows.
func (p Policy) Allowed() []string { return strings.Fields(p.AllowedActions) }

// HighImpact lists the actions that need a second person's approval.
func (p Policy) HighImpact() []string { return strings.Fields(p.HighImpactActions) }

// IsHighImpact reports whether any of actions is high-impact.
func (p Policy) IsHighImpact(actions []string) bool {
	for _, a := range actions {
		if slices.Contains(p.HighImpact(), a) {
			return true
		}
	}
	return false
}

// FindPolicy returns a policy; KindNotFound policy_not_found.
func FindPolicy(ctx context.Context, db *gorm.DB, code string) (Policy, error) {
	var p Policy
	err := db.WithContext(ctx).Where("code = ?", code).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return p, Errorf(KindNotFound, "policy_not_found", "policy %q does not exist", code)
	}
	return p, err
}

// ListPolicies returns every policy by name.
func ListPolicies(ctx context.Context, db *gorm.DB) ([]Policy, error) {
	var out []Policy
	return out, db.WithContext(ctx).Order("name").Find(&out).Error
}

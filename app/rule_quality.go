package app

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/docket-tns/docket/models"
)

// RuleAlertView is a quality alert on a rule.
type RuleAlertView struct {
	Kind    string    `json:"kind"`
	Message string    `json:"message"`
	At      time.Time `json:"at"`
}

// RuleQuality is how well a rule does: how often it hits, and how often
// the cases it hit were found to be violations.
type RuleQuality struct {
	Hits7d                int             `json:"hits_7d"`
	ShadowHits7d          int             `json:"shadow_hits_7d"`
	HitsPerDay            float64         `json:"hits_per_day"`
	CasesOpened           int             `json:"cases_opened"`
	CasesDecided          int             `json:"cases_decided"`
	Violations            int             `json:"violations"`
	Precision             *float64        `json:"precision"`
	MedianHoursToDecision *float64        `json:"median_hours_to_decision"`
	Alerts                []RuleAlertView `json:"alerts"`
}

// RuleVersionQuality is the quality of one version.
type RuleVersionQuality struct {
	Version      int      `json:"version"`
	Status       string   `json:"status"`
	Hits         int      `json:"hits"`
	ShadowHits   int      `json:"shadow_hits"`
	HitsPerDay   float64  `json:"hits_per_day"`
	CasesOpened  int      `json:"cases_opened"`
	CasesDecided int      `json:"cases_decided"`
	Violations   int      `json:"violations"`
	Precision    *float64 `json:"precision"`
	// MedianHoursToDecision is over the cases this version's hits reached.
	MedianHoursToDecision *float64 `json:"median_hours_to_decision"`
}

// median of hours, rounded to a tenth; nil for none.
func median(hs []float64) *float64 {
	if len(hs) == 0 {
		return nil
	}
	slices.Sort(hs)
	m := hs[len(hs)/2]
	if len(hs)%2 == 0 {
		m = (hs[len(hs)/2-1] + hs[len(hs)/2]) / 2
	}
	m = math.Round(m*10) / 10
	return &m
}

// hitCase is one case a rule's live hits reached.
type hitCase struct {
	RuleID     int64
	Version    int
	CaseID     int64
	FirstAt    time.Time
	Opened     bool
	Outcome    *string
	ResolvedAt *time.Time
}

func ratio(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	r := float64(n) / float64(d)
	return &r
}

// hitCases lists, per rule (and version when byVersion), the cases its
// live hits opened or joined, with their outcomes.
func hitCases(ctx context.Context, tx *gorm.DB, ruleIDs []int64, byVersion bool) ([]hitCase, error) {
	group := "h.rule_id, h.case_id, c.outcome, c.resolved_at"
	sel := "h.rule_id, 0 AS version, "
	if byVersion {
		group = "h.rule_id, h.version, h.case_id, c.outcome, c.resolved_at"
		sel = "h.rule_id, h.version, "
	}
	var rows []struct {
		RuleID     int64
		Version    int
		CaseID     int64
		FirstAt    string
		Opened     int
		Outcome    *string
		ResolvedAt *time.Time
	}
	err := tx.WithContext(ctx).Table("rule_hits h").Joins("JOIN cases c ON c.id = h.case_id").
		Select(sel+"h.case_id, MIN(h.occurred_at) AS first_at, MAX(CASE WHEN h.opened_case THEN 1 ELSE 0 END) AS opened, c.outcome, c.resolved_at").
		Where("h.rule_id IN ? AND h.mode = ?", append(slices.Clone(ruleIDs), 0), "live").Group(group).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]hitCase, len(rows))
	for i, r := range rows {
		first, err := models.ParseDBTime(r.FirstAt)
		if err != nil {
			return nil, err
		}
		out[i] = hitCase{RuleID: r.RuleID, Version: r.Version, CaseID: r.CaseID, FirstAt: first, Opened: r.Opened == 1,
			Outcome: r.Outcome, ResolvedAt: r.ResolvedAt}
	}
	return out, nil
}

// ruleQuality computes the quality figures of rules.
func (a *App) ruleQuality(ctx context.Context, tx *gorm.DB, ruleIDs []int64) (map[int64]RuleQuality, error) {
	out := map[int64]RuleQuality{}
	for _, id := range ruleIDs {
		out[id] = RuleQuality{Alerts: []RuleAlertView{}}
	}
	if len(ruleIDs) == 0 {
		return out, nil
	}
	now := a.now()
	var counts []struct {
		RuleID int64
		Mode   string
		N      int
	}
	if err := tx.WithContext(ctx).Model(&models.RuleHit{}).Select("rule_id, mode, COUNT(*) AS n").
		Where("rule_id IN ? AND occurred_at > ?", ruleIDs, now.Add(-7*24*time.Hour)).Group("rule_id, mode").Scan(&counts).Error; err != nil {
		return nil, err
	}
	for _, c := range counts {
		q := out[c.RuleID]
		if c.Mode == "live" {
			q.Hits7d += c.N
		} else {
			q.ShadowHits7d += c.N
		}
		q.HitsPerDay = math.Round(float64(q.Hits7d+q.ShadowHits7d)/7*10) / 10
		out[c.RuleID] = q
	}
	cases, err := hitCases(ctx, tx, ruleIDs, false)
	if err != nil {
		return nil, err
	}
	hours := map[int64][]float64{}
	for _, c := range cases {
		q := out[c.RuleID]
		if c.Opened {
			q.CasesOpened++
		}
		if c.Outcome != nil && c.ResolvedAt != nil {
			q.CasesDecided++
			if *c.Outcome == "violation" {
				q.Violations++
			}
			hours[c.RuleID] = append(hours[c.RuleID], math.Max(0, c.ResolvedAt.Sub(c.FirstAt).Hours()))
		}
		out[c.RuleID] = q
	}
	for id, q := range out {
		q.Precision = ratio(q.Violations, q.CasesDecided)
		q.MedianHoursToDecision = median(hours[id])
		out[id] = q
	}
	var alerts []models.RuleAlert
	if err := tx.WithContext(ctx).Where("rule_id IN ? AND created_at > ?", ruleIDs, now.Add(-7*24*time.Hour)).
		Order("created_at DESC").Find(&alerts).Error; err != nil {
		return nil, err
	}
	for _, al := range alerts {
		q := out[al.RuleID]
		q.Alerts = append(q.Alerts, RuleAlertView{Kind: al.Kind, Message: al.Message, At: al.CreatedAt})
		out[al.RuleID] = q
	}
	return out, nil
}

// ruleVersionQuality is the quality of each version of a rule, newest first.
func (a *App) ruleVersionQuality(ctx context.Context, tx *gorm.DB, ruleID int64) ([]RuleVersionQuality, error) {
	var vs []models.RuleVersion
	if err := tx.WithContext(ctx).Where("rule_id = ?", ruleID).Order("version DESC").Find(&vs).Error; err != nil {
		return nil, err
	}
	var counts []struct {
		Version int
		Mode    string
		N       int
	}
	if err := tx.WithContext(ctx).Model(&models.RuleHit{}).Select("version, mode, COUNT(*) AS n").
		Where("rule_id = ?", ruleID).Group("version, mode").Scan(&counts).Error; err != nil {
		return nil, err
	}
	cases, err := hitCases(ctx, tx, []int64{ruleID}, true)
	if err != nil {
		return nil, err
	}
	out := make([]RuleVersionQuality, 0, len(vs))
	for i, v := range vs {
		q := RuleVersionQuality{Version: v.Version, Status: v.Status}
		// A version was current from its save until the next one (or now).
		until := a.now()
		if i > 0 {
			until = vs[i-1].CreatedAt
		}
		days := math.Max(until.Sub(v.CreatedAt).Hours()/24, 1.0/24)
		var hours []float64
		for _, c := range counts {
			if c.Version == v.Version && c.Mode == "live" {
				q.Hits += c.N
			} else if c.Version == v.Version {
				q.ShadowHits += c.N
			}
		}
		for _, c := range cases {
			if c.Version != v.Version {
				continue
			}
			if c.Opened {
				q.CasesOpened++
			}
			if c.Outcome != nil && c.ResolvedAt != nil {
				q.CasesDecided++
				if *c.Outcome == "violation" {
					q.Violations++
				}
				hours = append(hours, math.Max(0, c.ResolvedAt.Sub(c.FirstAt).Hours()))
			}
		}
		q.Precision = ratio(q.Violations, q.CasesDecided)
		q.MedianHoursToDecision = median(hours)
		q.HitsPerDay = math.Round(float64(q.Hits+q.ShadowHits)/days*10) / 10
		out = append(out, q)
	}
	return out, nil
}

// Alert thresholds.
const (
	spikeZ           = 3.0
	spikeMinHits     = 10
	precisionDrop    = 0.25
	precisionMinCase = 5
)

// CheckRuleAlerts raises quality alerts on active rules: a hit-rate spike
// (the last 24 hours against the 7 days before, as a z-score) and a
// precision drop (cases decided in the last 7 days against the 30 before).
// Each alert is stored once per rule, kind and day, audited, and sent to
// the rule's author. The sweeper's leader runs it.
func (a *App) CheckRuleAlerts(ctx context.Context) (int, error) {
	var rs []models.Rule
	if err := a.read(ctx).Where("status IN ?", []string{models.RuleShadow, models.RuleLive}).Find(&rs).Error; err != nil {
		return 0, err
	}
	now := a.now()
	raised := 0
	for _, r := range rs {
		var found []models.RuleAlert
		spike, err := a.hitSpike(ctx, r.ID, now)
		if err != nil {
			return raised, err
		}
		if spike != "" {
			found = append(found, models.RuleAlert{RuleID: r.ID, Kind: "hit_spike", Message: spike})
		}
		drop, err := a.precisionDrop(ctx, r.ID, now)
		if err != nil {
			return raised, err
		}
		if drop != "" {
			found = append(found, models.RuleAlert{RuleID: r.ID, Kind: "precision_drop", Message: drop})
		}
		for _, al := range found {
			ok, err := a.raiseRuleAlert(ctx, r, al, now)
			if err != nil {
				return raised, err
			}
			if ok {
				raised++
			}
		}
	}
	return raised, nil
}

// hitSpike compares the last 24 hours of hits with the 7 days before.
func (a *App) hitSpike(ctx context.Context, ruleID int64, now time.Time) (string, error) {
	var days [8]int64
	for i := range days {
		to := now.Add(-time.Duration(i) * 24 * time.Hour)
		if err := a.read(ctx).Model(&models.RuleHit{}).Where("rule_id = ? AND occurred_at > ? AND occurred_at <= ?",
			ruleID, to.Add(-24*time.Hour), to).Count(&days[i]).Error; err != nil {
			return "", err
		}
	}
	mean, sd := meanSD(days[1:])
	z := (float64(days[0]) - mean) / math.Max(sd, 1)
	if days[0] >= spikeMinHits && z >= spikeZ {
		return fmt.Sprintf("%d hits in the last 24 hours against a 7-day mean of %.1f a day (z = %.1f)", days[0], mean, z), nil
	}
	return "", nil
}

func meanSD(xs []int64) (float64, float64) {
	var sum float64
	for _, x := range xs {
		sum += float64(x)
	}
	mean := sum / float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (float64(x) - mean) * (float64(x) - mean)
	}
	return mean, math.Sqrt(ss / float64(len(xs)))
}

// precisionDrop compares the precision of cases decided in the last 7 days
// with the 30 days before.
func (a *App) precisionDrop(ctx context.Context, ruleID int64, now time.Time) (string, error) {
	cases, err := hitCases(ctx, a.read(ctx), []int64{ruleID}, false)
	if err != nil {
		return "", err
	}
	var recent, recentV, before, beforeV int
	for _, c := range cases {
		if c.Outcome == nil || c.ResolvedAt == nil {
			continue
		}
		v := *c.Outcome == "violation"
		switch age := now.Sub(*c.ResolvedAt); {
		case age <= 7*24*time.Hour:
			recent++
			if v {
				recentV++
			}
		case age <= 37*24*time.Hour:
			before++
			if v {
				beforeV++
			}
		}
	}
	if recent < precisionMinCase || before < precisionMinCase {
		return "", nil
	}
	pr, pb := float64(recentV)/float64(recent), float64(beforeV)/float64(before)
	if pb-pr >= precisionDrop {
		return fmt.Sprintf("precision fell to %.0f%% over the last 7 days (%d decided) from %.0f%% over the 30 days before (%d decided)",
			pr*100, recent, pb*100, before), nil
	}
	return "", nil
}

func (a *App) raiseRuleAlert(ctx context.Context, r models.Rule, al models.RuleAlert, now time.Time) (bool, error) {
	al.Day, al.CreatedAt = now.Format(time.DateOnly), now
	raised := false
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		res := tx.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "rule_id"}, {Name: "kind"}, {Name: "day"}}, DoNothing: true}).Create(&al)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		raised = true
		markets := strings.Fields(r.Markets)
		if strings.HasPrefix(r.CreatedBy, "user:") {
			var uid int64
			if _, err := fmt.Sscanf(r.CreatedBy, "user:%d", &uid); err == nil {
				n := models.Notification{UserID: uid, Kind: "rule_alert", Market: markets[0], Title: "Rule alert: " + r.Name,
					Body: al.Message, CreatedAt: now}
				if err := tx.WithContext(ctx).Create(&n).Error; err != nil {
					return err
				}
			}
		}
		return a.audit(ctx, tx, SystemActor("rule-quality"), auditRecord{Action: "rule.alert", ObjectType: "rule", ObjectID: fmt.Sprint(r.ID),
			Market: singleMarket(markets), After: map[string]any{"kind": al.Kind, "message": al.Message}})
	})
	return raised, err
}

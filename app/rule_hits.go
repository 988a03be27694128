package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/app/rules"
	"github.com/docket-tns/docket/models"
)

// CaseHitView is a rule hit shown as evidence on its case.
type CaseHitView struct {
	ID         int64          `json:"id"`
	RuleID     int64          `json:"rule_id"`
	RuleName   string         `json:"rule_name"`
	Version    int            `json:"version"`
	SignalID   int64          `json:"signal_id"`
	SignalType string         `json:"signal_type"`
	Severity   string         `json:"severity"`
	Values     map[string]any `json:"values"`
	CreatedAt  time.Time      `json:"created_at"`
}

// caseHitLimit caps the hits a case page lists (the oldest: why it opened).
const caseHitLimit = 100

func ruleNames(ctx context.Context, db *gorm.DB, ids []int64) (map[int64]string, error) {
	var rs []models.Rule
	if err := db.WithContext(ctx).Select("id, name").Where("id IN ?", append(slices.Clone(ids), 0)).Find(&rs).Error; err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for _, r := range rs {
		out[r.ID] = r.Name
	}
	return out, nil
}

func decodeValues(s string) map[string]any {
	out := map[string]any{}
	_ = json.Unmarshal([]byte(s), &out)
	return out
}

// caseHits lists the hits that opened or joined a case, oldest first.
func caseHits(ctx context.Context, db *gorm.DB, caseID int64) ([]CaseHitView, error) {
	var hs []models.RuleHit
	if err := db.WithContext(ctx).Where("case_id = ?", caseID).Order("id").Limit(caseHitLimit).Find(&hs).Error; err != nil {
		return nil, err
	}
	ids := make([]int64, len(hs))
	for i, h := range hs {
		ids[i] = h.RuleID
	}
	names, err := ruleNames(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	out := make([]CaseHitView, 0, len(hs))
	for _, h := range hs {
		out = append(out, CaseHitView{ID: h.ID, RuleID: h.RuleID, RuleName: names[h.RuleID], Version: h.Version, SignalID: h.SignalID,
			SignalType: h.SignalType, Severity: h.Severity, Values: decodeValues(h.HitValues), CreatedAt: h.CreatedAt})
	}
	return out, nil
}

// RuleHitView is a hit in a rule's list.
type RuleHitView struct {
	ID         int64          `json:"id"`
	RuleID     int64          `json:"rule_id"`
	RuleName   string         `json:"rule_name"`
	Version    int            `json:"version"`
	Mode       string         `json:"mode"`
	SignalID   int64          `json:"signal_id"`
	SignalType string         `json:"signal_type"`
	Subject    SubjectView    `json:"subject"`
	CaseID     *int64         `json:"case_id"`
	Severity   string         `json:"severity"`
	Values     map[string]any `json:"values"`
	CreatedAt  time.Time      `json:"created_at"`
}

type hitCursor struct {
	ID int64 `json:"i"`
}

// ListRuleHits pages a rule's hits, newest first; subjects of markets the
// actor cannot read are left out.
func (a *App) ListRuleHits(ctx context.Context, actor Actor, id int64, mode string, page PageRequest) (Page[RuleHitView], error) {
	var out Page[RuleHitView]
	var cur hitCursor
	if page.Cursor != "" {
		if err := models.DecodeCursor(page.Cursor, &cur); err != nil {
			return out, err
		}
	}
	if mode != "" && mode != "live" && mode != "shadow" {
		return out, models.Invalid("invalid_filter", "mode is live or shadow",
			models.FieldError{Field: "mode", Code: "unknown_mode", Message: "live or shadow"})
	}
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		r, err := a.visibleRule(ctx, tx, actor, id, false)
		if err != nil {
			return err
		}
		s, err := a.scopeOf(ctx, tx, actor, "case.read")
		if err != nil {
			return err
		}
		var markets []string
		for _, m := range strings.Fields(r.Markets) {
			if s.has(m) {
				markets = append(markets, m)
			}
		}
		q := tx.WithContext(ctx).Where("rule_id = ? AND market IN ?", id, append(markets, "")).Order("id DESC").Limit(page.Limit + 1)
		if mode != "" {
			q = q.Where("mode = ?", mode)
		}
		if cur.ID > 0 {
			q = q.Where("id < ?", cur.ID)
		}
		var hs []models.RuleHit
		if err := q.Find(&hs).Error; err != nil {
			return err
		}
		rows := make([]RuleHitView, 0, len(hs))
		subjects := map[int64]models.Subject{}
		for _, h := range hs {
			sub, ok := subjects[h.SubjectID]
			if !ok {
				if sub, err = models.FindSubject(ctx, tx, h.SubjectID); err != nil {
					return err
				}
				subjects[h.SubjectID] = sub
			}
			rows = append(rows, RuleHitView{ID: h.ID, RuleID: h.RuleID, RuleName: r.Name, Version: h.Version, Mode: h.Mode,
				SignalID: h.SignalID, SignalType: h.SignalType, Subject: subjectView(sub), CaseID: h.CaseID, Severity: h.Severity,
				Values: decodeValues(h.HitValues), CreatedAt: h.CreatedAt})
		}
		out = pageOf(rows, page.Limit, func(h RuleHitView) any { return hitCursor{ID: h.ID} })
		return nil
	})
	return out, err
}

// RuleTestInput is a sample to evaluate an expression on.
type RuleTestInput struct {
	Expression string `json:"expression"`
	Signal     struct {
		Type       string         `json:"type"`
		Source     string         `json:"source"`
		OccurredAt *time.Time     `json:"occurred_at"`
		Attributes map[string]any `json:"attributes"`
	} `json:"signal"`
	Subject  rules.Subject      `json:"subject"`
	Velocity map[string]float64 `json:"velocity"`
}

// RuleTestResult is what the expression made of the sample.
type RuleTestResult struct {
	RuleValidation
	Hit    *bool          `json:"hit"`
	Error  string         `json:"error"`
	Values map[string]any `json:"values"`
}

// TestRule evaluates an expression on a sample signal (rule.read); nothing
// is read from or written to the store.
func (a *App) TestRule(ctx context.Context, actor Actor, in RuleTestInput) (RuleTestResult, error) {
	if err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		_, err := a.requireSomewhere(ctx, tx, actor, "rule.read")
		return err
	}); err != nil {
		return RuleTestResult{}, err
	}
	p, errs := rules.Compile(in.Expression)
	out := RuleTestResult{RuleValidation: validation(p, errs), Values: map[string]any{}}
	if p == nil {
		return out, nil
	}
	at := a.now()
	if in.Signal.OccurredAt != nil {
		at = in.Signal.OccurredAt.UTC()
	}
	vel := map[string]float64{}
	for _, k := range p.VelocityKeys() {
		vel[k] = in.Velocity[k]
	}
	ri := rules.Input{Signal: rules.Signal{Type: in.Signal.Type, Source: in.Signal.Source, OccurredAt: at, Attributes: in.Signal.Attributes},
		Subject: in.Subject, Velocity: vel}
	hit, err := p.Eval(ri, a.rules.EvalTimeLimit)
	if err != nil {
		out.Error = err.Error()
	} else {
		out.Hit = &hit
	}
	out.Values = hitValues(ri, vel)
	return out, nil
}

// RouteView is one row of the routing table.
type RouteView struct {
	Market    string  `json:"market"`
	Policy    *string `json:"policy"`
	QueueID   *int64  `json:"queue_id"`
	QueueName string  `json:"queue_name"`
}

// ListRoutes returns the routes of the markets where the actor may read
// queues.
func (a *App) ListRoutes(ctx context.Context, actor Actor) ([]RouteView, error) {
	out := []RouteView{}
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		read, err := a.scopeOf(ctx, tx, actor, "queue.read")
		if err != nil {
			return err
		}
		manage, err := a.scopeOf(ctx, tx, actor, "queue.manage")
		if err != nil {
			return err
		}
		if read.empty() && manage.empty() {
			return models.Errorf(models.KindForbidden, "forbidden", "you may not read queues")
		}
		var rs []models.Route
		if err := tx.WithContext(ctx).Order("market, policy_code").Find(&rs).Error; err != nil {
			return err
		}
		for _, r := range rs {
			if !read.has(r.Market) && !manage.has(r.Market) {
				continue
			}
			q, err := models.FindQueue(ctx, tx, r.QueueID)
			if err != nil {
				return err
			}
			qid := r.QueueID
			out = append(out, RouteView{Market: r.Market, Policy: r.PolicyCode, QueueID: &qid, QueueName: q.Name})
		}
		return nil
	})
	return out, err
}

// SetRoute sets (queueID nil: removes) the route of a market and policy
// (nil policy: the market's default). Requires queue.manage in the
// market; the queue must be a review queue of that market. Audited.
func (a *App) SetRoute(ctx context.Context, actor Actor, market string, policy *string, queueID *int64) (RouteView, error) {
	out := RouteView{Market: market, Policy: policy, QueueID: queueID}
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		codes, err := a.marketCodes(ctx, tx)
		if err != nil {
			return err
		}
		if !slices.Contains(codes, market) {
			return models.Invalid("invalid_route", "unknown market", models.FieldError{Field: "market", Code: "unknown_market", Message: "a market code"})
		}
		if err := a.Can(ctx, tx, actor, "queue.manage", market); err != nil {
			return err
		}
		if policy != nil {
			if _, err := a.policy(ctx, tx, *policy); err != nil {
				return models.Invalid("invalid_route", "unknown policy", models.FieldError{Field: "policy", Code: "unknown_policy", Message: "a policy code or null"})
			}
		}
		var q models.Queue
		if queueID != nil {
			if q, err = models.FindQueue(ctx, tx, *queueID); err != nil || q.Kind != "review" || !slices.Contains(q.MarketList(), market) {
				return models.Invalid("invalid_route", "the queue must be a review queue of the market",
					models.FieldError{Field: "queue_id", Code: "unknown_queue", Message: "a review queue of " + market})
			}
			out.QueueName = q.Name
		}
		match := tx.WithContext(ctx).Where("market = ?", market)
		if policy == nil {
			match = match.Where("policy_code IS NULL")
		} else {
			match = match.Where("policy_code = ?", *policy)
		}
		var before []models.Route
		if err := match.Find(&before).Error; err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Where("id IN ?", append(routeIDs(before), 0)).Delete(&models.Route{}).Error; err != nil {
			return err
		}
		if queueID != nil {
			if err := tx.WithContext(ctx).Create(&models.Route{Market: market, PolicyCode: policy, QueueID: *queueID}).Error; err != nil {
				return err
			}
		}
		var prior any
		if len(before) > 0 {
			prior = map[string]any{"queue_id": before[0].QueueID}
		}
		return a.audit(ctx, tx, actor, auditRecord{Action: "route.set", ObjectType: "route", ObjectID: fmt.Sprintf("%s/%s", market, deref(policy, "*")),
			Market: market, Before: prior, After: map[string]any{"queue_id": queueID}})
	})
	return out, err
}

func routeIDs(rs []models.Route) []int64 {
	out := make([]int64, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func deref(s *string, def string) string {
	if s == nil {
		return def
	}
	return *s
}

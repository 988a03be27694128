package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/app/rules"
	"github.com/docket-tns/docket/models"
)

// RuleInput is a rule as its author writes it.
type RuleInput struct {
	Name          string   `json:"name"`
	Description   string   `json:"description"`
	Markets       []string `json:"markets"`
	SignalTypes   []string `json:"signal_types"`
	Expression    string   `json:"expression"`
	Policy        string   `json:"policy"`
	Severity      string   `json:"severity"`
	PriorityBoost int      `json:"priority_boost"`
	QueueID       *int64   `json:"queue_id"`
	AutoTriage    bool     `json:"auto_triage"`
	Status        string   `json:"status"`
	Note          string   `json:"note"`
}

// RuleVersionView is one immutable version.
type RuleVersionView struct {
	RuleID         int64     `json:"rule_id"`
	Version        int       `json:"version"`
	Status         string    `json:"status"`
	Name           string    `json:"name"`
	Description    string    `json:"description"`
	Markets        []string  `json:"markets"`
	SignalTypes    []string  `json:"signal_types"`
	Expression     string    `json:"expression"`
	Policy         string    `json:"policy"`
	Severity       string    `json:"severity"`
	PriorityBoost  int       `json:"priority_boost"`
	QueueID        *int64    `json:"queue_id"`
	AutoTriage     bool      `json:"auto_triage"`
	Note           string    `json:"note"`
	CreatedBy      string    `json:"created_by"`
	CreatedByLabel string    `json:"created_by_label"`
	CreatedAt      time.Time `json:"created_at"`
}

func ruleVersionView(v models.RuleVersion) RuleVersionView {
	return RuleVersionView{RuleID: v.RuleID, Version: v.Version, Status: v.Status, Name: v.Name, Description: v.Description,
		Markets: fieldsOrEmpty(v.Markets), SignalTypes: fieldsOrEmpty(v.SignalTypes), Expression: v.Expression, Policy: v.PolicyCode,
		Severity: v.Severity, PriorityBoost: v.PriorityBoost, QueueID: v.QueueID, AutoTriage: v.AutoTriage, Note: v.Note,
		CreatedBy: v.CreatedBy, CreatedByLabel: v.CreatedByLabel, CreatedAt: v.CreatedAt}
}

// RuleErrors are a rule's evaluation errors since its current version.
type RuleErrors struct {
	Count       int64      `json:"count"`
	LastError   string     `json:"last_error"`
	LastErrorAt *time.Time `json:"last_error_at"`
}

// RuleView is a rule at its current version, with its health.
type RuleView struct {
	RuleVersionView
	ID         int64                `json:"id"`
	UpdatedAt  time.Time            `json:"updated_at"`
	Errors     RuleErrors           `json:"errors"`
	Quality    RuleQuality          `json:"quality"`
	ByVersion  []RuleVersionQuality `json:"by_version"`
	MayWrite   bool                 `json:"may_write"`
	MayPublish bool                 `json:"may_publish"`
}

// ruleMay says what actor may do with a rule of these markets.
func (a *App) ruleMay(ctx context.Context, tx *gorm.DB, actor Actor, perm string, markets []string) bool {
	for _, m := range markets {
		if a.Can(ctx, tx, actor, perm, m) != nil {
			return false
		}
	}
	return len(markets) > 0
}

// visibleRule loads a rule the actor may read (rule.read in one of its
// markets); others are 404.
func (a *App) visibleRule(ctx context.Context, tx *gorm.DB, actor Actor, id int64, lock bool) (models.Rule, error) {
	s, err := a.requireSomewhere(ctx, tx, actor, "rule.read")
	if err != nil {
		return models.Rule{}, err
	}
	r, err := models.FindRule(ctx, tx, id, lock)
	if err != nil {
		return r, err
	}
	for _, m := range strings.Fields(r.Markets) {
		if s.has(m) {
			return r, nil
		}
	}
	return r, models.Errorf(models.KindNotFound, "rule_not_found", "rule %d does not exist", id)
}

// checkRule validates an author's input into a version.
func (a *App) checkRule(ctx context.Context, tx *gorm.DB, in RuleInput) (models.RuleVersion, error) {
	var fs []models.FieldError
	bad := func(field, code, msg string) {
		fs = append(fs, models.FieldError{Field: field, Code: code, Message: msg})
	}
	name := strings.TrimSpace(in.Name)
	if name == "" || len(name) > 120 {
		bad("name", "invalid_name", "1 to 120 characters")
	}
	if len(in.Description) > 2000 {
		bad("description", "too_long", "at most 2,000 characters")
	}
	if len(in.Note) > 500 {
		bad("note", "too_long", "at most 500 characters")
	}
	codes, err := a.marketCodes(ctx, tx)
	if err != nil {
		return models.RuleVersion{}, err
	}
	markets := slices.Compact(slices.Sorted(slices.Values(in.Markets)))
	if len(markets) == 0 {
		bad("markets", "required", "at least one market")
	}
	for _, m := range markets {
		if !slices.Contains(codes, m) {
			bad("markets", "unknown_market", "unknown market "+m)
		}
	}
	types := slices.Compact(slices.Sorted(slices.Values(in.SignalTypes)))
	if len(types) == 0 || len(types) > 20 {
		bad("signal_types", "invalid_signal_types", "1 to 20 signal types")
	}
	for _, t := range types {
		if !signalTypePattern.MatchString(t) {
			bad("signal_types", "invalid_type", "signal types are lower-case letters, digits, dots or underscores: "+t)
		}
	}
	if _, err := a.policy(ctx, tx, in.Policy); err != nil {
		bad("policy", "unknown_policy", "a policy code")
	}
	if models.SeverityRank(in.Severity) == 0 {
		bad("severity", "unknown_severity", "critical, high, medium or low")
	}
	if in.PriorityBoost < 0 || in.PriorityBoost > 500 {
		bad("priority_boost", "out_of_range", "0 to 500")
	}
	if in.QueueID != nil {
		if q, err := models.FindQueue(ctx, tx, *in.QueueID); err != nil || q.Kind != "review" {
			bad("queue_id", "unknown_queue", "a review queue")
		}
	}
	if in.Status == "" {
		in.Status = models.RuleDraft
	}
	if !slices.Contains(models.RuleStatuses, in.Status) {
		bad("status", "unknown_status", "draft, shadow, live or disabled")
	}
	if len(fs) > 0 {
		return models.RuleVersion{}, models.Invalid("invalid_rule", "the rule is not valid", fs...)
	}
	if _, errs := rules.Compile(in.Expression); errs != nil {
		return models.RuleVersion{}, invalidExpression(errs)
	}
	return models.RuleVersion{Status: in.Status, Name: name, Description: strings.TrimSpace(in.Description),
		Markets: strings.Join(markets, " "), SignalTypes: strings.Join(types, " "), Expression: in.Expression,
		PolicyCode: in.Policy, Severity: in.Severity, PriorityBoost: in.PriorityBoost, QueueID: in.QueueID,
		AutoTriage: in.AutoTriage, Note: strings.TrimSpace(in.Note)}, nil
}

// invalidExpression is 400 invalid_expression with the located errors.
func invalidExpression(errs []rules.ExprError) error {
	e := models.Invalid("invalid_expression", "the expression does not compile: "+errs[0].Message,
		models.FieldError{Field: "expression", Code: "invalid_expression", Message: errs[0].Message})
	e.Extra = map[string]any{"expression_errors": errs}
	return e
}

// sameContent: everything but status and note is equal.
func sameContent(x, y models.RuleVersion) bool {
	x.ID, y.ID, x.RuleID, y.RuleID, x.Version, y.Version = 0, 0, 0, 0, 0, 0
	x.Status, y.Status, x.Note, y.Note, x.CreatedBy, y.CreatedBy = "", "", "", "", "", ""
	x.CreatedByLabel, y.CreatedByLabel = "", ""
	x.CreatedAt, y.CreatedAt = time.Time{}, time.Time{}
	sameQueue := (x.QueueID == nil) == (y.QueueID == nil) && (x.QueueID == nil || *x.QueueID == *y.QueueID)
	x.QueueID, y.QueueID = nil, nil
	return x == y && sameQueue
}

func publishRequired(markets []string) error {
	return models.Errorf(models.KindForbidden, "publish_required",
		"making a rule live, or changing a live rule, needs rule.publish in %s", strings.Join(markets, ", "))
}

// CreateRule writes a rule's first version. Requires rule.write in every
// market of the rule, and rule.publish there too to start it live.
func (a *App) CreateRule(ctx context.Context, actor Actor, in RuleInput) (RuleView, error) {
	var out RuleView
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		if _, err := a.requireSomewhere(ctx, tx, actor, "rule.write"); err != nil {
			return err
		}
		v, err := a.checkRule(ctx, tx, in)
		if err != nil {
			return err
		}
		if !a.ruleMay(ctx, tx, actor, "rule.write", v.MarketList()) {
			return models.Errorf(models.KindForbidden, "forbidden", "you may not write rules in %s", strings.Join(v.MarketList(), ", "))
		}
		if v.Status == models.RuleLive && !a.ruleMay(ctx, tx, actor, "rule.publish", v.MarketList()) {
			return publishRequired(v.MarketList())
		}
		now := a.now()
		v.CreatedBy, v.CreatedByLabel, v.CreatedAt = actor.Subject(), actor.Label, now
		r := models.Rule{Name: v.Name, Status: v.Status, Markets: v.Markets, SignalTypes: v.SignalTypes,
			CreatedBy: actor.Subject(), CreatedAt: now, UpdatedBy: actor.Subject(), UpdatedAt: now}
		if err := models.CreateRule(ctx, tx, &r, &v); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, actor, auditRecord{Action: "rule.create", ObjectType: "rule", ObjectID: fmt.Sprint(r.ID),
			Market: singleMarket(v.MarketList()), After: ruleVersionView(v)}); err != nil {
			return err
		}
		out, err = a.ruleView(ctx, tx, actor, r, v, false)
		return err
	})
	return out, err
}

// UpdateRule saves a new version of a rule from the version the caller
// loaded. Changing content needs rule.write in every market (old and
// new); making it live, or changing or disabling it while live, needs
// rule.publish in every market.
func (a *App) UpdateRule(ctx context.Context, actor Actor, id int64, version int, in RuleInput) (RuleView, error) {
	var out RuleView
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		r, err := a.visibleRule(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if version != r.Version {
			e := models.Errorf(models.KindConflict, "version_conflict", "rule %d is at version %d, not %d", id, r.Version, version)
			e.Extra = map[string]any{"current_version": r.Version}
			return e
		}
		cur, err := models.FindRuleVersion(ctx, tx, r.ID, r.Version)
		if err != nil {
			return err
		}
		v, err := a.checkRule(ctx, tx, in)
		if err != nil {
			return err
		}
		markets := slices.Compact(slices.Sorted(slices.Values(append(cur.MarketList(), v.MarketList()...))))
		mayWrite, mayPublish := a.ruleMay(ctx, tx, actor, "rule.write", markets), a.ruleMay(ctx, tx, actor, "rule.publish", markets)
		changed := !sameContent(cur, v)
		switch {
		case !mayWrite && !mayPublish:
			// Readers change nothing, not even a draft's status.
			return models.Errorf(models.KindForbidden, "forbidden", "you may not change rules in %s", strings.Join(markets, ", "))
		case changed && !mayWrite:
			return models.Errorf(models.KindForbidden, "forbidden", "publishers change a rule's status, not its content")
		case (v.Status == models.RuleLive || cur.Status == models.RuleLive) && (changed || v.Status != cur.Status) && !mayPublish:
			return publishRequired(markets)
		case !changed && v.Status == cur.Status && v.Note == cur.Note:
			out, err = a.ruleView(ctx, tx, actor, r, cur, false)
			return err // nothing to save
		}
		v.CreatedBy, v.CreatedByLabel, v.CreatedAt = actor.Subject(), actor.Label, a.now()
		if err := models.SaveRuleVersion(ctx, tx, &r, &v, version); err != nil {
			return err
		}
		action := "rule.update"
		if v.Status != cur.Status {
			action = "rule." + map[string]string{models.RuleDraft: "draft", models.RuleShadow: "shadow",
				models.RuleLive: "publish", models.RuleDisabled: "disable"}[v.Status]
		}
		if err := a.audit(ctx, tx, actor, auditRecord{Action: action, ObjectType: "rule", ObjectID: fmt.Sprint(r.ID),
			Market: singleMarket(markets), Before: ruleVersionView(cur), After: ruleVersionView(v)}); err != nil {
			return err
		}
		out, err = a.ruleView(ctx, tx, actor, r, v, false)
		return err
	})
	return out, err
}

// GetRule returns a rule at its current version with per-version quality.
func (a *App) GetRule(ctx context.Context, actor Actor, id int64) (RuleView, error) {
	var out RuleView
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		r, err := a.visibleRule(ctx, tx, actor, id, false)
		if err != nil {
			return err
		}
		v, err := models.FindRuleVersion(ctx, tx, r.ID, r.Version)
		if err != nil {
			return err
		}
		out, err = a.ruleView(ctx, tx, actor, r, v, true)
		return err
	})
	return out, err
}

func (a *App) ruleView(ctx context.Context, tx *gorm.DB, actor Actor, r models.Rule, v models.RuleVersion, withVersions bool) (RuleView, error) {
	q, err := a.ruleQuality(ctx, tx, []int64{r.ID})
	if err != nil {
		return RuleView{}, err
	}
	out := a.ruleSummary(ctx, tx, actor, r, v, q[r.ID])
	if withVersions {
		if out.ByVersion, err = a.ruleVersionQuality(ctx, tx, r.ID); err != nil {
			return RuleView{}, err
		}
	}
	return out, nil
}

// ruleSummary is a rule's view without per-version quality.
func (a *App) ruleSummary(ctx context.Context, tx *gorm.DB, actor Actor, r models.Rule, v models.RuleVersion, q RuleQuality) RuleView {
	return RuleView{RuleVersionView: ruleVersionView(v), ID: r.ID, UpdatedAt: r.UpdatedAt,
		Errors:     RuleErrors{Count: r.ErrorCount, LastError: r.LastError, LastErrorAt: r.LastErrorAt},
		Quality:    q,
		ByVersion:  []RuleVersionQuality{},
		MayWrite:   a.ruleMay(ctx, tx, actor, "rule.write", v.MarketList()),
		MayPublish: a.ruleMay(ctx, tx, actor, "rule.publish", v.MarketList())}
}

// RuleFilter narrows the rules list.
type RuleFilter struct {
	Status string
	Market string
	Text   string
}

type ruleCursor struct {
	At time.Time `json:"u"`
	ID int64     `json:"i"`
}

// ListRules lists the rules the actor may read, most recently changed
// first, with quality figures.
func (a *App) ListRules(ctx context.Context, actor Actor, f RuleFilter, page PageRequest) (Page[RuleView], error) {
	var out Page[RuleView]
	var cur ruleCursor
	if page.Cursor != "" {
		if err := models.DecodeCursor(page.Cursor, &cur); err != nil {
			return out, err
		}
	}
	if f.Status != "" && !slices.Contains(models.RuleStatuses, f.Status) {
		return out, models.Invalid("invalid_filter", "unknown status",
			models.FieldError{Field: "status", Code: "unknown_status", Message: "draft, shadow, live or disabled"})
	}
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		s, err := a.requireSomewhere(ctx, tx, actor, "rule.read")
		if err != nil {
			return err
		}
		q := tx.WithContext(ctx).Model(&models.Rule{}).Order("updated_at DESC, id DESC")
		if f.Status != "" {
			q = q.Where("status = ?", f.Status)
		}
		if !cur.At.IsZero() {
			q = q.Where("updated_at < ? OR (updated_at = ? AND id < ?)", cur.At, cur.At, cur.ID)
		}
		var rs []models.Rule
		if err := q.Find(&rs).Error; err != nil {
			return err
		}
		text := strings.ToLower(strings.TrimSpace(f.Text))
		var picked []models.Rule
		var versionIDs []int64
		for _, r := range rs {
			ms := strings.Fields(r.Markets)
			if !slices.ContainsFunc(ms, s.has) || (f.Market != "" && !slices.Contains(ms, f.Market)) {
				continue
			}
			picked = append(picked, r)
			versionIDs = append(versionIDs, r.VersionID)
		}
		var vs []models.RuleVersion
		if err := tx.WithContext(ctx).Where("id IN ?", append(versionIDs, 0)).Find(&vs).Error; err != nil {
			return err
		}
		byID := map[int64]models.RuleVersion{}
		for _, v := range vs {
			byID[v.ID] = v
		}
		var rows []models.Rule
		for _, r := range picked {
			v := byID[r.VersionID]
			if text != "" && !strings.Contains(strings.ToLower(v.Name+" "+v.Description), text) {
				continue
			}
			rows = append(rows, r)
			if len(rows) > page.Limit {
				break
			}
		}
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		qs, err := a.ruleQuality(ctx, tx, ids)
		if err != nil {
			return err
		}
		views := make([]RuleView, 0, len(rows))
		for _, r := range rows {
			views = append(views, a.ruleSummary(ctx, tx, actor, r, byID[r.VersionID], qs[r.ID]))
		}
		out = pageOf(views, page.Limit, func(v RuleView) any { return ruleCursor{At: v.UpdatedAt, ID: v.ID} })
		return nil
	})
	return out, err
}

// ListRuleVersions returns every version of a rule, newest first.
func (a *App) ListRuleVersions(ctx context.Context, actor Actor, id int64) ([]RuleVersionView, error) {
	out := []RuleVersionView{}
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		if _, err := a.visibleRule(ctx, tx, actor, id, false); err != nil {
			return err
		}
		var vs []models.RuleVersion
		if err := tx.WithContext(ctx).Where("rule_id = ?", id).Order("version DESC").Find(&vs).Error; err != nil {
			return err
		}
		for _, v := range vs {
			out = append(out, ruleVersionView(v))
		}
		return nil
	})
	return out, err
}

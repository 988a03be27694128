package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/app/rules"
	"github.com/docket-tns/docket/models"
)

// Backtest states.
const (
	BacktestQueued    = "queued"
	BacktestRunning   = "running"
	BacktestDone      = "done"
	BacktestCancelled = "cancelled"
	BacktestFailed    = "failed"
)

const (
	backtestPage     = 500
	backtestSamples  = 20
	backtestMaxRange = 366 * 24 * time.Hour
	// A running backtest whose worker has not reported for this long was
	// interrupted (its server stopped) and is marked failed.
	backtestStale = 2 * time.Minute
)

// BacktestRequest asks for a replay of a window of stored signals.
type BacktestRequest struct {
	Version    *int      `json:"version"`
	Expression string    `json:"expression"`
	From       time.Time `json:"from"`
	To         time.Time `json:"to"`
	MaxSignals int       `json:"max_signals"`
}

// BacktestDay is one bar of the daily histogram.
type BacktestDay struct {
	Day  string `json:"day"`
	Hits int    `json:"hits"`
}

// BacktestSample is one hit of a backtest.
type BacktestSample struct {
	SignalID   int64          `json:"signal_id"`
	OccurredAt time.Time      `json:"occurred_at"`
	Subject    SubjectView    `json:"subject"`
	Values     map[string]any `json:"values"`
}

// BacktestResult is what a finished backtest found.
type BacktestResult struct {
	SignalsScanned int              `json:"signals_scanned"`
	Hits           int              `json:"hits"`
	Subjects       int              `json:"subjects"`
	CasesWouldOpen int              `json:"cases_would_open"`
	CasesWouldJoin int              `json:"cases_would_join"`
	Histogram      []BacktestDay    `json:"histogram"`
	Samples        []BacktestSample `json:"samples"`
	Decided        int              `json:"decided"`
	Violations     int              `json:"violations"`
	Precision      *float64         `json:"precision"`
	Truncated      bool             `json:"truncated"`
	Errors         int              `json:"errors"`
}

// BacktestView is a backtest as the API shows it.
type BacktestView struct {
	ID             int64           `json:"id"`
	RuleID         int64           `json:"rule_id"`
	Version        *int            `json:"version"`
	Expression     string          `json:"expression"`
	From           time.Time       `json:"from"`
	To             time.Time       `json:"to"`
	MaxSignals     int             `json:"max_signals"`
	Status         string          `json:"status"`
	Scanned        int             `json:"scanned"`
	Total          int             `json:"total"`
	Result         *BacktestResult `json:"result"`
	Error          string          `json:"error"`
	CreatedBy      string          `json:"created_by"`
	CreatedByLabel string          `json:"created_by_label"`
	CreatedAt      time.Time       `json:"created_at"`
	FinishedAt     *time.Time      `json:"finished_at"`
}

func backtestView(b models.Backtest) BacktestView {
	v := BacktestView{ID: b.ID, RuleID: b.RuleID, Version: b.Version, Expression: b.Expression, From: b.FromAt, To: b.ToAt,
		MaxSignals: b.MaxSignals, Status: b.Status, Scanned: b.Scanned, Total: b.Total, Error: b.Error, CreatedBy: b.CreatedBy, CreatedByLabel: b.CreatedByLabel,
		CreatedAt: b.CreatedAt, FinishedAt: b.FinishedAt}
	if b.Result != nil {
		var r BacktestResult
		if json.Unmarshal([]byte(*b.Result), &r) == nil {
			v.Result = &r
		}
	}
	return v
}

// backtestRunner wakes this process's backtest worker when one is queued.
type backtestRunner struct{ poke chan struct{} }

func newBacktestRunner() *backtestRunner { return &backtestRunner{poke: make(chan struct{}, 1)} }

func (r *backtestRunner) wake() {
	select {
	case r.poke <- struct{}{}:
	default:
	}
}

func (a *App) mayBacktest(ctx context.Context, tx *gorm.DB, actor Actor, r models.Rule) error {
	if !a.ruleMay(ctx, tx, actor, "rule.backtest", strings.Fields(r.Markets)) {
		return models.Errorf(models.KindForbidden, "forbidden", "you may not backtest rules in %s", strings.ReplaceAll(r.Markets, " ", ", "))
	}
	return nil
}

// StartBacktest queues a replay of [from, to) through a version of the
// rule (default its current one) or an unsaved expression. Requires
// rule.backtest in every market of the rule; audited.
func (a *App) StartBacktest(ctx context.Context, actor Actor, ruleID int64, in BacktestRequest) (BacktestView, error) {
	var out BacktestView
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		r, err := a.visibleRule(ctx, tx, actor, ruleID, false)
		if err != nil {
			return err
		}
		if err := a.mayBacktest(ctx, tx, actor, r); err != nil {
			return err
		}
		var fs []models.FieldError
		if in.From.IsZero() || in.To.IsZero() || !in.From.Before(in.To) {
			fs = append(fs, models.FieldError{Field: "to", Code: "invalid_window", Message: "from and to are RFC 3339 times, from before to"})
		} else if in.To.Sub(in.From) > backtestMaxRange {
			fs = append(fs, models.FieldError{Field: "from", Code: "window_too_long", Message: "at most 366 days"})
		}
		maxSignals := a.rules.BacktestMaxSignals
		if in.MaxSignals < 0 || in.MaxSignals > maxSignals {
			fs = append(fs, models.FieldError{Field: "max_signals", Code: "out_of_range", Message: fmt.Sprintf("1 to %d", maxSignals)})
		} else if in.MaxSignals > 0 {
			maxSignals = in.MaxSignals
		}
		if len(fs) > 0 {
			return models.Invalid("invalid_backtest", "the backtest is not valid", fs...)
		}
		b := models.Backtest{RuleID: r.ID, FromAt: in.From.UTC(), ToAt: in.To.UTC(), MaxSignals: maxSignals, Status: BacktestQueued,
			CreatedBy: actor.Subject(), CreatedByLabel: actor.Label, CreatedAt: a.now()}
		if strings.TrimSpace(in.Expression) != "" {
			if _, errs := rules.Compile(in.Expression); errs != nil {
				return invalidExpression(errs)
			}
			b.Expression = in.Expression
		} else {
			n := r.Version
			if in.Version != nil {
				n = *in.Version
			}
			v, err := models.FindRuleVersion(ctx, tx, r.ID, n)
			if err != nil {
				return models.Invalid("unknown_version", err.Error(),
					models.FieldError{Field: "version", Code: "unknown_version", Message: "a saved version of the rule"})
			}
			b.Version, b.Expression = &v.Version, v.Expression
		}
		if err := tx.WithContext(ctx).Create(&b).Error; err != nil {
			return err
		}
		out = backtestView(b)
		return a.audit(ctx, tx, actor, auditRecord{Action: "rule.backtest", ObjectType: "rule", ObjectID: fmt.Sprint(r.ID),
			Market: singleMarket(strings.Fields(r.Markets)), After: map[string]any{"backtest_id": b.ID, "version": b.Version,
				"from": b.FromAt, "to": b.ToAt, "max_signals": b.MaxSignals}})
	})
	if err == nil {
		a.backtests.wake()
	}
	return out, err
}

// GetBacktest returns a backtest of a rule the actor may read.
func (a *App) GetBacktest(ctx context.Context, actor Actor, id int64) (BacktestView, error) {
	var out BacktestView
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		b, err := a.visibleBacktest(ctx, tx, actor, id)
		out = backtestView(b)
		return err
	})
	return out, err
}

func (a *App) visibleBacktest(ctx context.Context, tx *gorm.DB, actor Actor, id int64) (models.Backtest, error) {
	var b models.Backtest
	err := tx.WithContext(ctx).Where("id = ?", id).Take(&b).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return b, models.Errorf(models.KindNotFound, "backtest_not_found", "backtest %d does not exist", id)
	} else if err != nil {
		return b, err
	}
	if _, err := a.visibleRule(ctx, tx, actor, b.RuleID, false); err != nil {
		if de, ok := models.AsError(err); ok && de.Kind == models.KindNotFound {
			return b, models.Errorf(models.KindNotFound, "backtest_not_found", "backtest %d does not exist", id)
		}
		return b, err
	}
	return b, nil
}

// ListBacktests returns a rule's 20 most recent backtests.
func (a *App) ListBacktests(ctx context.Context, actor Actor, ruleID int64) ([]BacktestView, error) {
	out := []BacktestView{}
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		if _, err := a.visibleRule(ctx, tx, actor, ruleID, false); err != nil {
			return err
		}
		var bs []models.Backtest
		if err := tx.WithContext(ctx).Where("rule_id = ?", ruleID).Order("id DESC").Limit(20).Find(&bs).Error; err != nil {
			return err
		}
		for _, b := range bs {
			out = append(out, backtestView(b))
		}
		return nil
	})
	return out, err
}

// CancelBacktest stops a queued or running backtest (rule.backtest); a
// finished one is 409 backtest_finished.
func (a *App) CancelBacktest(ctx context.Context, actor Actor, id int64) (BacktestView, error) {
	var out BacktestView
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		b, err := a.visibleBacktest(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		r, err := models.FindRule(ctx, tx, b.RuleID, false)
		if err != nil {
			return err
		}
		if err := a.mayBacktest(ctx, tx, actor, r); err != nil {
			return err
		}
		now := a.now()
		res := tx.WithContext(ctx).Model(&models.Backtest{}).Where("id = ? AND status IN ?", id, []string{BacktestQueued, BacktestRunning}).
			Updates(map[string]any{"status": BacktestCancelled, "finished_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.Errorf(models.KindConflict, "backtest_finished", "backtest %d has already %s", id, b.Status)
		}
		b.Status, b.FinishedAt = BacktestCancelled, &now
		out = backtestView(b)
		return a.audit(ctx, tx, actor, auditRecord{Action: "rule.backtest_cancel", ObjectType: "rule", ObjectID: fmt.Sprint(r.ID),
			Market: singleMarket(strings.Fields(r.Markets)), After: map[string]any{"backtest_id": id}})
	})
	return out, err
}

// RunBacktests is the background worker: it takes queued backtests one at
// a time until ctx ends. Every server may run one; a conditional update
// hands each backtest to exactly one worker.
func (a *App) RunBacktests(ctx context.Context, poll time.Duration) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		for {
			ran, err := a.RunNextBacktest(ctx)
			if err != nil && ctx.Err() == nil {
				a.log.Error("backtest", "err", err)
			}
			if !ran || ctx.Err() != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-a.backtests.poke:
		}
	}
}

// RunNextBacktest runs the oldest queued backtest, if any, to its end.
func (a *App) RunNextBacktest(ctx context.Context) (bool, error) {
	now := a.now()
	var b models.Backtest
	claimed := false
	// Writes go through writeTx: on SQLite that is the process's write lock.
	err := a.writeTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&models.Backtest{}).Where("status = ? AND heartbeat_at < ?", BacktestRunning, now.Add(-backtestStale)).
			Updates(map[string]any{"status": BacktestFailed, "error": "interrupted: its server stopped", "finished_at": now}).Error; err != nil {
			return err
		}
		if err := tx.Where("status = ?", BacktestQueued).Order("id").Limit(1).Find(&b).Error; err != nil || b.ID == 0 {
			return err
		}
		res := tx.Model(&models.Backtest{}).Where("id = ? AND status = ?", b.ID, BacktestQueued).
			Updates(map[string]any{"status": BacktestRunning, "heartbeat_at": now})
		claimed = res.RowsAffected == 1
		return res.Error
	})
	if err != nil || b.ID == 0 {
		return false, err
	}
	if !claimed {
		return true, nil // another worker took it
	}
	result, err := a.replay(ctx, b)
	finished := a.now()
	upd := map[string]any{"status": BacktestDone, "finished_at": finished}
	switch {
	case err == errBacktestCancelled:
		return true, nil
	case err != nil:
		if ctx.Err() != nil {
			return true, nil // shutting down: left running, failed as stale later
		}
		upd["status"], upd["error"] = BacktestFailed, err.Error()
	default:
		body, jerr := json.Marshal(result)
		if jerr != nil {
			return true, jerr
		}
		upd["result"], upd["scanned"] = string(body), result.SignalsScanned
	}
	return true, a.writeTx(ctx, func(tx *gorm.DB) error {
		return tx.Model(&models.Backtest{}).Where("id = ? AND status = ?", b.ID, BacktestRunning).Updates(upd).Error
	})
}

var errBacktestCancelled = fmt.Errorf("backtest cancelled")

// replay evaluates the backtest's expression on every stored signal of
// the window (in the rule's markets and signal types, oldest first, at
// most MaxSignals), exactly as ingestion would have: velocity windows end
// at each signal's time.
func (a *App) replay(ctx context.Context, b models.Backtest) (BacktestResult, error) {
	db := a.read(ctx)
	res := BacktestResult{Histogram: []BacktestDay{}, Samples: []BacktestSample{}}
	r, err := models.FindRule(ctx, db, b.RuleID, false)
	if err != nil {
		return res, err
	}
	cur, err := models.FindRuleVersion(ctx, db, r.ID, r.Version)
	if err != nil {
		return res, err
	}
	p, errs := rules.Compile(b.Expression)
	if errs != nil {
		return res, fmt.Errorf("the expression does not compile: %s", errs[0].Message)
	}
	markets, types := cur.MarketList(), cur.SignalTypeList()
	window := db.Model(&models.Signal{}).Where("occurred_at >= ? AND occurred_at < ? AND market IN ? AND type IN ?", b.FromAt, b.ToAt, markets, types)
	var total int64
	if err := window.Count(&total).Error; err != nil {
		return res, err
	}
	if total > int64(b.MaxSignals) {
		res.Truncated, total = true, int64(b.MaxSignals)
	}
	if err := a.writeTx(ctx, func(tx *gorm.DB) error {
		return tx.Model(&models.Backtest{}).Where("id = ?", b.ID).Update("total", total).Error
	}); err != nil {
		return res, err
	}
	days := map[string]int{}
	subjects := map[int64]models.Subject{}
	seen := map[int64]bool{} // subjects hit so far
	var afterAt time.Time
	var afterID int64
	for res.SignalsScanned < int(total) {
		var page []models.Signal
		q := db.Model(&models.Signal{}).Where("occurred_at >= ? AND occurred_at < ? AND market IN ? AND type IN ?", b.FromAt, b.ToAt, markets, types)
		if afterID != 0 {
			q = q.Where("occurred_at > ? OR (occurred_at = ? AND id > ?)", afterAt, afterAt, afterID)
		}
		if err := q.Order("occurred_at, id").Limit(min(backtestPage, int(total)-res.SignalsScanned)).Find(&page).Error; err != nil {
			return res, err
		}
		if len(page) == 0 {
			break
		}
		for _, sig := range page {
			afterAt, afterID = sig.OccurredAt, sig.ID
			res.SignalsScanned++
			s, ok := subjects[sig.SubjectID]
			if !ok {
				if s, err = models.FindSubject(ctx, db, sig.SubjectID); err != nil {
					return res, err
				}
				subjects[sig.SubjectID] = s
			}
			var attrs map[string]any
			_ = json.Unmarshal([]byte(sig.Attributes), &attrs)
			in := ruleInput(sig, attrs, s, sig.OccurredAt)
			reader := &velocityReader{ctx: ctx, db: db, sig: sig, seen: map[string]float64{}}
			if in.Velocity, err = reader.values(p.Velocity); err != nil {
				return res, err
			}
			hit, err := p.Eval(in, a.rules.EvalTimeLimit)
			if err != nil {
				res.Errors++
				continue
			}
			if !hit {
				continue
			}
			res.Hits++
			days[sig.OccurredAt.UTC().Format(time.DateOnly)]++
			if len(res.Samples) < backtestSamples {
				res.Samples = append(res.Samples, BacktestSample{SignalID: sig.ID, OccurredAt: sig.OccurredAt, Subject: subjectView(s),
					Values: hitValues(in, in.Velocity)})
			}
			if seen[s.ID] {
				res.CasesWouldJoin++
				continue
			}
			seen[s.ID] = true
			var open int64
			if err := db.Model(&models.Case{}).Where("subject_id = ? AND policy_code = ? AND created_at <= ? AND (resolved_at IS NULL OR resolved_at > ?)",
				s.ID, cur.PolicyCode, sig.OccurredAt, sig.OccurredAt).Count(&open).Error; err != nil {
				return res, err
			}
			if open > 0 {
				res.CasesWouldJoin++
			} else {
				res.CasesWouldOpen++
			}
		}
		// Report progress; a cancelled backtest is no longer running and
		// the update touches nothing.
		var running bool
		if err := a.writeTx(ctx, func(tx *gorm.DB) error {
			up := tx.Model(&models.Backtest{}).Where("id = ? AND status = ?", b.ID, BacktestRunning).
				Updates(map[string]any{"scanned": res.SignalsScanned, "heartbeat_at": a.now()})
			running = up.RowsAffected == 1
			return up.Error
		}); err != nil {
			return res, err
		}
		if !running {
			return res, errBacktestCancelled
		}
	}
	res.Subjects = len(seen)
	for d := b.FromAt.UTC().Truncate(24 * time.Hour); d.Before(b.ToAt); d = d.Add(24 * time.Hour) {
		k := d.Format(time.DateOnly)
		res.Histogram = append(res.Histogram, BacktestDay{Day: k, Hits: days[k]})
	}
	ids := make([]int64, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	res.Decided, res.Violations, err = pastDecisions(ctx, db, ids, cur.PolicyCode)
	res.Precision = ratio(res.Violations, res.Decided)
	return res, err
}

// pastDecisions counts, among subjects, those with a decided case of the
// policy, and of those the ones whose latest decision was a violation.
func pastDecisions(ctx context.Context, db *gorm.DB, subjectIDs []int64, policy string) (decided, violations int, err error) {
	for chunk := range slices.Chunk(subjectIDs, 500) {
		var cs []models.Case
		if err := db.WithContext(ctx).Select("subject_id, outcome, resolved_at, id").
			Where("subject_id IN ? AND policy_code = ? AND outcome IS NOT NULL AND resolved_at IS NOT NULL", chunk, policy).
			Order("subject_id, resolved_at, id").Find(&cs).Error; err != nil {
			return 0, 0, err
		}
		latest := map[int64]string{}
		for _, c := range cs {
			latest[c.SubjectID] = *c.Outcome
		}
		for _, o := range latest {
			decided++
			if o == "violation" {
				violations++
			}
		}
	}
	return decided, violations, nil
}

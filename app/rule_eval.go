package app

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/app/rules"
	"github.com/docket-tns/docket/models"
)

// RuleSettings tune rule evaluation and backtests.
type RuleSettings struct {
	// EvalTimeLimit cuts off one evaluation of a looping expression
	// (default 50 ms).
	EvalTimeLimit time.Duration
	// SuspendAfterTimeout is how long a rule version that hit the time
	// limit is skipped in this process (default 5 min), so a runaway rule
	// cannot pile up work.
	SuspendAfterTimeout time.Duration
	// BacktestMaxSignals caps the signals one backtest replays (default
	// 200,000).
	BacktestMaxSignals int
}

func (s RuleSettings) withDefaults() RuleSettings {
	if s.EvalTimeLimit <= 0 {
		s.EvalTimeLimit = rules.DefaultTimeLimit
	}
	if s.SuspendAfterTimeout <= 0 {
		s.SuspendAfterTimeout = 5 * time.Minute
	}
	if s.BacktestMaxSignals <= 0 {
		s.BacktestMaxSignals = 200000
	}
	return s
}

// compiledRule is an active rule version ready to evaluate.
type compiledRule struct {
	v       models.RuleVersion
	p       *rules.Program
	markets map[string]bool
	types   map[string]bool
}

func compileVersion(v models.RuleVersion) (compiledRule, error) {
	p, errs := rules.Compile(v.Expression)
	if errs != nil {
		return compiledRule{}, fmt.Errorf("rule %d version %d: %s", v.RuleID, v.Version, errs[0].Message)
	}
	c := compiledRule{v: v, p: p, markets: map[string]bool{}, types: map[string]bool{}}
	for _, m := range v.MarketList() {
		c.markets[m] = true
	}
	for _, t := range v.SignalTypeList() {
		c.types[t] = true
	}
	return c, nil
}

// ruleEngine caches the compiled active rules, reloaded when any rule
// version is saved (by this or another server).
type ruleEngine struct {
	mu        sync.Mutex
	stamp     int64
	loaded    bool
	active    []compiledRule
	suspended map[int64]time.Time // rule version id -> until
	// anySuspended is set once a rule has been suspended, so that the
	// check per rule and signal takes no lock until then.
	anySuspended atomic.Bool
}

func (a *App) activeRules(ctx context.Context, tx *gorm.DB) ([]compiledRule, error) {
	stamp, err := models.RulesStamp(ctx, tx)
	if err != nil {
		return nil, err
	}
	e := a.engine
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.loaded && e.stamp == stamp {
		return e.active, nil
	}
	vs, err := models.ActiveRuleVersions(ctx, tx)
	if err != nil {
		return nil, err
	}
	active := make([]compiledRule, 0, len(vs))
	for _, v := range vs {
		c, err := compileVersion(v)
		if err != nil {
			a.log.Error("active rule does not compile", "err", err)
			continue
		}
		active = append(active, c)
	}
	e.active, e.stamp, e.loaded = active, stamp, true
	return active, nil
}

func (a *App) ruleSuspended(versionID int64, now time.Time) bool {
	if !a.engine.anySuspended.Load() {
		return false // the usual case, without the lock
	}
	a.engine.mu.Lock()
	defer a.engine.mu.Unlock()
	until, ok := a.engine.suspended[versionID]
	return ok && now.Before(until)
}

func (a *App) suspendRule(versionID int64, until time.Time) {
	a.engine.mu.Lock()
	defer a.engine.mu.Unlock()
	a.engine.suspended[versionID] = until
	a.engine.anySuspended.Store(true)
}

// ruleInput is what rules see of a stored signal and subject.
func ruleInput(sig models.Signal, attrs map[string]any, s models.Subject, now time.Time) rules.Input {
	in := ruleInputWithoutSubjectAttributes(sig, attrs, s, now)
	in.Subject.Attributes = subjectAttributes(s, nil)
	return in
}

// ruleInputWithoutSubjectAttributes is ruleInput for rules that do not
// read the subject's attributes (rules.Program.ReadsSubjectAttributes):
// they are stored as JSON, and parsing them is most of building an input.
func ruleInputWithoutSubjectAttributes(sig models.Signal, attrs map[string]any, s models.Subject, now time.Time) rules.Input {
	return rules.Input{
		Signal: rules.Signal{Type: sig.Type, Source: sig.Source, OccurredAt: sig.OccurredAt, Attributes: attrs},
		Subject: rules.Subject{Kind: s.Kind, ExternalID: s.ExternalID, Market: s.Market, DisplayName: s.DisplayName,
			Followers: int(s.Followers), GMVUSD: int(s.GMVUSD), Strikes: s.StrikeCount,
			AgeDays: max(0, now.Sub(s.CreatedAt).Hours()/24)},
	}
}

// subjectAttributes parses a subject's attributes, once per cache (rules
// only read them); a nil cache parses every time.
func subjectAttributes(s models.Subject, cache map[int64]map[string]any) map[string]any {
	if attrs, ok := cache[s.ID]; ok {
		return attrs
	}
	attrs := map[string]any{}
	if s.Attributes != "{}" {
		_ = json.Unmarshal([]byte(s.Attributes), &attrs)
	}
	if cache != nil {
		cache[s.ID] = attrs
	}
	return attrs
}

// velocitySource answers the velocity calls of one signal: the map it
// returns holds (at least) the answers to calls.
type velocitySource interface {
	values(calls []rules.VelocityCall) (map[string]float64, error)
}

// velocityReader answers velocity calls for one signal, each call once,
// with one query per call (backtests; and ingestion for a call the batch
// did not fetch).
type velocityReader struct {
	ctx  context.Context
	db   *gorm.DB
	sig  models.Signal
	seen map[string]float64
}

func (r *velocityReader) values(calls []rules.VelocityCall) (map[string]float64, error) {
	out := make(map[string]float64, len(calls))
	for _, c := range calls {
		v, ok := r.seen[c.Key]
		if !ok {
			var err error
			v, err = models.VelocityWindow(r.ctx, r.db, c.Func, r.sig.SubjectID, c.Type, c.Attribute, r.sig.OccurredAt.Add(-c.Window), r.sig.OccurredAt)
			if err != nil {
				return nil, err
			}
			r.seen[c.Key] = v
		}
		out[c.Key] = v
	}
	return out, nil
}

// velocityCall is a velocity call by meaning (two spellings of a window,
// "60m" and "1h", are one call).
type velocityCall struct {
	fn, typ, attr string
	window        time.Duration
}

// velocityPoint is where a window ends: a subject at a signal's time.
type velocityPoint struct {
	subjectID int64
	at        int64 // Unix microseconds (signal times are whole microseconds)
}

// batchVelocity holds the answers of every velocity call the active
// rules make on a batch's stored signals, fetched for the whole batch
// (models.VelocityBatch: one statement on PostgreSQL, one per distinct
// call on SQLite). The signals are all stored before it is read, so each
// answer is exactly the per-signal query's: the subject's signals of the
// type in (occurred_at - window, occurred_at], the signal itself and the
// batch's other signals in that window included.
type batchVelocity map[velocityCall]map[velocityPoint]float64

func callOf(c rules.VelocityCall) velocityCall {
	return velocityCall{fn: c.Func, typ: c.Type, attr: c.Attribute, window: c.Window}
}

func (a *App) readBatchVelocity(ctx context.Context, tx *gorm.DB, active []compiledRule, stored []freshSignal) (batchVelocity, error) {
	now := a.now()
	want := map[velocityCall][]models.VelocityProbe{}
	points := map[velocityCall]map[velocityPoint]bool{}
	for _, r := range active {
		if len(r.p.Velocity) == 0 || a.ruleSuspended(r.v.ID, now) {
			continue
		}
		for _, f := range stored {
			if !r.types[f.sig.Type] || !r.markets[f.sig.Market] {
				continue
			}
			pt := velocityPoint{f.sig.SubjectID, f.sig.OccurredAt.UnixMicro()}
			for _, c := range r.p.Velocity {
				k := callOf(c)
				if points[k] == nil {
					points[k] = map[velocityPoint]bool{}
				}
				if points[k][pt] {
					continue
				}
				points[k][pt] = true
				want[k] = append(want[k], models.VelocityProbe{SubjectID: f.sig.SubjectID, From: f.sig.OccurredAt.Add(-c.Window), To: f.sig.OccurredAt})
			}
		}
	}
	calls := make([]velocityCall, 0, len(want))
	for k := range want {
		calls = append(calls, k)
	}
	slices.SortFunc(calls, func(x, y velocityCall) int {
		return cmp.Or(cmp.Compare(x.fn, y.fn), cmp.Compare(x.typ, y.typ), cmp.Compare(x.attr, y.attr), cmp.Compare(x.window, y.window))
	})
	queries := make([]models.VelocityQuery, len(calls))
	for q, k := range calls {
		queries[q] = models.VelocityQuery{Func: k.fn, Type: k.typ, Attribute: k.attr, Probes: want[k]}
	}
	answers, err := models.VelocityBatch(ctx, tx, queries)
	if err != nil {
		return nil, err
	}
	out := make(batchVelocity, len(calls))
	for q, k := range calls {
		m := make(map[velocityPoint]float64, len(queries[q].Probes))
		for i, p := range queries[q].Probes {
			m[velocityPoint{p.SubjectID, p.To.UnixMicro()}] = answers[q][i]
		}
		out[k] = m
	}
	return out, nil
}

// batchVelocityReader answers one signal's calls from the batch's
// answers, and reads a call the batch did not fetch (a rule whose
// suspension ended mid-batch) one by one. Its answers gather in one map
// for all the rules the signal is evaluated by.
type batchVelocityReader struct {
	batch  batchVelocity
	point  velocityPoint
	single *velocityReader
	all    map[string]float64
}

func (r *batchVelocityReader) values(calls []rules.VelocityCall) (map[string]float64, error) {
	if r.all == nil {
		r.all = make(map[string]float64, len(calls))
	}
	for _, c := range calls {
		if _, ok := r.all[c.Key]; ok {
			continue
		}
		v, ok := r.batch[callOf(c)][r.point]
		if !ok {
			one, err := r.single.values([]rules.VelocityCall{c})
			if err != nil {
				return nil, err
			}
			v = one[c.Key]
		}
		r.all[c.Key] = v
	}
	return r.all, nil
}

// evaluateSignals judges a batch's stored signals, in the order given:
// the velocity values the listening rules read are fetched for the whole
// batch first, then each signal is evaluated (evaluateSignal).
func (a *App) evaluateSignals(ctx context.Context, tx *gorm.DB, active []compiledRule, stored []freshSignal, out *ingestOutcome) error {
	batch, err := a.readBatchVelocity(ctx, tx, active, stored)
	if err != nil {
		return err
	}
	subjectAttrs := map[int64]map[string]any{}
	for _, f := range stored {
		reader := &batchVelocityReader{batch: batch, point: velocityPoint{f.sig.SubjectID, f.sig.OccurredAt.UnixMicro()},
			single: &velocityReader{ctx: ctx, db: tx, sig: f.sig, seen: map[string]float64{}}}
		if err := a.evaluateSignal(ctx, tx, active, f, subjectAttrs, reader, out); err != nil {
			return err
		}
	}
	return nil
}

// hitValues is the evidence a hit keeps: what the expression read.
func hitValues(in rules.Input, velocity map[string]float64) map[string]any {
	return map[string]any{"velocity": velocity, "signal": map[string]any{"type": in.Signal.Type, "source": in.Signal.Source,
		"occurred_at": in.Signal.OccurredAt, "attributes": in.Signal.Attributes},
		"subject": map[string]any{"followers": in.Subject.Followers, "gmv_usd": in.Subject.GMVUSD, "strikes": in.Subject.Strikes,
			"age_days": in.Subject.AgeDays}}
}

// ingestOutcome counts what rules did with a batch.
type ingestOutcome struct {
	Hits, ShadowHits, CasesOpened, CasesJoined int
	errors                                     map[int64]*ruleErrorCount
}

type ruleErrorCount struct {
	versionID int64
	n         int
	last      string
}

// evaluateSignal runs the active rules listening to a fresh signal's type
// and market. A rule that fails is counted, never fatal: ingestion goes on.
// subjectAttrs caches the parsed attributes of the batch's subjects, which
// are parsed only for rules that read them.
func (a *App) evaluateSignal(ctx context.Context, tx *gorm.DB, active []compiledRule, f freshSignal, subjectAttrs map[int64]map[string]any,
	reader velocitySource, out *ingestOutcome) error {
	sig, subj := f.sig, f.subject
	now := a.now()
	var in rules.Input
	var ev *rules.Evaluation // built once, for the first listening rule
	for _, r := range active {
		if !r.types[sig.Type] || !r.markets[sig.Market] || a.ruleSuspended(r.v.ID, now) {
			continue
		}
		if ev == nil {
			in = ruleInputWithoutSubjectAttributes(sig, f.attrs, subj, now)
			ev = rules.Prepare(in)
		}
		if r.p.ReadsSubjectAttributes && in.Subject.Attributes == nil {
			in.Subject.Attributes = subjectAttributes(subj, subjectAttrs)
			ev.SetSubjectAttributes(in.Subject.Attributes)
		}
		vel, err := reader.values(r.p.Velocity)
		if err != nil {
			return err
		}
		ev.SetVelocity(vel)
		hit, err := r.p.EvalPrepared(ev, a.rules.EvalTimeLimit)
		if err != nil {
			if errors.Is(err, rules.ErrTimeLimit) {
				a.suspendRule(r.v.ID, now.Add(a.rules.SuspendAfterTimeout))
				err = fmt.Errorf("%w; suspended for %s", err, a.rules.SuspendAfterTimeout)
			}
			c := out.errors[r.v.RuleID]
			if c == nil {
				c = &ruleErrorCount{versionID: r.v.ID}
				out.errors[r.v.RuleID] = c
			}
			c.n++
			c.last = err.Error()
			continue
		}
		if !hit {
			continue
		}
		// The evidence keeps the rule's own velocity answers.
		own := make(map[string]float64, len(r.p.Velocity))
		for _, c := range r.p.Velocity {
			own[c.Key] = vel[c.Key]
		}
		if err := a.recordHit(ctx, tx, r.v, sig, subj, hitValues(in, own), out); err != nil {
			return err
		}
	}
	return nil
}

// flushRuleErrors stores a batch's evaluation error counts, one update per
// failing rule.
func (a *App) flushRuleErrors(ctx context.Context, tx *gorm.DB, out *ingestOutcome) error {
	for id, c := range out.errors {
		if err := models.AddRuleErrors(ctx, tx, id, c.versionID, c.n, c.last, a.now()); err != nil {
			return err
		}
	}
	return nil
}

func ruleActor(v models.RuleVersion) Actor {
	return SystemActor(fmt.Sprintf("rule %d v%d (%s)", v.RuleID, v.Version, v.Name))
}

// recordHit stores a hit; a live hit opens or joins the open case of
// (subject, policy).
func (a *App) recordHit(ctx context.Context, tx *gorm.DB, v models.RuleVersion, sig models.Signal, subj models.Subject,
	values map[string]any, out *ingestOutcome) error {
	b, err := json.Marshal(values)
	if err != nil {
		return err
	}
	h := models.RuleHit{RuleID: v.RuleID, RuleVersionID: v.ID, Version: v.Version, Mode: "shadow", SignalID: sig.ID,
		SignalType: sig.Type, SubjectID: subj.ID, Market: sig.Market, Severity: v.Severity, HitValues: string(b),
		OccurredAt: sig.OccurredAt, CreatedAt: a.now()}
	if v.Status == models.RuleLive {
		h.Mode = "live"
		c, opened, err := a.caseForHit(ctx, tx, v, sig, subj)
		if err != nil {
			return err
		}
		h.CaseID, h.OpenedCase = &c.ID, opened
		if opened {
			out.CasesOpened++
		} else {
			out.CasesJoined++
		}
		out.Hits++
	} else {
		out.ShadowHits++
	}
	_, err = models.InsertRuleHit(ctx, tx, &h)
	return err
}

// caseForHit joins the open case of (subject, policy), raising its
// severity and priority when the rule asks for more, or opens one routed
// by the rule's queue or the routing table. A critical rule declares an
// emergency. Concurrent hits on one subject open one case: the loser of
// the race on the open-case index joins the winner's case.
func (a *App) caseForHit(ctx context.Context, tx *gorm.DB, v models.RuleVersion, sig models.Signal, subj models.Subject) (models.Case, bool, error) {
	actor := ruleActor(v)
	p, err := a.policy(ctx, tx, v.PolicyCode)
	if err != nil {
		return models.Case{}, false, err
	}
	hitData := map[string]any{"rule_id": v.RuleID, "rule": v.Name, "version": v.Version, "signal_id": sig.ID, "signal_type": sig.Type,
		"severity": v.Severity}
	if existing, err := models.FindOpenCase(ctx, tx, subj.ID, p.Code); err == nil {
		c, err := a.joinCase(ctx, tx, actor, v, p, existing.ID, hitData)
		if err != errCaseClosed {
			return c, false, err
		}
		// Resolved between the read and the lock: open a new case.
	} else if de, ok := models.AsError(err); !ok || de.Kind != models.KindNotFound {
		return models.Case{}, false, err
	}
	now := a.now()
	status := models.StatusNew
	if v.AutoTriage {
		status = models.StatusTriaged
	}
	c := models.Case{SubjectID: subj.ID, Market: subj.Market, PolicyCode: p.Code, Severity: v.Severity, Status: status,
		PriorityBoost: v.PriorityBoost, Emergency: v.Severity == "critical",
		Summary:   fmt.Sprintf("Opened by rule %q (v%d) on a %s signal.", v.Name, v.Version, sig.Type),
		CreatedBy: actor.Subject(), CreatedAt: now, UpdatedAt: now, Version: 1}
	q, err := a.routeFor(ctx, tx, v, subj.Market)
	if err != nil {
		return models.Case{}, false, err
	}
	if q != nil {
		c.Queue = &q.Name
	}
	if err := a.setSLA(ctx, tx, &c, p, now); err != nil {
		return models.Case{}, false, err
	}
	if err := a.reprioritise(ctx, tx, &c, p); err != nil {
		return models.Case{}, false, err
	}
	if err := tx.SavePoint("open_case").Error; err != nil {
		return models.Case{}, false, err
	}
	if err := models.CreateCase(ctx, tx, &c); err != nil {
		de, ok := models.AsError(err)
		if !ok || de.Code != "case_exists" {
			return models.Case{}, false, err
		}
		// Another transaction opened it first: join that case instead.
		if err := tx.RollbackTo("open_case").Error; err != nil {
			return models.Case{}, false, err
		}
		existing, err := models.FindOpenCase(ctx, tx, subj.ID, p.Code)
		if err != nil {
			return models.Case{}, false, err
		}
		c, err := a.joinCase(ctx, tx, actor, v, p, existing.ID, hitData)
		return c, false, err
	}
	data := map[string]any{"policy": p.Code, "severity": c.Severity, "subject_id": subj.ID, "rule_id": v.RuleID,
		"rule": v.Name, "version": v.Version, "signal_id": sig.ID, "queue": c.Queue}
	if err := a.recordCaseChange(ctx, tx, actor, c, "created", data, nil, caseAuditState(c)); err != nil {
		return c, true, err
	}
	if c.Emergency {
		return c, true, a.recordCaseChange(ctx, tx, actor, c, string(models.ActionEmergency),
			map[string]any{"reason": "critical rule " + v.Name}, nil, caseAuditState(c))
	}
	return c, true, nil
}

// joinCase attaches a hit to an open case under its row lock. A more
// severe rule raises the severity (and shortens the SLA if it runs); a
// critical one declares an emergency; either bumps the case version and
// is audited. A plain hit only adds a timeline entry.
func (a *App) joinCase(ctx context.Context, tx *gorm.DB, actor Actor, v models.RuleVersion, p models.Policy, id int64, hitData map[string]any) (models.Case, error) {
	c, err := models.LockCase(ctx, tx, id)
	if err != nil {
		return c, err
	}
	if !c.Status.Open() {
		return c, errCaseClosed
	}
	before := caseAuditState(c)
	changed := false
	if models.SeverityRank(v.Severity) > models.SeverityRank(c.Severity) {
		hitData["severity_from"] = c.Severity
		c.Severity = v.Severity
		changed = true
		if slaRunning(c.Status) {
			sooner := c
			if err := a.setSLA(ctx, tx, &sooner, p, c.CreatedAt); err != nil {
				return c, err
			}
			if sooner.SLADueAt.Before(c.SLADueAt) {
				c.SLADueAt, c.SLAAtRiskAt = sooner.SLADueAt, sooner.SLAAtRiskAt
			}
		}
	}
	if v.PriorityBoost > c.PriorityBoost {
		c.PriorityBoost = v.PriorityBoost
		changed = true
	}
	emergency := v.Severity == "critical" && !c.Emergency
	if emergency {
		c.Emergency = true
		changed = true
	}
	if !changed {
		if err := a.addCaseEvent(ctx, tx, &models.CaseEvent{CaseID: c.ID, Type: "hit_added", Actor: actor.Subject(),
			ActorLabel: actor.Label, Data: mustJSON(hitData), CreatedAt: a.now()}); err != nil {
			return c, err
		}
		return c, nil
	}
	if err := a.reprioritise(ctx, tx, &c, p); err != nil {
		return c, err
	}
	c.UpdatedAt = a.now()
	if err := models.SaveCase(ctx, tx, &c, c.Version); err != nil {
		return c, err
	}
	if err := a.recordCaseChange(ctx, tx, actor, c, "hit_added", hitData, before, caseAuditState(c)); err != nil {
		return c, err
	}
	if emergency {
		return c, a.recordCaseChange(ctx, tx, actor, c, string(models.ActionEmergency),
			map[string]any{"reason": "critical rule " + v.Name}, nil, caseAuditState(c))
	}
	return c, nil
}

// errCaseClosed: the case to join was resolved before its lock was taken.
var errCaseClosed = errors.New("case closed")

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// routeFor picks the queue of a rule's new case: the rule's own, else the
// routing table's route for (market, policy), else the market's default.
func (a *App) routeFor(ctx context.Context, tx *gorm.DB, v models.RuleVersion, market string) (*models.Queue, error) {
	if v.QueueID != nil {
		q, err := models.FindQueue(ctx, tx, *v.QueueID)
		if err == nil && strings.Contains(" "+q.Markets+" ", " "+market+" ") {
			return &q, nil
		}
	}
	return models.RouteFor(ctx, tx, market, v.PolicyCode)
}

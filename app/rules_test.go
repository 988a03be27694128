package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/app/rules"
	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

func (w *world) user(role string, markets ...string) app.Actor {
	w.t.Helper()
	var gs []models.Grant
	for _, m := range markets {
		gs = append(gs, models.Grant{Role: role, Market: m})
	}
	u, err := w.a.CreateUser(context.Background(), app.SystemActor("test"), app.NewUser{
		Email: fmt.Sprintf("%s%d@example.test", role, n.Add(1)), Name: role, Password: "a-long-enough-pass", Grants: gs})
	if err != nil {
		w.t.Fatal(err)
	}
	return app.Actor{Kind: app.ActorUser, ID: u.ID, Label: u.Email}
}

func ruleInput(name, typ, expr, severity, status string) app.RuleInput {
	return app.RuleInput{Name: name, Markets: []string{"VN"}, SignalTypes: []string{typ}, Expression: expr,
		Policy: "fake_engagement", Severity: severity, Status: status, PriorityBoost: 40}
}

// liveRule writes a rule as the operator would, already live.
func (w *world) liveRule(name, typ, expr, severity string) app.RuleView {
	w.t.Helper()
	r, err := w.a.CreateRule(context.Background(), app.SystemActor("test"), ruleInput(name, typ, expr, severity, models.RuleLive))
	if err != nil {
		w.t.Fatal(err)
	}
	return r
}

// sig is one signal about a subject.
func sig(id, typ, subject string, at time.Time, attrs string) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"source":"risk","source_id":%q,"type":%q,"occurred_at":%q,
		"subject":{"kind":"livestream","external_id":%q,"market":"VN","display_name":"Live %s","attributes":{"followers":50000}},
		"attributes":%s}`, id, typ, at.Format(time.RFC3339Nano), subject, subject, attrs))
}

// The lifecycle: analysts write drafts and shadow versions, only a
// publisher makes a version live, publishers do not write content, every
// change is a new immutable, audited version, and stale versions conflict.
func TestRuleLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		analyst, lead := w.user("analyst", "VN"), w.lead
		in := ruleInput(fmt.Sprintf("Report burst %d", n.Add(1)), "report.filed", `count("report.filed", "1h") >= 5`, "high", "")
		r, err := w.a.CreateRule(ctx, analyst, in)
		if err != nil || r.Version != 1 || r.Status != models.RuleDraft || !r.MayWrite || r.MayPublish {
			t.Fatalf("create: %+v %v", r, err)
		}
		in.Status = models.RuleLive
		if _, err := w.a.UpdateRule(ctx, analyst, r.ID, 1, in); code(err) != "publish_required" {
			t.Fatalf("analyst publishing: %v", err)
		}
		in.Status = models.RuleShadow
		r, err = w.a.UpdateRule(ctx, analyst, r.ID, 1, in)
		if err != nil || r.Version != 2 || r.Status != models.RuleShadow {
			t.Fatalf("shadow: %+v %v", r, err)
		}
		changed := in
		changed.Expression = `count("report.filed", "1h") >= 3`
		if _, err := w.a.UpdateRule(ctx, lead, r.ID, 2, changed); code(err) != "forbidden" {
			t.Fatalf("lead rewriting content: %v", err)
		}
		in.Status = models.RuleLive
		in.Note = "precision 80% in the backtest"
		if _, err := w.a.UpdateRule(ctx, lead, r.ID, 1, in); code(err) != "version_conflict" {
			t.Fatalf("stale version: %v", err)
		}
		r, err = w.a.UpdateRule(ctx, lead, r.ID, 2, in)
		if err != nil || r.Version != 3 || r.Status != models.RuleLive {
			t.Fatalf("publish: %+v %v", r, err)
		}
		// A live rule's content is changed by someone holding both
		// permissions; an analyst alone gets publish_required.
		changed.Status = models.RuleLive
		if _, err := w.a.UpdateRule(ctx, analyst, r.ID, 3, changed); code(err) != "publish_required" {
			t.Fatalf("analyst changing a live rule: %v", err)
		}
		vs, err := w.a.ListRuleVersions(ctx, analyst, r.ID)
		if err != nil || len(vs) != 3 || vs[0].Status != models.RuleLive || vs[2].Status != models.RuleDraft || vs[0].Note == "" {
			t.Fatalf("versions: %+v %v", vs, err)
		}
		// Versions are immutable in the database itself.
		if err := db.Gorm.Exec("UPDATE rule_versions SET expression = 'true' WHERE rule_id = ?", r.ID).Error; err == nil {
			t.Fatal("a rule version was updated")
		}
		if err := db.Gorm.Exec("DELETE FROM rule_versions WHERE rule_id = ?", r.ID).Error; err == nil {
			t.Fatal("a rule version was deleted")
		}
		mustSeal(t, w.a)
		var audits []models.AuditEntry
		db.Gorm.Where("object_type = ? AND object_id = ?", "rule", fmt.Sprint(r.ID)).Order("seq").Find(&audits)
		got := []string{}
		for _, a := range audits {
			got = append(got, a.Action)
		}
		if fmt.Sprint(got) != "[rule.create rule.shadow rule.publish]" {
			t.Fatalf("audit trail %v", got)
		}
		// An auditor reads rules but changes nothing, not even a status.
		in.Status = models.RuleDraft
		if _, err := w.a.UpdateRule(ctx, w.auditor, r.ID, 3, in); code(err) != "forbidden" {
			t.Fatalf("auditor changing a status: %v", err)
		}
		// A reviewer cannot read rules; a TH analyst cannot see a VN rule.
		if _, err := w.a.GetRule(ctx, w.rev, r.ID); code(err) != "forbidden" {
			t.Fatalf("reviewer: %v", err)
		}
		if _, err := w.a.GetRule(ctx, w.user("analyst", "TH"), r.ID); code(err) != "rule_not_found" {
			t.Fatalf("TH analyst: %v", err)
		}
	})
}

// Bad rules are refused whole with field or line/column detail, and
// nothing is stored.
func TestRuleValidation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		analyst := w.user("analyst", "VN")
		ctx := context.Background()
		in := ruleInput("Bad", "report.filed", "count(\"report.filed\", \"1h\") >=\n  \"ten\"", "high", "")
		_, err := w.a.CreateRule(ctx, analyst, in)
		de, ok := models.AsError(err)
		if !ok || de.Code != "invalid_expression" {
			t.Fatalf("type error: %v", err)
		}
		errs, _ := de.Extra["expression_errors"].([]rules.ExprError)
		if len(errs) == 0 || errs[0].Line < 1 || errs[0].Column < 1 || errs[0].Message == "" {
			t.Fatalf("expression errors: %+v", de.Extra)
		}
		for _, tc := range []struct {
			mut  func(*app.RuleInput)
			code string
		}{
			{func(r *app.RuleInput) { r.Markets = []string{"XX"} }, "invalid_rule"},
			{func(r *app.RuleInput) { r.SignalTypes = nil }, "invalid_rule"},
			{func(r *app.RuleInput) { r.Policy = "nope" }, "invalid_rule"},
			{func(r *app.RuleInput) { r.Severity = "urgent" }, "invalid_rule"},
			{func(r *app.RuleInput) { r.PriorityBoost = 9000 }, "invalid_rule"},
			{func(r *app.RuleInput) { r.Status = "paused" }, "invalid_rule"},
			{func(r *app.RuleInput) { r.Expression = `all(1..3, {all(1..3, {all(1..3, {# > 0})})})` }, "invalid_expression"},
		} {
			bad := ruleInput("Bad", "report.filed", `count("report.filed", "1h") >= 3`, "high", "")
			tc.mut(&bad)
			if _, err := w.a.CreateRule(ctx, analyst, bad); code(err) != tc.code {
				t.Errorf("%+v: %v, want %s", bad, err, tc.code)
			}
		}
		var rules int64
		db.Gorm.Model(&models.Rule{}).Count(&rules)
		if rules != 0 {
			t.Fatalf("%d rules stored from bad input", rules)
		}
	})
}

// Live hits open one case per (subject, policy) and join it afterwards,
// routed by the table, keeping the rule version and the values read as
// evidence; a more severe rule raises the severity, a critical one
// declares an emergency; shadow hits open nothing; a failing rule is
// counted and never blocks ingestion.
func TestHitsOpenJoinAndRaiseCases(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		tok := signalToken(t, w.a, "VN")
		burst := w.liveRule("Report burst", "report.filed", `signal.type == "report.filed" && count("report.filed", "1h") >= 2 && count("refund.requested", "24h") == 0`, "medium")
		shadow, err := w.a.CreateRule(ctx, app.SystemActor("test"), ruleInput("Shadow reports", "report.filed", `count("report.filed", "1h") >= 1`, "low", models.RuleShadow))
		if err != nil {
			t.Fatal(err)
		}
		broken := w.liveRule("Broken", "report.filed", `int(signal.attributes["reason"]) > 2`, "low")
		queue := vnReviewQueue(t, w.a)
		now := time.Now().UTC()
		res, err := w.a.IngestSignals(ctx, tok, []json.RawMessage{
			sig("r1", "report.filed", "live-1", now.Add(-3*time.Minute), `{"reason":"scam"}`),
			sig("r2", "report.filed", "live-1", now.Add(-2*time.Minute), `{"reason":"scam"}`),
			sig("r3", "report.filed", "live-1", now.Add(-1*time.Minute), `{"reason":"scam"}`),
		})
		if err != nil || res.Accepted != 3 || res.RuleHits != 2 || res.CasesOpened != 1 || res.CasesJoined != 1 || res.ShadowHits != 3 {
			t.Fatalf("ingest: %+v %v", res, err)
		}
		var cases []models.Case
		db.Gorm.Where("policy_code = ?", "fake_engagement").Find(&cases)
		if len(cases) != 1 || cases[0].Severity != "medium" || cases[0].Queue == nil || cases[0].PriorityBoost != 40 || cases[0].Status != models.StatusNew {
			t.Fatalf("cases: %+v", cases)
		}
		q, _ := models.FindQueue(ctx, db.Gorm, queue)
		if *cases[0].Queue != q.Name {
			t.Fatalf("routed to %q, want the VN default %q", *cases[0].Queue, q.Name)
		}
		d, err := w.a.GetCase(ctx, w.lead, cases[0].ID)
		if err != nil || len(d.Hits) != 2 || d.Hits[0].RuleID != burst.ID || d.Hits[0].Version != 1 {
			t.Fatalf("case hits: %+v %v", d.Hits, err)
		}
		vel := d.Hits[0].Values["velocity"].(map[string]any)
		if vel[`count("report.filed", "1h")`] != float64(2) {
			t.Fatalf("hit values: %+v", d.Hits[0].Values)
		}
		// The broken rule erred on every signal and was counted.
		br, _ := w.a.GetRule(ctx, w.lead, broken.ID)
		if br.Errors.Count != 3 || br.Errors.LastError == "" {
			t.Fatalf("broken rule errors: %+v", br.Errors)
		}
		// Shadow hits are recorded without a case.
		hits, err := w.a.ListRuleHits(ctx, w.lead, shadow.ID, "shadow", app.PageRequest{Limit: 50})
		if err != nil || len(hits.Items) != 3 || hits.Items[0].CaseID != nil {
			t.Fatalf("shadow hits: %+v %v", hits, err)
		}
		// Each hit keeps its own rule's velocity answers, none of another
		// rule evaluated on the same signal before it.
		for _, h := range hits.Items {
			if vel := h.Values["velocity"].(map[string]any); len(vel) != 1 || vel[`count("report.filed", "1h")`] == nil {
				t.Fatalf("shadow hit values: %+v", h.Values)
			}
		}
		if vel := d.Hits[0].Values["velocity"].(map[string]any); len(vel) != 2 || vel[`count("refund.requested", "24h")`] != float64(0) {
			t.Fatalf("live hit values: %+v", d.Hits[0].Values)
		}
		// A critical rule on the same subject and policy joins the case,
		// raises it and declares an emergency (a new version).
		w.liveRule("Critical", "payment.fraud", `signal.attributes["score"] > 0.9`, "critical")
		before := cases[0].Version
		res, err = w.a.IngestSignals(ctx, tok, []json.RawMessage{sig("f1", "payment.fraud", "live-1", now, `{"score":0.97}`)})
		if err != nil || res.CasesJoined != 1 {
			t.Fatalf("critical: %+v %v", res, err)
		}
		c, _ := models.FindCase(ctx, db.Gorm, cases[0].ID)
		if c.Severity != "critical" || !c.Emergency || c.Version <= before || !c.SLADueAt.Before(cases[0].SLADueAt) {
			t.Fatalf("raised case: %+v", c)
		}
		var emergencies int64
		db.Gorm.Model(&models.CaseEvent{}).Where("case_id = ? AND type = ?", c.ID, string(models.ActionEmergency)).Count(&emergencies)
		if emergencies != 1 {
			t.Fatalf("%d emergency events", emergencies)
		}
		// A retried batch triggers nothing twice.
		res, err = w.a.IngestSignals(ctx, tok, []json.RawMessage{sig("f1", "payment.fraud", "live-1", now, `{"score":0.97}`)})
		var hitRows int64
		db.Gorm.Model(&models.RuleHit{}).Count(&hitRows)
		if err != nil || res.Duplicates != 1 || res.RuleHits != 0 || hitRows != 2+3+1 {
			t.Fatalf("retry: %+v %v, %d hits stored", res, err, hitRows)
		}
		// A rule can route to its own queue; the case then shows only there.
		own, err := w.a.CreateQueue(ctx, app.SystemActor("test"), app.QueueInput{Name: "Livestream fraud VN", Kind: "review", Markets: []string{"VN"}})
		if err != nil {
			t.Fatal(err)
		}
		in := ruleInput("Routed", "gift.spike", `sum("gift.spike", "usd", "24h") > 100`, "high", models.RuleLive)
		in.Policy, in.QueueID, in.AutoTriage = "off_platform_transaction", &own.ID, true
		if _, err := w.a.CreateRule(ctx, app.SystemActor("test"), in); err != nil {
			t.Fatal(err)
		}
		if _, err := w.a.IngestSignals(ctx, tok, []json.RawMessage{sig("g1", "gift.spike", "live-2", now, `{"usd":150}`)}); err != nil {
			t.Fatal(err)
		}
		var routed models.Case
		db.Gorm.Where("policy_code = ?", "off_platform_transaction").Take(&routed)
		if routed.Queue == nil || *routed.Queue != own.Name || routed.Status != models.StatusTriaged {
			t.Fatalf("routed case: %+v", routed)
		}
		got, err := w.a.ClaimNextCase(ctx, w.rev, queue)
		if err == nil && got.ID == routed.ID {
			t.Fatal("a case routed to another queue was claimed from the market queue")
		}
		got, err = w.a.ClaimNextCase(ctx, w.rev, own.ID)
		if err != nil || got.ID != routed.ID {
			t.Fatalf("claim from the routed queue: %v %v", got.ID, err)
		}
	})
}

// Many hits on one subject at once, from concurrent batches, open exactly
// one case; every hit is attached to it.
func TestConcurrentHitsOpenOneCase(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		tok := signalToken(t, w.a, "VN")
		w.liveRule("Any report", "report.filed", `signal.type == "report.filed"`, "high")
		now := time.Now().UTC()
		const senders = 16
		var wg sync.WaitGroup
		for i := range senders {
			wg.Go(func() {
				res, err := w.a.IngestSignals(ctx, tok, []json.RawMessage{
					sig(fmt.Sprintf("c%d", i), "report.filed", "live-hot", now.Add(-time.Duration(i)*time.Second), `{}`)})
				if err != nil || res.RuleHits != 1 {
					t.Errorf("sender %d: %+v %v", i, res, err)
				}
			})
		}
		wg.Wait()
		var cases []models.Case
		db.Gorm.Where("policy_code = ?", "fake_engagement").Find(&cases)
		if len(cases) != 1 {
			t.Fatalf("%d cases opened, want 1", len(cases))
		}
		var attached, opened int64
		db.Gorm.Model(&models.RuleHit{}).Where("case_id = ?", cases[0].ID).Count(&attached)
		db.Gorm.Model(&models.RuleHit{}).Where("opened_case = ?", true).Count(&opened)
		if attached != senders || opened != 1 {
			t.Fatalf("%d hits attached, %d opened a case; want %d and 1", attached, opened, senders)
		}
	})
}

// A backtest over a constructed history finds exactly the known hits,
// and estimates precision from the subjects' past decisions: of the four
// decided subjects it hits, three were violations (75%).
func TestBacktestOnKnownData(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		tok := signalToken(t, w.a, "VN")
		analyst := w.user("analyst", "VN")
		now := time.Now().UTC().Truncate(time.Hour)
		day := func(d int) time.Time { return now.Add(-time.Duration(d) * 24 * time.Hour) }
		// Subjects s0..s5 get three reports within an hour (s0-s2 two days
		// ago, s3-s5 five days ago): the rule hits their third report. s6
		// and s7 get two: no hit.
		var batch []json.RawMessage
		for s := range 8 {
			reports := 3
			if s >= 6 {
				reports = 2
			}
			at := day(2)
			if s >= 3 {
				at = day(5)
			}
			for r := range reports {
				batch = append(batch, sig(fmt.Sprintf("bt-%d-%d", s, r), "report.filed", fmt.Sprintf("bt-%d", s), at.Add(time.Duration(r)*10*time.Minute), `{}`))
			}
		}
		if _, err := w.a.IngestSignals(ctx, tok, batch); err != nil {
			t.Fatal(err)
		}
		// Past decisions: s0, s1, s3 violations; s4 no violation; s6
		// (never hit) a violation that must not count.
		outcomes := map[int]string{0: "violation", 1: "violation", 3: "violation", 4: "no_violation", 6: "violation"}
		for s, outcome := range outcomes {
			var subj models.Subject
			db.Gorm.Where("external_id = ?", fmt.Sprintf("bt-%d", s)).Take(&subj)
			o := outcome
			resolved := day(10)
			c := models.Case{SubjectID: subj.ID, Market: "VN", PolicyCode: "fake_engagement", Severity: "high", Status: models.StatusResolved,
				Outcome: &o, ResolvedAt: &resolved, SLADueAt: resolved, CreatedBy: "test", CreatedAt: day(12), UpdatedAt: resolved, Version: 1}
			if err := db.Gorm.Create(&c).Error; err != nil {
				t.Fatal(err)
			}
		}
		r, err := w.a.CreateRule(ctx, analyst, ruleInput("Report burst", "report.filed", `count("report.filed", "1h") >= 3`, "high", models.RuleDraft))
		if err != nil {
			t.Fatal(err)
		}
		b, err := w.a.StartBacktest(ctx, analyst, r.ID, app.BacktestRequest{From: day(7), To: now})
		if err != nil || b.Status != app.BacktestQueued {
			t.Fatalf("start: %+v %v", b, err)
		}
		if ran, err := w.a.RunNextBacktest(ctx); !ran || err != nil {
			t.Fatalf("run: %v %v", ran, err)
		}
		b, err = w.a.GetBacktest(ctx, analyst, b.ID)
		if err != nil || b.Status != app.BacktestDone || b.Result == nil {
			t.Fatalf("result: %+v %v", b, err)
		}
		res := b.Result
		// One histogram day per UTC day the range [day(7), now) touches:
		// eight, or seven when now is midnight (the range then ends as
		// the eighth day begins).
		days := int((now.Sub(day(7).Truncate(24*time.Hour)) + 24*time.Hour - 1) / (24 * time.Hour))
		if res.SignalsScanned != 22 || res.Hits != 6 || res.Subjects != 6 || res.CasesWouldOpen != 6 || res.Decided != 4 || res.Violations != 3 ||
			res.Precision == nil || *res.Precision != 0.75 || len(res.Histogram) != days || len(res.Samples) != 6 {
			t.Fatalf("result %+v", res)
		}
		perDay := map[string]int{}
		for _, d := range res.Histogram {
			perDay[d.Day] = d.Hits
		}
		if perDay[day(2).Format(time.DateOnly)] != 3 || perDay[day(5).Format(time.DateOnly)] != 3 {
			t.Fatalf("histogram %+v", res.Histogram)
		}
		// An unsaved expression, capped at 5 signals: truncated.
		b, err = w.a.StartBacktest(ctx, analyst, r.ID, app.BacktestRequest{From: day(7), To: now, Expression: `count("report.filed", "1h") >= 2`, MaxSignals: 5})
		if err != nil {
			t.Fatal(err)
		}
		w.a.RunNextBacktest(ctx)
		b, _ = w.a.GetBacktest(ctx, analyst, b.ID)
		if b.Result == nil || !b.Result.Truncated || b.Result.SignalsScanned != 5 || b.Version != nil {
			t.Fatalf("capped: %+v", b)
		}
		// Cancelled before it runs: the worker skips it; cancelling again conflicts.
		b, _ = w.a.StartBacktest(ctx, analyst, r.ID, app.BacktestRequest{From: day(7), To: now})
		if _, err := w.a.CancelBacktest(ctx, analyst, b.ID); err != nil {
			t.Fatal(err)
		}
		if ran, _ := w.a.RunNextBacktest(ctx); ran {
			t.Fatal("a cancelled backtest ran")
		}
		if _, err := w.a.CancelBacktest(ctx, analyst, b.ID); code(err) != "backtest_finished" {
			t.Fatalf("second cancel: %v", err)
		}
		if _, err := w.a.StartBacktest(ctx, analyst, r.ID, app.BacktestRequest{From: now, To: day(1)}); code(err) != "invalid_backtest" {
			t.Fatalf("backwards window: %v", err)
		}
		if _, err := w.a.StartBacktest(ctx, w.lead, r.ID, app.BacktestRequest{From: day(7), To: now}); code(err) != "forbidden" {
			t.Fatalf("lead backtesting: %v", err)
		}
	})
}

// Quality: precision and time to decision come from the decided cases a
// rule's live hits reached.
func TestRuleQuality(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		tok := signalToken(t, w.a, "VN")
		r := w.liveRule("Any report", "report.filed", `signal.type == "report.filed"`, "high")
		now := time.Now().UTC()
		for i := range 4 {
			if _, err := w.a.IngestSignals(ctx, tok, []json.RawMessage{sig(fmt.Sprintf("q%d", i), "report.filed", fmt.Sprintf("q-%d", i), now.Add(-time.Hour), `{}`)}); err != nil {
				t.Fatal(err)
			}
		}
		var cases []models.Case
		db.Gorm.Where("policy_code = ?", "fake_engagement").Order("id").Find(&cases)
		for i, outcome := range []string{"violation", "violation", "no_violation"} {
			o := outcome
			at := now
			db.Gorm.Model(&models.Case{}).Where("id = ?", cases[i].ID).Updates(map[string]any{"status": models.StatusResolved, "outcome": o, "resolved_at": at})
		}
		got, err := w.a.GetRule(ctx, w.lead, r.ID)
		q := got.Quality
		if err != nil || q.Hits7d != 4 || q.CasesOpened != 4 || q.CasesDecided != 3 || q.Violations != 2 || q.Precision == nil ||
			fmt.Sprintf("%.3f", *q.Precision) != "0.667" || q.MedianHoursToDecision == nil || *q.MedianHoursToDecision != 1 {
			t.Fatalf("quality %+v %v", q, err)
		}
		if bv := got.ByVersion; len(bv) != 1 || bv[0].Hits != 4 || bv[0].CasesDecided != 3 || bv[0].HitsPerDay <= 0 ||
			bv[0].MedianHoursToDecision == nil || *bv[0].MedianHoursToDecision != 1 {
			t.Fatalf("by version %+v", got.ByVersion)
		}
		page, err := w.a.ListRules(ctx, w.lead, app.RuleFilter{Status: models.RuleLive}, app.PageRequest{Limit: 10})
		if err != nil || len(page.Items) != 1 || page.Items[0].Quality.CasesDecided != 3 {
			t.Fatalf("list: %+v %v", page, err)
		}
	})
}

// Velocity functions read the subject's signals of a type inside the
// window ending at the signal: count, the sum of a numeric attribute (other
// values count 0), distinct values.
func TestVelocityWindows(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		tok := signalToken(t, w.a, "VN")
		now := time.Now().UTC()
		var batch []json.RawMessage
		for i, attrs := range []string{`{"reporter":"a","usd":1.5}`, `{"reporter":"b","usd":2}`, `{"reporter":"a","usd":"x"}`, `{"reporter":"c","usd":3}`, `{"reporter":"d","usd":100}`} {
			at := now.Add(-time.Duration(i) * 10 * time.Minute)
			if i == 4 {
				at = now.Add(-3 * time.Hour) // outside the window
			}
			batch = append(batch, sig(fmt.Sprintf("v%d", i), "report.filed", "vel-1", at, attrs))
		}
		batch = append(batch, sig("other", "refund.requested", "vel-1", now, `{"reporter":"z","usd":7}`))
		if _, err := w.a.IngestSignals(ctx, tok, batch); err != nil {
			t.Fatal(err)
		}
		var subj models.Subject
		db.Gorm.Where("external_id = ?", "vel-1").Take(&subj)
		from := now.Add(-time.Hour)
		for fn, want := range map[string]float64{"count": 4, "sum": 6.5, "distinct": 3} {
			got, err := models.VelocityWindow(ctx, db.Gorm, fn, subj.ID, "report.filed", map[string]string{"count": "", "sum": "usd", "distinct": "reporter"}[fn], from, now)
			if err != nil || got != want {
				t.Errorf("%s: %v %v, want %v", fn, got, err, want)
			}
		}
	})
}

// A rule whose hits jump against its 7-day baseline raises one hit-spike
// alert a day, shown on the rule and sent to its author.
func TestRuleHitSpikeAlert(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		tok := signalToken(t, w.a, "VN")
		analyst, publisher := w.user("analyst", "VN"), w.lead
		in := ruleInput("Spiky", "report.filed", `signal.type == "report.filed"`, "low", models.RuleShadow)
		r, err := w.a.CreateRule(ctx, analyst, in)
		if err != nil {
			t.Fatal(err)
		}
		in.Status = models.RuleLive
		if _, err := w.a.UpdateRule(ctx, publisher, r.ID, r.Version, in); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		var batch []json.RawMessage
		for d := 1; d <= 7; d++ { // one hit a day for a week
			batch = append(batch, sig(fmt.Sprintf("base-%d", d), "report.filed", fmt.Sprintf("spk-%d", d), now.Add(-time.Duration(d)*24*time.Hour-time.Hour), `{}`))
		}
		if _, err := w.a.IngestSignals(ctx, tok, batch); err != nil {
			t.Fatal(err)
		}
		if n, err := w.a.CheckRuleAlerts(ctx); err != nil || n != 0 {
			t.Fatalf("no spike yet: %d %v", n, err)
		}
		batch = nil
		for i := range 12 { // then twelve in the last day
			batch = append(batch, sig(fmt.Sprintf("spike-%d", i), "report.filed", fmt.Sprintf("spk-x%d", i), now.Add(-time.Duration(i)*time.Minute), `{}`))
		}
		if _, err := w.a.IngestSignals(ctx, tok, batch); err != nil {
			t.Fatal(err)
		}
		for range 2 { // the second check finds the alert already raised today
			if _, err := w.a.CheckRuleAlerts(ctx); err != nil {
				t.Fatal(err)
			}
		}
		got, _ := w.a.GetRule(ctx, analyst, r.ID)
		if len(got.Quality.Alerts) != 1 || got.Quality.Alerts[0].Kind != "hit_spike" {
			t.Fatalf("alerts: %+v", got.Quality.Alerts)
		}
		var notes int64
		db.Gorm.Model(&models.Notification{}).Where("user_id = ? AND kind = ?", analyst.ID, "rule_alert").Count(&notes)
		if notes != 1 {
			t.Fatalf("%d notifications to the author", notes)
		}
	})
}

// Precision falling from the 30 days before to the last 7 raises an alert.
func TestRulePrecisionDropAlert(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		tok := signalToken(t, w.a, "VN")
		r := w.liveRule("Drifting", "report.filed", `signal.type == "report.filed"`, "low")
		now := time.Now().UTC()
		var batch []json.RawMessage
		for i := range 10 {
			batch = append(batch, sig(fmt.Sprintf("pd-%d", i), "report.filed", fmt.Sprintf("pd-%d", i), now.Add(-25*24*time.Hour), `{}`))
		}
		if _, err := w.a.IngestSignals(ctx, tok, batch); err != nil {
			t.Fatal(err)
		}
		var cases []models.Case
		db.Gorm.Where("policy_code = ?", "fake_engagement").Order("id").Find(&cases)
		for i, c := range cases {
			outcome, at := "violation", now.Add(-20*24*time.Hour) // right, back then
			if i >= 5 {
				outcome, at = "no_violation", now.Add(-2*24*time.Hour) // wrong, lately
			}
			db.Gorm.Model(&models.Case{}).Where("id = ?", c.ID).Updates(map[string]any{"status": models.StatusResolved, "outcome": outcome, "resolved_at": at})
		}
		if n, err := w.a.CheckRuleAlerts(ctx); err != nil || n != 1 {
			t.Fatalf("alerts raised: %d %v", n, err)
		}
		got, _ := w.a.GetRule(ctx, w.lead, r.ID)
		if len(got.Quality.Alerts) != 1 || got.Quality.Alerts[0].Kind != "precision_drop" {
			t.Fatalf("alerts: %+v", got.Quality.Alerts)
		}
	})
}

// Concurrent batches about the same subjects, in different orders, whose
// hits join the same cases under two policies, all succeed (no deadlock
// reaches a sender) and open one case per subject and policy.
func TestConcurrentBatchesJoiningCases(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		tok := signalToken(t, w.a, "VN")
		w.liveRule("All reports", "report.filed", `signal.type == "report.filed"`, "low")
		in := ruleInput("Reports, again", "report.filed", `count("report.filed", "1h") >= 1`, "medium", models.RuleLive)
		in.Policy = "off_platform_transaction"
		if _, err := w.a.CreateRule(ctx, app.SystemActor("test"), in); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		const senders, subjects = 8, 6
		var wg sync.WaitGroup
		for g := range senders {
			wg.Go(func() {
				var batch []json.RawMessage
				for k := range subjects {
					s := (k*(g+1) + g) % subjects // every sender its own order
					batch = append(batch, sig(fmt.Sprintf("j%d-%d", g, k), "report.filed", fmt.Sprintf("join-%d", s), now.Add(-time.Duration(g*subjects+k)*time.Second), `{}`))
				}
				if res, err := w.a.IngestSignals(ctx, tok, batch); err != nil || res.RuleHits != 2*subjects {
					t.Errorf("sender %d: %+v %v", g, res, err)
				}
			})
		}
		wg.Wait()
		var cases, hits int64
		db.Gorm.Model(&models.Case{}).Count(&cases)
		db.Gorm.Model(&models.RuleHit{}).Where("case_id IS NOT NULL").Count(&hits)
		if cases != 2*subjects || hits != 2*senders*subjects {
			t.Fatalf("%d cases, %d hits; want %d and %d", cases, hits, 2*subjects, 2*senders*subjects)
		}
	})
}

// Subject attributes are parsed only for rules that read them, and such
// rules see them whatever rules ran on the signal before them; rules that
// do not read them answer as before.
func TestRulesReadSubjectAttributesOnIngest(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		tok := signalToken(t, w.a, "VN")
		shadow := func(name, expr string) int64 {
			r, err := w.a.CreateRule(ctx, app.SystemActor("test"), ruleInput(name, "report.filed", expr, "low", models.RuleShadow))
			if err != nil {
				t.Fatal(err)
			}
			return r.ID
		}
		kind := shadow("Livestreams", `subject.kind == "livestream"`)
		category := shadow("Essentials", `subject.attributes.category == "essentials" && count("report.filed", "1h") >= 1`)
		followers := shadow("Big", `subject.followers >= 1000 && subject.kind == "livestream"`)
		item := func(id, subject, category string) json.RawMessage {
			return json.RawMessage(fmt.Sprintf(`{"source":"risk","source_id":%q,"type":"report.filed","occurred_at":%q,
				"subject":{"kind":"livestream","external_id":%q,"market":"VN","attributes":{"followers":5000,"category":%q}},"attributes":{}}`,
				id, time.Now().UTC().Add(-time.Minute).Format(time.RFC3339Nano), subject, category))
		}
		res, err := w.a.IngestSignals(ctx, tok, []json.RawMessage{item("a1", "ess-1", "essentials"), item("a2", "toy-1", "toys"),
			item("a3", "ess-1", "essentials"), item("a4", "toy-2", "toys")})
		if err != nil || res.Accepted != 4 || res.ShadowHits != 10 {
			t.Fatalf("ingest: %+v %v", res, err)
		}
		for id, want := range map[int64][]string{kind: {"ess-1", "ess-1", "toy-1", "toy-2"}, category: {"ess-1", "ess-1"},
			followers: {"ess-1", "ess-1", "toy-1", "toy-2"}} {
			hits, err := w.a.ListRuleHits(ctx, w.lead, id, "shadow", app.PageRequest{Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range hits.Items {
				got = append(got, h.Subject.ExternalID)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("rule %d hit %v, want %v", id, got, want)
			}
		}
	})
}

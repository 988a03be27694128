package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

// countsFixture inserts cases directly (setup only), one of every kind the
// queue counts tell apart.
type countsFixture struct {
	t   *testing.T
	db  *models.Database
	now time.Time
}

// add inserts an open case; due and atRisk are offsets from now.
func (f countsFixture) add(market, policy, severity string, status models.CaseStatus, assignee *int64, queue *string, emergency bool,
	due, atRisk time.Duration, age time.Duration) int64 {
	f.t.Helper()
	s := models.Subject{Kind: "listing", ExternalID: fmt.Sprintf("counts-%d", n.Add(1)), Market: market, DisplayName: "Listing",
		Attributes: "{}", CreatedAt: f.now, UpdatedAt: f.now}
	if err := f.db.Gorm.Create(&s).Error; err != nil {
		f.t.Fatal(err)
	}
	riskAt := f.now.Add(atRisk)
	c := models.Case{SubjectID: s.ID, Market: market, PolicyCode: policy, Severity: severity, Priority: 10, Status: status,
		AssigneeID: assignee, Queue: queue, Emergency: emergency, SLADueAt: f.now.Add(due), SLAAtRiskAt: &riskAt,
		CreatedBy: "system:test", CreatedAt: f.now.Add(-age), UpdatedAt: f.now, Version: 1}
	if status == models.StatusOnHold {
		from := models.StatusTriaged
		c.HoldFrom = &from
	}
	if err := f.db.Gorm.Create(&c).Error; err != nil {
		f.t.Fatal(err)
	}
	return c.ID
}

func strPtr(s string) *string { return &s }

func sameCounts(a, b models.QueueCounts) bool {
	return a.Total == b.Total && a.Unassigned == b.Unassigned && a.Breached == b.Breached && a.AtRisk == b.AtRisk &&
		(a.Oldest == nil) == (b.Oldest == nil) && (a.Oldest == nil || a.Oldest.Equal(*b.Oldest))
}

// checkAgainstLive compares every queue's counts from the rollup with a
// direct aggregate over the cases at the rollup's time, and returns the
// views by queue name.
func checkAgainstLive(t *testing.T, db *models.Database, views []app.QueueView) map[string]app.QueueView {
	t.Helper()
	out := map[string]app.QueueView{}
	for _, v := range views {
		if v.CountsAsOf == nil {
			t.Fatalf("queue %q: no counts_as_of", v.Name)
		}
		q, err := models.FindQueue(context.Background(), db.Gorm, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		live, err := models.CountQueueLive(context.Background(), db.Gorm, q, *v.CountsAsOf)
		if err != nil {
			t.Fatal(err)
		}
		if !sameCounts(v.Counts, live) {
			t.Errorf("queue %q: rollup %+v, live %+v", v.Name, v.Counts, live)
		}
		out[v.Name] = v
	}
	return out
}

// The rollup gives every queue the counts a direct aggregate over its
// cases gives, for a mix of statuses, assignment, emergencies, routing and
// SLA states; the counts stay as of their refresh until the next one,
// readers refresh a rollup left stale, and new or redefined queues count
// right away.
func TestQueueCountsFromRollup(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w, clk := clockedWorld(t, db, time.Now().UTC().Truncate(time.Second))
		ctx := context.Background()
		sys := app.SystemActor("test")
		custom, err := w.a.CreateQueue(ctx, sys, app.QueueInput{Name: "VN counterfeit", Kind: "review", Markets: []string{"VN"},
			Policies: []string{"counterfeit"}, Severities: []string{"high", "critical"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.a.CreateQueue(ctx, sys, app.QueueInput{Name: "SEA emergencies", Kind: "escalation", Markets: []string{"VN", "TH"},
			EmergencyOnly: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.a.CreateQueue(ctx, sys, app.QueueInput{Name: "VN TH review", Kind: "review", Markets: []string{"TH", "VN"},
			Severities: []string{"medium"}}); err != nil {
			t.Fatal(err)
		}

		f := countsFixture{t: t, db: db, now: clk.Now()}
		rev := w.rev.ID
		day, hour := 24*time.Hour, time.Hour
		// Not yet at risk, at risk, breached; assigned and not.
		f.add("VN", "counterfeit", "high", models.StatusTriaged, nil, nil, false, day, 20*hour, hour)
		f.add("VN", "counterfeit", "high", models.StatusTriaged, nil, nil, false, hour, -hour, 2*hour)
		f.add("VN", "counterfeit", "critical", models.StatusTriaged, nil, nil, false, -hour, -2*hour, 3*day)
		claimed := f.add("VN", "counterfeit", "high", models.StatusInReview, &rev, nil, false, day, 20*hour, hour)
		f.add("VN", "ip_infringement", "medium", models.StatusOnHold, nil, nil, false, -hour, -2*hour, 5*day)
		// Routed: to the custom queue, and to another queue it is hidden from.
		f.add("VN", "counterfeit", "high", models.StatusTriaged, nil, strPtr("VN counterfeit"), false, day, 20*hour, hour)
		routedAway := f.add("VN", "counterfeit", "high", models.StatusTriaged, nil, strPtr("Vietnam review"), false, day, 20*hour, hour)
		// Escalated, one an emergency; Thailand.
		f.add("VN", "dangerous_goods", "critical", models.StatusEscalated, nil, nil, true, -hour, -2*hour, 2*day)
		f.add("VN", "counterfeit", "high", models.StatusEscalated, &rev, nil, false, hour, -hour, day)
		f.add("TH", "counterfeit", "medium", models.StatusTriaged, nil, nil, false, day, 20*hour, 4*day)
		f.add("TH", "minor_safety", "critical", models.StatusEscalated, nil, nil, true, hour, -hour, hour)
		// Not in any queue: new, awaiting approval, resolved.
		f.add("VN", "counterfeit", "high", models.StatusNew, nil, nil, false, -hour, -2*hour, 9*day)
		f.add("VN", "counterfeit", "high", models.StatusAwaitingApproval, &rev, nil, false, day, 20*hour, hour)
		f.add("VN", "counterfeit", "high", models.StatusResolved, nil, nil, false, -hour, -2*hour, 9*day)

		// Created before any refresh: zero counts, never computed.
		if custom.CountsAsOf != nil || custom.Counts.Total != 0 {
			t.Fatalf("queue created before any refresh: %+v as of %v", custom.Counts, custom.CountsAsOf)
		}
		// The first read finds no rollup and computes it.
		qs, err := w.a.ListQueues(ctx, sys)
		if err != nil {
			t.Fatal(err)
		}
		byName := checkAgainstLive(t, db, qs)
		if asOf := byName["Vietnam review"].CountsAsOf; !asOf.Equal(clk.Now()) {
			t.Fatalf("counts as of %v, want now %v", asOf, clk.Now())
		}
		// The fixture is not vacuous: it tells every figure apart.
		if c := byName["Vietnam review"].Counts; c.Total != 6 || c.Unassigned != 5 || c.Breached != 2 || c.AtRisk != 1 {
			t.Fatalf("Vietnam review: %+v", c)
		}
		if c := byName["VN counterfeit"].Counts; c.Total != 5 || c.Unassigned != 4 {
			t.Fatalf("VN counterfeit: %+v", c)
		}
		if c := byName["SEA emergencies"].Counts; c.Total != 2 || c.Breached != 1 || c.AtRisk != 1 {
			t.Fatalf("SEA emergencies: %+v", c)
		}
		if c := byName["Vietnam escalations"].Counts; c.Total != 2 || c.Unassigned != 1 {
			t.Fatalf("Vietnam escalations: %+v", c)
		}
		before := byName["Vietnam review"].Counts

		// Cases change; until the next refresh the counts are those of the
		// last one, and say so.
		clk.Advance(2 * time.Second)
		if err := db.Gorm.Model(&models.Case{}).Where("id = ?", claimed).Updates(map[string]any{"status": models.StatusResolved, "assignee_id": nil}).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm.Model(&models.Case{}).Where("id = ?", routedAway).Update("queue", nil).Error; err != nil {
			t.Fatal(err)
		}
		f.now = clk.Now()
		f.add("VN", "counterfeit", "low", models.StatusTriaged, nil, nil, false, day, 20*hour, 0)
		qs, _ = w.a.ListQueues(ctx, sys)
		stale := map[string]app.QueueView{}
		for _, q := range qs {
			stale[q.Name] = q
		}
		if v := stale["Vietnam review"]; !sameCounts(v.Counts, before) || !v.CountsAsOf.Equal(clk.Now().Add(-2*time.Second)) {
			t.Fatalf("before the next refresh: %+v as of %v, want %+v as of the last refresh", v.Counts, v.CountsAsOf, before)
		}

		// After a refresh they match the cases again (and moved).
		clk.Advance(time.Hour) // the at-risk case is now breached
		if ok, err := w.a.RefreshQueueCounts(ctx); err != nil || !ok {
			t.Fatalf("refresh: %v %v", ok, err)
		}
		qs, _ = w.a.ListQueues(ctx, sys)
		byName = checkAgainstLive(t, db, qs)
		if c := byName["Vietnam review"].Counts; c.Total != 6 || c.Unassigned != 6 || c.Breached != 3 || c.AtRisk != 0 {
			t.Fatalf("Vietnam review after changes: %+v (before %+v)", c, before)
		}

		// A redefined queue counts right away, from the same rollup.
		v, err := w.a.UpdateQueue(ctx, sys, custom.ID, app.QueueInput{Name: "VN counterfeit", Kind: "review", Markets: []string{"VN"},
			Policies: []string{"counterfeit"}, Version: custom.Version})
		if err != nil {
			t.Fatal(err)
		}
		checkAgainstLive(t, db, []app.QueueView{v})
		if v.Counts.Total != 6 { // the low severity case joins
			t.Fatalf("redefined queue: %+v", v.Counts)
		}
		// So does the list, which summed the old definition over the same
		// reading of the rollup just before.
		qs, _ = w.a.ListQueues(ctx, sys)
		if c := checkAgainstLive(t, db, qs)["VN counterfeit"].Counts; c.Total != 6 {
			t.Fatalf("redefined queue in the list: %+v", c)
		}

		// A rollup left stale (no leader refreshing it) is refreshed by the
		// next reader.
		f.now = clk.Now()
		f.add("VN", "counterfeit", "medium", models.StatusTriaged, nil, nil, false, day, 20*hour, 0)
		// Far past twice the default 5 s interval (or ten times a slow
		// refresh's duration, whichever is longer).
		clk.Advance(time.Hour)
		qs, _ = w.a.ListQueues(ctx, sys)
		byName = checkAgainstLive(t, db, qs)
		if v := byName["Vietnam review"]; !v.CountsAsOf.Equal(clk.Now()) || v.Counts.Total != 7 {
			t.Fatalf("stale rollup not refreshed by the reader: %+v as of %v (now %v)", v.Counts, v.CountsAsOf, clk.Now())
		}
	})
}

// Refreshes racing each other (the leader and readers of several
// servers) never double the rollup.
func TestQueueCountsConcurrentRefresh(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		seedTriaged(t, db, 300)
		errs := make(chan error, 8)
		for range 8 {
			go func() {
				_, err := w.a.RefreshQueueCounts(ctx)
				errs <- err
			}()
		}
		for range 8 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		qs, err := w.a.ListQueues(ctx, app.SystemActor("test"))
		if err != nil {
			t.Fatal(err)
		}
		byName := checkAgainstLive(t, db, qs)
		if c := byName["Vietnam review"].Counts; c.Total != 300 || c.Unassigned != 300 {
			t.Fatalf("Vietnam review: %+v", c)
		}
	})
}

package app_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/migrations"
	"github.com/docket-tns/docket/models"
)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func appWithClock(t *testing.T, db *models.Database, c *clock) *app.App {
	m, _ := migrations.New(db.SQL, string(db.Dialect))
	a, err := app.New(app.Deps{DB: db, Schema: m, Auth: cheap, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// clockedWorld is newWorld with its app on a clock the test moves,
// starting at now.
func clockedWorld(t *testing.T, db *models.Database, now time.Time) (*world, *clock) {
	clk := &clock{now: now}
	w := newWorld(t, db)
	w.a = appWithClock(t, db, clk)
	return w, clk
}

func TestLeaseExpiryAndHoldPause(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w, clk := clockedWorld(t, db, time.Now().UTC())
		ctx := context.Background()
		c := w.newCase("VN", "counterfeit") // high: 24 h SLA
		d := w.must(w.lead, c.ID, models.ActionTriage, app.CaseActionInput{Version: 1})
		d = w.must(w.rev, c.ID, models.ActionClaim, app.CaseActionInput{Version: d.Version})
		clk.Advance(10 * time.Minute)
		if res, err := w.a.Sweep(ctx); err != nil || res.LeasesExpired != 0 {
			t.Fatalf("lease still running: %+v %v", res, err)
		}
		clk.Advance(6 * time.Minute)
		res, err := w.a.Sweep(ctx)
		if err != nil || res.LeasesExpired != 1 {
			t.Fatalf("expired lease: %+v %v", res, err)
		}
		got, _ := w.a.GetCase(ctx, w.lead, c.ID)
		if got.Status != models.StatusTriaged || got.Assignee != nil {
			t.Fatalf("after expiry: %s %+v", got.Status, got.Assignee)
		}
		// Hold pauses the clock: 30 h on hold do not count.
		due := got.SLADueAt
		d = w.must(w.lead, c.ID, models.ActionHold, app.CaseActionInput{Version: got.Version, Reason: "waiting for the brand"})
		clk.Advance(30 * time.Hour)
		if res, _ := w.a.Sweep(ctx); res.Breaches != 0 {
			t.Fatal("a held case breached")
		}
		if held, _ := w.a.GetCase(ctx, w.lead, c.ID); held.SLABreached {
			t.Fatal("a held case shows as breached while its clock is paused")
		}
		d = w.must(w.lead, c.ID, models.ActionResume, app.CaseActionInput{Version: d.Version})
		if !d.SLADueAt.Equal(due.Add(30 * time.Hour)) {
			t.Fatalf("due %v, want %v (paused 30 h)", d.SLADueAt, due.Add(30*time.Hour))
		}
	})
}

// A breach is escalated exactly once, with two sweepers racing.
func TestBreachEscalatesOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w, clk := clockedWorld(t, db, time.Now().UTC())
		other := appWithClock(t, db, clk)
		ctx := context.Background()
		var ids []int64
		for range 10 {
			c := w.newCase("VN", "minor_safety") // critical: 4 h
			ids = append(ids, c.ID)
		}
		clk.Advance(5 * time.Hour)
		var wg sync.WaitGroup
		total := make([]int, 2)
		for i, sw := range []*app.App{w.a, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 3 {
					res, err := sw.Sweep(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					total[i] += res.Breaches
				}
			}()
		}
		wg.Wait()
		if total[0]+total[1] != len(ids) {
			t.Fatalf("sweepers escalated %d + %d, want %d in all", total[0], total[1], len(ids))
		}
		for _, id := range ids {
			d, err := w.a.GetCase(ctx, w.lead, id)
			if err != nil || d.Status != models.StatusEscalated || d.EscalationReason == nil || *d.EscalationReason != "sla_breach" {
				t.Fatalf("case %d: %s %v", id, d.Status, err)
			}
		}
		var audits int64
		mustSeal(t, w.a)
		db.Gorm.Model(&models.AuditEntry{}).Where("action = ?", "case.escalate").Count(&audits)
		if audits != int64(len(ids)) {
			t.Fatalf("%d escalation audit entries, want %d", audits, len(ids))
		}
		// De-escalating does not re-trigger it.
		d, _ := w.a.GetCase(ctx, w.lead, ids[0])
		w.must(w.lead, ids[0], models.ActionDeescalate, app.CaseActionInput{Version: d.Version})
		if res, _ := w.a.Sweep(ctx); res.Breaches != 0 {
			t.Fatal("a de-escalated breach was escalated again")
		}
	})
}

func TestLeaderElection(t *testing.T) {
	db := testdb.Postgres(t)
	ctx := context.Background()
	one, two := app.NewLeader(db), app.NewLeader(db)
	defer one.Release()
	defer two.Release()
	if ok, err := one.Acquire(ctx); !ok || err != nil {
		t.Fatalf("first: %v %v", ok, err)
	}
	if ok, err := two.Acquire(ctx); ok || err != nil {
		t.Fatalf("second while the first leads: %v %v", ok, err)
	}
	if ok, _ := one.Acquire(ctx); !ok {
		t.Fatal("the leader lost its lead")
	}
	one.Release()
	if ok, err := two.Acquire(ctx); !ok || err != nil {
		t.Fatalf("second after the first let go: %v %v", ok, err)
	}
	sq := app.NewLeader(testdb.SQLite(t))
	if ok, _ := sq.Acquire(ctx); !ok {
		t.Fatal("SQLite's single server always leads")
	}
}

// As a deadline approaches the sweeper raises the stored priority (which
// claim-next orders by) in steps, without bumping the case's version;
// held cases wait.
func TestPriorityRisesAsDeadlinesApproach(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w, clk := clockedWorld(t, db, time.Now().UTC())
		ctx := context.Background()
		c := w.newCase("VN", "counterfeit") // high: 24 h
		held := w.newCase("VN", "counterfeit")
		d := w.must(w.lead, held.ID, models.ActionTriage, app.CaseActionInput{Version: held.Version})
		w.must(w.lead, held.ID, models.ActionHold, app.CaseActionInput{Version: d.Version, Reason: "waiting for documents"})
		priority := func(id int64) (float64, int) {
			got, err := models.FindCase(ctx, db.Gorm, id)
			if err != nil {
				t.Fatal(err)
			}
			return got.Priority, got.Version
		}
		p0, v0 := priority(c.ID)
		h0, _ := priority(held.ID)
		if res, err := w.a.Sweep(ctx); err != nil || res.Reprioritised != 0 {
			t.Fatalf("nothing is stale yet: %+v %v", res, err)
		}
		clk.Advance(12*time.Hour + time.Minute) // half the SLA used
		res, err := w.a.Sweep(ctx)
		if err != nil || res.Reprioritised != 1 {
			t.Fatalf("sweep: %+v %v", res, err)
		}
		p1, v1 := priority(c.ID)
		if p1-p0 < 99 || p1-p0 > 102 || v1 != v0 {
			t.Fatalf("priority %v -> %v (want about +100 for half the SLA), version %d -> %d", p0, p1, v0, v1)
		}
		if h1, _ := priority(held.ID); h1 != h0 {
			t.Fatalf("a held case's priority moved: %v -> %v", h0, h1)
		}
		if res, _ := w.a.Sweep(ctx); res.Reprioritised != 0 {
			t.Fatal("refreshed twice within one step")
		}
	})
}

// The priority refresh never waits for a case another transaction holds
// (a reviewer mid-claim): it refreshes the others and that one on a later
// sweep. PostgreSQL only: SQLite has one writer at a time anyway.
func TestPriorityRefreshSkipsLockedCases(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		if db.Dialect != models.Postgres {
			return
		}
		w, clk := clockedWorld(t, db, time.Now().UTC())
		ctx := context.Background()
		free, busy := w.newCase("VN", "counterfeit"), w.newCase("VN", "counterfeit")
		clk.Advance(12*time.Hour + time.Minute)

		holder := db.Gorm.Begin()
		defer holder.Rollback()
		if err := holder.Exec("SELECT id FROM cases WHERE id = ? FOR UPDATE", busy.ID).Error; err != nil {
			t.Fatal(err)
		}
		sweepCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		res, err := w.a.Sweep(sweepCtx)
		if err != nil || res.Reprioritised != 1 {
			t.Fatalf("sweep beside a held case: %+v %v (it must not wait for the held row)", res, err)
		}
		refreshed := func(id int64) bool {
			c, err := models.FindCase(ctx, db.Gorm, id)
			if err != nil {
				t.Fatal(err)
			}
			return c.PriorityRefreshAt != nil && c.PriorityRefreshAt.After(clk.Now())
		}
		if !refreshed(free.ID) || refreshed(busy.ID) {
			t.Fatalf("after the first sweep: free refreshed %v, held refreshed %v", refreshed(free.ID), refreshed(busy.ID))
		}
		holder.Rollback()
		if res, err := w.a.Sweep(ctx); err != nil || res.Reprioritised != 1 || !refreshed(busy.ID) {
			t.Fatalf("the next sweep refreshes the case once it is free: %+v %v", res, err)
		}
	})
}

// One sweep refreshes a batch of cases (their subjects read in one query,
// their priorities written in one statement on PostgreSQL) to exactly what
// each case's own computation gives (reach from its own subject), without
// touching versions.
func TestPriorityRefreshBatchMatchesEachCase(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w, clk := clockedWorld(t, db, time.Now().UTC())
		ctx := context.Background()
		versions := map[int64]int{}
		for i := range 30 {
			c, err := w.a.CreateCase(ctx, w.lead, app.NewCase{Subject: app.SubjectInput{Kind: "seller",
				ExternalID: fmt.Sprintf("reach-%d-%d", i, n.Add(1)), Market: "VN", DisplayName: "Shop",
				Attributes: map[string]any{"followers": i * i * 1000, "gmv_usd": (30 - i) * 5000}},
				Policy: models2(i), Severity: "high"})
			if err != nil {
				t.Fatal(err)
			}
			versions[c.ID] = c.Version
		}
		clk.Advance(12*time.Hour + time.Minute)
		res, err := w.a.Sweep(ctx)
		if err != nil || res.Reprioritised != 30 {
			t.Fatalf("sweep: %+v %v", res, err)
		}
		now := clk.Now()
		distinct := map[float64]bool{}
		for id, v := range versions {
			c, err := models.FindCase(ctx, db.Gorm, id)
			if err != nil {
				t.Fatal(err)
			}
			s, err := models.FindSubject(ctx, db.Gorm, c.SubjectID)
			if err != nil {
				t.Fatal(err)
			}
			p, err := models.FindPolicy(ctx, db.Gorm, c.PolicyCode)
			if err != nil {
				t.Fatal(err)
			}
			want := models.Priority(c.Severity, s.Followers, s.GMVUSD, c.SLADueAt, now, p.SLA(c.Severity), c.Emergency) + float64(c.PriorityBoost)
			next := models.NextPriorityRefresh(c.SLADueAt, now, p.SLA(c.Severity))
			if c.Priority != want || c.Version != v || next == nil || c.PriorityRefreshAt == nil ||
				!c.PriorityRefreshAt.Equal(next.Truncate(time.Microsecond)) {
				t.Fatalf("case %d: priority %v (want %v), version %d (was %d), next refresh %v (want %v)",
					id, c.Priority, want, c.Version, v, c.PriorityRefreshAt, next)
			}
			distinct[c.Priority] = true
		}
		if len(distinct) < 20 {
			t.Fatalf("only %d distinct priorities: reach did not vary", len(distinct))
		}
	})
}

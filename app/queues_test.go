package app_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

func vnReviewQueue(t testing.TB, a *app.App) int64 {
	qs, err := a.ListQueues(context.Background(), app.SystemActor("test"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if q.Name == "Vietnam review" {
			return q.ID
		}
	}
	t.Fatal("no Vietnam review queue")
	return 0
}

// seedTriaged inserts n triaged, unassigned VN cases directly (setup only).
func seedTriaged(t testing.TB, db *models.Database, n int) {
	t.Helper()
	now := time.Now().UTC()
	const batch = 500
	for start := 0; start < n; start += batch {
		subs := make([]models.Subject, 0, batch)
		for i := start; i < min(start+batch, n); i++ {
			subs = append(subs, models.Subject{Kind: "listing", ExternalID: fmt.Sprintf("load-%d", i), Market: "VN", DisplayName: "Listing",
				Attributes: "{}", CreatedAt: now, UpdatedAt: now})
		}
		if err := db.Gorm.CreateInBatches(&subs, batch).Error; err != nil {
			t.Fatal(err)
		}
		cases := make([]models.Case, 0, len(subs))
		for i, s := range subs {
			cases = append(cases, models.Case{SubjectID: s.ID, Market: "VN", PolicyCode: "counterfeit", Severity: "medium",
				Priority: float64((start + i) % 997), Status: models.StatusTriaged, SLADueAt: now.Add(72 * time.Hour),
				CreatedBy: "system:test", CreatedAt: now, UpdatedAt: now, Version: 1})
		}
		if err := db.Gorm.CreateInBatches(&cases, batch).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// 64 claimers drain a queue of 20,000 cases on both databases (under -race
// in make test), through both claim paths on PostgreSQL: each case is
// claimed exactly once, by the reviewer it ends up assigned to.
func TestConcurrentClaims(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		const total, workers = 20000, 64
		seedTriaged(t, db, total)
		queue := vnReviewQueue(t, w.a)
		reviewers := []app.Actor{w.rev}
		for i := range 7 {
			u, err := w.a.CreateUser(ctx, app.SystemActor("test"), app.NewUser{Email: fmt.Sprintf("claimer%d-%d@example.test", i, n.Add(1)),
				Name: "Claimer", Password: "a-long-enough-pass", Grants: []models.Grant{{Role: "reviewer", Market: "VN"}}})
			if err != nil {
				t.Fatal(err)
			}
			reviewers = append(reviewers, app.Actor{Kind: app.ActorUser, ID: u.ID, Label: u.Email})
		}
		var mu sync.Mutex
		claimedBy := map[int64]int64{}
		dupes := 0
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		// Half the claimers come signed in, as requests do: on PostgreSQL
		// they claim through the one-statement path, side by side with the
		// general path's transactions.
		signed := make([]app.Actor, len(reviewers))
		for i, r := range reviewers {
			signed[i] = signedIn(t, w.a, r)
		}
		for g := range workers {
			who := reviewers[g%len(reviewers)]
			if g%2 == 1 {
				who = signed[g%len(reviewers)]
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					id, _, err := w.a.ClaimNext(ctx, who, queue)
					if code(err) == "queue_empty" {
						return
					}
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					if _, seen := claimedBy[id]; seen {
						dupes++
					}
					claimedBy[id] = who.ID
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("claim failed: %v", err)
		}
		if dupes != 0 || len(claimedBy) != total {
			t.Fatalf("%d cases claimed, %d twice; want %d once each", len(claimedBy), dupes, total)
		}
		var rows []models.Case
		if err := db.Gorm.Select("id, assignee_id, status, version").Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		for _, c := range rows {
			if c.Status != models.StatusInReview || c.AssigneeID == nil || *c.AssigneeID != claimedBy[c.ID] || c.Version != 2 {
				t.Fatalf("case %d: status %s assignee %v version %d, claimed by %d", c.ID, c.Status, c.AssigneeID, c.Version, claimedBy[c.ID])
			}
		}
		if _, _, err := w.a.ClaimNext(ctx, w.rev, queue); code(err) != "queue_empty" {
			t.Fatalf("drained queue: %v", err)
		}
	})
}

func TestClaimRules(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		queue := vnReviewQueue(t, w.a)
		low := w.newCase("VN", "ip_infringement")
		high := w.newCase("VN", "dangerous_goods")
		for _, c := range []app.CaseDetail{low, high} {
			w.must(w.lead, c.ID, models.ActionTriage, app.CaseActionInput{Version: 1})
		}
		// Most urgent first.
		d, err := w.a.ClaimNextCase(ctx, w.rev, queue)
		if err != nil || d.ID != high.ID || d.Status != models.StatusInReview || d.ClaimExpiresAt == nil {
			t.Fatalf("first claim: %d %v (want the critical case %d)", d.ID, err, high.ID)
		}
		// Renew extends the lease; only the holder may.
		before := *d.ClaimExpiresAt
		if _, err := w.act(w.lead2, d.ID, models.ActionRenew, app.CaseActionInput{Version: d.Version}); code(err) != "not_assignee" {
			t.Fatalf("renew by someone else: %v", err)
		}
		d2 := w.must(w.rev, d.ID, models.ActionRenew, app.CaseActionInput{Version: d.Version})
		if !d2.ClaimExpiresAt.After(before) && !d2.ClaimExpiresAt.Equal(before) {
			t.Fatalf("renewed lease %v not after %v", d2.ClaimExpiresAt, before)
		}
		// A reviewer of another market cannot claim from the VN queue.
		if _, err := w.a.ClaimNextCase(ctx, w.thRev, queue); code(err) != "queue_not_found" {
			t.Fatalf("TH reviewer on the VN queue: %v", err)
		}
		// An auditor sees the queue but may not claim.
		if _, err := w.a.ClaimNextCase(ctx, w.auditor, queue); code(err) != "forbidden" {
			t.Fatalf("auditor claiming: %v", err)
		}
		// Never a second look at one's own decision: an appeal of a case the
		// reviewer decided is not offered to them.
		w.must(w.rev, low.ID, models.ActionClaim, app.CaseActionInput{Version: 2})
		cur, _ := models.FindCase(ctx, db.Gorm, low.ID)
		w.must(w.rev, low.ID, models.ActionResolve, app.CaseActionInput{Version: cur.Version, Decision: &app.DecisionInput{Outcome: "no_violation", Actions: []string{}, Rationale: "Own designs."}})
		appeal := w.newCase("VN", "ip_infringement")
		if _, err := w.a.LinkCases(ctx, w.lead, appeal.ID, low.ID, "appeal_of"); err != nil {
			t.Fatal(err)
		}
		w.must(w.lead, appeal.ID, models.ActionTriage, app.CaseActionInput{Version: 1})
		if _, err := w.a.ClaimNextCase(ctx, w.rev, queue); code(err) != "queue_empty" {
			t.Fatalf("the decider was offered the appeal of their own decision: %v", err)
		}
		if got, err := w.a.ClaimNextCase(ctx, w.lead2, queue); err != nil || got.ID != appeal.ID {
			t.Fatalf("another reviewer gets the appeal: %v %v", got.ID, err)
		}
		// Counts (from the rollup, refreshed here rather than waiting).
		if _, err := w.a.RefreshQueueCounts(ctx); err != nil {
			t.Fatal(err)
		}
		qs, _ := w.a.ListQueues(ctx, w.lead)
		for _, q := range qs {
			if q.ID == queue && (q.Counts.Total != 2 || q.Counts.Unassigned != 0) {
				t.Fatalf("VN review counts: %+v", q.Counts)
			}
		}
		// Escalation queues are not claimed from.
		var esc int64
		for _, q := range qs {
			if q.Name == "Vietnam escalations" {
				esc = q.ID
			}
		}
		if _, err := w.a.ClaimNextCase(ctx, w.rev, esc); code(err) != "not_claimable_queue" {
			t.Fatalf("escalation queue: %v", err)
		}
	})
}

func TestReviewerAvailability(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		c := w.newCase("VN", "counterfeit")
		w.must(w.lead, c.ID, models.ActionAssign, app.CaseActionInput{Version: 1, AssigneeID: &w.rev.ID})
		if err := w.a.SetAvailability(ctx, w.rev, false); err != nil {
			t.Fatal(err)
		}
		rs, err := w.a.ListReviewers(ctx, w.lead, "VN")
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range rs {
			if r.ID == w.thRev.ID || r.ID == w.auditor.ID {
				t.Fatalf("%s cannot take VN cases but is listed", r.Email)
			}
			if r.ID == w.rev.ID {
				found = true
				if r.Available || r.OpenCases != 1 {
					t.Fatalf("reviewer: %+v, want unavailable with 1 open case", r)
				}
			}
		}
		if !found {
			t.Fatal("the VN reviewer is missing")
		}
		if _, err := w.a.ListReviewers(ctx, w.rev, "VN"); code(err) != "forbidden" {
			t.Fatalf("a reviewer listing reviewers: %v", err)
		}
		if _, err := w.a.ListReviewers(ctx, w.lead, "XX"); code(err) != "unknown_market" {
			t.Fatalf("unknown market: %v", err)
		}
	})
}

// A lead de-escalates to the queue, or straight to a named reviewer (who
// must be able to work the market).
func TestDeescalateToQueueOrPerson(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		escalated := func() app.CaseDetail {
			c := w.newCase("VN", "counterfeit")
			d := w.must(w.lead, c.ID, models.ActionTriage, app.CaseActionInput{Version: 1})
			d = w.must(w.rev, c.ID, models.ActionClaim, app.CaseActionInput{Version: d.Version})
			return w.must(w.rev, c.ID, models.ActionEscalate, app.CaseActionInput{Version: d.Version, Reason: "brand dispute"})
		}
		c := escalated()
		d := w.must(w.lead, c.ID, models.ActionDeescalate, app.CaseActionInput{Version: c.Version})
		if d.Status != models.StatusTriaged || d.Assignee != nil {
			t.Fatalf("to the queue: %s %+v", d.Status, d.Assignee)
		}
		c = escalated()
		if _, err := w.act(w.lead, c.ID, models.ActionDeescalate, app.CaseActionInput{Version: c.Version, AssigneeID: &w.thRev.ID}); code(err) != "invalid_assignee" {
			t.Fatalf("to a TH reviewer: %v", err)
		}
		if got, _ := w.a.GetCase(ctx, w.lead, c.ID); got.Status != models.StatusEscalated || got.Version != c.Version {
			t.Fatalf("a refused hand-over changed the case: %s v%d", got.Status, got.Version)
		}
		d = w.must(w.lead, c.ID, models.ActionDeescalate, app.CaseActionInput{Version: c.Version, AssigneeID: &w.rev.ID})
		if d.Status != models.StatusInReview || d.Assignee == nil || d.Assignee.ID != w.rev.ID || d.Version != c.Version+2 {
			t.Fatalf("to a person: %s %+v v%d", d.Status, d.Assignee, d.Version)
		}
	})
}

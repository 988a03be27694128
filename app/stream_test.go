package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

// An event raised through one server instance reaches a stream held on
// another instance of the same database, limited to the follower's markets,
// and a reconnect with the last id replays what was missed.
func TestStreamAcrossInstances(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		other := newApp(t, db) // a second server on the same database
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		got := make(chan app.StreamEvent, 100)
		ready := make(chan struct{})
		go func() {
			_ = other.StreamEvents(ctx, w.rev, 0, func() error { close(ready); return nil }, func(e app.StreamEvent) error {
				got <- e
				return nil
			})
		}()
		<-ready
		th := newThLead(t, w)
		thCase, err := w.a.CreateCase(ctx, th, app.NewCase{Subject: app.SubjectInput{Kind: "seller", ExternalID: "th-x", Market: "TH"}, Policy: "counterfeit"})
		if err != nil {
			t.Fatal(err)
		}
		c := w.newCase("VN", "counterfeit")
		w.must(w.lead, c.ID, models.ActionAssign, app.CaseActionInput{Version: 1, AssigneeID: &w.rev.ID})
		var seen []app.StreamEvent
		timeout := time.After(10 * time.Second)
		for len(seen) < 3 {
			select {
			case e := <-got:
				seen = append(seen, e)
			case <-timeout:
				t.Fatalf("events seen: %+v", seen)
			}
		}
		for _, e := range seen {
			if e.Data["market"] != "VN" || e.Data["case_id"] == float64(thCase.ID) {
				t.Fatalf("a VN reviewer got %+v", e)
			}
		}
		if seen[0].Type != "case.updated" || seen[1].Type != "case.updated" || seen[2].Type != "case.assigned" {
			t.Fatalf("types %s %s %s", seen[0].Type, seen[1].Type, seen[2].Type)
		}
		// Replay: from the first event's id, the rest come again.
		replay := make(chan app.StreamEvent, 10)
		rctx, rcancel := context.WithCancel(ctx)
		go func() {
			_ = w.a.StreamEvents(rctx, w.rev, seen[0].ID, func() error { return nil }, func(e app.StreamEvent) error { replay <- e; return nil })
		}()
		first := <-replay
		rcancel()
		if first.ID != seen[1].ID {
			t.Fatalf("replay started at %d, want %d", first.ID, seen[1].ID)
		}
		// Another lead does not get the reviewer's assignment notice.
		lctx, lcancel := context.WithCancel(ctx)
		defer lcancel()
		lead := make(chan app.StreamEvent, 10)
		go func() {
			_ = w.a.StreamEvents(lctx, w.lead2, seen[0].ID-1, func() error { return nil }, func(e app.StreamEvent) error { lead <- e; return nil })
		}()
		leadSaw := 0
		deadline := time.After(time.Second)
	collect:
		for {
			select {
			case e := <-lead:
				leadSaw++
				if e.Type == "case.assigned" {
					t.Fatal("the assignment notice went to someone else")
				}
			case <-deadline:
				break collect
			}
		}
		if leadSaw != 2 {
			t.Fatalf("the other lead saw %d events, want the 2 case updates", leadSaw)
		}
		if _, err := w.a.ListQueues(ctx, w.rev); err != nil {
			t.Fatal(err)
		}
	})
}

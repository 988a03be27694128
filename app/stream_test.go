package app_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/migrations"
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
		hinted := false
		timeout := time.After(10 * time.Second)
		// The counts hint follows the refresh of the counts rollup that
		// catches up with the changes (the leader's job in a server).
		refresh := time.NewTicker(100 * time.Millisecond)
		defer refresh.Stop()
		for len(seen) < 3 || !hinted {
			select {
			case <-refresh.C:
				if _, err := w.a.RefreshQueueCounts(ctx); err != nil {
					t.Fatal(err)
				}
			case e := <-got:
				if e.Type == "queue.counts_changed" {
					if e.ID != 0 || !slices.Equal(e.Data["markets"].([]string), []string{"VN"}) {
						t.Fatalf("counts hint %+v", e)
					}
					hinted = true
					continue
				}
				seen = append(seen, e)
			case <-timeout:
				t.Fatalf("events seen: %+v (counts hint: %v)", seen, hinted)
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
		for first.ID == 0 {
			first = <-replay
		}
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
				if e.Type == "queue.counts_changed" {
					continue
				}
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

// Streams wake on commits rather than polling: with the safety-net poll set
// to an hour, an event raised on one instance reaches a stream held on
// another within seconds. On PostgreSQL only LISTEN/NOTIFY can carry it
// (the follower's instance wrote nothing); on SQLite the writer's own
// in-process wake does.
func TestStreamWakesWithoutPolling(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		follower := w.a
		writer := w.a
		if db.Dialect == models.Postgres {
			m, err := migrations.New(db.SQL, string(db.Dialect))
			if err != nil {
				t.Fatal(err)
			}
			follower, err = app.New(app.Deps{DB: db, Schema: m, Auth: cheap, StreamPoll: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		listening := make(chan struct{})
		go func() {
			if db.Dialect == models.Postgres {
				// The follower listens; wait until LISTEN is in place.
				go follower.RunNotifications(ctx)
				for ctx.Err() == nil && !listenerUp(ctx, db) {
					time.Sleep(10 * time.Millisecond)
				}
			}
			close(listening)
		}()
		<-listening
		if db.Dialect == models.SQLite {
			m, _ := migrations.New(db.SQL, string(db.Dialect))
			var err error
			follower, err = app.New(app.Deps{DB: db, Schema: m, Auth: cheap, StreamPoll: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			writer = follower // one process: the writer wakes its own streams
		}
		got := make(chan app.StreamEvent, 10)
		ready := make(chan struct{})
		go func() {
			_ = follower.StreamEvents(ctx, w.rev, 0, func() error { close(ready); return nil }, func(e app.StreamEvent) error {
				got <- e
				return nil
			})
		}()
		<-ready
		time.Sleep(50 * time.Millisecond) // the stream is now asleep
		if _, err := writer.CreateCase(ctx, w.lead, app.NewCase{Subject: app.SubjectInput{Kind: "seller", ExternalID: "wake-1", Market: "VN"}, Policy: "counterfeit"}); err != nil {
			t.Fatal(err)
		}
		select {
		case e := <-got:
			if e.Type != "case.updated" || e.Data["event"] != "created" {
				t.Fatalf("first event %+v", e)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the stream never woke: no notification arrived")
		}
	})
}

// listenerUp reports whether some session LISTENs on the outbox channel.
func listenerUp(ctx context.Context, db *models.Database) bool {
	var n int
	err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN docket_outbox%'").Scan(&n)
	return err == nil && n > 0
}

// The counts hint waits for the counts: a change to cases is hinted once
// a refresh of the counts rollup includes it, never before (a client
// refetching then would read counts without it and not look again).
func TestCountsHintFollowsRefresh(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if _, err := w.a.RefreshQueueCounts(ctx); err != nil {
			t.Fatal(err)
		}
		got := make(chan app.StreamEvent, 100)
		ready := make(chan struct{})
		go func() {
			_ = w.a.StreamEvents(ctx, w.rev, 0, func() error { close(ready); return nil }, func(e app.StreamEvent) error {
				got <- e
				return nil
			})
		}()
		<-ready
		c := w.newCase("VN", "counterfeit")
		w.must(w.lead, c.ID, models.ActionTriage, app.CaseActionInput{Version: c.Version})
		// The case events arrive; the hint does not, with no refresh since.
		quiet := time.After(500 * time.Millisecond)
	wait:
		for {
			select {
			case e := <-got:
				if e.Type == "queue.counts_changed" {
					t.Fatalf("counts hint before the counts changed: %+v", e)
				}
			case <-quiet:
				break wait
			}
		}
		if _, err := w.a.RefreshQueueCounts(ctx); err != nil {
			t.Fatal(err)
		}
		for {
			select {
			case e := <-got:
				if e.Type != "queue.counts_changed" {
					continue
				}
				if !slices.Equal(e.Data["markets"].([]string), []string{"VN"}) {
					t.Fatalf("counts hint %+v", e)
				}
				qs, err := w.a.ListQueues(ctx, w.rev)
				if err != nil {
					t.Fatal(err)
				}
				for _, q := range qs {
					if q.Name == "Vietnam review" && q.Counts.Total != 1 {
						t.Fatalf("after the hint, Vietnam review counts %+v (case %d)", q.Counts, c.ID)
					}
				}
				return
			case <-ctx.Done():
				t.Fatal("no counts hint after the refresh")
			}
		}
	})
}

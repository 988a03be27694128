package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

func signalToken(t *testing.T, a *app.App, markets ...string) app.Actor {
	t.Helper()
	tok, err := a.CreateToken(context.Background(), app.SystemActor("test"), app.NewToken{
		Name: fmt.Sprintf("risk engine %d", n.Add(1)), Scopes: []string{"signals:write"}, Markets: markets})
	if err != nil {
		t.Fatal(err)
	}
	return app.Actor{Kind: app.ActorToken, ID: tok.Token.ID, Label: tok.Token.Name}
}

func signalJSON(source, id, market string, at time.Time, extra string) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"source":%q,"source_id":%q,"type":"report.filed","occurred_at":%q,
		"subject":{"kind":"livestream","external_id":"live-%s","market":%q,"attributes":{"followers":120000}},
		"attributes":{"reason":"scam","count":1%s}}`, source, id, at.Format(time.RFC3339Nano), market, market, extra))
}

// The same batch sent by eight senders at once is stored once: every
// signal exactly one row, accepted once in all, a duplicate for the rest.
func TestSignalIngestIdempotentUnderConcurrency(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		a := newApp(t, db)
		tok := signalToken(t, a, "VN")
		now := time.Now().UTC()
		var batch []json.RawMessage
		for i := range 200 {
			batch = append(batch, signalJSON("risk-engine", fmt.Sprintf("evt-%d", i), "VN", now.Add(-time.Duration(i)*time.Second), ""))
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		accepted, dupes := 0, 0
		for range 8 {
			wg.Go(func() {
				res, err := a.IngestSignals(context.Background(), tok, batch)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				accepted += res.Accepted
				dupes += res.Duplicates
				mu.Unlock()
			})
		}
		wg.Wait()
		var rows, subjects, audits int64
		db.Gorm.Model(&models.Signal{}).Count(&rows)
		db.Gorm.Model(&models.Subject{}).Where("external_id = ?", "live-VN").Count(&subjects)
		mustSeal(t, a)
		db.Gorm.Model(&models.AuditEntry{}).Where("action = ?", "signal.ingest").Count(&audits)
		if rows != 200 || accepted != 200 || dupes != 7*200 || subjects != 1 {
			t.Fatalf("rows %d, accepted %d, duplicates %d, subjects %d; want 200, 200, 1400, 1", rows, accepted, dupes, subjects)
		}
		if audits < 1 || audits > 8 {
			t.Fatalf("%d ingest audit entries", audits)
		}
		// A retry reports each item as a duplicate of the stored signal.
		res, err := a.IngestSignals(context.Background(), tok, batch[:2])
		if err != nil || res.Duplicates != 2 || res.Items[0].Status != app.IngestDuplicate || res.Items[0].SignalID == nil {
			t.Fatalf("retry: %+v %v", res, err)
		}
	})
}

// Each item is judged on its own: the bad ones come back with field
// errors and are not stored; the good ones are.
func TestSignalIngestPerItemErrors(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		a := newApp(t, db)
		tok := signalToken(t, a, "VN")
		now := time.Now().UTC()
		good := signalJSON("risk-engine", "ok-1", "VN", now, "")
		cases := []struct {
			item  string
			field string
			code  string
		}{
			{`{"source":"Risk Engine","source_id":"a","type":"report.filed","occurred_at":"` + now.Format(time.RFC3339) + `","subject":{"kind":"seller","external_id":"s1","market":"VN"}}`, "source", "invalid_source"},
			{string(signalJSON("risk-engine", "future", "VN", now.Add(time.Hour), "")), "occurred_at", "future_time"},
			{string(signalJSON("risk-engine", "old", "VN", now.Add(-400*24*time.Hour), "")), "occurred_at", "too_old"},
			{string(signalJSON("risk-engine", "xx", "XX", now, "")), "subject.market", "unknown_market"},
			{string(signalJSON("risk-engine", "th", "TH", now, "")), "subject.market", "market_not_allowed"},
			{string(signalJSON("risk-engine", "nested", "VN", now, `,"deep":{"a":1}`)), "attributes.deep", "invalid_attribute"},
			{`{"source":"risk-engine","source_id":"f","type":"report.filed","occurred_at":"` + now.Format(time.RFC3339) + `","subject":{"kind":"seller","external_id":"s2","market":"VN","attributes":{"followers":"many"}}}`, "subject.attributes.followers", "invalid_attribute"},
			{`{"source":"risk-engine","source_id":"k","type":"report.filed","occurred_at":"yesterday","subject":{"kind":"planet","external_id":"s3","market":"VN"}}`, "occurred_at", "invalid_time"},
			{`{"source":"risk-engine","surprise":true}`, "", "invalid_item"},
			{`[1,2]`, "", "invalid_item"},
		}
		batch := []json.RawMessage{good}
		for _, c := range cases {
			batch = append(batch, json.RawMessage(c.item))
		}
		res, err := a.IngestSignals(context.Background(), tok, batch)
		if err != nil {
			t.Fatal(err)
		}
		if res.Accepted != 1 || res.Rejected != len(cases) || res.Items[0].Status != app.IngestAccepted {
			t.Fatalf("result %+v", res)
		}
		for i, c := range cases {
			it := res.Items[i+1]
			if it.Status != app.IngestRejected || len(it.Errors) == 0 || it.Errors[0].Field != c.field || it.Errors[0].Code != c.code {
				t.Errorf("item %d (%s): %+v", i+1, c.code, it)
			}
		}
		var rows int64
		db.Gorm.Model(&models.Signal{}).Count(&rows)
		if rows != 1 {
			t.Fatalf("%d signals stored, want only the good one", rows)
		}
		// Nothing storable: refused whole, with the items.
		_, err = a.IngestSignals(context.Background(), tok, batch[1:3])
		if de, ok := models.AsError(err); !ok || de.Code != "no_valid_signals" || de.Extra["items"] == nil {
			t.Fatalf("all bad: %v", err)
		}
		if _, err := a.IngestSignals(context.Background(), tok, nil); code(err) != "empty_batch" {
			t.Fatalf("empty: %v", err)
		}
		if _, err := a.IngestSignals(context.Background(), tok, make([]json.RawMessage, 1001)); code(err) != "too_many_signals" {
			t.Fatalf("1001: %v", err)
		}
		w := newWorld(t, db)
		if _, err := a.IngestSignals(context.Background(), w.lead, batch[:1]); code(err) != "forbidden" {
			t.Fatalf("a lead pushed signals: %v", err)
		}
	})
}

// One batch with repeated keys, a key stored before, a subject known in
// another market and an invalid subject: each item gets what it got when
// items were stored one by one (the first of a key in write order is
// stored, later ones are its duplicates; a refused item does not claim
// its key).
func TestSignalBatchDuplicatesAndMismatches(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		a := newApp(t, db)
		ctx := context.Background()
		tok := signalToken(t, a, "VN", "TH")
		now := time.Now().UTC()
		item := func(id, ext, market string) json.RawMessage {
			return json.RawMessage(fmt.Sprintf(`{"source":"risk","source_id":%q,"type":"report.filed","occurred_at":%q,
				"subject":{"kind":"seller","external_id":%q,"market":%q}}`, id, now.Format(time.RFC3339Nano), ext, market))
		}
		first, err := a.IngestSignals(ctx, tok, []json.RawMessage{item("old", "s-vn", "VN")})
		if err != nil || first.Accepted != 1 {
			t.Fatalf("first batch: %+v %v", first, err)
		}
		res, err := a.IngestSignals(ctx, tok, []json.RawMessage{
			item("k1", "s-b", "VN"),   // 0 stored
			item("old", "s-b", "VN"),  // 1 duplicate of the first batch's signal
			item("k1", "s-a", "VN"),   // 2 stored first (s-a sorts before s-b): 0 is its duplicate
			item("k2", "s-vn", "TH"),  // 3 refused: s-vn is a VN seller
			item("k2", "s-c", "VN"),   // 4 stored: the refused item did not take k2
			item("k3", "  ", "VN"),    // 5 refused: no external id
			item("k4", " s-c ", "VN"), // 6 stored, about s-c (trimmed)
			item("k4", "s-c", "VN"),   // 7 duplicate of 6
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{app.IngestDuplicate, app.IngestDuplicate, app.IngestAccepted, app.IngestRejected,
			app.IngestAccepted, app.IngestRejected, app.IngestAccepted, app.IngestDuplicate}
		for i, w := range want {
			if res.Items[i].Index != i || res.Items[i].Status != w {
				t.Errorf("item %d: %+v, want %s", i, res.Items[i], w)
			}
		}
		if res.Accepted != 3 || res.Duplicates != 3 || res.Rejected != 2 {
			t.Fatalf("counts: %+v", res)
		}
		id := func(i int) int64 { return *res.Items[i].SignalID }
		if id(0) != id(2) || id(1) != *first.Items[0].SignalID || id(6) != id(7) || id(4) == id(6) {
			t.Fatalf("signal ids: %+v", res.Items)
		}
		if e := res.Items[3].Errors; len(e) != 1 || e[0].Field != "subject.market" || e[0].Code != "mismatch" {
			t.Fatalf("mismatch: %+v", e)
		}
		if e := res.Items[5].Errors; len(e) != 1 || e[0].Field != "subject.external_id" {
			t.Fatalf("no external id: %+v", e)
		}
		var k1 models.Signal
		db.Gorm.Where("source_id = ?", "k1").Take(&k1)
		s, _ := models.FindSubjectByKey(ctx, db.Gorm, "seller", "s-a")
		if k1.ID != id(2) || k1.SubjectID != s.ID {
			t.Fatalf("k1 stored as %+v, want about s-a (%d)", k1, s.ID)
		}
		var subjects int64
		db.Gorm.Model(&models.Subject{}).Count(&subjects)
		if subjects != 4 { // s-vn, s-a, s-b, s-c
			t.Fatalf("%d subjects", subjects)
		}
	})
}

// The velocity a batch reads for its signals, with one query per call for
// the whole batch, is what the per-signal query answers for each of them:
// the window ends at the signal's time and holds the subject's stored
// signals of the type in it, the signal itself and the batch's others
// included.
func TestBatchVelocityMatchesPerSignal(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		tok := signalToken(t, w.a, "VN")
		calls := `count("report.filed", "1h") + sum("report.filed", "usd", "30m") + distinct("report.filed", "reporter", "2h") + count("refund.requested", "60m") >= 0`
		if _, err := w.a.CreateRule(ctx, app.SystemActor("test"), ruleInput("Every report", "report.filed", calls, "low", models.RuleShadow)); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		at := func(m int) time.Time { return now.Add(-time.Duration(m) * time.Minute) }
		// An earlier batch, then one out of time order with two signals at
		// one instant, a window edge exactly 30 minutes back, another type
		// and another subject.
		earlier, err := w.a.IngestSignals(ctx, tok, []json.RawMessage{
			sig("p1", "report.filed", "vb-1", at(50), `{"reporter":"a","usd":5}`),
			sig("p2", "refund.requested", "vb-1", at(20), `{}`),
		})
		if err != nil {
			t.Fatal(err)
		}
		res, err := w.a.IngestSignals(ctx, tok, []json.RawMessage{
			sig("b1", "report.filed", "vb-1", at(0), `{"reporter":"b","usd":2.5}`),
			sig("b2", "report.filed", "vb-1", at(30), `{"reporter":"a","usd":"x"}`),
			sig("b3", "report.filed", "vb-1", at(10), `{"reporter":"c","usd":1}`),
			sig("b4", "report.filed", "vb-1", at(10), `{"reporter":"c","usd":4}`),
			sig("b5", "report.filed", "vb-2", at(10), `{"reporter":"z","usd":100}`),
			sig("b6", "report.filed", "vb-1", at(90), `{"usd":7}`),
			sig("b7", "refund.requested", "vb-1", at(5), `{}`),
		})
		if err != nil || res.ShadowHits != 6 {
			t.Fatalf("ingest: %+v %v", res, err)
		}
		var hits []models.RuleHit // the second batch's
		db.Gorm.Where("mode = ? AND signal_id <> ?", "shadow", *earlier.Items[0].SignalID).Find(&hits)
		if len(hits) != 6 {
			t.Fatalf("%d shadow hits", len(hits))
		}
		type call struct {
			key, fn, typ, attr string
			window             time.Duration
		}
		cs := []call{{`count("report.filed", "1h")`, "count", "report.filed", "", time.Hour},
			{`sum("report.filed", "usd", "30m")`, "sum", "report.filed", "usd", 30 * time.Minute},
			{`distinct("report.filed", "reporter", "2h")`, "distinct", "report.filed", "reporter", 2 * time.Hour},
			{`count("refund.requested", "60m")`, "count", "refund.requested", "", time.Hour}}
		want := map[string]float64{} // b3's window, worked out by hand
		want[cs[0].key], want[cs[1].key], want[cs[2].key], want[cs[3].key] = 4, 5, 2, 1
		for _, h := range hits {
			var values struct{ Velocity map[string]float64 }
			if err := json.Unmarshal([]byte(h.HitValues), &values); err != nil {
				t.Fatal(err)
			}
			var s models.Signal
			db.Gorm.Where("id = ?", h.SignalID).Take(&s)
			for _, c := range cs {
				one, err := models.VelocityWindow(ctx, db.Gorm, c.fn, s.SubjectID, c.typ, c.attr, s.OccurredAt.Add(-c.window), s.OccurredAt)
				if err != nil || values.Velocity[c.key] != one {
					t.Errorf("signal %s: %s = %v, per-signal query %v %v", s.SourceID, c.key, values.Velocity[c.key], one, err)
				}
				if s.SourceID == "b3" && one != want[c.key] {
					t.Errorf("b3: %s = %v, want %v", c.key, one, want[c.key])
				}
			}
		}
		// Asked directly, with a window on a subject without signals.
		var s1 models.Subject
		db.Gorm.Where("external_id = ?", "vb-1").Take(&s1)
		probes := []models.VelocityProbe{{SubjectID: s1.ID, From: at(70), To: at(10)}, {SubjectID: -1, From: at(60), To: now},
			{SubjectID: s1.ID, From: at(40), To: at(10)}}
		got, err := models.VelocityWindows(ctx, db.Gorm, "count", "report.filed", "", probes)
		if err != nil || len(got) != 3 || got[0] != 4 || got[1] != 0 || got[2] != 3 {
			t.Fatalf("VelocityWindows: %v %v, want [4 0 3]", got, err)
		}
	})
}

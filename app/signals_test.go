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

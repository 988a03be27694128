package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/migrations"
	"github.com/docket-tns/docket/models"
)

// receiver is a local webhook endpoint: it records every request and
// answers with the status its path asks for next.
type receiver struct {
	mu    sync.Mutex
	srv   *httptest.Server
	got   map[string][]received // by path
	plans map[string][]int      // statuses to answer, in turn; then 200
}

type received struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{got: map[string][]received{}, plans: map[string][]int{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got[req.URL.Path] = append(r.got[req.URL.Path], received{req.Header.Clone(), body})
		status := http.StatusOK
		if p := r.plans[req.URL.Path]; len(p) > 0 {
			status, r.plans[req.URL.Path] = p[0], p[1:]
		}
		r.mu.Unlock()
		w.WriteHeader(status)
		fmt.Fprint(w, "receiver says ", status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) plan(path string, statuses ...int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.plans[path] = statuses
}

func (r *receiver) requests(path string) []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got[path])
}

// verify checks a request's signature the way a receiver would.
func verify(t *testing.T, secret string, rq received) {
	t.Helper()
	var ts int64
	var sig string
	for _, part := range strings.Split(rq.header.Get("Docket-Signature"), ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			ts, _ = strconv.ParseInt(v, 10, 64)
		case "v1":
			sig = v
		}
	}
	if d := time.Since(time.Unix(ts, 0)); d < -time.Minute || d > 5*time.Minute {
		t.Fatalf("signature timestamp %d is %v away", ts, d)
	}
	if sig == "" || sig != app.SignWebhook(secret, ts, rq.body) {
		t.Fatalf("bad signature %q over %s", rq.header.Get("Docket-Signature"), rq.body)
	}
	if app.SignWebhook(secret, ts, append(slices.Clone(rq.body), ' ')) == sig {
		t.Fatal("the signature does not cover the body")
	}
}

func webhookApp(t *testing.T, db *models.Database) *app.App {
	m, _ := migrations.New(db.SQL, string(db.Dialect))
	a, err := app.New(app.Deps{DB: db, Schema: m, Auth: cheap,
		Webhooks: app.WebhookSettings{RetryBase: 5 * time.Millisecond, RetryMax: 20 * time.Millisecond, MaxAttempts: 3}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// deliverUntil runs delivery passes until done says so (or fails the test).
func deliverUntil(t *testing.T, a *app.App, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatal("deliveries did not settle")
		}
		if _, err := a.DeliverWebhooks(context.Background()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func deliveries(t *testing.T, a *app.App, endpoint int64, status string) []app.DeliveryView {
	t.Helper()
	p, err := a.ListDeliveries(context.Background(), app.SystemActor("test"), endpoint, status, app.PageRequest{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	return p.Items
}

// Deliveries are signed, retried with back-off until they succeed, and
// dead-lettered after the last attempt; a dead letter can be redelivered;
// endpoints hear only their event types and markets; a rotated secret
// signs what follows.
func TestWebhookSignRetryDeadLetter(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		a := webhookApp(t, db)
		ctx := context.Background()
		rcv := newReceiver(t)
		admin := app.SystemActor("test")
		mk := func(name, path string, types []string, markets ...string) app.WebhookWithSecret {
			h, err := a.CreateWebhook(ctx, admin, app.WebhookInput{Name: name, URL: rcv.srv.URL + path, EventTypes: types, Markets: markets})
			if err != nil {
				t.Fatal(err)
			}
			return h
		}
		flaky := mk("flaky", "/flaky", []string{"case.created", "case.escalated"})
		down := mk("down", "/down", []string{"case.created"})
		resolvedOnly := mk("resolved only", "/resolved", []string{"case.resolved"})
		thOnly := mk("TH only", "/th", []string{"case.created"}, "TH")
		rcv.plan("/flaky", 500, 503)
		rcv.plan("/down", 500, 500, 500)

		c := w.newCase("VN", "counterfeit")
		// Pending deliveries cannot be redelivered.
		if p := deliveries(t, a, down.ID, models.DeliveryPending); len(p) != 1 {
			t.Fatalf("pending for down: %+v", p)
		} else if _, err := a.RedeliverWebhook(ctx, admin, p[0].ID); code(err) != "delivery_pending" {
			t.Fatalf("redeliver a pending delivery: %v", err)
		}
		deliverUntil(t, a, func() bool {
			return len(deliveries(t, a, flaky.ID, models.DeliveryDelivered)) == 1 && len(deliveries(t, a, down.ID, models.DeliveryDead)) == 1
		})

		got := rcv.requests("/flaky")
		if len(got) != 3 {
			t.Fatalf("flaky endpoint got %d requests, want 3 (two failures, then success)", len(got))
		}
		var first map[string]any
		for i, rq := range got {
			verify(t, flaky.Secret, rq)
			var body map[string]any
			if err := json.Unmarshal(rq.body, &body); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				first = body
			} else if body["id"] != first["id"] {
				t.Fatalf("a retry changed the event id: %v then %v", first["id"], body["id"])
			}
			if rq.header.Get("Docket-Event") != "case.created" || body["type"] != "case.created" {
				t.Fatalf("event %q / %v", rq.header.Get("Docket-Event"), body["type"])
			}
			kase := body["data"].(map[string]any)["case"].(map[string]any)
			if kase["id"] != float64(c.ID) || kase["market"] != "VN" {
				t.Fatalf("payload case %+v", kase)
			}
			subj := body["data"].(map[string]any)["subject"].(map[string]any)
			if subj["id"] != float64(c.Subject.ID) || subj["external_id"] != c.Subject.ExternalID || subj["kind"] != "seller" {
				t.Fatalf("payload subject %+v", subj)
			}
		}
		d := deliveries(t, a, flaky.ID, "")[0]
		if d.Attempts != 3 || d.LastStatusCode == nil || *d.LastStatusCode != 200 || d.DeliveredAt == nil {
			t.Fatalf("flaky delivery: %+v", d)
		}

		dead := deliveries(t, a, down.ID, models.DeliveryDead)[0]
		if dead.Attempts != 3 || dead.LastStatusCode == nil || *dead.LastStatusCode != 500 || !strings.Contains(dead.LastError, "HTTP 500") {
			t.Fatalf("dead letter: %+v", dead)
		}
		if n := len(rcv.requests("/down")); n != 3 {
			t.Fatalf("down endpoint got %d attempts, want 3", n)
		}
		if len(rcv.requests("/resolved")) != 0 || len(rcv.requests("/th")) != 0 {
			t.Fatal("an endpoint got an event type or market it did not subscribe to")
		}
		if len(deliveries(t, a, resolvedOnly.ID, "")) != 0 || len(deliveries(t, a, thOnly.ID, "")) != 0 {
			t.Fatal("deliveries were queued for endpoints that do not want them")
		}

		// Redelivery from the dead-letter list, now that the endpoint is up.
		re, err := a.RedeliverWebhook(ctx, admin, dead.ID)
		if err != nil || re.Status != models.DeliveryPending || re.Attempts != 0 || re.LastStatusCode != nil || re.LastError != "" {
			t.Fatalf("redeliver: %+v %v", re, err)
		}
		deliverUntil(t, a, func() bool { return len(deliveries(t, a, down.ID, models.DeliveryDelivered)) == 1 })
		last := rcv.requests("/down")
		verify(t, down.Secret, last[len(last)-1])
		var audits int64
		mustSeal(t, a)
		db.Gorm.Model(&models.AuditEntry{}).Where("action = ? AND object_id = ?", "webhook.redeliver", fmt.Sprint(dead.ID)).Count(&audits)
		if audits != 1 {
			t.Fatalf("%d redelivery audit entries", audits)
		}

		// A rotated secret signs the next event; the old one no longer verifies.
		rot, err := a.RotateWebhookSecret(ctx, admin, flaky.ID, flaky.Version)
		if err != nil || rot.Secret == flaky.Secret || rot.Version != flaky.Version+1 {
			t.Fatalf("rotate: %+v %v", rot, err)
		}
		if _, err := a.RotateWebhookSecret(ctx, admin, flaky.ID, flaky.Version); code(err) != "version_conflict" {
			t.Fatalf("stale rotate: %v", err)
		}
		w.must(w.lead, c.ID, models.ActionTriage, app.CaseActionInput{Version: c.Version})
		cur, _ := w.a.GetCase(ctx, w.lead, c.ID)
		w.must(w.lead, c.ID, models.ActionEscalate, app.CaseActionInput{Version: cur.Version, Reason: "brand asked"})
		deliverUntil(t, a, func() bool { return len(rcv.requests("/flaky")) == 4 })
		verify(t, rot.Secret, rcv.requests("/flaky")[3])
	})
}

// Each lifecycle change raises its webhook event, written with the change.
func TestWebhookEventsOfTheLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w, clk := clockedWorld(t, db, time.Now().UTC())
		ctx := context.Background()
		hook, err := w.a.CreateWebhook(ctx, app.SystemActor("test"), app.WebhookInput{Name: "all", URL: "https://hooks.example/in",
			EventTypes: models.WebhookEventTypes})
		if err != nil {
			t.Fatal(err)
		}
		types := func() []string {
			var out []string
			ds := deliveries(t, w.a, hook.ID, "")
			for i := len(ds) - 1; i >= 0; i-- {
				out = append(out, ds[i].EventType)
			}
			return out
		}
		c := w.newCase("VN", "counterfeit") // case.created
		d := w.must(w.lead, c.ID, models.ActionTriage, app.CaseActionInput{Version: 1})
		d = w.must(w.lead, c.ID, models.ActionEmergency, app.CaseActionInput{Version: d.Version, Reason: "live fraud"}) // case.emergency
		d = w.must(w.rev, c.ID, models.ActionClaim, app.CaseActionInput{Version: d.Version})
		d = w.must(w.rev, c.ID, models.ActionEscalate, app.CaseActionInput{Version: d.Version, Reason: "unsure"}) // case.escalated
		w.must(w.lead, c.ID, models.ActionResolve, app.CaseActionInput{Version: d.Version, Decision: &app.DecisionInput{
			Outcome: "no_violation", Actions: []string{}, Rationale: "authentic goods"}}) // case.resolved
		// High impact: proposed (nothing), approved (decision.approved + case.resolved).
		c2 := w.newCase("VN", "counterfeit")
		d = w.must(w.lead, c2.ID, models.ActionTriage, app.CaseActionInput{Version: 1})
		d = w.must(w.rev, c2.ID, models.ActionClaim, app.CaseActionInput{Version: d.Version})
		d = w.must(w.rev, c2.ID, models.ActionResolve, app.CaseActionInput{Version: d.Version, Decision: &app.DecisionInput{
			Outcome: "violation", Actions: []string{"ban_seller"}, Rationale: "fakes with forged labels"}})
		w.must(w.lead, c2.ID, models.ActionApprove, app.CaseActionInput{Version: d.Version})
		// SLA breach: the sweeper escalates (case.escalated + sla.breached).
		w.newCase("VN", "minor_safety")
		clk.Advance(5 * time.Hour)
		if res, err := w.a.Sweep(ctx); err != nil || res.Breaches == 0 {
			t.Fatalf("sweep: %+v %v", res, err)
		}
		want := []string{"case.created", "case.emergency", "case.escalated", "case.resolved",
			"case.created", "decision.approved", "case.resolved", "case.created", "case.escalated", "sla.breached"}
		if got := types(); !slices.Equal(got, want) {
			t.Fatalf("webhook events\n got %v\nwant %v", got, want)
		}
	})
}

// Leads of the market hear of emergencies and SLA breaches, live and in
// their notification list; the lead who declared, other markets' leads and
// reviewers do not.
func TestLeadsAreNotified(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w, clk := clockedWorld(t, db, time.Now().UTC())
		th := newThLead(t, w)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		live := make(chan app.StreamEvent, 50)
		ready := make(chan struct{})
		go func() {
			_ = w.a.StreamEvents(ctx, w.lead2, 0, func() error { close(ready); return nil }, func(e app.StreamEvent) error {
				if e.Type == "notification" {
					live <- e
				}
				return nil
			})
		}()
		<-ready
		c := w.newCase("VN", "counterfeit")
		w.must(w.lead, c.ID, models.ActionEmergency, app.CaseActionInput{Version: 1, Reason: "counterfeit medicine"})
		w.newCase("VN", "minor_safety")
		clk.Advance(5 * time.Hour)
		if _, err := w.a.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		list := func(who app.Actor) app.Notifications {
			ns, err := w.a.ListNotifications(ctx, who, false, app.PageRequest{Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			return ns
		}
		ns := list(w.lead2)
		if ns.Unread != 2 || len(ns.Items) != 2 || ns.Items[0].Kind != "sla.breached" || ns.Items[1].Kind != "emergency.declared" ||
			*ns.Items[1].CaseID != c.ID || !strings.Contains(ns.Items[1].Title, "Emergency") {
			t.Fatalf("lead2's notifications: %+v", ns)
		}
		if got := list(w.lead); len(got.Items) != 1 || got.Items[0].Kind != "sla.breached" {
			t.Fatalf("the declaring lead got %+v (only the breach is news to them)", got.Items)
		}
		if len(list(th).Items) != 0 || len(list(w.rev).Items) != 0 {
			t.Fatal("a TH lead or a reviewer was notified of VN events")
		}
		kinds := map[string]bool{}
		for len(kinds) < 2 {
			select {
			case e := <-live:
				kinds[e.Data["kind"].(string)] = true
			case <-ctx.Done():
				t.Fatalf("live notifications seen: %v", kinds)
			}
		}
		unread, err := w.a.MarkNotificationsRead(ctx, w.lead2, []int64{ns.Items[0].ID})
		if err != nil || unread != 1 {
			t.Fatalf("mark one: %d %v", unread, err)
		}
		if unread, err := w.a.MarkNotificationsRead(ctx, w.lead2, nil); err != nil || unread != 0 {
			t.Fatalf("mark all: %d %v", unread, err)
		}
		if _, err := w.a.MarkNotificationsRead(ctx, w.lead2, []int64{}); code(err) != "invalid_ids" {
			t.Fatalf("empty ids: %v", err)
		}
		if _, err := w.a.ListNotifications(ctx, app.SystemActor("x"), false, app.PageRequest{Limit: 5}); code(err) != "not_a_person" {
			t.Fatalf("system actor: %v", err)
		}
	})
}

// Bad webhook definitions are refused whole, with the field named.
func TestWebhookValidation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		a := newApp(t, db)
		ctx := context.Background()
		admin := app.SystemActor("test")
		for _, tc := range []struct {
			in    app.WebhookInput
			field string
		}{
			{app.WebhookInput{Name: "", URL: "https://x.example/h", EventTypes: []string{"case.created"}}, "name"},
			{app.WebhookInput{Name: "n", URL: "http://hooks.example/h", EventTypes: []string{"case.created"}}, "url"},
			{app.WebhookInput{Name: "n", URL: "ftp://hooks.example/h", EventTypes: []string{"case.created"}}, "url"},
			{app.WebhookInput{Name: "n", URL: "https://user:pw@hooks.example/h", EventTypes: []string{"case.created"}}, "url"},
			{app.WebhookInput{Name: "n", URL: "https://x.example/h"}, "event_types"},
			{app.WebhookInput{Name: "n", URL: "https://x.example/h", EventTypes: []string{"case.exploded"}}, "event_types"},
			{app.WebhookInput{Name: "n", URL: "https://x.example/h", EventTypes: []string{"case.created"}, Markets: []string{"XX"}}, "markets"},
		} {
			_, err := a.CreateWebhook(ctx, admin, tc.in)
			de, ok := models.AsError(err)
			if !ok || de.Code != "invalid_webhook" || len(de.Fields) == 0 || de.Fields[0].Field != tc.field {
				t.Errorf("%+v: %v", tc.in, err)
			}
		}
		if ws, _ := a.ListWebhooks(ctx, admin); len(ws) != 0 {
			t.Fatalf("refused webhooks were stored: %+v", ws)
		}
	})
}

// Disabling an endpoint dead-letters what was still pending for it,
// without sending it.
func TestDisabledEndpointDeadLetters(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		a := webhookApp(t, db)
		ctx := context.Background()
		rcv := newReceiver(t)
		admin := app.SystemActor("test")
		h, err := a.CreateWebhook(ctx, admin, app.WebhookInput{Name: "soon off", URL: rcv.srv.URL + "/off", EventTypes: []string{"case.created"}})
		if err != nil {
			t.Fatal(err)
		}
		w.newCase("VN", "counterfeit")
		off := false
		if _, err := a.UpdateWebhook(ctx, admin, h.ID, app.WebhookInput{Name: h.Name, URL: h.URL, EventTypes: h.EventTypes, Active: &off, Version: h.Version}); err != nil {
			t.Fatal(err)
		}
		deliverUntil(t, a, func() bool { return len(deliveries(t, a, h.ID, models.DeliveryDead)) == 1 })
		d := deliveries(t, a, h.ID, models.DeliveryDead)[0]
		if d.Attempts != 0 || d.LastError != "the endpoint is disabled" || len(rcv.requests("/off")) != 0 {
			t.Fatalf("disabled endpoint: %+v, %d requests", d, len(rcv.requests("/off")))
		}
	})
}

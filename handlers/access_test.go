package handlers

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

var seq atomic.Int64

func uniqueEmail(prefix string) string {
	return fmt.Sprintf("%s-%d@example.test", prefix, seq.Add(1))
}

// fixtureUser creates a user with grants as the operator would.
func (h *harness) fixtureUser(grants ...models.Grant) app.UserView {
	h.t.Helper()
	u, err := h.app.CreateUser(context.Background(), app.SystemActor("test"), app.NewUser{
		Email: uniqueEmail("user"), Name: "Fixture User", Password: app.DemoPassword, Grants: grants})
	if err != nil {
		h.t.Fatal(err)
	}
	return u
}

// fixtureCase opens a new case on a fresh subject as the operator would.
func (h *harness) fixtureCase(market, policy string) app.CaseDetail {
	h.t.Helper()
	c, err := h.app.CreateCase(context.Background(), app.SystemActor("test"), app.NewCase{
		Subject: app.SubjectInput{Kind: "seller", ExternalID: uniqueEmail("seller"), Market: market, DisplayName: "Fixture Shop",
			Attributes: map[string]any{"followers": 12000}},
		Policy: policy, Summary: "fixture"})
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

func (h *harness) queueID(name string) int64 {
	h.t.Helper()
	qs, err := h.app.ListQueues(context.Background(), app.SystemActor("test"))
	if err != nil {
		h.t.Fatal(err)
	}
	for _, q := range qs {
		if q.Name == name {
			return q.ID
		}
	}
	h.t.Fatalf("no queue %q", name)
	return 0
}

func (h *harness) fixtureToken(scopes []string, markets ...string) app.CreatedToken {
	h.t.Helper()
	tok, err := h.app.CreateToken(context.Background(), app.SystemActor("test"), app.NewToken{
		Name: "fixture " + uniqueEmail("t"), Scopes: scopes, Markets: markets})
	if err != nil {
		h.t.Fatal(err)
	}
	return tok
}

// fixtureWebhook adds an endpoint for every market and event type.
func (h *harness) fixtureWebhook() app.WebhookWithSecret {
	h.t.Helper()
	w, err := h.app.CreateWebhook(context.Background(), app.SystemActor("test"), app.WebhookInput{
		Name: "fixture", URL: "https://hooks.example/docket", EventTypes: models.WebhookEventTypes})
	if err != nil {
		h.t.Fatal(err)
	}
	return w
}

// fixtureRule writes a shadow rule in VN as the operator would.
func (h *harness) fixtureRule() app.RuleView {
	h.t.Helper()
	r, err := h.app.CreateRule(context.Background(), app.SystemActor("test"), app.RuleInput{Name: uniqueEmail("rule"),
		Markets: []string{"VN"}, SignalTypes: []string{"report.filed"}, Expression: `count("report.filed", "1h") > 3`,
		Policy: "counterfeit", Severity: "high", Status: models.RuleShadow})
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

// fixtureBacktest queues a backtest of a fixture rule.
func (h *harness) fixtureBacktest() int64 {
	h.t.Helper()
	now := time.Now().UTC()
	b, err := h.app.StartBacktest(context.Background(), app.SystemActor("test"), h.fixtureRule().ID,
		app.BacktestRequest{From: now.Add(-24 * time.Hour), To: now})
	if err != nil {
		h.t.Fatal(err)
	}
	return b.ID
}

// fixtureDeadDelivery makes a dead-lettered delivery and returns its id.
func (h *harness) fixtureDeadDelivery() int64 {
	h.t.Helper()
	w := h.fixtureWebhook()
	h.fixtureCase("VN", "counterfeit") // case.created for every endpoint
	ctx := context.Background()
	res := h.db.Gorm.WithContext(ctx).Model(&models.WebhookDelivery{}).Where("endpoint_id = ?", w.ID).Update("status", models.DeliveryDead)
	if res.Error != nil || res.RowsAffected == 0 {
		h.t.Fatalf("no delivery to kill: %v", res.Error)
	}
	var id int64
	if err := h.db.Gorm.WithContext(ctx).Model(&models.WebhookDelivery{}).Where("endpoint_id = ?", w.ID).Select("MAX(id)").Scan(&id).Error; err != nil {
		h.t.Fatal(err)
	}
	return id
}

// principal is a kind of caller the matrix tries every route as.
type principal struct {
	name string
	make func(h *harness) *client
}

var principals = []principal{
	{"anonymous", func(h *harness) *client { return h.anon() }},
	{"admin", func(h *harness) *client { return h.login("admin@demo.docket.test") }},
	{"lead", func(h *harness) *client { return h.login("lead@demo.docket.test") }},
	{"reviewer", func(h *harness) *client { return h.login("reviewer@demo.docket.test") }},
	{"analyst", func(h *harness) *client { return h.login("analyst@demo.docket.test") }},
	{"auditor", func(h *harness) *client { return h.login("auditor@demo.docket.test") }},
	{"qa", func(h *harness) *client { return h.login("qa@demo.docket.test") }},
	{"token-wrong-scope", func(h *harness) *client {
		return h.withToken(h.fixtureToken([]string{"signals:write"}, "VN").Secret)
	}},
	{"token-audit-read", func(h *harness) *client {
		return h.withToken(h.fixtureToken([]string{"audit:read"}, "*").Secret)
	}},
}

// everyone but anonymous
var authenticated = []string{"admin", "lead", "reviewer", "analyst", "auditor", "qa", "token-wrong-scope", "token-audit-read"}
var users = []string{"admin", "lead", "reviewer", "analyst", "auditor", "qa"}

// matrixRoute is one route: how to call it (prepare makes a fresh target so
// mutations never depend on each other) and who gets a 2xx. Everyone else
// authenticated gets 403, anonymous 401.
type matrixRoute struct {
	method, path string // the route as registered
	public       bool
	allowed      []string
	// notFound callers cannot see the object at all (no read permission
	// in its market): 404, not 403.
	notFound []string
	prepare  func(h *harness) (path, body string)
	// stream: a long-lived response; only the status is read.
	stream bool
}

// Callers who hold no case.read in VN, where the case fixtures live.
var noCaseRead = []string{"admin", "token-wrong-scope", "token-audit-read"}
var caseReaders = []string{"lead", "reviewer", "analyst", "auditor", "qa"}

// ruleReaders hold rule.read.
var ruleReaders = []string{"admin", "lead", "analyst", "auditor"}
var caseWorkers = []string{"lead", "reviewer"}

func caseRoute(method, route string, allowed []string, suffix func(h *harness, caseID int64) (string, string)) matrixRoute {
	return matrixRoute{method: method, path: route, allowed: allowed, notFound: noCaseRead, prepare: func(h *harness) (string, string) {
		return suffix(h, h.fixtureCase("VN", "counterfeit").ID)
	}}
}

func static(path, body string) func(*harness) (string, string) {
	return func(*harness) (string, string) { return path, body }
}

var matrix = []matrixRoute{
	{method: "GET", path: "/api/v1/system/status", public: true, prepare: static("/api/v1/system/status", "")},
	{method: "POST", path: "/api/v1/auth/login", public: true, prepare: static("/api/v1/auth/login",
		fmt.Sprintf(`{"email":"qa@demo.docket.test","password":%q}`, app.DemoPassword))},
	{method: "POST", path: "/api/v1/auth/logout", allowed: users, prepare: static("/api/v1/auth/logout", "")},
	{method: "GET", path: "/api/v1/me", allowed: authenticated, prepare: static("/api/v1/me", "")},
	{method: "GET", path: "/api/v1/markets", allowed: authenticated, prepare: static("/api/v1/markets", "")},
	{method: "PUT", path: "/api/v1/markets/:code", allowed: []string{"admin"},
		prepare: func(h *harness) (string, string) {
			ms, err := h.app.ListMarkets(context.Background(), app.SystemActor("test"), app.PageRequest{Limit: 10})
			if err != nil {
				h.t.Fatal(err)
			}
			for _, m := range ms.Items {
				if m.Code == "VN" {
					return "/api/v1/markets/VN", fmt.Sprintf(`{"sla_clock":"calendar","version":%d}`, m.Version)
				}
			}
			h.t.Fatal("no VN")
			return "", ""
		}},
	{method: "GET", path: "/api/v1/roles", allowed: []string{"admin"}, prepare: static("/api/v1/roles", "")},
	{method: "GET", path: "/api/v1/users", allowed: []string{"admin"}, prepare: static("/api/v1/users", "")},
	{method: "POST", path: "/api/v1/users", allowed: []string{"admin"}, prepare: func(h *harness) (string, string) {
		return "/api/v1/users", fmt.Sprintf(`{"email":%q,"name":"New Reviewer","password":"a-long-enough-pass","grants":[{"role":"reviewer","market":"VN"}]}`, uniqueEmail("new"))
	}},
	{method: "GET", path: "/api/v1/users/:id", allowed: []string{"admin"}, prepare: func(h *harness) (string, string) {
		return fmt.Sprintf("/api/v1/users/%d", h.fixtureUser(models.Grant{Role: "reviewer", Market: "VN"}).ID), ""
	}},
	{method: "POST", path: "/api/v1/users/:id/deactivate", allowed: []string{"admin"}, prepare: func(h *harness) (string, string) {
		return fmt.Sprintf("/api/v1/users/%d/deactivate", h.fixtureUser(models.Grant{Role: "reviewer", Market: "VN"}).ID), ""
	}},
	{method: "POST", path: "/api/v1/users/:id/activate", allowed: []string{"admin"}, prepare: func(h *harness) (string, string) {
		u := h.fixtureUser(models.Grant{Role: "reviewer", Market: "VN"})
		if _, err := h.app.SetUserActive(context.Background(), app.SystemActor("test"), u.ID, false); err != nil {
			h.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/users/%d/activate", u.ID), ""
	}},
	{method: "POST", path: "/api/v1/users/:id/grants", allowed: []string{"admin"}, prepare: func(h *harness) (string, string) {
		return fmt.Sprintf("/api/v1/users/%d/grants", h.fixtureUser().ID), `{"role":"qa","market":"TH"}`
	}},
	{method: "DELETE", path: "/api/v1/users/:id/grants/:role/:market", allowed: []string{"admin"}, prepare: func(h *harness) (string, string) {
		return fmt.Sprintf("/api/v1/users/%d/grants/reviewer/VN", h.fixtureUser(models.Grant{Role: "reviewer", Market: "VN"}).ID), ""
	}},
	{method: "GET", path: "/api/v1/sessions", allowed: []string{"admin"}, prepare: static("/api/v1/sessions", "")},
	{method: "DELETE", path: "/api/v1/sessions/:id", allowed: []string{"admin"}, prepare: func(h *harness) (string, string) {
		u := h.fixtureUser(models.Grant{Role: "reviewer", Market: "VN"})
		h.login(u.Email)
		p, err := h.app.ListSessions(context.Background(), app.SystemActor("test"), u.ID, app.PageRequest{Limit: 1})
		if err != nil || len(p.Items) != 1 {
			h.t.Fatalf("fixture session: %v %v", err, p.Items)
		}
		return fmt.Sprintf("/api/v1/sessions/%d", p.Items[0].ID), ""
	}},
	{method: "GET", path: "/api/v1/tokens", allowed: []string{"admin"}, prepare: static("/api/v1/tokens", "")},
	{method: "POST", path: "/api/v1/tokens", allowed: []string{"admin"}, prepare: static("/api/v1/tokens",
		`{"name":"risk engine VN","scopes":["signals:write"],"markets":["VN"]}`)},
	{method: "DELETE", path: "/api/v1/tokens/:id", allowed: []string{"admin"}, prepare: func(h *harness) (string, string) {
		return fmt.Sprintf("/api/v1/tokens/%d", h.fixtureToken([]string{"cases:read"}, "VN").Token.ID), ""
	}},
	{method: "PUT", path: "/api/v1/me/availability", allowed: users, prepare: static("/api/v1/me/availability", `{"available":false}`)},
	{method: "GET", path: "/api/v1/reviewers", allowed: []string{"lead"}, prepare: static("/api/v1/reviewers?market=VN", "")},
	{method: "GET", path: "/api/v1/queues", allowed: users, prepare: static("/api/v1/queues", "")},
	{method: "POST", path: "/api/v1/queues", allowed: []string{"admin", "lead"}, prepare: func(h *harness) (string, string) {
		return "/api/v1/queues", fmt.Sprintf(`{"name":%q,"markets":["VN"],"policies":["counterfeit"]}`, uniqueEmail("counterfeit VN"))
	}},
	{method: "PUT", path: "/api/v1/queues/:id", allowed: []string{"admin", "lead"}, notFound: []string{"token-wrong-scope", "token-audit-read"},
		prepare: func(h *harness) (string, string) {
			q, err := h.app.CreateQueue(context.Background(), app.SystemActor("test"), app.QueueInput{Name: uniqueEmail("q"), Markets: []string{"VN"}})
			if err != nil {
				h.t.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/queues/%d", q.ID), fmt.Sprintf(`{"name":%q,"markets":["VN"],"severities":["critical"],"version":%d}`, q.Name, q.Version)
		}},
	{method: "POST", path: "/api/v1/queues/:id/claim", allowed: caseWorkers,
		prepare: func(h *harness) (string, string) {
			c := h.fixtureCase("VN", "counterfeit")
			if _, err := h.app.ActOnCase(context.Background(), app.SystemActor("test"), c.ID, "triage", app.CaseActionInput{Version: c.Version}); err != nil {
				h.t.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/queues/%d/claim", h.queueID("Vietnam review")), ""
		}},
	{method: "GET", path: "/api/v1/policies", allowed: authenticated, prepare: static("/api/v1/policies", "")},
	{method: "GET", path: "/api/v1/cases", allowed: caseReaders, prepare: static("/api/v1/cases", "")},
	{method: "POST", path: "/api/v1/cases", allowed: []string{"lead", "analyst"}, prepare: func(h *harness) (string, string) {
		return "/api/v1/cases", fmt.Sprintf(`{"subject":{"kind":"seller","external_id":%q,"market":"VN"},"policy":"counterfeit"}`, uniqueEmail("shop"))
	}},
	{method: "POST", path: "/api/v1/cases/bulk", allowed: []string{"lead"}, prepare: func(h *harness) (string, string) {
		return "/api/v1/cases/bulk", fmt.Sprintf(`{"action":"add_tag","tag":"sweep","case_ids":[%d]}`, h.fixtureCase("VN", "counterfeit").ID)
	}},
	caseRoute("GET", "/api/v1/cases/:id", caseReaders, func(h *harness, id int64) (string, string) {
		return fmt.Sprintf("/api/v1/cases/%d", id), ""
	}),
	caseRoute("GET", "/api/v1/cases/:id/events", caseReaders, func(h *harness, id int64) (string, string) {
		return fmt.Sprintf("/api/v1/cases/%d/events", id), ""
	}),
	caseRoute("POST", "/api/v1/cases/:id/comments", caseWorkers, func(h *harness, id int64) (string, string) {
		return fmt.Sprintf("/api/v1/cases/%d/comments", id), `{"body":"Seller reused photos from the brand's site."}`
	}),
	caseRoute("POST", "/api/v1/cases/:id/evidence", caseWorkers, func(h *harness, id int64) (string, string) {
		return fmt.Sprintf("/api/v1/cases/%d/evidence", id), `{"kind":"url","title":"Listing","url":"https://shop.example/item/1"}`
	}),
	caseRoute("GET", "/api/v1/cases/:id/evidence/:evidence_id/download", caseReaders, func(h *harness, id int64) (string, string) {
		ev, err := h.app.AddEvidence(context.Background(), app.SystemActor("test"), id, app.EvidenceInput{Kind: "file", Title: "receipt", FileName: "r.txt", Data: []byte("order 123 paid off-platform")})
		if err != nil {
			h.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/cases/%d/evidence/%d/download", id, ev.ID), ""
	}),
	caseRoute("POST", "/api/v1/cases/:id/tags", caseWorkers, func(h *harness, id int64) (string, string) {
		return fmt.Sprintf("/api/v1/cases/%d/tags", id), `{"tag":"repeat-offender"}`
	}),
	caseRoute("DELETE", "/api/v1/cases/:id/tags/:tag", caseWorkers, func(h *harness, id int64) (string, string) {
		if _, err := h.app.SetTag(context.Background(), app.SystemActor("test"), id, "stale", true); err != nil {
			h.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/cases/%d/tags/stale", id), ""
	}),
	caseRoute("POST", "/api/v1/cases/:id/links", caseWorkers, func(h *harness, id int64) (string, string) {
		return fmt.Sprintf("/api/v1/cases/%d/links", id), fmt.Sprintf(`{"other_case_id":%d,"kind":"related"}`, h.fixtureCase("VN", "misleading_claim").ID)
	}),
	caseRoute("POST", "/api/v1/cases/:id/:action", []string{"lead"}, func(h *harness, id int64) (string, string) {
		return fmt.Sprintf("/api/v1/cases/%d/triage", id), `{"version":1}`
	}),
	{method: "GET", path: "/api/v1/subjects/:id", allowed: caseReaders, notFound: noCaseRead, prepare: func(h *harness) (string, string) {
		c := h.fixtureCase("VN", "fake_engagement")
		return fmt.Sprintf("/api/v1/subjects/%d", c.Subject.ID), ""
	}},
	{method: "POST", path: "/api/v1/signals", allowed: []string{"token-wrong-scope"}, prepare: func(h *harness) (string, string) {
		return "/api/v1/signals", fmt.Sprintf(`{"signals":[{"source":"risk-engine","source_id":%q,"type":"report.filed","occurred_at":%q,
			"subject":{"kind":"livestream","external_id":"vn-live-1","market":"VN"},"attributes":{"reason":"scam"}}]}`,
			uniqueEmail("sig"), h.clock.Now().Add(-time.Minute).Format(time.RFC3339))
	}},
	{method: "POST", path: "/api/v1/rules/validate", allowed: []string{"admin", "lead", "analyst", "auditor"},
		prepare: static("/api/v1/rules/validate", `{"expression":"count(\"report.filed\", \"1h\") > 20"}`)},
	{method: "POST", path: "/api/v1/rules/test", allowed: ruleReaders,
		prepare: static("/api/v1/rules/test", `{"expression":"signal.type == \"x\"","signal":{"type":"x"}}`)},
	{method: "GET", path: "/api/v1/rules", allowed: ruleReaders, prepare: static("/api/v1/rules?status=shadow", "")},
	{method: "POST", path: "/api/v1/rules", allowed: []string{"analyst"}, prepare: func(h *harness) (string, string) {
		return "/api/v1/rules", fmt.Sprintf(`{"name":%q,"markets":["VN"],"signal_types":["report.filed"],"expression":"count(\"report.filed\", \"1h\") > 3","policy":"counterfeit","severity":"high"}`, uniqueEmail("rule"))
	}},
	{method: "GET", path: "/api/v1/rules/:id", allowed: ruleReaders, prepare: func(h *harness) (string, string) {
		return fmt.Sprintf("/api/v1/rules/%d", h.fixtureRule().ID), ""
	}},
	{method: "PUT", path: "/api/v1/rules/:id", allowed: []string{"analyst"}, prepare: func(h *harness) (string, string) {
		r := h.fixtureRule()
		return fmt.Sprintf("/api/v1/rules/%d", r.ID), fmt.Sprintf(`{"name":%q,"markets":["VN"],"signal_types":["report.filed"],"expression":"count(\"report.filed\", \"1h\") > 9","policy":"counterfeit","severity":"high","status":"shadow","version":%d}`, r.Name, r.Version)
	}},
	{method: "GET", path: "/api/v1/rules/:id/versions", allowed: ruleReaders, prepare: func(h *harness) (string, string) {
		return fmt.Sprintf("/api/v1/rules/%d/versions", h.fixtureRule().ID), ""
	}},
	{method: "GET", path: "/api/v1/rules/:id/hits", allowed: ruleReaders, prepare: func(h *harness) (string, string) {
		return fmt.Sprintf("/api/v1/rules/%d/hits", h.fixtureRule().ID), ""
	}},
	{method: "POST", path: "/api/v1/rules/:id/backtest", allowed: []string{"analyst"}, prepare: func(h *harness) (string, string) {
		return fmt.Sprintf("/api/v1/rules/%d/backtest", h.fixtureRule().ID), `{"from":"2026-01-01T00:00:00Z","to":"2026-01-08T00:00:00Z"}`
	}},
	{method: "GET", path: "/api/v1/rules/:id/backtests", allowed: ruleReaders, prepare: func(h *harness) (string, string) {
		return fmt.Sprintf("/api/v1/rules/%d/backtests", h.fixtureRule().ID), ""
	}},
	{method: "GET", path: "/api/v1/backtests/:id", allowed: ruleReaders, prepare: func(h *harness) (string, string) {
		return fmt.Sprintf("/api/v1/backtests/%d", h.fixtureBacktest()), ""
	}},
	{method: "POST", path: "/api/v1/backtests/:id/cancel", allowed: []string{"analyst"}, prepare: func(h *harness) (string, string) {
		return fmt.Sprintf("/api/v1/backtests/%d/cancel", h.fixtureBacktest()), ""
	}},
	{method: "GET", path: "/api/v1/routes", allowed: []string{"admin", "lead", "reviewer", "analyst", "auditor", "qa"}, prepare: static("/api/v1/routes", "")},
	{method: "PUT", path: "/api/v1/routes", allowed: []string{"admin", "lead"}, prepare: func(h *harness) (string, string) {
		return "/api/v1/routes", fmt.Sprintf(`{"market":"VN","policy":"counterfeit","queue_id":%d}`, h.queueID("Vietnam review"))
	}},
	{method: "GET", path: "/api/v1/stream", allowed: caseReaders, stream: true, prepare: static("/api/v1/stream", "")},
	{method: "GET", path: "/api/v1/notifications", allowed: users, prepare: static("/api/v1/notifications?unread=true", "")},
	{method: "POST", path: "/api/v1/notifications/read", allowed: users, prepare: static("/api/v1/notifications/read", `{"all":true}`)},
	{method: "GET", path: "/api/v1/webhooks", allowed: []string{"admin"}, prepare: static("/api/v1/webhooks", "")},
	{method: "POST", path: "/api/v1/webhooks", allowed: []string{"admin"}, prepare: static("/api/v1/webhooks",
		`{"name":"trust-bus","url":"https://hooks.example/docket","event_types":["case.escalated"]}`)},
	{method: "GET", path: "/api/v1/webhooks/:id", allowed: []string{"admin"}, prepare: func(h *harness) (string, string) {
		return fmt.Sprintf("/api/v1/webhooks/%d", h.fixtureWebhook().ID), ""
	}},
	{method: "PUT", path: "/api/v1/webhooks/:id", allowed: []string{"admin"}, prepare: func(h *harness) (string, string) {
		w := h.fixtureWebhook()
		return fmt.Sprintf("/api/v1/webhooks/%d", w.ID), fmt.Sprintf(`{"name":"renamed","url":%q,"event_types":["case.created"],"version":%d}`, w.URL, w.Version)
	}},
	{method: "POST", path: "/api/v1/webhooks/:id/rotate-secret", allowed: []string{"admin"}, prepare: func(h *harness) (string, string) {
		w := h.fixtureWebhook()
		return fmt.Sprintf("/api/v1/webhooks/%d/rotate-secret", w.ID), fmt.Sprintf(`{"version":%d}`, w.Version)
	}},
	{method: "GET", path: "/api/v1/webhooks/:id/deliveries", allowed: []string{"admin"}, prepare: func(h *harness) (string, string) {
		return fmt.Sprintf("/api/v1/webhooks/%d/deliveries?status=dead", h.fixtureWebhook().ID), ""
	}},
	{method: "POST", path: "/api/v1/webhook-deliveries/:id/redeliver", allowed: []string{"admin"}, prepare: func(h *harness) (string, string) {
		return fmt.Sprintf("/api/v1/webhook-deliveries/%d/redeliver", h.fixtureDeadDelivery()), ""
	}},
	{method: "GET", path: "/api/v1/audit", allowed: []string{"admin", "auditor", "token-audit-read"}, prepare: static("/api/v1/audit", "")},
	{method: "GET", path: "/api/v1/audit/verify", allowed: []string{"admin", "auditor"}, prepare: static("/api/v1/audit/verify", "")},
	{method: "GET", path: "/api/v1/audit/export.csv", allowed: []string{"auditor"}, prepare: static("/api/v1/audit/export.csv", "")},
}

// Routes outside the API's permission model: health, metrics, the
// document, and the SPA.
var publicInfrastructure = map[string]bool{
	"GET /healthz": true, "GET /readyz": true, "GET /metrics": true, "GET /api/openapi.json": true,
	"GET /*": true, "HEAD /*": true,
}

// TestAccessMatrix calls every registered route as every kind of caller
// and checks 401/403/2xx against the permission matrix. A route missing
// from the table fails the test.
func TestAccessMatrix(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		h := newHarness(t, db, Options{})
		covered := map[string]bool{}
		for _, r := range matrix {
			covered[r.method+" "+r.path] = true
		}
		for _, r := range h.echo.Routes() {
			key := r.Method + " " + r.Path
			if strings.HasPrefix(r.Path, "/api/*") || r.Method == "echo_route_any" || publicInfrastructure[key] {
				continue
			}
			if !covered[key] {
				t.Errorf("route %s is not in the access matrix; add it with who may call it", key)
			}
		}
		for _, r := range matrix {
			for _, p := range principals {
				c := p.make(h)
				path, body := r.prepare(h)
				var res response
				if r.stream {
					res = c.statusOnly(r.method, path)
				} else {
					res = c.do(r.method, path, body)
				}
				var want string
				switch {
				case r.public || slices.Contains(r.allowed, p.name):
					want = "2xx"
				case p.name == "anonymous":
					want = "401"
				case slices.Contains(r.notFound, p.name):
					want = "404"
				default:
					want = "403"
				}
				got := fmt.Sprint(res.status)
				if res.status >= 200 && res.status < 300 {
					got = "2xx"
				}
				if got != want {
					t.Errorf("%s %s as %s: %d, want %s: %.200s", r.method, r.path, p.name, res.status, want, res.body)
				}
			}
		}
	})
}

package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

// A caller sees nothing of a market they hold no role in: lists leave it
// out and direct reads and writes answer 404, changing nothing.
func TestMarketIsolation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		h := newHarness(t, db, Options{})
		ctx := context.Background()
		vnAdmin := h.login(h.fixtureUser(models.Grant{Role: "admin", Market: "VN"}).Email)
		thUser := h.fixtureUser(models.Grant{Role: "lead", Market: "TH"})
		h.login(thUser.Email) // gives thUser a live session
		thToken := h.fixtureToken([]string{"cases:read"}, "TH")
		vnUser := h.fixtureUser(models.Grant{Role: "reviewer", Market: "VN"})

		// users: list and read
		list := vnAdmin.get("/api/v1/users?limit=200")
		if list.status != 200 || strings.Contains(string(list.body), thUser.Email) || !strings.Contains(string(list.body), vnUser.Email) {
			t.Fatalf("VN admin's user list: %d %.300s", list.status, list.body)
		}
		vnAdmin.get(fmt.Sprintf("/api/v1/users/%d", thUser.ID)).problem(t, 404, "user_not_found")
		// users: writes
		vnAdmin.do(http.MethodPost, fmt.Sprintf("/api/v1/users/%d/deactivate", thUser.ID), "").problem(t, 404, "user_not_found")
		vnAdmin.do(http.MethodPost, fmt.Sprintf("/api/v1/users/%d/grants", thUser.ID), `{"role":"reviewer","market":"VN"}`).problem(t, 404, "user_not_found")
		vnAdmin.do(http.MethodDelete, fmt.Sprintf("/api/v1/users/%d/grants/lead/TH", thUser.ID), "").problem(t, 404, "user_not_found")
		// grants in a market not held are refused even on a visible user
		vnAdmin.do(http.MethodPost, fmt.Sprintf("/api/v1/users/%d/grants", vnUser.ID), `{"role":"lead","market":"TH"}`).problem(t, 403, "forbidden")
		got, err := h.app.GetUser(ctx, app.SystemActor("test"), thUser.ID)
		if err != nil || !got.Active || len(got.Grants) != 1 || got.Grants[0] != (models.Grant{Role: "lead", Market: "TH"}) {
			t.Fatalf("TH user changed: %+v %v", got, err)
		}

		// sessions
		all, err := h.app.ListSessions(ctx, app.SystemActor("test"), thUser.ID, app.PageRequest{Limit: 10})
		if err != nil || len(all.Items) != 1 {
			t.Fatalf("TH session fixture: %v %v", all.Items, err)
		}
		thSession := all.Items[0].ID
		if r := vnAdmin.get("/api/v1/sessions?limit=200"); strings.Contains(string(r.body), thUser.Email) {
			t.Fatalf("VN admin lists a TH user's session: %.300s", r.body)
		}
		vnAdmin.get(fmt.Sprintf("/api/v1/sessions?user_id=%d", thUser.ID)).problem(t, 404, "user_not_found")
		vnAdmin.do(http.MethodDelete, fmt.Sprintf("/api/v1/sessions/%d", thSession), "").problem(t, 404, "session_not_found")
		if still, _ := h.app.ListSessions(ctx, app.SystemActor("test"), thUser.ID, app.PageRequest{Limit: 10}); len(still.Items) != 1 {
			t.Fatal("the TH session was revoked")
		}

		// tokens
		if r := vnAdmin.get("/api/v1/tokens"); strings.Contains(string(r.body), thToken.Token.Name) {
			t.Fatalf("VN admin lists a TH token: %.300s", r.body)
		}
		vnAdmin.do(http.MethodDelete, fmt.Sprintf("/api/v1/tokens/%d", thToken.Token.ID), "").problem(t, 404, "token_not_found")
		vnAdmin.do(http.MethodPost, "/api/v1/tokens", `{"name":"th feed","scopes":["signals:write"],"markets":["TH"]}`).problem(t, 403, "forbidden")
		if r := h.withToken(thToken.Secret).get("/api/v1/me"); r.status != 200 {
			t.Fatalf("the TH token stopped working: %d", r.status)
		}

		// audit: a VN auditor sees VN entries only
		vnAuditor := h.login(h.fixtureUser(models.Grant{Role: "auditor", Market: "VN"}).Email)
		entries := vnAuditor.get("/api/v1/audit?limit=200").json(t)["items"].([]any)
		sawVN := false
		for _, e := range entries {
			m := e.(map[string]any)["market"]
			if m != "VN" {
				t.Fatalf("VN auditor sees an entry of market %q", m)
			}
			sawVN = true
		}
		if !sawVN {
			t.Fatal("VN auditor sees no VN entries (the grants made above are VN entries)")
		}
		vnAuditor.get("/api/v1/audit?market=TH").json(t)
		if items := vnAuditor.get("/api/v1/audit?market=TH").json(t)["items"].([]any); len(items) != 0 {
			t.Fatalf("VN auditor filtered to TH sees %d entries", len(items))
		}

		// markets
		if r := vnAdmin.get("/api/v1/markets").json(t)["items"].([]any); len(r) != 1 || r[0].(map[string]any)["code"] != "VN" {
			t.Fatalf("VN admin's markets: %v", r)
		}
	})
}

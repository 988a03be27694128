package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

func sessionCookieOf(t *testing.T, h *harness, c *client) string {
	t.Helper()
	u, _ := url.Parse(h.srv.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == SessionCookie {
			return ck.Value
		}
	}
	return ""
}

// A session id planted before login is never adopted: login issues a new
// one, and the planted value authenticates nothing.
func TestSessionFixation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		h := newHarness(t, db, Options{})
		c := h.anon()
		u, _ := url.Parse(h.srv.URL)
		planted := "attacker-chosen-session-id-0123456789"
		c.http.Jar.SetCookies(u, []*http.Cookie{{Name: SessionCookie, Value: planted, Path: "/"}})
		r := c.do(http.MethodPost, "/api/v1/auth/login", fmt.Sprintf(`{"email":"lead@demo.docket.test","password":%q}`, app.DemoPassword))
		if r.status != 200 {
			t.Fatalf("login: %d %s", r.status, r.body)
		}
		set := r.header.Get("Set-Cookie")
		if !strings.Contains(set, "HttpOnly") || !strings.Contains(set, "SameSite=Lax") {
			t.Fatalf("cookie flags: %s", set)
		}
		got := sessionCookieOf(t, h, c)
		if got == "" || got == planted {
			t.Fatalf("session cookie after login %q: the planted id was kept", got)
		}
		attacker := h.anon()
		attacker.http.Jar.SetCookies(u, []*http.Cookie{{Name: SessionCookie, Value: planted, Path: "/"}})
		attacker.get("/api/v1/me").problem(t, 401, "unauthenticated")
		// A second login gets a different session again.
		if again := sessionCookieOf(t, h, h.login("lead@demo.docket.test")); again == got {
			t.Fatal("two logins shared a session id")
		}
		// Secure cookies when configured.
		hs := newHarness(t, db, Options{SecureCookies: true})
		r = hs.anon().do(http.MethodPost, "/api/v1/auth/login", fmt.Sprintf(`{"email":"qa@demo.docket.test","password":%q}`, app.DemoPassword))
		if !strings.Contains(r.header.Get("Set-Cookie"), "Secure") {
			t.Fatalf("--secure-cookies not honoured: %s", r.header.Get("Set-Cookie"))
		}
	})
}

func TestCSRF(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		h := newHarness(t, db, Options{})
		admin := h.login("admin@demo.docket.test")
		good := admin.csrf
		body := func(email string) string {
			return fmt.Sprintf(`{"email":%q,"name":"Csrf Probe","password":"a-long-enough-pass"}`, email)
		}
		admin.csrf = ""
		admin.do(http.MethodPost, "/api/v1/users", body("missing@example.test")).problem(t, 403, "csrf_failed")
		admin.csrf = "not-the-token"
		admin.do(http.MethodPost, "/api/v1/users", body("wrong@example.test")).problem(t, 403, "csrf_failed")
		// Another session's token does not fit this session.
		admin.csrf = h.login("admin@demo.docket.test").csrf
		admin.do(http.MethodPost, "/api/v1/users", body("other@example.test")).problem(t, 403, "csrf_failed")
		for _, email := range []string{"missing@example.test", "wrong@example.test", "other@example.test"} {
			if _, err := models.FindUserByEmail(context.Background(), db.Gorm, email); models.KindOf(err) != models.KindNotFound {
				t.Fatalf("a refused request created %s", email)
			}
		}
		admin.csrf = good
		if r := admin.do(http.MethodPost, "/api/v1/users", body("ok@example.test")); r.status != 201 {
			t.Fatalf("with the right token: %d %s", r.status, r.body)
		}
		// Safe methods need no token; bearer tokens need none at all.
		admin.csrf = ""
		if r := admin.get("/api/v1/users"); r.status != 200 {
			t.Fatalf("GET without CSRF: %d", r.status)
		}
		tok := h.fixtureToken([]string{"signals:write"}, "VN")
		if r := h.withToken(tok.Secret).do(http.MethodPost, "/api/v1/auth/logout", ""); r.status != 403 || strings.Contains(string(r.body), "csrf") {
			t.Fatalf("token on an unsafe route: %d %s", r.status, r.body)
		}
	})
}

func TestDeactivationRevokesAtOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		h := newHarness(t, db, Options{})
		admin := h.login("admin@demo.docket.test")
		u := h.fixtureUser(models.Grant{Role: "admin", Market: "VN"})
		victim := h.login(u.Email)
		// The user makes a token, which must die with the account.
		r := victim.do(http.MethodPost, "/api/v1/tokens", `{"name":"script","scopes":["cases:read"],"markets":["VN"]}`)
		if r.status != 201 {
			t.Fatalf("token: %d %s", r.status, r.body)
		}
		secret := r.json(t)["secret"].(string)
		bot := h.withToken(secret)
		if r := bot.get("/api/v1/me"); r.status != 200 {
			t.Fatalf("token before: %d", r.status)
		}
		if r := victim.get("/api/v1/me"); r.status != 200 {
			t.Fatalf("session before: %d", r.status)
		}
		r = admin.do(http.MethodPost, fmt.Sprintf("/api/v1/users/%d/deactivate", u.ID), "")
		if r.status != 200 || r.json(t)["active"] != false {
			t.Fatalf("deactivate: %d %s", r.status, r.body)
		}
		victim.get("/api/v1/me").problem(t, 401, "unauthenticated")
		bot.get("/api/v1/me").problem(t, 401, "invalid_token")
		// The password no longer works either.
		c := h.anon()
		c.do(http.MethodPost, "/api/v1/auth/login", fmt.Sprintf(`{"email":%q,"password":%q}`, u.Email, app.DemoPassword)).problem(t, 401, "invalid_credentials")
		// Nobody deactivates themselves.
		me := h.login("admin@demo.docket.test")
		self := me.get("/api/v1/me").json(t)["user"].(map[string]any)["id"].(float64)
		me.do(http.MethodPost, fmt.Sprintf("/api/v1/users/%d/deactivate", int64(self)), "").problem(t, 409, "cannot_deactivate_self")
	})
}

func TestSessionExpiry(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		h := newHarness(t, db, Options{})
		idle := h.login("reviewer@demo.docket.test")
		h.clock.Advance(11 * time.Hour)
		if r := idle.get("/api/v1/me"); r.status != 200 {
			t.Fatalf("11 h idle: %d", r.status)
		}
		h.clock.Advance(12*time.Hour + time.Minute)
		idle.get("/api/v1/me").problem(t, 401, "unauthenticated")

		// Used every few hours, a session still ends after 7 days.
		busy := h.login("qa@demo.docket.test")
		for range 6 * 24 / 6 {
			h.clock.Advance(6 * time.Hour)
			if r := busy.get("/api/v1/me"); r.status != 200 {
				t.Fatalf("active session refused at %v: %d", h.clock.Now(), r.status)
			}
		}
		h.clock.Advance(24*time.Hour + time.Minute)
		busy.get("/api/v1/me").problem(t, 401, "unauthenticated")

		// Logging out ends the session on the server, not just the cookie.
		out := h.login("lead@demo.docket.test")
		u, _ := url.Parse(h.srv.URL)
		saved := out.http.Jar.Cookies(u)
		if r := out.do(http.MethodPost, "/api/v1/auth/logout", ""); r.status != 204 {
			t.Fatalf("logout: %d", r.status)
		}
		replay := h.anon()
		replay.http.Jar.SetCookies(u, saved)
		replay.get("/api/v1/me").problem(t, 401, "unauthenticated")
	})
}

func loginAttempt(h *harness, ip, email, password string) response {
	c := h.anon()
	c.header["X-Forwarded-For"] = ip
	return c.do(http.MethodPost, "/api/v1/auth/login", fmt.Sprintf(`{"email":%q,"password":%q}`, email, password))
}

func TestLoginThrottling(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		h := newHarness(t, db, Options{})
		// Unknown email and wrong password look the same.
		a := loginAttempt(h, "10.0.0.1", "nobody@demo.docket.test", "whatever-password").problem(t, 401, "invalid_credentials")
		b := loginAttempt(h, "10.0.0.2", "lead@demo.docket.test", "whatever-password").problem(t, 401, "invalid_credentials")
		if a["detail"] != b["detail"] || a["title"] != b["title"] {
			t.Fatalf("unknown email and wrong password differ: %v vs %v", a, b)
		}

		// Per account: five failures from five addresses, then back-off.
		for i := range 4 {
			loginAttempt(h, fmt.Sprintf("10.1.0.%d", i), "lead@demo.docket.test", "wrong-password-guess").problem(t, 401, "invalid_credentials")
		}
		r := loginAttempt(h, "10.1.0.9", "lead@demo.docket.test", app.DemoPassword)
		p := r.problem(t, 429, "too_many_attempts")
		ra, err := strconv.Atoi(r.header.Get("Retry-After"))
		if err != nil || ra < 1 || ra > 30 {
			t.Fatalf("Retry-After %q (%v)", r.header.Get("Retry-After"), p)
		}
		h.clock.Advance(time.Duration(ra+1) * time.Second)
		if r := loginAttempt(h, "10.1.0.9", "lead@demo.docket.test", app.DemoPassword); r.status != 200 {
			t.Fatalf("after the back-off the right password must work: %d %s", r.status, r.body)
		}
		// Failures grow the back-off.
		for i := range 6 {
			loginAttempt(h, "10.2.0.1", "qa@demo.docket.test", "wrong-password-guess")
			if i < 5 {
				h.clock.Advance(31 * time.Second) // wait out each lock
			}
		}
		r = loginAttempt(h, "10.2.0.2", "qa@demo.docket.test", app.DemoPassword)
		if ra2, _ := strconv.Atoi(r.header.Get("Retry-After")); r.status != 429 || ra2 <= 30 {
			t.Fatalf("repeated failures should lengthen the lock: %d Retry-After %q", r.status, r.header.Get("Retry-After"))
		}

		// Per address: one client spraying many accounts is stopped too.
		for i := range 5 {
			loginAttempt(h, "10.9.9.9", fmt.Sprintf("spray%d@demo.docket.test", i), "wrong-password-guess")
		}
		loginAttempt(h, "10.9.9.9", "auditor@demo.docket.test", app.DemoPassword).problem(t, 429, "too_many_attempts")
		if r := loginAttempt(h, "10.9.9.10", "auditor@demo.docket.test", app.DemoPassword); r.status != 200 {
			t.Fatalf("another address is not throttled: %d", r.status)
		}
	})
}

// Bad input to the account endpoints is a 4xx with a code, and changes
// nothing.
func TestAccountInputValidation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		h := newHarness(t, db, Options{})
		admin := h.login("admin@demo.docket.test")
		before, _ := models.CountUsers(context.Background(), db.Gorm)
		for _, tc := range []struct{ body, code, field string }{
			{`{"email":"not-an-email","name":"X","password":"a-long-enough-pass"}`, "invalid_user", "email"},
			{`{"email":"a@b.test","name":"","password":"a-long-enough-pass"}`, "invalid_user", "name"},
			{`{"email":"a@b.test","name":"X","password":"short"}`, "invalid_user", "password"},
			{`{"email":"a@b.test","name":"X","password":"password1234"}`, "invalid_user", "password"},
			{`{"email":"a@b.test","name":"X","password":"a-long-enough-pass","grants":[{"role":"king","market":"VN"}]}`, "unknown_role", "grants[0].role"},
			{`{"email":"a@b.test","name":"X","password":"a-long-enough-pass","grants":[{"role":"lead","market":"XX"}]}`, "unknown_market", "grants[0].market"},
			{`{"email":"LEAD@demo.docket.test","name":"X","password":"a-long-enough-pass"}`, "email_taken", ""},
		} {
			status := 400
			if tc.code == "email_taken" {
				status = 409
			}
			p := admin.do(http.MethodPost, "/api/v1/users", tc.body).problem(t, status, tc.code)
			if tc.field != "" && !strings.Contains(fmt.Sprint(p["errors"]), "field:"+tc.field) {
				t.Errorf("%s: want a field error on %s, got %v", tc.body, tc.field, p["errors"])
			}
		}
		admin.do(http.MethodPost, "/api/v1/tokens", `{"name":"x","scopes":["root"],"markets":["VN"]}`).problem(t, 400, "invalid_token_request")
		admin.do(http.MethodPost, "/api/v1/tokens", `{"name":"x","scopes":["cases:read"],"markets":["*","VN"]}`).problem(t, 400, "invalid_token_request")
		admin.do(http.MethodPost, "/api/v1/tokens", `{"name":"x","scopes":["cases:read"],"markets":["ZZ"]}`).problem(t, 400, "unknown_market")
		admin.get("/api/v1/users/abc").problem(t, 400, "invalid_id")
		admin.get("/api/v1/users/999999").problem(t, 404, "user_not_found")
		admin.get("/api/v1/audit?since=yesterday").problem(t, 400, "invalid_time")
		admin.get("/api/v1/users?active=maybe").problem(t, 400, "invalid_query")
		if after, _ := models.CountUsers(context.Background(), db.Gorm); after != before {
			t.Fatalf("refused requests created users: %d -> %d", before, after)
		}
	})
}

// Failures arriving together are all counted: the counter row is locked,
// so every attempt that was refused as a wrong password shows in the count.
func TestConcurrentLoginFailuresAllCount(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		h := newHarness(t, db, Options{})
		const n = 12
		statuses := make(chan int, n)
		for i := range n {
			go func() {
				c := h.anon()
				c.header["X-Forwarded-For"] = fmt.Sprintf("10.7.0.%d", i)
				statuses <- c.do(http.MethodPost, "/api/v1/auth/login", `{"email":"analyst@demo.docket.test","password":"wrong-password-guess"}`).status
			}()
		}
		counted := 0
		for range n {
			if <-statuses == http.StatusUnauthorized {
				counted++
			}
		}
		th, err := models.FindLoginThrottle(context.Background(), db.Gorm, "email:analyst@demo.docket.test")
		if err != nil {
			t.Fatal(err)
		}
		if th.Failures != counted || counted < 5 || th.LockedUntil == nil {
			t.Fatalf("%d wrong-password answers recorded as %d failures (locked %v)", counted, th.Failures, th.LockedUntil)
		}
	})
}

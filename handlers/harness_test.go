package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/migrations"
	"github.com/docket-tns/docket/models"
)

// testUI stands in for the built SPA.
var testUI = fstest.MapFS{
	"index.html":             {Data: []byte(`<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>`)},
	"assets/index-abc123.js": {Data: bytes.Repeat([]byte("console.log('docket');\n"), 200)},
	"favicon.svg":            {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`)},
}

// testAuth keeps password hashing cheap so tests can log in hundreds of
// times; everything else is the production default.
var testAuth = app.AuthSettings{Password: app.PasswordParams{MemoryKiB: 1024, Time: 1, Threads: 1}}

// testClock is a settable clock for session expiry and throttling.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type harness struct {
	t     *testing.T
	app   *app.App
	clock *testClock
	srv   *httptest.Server
	echo  *echo.Echo
	db    *models.Database
	logs  *lockedWriter
}

// newHarness serves the real handler stack over real HTTP on db.
func newHarness(t *testing.T, db *models.Database, opts Options) *harness {
	t.Helper()
	m, err := migrations.New(db.SQL, string(db.Dialect))
	if err != nil {
		t.Fatal(err)
	}
	logs := &lockedWriter{w: &bytes.Buffer{}}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	clock := &testClock{now: time.Now().UTC().Truncate(time.Second)}
	a, err := app.New(app.Deps{DB: db, Schema: m, Logger: log, Version: "test", Auth: testAuth, Now: clock.Now, StreamPoll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	opts.Logger = log
	if opts.UI == nil {
		opts.UI = testUI
	}
	e, err := New(a, opts)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, app: a, clock: clock, echo: e, db: db, logs: logs}
	h.srv = httptest.NewServer(e)
	t.Cleanup(h.srv.Close)
	if _, err := a.LoadDemoUsers(context.Background()); err != nil {
		t.Fatalf("demo users: %v", err)
	}
	return h
}

// client is one caller: anonymous, a logged-in session (cookie jar and
// CSRF token), or an API token.
type client struct {
	h      *harness
	http   *http.Client
	csrf   string
	bearer string
	header map[string]string
}

func (h *harness) anon() *client {
	jar, _ := cookiejar.New(nil)
	return &client{h: h, http: &http.Client{Jar: jar}, header: map[string]string{}}
}

// login signs in with the demo password and fails the test otherwise.
func (h *harness) login(email string) *client {
	h.t.Helper()
	c := h.anon()
	r := c.do(http.MethodPost, "/api/v1/auth/login", fmt.Sprintf(`{"email":%q,"password":%q}`, email, app.DemoPassword))
	if r.status != 200 {
		h.t.Fatalf("login %s: %d %s", email, r.status, r.body)
	}
	c.csrf = r.json(h.t)["csrf_token"].(string)
	return c
}

func (h *harness) withToken(secret string) *client {
	c := h.anon()
	c.bearer = secret
	return c
}

func (c *client) do(method, path, body string) response {
	c.h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.h.srv.URL+path, rd)
	if err != nil {
		c.h.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" && method != http.MethodGet && method != http.MethodHead {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.h.t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func (c *client) get(path string) response { return c.do(http.MethodGet, path, "") }

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("response is not JSON (%v): %s", err, r.body)
	}
	return m
}

// problem asserts a problem+json answer with status and code.
func (r response) problem(t *testing.T, status int, code string) map[string]any {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json", ct)
	}
	p := r.json(t)
	if p["code"] != code {
		t.Fatalf("code %v, want %s: %s", p["code"], code, r.body)
	}
	if int(p["status"].(float64)) != status || p["title"] == "" || p["request_id"] == "" {
		t.Fatalf("incomplete problem: %s", r.body)
	}
	if p["request_id"] != r.header.Get("X-Request-Id") {
		t.Fatalf("problem request_id %v differs from header %q", p["request_id"], r.header.Get("X-Request-Id"))
	}
	return p
}

func (h *harness) do(method, path string, body io.Reader, header map[string]string) response {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func (h *harness) get(path string) response { return h.do(http.MethodGet, path, nil, nil) }

func (h *harness) postJSON(path, body string) response {
	return h.do(http.MethodPost, path, strings.NewReader(body), map[string]string{"Content-Type": "application/json"})
}

// statusOnly reads a response's status and headers, then hangs up (for
// event streams).
func (c *client) statusOnly(method, path string) response {
	c.h.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, method, c.h.srv.URL+path, nil)
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.h.t.Fatal(err)
	}
	defer res.Body.Close()
	r := response{status: res.StatusCode, header: res.Header}
	if res.StatusCode >= 300 {
		r.body, _ = io.ReadAll(res.Body)
	}
	return r
}

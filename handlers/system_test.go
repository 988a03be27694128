package handlers

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/migrations"
	"github.com/docket-tns/docket/models"
)

func TestHealthReadinessStatus(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		h := newHarness(t, db, Options{})

		if r := h.get("/healthz"); r.status != 200 || r.json(t)["status"] != "ok" {
			t.Fatalf("healthz: %d %s", r.status, r.body)
		}
		r := h.get("/readyz")
		if r.status != 200 || r.json(t)["status"] != "ready" {
			t.Fatalf("readyz: %d %s", r.status, r.body)
		}

		r = h.get("/api/v1/system/status")
		if r.status != 200 {
			t.Fatalf("status: %d %s", r.status, r.body)
		}
		st := r.json(t)
		dbs := st["database"].(map[string]any)
		if st["status"] != "ok" || dbs["dialect"] != string(db.Dialect) || dbs["reachable"] != true ||
			dbs["migrations_current"] != true || dbs["schema_version"] != dbs["latest_version"] || dbs["schema_version"].(float64) < 1 {
			t.Fatalf("status body: %s", r.body)
		}
		if st["version"] != "test" {
			t.Fatalf("version %v", st["version"])
		}
	})
}

// A server whose schema is behind the binary must not take traffic.
func TestReadinessWithPendingMigration(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		h := newHarness(t, db, Options{})
		m, err := migrations.New(db.SQL, string(db.Dialect))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Down(context.Background()); err != nil {
			t.Fatal(err)
		}
		r := h.get("/readyz")
		if r.status != http.StatusServiceUnavailable {
			t.Fatalf("readyz with a pending migration: %d %s", r.status, r.body)
		}
		body := r.json(t)
		if body["status"] != "not_ready" || body["checks"].(map[string]any)["migrations"] != "pending" {
			t.Fatalf("readyz body: %s", r.body)
		}
		if st := h.get("/api/v1/system/status").json(t); st["status"] != "degraded" {
			t.Fatalf("status should be degraded: %v", st)
		}
	})
}

func TestReadinessWithDatabaseDown(t *testing.T) {
	db := testdb.SQLite(t)
	h := newHarness(t, db, Options{})
	_ = db.SQL.Close()
	r := h.get("/readyz")
	if r.status != http.StatusServiceUnavailable || r.json(t)["checks"].(map[string]any)["database"] != "unreachable" {
		t.Fatalf("readyz with the database closed: %d %s", r.status, r.body)
	}
}

func TestListMarketsPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		h := newHarness(t, db, Options{})
		admin := h.login("admin@demo.docket.test")
		var codes []string
		path := "/api/v1/markets?limit=4"
		pages := 0
		for path != "" {
			r := admin.get(path)
			if r.status != 200 {
				t.Fatalf("%s: %d %s", path, r.status, r.body)
			}
			body := r.json(t)
			for _, it := range body["items"].([]any) {
				codes = append(codes, it.(map[string]any)["code"].(string))
			}
			pages++
			path = ""
			if c, ok := body["next_cursor"].(string); ok {
				path = "/api/v1/markets?limit=4&cursor=" + c
			}
		}
		if got := strings.Join(codes, ","); got != "ID,MY,PH,SG,TH,VN" || pages != 2 {
			t.Fatalf("markets %s over %d pages, want ID..VN over 2", got, pages)
		}
		// Lists are filtered to the caller's markets.
		lead := h.login("lead@demo.docket.test")
		var mine []string
		for _, it := range lead.get("/api/v1/markets").json(t)["items"].([]any) {
			mine = append(mine, it.(map[string]any)["code"].(string))
		}
		if got := strings.Join(mine, ","); got != "TH,VN" {
			t.Fatalf("lead of VN and TH sees markets %s", got)
		}
		// The last page says there is no next one with an explicit null.
		if r := admin.get("/api/v1/markets"); !bytes.Contains(r.body, []byte(`"next_cursor":null`)) {
			t.Fatalf("single page: %s", r.body)
		}
	})
}

func TestBadQueryParameters(t *testing.T) {
	h := newHarness(t, testdb.SQLite(t), Options{})
	admin := h.login("admin@demo.docket.test")
	for _, tc := range []struct{ path, code string }{
		{"/api/v1/markets?limit=0", "invalid_limit"},
		{"/api/v1/markets?limit=201", "invalid_limit"},
		{"/api/v1/markets?limit=ten", "invalid_limit"},
		{"/api/v1/markets?cursor=!!!", "invalid_cursor"},
		{"/api/v1/markets?cursor=bm90LWpzb24", "invalid_cursor"},
	} {
		p := admin.get(tc.path).problem(t, 400, tc.code)
		if errs, ok := p["errors"].([]any); !ok || len(errs) != 1 {
			t.Errorf("%s: want one field error, got %v", tc.path, p["errors"])
		}
	}
}

func TestUnknownAndWrongMethod(t *testing.T) {
	h := newHarness(t, testdb.SQLite(t), Options{})
	h.get("/api/v1/no-such-thing").problem(t, 404, "not_found")
	h.get("/api/v2/markets").problem(t, 404, "not_found")
	h.do(http.MethodDelete, "/api/v1/nope", nil, nil).problem(t, 404, "not_found")
	h.postJSON("/api/v1/markets", `{}`).problem(t, 405, "method_not_allowed")
}

func TestSecurityHeadersAndRequestID(t *testing.T) {
	h := newHarness(t, testdb.SQLite(t), Options{HSTS: true})
	for _, path := range []string{"/", "/api/v1/markets", "/api/v1/nope", "/healthz"} {
		r := h.do(http.MethodGet, path, nil, map[string]string{"X-Request-ID": "edge-42"})
		csp := r.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		for k, want := range map[string]string{
			"X-Content-Type-Options":    "nosniff",
			"Referrer-Policy":           "strict-origin-when-cross-origin",
			"X-Frame-Options":           "DENY",
			"Strict-Transport-Security": "max-age=31536000; includeSubDomains",
			"X-Request-Id":              "edge-42",
		} {
			if got := r.header.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", path, k, got, want)
			}
		}
	}
	// An id that could forge log lines is replaced, not echoed.
	r := h.do(http.MethodGet, "/healthz", nil, map[string]string{"X-Request-ID": "bad id\" level=ERROR"})
	if id := r.header.Get("X-Request-Id"); id == "" || strings.ContainsAny(id, " \"=") {
		t.Fatalf("request id %q", id)
	}
	if !strings.Contains(h.logs.String(), `"request_id":"edge-42"`) || !strings.Contains(h.logs.String(), `"path":"/api/v1/markets"`) {
		t.Fatalf("request log lines missing: %s", h.logs.String())
	}
}

func TestPanicBecomesGeneric500(t *testing.T) {
	h := newHarness(t, testdb.SQLite(t), Options{})
	h.echo.GET("/api/v1/test-panic", func(echo.Context) error { panic("secret internals") })
	p := h.get("/api/v1/test-panic").problem(t, 500, "internal")
	if strings.Contains(string(h.get("/api/v1/test-panic").body), "secret") || p["detail"] == "" {
		t.Fatalf("500 leaks or lacks detail: %v", p)
	}
	if !strings.Contains(h.logs.String(), "secret internals") {
		t.Fatal("the panic's cause was not logged")
	}
}

func TestMetricsAndGzip(t *testing.T) {
	h := newHarness(t, testdb.SQLite(t), Options{})
	h.get("/api/v1/system/status")
	r := h.get("/metrics")
	if r.status != 200 || !bytes.Contains(r.body, []byte(`docket_http_requests_total{code="200",host=`)) {
		t.Fatalf("metrics: %d %.400s", r.status, r.body)
	}
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/api/openapi.json", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	tr := &http.Transport{DisableCompression: true}
	res, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("openapi.json not gzipped: %v", res.Header)
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(zr)
	if !bytes.Contains(b, []byte(`"openapi":"3.0.3"`)) {
		t.Fatalf("unzipped body: %.200s", b)
	}
}

// A request its client abandons is logged at info level as 499, never as
// a server error (it used to show as a 500 with "context canceled").
func TestAbandonedRequestIsNotAServerError(t *testing.T) {
	h := newHarness(t, testdb.SQLite(t), Options{})
	started := make(chan struct{})
	h.echo.GET("/api/v1/test-slow", func(c echo.Context) error {
		close(started)
		<-c.Request().Context().Done()
		return c.Request().Context().Err()
	})
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.srv.URL+"/api/v1/test-slow", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Request-Id", "walked-away-1")
	done := make(chan error, 1)
	go func() {
		res, err := h.srv.Client().Do(req)
		if err == nil {
			res.Body.Close()
		}
		done <- err
	}()
	<-started
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("client: %v, want context canceled", err)
	}
	var line map[string]any
	deadline := time.Now().Add(10 * time.Second)
	for line == nil {
		for _, l := range strings.Split(h.logs.String(), "\n") {
			if strings.Contains(l, `"request_id":"walked-away-1"`) && strings.Contains(l, `"msg":"http"`) {
				if err := json.Unmarshal([]byte(l), &line); err != nil {
					t.Fatal(err)
				}
			}
		}
		if line == nil {
			if time.Now().After(deadline) {
				t.Fatalf("no request log line: %s", h.logs.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	if line["status"] != float64(499) || line["level"] != "INFO" {
		t.Fatalf("logged as %v at %v, want 499 at INFO", line["status"], line["level"])
	}
	if strings.Contains(h.logs.String(), `"msg":"request failed"`) {
		t.Fatalf("an abandoned request was logged as a failure: %s", h.logs.String())
	}
}

package handlers

import (
	"net/http"
	"strings"
	"testing"

	"github.com/docket-tns/docket/internal/testdb"
)

func TestSPAServing(t *testing.T) {
	h := newHarness(t, testdb.SQLite(t), Options{})
	for _, path := range []string{"/", "/queues", "/cases/123", "/admin/users"} {
		r := h.get(path)
		if r.status != 200 || !strings.Contains(string(r.body), `<div id="root">`) {
			t.Fatalf("%s: %d %.100s", path, r.status, r.body)
		}
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: index.html Cache-Control %q, want no-store", path, cc)
		}
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s: content type %q", path, ct)
		}
	}

	r := h.get("/assets/index-abc123.js")
	if r.status != 200 || r.header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Fatalf("hashed asset: %d %v", r.status, r.header)
	}
	if ct := r.header.Get("Content-Type"); !strings.Contains(ct, "javascript") {
		t.Fatalf("asset content type %q", ct)
	}
	etag := r.header.Get("ETag")
	if etag == "" {
		t.Fatal("asset has no ETag")
	}
	if r := h.do(http.MethodGet, "/assets/index-abc123.js", nil, map[string]string{"If-None-Match": etag}); r.status != http.StatusNotModified {
		t.Fatalf("conditional GET: %d", r.status)
	}
	if r := h.get("/favicon.svg"); r.status != 200 || r.header.Get("Cache-Control") != "public, max-age=3600" {
		t.Fatalf("favicon: %d %v", r.status, r.header.Get("Cache-Control"))
	}

	// A path with an extension that is not a file is a 404, not the app.
	h.get("/assets/missing-999.js").problem(t, 404, "not_found")
	h.get("/robots.txt").problem(t, 404, "not_found")
	// API paths never fall back to the SPA.
	h.get("/api/v1/queues-that-do-not-exist").problem(t, 404, "not_found")
	h.get("/api").problem(t, 404, "not_found")

	if r := h.do(http.MethodHead, "/queues", nil, nil); r.status != 200 || len(r.body) != 0 {
		t.Fatalf("HEAD: %d %d bytes", r.status, len(r.body))
	}
	if r := h.get("/../../etc/passwd"); r.status != 200 || !strings.Contains(string(r.body), `id="root"`) {
		t.Fatalf("traversal attempt should get the app shell: %d", r.status)
	}
}

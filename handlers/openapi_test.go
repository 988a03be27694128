package handlers

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/docket-tns/docket/internal/testdb"
)

var echoParam = regexp.MustCompile(`:([a-zA-Z_]+)`)

// routesNotDocumented are served but deliberately outside the API document:
// the document itself, Prometheus, and the catch-alls.
var routesNotDocumented = map[string]bool{
	"GET /api/openapi.json": true,
	"GET /metrics":          true,
	"GET /*":                true,
	"HEAD /*":               true,
}

// The OpenAPI document and the router must name exactly the same operations.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	h := newHarness(t, testdb.SQLite(t), Options{})
	doc, err := openAPI()
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	registered := map[string]bool{}
	for _, r := range h.echo.Routes() {
		if strings.HasPrefix(r.Path, "/api/*") || r.Method == "echo_route_any" {
			continue
		}
		key := r.Method + " " + echoParam.ReplaceAllString(r.Path, "{$1}")
		if !routesNotDocumented[key] {
			registered[key] = true
		}
	}
	var missing, phantom []string
	for k := range registered {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !registered[k] {
			phantom = append(phantom, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(phantom)
	if len(missing) > 0 {
		t.Errorf("routes missing from handlers/openapi.yaml: %v", missing)
	}
	if len(phantom) > 0 {
		t.Errorf("openapi.yaml names routes that do not exist: %v", phantom)
	}
	if len(registered) < 4 {
		t.Fatalf("only %d routes seen; the walk is broken", len(registered))
	}

	r := h.get("/api/openapi.json")
	if r.status != 200 || r.json(t)["openapi"] != "3.0.3" {
		t.Fatalf("openapi.json: %d %.200s", r.status, r.body)
	}
	if r2 := h.do(http.MethodGet, "/api/openapi.json", nil, map[string]string{"If-None-Match": r.header.Get("ETag")}); r2.status != http.StatusNotModified {
		t.Fatalf("conditional GET of the document: %d", r2.status)
	}
}

package handlers

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/docket-tns/docket/internal/testdb"
)

type echoRequest struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// The decoder every JSON endpoint shares, behind a test route.
func TestDecodeJSONRefusesBadBodies(t *testing.T) {
	h := newHarness(t, testdb.SQLite(t), Options{BodyLimit: 1024})
	calls := 0
	h.echo.POST("/api/v1/test-echo", func(c echo.Context) error {
		var req echoRequest
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		calls++
		return c.JSON(http.StatusOK, req)
	})
	const path = "/api/v1/test-echo"

	r := h.postJSON(path, `{"name":"ok","count":2}`)
	if r.status != 200 || r.json(t)["name"] != "ok" {
		t.Fatalf("valid body: %d %s", r.status, r.body)
	}

	cases := []struct {
		name, ctype, body string
		status            int
		code, field       string
	}{
		{"malformed", "application/json", `{"name":`, 400, "invalid_json", ""},
		{"syntax", "application/json", `{"name" "x"}`, 400, "invalid_json", ""},
		{"not an object", "application/json", `[1,2]`, 400, "invalid_json", "(body)"},
		{"wrong type", "application/json", `{"count":"three"}`, 400, "invalid_json", "count"},
		{"unknown field", "application/json", `{"nam":"typo"}`, 400, "unknown_field", "nam"},
		{"empty", "application/json", ``, 400, "empty_body", ""},
		{"trailing", "application/json", `{"name":"a"} {"name":"b"}`, 400, "invalid_json", ""},
		{"text/plain", "text/plain", `{"name":"a"}`, 415, "unsupported_media_type", ""},
		{"form", "application/x-www-form-urlencoded", `name=a`, 415, "unsupported_media_type", ""},
		{"no type", "", `{"name":"a"}`, 415, "unsupported_media_type", ""},
		{"declared too large", "application/json", `{"name":"` + strings.Repeat("x", 2000) + `"}`, 413, "body_too_large", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hdr := map[string]string{}
			if tc.ctype != "" {
				hdr["Content-Type"] = tc.ctype
			}
			p := h.do(http.MethodPost, path, strings.NewReader(tc.body), hdr).problem(t, tc.status, tc.code)
			if tc.field != "" {
				errs, _ := p["errors"].([]any)
				if len(errs) != 1 || errs[0].(map[string]any)["field"] != tc.field {
					t.Fatalf("want a field error on %s, got %v", tc.field, p["errors"])
				}
			}
		})
	}

	// A chunked body declares no length; the cap must still hold.
	t.Run("chunked too large", func(t *testing.T) {
		body := io.MultiReader(strings.NewReader(`{"name":"`), bytes.NewReader(bytes.Repeat([]byte("y"), 4096)), strings.NewReader(`"}`))
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+path, body)
		req.Header.Set("Content-Type", "application/json")
		req.ContentLength = -1
		res, err := h.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		response{status: res.StatusCode, header: res.Header, body: b}.problem(t, 413, "body_too_large")
	})

	if calls != 1 {
		t.Fatalf("the handler ran %d times; bad bodies must never reach it", calls)
	}
}

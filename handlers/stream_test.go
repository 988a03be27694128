package handlers

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/internal/testdb"
)

func TestStreamOverHTTP(t *testing.T) {
	h := newHarness(t, testdb.SQLite(t), Options{})
	lead := h.login("lead@demo.docket.test")
	open := func(lastID string) (*bufio.Reader, func()) {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.srv.URL+"/api/v1/stream", nil)
		if lastID != "" {
			req.Header.Set("Last-Event-ID", lastID)
		}
		res, err := lead.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" || res.Header.Get("Content-Encoding") != "" {
			t.Fatalf("stream: %d %v", res.StatusCode, res.Header)
		}
		return bufio.NewReader(res.Body), func() { cancel(); res.Body.Close() }
	}
	next := func(r *bufio.Reader) (id, event, data string) {
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("stream ended: %v", err)
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case strings.HasPrefix(line, "id: "):
				id = line[4:]
			case strings.HasPrefix(line, "event: "):
				event = line[7:]
			case strings.HasPrefix(line, "data: "):
				data = line[6:]
			case line == "" && event != "":
				return
			}
		}
	}
	r, closeFirst := open("")
	c := h.fixtureCase("VN", "counterfeit")
	id, event, data := next(r)
	if event != "case.updated" || !strings.Contains(data, `"event":"created"`) || !strings.Contains(data, `"market":"VN"`) {
		t.Fatalf("first event %s %s %s", id, event, data)
	}
	closeFirst()
	// While disconnected, a comment happens; the reconnect gets it.
	if _, err := h.app.AddComment(context.Background(), app.SystemActor("test"), c.ID, "brand confirmed fake"); err != nil {
		t.Fatal(err)
	}
	r2, closeSecond := open(id)
	defer closeSecond()
	_, event, data = next(r2)
	if event != "case.updated" || !strings.Contains(data, `"event":"commented"`) {
		t.Fatalf("replayed %s %s", event, data)
	}
	// Someone without case or queue access is refused with a problem.
	admin := h.login("admin@demo.docket.test")
	admin.statusOnly(http.MethodGet, "/api/v1/stream")
	if res := admin.statusOnly(http.MethodGet, "/api/v1/stream"); res.status != 403 {
		t.Fatalf("admin stream: %d", res.status)
	}
}

package handlers

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

// Signals over HTTP: a mixed batch answers 200 with per-item results; a
// batch over 2 MB is 413; malformed batches are 400 and store nothing.
func TestSignalsOverHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		h := newHarness(t, db, Options{})
		c := h.withToken(h.fixtureToken([]string{"signals:write"}, "VN").Secret)
		at := h.clock.Now().Add(-time.Minute).Format(time.RFC3339)
		item := func(id, market string) string {
			return fmt.Sprintf(`{"source":"risk-engine","source_id":%q,"type":"refund.requested","occurred_at":%q,
				"subject":{"kind":"seller","external_id":"vn-shop-1","market":%q},"attributes":{"amount_usd":42.5}}`, id, at, market)
		}
		res := c.do("POST", "/api/v1/signals", `{"signals":[`+item("r-1", "VN")+`,`+item("r-2", "ID")+`]}`)
		if res.status != 200 {
			t.Fatalf("mixed batch: %d %s", res.status, res.body)
		}
		body := res.json(t)
		items := body["items"].([]any)
		if body["accepted"] != float64(1) || body["rejected"] != float64(1) || items[1].(map[string]any)["status"] != "rejected" {
			t.Fatalf("mixed batch: %s", res.body)
		}
		c.do("POST", "/api/v1/signals", `{"signals":[`+item("r-3", "ID")+`]}`).problem(t, 400, "no_valid_signals")
		c.do("POST", "/api/v1/signals", `{"signals":{}}`).problem(t, 400, "invalid_json")
		c.do("POST", "/api/v1/signals", `{"signals":[]}`).problem(t, 400, "empty_batch")
		huge := `{"signals":[` + item("big", "VN") + strings.Repeat(" ", 2<<20) + `]}`
		c.do("POST", "/api/v1/signals", huge).problem(t, 413, "body_too_large")
		var rows int64
		db.Gorm.Model(&models.Signal{}).Count(&rows)
		if rows != 1 {
			t.Fatalf("%d signals stored, want 1", rows)
		}
	})
}

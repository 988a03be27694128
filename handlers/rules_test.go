package handlers

import (
	"fmt"
	"testing"
	"time"

	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

// The rule flow over HTTP: an analyst's bad expression is 400 with its
// line and column; the fixed rule is saved in shadow; the analyst cannot
// publish, the lead can; signals sent with a token then open a case whose
// page shows the hit and the values it read.
func TestRuleFlowOverHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		h := newHarness(t, db, Options{})
		analyst, lead := h.login("analyst@demo.docket.test"), h.login("lead@demo.docket.test")
		rule := func(expr, status string, version int) string {
			v := ""
			if version > 0 {
				v = fmt.Sprintf(`,"version":%d`, version)
			}
			return fmt.Sprintf(`{"name":"Report burst HTTP","markets":["VN"],"signal_types":["report.filed"],"expression":%q,
				"policy":"livestream_harassment","severity":"high","auto_triage":true,"status":%q%s}`, expr, status, v)
		}
		p := analyst.do("POST", "/api/v1/rules", rule("signal.type == \"report.filed\" &&\n  count(\"report.filed\", \"1h\") >= \"two\"", "shadow", 0)).
			problem(t, 400, "invalid_expression")
		errs, _ := p["expression_errors"].([]any)
		if len(errs) == 0 || errs[0].(map[string]any)["line"] != float64(2) {
			t.Fatalf("expression errors: %v", p)
		}
		res := analyst.do("POST", "/api/v1/rules", rule(`signal.type == "report.filed" && count("report.filed", "1h") >= 2`, "shadow", 0))
		if res.status != 201 {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		r := res.json(t)
		path := fmt.Sprintf("/api/v1/rules/%v", r["id"])
		good := `signal.type == "report.filed" && count("report.filed", "1h") >= 2`
		analyst.do("PUT", path, rule(good, "live", 1)).problem(t, 403, "publish_required")
		if res := lead.do("PUT", path, rule(good, "live", 1)); res.status != 200 || res.json(t)["status"] != "live" {
			t.Fatalf("publish: %d %s", res.status, res.body)
		}
		tok := h.withToken(h.fixtureToken([]string{"signals:write"}, "VN").Secret)
		at := h.clock.Now().Add(-time.Minute)
		var items string
		for i := range 2 {
			if i > 0 {
				items += ","
			}
			items += fmt.Sprintf(`{"source":"risk","source_id":"http-%d","type":"report.filed","occurred_at":%q,
				"subject":{"kind":"livestream","external_id":"vn-live-http","market":"VN"},"attributes":{"reporter_id":"u%d"}}`,
				i, at.Add(time.Duration(i)*time.Second).Format(time.RFC3339Nano), i)
		}
		res = tok.do("POST", "/api/v1/signals", `{"signals":[`+items+`]}`)
		if res.status != 200 || res.json(t)["cases_opened"] != float64(1) {
			t.Fatalf("ingest: %d %s", res.status, res.body)
		}
		var c models.Case
		if err := db.Gorm.Where("policy_code = ?", "livestream_harassment").Take(&c).Error; err != nil || c.Status != models.StatusTriaged {
			t.Fatalf("case: %+v %v", c, err)
		}
		d := lead.get(fmt.Sprintf("/api/v1/cases/%d", c.ID)).json(t)
		hits, _ := d["hits"].([]any)
		if len(hits) != 1 || hits[0].(map[string]any)["rule_name"] != "Report burst HTTP" {
			t.Fatalf("case hits: %v", d["hits"])
		}
		vs := analyst.get(path + "/versions").json(t)["items"].([]any)
		if len(vs) != 2 {
			t.Fatalf("versions: %v", vs)
		}
	})
}

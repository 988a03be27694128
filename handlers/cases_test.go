package handlers

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

func (c *client) upload(path, title, name string, data []byte) response {
	c.h.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("title", title)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.h.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-CSRF-Token", c.csrf)
	res, err := c.http.Do(req)
	if err != nil {
		c.h.t.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b.Bytes()}
}

func TestCaseHTTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		h := newHarness(t, db, Options{})
		lead := h.login("lead@demo.docket.test")
		r := lead.do(http.MethodPost, "/api/v1/cases", `{"subject":{"kind":"listing","external_id":"vn-lst-1","market":"VN","display_name":"Fake perfume","attributes":{"followers":500}},"policy":"counterfeit","summary":"Perfume at 10% of retail","tags":["perfume"]}`)
		if r.status != 201 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		c := r.json(t)
		id := int64(c["id"].(float64))
		base := fmt.Sprintf("/api/v1/cases/%d", id)
		if c["status"] != "new" || c["version"] != float64(1) || !strings.Contains(fmt.Sprint(c["allowed_actions"]), "triage") {
			t.Fatalf("created case: %s", r.body)
		}
		p := lead.do(http.MethodPost, "/api/v1/cases", `{"subject":{"kind":"listing","external_id":"vn-lst-1","market":"VN"},"policy":"counterfeit"}`).problem(t, 409, "case_exists")
		if p["existing_case_id"] != float64(id) {
			t.Fatalf("case_exists must name the open case: %v", p)
		}

		// Version conflict and invalid transition over HTTP.
		lead.do(http.MethodPost, base+"/triage", `{"version":7}`).problem(t, 409, "version_conflict")
		lead.do(http.MethodPost, base+"/approve", `{"version":1}`).problem(t, 409, "invalid_transition")
		lead.do(http.MethodPost, base+"/frobnicate", `{"version":1}`).problem(t, 404, "unknown_action")
		lead.do(http.MethodPost, base+"/triage", `{}`).problem(t, 400, "version_required")
		if r := lead.do(http.MethodPost, base+"/triage", `{"version":1}`); r.status != 200 || r.json(t)["status"] != "triaged" {
			t.Fatalf("triage: %d %s", r.status, r.body)
		}

		// Evidence: a real PNG up, the same bytes down as an attachment.
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde")
		up := lead.upload(base+"/evidence", "Listing photo", "photo.png", png)
		if up.status != 201 {
			t.Fatalf("upload: %d %s", up.status, up.body)
		}
		ev := up.json(t)
		if ev["content_type"] != "image/png" || ev["size_bytes"] != float64(len(png)) {
			t.Fatalf("evidence: %s", up.body)
		}
		down := lead.get(ev["download_url"].(string))
		if down.status != 200 || !bytes.Equal(down.body, png) || !strings.HasPrefix(down.header.Get("Content-Disposition"), "attachment") ||
			!strings.Contains(down.header.Get("Content-Security-Policy"), "sandbox") {
			t.Fatalf("download: %d %v", down.status, down.header)
		}
		lead.upload(base+"/evidence", "Installer", "setup.exe", append([]byte("MZ\x90\x00"), make([]byte, 64)...)).problem(t, 415, "file_type_not_allowed")
		lead.upload(base+"/evidence", "Huge", "huge.png", append(png, make([]byte, 10<<20)...)).problem(t, 413, "file_too_large")
		lead.do(http.MethodPost, base+"/evidence", `{"kind":"url","title":"x","url":"javascript:alert(1)"}`).problem(t, 400, "invalid_evidence")

		// A reviewer of another market sees nothing of the case.
		id2 := h.login(h.fixtureUser(models.Grant{Role: "reviewer", Market: "TH"}).Email)
		id2.get(base).problem(t, 404, "case_not_found")
		id2.get(base+"/events").problem(t, 404, "case_not_found")
		id2.get(ev["download_url"].(string)).problem(t, 404, "case_not_found")
		id2.do(http.MethodPost, base+"/comments", `{"body":"peek"}`).problem(t, 404, "case_not_found")
		if items := id2.get("/api/v1/cases").json(t)["items"].([]any); len(items) != 0 {
			t.Fatalf("TH reviewer lists %d VN cases", len(items))
		}

		// The timeline tells the story in order.
		lead.do(http.MethodPost, base+"/comments", `{"body":"Batch code does not exist per brand."}`)
		evs := lead.get(base + "/events").json(t)["items"].([]any)
		var types []string
		for _, e := range evs {
			types = append(types, e.(map[string]any)["type"].(string))
		}
		if got := strings.Join(types, ","); got != "created,triage,evidence_added,commented" {
			t.Fatalf("timeline %s", got)
		}
		lead.get("/api/v1/cases?sort=severity").problem(t, 400, "invalid_sort")
		lead.get("/api/v1/cases?status=closed").problem(t, 400, "invalid_filter")
		if items := lead.get("/api/v1/cases?q=perfume&tag=perfume").json(t)["items"].([]any); len(items) != 1 {
			t.Fatalf("search by text and tag: %d", len(items))
		}
	})
}

// Claim-next answers the case page, or with Prefer: return=minimal only
// what the claim changed (as the SPA asks).
func TestClaimAnswers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		h := newHarness(t, db, Options{})
		lead := h.login("lead@demo.docket.test")
		for i := range 2 {
			r := lead.do(http.MethodPost, "/api/v1/cases", fmt.Sprintf(`{"subject":{"kind":"listing","external_id":"claim-%d","market":"VN"},"policy":"counterfeit"}`, i))
			if r.status != 201 {
				t.Fatalf("create: %d %s", r.status, r.body)
			}
			id := int64(r.json(t)["id"].(float64))
			if r := lead.do(http.MethodPost, fmt.Sprintf("/api/v1/cases/%d/triage", id), `{"version":1}`); r.status != 200 {
				t.Fatalf("triage: %d %s", r.status, r.body)
			}
		}
		rev := h.login("reviewer@demo.docket.test")
		me := int64(rev.get("/api/v1/me").json(t)["user"].(map[string]any)["id"].(float64))
		claim := fmt.Sprintf("/api/v1/queues/%d/claim", h.queueID("Vietnam review"))

		rev.header = map[string]string{"Prefer": "return=minimal"}
		r := rev.do(http.MethodPost, claim, "")
		if r.status != 200 || r.header.Get("Preference-Applied") != "return=minimal" || !strings.Contains(r.header.Get("Vary"), "Prefer") {
			t.Fatalf("minimal claim: %d %v %s", r.status, r.header, r.body)
		}
		got := r.json(t)
		if _, page := got["subject"]; page || got["status"] != "in_review" || got["version"] != float64(3) ||
			got["assignee_id"] != float64(me) || got["claim_expires_at"] == nil || got["market"] != "VN" || got["policy"] != "counterfeit" {
			t.Fatalf("minimal claim answer: %s", r.body)
		}
		page := rev.get(fmt.Sprintf("/api/v1/cases/%d", int64(got["id"].(float64)))).json(t)
		if page["status"] != "in_review" || page["version"] != float64(3) {
			t.Fatalf("the claimed case's page: %v", page)
		}

		rev.header = nil
		r = rev.do(http.MethodPost, claim, "")
		if r.status != 200 || r.header.Get("Preference-Applied") != "" {
			t.Fatalf("claim: %d %v %s", r.status, r.header, r.body)
		}
		full := r.json(t)
		if full["id"] == got["id"] || full["status"] != "in_review" || full["subject"] == nil || full["allowed_actions"] == nil {
			t.Fatalf("the full answer is the second case's page: %s", r.body)
		}
		rev.header = map[string]string{"Prefer": "return=minimal"}
		rev.do(http.MethodPost, claim, "").problem(t, 404, "queue_empty")
	})
}

package handlers

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

// Every mutation through the API lands in the chain with who, what, the
// request id and the client address; auditors filter, page, export and
// verify it.
func TestAuditTrailThroughAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		h := newHarness(t, db, Options{})
		admin := h.login("admin@demo.docket.test")
		admin.header["X-Request-ID"] = "req-create-user-1"
		r := admin.do(http.MethodPost, "/api/v1/users", `{"email":"new.lead@example.test","name":"New Lead","password":"a-long-enough-pass","grants":[{"role":"lead","market":"PH"}]}`)
		if r.status != 201 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		id := int64(r.json(t)["id"].(float64))
		admin.header["X-Request-ID"] = "req-grant-1"
		if r := admin.do(http.MethodPost, fmt.Sprintf("/api/v1/users/%d/grants", id), `{"role":"qa","market":"PH"}`); r.status != 200 {
			t.Fatalf("grant: %d %s", r.status, r.body)
		}

		auditor := h.login("auditor@demo.docket.test")
		list := auditor.get("/api/v1/audit?object_type=user&object_id=" + fmt.Sprint(id)).json(t)
		items := list["items"].([]any)
		if len(items) != 2 {
			t.Fatalf("want 2 entries for the user, got %d: %v", len(items), items)
		}
		newest, oldest := items[0].(map[string]any), items[1].(map[string]any)
		if newest["action"] != "grant.add" || oldest["action"] != "user.create" {
			t.Fatalf("actions newest first: %v, %v", newest["action"], oldest["action"])
		}
		if oldest["request_id"] != "req-create-user-1" || newest["request_id"] != "req-grant-1" {
			t.Fatalf("request ids: %v %v", oldest["request_id"], newest["request_id"])
		}
		if !strings.HasPrefix(oldest["actor"].(string), "user:") || oldest["actor_label"] != "admin@demo.docket.test" || oldest["client_ip"] != "127.0.0.1" {
			t.Fatalf("actor fields: %v", oldest)
		}
		if oldest["market"] != "PH" || oldest["before"] != nil || oldest["after"].(map[string]any)["email"] != "new.lead@example.test" {
			t.Fatalf("user.create entry: %v", oldest)
		}
		if strings.Contains(fmt.Sprint(oldest["after"]), "argon2") {
			t.Fatal("the password hash reached the audit log")
		}
		if b := newest["before"].([]any); len(b) != 1 || len(newest["after"].([]any)) != 2 {
			t.Fatalf("grant before/after: %v -> %v", newest["before"], newest["after"])
		}

		// Paging walks every entry once, newest first.
		var seqs []float64
		path := "/api/v1/audit?limit=3"
		for path != "" {
			page := auditor.get(path).json(t)
			for _, it := range page["items"].([]any) {
				seqs = append(seqs, it.(map[string]any)["seq"].(float64))
			}
			path = ""
			if c, ok := page["next_cursor"].(string); ok {
				path = "/api/v1/audit?limit=3&cursor=" + c
			}
		}
		for i := 1; i < len(seqs); i++ {
			if seqs[i] != seqs[i-1]-1 {
				t.Fatalf("paged seqs not contiguous and descending: %v", seqs)
			}
		}
		if seqs[len(seqs)-1] != 1 {
			t.Fatalf("paging did not reach the first entry: %v", seqs)
		}

		// CSV export: a header and one row per entry, oldest first.
		res := auditor.get("/api/v1/audit/export.csv?action=user.create")
		if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(res.header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("export: %d %v", res.status, res.header)
		}
		rows, err := csv.NewReader(strings.NewReader(string(res.body))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var creates int64
		db.Gorm.Model(&models.AuditEntry{}).Where("action = ?", "user.create").Count(&creates)
		if rows[0][0] != "seq" || int64(len(rows)-1) != creates || rows[len(rows)-1][6] != fmt.Sprint(id) {
			t.Fatalf("csv: %d rows for %d user.create entries; last %v", len(rows)-1, creates, rows[len(rows)-1])
		}

		// Verification over HTTP, clean and then tampered.
		v := auditor.get("/api/v1/audit/verify").json(t)
		if v["ok"] != true || v["first_broken_seq"] != nil || v["entries_checked"].(float64) != seqs[0] {
			t.Fatalf("verify: %v", v)
		}
		stmts := []string{"ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update",
			"UPDATE audit_entries SET actor_label = 'somebody@else' WHERE seq = 2"}
		if db.Dialect == models.SQLite {
			stmts = []string{"DROP TRIGGER audit_entries_no_update", "UPDATE audit_entries SET actor_label = 'somebody@else' WHERE seq = 2"}
		}
		for _, s := range stmts {
			if err := db.Gorm.Exec(s).Error; err != nil {
				t.Fatal(err)
			}
		}
		v = auditor.get("/api/v1/audit/verify").json(t)
		if v["ok"] != false || v["first_broken_seq"] != float64(2) || !strings.Contains(v["reason"].(string), "altered") {
			t.Fatalf("verify after tampering: %v", v)
		}
	})
}

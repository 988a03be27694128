package app_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

var n atomic.Int64

type world struct {
	t       *testing.T
	a       *app.App
	db      *models.Database
	lead    app.Actor
	lead2   app.Actor
	rev     app.Actor
	thRev   app.Actor
	auditor app.Actor
}

func newWorld(t *testing.T, db *models.Database) *world {
	w := &world{t: t, a: newApp(t, db), db: db}
	mk := func(role string, markets ...string) app.Actor {
		var gs []models.Grant
		for _, m := range markets {
			gs = append(gs, models.Grant{Role: role, Market: m})
		}
		u, err := w.a.CreateUser(context.Background(), app.SystemActor("test"), app.NewUser{
			Email: fmt.Sprintf("%s%d@example.test", role, n.Add(1)), Name: role, Password: "a-long-enough-pass", Grants: gs})
		if err != nil {
			t.Fatal(err)
		}
		return app.Actor{Kind: app.ActorUser, ID: u.ID, Label: u.Email}
	}
	w.lead, w.lead2, w.rev, w.thRev, w.auditor = mk("lead", "VN"), mk("lead", "VN"), mk("reviewer", "VN"), mk("reviewer", "TH"), mk("auditor", "*")
	return w
}

func (w *world) newCase(market, policy string) app.CaseDetail {
	w.t.Helper()
	c, err := w.a.CreateCase(context.Background(), w.lead, app.NewCase{
		Subject: app.SubjectInput{Kind: "seller", ExternalID: fmt.Sprintf("shop-%d", n.Add(1)), Market: market, DisplayName: "Shop"},
		Policy:  policy})
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

func (w *world) act(actor app.Actor, id int64, action models.CaseAction, in app.CaseActionInput) (app.CaseDetail, error) {
	return w.a.ActOnCase(context.Background(), actor, id, action, in)
}

func (w *world) must(actor app.Actor, id int64, action models.CaseAction, in app.CaseActionInput) app.CaseDetail {
	w.t.Helper()
	d, err := w.act(actor, id, action, in)
	if err != nil {
		w.t.Fatalf("%s: %v", action, err)
	}
	return d
}

func code(err error) string {
	if de, ok := models.AsError(err); ok {
		return de.Code
	}
	return fmt.Sprint(err)
}

func (w *world) events(id int64) int64 {
	var k int64
	w.db.Gorm.Model(&models.CaseEvent{}).Where("case_id = ?", id).Count(&k)
	return k
}

// force puts a case into a status the way the lifecycle would have left it.
func (w *world) force(id int64, status models.CaseStatus, assignee app.Actor) int {
	w.t.Helper()
	up := map[string]any{"status": status, "assignee_id": nil, "hold_from": nil}
	switch status {
	case models.StatusInReview:
		up["assignee_id"] = assignee.ID
	case models.StatusOnHold:
		up["hold_from"] = models.StatusTriaged
	case models.StatusAwaitingApproval:
		if err := w.db.Gorm.Create(&models.Decision{CaseID: id, Outcome: "violation", PolicyCode: "counterfeit", Actions: "ban_seller",
			Rationale: "forced", HighImpact: true, DecidedBy: &w.lead2.ID, DecidedByLabel: "lead2", DecidedAt: testNow()}).Error; err != nil {
			w.t.Fatal(err)
		}
	case models.StatusResolved:
		up["outcome"] = "no_violation"
	}
	if err := w.db.Gorm.Model(&models.Case{}).Where("id = ?", id).Updates(up).Error; err != nil {
		w.t.Fatal(err)
	}
	c, _ := models.FindCase(context.Background(), w.db.Gorm, id)
	return c.Version
}

func inputFor(action models.CaseAction, w *world) app.CaseActionInput {
	in := app.CaseActionInput{Reason: "needs a second look"}
	if action == models.ActionCalm {
		in.Reason = ""
	}
	switch action {
	case models.ActionAssign:
		in.AssigneeID = &w.rev.ID
	case models.ActionResolve:
		in.Decision = &app.DecisionInput{Outcome: "no_violation", Actions: []string{}, Rationale: "listing photos are the seller's own"}
	}
	return in
}

// Every (status, action) pair through the real use case on both databases:
// allowed ones land in the table's status with an event and an audit entry;
// refused ones answer invalid_transition and change nothing.
func TestEveryTransition(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		for _, from := range models.CaseStatuses {
			for _, action := range models.CaseActions {
				c := w.newCase("VN", "counterfeit")
				v := w.force(c.ID, from, w.lead)
				if action == models.ActionCalm {
					db.Gorm.Model(&models.Case{}).Where("id = ?", c.ID).Update("emergency", true)
				}
				before := w.events(c.ID)
				in := inputFor(action, w)
				in.Version = v
				d, err := w.act(w.lead, c.ID, action, in)
				tr, allowedErr := models.FindTransition(from, action)
				if allowedErr != nil {
					if code(err) != "invalid_transition" {
						t.Errorf("%s --%s--> %v, want invalid_transition", from, action, err)
					}
					after, _ := models.FindCase(context.Background(), db.Gorm, c.ID)
					if after.Version != v || after.Status != from || w.events(c.ID) != before {
						t.Errorf("%s --%s--> refused but changed the case", from, action)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s --%s--> %v, want allowed", from, action, err)
					continue
				}
				want := tr.To
				if tr.ToPrevious {
					want = models.StatusTriaged
				}
				if tr.Stay {
					want = from
				}
				if d.Status != want || d.Version != v+1 || w.events(c.ID) != before+1 {
					t.Errorf("%s --%s--> status %s version %d events %d, want %s %d %d", from, action, d.Status, d.Version, w.events(c.ID), want, v+1, before+1)
				}
				var audits int64
				mustSeal(t, w.a)
				db.Gorm.Model(&models.AuditEntry{}).Where("object_type = 'case' AND object_id = ?", fmt.Sprint(c.ID)).Count(&audits)
				if audits < 2 {
					t.Errorf("%s --%s--> not audited", from, action)
				}
			}
		}
	})
}

func TestVersionAndPermissions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		c := w.newCase("VN", "counterfeit")
		if _, err := w.act(w.lead, c.ID, models.ActionTriage, app.CaseActionInput{Version: c.Version + 5}); code(err) != "version_conflict" {
			t.Fatalf("stale version: %v", err)
		} else if de, _ := models.AsError(err); de.Extra["current_version"] != c.Version {
			t.Fatalf("version_conflict must carry the current version: %v", de.Extra)
		}
		if _, err := w.act(w.rev, c.ID, models.ActionTriage, app.CaseActionInput{Version: c.Version}); code(err) != "forbidden" {
			t.Fatalf("reviewer triaging: %v", err)
		}
		if _, err := w.act(w.thRev, c.ID, models.ActionTriage, app.CaseActionInput{Version: c.Version}); code(err) != "case_not_found" {
			t.Fatalf("another market's reviewer must not see the case: %v", err)
		}
		if _, err := w.a.GetCase(context.Background(), w.thRev, c.ID); code(err) != "case_not_found" {
			t.Fatalf("cross-market read: %v", err)
		}
		page, err := w.a.SearchCases(context.Background(), w.thRev, app.CaseQuery{}, app.PageRequest{Limit: 50})
		if err != nil || len(page.Items) != 0 {
			t.Fatalf("TH reviewer lists VN cases: %v %v", len(page.Items), err)
		}
		if _, err := w.a.AddComment(context.Background(), w.thRev, c.ID, "hi"); code(err) != "case_not_found" {
			t.Fatalf("cross-market comment: %v", err)
		}
		d := w.must(w.lead, c.ID, models.ActionTriage, app.CaseActionInput{Version: c.Version})
		d = w.must(w.rev, c.ID, models.ActionClaim, app.CaseActionInput{Version: d.Version})
		if d.Assignee == nil || d.Assignee.ID != w.rev.ID || d.ClaimExpiresAt == nil {
			t.Fatalf("claim: %+v", d.Assignee)
		}
		// Only the holder resolves; a lead cannot resolve a case someone holds.
		if _, err := w.act(w.lead, c.ID, models.ActionResolve, app.CaseActionInput{Version: d.Version, Decision: inputFor(models.ActionResolve, w).Decision}); code(err) != "not_assignee" {
			t.Fatalf("non-holder resolving: %v", err)
		}
		// Bad decisions are refused and change nothing.
		for _, tc := range []struct {
			dec  app.DecisionInput
			code string
		}{
			{app.DecisionInput{Outcome: "guilty", Rationale: "x"}, "unknown_outcome"},
			{app.DecisionInput{Outcome: "violation", Actions: []string{"suspend_livestream"}, Rationale: "x"}, "action_not_allowed"},
			{app.DecisionInput{Outcome: "no_violation", Actions: []string{"warn"}, Rationale: "x"}, "actions_need_violation"},
			{app.DecisionInput{Outcome: "violation", Actions: []string{"warn"}, Rationale: "  "}, "rationale_required"},
		} {
			if _, err := w.act(w.rev, c.ID, models.ActionResolve, app.CaseActionInput{Version: d.Version, Decision: &tc.dec}); code(err) != tc.code {
				t.Errorf("decision %+v: %v, want %s", tc.dec, err, tc.code)
			}
		}
		var decisions int64
		db.Gorm.Model(&models.Decision{}).Where("case_id = ?", c.ID).Count(&decisions)
		if decisions != 0 {
			t.Fatal("a refused decision was stored")
		}
	})
}

func TestMakerChecker(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		c := w.newCase("VN", "counterfeit")
		d := w.must(w.lead, c.ID, models.ActionAssign, app.CaseActionInput{Version: c.Version, AssigneeID: &w.lead.ID})
		d = w.must(w.lead, c.ID, models.ActionResolve, app.CaseActionInput{Version: d.Version, Decision: &app.DecisionInput{
			Outcome: "violation", Actions: []string{"remove_content", "ban_seller"}, Rationale: "Fake branded sneakers; brand owner confirmed."}})
		if d.Status != models.StatusAwaitingApproval || len(d.Decisions) != 1 || !d.Decisions[0].HighImpact {
			t.Fatalf("high-impact decision: status %s decisions %+v", d.Status, d.Decisions)
		}
		if _, err := w.act(w.lead, c.ID, models.ActionApprove, app.CaseActionInput{Version: d.Version}); code(err) != "same_person" {
			t.Fatalf("the maker approving: %v", err)
		}
		if slices.Contains(d.AllowedActions, models.ActionApprove) {
			t.Fatalf("the maker is offered approve: %v", d.AllowedActions)
		}
		if other, _ := w.a.GetCase(ctx, w.lead2, c.ID); !slices.Contains(other.AllowedActions, models.ActionApprove) || !slices.Contains(other.AllowedActions, models.ActionReject) {
			t.Fatalf("the checker is not offered approve/reject: %v", other.AllowedActions)
		}
		if _, err := w.act(w.rev, c.ID, models.ActionApprove, app.CaseActionInput{Version: d.Version}); code(err) != "forbidden" {
			t.Fatalf("a reviewer approving: %v", err)
		}
		d = w.must(w.lead2, c.ID, models.ActionApprove, app.CaseActionInput{Version: d.Version})
		if d.Status != models.StatusResolved || d.Outcome == nil || *d.Outcome != "violation" || d.Decisions[0].Review == nil || d.Decisions[0].Review.Verdict != "approved" {
			t.Fatalf("after approval: %+v", d.CaseSummary)
		}
		subj, err := w.a.GetSubject(ctx, w.auditor, d.Subject.ID)
		if err != nil || subj.Subject.StrikeCount != 1 || len(subj.Decisions) != 1 {
			t.Fatalf("strike: %+v %v", subj.Subject, err)
		}

		// A low-impact violation resolves at once and strikes too.
		c2 := w.newCase("VN", "misleading_claim")
		d2 := w.must(w.lead, c2.ID, models.ActionAssign, app.CaseActionInput{Version: 1, AssigneeID: &w.rev.ID})
		d2 = w.must(w.rev, c2.ID, models.ActionResolve, app.CaseActionInput{Version: d2.Version, Decision: &app.DecisionInput{
			Outcome: "violation", Actions: []string{"warn"}, Rationale: "Claims 'cures diabetes'."}})
		if d2.Status != models.StatusResolved {
			t.Fatalf("low impact: %s", d2.Status)
		}

		// Decisions cannot be changed, through SQL either.
		if err := db.Gorm.Exec("UPDATE decisions SET outcome = 'no_violation'").Error; err == nil {
			t.Fatal("a decision was updated")
		}
		if err := db.Gorm.Exec("DELETE FROM decisions").Error; err == nil {
			t.Fatal("a decision was deleted")
		}
		if err := db.Gorm.Exec("UPDATE decision_reviews SET verdict = 'rejected'").Error; err == nil {
			t.Fatal("a review was updated")
		}

		// Rejection sends it back to the decider.
		c3 := w.newCase("VN", "prohibited_item")
		d3 := w.must(w.lead, c3.ID, models.ActionAssign, app.CaseActionInput{Version: 1, AssigneeID: &w.rev.ID})
		d3 = w.must(w.rev, c3.ID, models.ActionResolve, app.CaseActionInput{Version: d3.Version, Decision: &app.DecisionInput{
			Outcome: "violation", Actions: []string{"suspend_account"}, Rationale: "Sells prescription drugs."}})
		if _, err := w.act(w.lead, c3.ID, models.ActionReject, app.CaseActionInput{Version: d3.Version}); code(err) != "reason_required" {
			t.Fatalf("reject without reason: %v", err)
		}
		d3 = w.must(w.lead, c3.ID, models.ActionReject, app.CaseActionInput{Version: d3.Version, Reason: "Only one listing; warn first."})
		if d3.Status != models.StatusInReview || d3.Assignee == nil || d3.Assignee.ID != w.rev.ID {
			t.Fatalf("after rejection: %s %+v", d3.Status, d3.Assignee)
		}
	})
}

// Two leads resolving one escalated case at once: exactly one wins, the
// other gets a 409.
func TestConcurrentResolve(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		for range 5 {
			c := w.newCase("VN", "fake_engagement")
			d := w.must(w.lead, c.ID, models.ActionTriage, app.CaseActionInput{Version: 1})
			d = w.must(w.rev, c.ID, models.ActionEscalate, app.CaseActionInput{Version: d.Version, Reason: "Creator has 2M followers"})
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, lead := range []app.Actor{w.lead, w.lead2} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = w.act(lead, c.ID, models.ActionResolve, app.CaseActionInput{Version: d.Version, Decision: &app.DecisionInput{
						Outcome: "insufficient_evidence", Actions: []string{}, Rationale: fmt.Sprintf("lead %d", i)}})
				}()
			}
			wg.Wait()
			wins := 0
			for _, err := range errs {
				switch {
				case err == nil:
					wins++
				case code(err) != "version_conflict" && code(err) != "invalid_transition":
					t.Fatalf("loser got %v, want a 409", err)
				}
			}
			var decisions int64
			db.Gorm.Model(&models.Decision{}).Where("case_id = ?", c.ID).Count(&decisions)
			if wins != 1 || decisions != 1 {
				t.Fatalf("%d winners, %d decisions; want exactly 1 of each", wins, decisions)
			}
		}
	})
}

func TestCreateCaseRules(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		in := app.NewCase{Subject: app.SubjectInput{Kind: "livestream", ExternalID: "live-778", Market: "VN", DisplayName: "Flash sale night"}, Policy: "livestream_harassment"}
		first, err := w.a.CreateCase(ctx, w.lead, in)
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.a.CreateCase(ctx, w.lead, in)
		if de, ok := models.AsError(err); !ok || de.Code != "case_exists" || de.Extra["existing_case_id"] != first.ID {
			t.Fatalf("second open case: %v", err)
		}
		for _, tc := range []struct {
			in   app.NewCase
			code string
		}{
			{app.NewCase{Subject: in.Subject, Policy: "jaywalking"}, "unknown_policy"},
			{app.NewCase{Subject: app.SubjectInput{Kind: "planet", ExternalID: "x", Market: "VN"}, Policy: "counterfeit"}, "invalid_subject"},
			{app.NewCase{Subject: app.SubjectInput{Kind: "seller", ExternalID: "x", Market: "VN"}, Policy: "counterfeit", Severity: "apocalyptic"}, "unknown_severity"},
			{app.NewCase{Subject: app.SubjectInput{Kind: "seller", ExternalID: "y", Market: "TH"}, Policy: "counterfeit"}, "forbidden"},
			{app.NewCase{Subject: app.SubjectInput{Kind: "livestream", ExternalID: "live-778", Market: "TH"}, Policy: "counterfeit"}, "forbidden"},
		} {
			if _, err := w.a.CreateCase(ctx, w.lead, tc.in); code(err) != tc.code {
				t.Errorf("%+v: %v, want %s", tc.in, err, tc.code)
			}
		}
		if _, err := w.a.CreateCase(ctx, w.rev, app.NewCase{Subject: app.SubjectInput{Kind: "seller", ExternalID: "z", Market: "VN"}, Policy: "counterfeit"}); code(err) != "forbidden" {
			t.Fatalf("reviewer opening a case: %v", err)
		}
		var k int64
		db.Gorm.Model(&models.Case{}).Count(&k)
		if k != 1 {
			t.Fatalf("%d cases after refusals, want 1", k)
		}
		// Files: too large, or of a type not on the list.
		if _, err := w.a.AddEvidence(ctx, w.lead, first.ID, app.EvidenceInput{Kind: "file", FileName: "big.bin", Data: make([]byte, app.MaxEvidenceFile+1)}); code(err) != "file_too_large" {
			t.Fatalf("big file: %v", err)
		}
		if _, err := w.a.AddEvidence(ctx, w.lead, first.ID, app.EvidenceInput{Kind: "file", FileName: "x.exe", Data: append([]byte("MZ\x90\x00"), make([]byte, 100)...)}); code(err) != "file_type_not_allowed" {
			t.Fatalf("exe: %v", err)
		}
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde")
		ev, err := w.a.AddEvidence(ctx, w.lead, first.ID, app.EvidenceInput{Kind: "file", FileName: "shot.png", Data: png})
		if err != nil || ev.ContentType != "image/png" || ev.DownloadURL == nil || ev.SHA256 == "" {
			t.Fatalf("png: %+v %v", ev, err)
		}
	})
}

func TestBulkPartialFailures(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		inReview := w.newCase("VN", "counterfeit")
		w.must(w.lead, inReview.ID, models.ActionAssign, app.CaseActionInput{Version: 1, AssigneeID: &w.rev.ID})
		triaged := w.newCase("VN", "misleading_claim")
		w.must(w.lead, triaged.ID, models.ActionTriage, app.CaseActionInput{Version: 1})
		thLead := newThLead(t, w)
		thCase, err := w.a.CreateCase(ctx, thLead, app.NewCase{Subject: app.SubjectInput{Kind: "seller", ExternalID: "th-shop", Market: "TH"}, Policy: "counterfeit"})
		if err != nil {
			t.Fatal(err)
		}
		out, err := w.a.Bulk(ctx, w.lead, app.BulkInput{Action: "release", CaseIDs: []int64{inReview.ID, triaged.ID, thCase.ID, 999999}})
		if err != nil {
			t.Fatal(err)
		}
		codes := []string{}
		for _, r := range out.Results {
			codes = append(codes, fmt.Sprintf("%v:%s", r.OK, r.Code))
		}
		if want := []string{"true:", "false:invalid_transition", "false:case_not_found", "false:case_not_found"}; !slices.Equal(codes, want) || out.Succeeded != 1 || out.Failed != 3 {
			t.Fatalf("bulk results %v, want %v", codes, want)
		}
		after, _ := models.FindCase(ctx, db.Gorm, inReview.ID)
		if after.Status != models.StatusTriaged || after.AssigneeID != nil {
			t.Fatalf("released case: %s", after.Status)
		}
		// Malformed requests change nothing.
		ids := make([]int64, app.MaxBulk+1)
		for i := range ids {
			ids[i] = int64(i + 1)
		}
		for _, tc := range []struct {
			in   app.BulkInput
			code string
		}{
			{app.BulkInput{Action: "delete", CaseIDs: []int64{1}}, "unknown_bulk_action"},
			{app.BulkInput{Action: "release", CaseIDs: ids}, "bulk_too_large"},
			{app.BulkInput{Action: "release", CaseIDs: []int64{triaged.ID, triaged.ID}}, "duplicate_case_ids"},
			{app.BulkInput{Action: "add_tag", CaseIDs: []int64{triaged.ID}, Tag: "has space"}, "invalid_tag"},
		} {
			if _, err := w.a.Bulk(ctx, w.lead, tc.in); code(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.in.Action, err, tc.code)
			}
		}
		if _, err := w.a.Bulk(ctx, w.rev, app.BulkInput{Action: "add_tag", Tag: "x", CaseIDs: []int64{triaged.ID}}); code(err) != "forbidden" {
			t.Fatalf("reviewer bulk: %v", err)
		}
		// Resolve as duplicate closes and links.
		out, err = w.a.Bulk(ctx, w.lead, app.BulkInput{Action: "resolve_duplicate", DuplicateOf: &inReview.ID, CaseIDs: []int64{triaged.ID}})
		if err != nil || out.Succeeded != 1 {
			t.Fatalf("resolve_duplicate: %+v %v", out, err)
		}
		d, _ := w.a.GetCase(ctx, w.lead, triaged.ID)
		if d.Status != models.StatusResolved || len(d.Links) != 1 || d.Links[0].Kind != "duplicate_of" {
			t.Fatalf("duplicate: %s %+v", d.Status, d.Links)
		}
	})
}

func newThLead(t *testing.T, w *world) app.Actor {
	u, err := w.a.CreateUser(context.Background(), app.SystemActor("test"), app.NewUser{Email: fmt.Sprintf("thlead%d@example.test", n.Add(1)),
		Name: "TH lead", Password: "a-long-enough-pass", Grants: []models.Grant{{Role: "lead", Market: "TH"}}})
	if err != nil {
		t.Fatal(err)
	}
	return app.Actor{Kind: app.ActorUser, ID: u.ID, Label: u.Email}
}

// Paging by created time while new cases keep arriving: every case that
// existed when paging began is seen exactly once.
func TestSearchPagingUnderInserts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		existing := map[int64]bool{}
		for i := range 23 {
			c := w.newCase("VN", models2(i))
			existing[c.ID] = true
		}
		for _, sort := range []string{"created", "priority", "due", "updated"} {
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() {
				defer close(done)
				for {
					select {
					case <-stop:
						return
					default:
						w.newCase("VN", "counterfeit")
					}
				}
			}()
			seen := map[int64]int{}
			cursor := ""
			for {
				p, err := w.a.SearchCases(ctx, w.auditor, app.CaseQuery{Market: "VN", Sort: sort}, app.PageRequest{Cursor: cursor, Limit: 5})
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range p.Items {
					seen[c.ID]++
				}
				if p.NextCursor == "" {
					break
				}
				cursor = p.NextCursor
			}
			close(stop)
			<-done
			for id := range existing {
				if seen[id] != 1 {
					t.Fatalf("sort %s: case %d seen %d times", sort, id, seen[id])
				}
			}
			for id, k := range seen {
				if k != 1 {
					t.Fatalf("sort %s: case %d seen %d times", sort, id, k)
				}
			}
		}
		// Filters.
		page, err := w.a.SearchCases(ctx, w.auditor, app.CaseQuery{Policy: "misleading_claim", Statuses: []string{"new"}}, app.PageRequest{Limit: 200})
		if err != nil || len(page.Items) == 0 {
			t.Fatalf("policy filter: %v", err)
		}
		for _, c := range page.Items {
			if c.Policy != "misleading_claim" {
				t.Fatalf("filter leaked %s", c.Policy)
			}
		}
		if _, err := w.a.SearchCases(ctx, w.auditor, app.CaseQuery{Sort: "severity; DROP TABLE cases"}, app.PageRequest{Limit: 5}); code(err) != "invalid_sort" {
			t.Fatalf("sort whitelist: %v", err)
		}
		if _, err := w.a.SearchCases(ctx, w.auditor, app.CaseQuery{Statuses: []string{"closed"}}, app.PageRequest{Limit: 5}); code(err) != "invalid_filter" {
			t.Fatalf("status filter: %v", err)
		}
		c := w.newCase("VN", "price_gouging")
		if _, err := w.a.AddComment(ctx, w.rev, c.ID, "Masks sold at 40x the usual price during the haze"); err != nil {
			t.Fatal(err)
		}
		page, _ = w.a.SearchCases(ctx, w.auditor, app.CaseQuery{Text: "HAZE"}, app.PageRequest{Limit: 5})
		if len(page.Items) != 1 || page.Items[0].ID != c.ID {
			t.Fatalf("free text over comments: %d items", len(page.Items))
		}
	})
}

func models2(i int) string {
	ps := []string{"counterfeit", "misleading_claim", "ip_infringement", "fake_engagement"}
	return ps[i%len(ps)]
}

// The demo walks cases through every status with the real use cases, and
// leaves a chain that verifies.
func TestDemoCoversEveryStatus(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		a := newApp(t, db)
		ctx := context.Background()
		sum, err := a.LoadDemo(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if sum.CasesCreated < 15 {
			t.Fatalf("demo opened %d cases", sum.CasesCreated)
		}
		var statuses []string
		db.Gorm.Model(&models.Case{}).Distinct("status").Pluck("status", &statuses)
		for _, s := range models.CaseStatuses {
			if !slices.Contains(statuses, string(s)) {
				t.Errorf("no demo case is %s", s)
			}
		}
		var markets []string
		db.Gorm.Model(&models.Subject{}).Distinct("market").Pluck("market", &markets)
		if len(markets) != 6 {
			t.Errorf("demo subjects cover markets %v, want all six", markets)
		}
		var reach int64
		db.Gorm.Model(&models.Subject{}).Where("external_id = ?", "vn-live-90817").Select("followers").Scan(&reach)
		if reach != 1_200_000 {
			t.Fatalf("demo livestream followers %d, want 1200000 (reach feeds priority)", reach)
		}
		var future int64
		db.Gorm.Model(&models.Case{}).Where("created_at > ? OR updated_at > ?", time.Now().UTC(), time.Now().UTC()).Count(&future)
		if future != 0 {
			t.Fatalf("%d demo cases are dated in the future", future)
		}
		again, err := a.LoadDemo(ctx)
		if err != nil || again.CasesCreated != 0 || again.UsersCreated != 0 {
			t.Fatalf("second load: %+v %v", again, err)
		}
		if v, err := a.VerifyAudit(ctx, app.SystemActor("test")); err != nil || !v.OK {
			t.Fatalf("chain after demo: %+v %v", v, err)
		}
	})
}

func TestEmergencyPinsAboveEverything(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		calm := w.newCase("VN", "dangerous_goods")
		low := w.newCase("VN", "price_gouging")
		if _, err := w.act(w.rev, low.ID, models.ActionEmergency, app.CaseActionInput{Version: 1, Reason: "x"}); code(err) != "forbidden" {
			t.Fatalf("reviewer declaring: %v", err)
		}
		if _, err := w.act(w.lead, low.ID, models.ActionEmergency, app.CaseActionInput{Version: 1}); code(err) != "reason_required" {
			t.Fatalf("no reason: %v", err)
		}
		if got, _ := w.a.GetCase(ctx, w.lead, low.ID); !slices.Contains(got.AllowedActions, models.ActionEmergency) || slices.Contains(got.AllowedActions, models.ActionCalm) {
			t.Fatalf("calm case offers %v", got.AllowedActions)
		}
		d := w.must(w.lead, low.ID, models.ActionEmergency, app.CaseActionInput{Version: 1, Reason: "Counterfeit baby formula going viral"})
		if slices.Contains(d.AllowedActions, models.ActionEmergency) || !slices.Contains(d.AllowedActions, models.ActionCalm) {
			t.Fatalf("emergency case offers %v", d.AllowedActions)
		}
		if !d.Emergency || d.Priority <= calm.Priority || d.Status != models.StatusNew {
			t.Fatalf("emergency: %v priority %v vs %v, status %s", d.Emergency, d.Priority, calm.Priority, d.Status)
		}
		p, _ := w.a.SearchCases(ctx, w.lead, app.CaseQuery{Market: "VN"}, app.PageRequest{Limit: 1})
		if p.Items[0].ID != low.ID {
			t.Fatalf("the emergency is not first by priority: %d", p.Items[0].ID)
		}
		if _, err := w.act(w.lead, low.ID, models.ActionEmergency, app.CaseActionInput{Version: d.Version, Reason: "again"}); code(err) != "emergency_already_declared" {
			t.Fatalf("twice: %v", err)
		}
		d = w.must(w.lead, low.ID, models.ActionCalm, app.CaseActionInput{Version: d.Version})
		if d.Emergency || d.Priority >= 10000 {
			t.Fatalf("cleared: %v %v", d.Emergency, d.Priority)
		}
		var audits int64
		mustSeal(t, w.a)
		db.Gorm.Model(&models.AuditEntry{}).Where("action IN ?", []string{"case.declare_emergency", "case.clear_emergency"}).Count(&audits)
		if audits != 2 {
			t.Fatalf("%d emergency audit entries, want 2", audits)
		}
	})
}

// A read-only use case sees one snapshot: a change committed while it
// reads shows in none of its later statements (on PostgreSQL too, where
// the default isolation would show it to the next statement).
func TestReadsSeeOneSnapshot(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		c := w.newCase("VN", "counterfeit")
		err := w.a.InReadTx(ctx, func(tx *gorm.DB) error {
			first, err := models.FindCase(ctx, tx, c.ID)
			if err != nil {
				return err
			}
			// Another connection changes the case and commits meanwhile.
			if err := db.Gorm.Exec("UPDATE cases SET version = version + 1 WHERE id = ?", c.ID).Error; err != nil {
				return err
			}
			again, err := models.FindCase(ctx, tx, c.ID)
			if err != nil {
				return err
			}
			if again.Version != first.Version {
				t.Errorf("one read saw version %d, then %d", first.Version, again.Version)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		after, err := models.FindCase(ctx, db.Gorm, c.ID)
		if err != nil || after.Version != c.Version+1 {
			t.Fatalf("after the read: version %d (%v), want %d", after.Version, err, c.Version+1)
		}
	})
}

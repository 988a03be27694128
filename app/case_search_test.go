package app_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

// A page of search results is built from one query each for subjects,
// assignees and tags; every row shows what the case's own page shows.
func TestSearchSummariesMatchCasePages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		var ids []int64
		for i := range 6 {
			c := w.newCase("VN", []string{"counterfeit", "ip_infringement", "dangerous_goods"}[i%3])
			ids = append(ids, c.ID)
			for _, tag := range []string{"zeta", "alpha", fmt.Sprintf("t%d", i)}[:i%4] {
				if _, err := w.a.SetTag(ctx, w.lead, c.ID, tag, true); err != nil {
					t.Fatal(err)
				}
			}
			if i%2 == 0 {
				d := w.must(w.lead, c.ID, models.ActionTriage, app.CaseActionInput{Version: c.Version})
				who := w.rev
				if i == 4 {
					who = w.lead2
				}
				w.must(who, c.ID, models.ActionClaim, app.CaseActionInput{Version: d.Version})
			}
		}
		// The same subject on two cases.
		if _, err := w.a.CreateCase(ctx, w.lead, app.NewCase{Subject: app.SubjectInput{Kind: "seller", ExternalID: "shared-subject",
			Market: "VN", DisplayName: "Shared"}, Policy: "counterfeit"}); err != nil {
			t.Fatal(err)
		}
		c, err := w.a.CreateCase(ctx, w.lead, app.NewCase{Subject: app.SubjectInput{Kind: "seller", ExternalID: "shared-subject",
			Market: "VN", DisplayName: "Shared"}, Policy: "price_gouging"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)

		page, err := w.a.SearchCases(ctx, w.lead, app.CaseQuery{}, app.PageRequest{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != len(ids)+1 {
			t.Fatalf("%d cases listed, want %d", len(page.Items), len(ids)+1)
		}
		tagged, assigned := 0, 0
		for _, got := range page.Items {
			d, err := w.a.GetCase(ctx, w.lead, got.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, d.CaseSummary) {
				t.Errorf("case %d listed as\n%+v\nits page shows\n%+v", got.ID, got, d.CaseSummary)
			}
			if len(got.Tags) > 1 {
				tagged++
			}
			if got.Assignee != nil {
				assigned++
			}
		}
		if tagged == 0 || assigned != 3 {
			t.Fatalf("fixture: %d cases with tags, %d assigned", tagged, assigned)
		}
	})
}

// Free text matches a case's subject or its comments. Every page of every
// sort order holds each matching case exactly once, whichever way it
// matches (or both), never a case of a market the reader holds no role
// in, and other filters still apply.
func TestTextSearchPagesThroughSubjectsAndComments(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		open := func(market, name string) app.CaseDetail {
			c, err := w.a.CreateCase(ctx, app.SystemActor("test"), app.NewCase{Subject: app.SubjectInput{Kind: "seller",
				ExternalID: fmt.Sprintf("ext-%d", n.Add(1)), Market: market, DisplayName: name}, Policy: models2(int(n.Add(1)))})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		comment := func(c app.CaseDetail, body string) {
			if _, err := w.a.AddComment(ctx, w.lead, c.ID, body); err != nil {
				t.Fatal(err)
			}
		}
		vn, all := map[int64]bool{}, map[int64]bool{}
		matches := func(c app.CaseDetail) {
			all[c.ID] = true
			if c.Market == "VN" {
				vn[c.ID] = true
			}
		}
		var triaged []int64
		for i := range 9 {
			byName := open("VN", fmt.Sprintf("Batik Corner %d", i)) // by subject
			matches(byName)
			if i%3 == 0 {
				comment(byName, "Same BATIK prints as the brand's") // and by comment
			}
			if i%4 == 0 {
				d := w.must(w.lead, byName.ID, models.ActionTriage, app.CaseActionInput{Version: byName.Version})
				triaged = append(triaged, d.ID)
			}
			byComment := open("VN", fmt.Sprintf("Shop %d", i))
			comment(byComment, fmt.Sprintf("Listing %d copies a batik pattern", i))
			matches(byComment)
			comment(open("VN", fmt.Sprintf("Shop %d", i+100)), "nothing to see") // matches neither way
		}
		matches(open("TH", "Batik House")) // another market
		byID, err := w.a.CreateCase(ctx, w.lead, app.NewCase{Subject: app.SubjectInput{Kind: "seller",
			ExternalID: "BATIK-EXT", Market: "VN", DisplayName: "Unrelated"}, Policy: "counterfeit"})
		if err != nil {
			t.Fatal(err)
		}
		matches(byID)
		page, err := w.a.SearchCases(ctx, w.auditor, app.CaseQuery{Text: "batik-ext"}, app.PageRequest{Limit: 5})
		if err != nil || len(page.Items) != 1 || page.Items[0].Subject.ExternalID != "BATIK-EXT" {
			t.Fatalf("by external id: %+v %v", page.Items, err)
		}

		for _, tc := range []struct {
			who  app.Actor
			q    app.CaseQuery
			want map[int64]bool
		}{
			{w.auditor, app.CaseQuery{Text: "batik"}, all},
			{w.rev, app.CaseQuery{Text: "batik"}, vn},
			{w.auditor, app.CaseQuery{Text: "batik", Statuses: []string{"triaged"}}, idSet(triaged)},
		} {
			for _, sort := range []string{"priority", "due", "created", "updated"} {
				tc.q.Sort = sort
				seen, cursor, pages := map[int64]int{}, "", 0
				for {
					p, err := w.a.SearchCases(ctx, tc.who, tc.q, app.PageRequest{Cursor: cursor, Limit: 2})
					if err != nil {
						t.Fatal(err)
					}
					pages++
					for _, c := range p.Items {
						seen[c.ID]++
					}
					if p.NextCursor == "" {
						break
					}
					cursor = p.NextCursor
				}
				for id, k := range seen {
					if k != 1 || !tc.want[id] {
						t.Errorf("%+v by %s: case %d seen %d times (wanted: %v)", tc.q, sort, id, k, tc.want[id])
					}
				}
				if len(seen) != len(tc.want) || pages < len(tc.want)/2 {
					t.Errorf("%+v by %s: %d of %d matching cases in %d pages", tc.q, sort, len(seen), len(tc.want), pages)
				}
			}
		}
	})
}

func idSet(ids []int64) map[int64]bool {
	m := map[int64]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

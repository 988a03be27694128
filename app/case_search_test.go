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

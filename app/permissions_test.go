package app_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

// docMatrix parses the table between the matrix markers of
// docs/PERMISSIONS.md into role -> permissions.
func docMatrix(t *testing.T) map[string][]string {
	t.Helper()
	b, err := os.ReadFile("../docs/PERMISSIONS.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start, end := strings.Index(doc, "<!-- matrix:start -->"), strings.Index(doc, "<!-- matrix:end -->")
	if start < 0 || end < start {
		t.Fatal("docs/PERMISSIONS.md lost its matrix markers")
	}
	lines := strings.Split(strings.TrimSpace(doc[start+len("<!-- matrix:start -->"):end]), "\n")
	cells := func(l string) []string {
		parts := strings.Split(strings.Trim(strings.TrimSpace(l), "|"), "|")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		return parts
	}
	header := cells(lines[0])
	out := map[string][]string{}
	for _, l := range lines[2:] {
		row := cells(l)
		perm := strings.Trim(row[0], "`")
		for i, role := range header[1 : len(header)-1] {
			if row[i+1] == "x" {
				out[role] = append(out[role], perm)
			}
		}
	}
	return out
}

func TestPermissionsDocMatchesPolicy(t *testing.T) {
	want := docMatrix(t)
	if len(want) != len(app.Roles) {
		t.Fatalf("the document names roles %v, want %v", want, app.Roles)
	}
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		loaded, err := models.RolePermissions(context.Background(), db.Gorm)
		if err != nil {
			t.Fatal(err)
		}
		for _, role := range app.Roles {
			got := slices.Sorted(slices.Values(loaded[role]))
			doc := slices.Sorted(slices.Values(want[role]))
			if !slices.Equal(got, doc) {
				t.Errorf("role %s: policy %v, document %v", role, got, doc)
			}
		}
	})
}

// The enforcer honours the loaded policy per market, with "*" grants
// covering every market.
func TestCanPerMarket(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		a := newApp(t, db)
		ctx := context.Background()
		u, err := a.CreateUser(ctx, app.SystemActor("test"), app.NewUser{Email: "l@example.test", Name: "L",
			Password: "a-long-enough-pass", Grants: []models.Grant{{Role: "lead", Market: "VN"}}})
		if err != nil {
			t.Fatal(err)
		}
		actor := app.Actor{Kind: app.ActorUser, ID: u.ID, Label: u.Email}
		check := func(perm, market string, want bool) {
			t.Helper()
			err := a.Can(ctx, db.Gorm, actor, perm, market)
			if (err == nil) != want {
				t.Errorf("Can(%s, %s) = %v, want allowed=%v", perm, market, err, want)
			}
			if err != nil && models.KindOf(err) != models.KindForbidden {
				t.Errorf("refusal kind %v", models.KindOf(err))
			}
		}
		check("case.approve", "VN", true)
		check("case.approve", "TH", false)
		check("user.manage", "VN", false)
		// A grant made now holds at once (the policy revision moved).
		if _, err := a.GrantRole(ctx, app.SystemActor("test"), u.ID, models.Grant{Role: "auditor", Market: "*"}); err != nil {
			t.Fatal(err)
		}
		check("audit.read", "TH", true)
		check("case.approve", "TH", false)
		// Another server on the same database sees the grant too.
		other := newApp(t, db)
		if err := other.Can(ctx, db.Gorm, actor, "audit.read", "SG"); err != nil {
			t.Fatalf("second instance: %v", err)
		}
		if _, err := a.RevokeRole(ctx, app.SystemActor("test"), u.ID, models.Grant{Role: "lead", Market: "VN"}); err != nil {
			t.Fatal(err)
		}
		check("case.approve", "VN", false)
	})
}

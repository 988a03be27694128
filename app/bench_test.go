package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

// BenchmarkCan measures one authorization check inside a transaction (the
// policy revision read plus the in-memory enforcement).
func BenchmarkCan(b *testing.B) {
	eachBenchDB(b, func(b *testing.B, db *models.Database) {
		a := newAppTB(b, db)
		ctx := context.Background()
		u, err := a.CreateUser(ctx, app.SystemActor("bench"), app.NewUser{Email: "b@example.test", Name: "B",
			Password: "a-long-enough-pass", Grants: []models.Grant{{Role: "lead", Market: "VN"}}})
		if err != nil {
			b.Fatal(err)
		}
		actor := app.Actor{Kind: app.ActorUser, ID: u.ID}
		b.ResetTimer()
		for b.Loop() {
			if err := a.Can(ctx, db.Gorm, actor, "case.approve", "VN"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAuditedMutation measures a whole audited use case: user
// creation with a grant (authorize, insert, grant, policy bump, chained
// audit entry) in one transaction. Password hashing is cheap here.
func BenchmarkAuditedMutation(b *testing.B) {
	eachBenchDB(b, func(b *testing.B, db *models.Database) {
		a := newAppTB(b, db)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			i++
			if _, err := a.CreateUser(ctx, app.SystemActor("bench"), app.NewUser{Email: fmt.Sprintf("m%d@example.test", i),
				Name: "M", Password: "a-long-enough-pass", Grants: []models.Grant{{Role: "qa", Market: "SG"}}}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func newAppTB(tb testing.TB, db *models.Database) *app.App {
	a, err := app.New(app.Deps{DB: db, Schema: noSchema{}, Auth: cheap})
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

type noSchema struct{}

func (noSchema) Versions(context.Context) (int64, int64, error) { return 0, 0, nil }

// BenchmarkClaimNext measures one claim-next through the use case (lock
// the most urgent claimable case, claim transition, case event, chained
// audit entry, commit), draining a queue seeded with b.N cases.
func BenchmarkClaimNext(b *testing.B) {
	eachBenchDB(b, func(b *testing.B, db *models.Database) {
		a := newAppTB(b, db)
		ctx := context.Background()
		u, err := a.CreateUser(ctx, app.SystemActor("bench"), app.NewUser{Email: "r@example.test", Name: "R",
			Password: "a-long-enough-pass", Grants: []models.Grant{{Role: "reviewer", Market: "VN"}}})
		if err != nil {
			b.Fatal(err)
		}
		seedTriaged(b, db, b.N)
		queue := vnReviewQueue(b, a)
		actor := app.Actor{Kind: app.ActorUser, ID: u.ID}
		b.ResetTimer()
		for range b.N {
			if _, _, err := a.ClaimNext(ctx, actor, queue); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// eachBenchDB runs a benchmark on a fresh database of each dialect.
func eachBenchDB(b *testing.B, fn func(b *testing.B, db *models.Database)) {
	for _, d := range []struct {
		name string
		open func(testing.TB) *models.Database
	}{{"sqlite", testdb.SQLite}, {"postgres", testdb.Postgres}} {
		b.Run(d.name, func(b *testing.B) { fn(b, d.open(b)) })
	}
}

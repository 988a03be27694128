package app_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/migrations"
	"github.com/docket-tns/docket/models"
)

var cheap = app.AuthSettings{Password: app.PasswordParams{MemoryKiB: 1024, Time: 1, Threads: 1}}

func newApp(t *testing.T, db *models.Database) *app.App {
	t.Helper()
	m, err := migrations.New(db.SQL, string(db.Dialect))
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(app.Deps{DB: db, Schema: m, Auth: cheap, StreamPoll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func mustCreateUsers(t *testing.T, a *app.App, n int) {
	t.Helper()
	for i := range n {
		if _, err := a.CreateUser(context.Background(), app.SystemActor("test"), app.NewUser{
			Email: fmt.Sprintf("u%d@example.test", i), Name: "U", Password: "a-long-enough-pass",
			Grants: []models.Grant{{Role: "reviewer", Market: "VN"}}}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditIsAppendOnly(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		a := newApp(t, db)
		mustCreateUsers(t, a, 2)
		mustSeal(t, a)
		if err := db.Gorm.Exec("UPDATE audit_entries SET action = 'nothing' WHERE seq = 1").Error; err == nil {
			t.Fatal("UPDATE of an audit entry was allowed")
		}
		if err := db.Gorm.Exec("DELETE FROM audit_entries WHERE seq = 2").Error; err == nil {
			t.Fatal("DELETE of an audit entry was allowed")
		}
		if db.Dialect == models.Postgres {
			if err := db.Gorm.Exec("TRUNCATE audit_entries").Error; err == nil {
				t.Fatal("TRUNCATE of the audit log was allowed")
			}
		}
		var n int64
		mustSeal(t, a)
		db.Gorm.Model(&models.AuditEntry{}).Count(&n)
		if n != 2 {
			t.Fatalf("%d entries after refused changes, want 2", n)
		}
	})
}

// tamper rewrites entry seq behind the trigger's back, as someone with
// raw database access would.
func tamper(t *testing.T, db *models.Database, seq int64) {
	t.Helper()
	stmts := []string{
		"ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update",
		fmt.Sprintf("UPDATE audit_entries SET after_json = '{\"email\":\"someone-else@example.test\"}' WHERE seq = %d", seq),
		"ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_update",
	}
	if db.Dialect == models.SQLite {
		stmts = []string{
			"DROP TRIGGER audit_entries_no_update",
			fmt.Sprintf("UPDATE audit_entries SET after_json = '{\"email\":\"someone-else@example.test\"}' WHERE seq = %d", seq),
		}
	}
	for _, s := range stmts {
		if err := db.Gorm.Exec(s).Error; err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestAuditVerifyNamesTamperedEntry(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		a := newApp(t, db)
		ctx := context.Background()
		mustCreateUsers(t, a, 5)
		v, err := a.VerifyAudit(ctx, app.SystemActor("test"))
		if err != nil || !v.OK || v.EntriesChecked != 5 || v.HeadSeq != 5 || v.FirstBrokenSeq != nil {
			t.Fatalf("clean chain: %+v %v", v, err)
		}
		tamper(t, db, 3)
		v, err = a.VerifyAudit(ctx, app.SystemActor("test"))
		if err != nil {
			t.Fatal(err)
		}
		if v.OK || v.FirstBrokenSeq == nil || *v.FirstBrokenSeq != 3 || v.EntriesChecked != 5 {
			t.Fatalf("tampered chain: %+v", v)
		}
	})
}

// 50 concurrent mutations leave one unbroken chain with no gaps, while
// sealers run beside them (two servers' on PostgreSQL) and readers seal
// too; 10 mutations that fail stage nothing.
func TestConcurrentAuditChain(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		a := newApp(t, db)
		ctx := context.Background()
		sealCtx, stopSealers := context.WithCancel(ctx)
		var sealers sync.WaitGroup
		sealers.Go(func() { a.RunAuditSealer(sealCtx) })
		if db.Dialect == models.Postgres {
			other := newApp(t, db) // a second server on the same database
			sealers.Go(func() { other.RunAuditSealer(sealCtx) })
		}
		const n, failing = 50, 10
		var wg sync.WaitGroup
		errs := make(chan error, n+failing)
		for i := range n + failing {
			wg.Go(func() {
				email := fmt.Sprintf("c%d@example.test", i)
				if i >= n {
					email = "" // refused: changes nothing, audits nothing
				}
				_, err := a.CreateUser(ctx, app.SystemActor(fmt.Sprintf("worker-%d", i)), app.NewUser{
					Email: email, Name: "C", Password: "a-long-enough-pass",
					Grants: []models.Grant{{Role: "qa", Market: "PH"}}})
				if i >= n {
					if err == nil {
						err = fmt.Errorf("a user without an email was created")
					} else {
						err = nil
					}
				}
				errs <- err
			})
			if i%10 == 0 {
				wg.Go(func() {
					if _, err := a.VerifyAudit(ctx, app.SystemActor("reader")); err != nil {
						errs <- err
					}
				})
			}
		}
		wg.Wait()
		stopSealers()
		sealers.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent mutation failed: %v", err)
			}
		}
		var pending int64
		db.Gorm.Table("audit_pending").Count(&pending)
		if pending != 0 {
			t.Fatalf("%d audit entries still staged after the sealers stopped", pending)
		}
		v, err := a.VerifyAudit(ctx, app.SystemActor("test"))
		if err != nil || !v.OK || v.EntriesChecked != n || v.HeadSeq != n {
			t.Fatalf("after %d concurrent mutations: %+v %v", n, v, err)
		}
		var actors int64
		db.Gorm.Model(&models.AuditEntry{}).Distinct("actor").Count(&actors)
		if actors != n {
			t.Fatalf("%d distinct actors in the log, want %d", actors, n)
		}
	})
}

// A staged entry waits for the sealer: the table holds it, the chain does
// not, until a reader (or the sealer) seals it.
func TestAuditEntriesAreStagedThenSealed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		a := newApp(t, db)
		ctx := context.Background()
		mustCreateUsers(t, a, 3)
		var staged, chained int64
		db.Gorm.Table("audit_pending").Count(&staged)
		db.Gorm.Model(&models.AuditEntry{}).Count(&chained)
		if staged != 3 || chained != 0 {
			t.Fatalf("before sealing: %d staged, %d chained; want 3 and 0", staged, chained)
		}
		page, err := a.ListAudit(ctx, app.SystemActor("reader"), app.AuditQuery{}, app.PageRequest{Limit: 10})
		if err != nil || len(page.Items) != 3 || page.Items[0].Seq != 3 || page.Items[2].PrevHash != models.GenesisHash {
			t.Fatalf("a reader sees every committed change, chained: %+v %v", page.Items, err)
		}
		db.Gorm.Table("audit_pending").Count(&staged)
		if staged != 0 {
			t.Fatalf("%d entries still staged after a read", staged)
		}
		if n, err := a.SealAudit(ctx); n != 0 || err != nil {
			t.Fatalf("sealing again: %d %v", n, err)
		}
	})
}

func testNow() time.Time { return time.Now().UTC() }

// mustSeal joins every staged audit entry to the chain, as readers of the
// audit log do, before a test counts entries in the table itself.
func mustSeal(t testing.TB, a *app.App) {
	t.Helper()
	if _, err := a.SealAudit(context.Background()); err != nil {
		t.Fatalf("seal the audit log: %v", err)
	}
}

// The sealer vacuums the staging queue once it has sealed a thousand
// entries, so the table stays a few pages long where autovacuum is off
// (as on the benchmark machines) and the entries still chain.
func TestSealerVacuumsTheStagingTable(t *testing.T) {
	db := testdb.Postgres(t)
	a := newApp(t, db)
	ctx := context.Background()
	vacuums := func() (n int64) {
		if err := db.Gorm.Raw("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'audit_pending'").Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := vacuums()
	// Staged as a burst of transactions would leave them (the sealer
	// also wakes every second on its own).
	if err := db.Gorm.Exec(`INSERT INTO audit_pending (occurred_at, actor, actor_label, action, object_type, object_id)
		SELECT now(), 'system:test', 'test', 'test.staged', 'test', g::text FROM generate_series(1, 1500) AS g`).Error; err != nil {
		t.Fatal(err)
	}
	sealCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { a.RunAuditSealer(sealCtx); close(done) }()
	defer func() { stop(); <-done }()
	deadline := time.Now().Add(20 * time.Second)
	for vacuums() == before {
		if time.Now().After(deadline) {
			t.Fatal("the sealer sealed 1,500 entries and never vacuumed the staging table")
		}
		time.Sleep(50 * time.Millisecond)
	}
	var staged int64
	db.Gorm.Table("audit_pending").Count(&staged)
	v, err := a.VerifyAudit(ctx, app.SystemActor("test"))
	if err != nil || !v.OK || v.EntriesChecked != 1500 || staged != 0 {
		t.Fatalf("after the vacuum: %d staged, verification %+v %v", staged, v, err)
	}
}

package migrations_test

import (
	"context"
	"sync"
	"testing"

	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/migrations"
	"github.com/docket-tns/docket/models"
)

func openEmpty(t *testing.T, url string) *models.Database {
	t.Helper()
	db, err := models.OpenDatabase(context.Background(), models.DatabaseOptions{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func countMarkets(t *testing.T, db *models.Database) int64 {
	t.Helper()
	var n int64
	if err := db.Gorm.Table("markets").Count(&n).Error; err != nil {
		t.Fatalf("count markets: %v", err)
	}
	return n
}

func TestUpDownUp(t *testing.T) {
	testdb.EachDialect(t, func(t *testing.T, dialect models.Dialect, url string) {
		ctx := context.Background()
		db := openEmpty(t, url)
		m, err := migrations.New(db.SQL, string(dialect))
		if err != nil {
			t.Fatal(err)
		}
		cur, latest, err := m.Versions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if cur != 0 || latest < 1 {
			t.Fatalf("fresh database: current %d latest %d, want 0 and >= 1", cur, latest)
		}

		applied, err := m.Up(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if int64(applied) != latest {
			t.Fatalf("first up applied %d migrations, want %d", applied, latest)
		}
		if n := countMarkets(t, db); n != 6 {
			t.Fatalf("markets after up: %d, want the 6 seeded", n)
		}
		var tz string
		if err := db.Gorm.Table("markets").Select("timezone").Where("code = ?", "VN").Scan(&tz).Error; err != nil || tz != "Asia/Ho_Chi_Minh" {
			t.Fatalf("VN timezone = %q (%v)", tz, err)
		}

		if err := m.Reset(ctx); err != nil {
			t.Fatal(err)
		}
		if cur, _, _ := m.Versions(ctx); cur != 0 {
			t.Fatalf("after reset version %d, want 0", cur)
		}
		if err := db.Gorm.Table("markets").Count(new(int64)).Error; err == nil {
			t.Fatal("markets table still exists after migrating down")
		}
		if v, err := m.Down(ctx); err != nil || v != 0 {
			t.Fatalf("down on an empty schema: version %d err %v, want 0 and nil", v, err)
		}

		if _, err := m.Up(ctx); err != nil {
			t.Fatalf("second up: %v", err)
		}
		if n := countMarkets(t, db); n != 6 {
			t.Fatalf("markets after second up: %d", n)
		}
		st, err := m.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range st {
			if !s.Applied {
				t.Errorf("migration %d %s not applied", s.Version, s.Name)
			}
		}
		if again, err := m.Up(ctx); err != nil || again != 0 {
			t.Fatalf("up with nothing pending applied %d (%v)", again, err)
		}
	})
}

// Two servers starting at once on one PostgreSQL must not both apply the
// same migration: the session advisory lock serialises them.
func TestConcurrentUpOnPostgres(t *testing.T) {
	url := testdb.EmptyPostgresURL(t)
	ctx := context.Background()
	const servers = 4
	var wg sync.WaitGroup
	applied := make([]int, servers)
	errs := make([]error, servers)
	for i := range servers {
		db := openEmpty(t, url)
		m, err := migrations.New(db.SQL, migrations.Postgres)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			applied[i], errs[i] = m.Up(ctx)
		}()
	}
	wg.Wait()
	total := 0
	for i := range servers {
		if errs[i] != nil {
			t.Fatalf("server %d: %v", i, errs[i])
		}
		total += applied[i]
	}
	db := openEmpty(t, url)
	m, _ := migrations.New(db.SQL, migrations.Postgres)
	_, latest, _ := m.Versions(ctx)
	if int64(total) != latest {
		t.Fatalf("servers applied %d migrations in all, want exactly %d", total, latest)
	}
	if n := countMarkets(t, db); n != 6 {
		t.Fatalf("markets: %d, want 6 (seed applied once)", n)
	}
}

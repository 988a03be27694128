package models_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

// Transactions on SQLite must take the write lock at BEGIN; a deferred one
// that reads and then writes fails with SQLITE_BUSY_SNAPSHOT under load.
func TestSQLiteTransactionsAreImmediate(t *testing.T) {
	db := testdb.SQLite(t)
	ctx := context.Background()
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	other, err := db.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		t.Fatal(err)
	}
	_, err = other.ExecContext(ctx, "BEGIN IMMEDIATE")
	if err == nil || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("a second writer got in while a transaction was open (err %v): BEGIN is not IMMEDIATE", err)
	}
	var mode string
	if err := db.SQL.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode %q (%v), want wal", mode, err)
	}
}

func TestParseDatabaseURL(t *testing.T) {
	for _, tc := range []struct {
		url     string
		dialect models.Dialect
		bad     string
	}{
		{"sqlite:data/docket.db", models.SQLite, ""},
		{"sqlite:///tmp/x.db", models.SQLite, ""},
		{"postgres://u@h/db", models.Postgres, ""},
		{"postgresql://u:p@h:5432/db?sslmode=disable", models.Postgres, ""},
		{"sqlite:", "", "names no file"},
		{"sqlite:x.db?_txlock=deferred", "", "options are not accepted"},
		{"postgres://u@h", "", "names no database"},
		{"postgres:///db", "", "names no host"},
		{"mysql://u@h/db", "", "want sqlite:"},
		{"", "", "want sqlite:"},
	} {
		got, err := models.ParseDatabaseURL(tc.url)
		if tc.bad != "" {
			if err == nil || !strings.Contains(err.Error(), tc.bad) || models.KindOf(err) != models.KindInvalid {
				t.Errorf("%q: err %v, want one saying %q", tc.url, err, tc.bad)
			}
			continue
		}
		if err != nil || got.Dialect != tc.dialect {
			t.Errorf("%q: %+v %v", tc.url, got, err)
		}
	}
	if r := models.RedactDatabaseURL("postgres://u:secret@h/db"); strings.Contains(r, "secret") {
		t.Fatalf("redacted URL %q", r)
	}
}

const hour = time.Hour

var time1h = time.Hour

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// On PostgreSQL LIMIT and OFFSET are written as literals: with a "LIMIT $n"
// parameter a prepared statement's generic plan cannot walk an ordered
// index, so the server re-plans every execution (claim-next paid more for
// planning than for claiming). The answers are unchanged.
func TestPostgresLimitsAreLiterals(t *testing.T) {
	db := testdb.Postgres(t)
	var out []models.Market
	stmt := db.Gorm.Session(&gorm.Session{DryRun: true}).Model(&models.Market{}).Where("code <> ?", "XX").
		Order("code").Limit(2).Offset(3).Find(&out).Statement
	if sql := stmt.SQL.String(); !strings.HasSuffix(sql, "ORDER BY code LIMIT 2 OFFSET 3") || len(stmt.Vars) != 1 {
		t.Fatalf("rendered %q with %d parameters, want a literal LIMIT 2 OFFSET 3 and one parameter", sql, len(stmt.Vars))
	}
	var all, page []models.Market
	if err := db.Gorm.Order("code").Find(&all).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Gorm.Order("code").Limit(2).Offset(3).Find(&page).Error; err != nil {
		t.Fatal(err)
	}
	if len(all) < 5 || len(page) != 2 || page[0].Code != all[3].Code || page[1].Code != all[4].Code {
		t.Fatalf("page %v of %v", page, all)
	}
	var one models.Market
	if err := db.Gorm.Order("code").Take(&one).Error; err != nil || one.Code != all[0].Code {
		t.Fatalf("Take: %v %v", one, err)
	}
}

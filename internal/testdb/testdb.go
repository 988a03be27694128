// Package testdb gives tests a fresh, migrated database of each dialect: a
// temporary SQLite file, and a PostgreSQL database cloned from a migrated
// template. Every store test runs on both through Each.
//
// PostgreSQL comes from DOCKET_TEST_POSTGRES (default the local server). When
// it is unreachable the PostgreSQL half is skipped loudly, or fails when
// CI=true.
package testdb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver for the admin connection

	"github.com/docket-tns/docket/migrations"
	"github.com/docket-tns/docket/models"
)

// DefaultPostgres is the server tests use when DOCKET_TEST_POSTGRES is unset.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL is the admin URL tests create their databases through.
func PostgresURL() string {
	if v := os.Getenv("DOCKET_TEST_POSTGRES"); v != "" {
		return v
	}
	return DefaultPostgres
}

// Each runs fn as two subtests, "sqlite" and "postgres", each with a fresh
// migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *models.Database)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// EachDialect is Each without migrating or opening anything: fn gets the
// database URL of an empty database of each dialect.
func EachDialect(t *testing.T, fn func(t *testing.T, dialect models.Dialect, url string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, models.SQLite, EmptySQLiteURL(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, models.Postgres, EmptyPostgresURL(t)) })
}

// EmptySQLiteURL returns a sqlite: URL of a file in the test's temp folder.
func EmptySQLiteURL(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "docket.db")
}

// SQLite opens a migrated SQLite database in a temp folder.
func SQLite(t testing.TB) *models.Database {
	t.Helper()
	return open(t, EmptySQLiteURL(t), true)
}

// Postgres opens a fresh PostgreSQL database cloned from the migrated
// template; it is dropped when the test ends.
func Postgres(t testing.TB) *models.Database {
	t.Helper()
	return open(t, clonePostgres(t, true), false)
}

// EmptyPostgresURL creates an empty PostgreSQL database (no migrations) that
// is dropped when the test ends, and returns its URL.
func EmptyPostgresURL(t testing.TB) string {
	t.Helper()
	return clonePostgres(t, false)
}

func open(t testing.TB, dbURL string, migrate bool) *models.Database {
	t.Helper()
	ctx := context.Background()
	db, err := models.OpenDatabase(ctx, models.DatabaseOptions{URL: dbURL, MaxOpenConns: 16})
	if err != nil {
		t.Fatalf("open %s: %v", dbURL, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if migrate {
		m, err := migrations.New(db.SQL, string(db.Dialect))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Up(ctx); err != nil {
			t.Fatalf("migrate: %v", err)
		}
	}
	return db
}

var (
	adminOnce sync.Once
	adminDB   *sql.DB
	adminErr  error
	tplMu     sync.Mutex
	template  string
)

func requirePostgres(t testing.TB) *sql.DB {
	t.Helper()
	adminOnce.Do(func() {
		adminDB, adminErr = sql.Open("pgx", PostgresURL())
		if adminErr == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			adminErr = adminDB.PingContext(ctx)
		}
	})
	if adminErr != nil {
		msg := fmt.Sprintf("PostgreSQL at %s is unreachable (%v): the PostgreSQL half of this test was SKIPPED", models.RedactDatabaseURL(PostgresURL()), adminErr)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " — not allowed under CI=true")
		}
		t.Skip(msg)
	}
	return adminDB
}

// lockKey serialises template creation and cloning across test binaries,
// which go test runs in parallel: CREATE DATABASE ... TEMPLATE fails while
// another session is connected to the template.
const lockKey = 0x646f636b6574 // "docket"

func clonePostgres(t testing.TB, migrated bool) string {
	t.Helper()
	admin := requirePostgres(t)
	ctx := context.Background()
	conn, err := admin.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", lockKey) //nolint:errcheck

	name := "docket_t_" + randomHex(8)
	stmt := "CREATE DATABASE " + name
	if migrated {
		tpl, err := ensureTemplate(ctx, conn)
		if err != nil {
			t.Fatalf("template database: %v", err)
		}
		stmt += " TEMPLATE " + tpl
	}
	if _, err := conn.ExecContext(ctx, stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
	// Test databases need no durability: commits skip the WAL flush wait,
	// which would otherwise dominate the concurrency tests' run time.
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+name+" SET synchronous_commit = off"); err != nil {
		t.Fatalf("synchronous_commit: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop %s: %v", name, err)
		}
	})
	return databaseURL(name)
}

// ensureTemplate creates, once per schema, a database holding every
// migration. Its name carries a hash of the migration files, so a changed
// schema gets a new template and an old one is never reused.
func ensureTemplate(ctx context.Context, conn *sql.Conn) (string, error) {
	tplMu.Lock()
	defer tplMu.Unlock()
	if template != "" {
		return template, nil
	}
	h, err := schemaHash()
	if err != nil {
		return "", err
	}
	name := "docket_tpl_" + h
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		building := name + "_build"
		if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)"); err != nil {
			return "", err
		}
		if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
			return "", err
		}
		if err := migrateURL(ctx, databaseURL(building)); err != nil {
			return "", err
		}
		// Renamed only when complete, so a crash never leaves a half-made template.
		if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
			return "", err
		}
	}
	template = name
	return name, nil
}

func migrateURL(ctx context.Context, dbURL string) error {
	db, err := models.OpenDatabase(ctx, models.DatabaseOptions{URL: dbURL, MaxOpenConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := migrations.New(db.SQL, string(db.Dialect))
	if err != nil {
		return err
	}
	_, err = m.Up(ctx)
	return err
}

func schemaHash() (string, error) {
	fsys, err := migrations.Files(migrations.Postgres)
	if err != nil {
		return "", err
	}
	var names []string
	if err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return err
	}); err != nil {
		return "", err
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\n%d\n", n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

func databaseURL(name string) string {
	u, err := url.Parse(PostgresURL())
	if err != nil {
		panic(err)
	}
	u.Path = "/" + name
	return strings.Replace(u.String(), "postgresql://", "postgres://", 1)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

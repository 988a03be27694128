package bench

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/docket-tns/docket/migrations"
	"github.com/docket-tns/docket/models"
)

var (
	dbNamePattern  = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)
	settingPattern = regexp.MustCompile(`^[a-z_][a-z0-9_.]*$`)
)

// databaseURL is adminURL pointing at database name instead.
func databaseURL(adminURL, name string) (string, error) {
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", fmt.Errorf("PostgreSQL URL: %w", err)
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return "", fmt.Errorf("PostgreSQL URL %q: want postgres://user@host:port/db", models.RedactDatabaseURL(adminURL))
	}
	u.Scheme = "postgres"
	u.Path = "/" + name
	return u.String(), nil
}

// recreateDatabase drops the bench database if a previous run left it,
// and creates it empty, with settings ("name=value") of its own.
func recreateDatabase(ctx context.Context, adminURL, name string, settings []string) error {
	if !dbNamePattern.MatchString(name) {
		return fmt.Errorf("database name %q: use lower-case letters, digits and underscores", name)
	}
	var alter []string
	for _, kv := range settings {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || !settingPattern.MatchString(k) {
			return fmt.Errorf("database setting %q: want name=value", kv)
		}
		alter = append(alter, fmt.Sprintf("ALTER DATABASE %s SET %s = '%s'", name, k, strings.ReplaceAll(v, "'", "''")))
	}
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("cannot reach PostgreSQL at %s: %w", models.RedactDatabaseURL(adminURL), err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop %s: %w", name, err)
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	for _, a := range alter {
		if _, err := conn.Exec(ctx, a); err != nil {
			return fmt.Errorf("%s: %w", a, err)
		}
	}
	return nil
}

// dropDatabase removes the bench database.
func dropDatabase(ctx context.Context, adminURL, name string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	return err
}

// migrate applies the embedded migrations to a database URL, as serve does.
func migrate(ctx context.Context, dbURL string) error {
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

// postgresFacts reads the server version and the settings that move the
// figures.
func postgresFacts(ctx context.Context, conn *pgx.Conn) (version, settings string, autovacuum bool, err error) {
	if err = conn.QueryRow(ctx, "SHOW server_version").Scan(&version); err != nil {
		return
	}
	rows, err := conn.Query(ctx, `SELECT name, setting, COALESCE(unit, '') FROM pg_settings
		WHERE name IN ('shared_buffers', 'synchronous_commit', 'fsync', 'autovacuum', 'max_connections', 'work_mem') ORDER BY name`)
	if err != nil {
		return
	}
	var parts []string
	for rows.Next() {
		var name, setting, unit string
		if err = rows.Scan(&name, &setting, &unit); err != nil {
			return
		}
		if name == "autovacuum" {
			autovacuum = setting == "on"
		}
		parts = append(parts, name+"="+humanSetting(setting, unit))
	}
	return version, strings.Join(parts, ", "), autovacuum, rows.Err()
}

func humanSetting(setting, unit string) string {
	if unit == "8kB" || unit == "kB" {
		var n int64
		if _, err := fmt.Sscan(setting, &n); err == nil {
			if unit == "8kB" {
				n *= 8
			}
			if n >= 1024 && n%1024 == 0 {
				return fmt.Sprintf("%dMB", n/1024)
			}
			return fmt.Sprintf("%dkB", n)
		}
	}
	return setting + unit
}

// deferIndexes drops a table's secondary indexes (those backing no
// constraint) before a bulk load and returns their definitions: building
// an index once over a loaded table is far faster than maintaining it row
// by row.
func deferIndexes(ctx context.Context, conn *pgx.Conn, table string) ([]string, error) {
	rows, err := conn.Query(ctx, `SELECT i.indexname, i.indexdef FROM pg_indexes i
		WHERE i.schemaname = current_schema() AND i.tablename = $1
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass)`, table)
	if err != nil {
		return nil, err
	}
	type index struct{ name, def string }
	var idx []index
	for rows.Next() {
		var i index
		if err := rows.Scan(&i.name, &i.def); err != nil {
			return nil, err
		}
		idx = append(idx, i)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	defs := make([]string, 0, len(idx))
	for _, i := range idx {
		if _, err := conn.Exec(ctx, "DROP INDEX "+pgx.Identifier{i.name}.Sanitize()); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", i.name, err)
		}
		defs = append(defs, i.def)
	}
	return defs, nil
}

// restoreIndexes builds the indexes deferIndexes dropped.
func restoreIndexes(ctx context.Context, conn *pgx.Conn, defs []string) error {
	if _, err := conn.Exec(ctx, "SET maintenance_work_mem = '256MB'"); err != nil {
		return err
	}
	for _, def := range defs {
		if _, err := conn.Exec(ctx, def); err != nil {
			return fmt.Errorf("%s: %w", def, err)
		}
	}
	return nil
}

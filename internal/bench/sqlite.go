package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/docket-tns/docket/models"
)

// insertRows loads rows 1..n of a table with multi-row INSERTs, one
// transaction per chunk (SQLite has no COPY).
func insertRows(ctx context.Context, db *sql.DB, table string, cols []string, n int64, gen func(n int64) []any, prog *progress) error {
	const perStmt = 200
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	for first := int64(1); first <= n; first += 50 * perStmt {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for lo := first; lo < first+50*perStmt && lo <= n; lo += perStmt {
			hi := min(lo+perStmt-1, n)
			args := make([]any, 0, int(hi-lo+1)*len(cols))
			for i := lo; i <= hi; i++ {
				args = append(args, gen(i)...)
			}
			q := head + strings.TrimSuffix(strings.Repeat(row+", ", int(hi-lo+1)), ", ")
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				_ = tx.Rollback()
				return fmt.Errorf("insert %s rows %d-%d: %w", table, lo, hi, err)
			}
			prog.done.Add(hi - lo + 1)
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

func seedSQLite(ctx context.Context, dbURL string, d *dataset, log io.Writer) error {
	db, err := models.OpenDatabase(ctx, models.DatabaseOptions{URL: dbURL, MaxOpenConns: 1})
	if err != nil {
		return err
	}
	defer db.Close()
	prog := startProgress(log, "SQLite subjects", int64(d.subjects))
	err = insertRows(ctx, db.SQL, "subjects", []string{"id", "kind", "external_id", "market", "display_name", "attributes",
		"followers", "gmv_usd", "strike_count", "created_at", "updated_at"}, int64(d.subjects), func(n int64) []any {
		s := d.subject(n)
		return []any{s.id, s.kind, s.externalID, s.market, s.displayName, s.attributes, s.followers, s.gmv, s.strikeCount, s.createdAt, s.createdAt}
	}, prog)
	prog.finish()
	if err != nil {
		return err
	}
	prog = startProgress(log, "SQLite cases", int64(d.cases))
	err = insertRows(ctx, db.SQL, "cases", []string{"id", "subject_id", "market", "policy_code", "severity", "priority", "status",
		"hold_from", "assignee_id", "claim_expires_at", "sla_due_at", "sla_at_risk_at", "escalation_reason", "emergency", "summary",
		"created_by", "created_at", "updated_at", "version", "held_at", "sla_breach_escalated_at", "priority_refresh_at"},
		int64(d.cases), func(n int64) []any {
			c := d.caseAt(n)
			return []any{c.id, c.subjectID, c.market, c.policy, c.severity, c.priority, string(c.status), nullable(c.holdFrom),
				nullable(c.assignee), nullable(c.claimExpiresAt), c.dueAt, c.atRiskAt, nullable(c.escalationReason), c.emergency,
				c.summary, seedActor, c.createdAt, c.updatedAt, 1, nullable(c.heldAt), nullable(c.breachEscalated), nullable(c.next)}
		}, prog)
	prog.finish()
	// No ANALYZE: Docket never runs it on SQLite, and with its statistics
	// SQLite plans claim-next through (market, status) and sorts the whole
	// market instead of walking cases_claimable_idx (docs/PERFORMANCE.md).
	return err
}

// sqlite runs scenario 5: the zero-setup default store, claim-next over
// HTTP by all reviewers at once vs one reviewer alone.
func (r *run) sqlite(ctx context.Context) {
	r.scenario(ctx, "SQLite (scenario 5)", func() error { return r.sqliteScaling(ctx) }, []string{"5"})
}

func (r *run) sqliteScaling(ctx context.Context) error {
	o := r.opts
	dir, err := os.MkdirTemp("", "docket-bench-sqlite-")
	if err != nil {
		return err
	}
	dbURL := "sqlite:" + filepath.Join(dir, "docket.db")
	if o.Keep {
		fmt.Fprintf(r.log, "  keeping the SQLite database: %s\n", dbURL)
	} else {
		defer os.RemoveAll(dir)
	}
	step := time.Now()
	if err := migrate(ctx, dbURL); err != nil {
		return err
	}
	c, err := setupCast(ctx, dbURL, o.Reviewers)
	if err != nil {
		return err
	}
	ds := newDataset(o.SQLiteCases, 0, time.Now(), c.policies, c.staff)
	if err := seedSQLite(ctx, dbURL, ds, r.log); err != nil {
		return fmt.Errorf("seeding SQLite: %w", err)
	}
	r.report.timed(fmt.Sprintf("seed SQLite with %s open cases", fmtInt(int64(o.SQLiteCases))), step)
	srv, err := r.start(ctx, dbURL)
	if err != nil {
		return err
	}
	defer func() {
		if err := srv.Stop(); err != nil {
			fmt.Fprintf(r.log, "bench: SQLite server stop: %v\n", err)
		}
	}()
	if err := signIn(ctx, srv.URL, r.hc, c.reviewers); err != nil {
		return err
	}
	sdb, err := models.OpenDatabase(ctx, models.DatabaseOptions{URL: dbURL, MaxOpenConns: 1})
	if err != nil {
		return err
	}
	defer sdb.Close()
	ids := reviewerIDs(c.reviewers)
	release := func() error {
		return sdb.Gorm.WithContext(ctx).Exec(`UPDATE cases SET status = 'triaged', assignee_id = NULL, claim_expires_at = NULL,
			version = version + 1 WHERE status = 'in_review' AND assignee_id IN ?`, ids).Error
	}
	op := func(ctx context.Context, w int) error {
		rv := c.reviewers[w]
		_, err := rv.api.claim(ctx, rv.queue)
		if isQueueEmpty(err) {
			return errPoolDrained
		}
		return err
	}
	n := len(c.reviewers)
	if o.Warmup > 0 {
		if _, err := runPhase(ctx, n, o.Warmup, 0, op); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
		if err := release(); err != nil {
			return err
		}
	}
	var one, all Phase
	for round := 1; round <= o.Rounds; round++ {
		stopProfile, err := r.profileOnce()
		if err != nil {
			return err
		}
		ph, err := runPhase(ctx, 1, o.Phase, 0, op)
		stopProfile()
		if err != nil {
			return fmt.Errorf("one reviewer: %w", err)
		}
		one = one.Add(ph)
		fmt.Fprintf(r.log, "  round %d, 1 reviewer: %s claims\n", round, perSec(ph.Rate()))
		if err := release(); err != nil {
			return err
		}
		ph, err = runPhase(ctx, n, o.Phase, 0, op)
		if err != nil {
			return fmt.Errorf("%d reviewers: %w", n, err)
		}
		all = all.Add(ph)
		fmt.Fprintf(r.log, "  round %d, %d reviewers: %s claims\n", round, n, perSec(ph.Rate()))
		if err := release(); err != nil {
			return err
		}
	}
	q := ratio(all.Rate(), one.Rate())
	l1, ln := one.Lat.Sorted(), all.Lat.Sorted()
	var sqliteVersion string
	_ = sdb.SQL.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&sqliteVersion)
	r.report.Machine.SQLite = sqliteVersion + " (modernc, pure Go, via glebarez/sqlite), WAL"
	r.report.add(Row{Scenario: "5", Name: fmt.Sprintf("SQLite default: claim-next over HTTP, %s open cases", fmtInt(int64(o.SQLiteCases))),
		Figure: fmt.Sprintf("claims/s, %d reviewers vs 1", n), Measured: perSec(all.Rate()), Baseline: "1 reviewer: " + perSec(one.Rate()),
		Ratio: pct(q), Target: ">= 90%", Status: atLeast(q, targetSQLiteScaling),
		Note: fmt.Sprintf("p50 / p99: 1 reviewer %s / %s, %d reviewers %s / %s", ms(l1.Percentile(50)), ms(l1.Percentile(99)),
			n, ms(ln.Percentile(50)), ms(ln.Percentile(99)))})
	return nil
}

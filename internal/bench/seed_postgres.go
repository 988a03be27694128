package bench

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
)

const seedActor = "system:bench-seed"

// genSource feeds COPY rows made on the fly, so memory stays flat however
// many rows are loaded.
type genSource struct {
	next, last int64
	gen        func(n int64) []any
	row        []any
	prog       *progress
}

func (s *genSource) Next() bool {
	if s.next > s.last {
		return false
	}
	s.row = s.gen(s.next)
	s.next++
	s.prog.done.Add(1)
	return true
}

func (s *genSource) Values() ([]any, error) { return s.row, nil }
func (s *genSource) Err() error             { return nil }

// copyRows loads rows 1..n of a table with COPY over several connections
// at once (each streams a contiguous range of row numbers).
func copyRows(ctx context.Context, dbURL, table string, cols []string, n int64, streams int, gen func(n int64) []any, prog *progress) error {
	var g group
	per := (n + int64(streams) - 1) / int64(streams)
	for s := range int64(streams) {
		first, last := s*per+1, min((s+1)*per, n)
		if first > last {
			continue
		}
		g.Go(ctx, func(ctx context.Context) error {
			conn, err := pgx.Connect(ctx, dbURL)
			if err != nil {
				return err
			}
			defer conn.Close(context.Background())
			// The generator only makes valid references, so foreign-key
			// triggers may sleep through the load where the role allows it
			// (superuser); elsewhere they simply run.
			_, _ = conn.Exec(ctx, "SET session_replication_role = replica")
			_, err = conn.CopyFrom(ctx, pgx.Identifier{table}, cols, &genSource{next: first, last: last, gen: gen, prog: prog})
			if err != nil {
				return fmt.Errorf("copy %s rows %d-%d: %w", table, first, last, err)
			}
			return nil
		})
	}
	return g.Wait()
}

func nullable[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// seedPostgres bulk-loads the data set with COPY (secondary indexes built
// afterwards), then vacuums and analyzes it like a settled production
// database.
func seedPostgres(ctx context.Context, dbURL string, d *dataset, streams int, log io.Writer, r *Report) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	tables := []string{"subjects", "cases", "signals"}
	var defs []string
	for _, t := range tables {
		ds, err := deferIndexes(ctx, conn, t)
		if err != nil {
			return err
		}
		defs = append(defs, ds...)
	}

	start := time.Now()
	prog := startProgress(log, "subjects", int64(d.subjects))
	err = copyRows(ctx, dbURL, "subjects", []string{"id", "kind", "external_id", "market", "display_name", "attributes",
		"followers", "gmv_usd", "strike_count", "created_at", "updated_at"}, int64(d.subjects), streams,
		func(n int64) []any {
			s := d.subject(n)
			return []any{s.id, s.kind, s.externalID, s.market, s.displayName, s.attributes, s.followers, s.gmv, s.strikeCount, s.createdAt, s.createdAt}
		}, prog)
	prog.finish()
	if err != nil {
		return err
	}
	r.timed(fmt.Sprintf("seed %s subjects (COPY)", fmtInt(int64(d.subjects))), start)

	start = time.Now()
	prog = startProgress(log, "cases", int64(d.cases))
	err = copyRows(ctx, dbURL, "cases", []string{"id", "subject_id", "market", "policy_code", "severity", "priority", "status",
		"hold_from", "assignee_id", "claim_expires_at", "sla_due_at", "sla_at_risk_at", "escalation_reason", "emergency", "summary",
		"created_by", "created_at", "updated_at", "version", "held_at", "sla_breach_escalated_at", "priority_refresh_at"},
		int64(d.cases), streams, func(n int64) []any {
			c := d.caseAt(n)
			return []any{c.id, c.subjectID, c.market, c.policy, c.severity, c.priority, string(c.status), nullable(c.holdFrom),
				nullable(c.assignee), nullable(c.claimExpiresAt), c.dueAt, c.atRiskAt, nullable(c.escalationReason), c.emergency,
				c.summary, seedActor, c.createdAt, c.updatedAt, 1, nullable(c.heldAt), nullable(c.breachEscalated), nullable(c.next)}
		}, prog)
	prog.finish()
	if err != nil {
		return err
	}
	r.timed(fmt.Sprintf("seed %s open cases (COPY)", fmtInt(int64(d.cases))), start)

	if d.signals > 0 {
		start = time.Now()
		prog = startProgress(log, "signals", int64(d.signals))
		err = copyRows(ctx, dbURL, "signals", []string{"id", "source", "source_id", "type", "subject_id", "market", "occurred_at",
			"received_at", "attributes", "sent_by"}, int64(d.signals), streams, func(n int64) []any {
			s := d.signalAt(n)
			return []any{s.id, s.source, s.sourceID, s.typ, s.subjectID, s.market, s.occurredAt, s.occurredAt, s.attributes, seedActor}
		}, prog)
		prog.finish()
		if err != nil {
			return err
		}
		r.timed(fmt.Sprintf("seed %s signals (COPY)", fmtInt(int64(d.signals))), start)
	}

	start = time.Now()
	fmt.Fprintf(log, "  building %d indexes\n", len(defs))
	if err := restoreIndexes(ctx, conn, defs); err != nil {
		return err
	}
	for _, t := range tables {
		if _, err := conn.Exec(ctx, fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), GREATEST((SELECT MAX(id) FROM %s), 1))", t, t)); err != nil {
			return err
		}
	}
	r.timed(fmt.Sprintf("build %d indexes", len(defs)), start)
	start = time.Now()
	fmt.Fprintln(log, "  vacuum analyze")
	if _, err := conn.Exec(ctx, "VACUUM (ANALYZE) subjects, cases, signals"); err != nil {
		return err
	}
	r.timed("vacuum analyze", start)
	return nil
}

package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// The case_counts rollup: counts of open cases grouped by everything a
// queue filters on, so queue counts are sums over a few hundred rows
// instead of aggregates over every open case. It is rebuilt whole by
// RefreshCaseCounts; nothing updates it inside case transactions (a
// counter row per queue would be a hot row every claim waits on).

const caseCountsRollup = "case_counts"

// caseCountsLockKey serialises refreshes on PostgreSQL ("counts").
const caseCountsLockKey = 0x636f756e7473

// caseCountsGrouping is the rollup's aggregate over the open cases; its
// parameters are the refresh time three times and the resolved status.
// Same tests as the per-queue aggregate it replaced: breached is past due
// (whatever the status), at risk is not yet due but past the 80% mark.
const caseCountsGrouping = `SELECT market, policy_code, severity, status, queue, emergency, assignee_id IS NOT NULL,
		COUNT(*),
		SUM(CASE WHEN sla_due_at < ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN sla_due_at >= ? AND sla_at_risk_at <= ? THEN 1 ELSE 0 END),
		MIN(created_at)
	FROM cases WHERE status <> ?
	GROUP BY market, policy_code, severity, status, queue, emergency, assignee_id IS NOT NULL`

// RefreshCaseCounts replaces the case_counts rollup with the counts of
// open (not resolved) cases, breached and at-risk judged at asOf, in one
// GROUP BY, and stamps the rollup's as_of. Call it in a write
// transaction: readers see the old rollup until it commits. On
// PostgreSQL a refresh already under way elsewhere makes this one a no-op
// (refreshed false) rather than a second scan; two refreshes never
// interleave (that would duplicate rows).
func RefreshCaseCounts(ctx context.Context, tx *gorm.DB, asOf time.Time) (refreshed bool, err error) {
	db := tx.WithContext(ctx)
	if db.Dialector.Name() == "postgres" {
		var got bool
		if err := db.Raw("SELECT pg_try_advisory_xact_lock(?)", caseCountsLockKey).Scan(&got).Error; err != nil {
			return false, err
		}
		if !got {
			return false, nil
		}
		// A few thousand groups at most. The planner knows as much from
		// the multivariate statistics of migration 00014 and hashes; the
		// memory is there in case those statistics are stale. One process
		// scans: a refresh is background work, and two parallel workers
		// beside it would take both cores of a small server from the
		// claims for its duration (a latency spike) to save wall time
		// nobody waits on.
		if err := db.Exec("SET LOCAL work_mem = '32MB'").Error; err != nil {
			return false, err
		}
		if err := db.Exec("SET LOCAL max_parallel_workers_per_gather = 0").Error; err != nil {
			return false, err
		}
	}
	start := time.Now()
	if err := db.Exec("DELETE FROM case_counts").Error; err != nil {
		return false, err
	}
	err = db.Exec("INSERT INTO case_counts (market, policy_code, severity, status, queue, emergency, assigned, "+
		"total, breached, at_risk, oldest_created_at) "+caseCountsGrouping, asOf, asOf, asOf, StatusResolved).Error
	if err != nil {
		return false, err
	}
	took := time.Since(start).Milliseconds()
	res := db.Exec("UPDATE rollups SET as_of = ?, took_ms = ? WHERE name = ?", asOf, took, caseCountsRollup)
	if res.Error != nil {
		return false, res.Error
	}
	if res.RowsAffected != 1 {
		return false, errors.New("rollups has no case_counts row (migration 00013 not applied?)")
	}
	return true, nil
}

// CaseCountsAsOf is when the case_counts rollup was last refreshed; nil
// when it never was.
func CaseCountsAsOf(ctx context.Context, db *gorm.DB) (*time.Time, error) {
	asOf, _, err := CaseCountsRefreshed(ctx, db)
	return asOf, err
}

// CaseCountsRefreshed is when the case_counts rollup was last refreshed
// (nil: never) and how long that refresh took.
func CaseCountsRefreshed(ctx context.Context, db *gorm.DB) (*time.Time, time.Duration, error) {
	var row struct {
		AsOf   *time.Time
		TookMS int64
	}
	err := db.WithContext(ctx).Table("rollups").Select("as_of, took_ms").Where("name = ?", caseCountsRollup).Take(&row).Error
	if err != nil || row.AsOf == nil {
		return nil, 0, err
	}
	t := row.AsOf.UTC()
	return &t, time.Duration(row.TookMS) * time.Millisecond, nil
}

// VacuumCaseCounts reclaims the rows the last refreshes deleted
// (PostgreSQL; a no-op on SQLite). Outside any transaction. Each refresh
// deletes the whole rollup; vacuuming a table of a few hundred rows is
// cheap, and keeps it small where autovacuum is slow or off.
func VacuumCaseCounts(ctx context.Context, db *gorm.DB) error {
	return vacuum(ctx, db, "case_counts")
}

// vacuum vacuums one of the tables that are emptied over and over (which
// migration 00015 keeps from being truncated), outside any transaction;
// a no-op on SQLite.
func vacuum(ctx context.Context, db *gorm.DB, table string) error {
	if db.Dialector.Name() != "postgres" {
		return nil
	}
	return db.WithContext(ctx).Exec("VACUUM " + table).Error
}

// CaseCountRow is one row of the case_counts rollup.
type CaseCountRow struct {
	Market          string
	PolicyCode      string
	Severity        string
	Status          CaseStatus
	Queue           *string
	Emergency       bool
	Assigned        bool
	Total           int64
	Breached        int64
	AtRisk          int64
	OldestCreatedAt time.Time
}

// CaseCountRows reads the whole case_counts rollup (a few hundred rows:
// one per combination of market, policy, severity, status, route,
// emergency and assignment that open cases have).
func CaseCountRows(ctx context.Context, db *gorm.DB) ([]CaseCountRow, error) {
	var out []CaseCountRow
	return out, db.WithContext(ctx).Table("case_counts").Find(&out).Error
}

// CountQueue sums a queue's counts over rollup rows: those of the cases
// Match selects, as of the rollup's refresh. Whatever the queue's
// criteria, so a new or redefined queue counts right away.
func CountQueue(q Queue, rows []CaseCountRow) QueueCounts {
	var out QueueCounts
	f := q.countsFilter()
	for _, r := range rows {
		if !f.matches(r) {
			continue
		}
		out.Total += r.Total
		if !r.Assigned {
			out.Unassigned += r.Total
		}
		out.Breached += r.Breached
		out.AtRisk += r.AtRisk
		if out.Oldest == nil || r.OldestCreatedAt.Before(*out.Oldest) {
			t := r.OldestCreatedAt.UTC()
			out.Oldest = &t
		}
	}
	return out
}

// CountQueueLive computes a queue's counts at now straight from cases:
// one aggregate over every matching open case. Too slow for dashboards
// at scale; tests compare the rollup against it.
func CountQueueLive(ctx context.Context, db *gorm.DB, q Queue, now time.Time) (QueueCounts, error) {
	var row struct {
		Total, Unassigned, Breached, AtRisk int64
		Oldest                              *string
	}
	err := q.Match(db.WithContext(ctx).Model(&Case{})).Where("cases.status IN ?", q.Statuses()).
		Select(`COUNT(*) AS total,
			COALESCE(SUM(CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END), 0) AS unassigned,
			COALESCE(SUM(CASE WHEN sla_due_at < ? THEN 1 ELSE 0 END), 0) AS breached,
			COALESCE(SUM(CASE WHEN sla_due_at >= ? AND sla_at_risk_at <= ? THEN 1 ELSE 0 END), 0) AS at_risk,
			CAST(MIN(created_at) AS TEXT) AS oldest`, now, now, now).Scan(&row).Error
	if err != nil {
		return QueueCounts{}, err
	}
	out := QueueCounts{Total: row.Total, Unassigned: row.Unassigned, Breached: row.Breached, AtRisk: row.AtRisk}
	if row.Oldest != nil {
		if t, err := ParseDBTime(*row.Oldest); err == nil {
			out.Oldest = &t
		}
	}
	return out, nil
}

// ParseDBTime reads a time the database returned as text: an aggregate
// over a timestamp on SQLite, or a timestamp cast to text on either.
func ParseDBTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999-07", "2006-01-02 15:04:05.999999999-07", "2006-01-02 15:04:05.999999999",
		"2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %q", s)
}

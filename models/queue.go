package models

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Queue is a named view over cases that reviewers pull from. Markets,
// Policies and Severities are space-separated; empty Policies or
// Severities mean all.
type Queue struct {
	ID            int64 `gorm:"primaryKey"`
	Name          string
	Description   string
	Kind          string // review | escalation
	Markets       string
	Policies      string
	Severities    string
	EmergencyOnly bool
	CreatedBy     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Version       int
}

// MarketList splits Markets.
func (q Queue) MarketList() []string { return strings.Fields(q.Markets) }

// Statuses are the statuses the queue shows.
func (q Queue) Statuses() []CaseStatus {
	if q.Kind == "escalation" {
		return []CaseStatus{StatusEscalated}
	}
	return []CaseStatus{StatusTriaged, StatusInReview, StatusOnHold}
}

// Match narrows a case query to the queue's cases. countsFilter.matches is its
// twin over the case_counts rollup: change both together
// (app.TestQueueCountsFromRollup compares them).
func (q Queue) Match(db *gorm.DB) *gorm.DB {
	db = db.Where("cases.market IN ?", q.MarketList())
	if ps := strings.Fields(q.Policies); len(ps) > 0 {
		db = db.Where("cases.policy_code IN ?", ps)
	}
	if ss := strings.Fields(q.Severities); len(ss) > 0 {
		db = db.Where("cases.severity IN ?", ss)
	}
	if q.EmergencyOnly {
		db = db.Where("cases.emergency = ?", true)
	} else if q.Kind == "review" {
		// A case routed to a review queue (cases.queue) is that queue's
		// alone; unrouted cases show in every review queue they match.
		db = db.Where("(cases.queue IS NULL OR cases.queue = ?)", q.Name)
	}
	return db
}

// countsFilter is the queue's criteria, split once, for matching rollup
// rows (a queue is matched against every row of the rollup).
type countsFilter struct {
	q                             Queue
	markets, policies, severities []string
	statuses                      []CaseStatus
}

func (q Queue) countsFilter() countsFilter {
	return countsFilter{q: q, markets: q.MarketList(), policies: strings.Fields(q.Policies), severities: strings.Fields(q.Severities),
		statuses: q.Statuses()}
}

// matches says whether the cases of a rollup row are the queue's (Match,
// and the queue's statuses).
func (f countsFilter) matches(r CaseCountRow) bool {
	if !slices.Contains(f.markets, r.Market) || !slices.Contains(f.statuses, r.Status) {
		return false
	}
	if len(f.policies) > 0 && !slices.Contains(f.policies, r.PolicyCode) {
		return false
	}
	if len(f.severities) > 0 && !slices.Contains(f.severities, r.Severity) {
		return false
	}
	if f.q.EmergencyOnly {
		return r.Emergency
	}
	if f.q.Kind == "review" {
		return r.Queue == nil || *r.Queue == f.q.Name
	}
	return true
}

// FindQueue returns a queue; KindNotFound queue_not_found.
func FindQueue(ctx context.Context, db *gorm.DB, id int64) (Queue, error) {
	var q Queue
	err := db.WithContext(ctx).Where("id = ?", id).Take(&q).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return q, Errorf(KindNotFound, "queue_not_found", "queue %d does not exist", id)
	}
	return q, err
}

// ListQueues returns every queue by kind and name.
func ListQueues(ctx context.Context, db *gorm.DB) ([]Queue, error) {
	var out []Queue
	return out, db.WithContext(ctx).Order("kind DESC, name").Find(&out).Error
}

// CreateQueue inserts q; a taken name is KindConflict queue_name_taken.
func CreateQueue(ctx context.Context, tx *gorm.DB, q *Queue) error {
	err := tx.WithContext(ctx).Create(q).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return Errorf(KindConflict, "queue_name_taken", "a queue named %q exists", q.Name)
	}
	return err
}

// QueueCounts are a queue's live figures.
type QueueCounts struct {
	Total      int64      `json:"total"`
	Unassigned int64      `json:"unassigned"`
	Breached   int64      `json:"breached"`
	AtRisk     int64      `json:"at_risk"`
	Oldest     *time.Time `json:"oldest_created_at"`
}

// LockNextClaimable locks the most urgent unassigned triaged case among
// markets matching the queue, skipping rows other claimers hold locked
// (PostgreSQL SKIP LOCKED; SQLite's write transaction is already alone).
// excludeDecider hides cases whose linked original the user decided (no
// second look at one's own decision). KindNotFound queue_empty if none.
func LockNextClaimable(ctx context.Context, tx *gorm.DB, q Queue, markets []string, excludeDecider int64) (Case, error) {
	var c Case
	err := nextClaimable(tx.WithContext(ctx), q, markets, excludeDecider).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return c, Errorf(KindNotFound, "queue_empty", "no case to claim in this queue")
	}
	return c, err
}

// nextClaimable is LockNextClaimable's query. excludeDecider is a user id,
// or an SQL expression yielding one (ClaimInOneStatement's parameter).
func nextClaimable(tx *gorm.DB, q Queue, markets []string, excludeDecider any) *gorm.DB {
	db := tx.Model(&Case{})
	if tx.Dialector.Name() == "sqlite" {
		// Pinned: with statistics (ANALYZE, or the PRAGMA optimize SQLite
		// recommends) its planner prefers cases_market_status_idx and sorts
		// the whole market on every claim, ten times slower at 100,000 cases.
		db = db.Table("cases INDEXED BY cases_claimable_idx")
	}
	db = q.Match(db).
		// The status is a literal, not a parameter: only then can a
		// prepared statement's generic plan prove cases_claimable_idx's
		// predicate and walk it in priority order (with "status = $1" the
		// planner fell back to scanning every triaged case and sorting).
		Where("cases.status = 'triaged' AND cases.assignee_id IS NULL").Where("cases.market IN ?", markets).
		Where(`NOT EXISTS (SELECT 1 FROM case_links l JOIN decisions d ON d.case_id = l.other_case_id
			WHERE l.case_id = cases.id AND l.kind = 'appeal_of' AND d.decided_by = ?)`, excludeDecider).
		Order("cases.priority DESC").Order("cases.id").Limit(1)
	if tx.Dialector.Name() == "postgres" {
		db = db.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
	}
	return db
}

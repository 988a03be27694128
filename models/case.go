package models

import (
	"context"
	"errors"
	"math"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Case is one matter about a subject under a policy.
type Case struct {
	ID                   int64 `gorm:"primaryKey"`
	SubjectID            int64
	Market               string
	PolicyCode           string
	Severity             string
	Priority             float64
	Status               CaseStatus
	HoldFrom             *CaseStatus
	Queue                *string
	AssigneeID           *int64
	ClaimExpiresAt       *time.Time
	SLADueAt             time.Time  `gorm:"column:sla_due_at"`
	SLAAtRiskAt          *time.Time `gorm:"column:sla_at_risk_at"`
	HeldAt               *time.Time
	SLABreachEscalatedAt *time.Time `gorm:"column:sla_breach_escalated_at"`
	PriorityRefreshAt    *time.Time
	PriorityBoost        int
	EscalationReason     *string
	Emergency            bool
	Outcome              *string
	Summary              string
	CreatedBy            string
	CreatedAt            time.Time
	UpdatedAt            time.Time
	ResolvedAt           *time.Time
	Version              int
}

// CaseEvent is one entry of a case's typed timeline.
type CaseEvent struct {
	ID         int64 `gorm:"primaryKey"`
	CaseID     int64
	Type       string
	Actor      string
	ActorLabel string
	Data       string
	CreatedAt  time.Time
}

// Decision is an outcome recorded on a case. Immutable: the database
// refuses UPDATE and DELETE.
type Decision struct {
	ID             int64 `gorm:"primaryKey"`
	CaseID         int64
	Outcome        string
	PolicyCode     string
	Actions        string // space-separated
	Rationale      string
	HighImpact     bool
	DecidedBy      *int64
	DecidedByLabel string
	DecidedAt      time.Time
}

// DecisionReview is the checker's verdict on a high-impact decision.
type DecisionReview struct {
	ID            int64 `gorm:"primaryKey"`
	DecisionID    int64
	Verdict       string // approved | rejected
	Note          string
	ReviewerID    *int64
	ReviewerLabel string
	ReviewedAt    time.Time
}

// Comment is a note on a case.
type Comment struct {
	ID          int64 `gorm:"primaryKey"`
	CaseID      int64
	Author      string
	AuthorLabel string
	Body        string
	CreatedAt   time.Time
}

// Evidence is text, a URL, a JSON snapshot or a file attached to a case.
type Evidence struct {
	ID           int64 `gorm:"primaryKey"`
	CaseID       int64
	Kind         string
	Title        string
	Body         string
	FileName     string
	ContentType  string
	SizeBytes    int64
	SHA256       string `gorm:"column:sha256"`
	Data         []byte
	AddedBy      string
	AddedByLabel string
	CreatedAt    time.Time
}

// TableName is evidence (not evidences).
func (Evidence) TableName() string { return "evidence" }

// CaseLink relates two cases.
type CaseLink struct {
	CaseID      int64  `gorm:"primaryKey"`
	OtherCaseID int64  `gorm:"primaryKey"`
	Kind        string `gorm:"primaryKey"`
	CreatedBy   string
	CreatedAt   time.Time
}

// CaseTag labels a case.
type CaseTag struct {
	CaseID int64  `gorm:"primaryKey"`
	Tag    string `gorm:"primaryKey"`
}

// Priority scores a case; higher is more urgent. Severity dominates (1000
// per rank), reach adds up to ~200 (log10 of followers or GMV in USD, x25),
// SLA urgency adds up to 300 as the deadline nears and past it, and an
// emergency pins the case above everything (+10000).
func Priority(severity string, followers, gmvUSD int64, dueAt, now time.Time, sla time.Duration, emergency bool) float64 {
	p := float64(SeverityRank(severity)) * 1000
	reach := math.Max(float64(followers), float64(gmvUSD))
	if reach > 0 {
		p += math.Min(25*math.Log10(reach+1), 200)
	}
	if sla > 0 {
		used := 1 - float64(dueAt.Sub(now))/float64(sla)
		p += math.Max(0, math.Min(used, 1.5)) * 200
	}
	if emergency {
		p += 10000
	}
	return math.Round(p*100) / 100
}

// urgencySteps: the SLA urgency term of Priority is refreshed each time
// another tenth of the SLA is used, up to the cap (150%).
const urgencySteps = 10

// NextPriorityRefresh is when the urgency term of a case's priority next
// moves up a step (nil once it is capped, or without an SLA).
func NextPriorityRefresh(dueAt, now time.Time, sla time.Duration) *time.Time {
	if sla <= 0 {
		return nil
	}
	used := 1 - float64(dueAt.Sub(now))/float64(sla)
	next := (math.Floor(used*urgencySteps) + 1) / urgencySteps
	if next < 0 {
		next = 0
	}
	if next > 1.5 {
		return nil
	}
	at := dueAt.Add(-time.Duration((1 - next) * float64(sla)))
	if !at.After(now) {
		at = now.Add(time.Second)
	}
	return &at
}

// StalePriorities lists up to limit open, running cases whose priority is
// due for a refresh.
func StalePriorities(ctx context.Context, db *gorm.DB, now time.Time, limit int) ([]int64, error) {
	var ids []int64
	return ids, db.WithContext(ctx).Model(&Case{}).Where("priority_refresh_at <= ?", now).
		Order("priority_refresh_at").Limit(limit).Pluck("id", &ids).Error
}

// LockStalePriorities locks, of the cases ids, those whose priority is
// still due for a refresh at now. On PostgreSQL it skips cases another
// transaction holds (a reviewer claiming one, say): the refresh never waits
// for them, nor they for it, and picks them up on the next sweep.
func LockStalePriorities(ctx context.Context, tx *gorm.DB, ids []int64, now time.Time) ([]Case, error) {
	q := tx.WithContext(ctx).Where("id IN ? AND priority_refresh_at <= ?", ids, now).Order("id")
	if tx.Dialector.Name() == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
	}
	var out []Case
	return out, q.Find(&out).Error
}

// PriorityUpdate is a recomputed priority and its next refresh.
type PriorityUpdate struct {
	ID        int64
	Priority  float64
	RefreshAt *time.Time
}

// SetPriorities stores recomputed priorities and their next refreshes,
// stamping updated_at with at, without touching the versions: priority is
// derived, and refreshing it must never make a reviewer's next action a
// version conflict. On PostgreSQL one statement (the values as arrays)
// for the whole batch; SQLite, in process, updates row by row.
func SetPriorities(ctx context.Context, tx *gorm.DB, updates []PriorityUpdate, at time.Time) error {
	db := tx.WithContext(ctx)
	if len(updates) == 0 {
		return nil
	}
	if isPostgres(db) {
		ids, priorities, refreshAts := make([]int64, len(updates)), make(textArray, len(updates)), make(nullTextArray, len(updates))
		for i, u := range updates {
			ids[i], priorities[i] = u.ID, strconv.FormatFloat(u.Priority, 'g', -1, 64)
			if u.RefreshAt != nil {
				t := timeText(*u.RefreshAt)
				refreshAts[i] = &t
			}
		}
		return db.Exec("UPDATE cases SET priority = v.priority, priority_refresh_at = v.refresh_at, updated_at = ?"+
			" FROM unnest("+arrayParams("bigint", "float8", "timestamptz")+") AS v(id, priority, refresh_at)"+
			" WHERE cases.id = v.id", at.UTC(), idArray(ids), priorities, refreshAts).Error
	}
	for _, u := range updates {
		if err := db.Model(&Case{}).Where("id = ?", u.ID).
			Updates(map[string]any{"priority": u.Priority, "priority_refresh_at": u.RefreshAt, "updated_at": at.UTC()}).Error; err != nil {
			return err
		}
	}
	return nil
}

// FindCase returns a case; KindNotFound case_not_found.
func FindCase(ctx context.Context, db *gorm.DB, id int64) (Case, error) {
	var c Case
	err := db.WithContext(ctx).Where("id = ?", id).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return c, Errorf(KindNotFound, "case_not_found", "case %d does not exist", id)
	}
	return c, err
}

// LockCase is FindCase holding the row until the transaction ends.
func LockCase(ctx context.Context, tx *gorm.DB, id int64) (Case, error) {
	return FindCase(ctx, tx.Clauses(clause.Locking{Strength: "UPDATE"}), id)
}

// FindOpenCase returns the open case of (subject, policy), or KindNotFound.
func FindOpenCase(ctx context.Context, db *gorm.DB, subjectID int64, policy string) (Case, error) {
	var c Case
	err := db.WithContext(ctx).Where("subject_id = ? AND policy_code = ? AND status <> ?", subjectID, policy, StatusResolved).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return c, Errorf(KindNotFound, "case_not_found", "no open case")
	}
	return c, err
}

// CreateCase inserts c. A second open case for the same subject and policy
// is KindConflict case_exists.
func CreateCase(ctx context.Context, tx *gorm.DB, c *Case) error {
	err := tx.WithContext(ctx).Create(c).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return Errorf(KindConflict, "case_exists", "an open case already exists for this subject and policy")
	}
	return err
}

// SaveCase writes c if its version is still expected, then bumps it.
// A stale version is KindConflict version_conflict.
func SaveCase(ctx context.Context, tx *gorm.DB, c *Case, expected int) error {
	c.Version = expected + 1
	res := tx.WithContext(ctx).Model(&Case{}).Where("id = ? AND version = ?", c.ID, expected).Select("*").Omit("id", "created_at", "created_by", "subject_id").Updates(c)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		e := Errorf(KindConflict, "version_conflict", "case %d was changed by someone else; reload it", c.ID)
		return e
	}
	return nil
}

// AddCaseEvent appends to a case's timeline.
func AddCaseEvent(ctx context.Context, tx *gorm.DB, e *CaseEvent) error {
	return tx.WithContext(ctx).Create(e).Error
}

// CaseEvents lists a case's timeline oldest first, id > after.
func CaseEvents(ctx context.Context, db *gorm.DB, caseID, after int64, limit int) ([]CaseEvent, error) {
	var out []CaseEvent
	return out, db.WithContext(ctx).Where("case_id = ? AND id > ?", caseID, after).Order("id").Limit(limit).Find(&out).Error
}

// CaseDecisions lists a case's decisions with their reviews, oldest first.
func CaseDecisions(ctx context.Context, db *gorm.DB, caseID int64) ([]Decision, map[int64]DecisionReview, error) {
	var ds []Decision
	if err := db.WithContext(ctx).Where("case_id = ?", caseID).Order("id").Find(&ds).Error; err != nil {
		return nil, nil, err
	}
	reviews := map[int64]DecisionReview{}
	if len(ds) == 0 {
		return ds, reviews, nil
	}
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	var rs []DecisionReview
	if err := db.WithContext(ctx).Where("decision_id IN ?", ids).Find(&rs).Error; err != nil {
		return nil, nil, err
	}
	for _, r := range rs {
		reviews[r.DecisionID] = r
	}
	return ds, reviews, nil
}

// PendingDecision returns the case's newest decision that awaits review.
func PendingDecision(ctx context.Context, db *gorm.DB, caseID int64) (Decision, error) {
	var d Decision
	err := db.WithContext(ctx).Where("case_id = ? AND high_impact AND NOT EXISTS (SELECT 1 FROM decision_reviews r WHERE r.decision_id = decisions.id)", caseID).
		Order("id DESC").Take(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return d, Errorf(KindConflict, "no_pending_decision", "case %d has no decision awaiting approval", caseID)
	}
	return d, err
}

// CaseComments lists comments oldest first.
func CaseComments(ctx context.Context, db *gorm.DB, caseID int64) ([]Comment, error) {
	var out []Comment
	return out, db.WithContext(ctx).Where("case_id = ?", caseID).Order("id").Find(&out).Error
}

// CaseEvidence lists evidence oldest first, without file contents.
func CaseEvidence(ctx context.Context, db *gorm.DB, caseID int64) ([]Evidence, error) {
	var out []Evidence
	return out, db.WithContext(ctx).Omit("data").Where("case_id = ?", caseID).Order("id").Find(&out).Error
}

// FindEvidence returns one item with its contents; KindNotFound.
func FindEvidence(ctx context.Context, db *gorm.DB, caseID, id int64) (Evidence, error) {
	var e Evidence
	err := db.WithContext(ctx).Where("case_id = ? AND id = ?", caseID, id).Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return e, Errorf(KindNotFound, "evidence_not_found", "evidence %d does not exist on case %d", id, caseID)
	}
	return e, err
}

// CaseTags lists a case's tags.
func CaseTags(ctx context.Context, db *gorm.DB, caseID int64) ([]string, error) {
	var out []string
	return out, db.WithContext(ctx).Model(&CaseTag{}).Where("case_id = ?", caseID).Order("tag").Pluck("tag", &out).Error
}

// TagsOfCases lists the tags of several cases at once, each case's in
// the order CaseTags gives; cases without tags are absent.
func TagsOfCases(ctx context.Context, db *gorm.DB, caseIDs []int64) (map[int64][]string, error) {
	var rows []CaseTag
	if err := db.WithContext(ctx).Where("case_id IN ?", caseIDs).Order("case_id").Order("tag").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64][]string, len(caseIDs))
	for _, r := range rows {
		out[r.CaseID] = append(out[r.CaseID], r.Tag)
	}
	return out, nil
}

// CaseLinks lists links from or to a case.
func CaseLinks(ctx context.Context, db *gorm.DB, caseID int64) ([]CaseLink, error) {
	var out []CaseLink
	return out, db.WithContext(ctx).Where("case_id = ? OR other_case_id = ?", caseID, caseID).Order("created_at").Find(&out).Error
}

// ExpiredLeases lists up to limit in-review cases whose claim lease ended.
func ExpiredLeases(ctx context.Context, db *gorm.DB, now time.Time, limit int) ([]int64, error) {
	var ids []int64
	return ids, db.WithContext(ctx).Model(&Case{}).Where("status = ? AND claim_expires_at < ?", StatusInReview, now).
		Order("claim_expires_at").Limit(limit).Pluck("id", &ids).Error
}

// BreachedUnescalated lists up to limit open, running (not held) cases past
// their SLA whose breach was not yet escalated.
func BreachedUnescalated(ctx context.Context, db *gorm.DB, now time.Time, limit int) ([]int64, error) {
	var ids []int64
	return ids, db.WithContext(ctx).Model(&Case{}).
		Where("status IN ? AND sla_breach_escalated_at IS NULL AND sla_due_at < ?", []CaseStatus{StatusNew, StatusTriaged, StatusInReview}, now).
		Order("sla_due_at").Limit(limit).Pluck("id", &ids).Error
}

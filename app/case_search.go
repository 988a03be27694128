package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// CaseQuery filters and orders the case list.
type CaseQuery struct {
	Market        string
	Statuses      []string
	Policy        string
	Severities    []string
	Assignee      string // user id, "me" or "none"
	Queue         string
	SubjectID     int64
	Tag           string
	Emergency     *bool
	SLABreached   *bool
	CreatedAfter  *time.Time
	CreatedBefore *time.Time
	UpdatedAfter  *time.Time
	UpdatedBefore *time.Time
	Text          string
	Sort          string // priority (default), due, created, updated
}

// sortSpec is a whitelisted order: column, direction, and how to read the
// keyset value from a case.
type sortSpec struct {
	column string
	desc   bool
	value  func(models.Case) any
}

var caseSorts = map[string]sortSpec{
	"priority": {"priority", true, func(c models.Case) any { return c.Priority }},
	"due":      {"sla_due_at", false, func(c models.Case) any { return c.SLADueAt }},
	"created":  {"created_at", true, func(c models.Case) any { return c.CreatedAt }},
	"updated":  {"updated_at", true, func(c models.Case) any { return c.UpdatedAt }},
}

type caseCursor struct {
	Sort string    `json:"s"`
	F    float64   `json:"f,omitempty"`
	T    time.Time `json:"t,omitzero"`
	ID   int64     `json:"i"`
}

func badFilter(field, msg string) error {
	return models.Invalid("invalid_filter", msg, models.FieldError{Field: field, Code: "invalid_filter", Message: msg})
}

// SearchCases lists cases of the actor's markets. Keyset pagination on
// (sort column, id) stays correct while cases are inserted: a page never
// repeats or skips a case that existed when the first page was read.
func (a *App) SearchCases(ctx context.Context, actor Actor, q CaseQuery, page PageRequest) (Page[CaseSummary], error) {
	if q.Sort == "" {
		q.Sort = "priority"
	}
	spec, ok := caseSorts[q.Sort]
	if !ok {
		return Page[CaseSummary]{}, models.Invalid("invalid_sort", "sort by priority, due, created or updated",
			models.FieldError{Field: "sort", Code: "invalid_sort", Message: "priority, due, created or updated"})
	}
	for _, s := range q.Statuses {
		if !slices.Contains(models.CaseStatuses, models.CaseStatus(s)) {
			return Page[CaseSummary]{}, badFilter("status", "unknown status "+s)
		}
	}
	for _, s := range q.Severities {
		if models.SeverityRank(s) == 0 {
			return Page[CaseSummary]{}, badFilter("severity", "unknown severity "+s)
		}
	}
	var cur caseCursor
	if page.Cursor != "" {
		if err := models.DecodeCursor(page.Cursor, &cur); err != nil {
			return Page[CaseSummary]{}, err
		}
		if cur.Sort != q.Sort {
			return Page[CaseSummary]{}, models.Invalid("invalid_cursor", "the cursor belongs to another sort order",
				models.FieldError{Field: "cursor", Code: "invalid_cursor", Message: "restart from the first page"})
		}
	}
	var out Page[CaseSummary]
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		s, err := a.scopeOf(ctx, tx, actor, "case.read")
		if err != nil {
			return err
		}
		if s.empty() {
			return models.Errorf(models.KindForbidden, "forbidden", "you may not read cases")
		}
		dir, cmp := "ASC", ">"
		if spec.desc {
			dir, cmp = "DESC", "<"
		}
		order := spec.column + " " + dir + ", id " + dir
		// base lets through every case the scope, the filters and the
		// cursor do; a Session so it can be extended twice.
		base := tx.WithContext(ctx).Model(&models.Case{})
		if !s.all {
			base = base.Where("market IN ?", s.markets)
		}
		base, err = a.applyCaseFilters(base, actor, q)
		if err != nil {
			return err
		}
		if page.Cursor != "" {
			var v any = cur.T
			if q.Sort == "priority" {
				v = cur.F
			}
			base = base.Where("("+spec.column+" "+cmp+" ? OR ("+spec.column+" = ? AND id "+cmp+" ?))", v, v, cur.ID)
		}
		base = base.Session(&gorm.Session{})
		db := base
		if t := strings.TrimSpace(q.Text); t != "" {
			// Free text matches a case's subject (name or external id) or
			// its comments. Each way is its own page-sized query, joined by
			// UNION: with an OR between the two EXISTS the planner can only
			// hash every matching subject first (~45,000 for a common word
			// at 1M cases, 0.4 s), while apart it walks the sort order and
			// probes each case's subject when the word is common, and
			// starts from the trigram index when it is rare. The page is
			// among the union of both ways' first pages.
			like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(t)) + "%"
			bySubject := base.Where(`EXISTS (SELECT 1 FROM subjects s WHERE s.id = cases.subject_id
				AND (lower(s.display_name) LIKE ? ESCAPE '\' OR lower(s.external_id) LIKE ? ESCAPE '\'))`, like, like).
				Select("id").Order(order).Limit(page.Limit + 1)
			byComment := base.Where(`EXISTS (SELECT 1 FROM comments cm WHERE cm.case_id = cases.id
				AND lower(cm.body) LIKE ? ESCAPE '\')`, like).
				Select("id").Order(order).Limit(page.Limit + 1)
			db = tx.WithContext(ctx).Model(&models.Case{}).
				Where("id IN (SELECT id FROM (?) AS by_subject UNION SELECT id FROM (?) AS by_comment)", bySubject, byComment)
		}
		var rows []models.Case
		if err := db.Order(order).Limit(page.Limit + 1).Find(&rows).Error; err != nil {
			return err
		}
		views, err := a.newCaseReader(ctx, tx).summaries(rows)
		if err != nil {
			return err
		}
		out = pageOf(views, page.Limit, func(v CaseSummary) any {
			c := caseCursor{Sort: q.Sort, ID: v.ID}
			switch q.Sort {
			case "priority":
				c.F = v.Priority
			case "due":
				c.T = v.SLADueAt
			case "created":
				c.T = v.CreatedAt
			case "updated":
				c.T = v.UpdatedAt
			}
			return c
		})
		return nil
	})
	return out, err
}

func (a *App) applyCaseFilters(db *gorm.DB, actor Actor, q CaseQuery) (*gorm.DB, error) {
	if q.Market != "" {
		db = db.Where("market = ?", q.Market)
	}
	if len(q.Statuses) > 0 {
		db = db.Where("status IN ?", q.Statuses)
	}
	if q.Policy != "" {
		db = db.Where("policy_code = ?", q.Policy)
	}
	if len(q.Severities) > 0 {
		db = db.Where("severity IN ?", q.Severities)
	}
	switch q.Assignee {
	case "":
	case "none":
		db = db.Where("assignee_id IS NULL")
	case "me":
		db = db.Where("assignee_id = ?", actor.ID)
	default:
		id, err := parseID(q.Assignee)
		if err != nil {
			return nil, badFilter("assignee", "assignee is a user id, me or none")
		}
		db = db.Where("assignee_id = ?", id)
	}
	if q.Queue != "" {
		db = db.Where("queue = ?", q.Queue)
	}
	if q.SubjectID > 0 {
		db = db.Where("subject_id = ?", q.SubjectID)
	}
	if q.Tag != "" {
		db = db.Where("EXISTS (SELECT 1 FROM case_tags t WHERE t.case_id = cases.id AND t.tag = ?)", strings.ToLower(q.Tag))
	}
	if q.Emergency != nil {
		db = db.Where("emergency = ?", *q.Emergency)
	}
	if q.SLABreached != nil {
		now := a.now()
		running := []models.CaseStatus{models.StatusResolved, models.StatusOnHold}
		if *q.SLABreached {
			db = db.Where("status NOT IN ? AND sla_due_at < ?", running, now)
		} else {
			db = db.Where("NOT (status NOT IN ? AND sla_due_at < ?)", running, now)
		}
	}
	for _, f := range []struct {
		col, op string
		t       *time.Time
	}{{"created_at", ">=", q.CreatedAfter}, {"created_at", "<", q.CreatedBefore}, {"updated_at", ">=", q.UpdatedAfter}, {"updated_at", "<", q.UpdatedBefore}} {
		if f.t != nil {
			db = db.Where(f.col+" "+f.op+" ?", f.t.UTC())
		}
	}
	return db, nil
}

func parseID(s string) (int64, error) {
	var id int64
	for _, r := range s {
		if r < '0' || r > '9' || id > 1<<50 {
			return 0, models.Invalid("invalid_id", "not an id")
		}
		id = id*10 + int64(r-'0')
	}
	if id == 0 {
		return 0, models.Invalid("invalid_id", "not an id")
	}
	return id, nil
}

// SubjectDetail is a subject with its history.
type SubjectDetail struct {
	Subject   SubjectView    `json:"subject"`
	Cases     []CaseSummary  `json:"cases"`
	Decisions []DecisionView `json:"decisions"`
}

// GetSubject returns a subject of the actor's markets with all its cases
// and decisions (subject.read).
func (a *App) GetSubject(ctx context.Context, actor Actor, id int64) (SubjectDetail, error) {
	var out SubjectDetail
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		s, err := models.FindSubject(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := a.Can(ctx, tx, actor, "subject.read", s.Market); err != nil {
			return models.Errorf(models.KindNotFound, "subject_not_found", "subject %d does not exist", id)
		}
		out.Subject = subjectView(s)
		var cases []models.Case
		if err := tx.WithContext(ctx).Where("subject_id = ?", id).Order("created_at DESC, id DESC").Find(&cases).Error; err != nil {
			return err
		}
		if out.Cases, err = a.newCaseReader(ctx, tx).summaries(cases); err != nil {
			return err
		}
		out.Decisions = []DecisionView{}
		for _, c := range cases {
			ds, reviews, err := models.CaseDecisions(ctx, tx, c.ID)
			if err != nil {
				return err
			}
			out.Decisions = append(out.Decisions, decisionViews(ds, reviews)...)
		}
		return nil
	})
	return out, err
}

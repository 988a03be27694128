package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// ClaimLease is how long a claim holds a case for its reviewer.
const ClaimLease = 15 * time.Minute

// UserRef names a user.
type UserRef struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// SubjectView is a subject as the API shows it.
type SubjectView struct {
	ID          int64          `json:"id"`
	Kind        string         `json:"kind"`
	ExternalID  string         `json:"external_id"`
	Market      string         `json:"market"`
	DisplayName string         `json:"display_name"`
	Attributes  map[string]any `json:"attributes"`
	Followers   int64          `json:"followers"`
	GMVUSD      int64          `json:"gmv_usd"`
	StrikeCount int            `json:"strike_count"`
}

func subjectView(s models.Subject) SubjectView {
	attrs := map[string]any{}
	_ = json.Unmarshal([]byte(s.Attributes), &attrs)
	return SubjectView{ID: s.ID, Kind: s.Kind, ExternalID: s.ExternalID, Market: s.Market, DisplayName: s.DisplayName,
		Attributes: attrs, Followers: s.Followers, GMVUSD: s.GMVUSD, StrikeCount: s.StrikeCount}
}

// CaseSummary is a case in lists.
type CaseSummary struct {
	ID               int64             `json:"id"`
	Market           string            `json:"market"`
	Policy           string            `json:"policy"`
	PolicyName       string            `json:"policy_name"`
	Severity         string            `json:"severity"`
	Priority         float64           `json:"priority"`
	Status           models.CaseStatus `json:"status"`
	Queue            *string           `json:"queue"`
	Assignee         *UserRef          `json:"assignee"`
	ClaimExpiresAt   *time.Time        `json:"claim_expires_at"`
	SLADueAt         time.Time         `json:"sla_due_at"`
	SLAAtRiskAt      *time.Time        `json:"sla_at_risk_at"`
	SLABreached      bool              `json:"sla_breached"`
	EscalationReason *string           `json:"escalation_reason"`
	Emergency        bool              `json:"emergency"`
	Outcome          *string           `json:"outcome"`
	Summary          string            `json:"summary"`
	CreatedAt        time.Time         `json:"created_at"`
	UpdatedAt        time.Time         `json:"updated_at"`
	ResolvedAt       *time.Time        `json:"resolved_at"`
	Version          int               `json:"version"`
	Subject          SubjectView       `json:"subject"`
	Tags             []string          `json:"tags"`
}

// PolicyView is a policy as the API shows it.
type PolicyView struct {
	Code              string         `json:"code"`
	Name              string         `json:"name"`
	Description       string         `json:"description"`
	DefaultSeverity   string         `json:"default_severity"`
	SLAHours          map[string]int `json:"sla_hours"`
	AllowedActions    []string       `json:"allowed_actions"`
	HighImpactActions []string       `json:"high_impact_actions"`
}

func policyView(p models.Policy) PolicyView {
	return PolicyView{Code: p.Code, Name: p.Name, Description: p.Description, DefaultSeverity: p.DefaultSeverity,
		SLAHours:       map[string]int{"critical": p.SLAHoursCritical, "high": p.SLAHoursHigh, "medium": p.SLAHoursMedium, "low": p.SLAHoursLow},
		AllowedActions: p.Allowed(), HighImpactActions: p.HighImpact()}
}

// DecisionReviewView is the checker's verdict.
type DecisionReviewView struct {
	Verdict    string    `json:"verdict"`
	Note       string    `json:"note"`
	Reviewer   string    `json:"reviewer"`
	ReviewedAt time.Time `json:"reviewed_at"`
}

// DecisionView is a decision as the API shows it.
type DecisionView struct {
	ID         int64               `json:"id"`
	CaseID     int64               `json:"case_id"`
	Outcome    string              `json:"outcome"`
	Policy     string              `json:"policy"`
	Actions    []string            `json:"actions"`
	Rationale  string              `json:"rationale"`
	HighImpact bool                `json:"high_impact"`
	DecidedBy  string              `json:"decided_by"`
	DecidedAt  time.Time           `json:"decided_at"`
	Review     *DecisionReviewView `json:"review"`
}

// CommentView is a comment as the API shows it.
type CommentView struct {
	ID        int64     `json:"id"`
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// EvidenceView is evidence without its file bytes.
type EvidenceView struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	Title       string    `json:"title"`
	Body        string    `json:"body"`
	FileName    string    `json:"file_name,omitempty"`
	ContentType string    `json:"content_type,omitempty"`
	SizeBytes   int64     `json:"size_bytes,omitempty"`
	SHA256      string    `json:"sha256,omitempty"`
	DownloadURL *string   `json:"download_url"`
	AddedBy     string    `json:"added_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// LinkView is a link between cases.
type LinkView struct {
	CaseID      int64     `json:"case_id"`
	OtherCaseID int64     `json:"other_case_id"`
	Kind        string    `json:"kind"`
	CreatedAt   time.Time `json:"created_at"`
}

// CaseDetail is everything the case page shows.
type CaseDetail struct {
	CaseSummary
	PolicyDetail   PolicyView          `json:"policy_detail"`
	Decisions      []DecisionView      `json:"decisions"`
	Comments       []CommentView       `json:"comments"`
	Evidence       []EvidenceView      `json:"evidence"`
	Links          []LinkView          `json:"links"`
	Hits           []CaseHitView       `json:"hits"`
	AllowedActions []models.CaseAction `json:"allowed_actions"`
}

// caseReader loads what views need, caching subjects, policies and users.
type caseReader struct {
	a        *App
	ctx      context.Context
	db       *gorm.DB
	subjects map[int64]models.Subject
	policies map[string]models.Policy
	users    map[int64]models.User
	// tags of the cases preload read, by case (an empty list when none).
	tags map[int64][]string
}

func (a *App) newCaseReader(ctx context.Context, db *gorm.DB) *caseReader {
	return &caseReader{a: a, ctx: ctx, db: db, subjects: map[int64]models.Subject{}, policies: map[string]models.Policy{},
		users: map[int64]models.User{}, tags: map[int64][]string{}}
}

// preload reads what the summaries of cases need with one query each
// for subjects, assignees and tags, rather than a few per row (lists
// build a page of summaries).
func (r *caseReader) preload(cases []models.Case) error {
	if len(cases) == 0 {
		return nil
	}
	var subjectIDs, userIDs, caseIDs []int64
	for _, c := range cases {
		if _, ok := r.subjects[c.SubjectID]; !ok && !slices.Contains(subjectIDs, c.SubjectID) {
			subjectIDs = append(subjectIDs, c.SubjectID)
		}
		if c.AssigneeID != nil {
			if _, ok := r.users[*c.AssigneeID]; !ok && !slices.Contains(userIDs, *c.AssigneeID) {
				userIDs = append(userIDs, *c.AssigneeID)
			}
		}
		caseIDs = append(caseIDs, c.ID)
	}
	if len(subjectIDs) > 0 {
		subjects, err := models.FindSubjects(r.ctx, r.db, subjectIDs)
		if err != nil {
			return err
		}
		for _, s := range subjects {
			r.subjects[s.ID] = s
		}
	}
	if len(userIDs) > 0 {
		users, err := models.FindUsers(r.ctx, r.db, userIDs)
		if err != nil {
			return err
		}
		for _, u := range users {
			r.users[u.ID] = u
		}
	}
	tags, err := models.TagsOfCases(r.ctx, r.db, caseIDs)
	if err != nil {
		return err
	}
	for _, id := range caseIDs {
		r.tags[id] = tags[id]
	}
	return nil
}

// summaries is summary for each case, preloading what they need.
func (r *caseReader) summaries(cases []models.Case) ([]CaseSummary, error) {
	if err := r.preload(cases); err != nil {
		return nil, err
	}
	out := make([]CaseSummary, 0, len(cases))
	for _, c := range cases {
		v, err := r.summary(c)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (r *caseReader) policy(code string) (models.Policy, error) {
	if p, ok := r.policies[code]; ok {
		return p, nil
	}
	// The catalogue only changes by migration: the app-wide cache.
	p, err := r.a.policy(r.ctx, r.db, code)
	if err == nil {
		r.policies[code] = p
	}
	return p, err
}

func (r *caseReader) summary(c models.Case) (CaseSummary, error) {
	s, ok := r.subjects[c.SubjectID]
	if !ok {
		var err error
		if s, err = models.FindSubject(r.ctx, r.db, c.SubjectID); err != nil {
			return CaseSummary{}, err
		}
		r.subjects[c.SubjectID] = s
	}
	p, err := r.policy(c.PolicyCode)
	if err != nil {
		return CaseSummary{}, err
	}
	var assignee *UserRef
	if c.AssigneeID != nil {
		u, ok := r.users[*c.AssigneeID]
		if !ok {
			if u, err = models.FindUser(r.ctx, r.db, *c.AssigneeID); err != nil {
				return CaseSummary{}, err
			}
			r.users[u.ID] = u
		}
		assignee = &UserRef{ID: u.ID, Name: u.Name, Email: u.Email}
	}
	tags, ok := r.tags[c.ID]
	if !ok {
		if tags, err = models.CaseTags(r.ctx, r.db, c.ID); err != nil {
			return CaseSummary{}, err
		}
	}
	if tags == nil {
		tags = []string{}
	}
	now := r.a.now()
	return CaseSummary{ID: c.ID, Market: c.Market, Policy: c.PolicyCode, PolicyName: p.Name, Severity: c.Severity,
		Priority: c.Priority, Status: c.Status, Queue: c.Queue, Assignee: assignee, ClaimExpiresAt: c.ClaimExpiresAt,
		SLADueAt: c.SLADueAt, SLAAtRiskAt: c.SLAAtRiskAt, SLABreached: slaRunning(c.Status) && now.After(c.SLADueAt), EscalationReason: c.EscalationReason,
		Emergency: c.Emergency, Outcome: c.Outcome, Summary: c.Summary, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		ResolvedAt: c.ResolvedAt, Version: c.Version, Subject: subjectView(s), Tags: tags}, nil
}

func decisionViews(ds []models.Decision, reviews map[int64]models.DecisionReview) []DecisionView {
	out := make([]DecisionView, 0, len(ds))
	for _, d := range ds {
		v := DecisionView{ID: d.ID, CaseID: d.CaseID, Outcome: d.Outcome, Policy: d.PolicyCode, Actions: strings.Fields(d.Actions),
			Rationale: d.Rationale, HighImpact: d.HighImpact, DecidedBy: d.DecidedByLabel, DecidedAt: d.DecidedAt}
		if v.Actions == nil {
			v.Actions = []string{}
		}
		if r, ok := reviews[d.ID]; ok {
			v.Review = &DecisionReviewView{Verdict: r.Verdict, Note: r.Note, Reviewer: r.ReviewerLabel, ReviewedAt: r.ReviewedAt}
		}
		out = append(out, v)
	}
	return out
}

func (r *caseReader) detail(c models.Case, actor Actor) (CaseDetail, error) {
	sum, err := r.summary(c)
	if err != nil {
		return CaseDetail{}, err
	}
	d := CaseDetail{CaseSummary: sum}
	p, _ := r.policy(c.PolicyCode)
	d.PolicyDetail = policyView(p)
	ds, reviews, err := models.CaseDecisions(r.ctx, r.db, c.ID)
	if err != nil {
		return d, err
	}
	d.Decisions = decisionViews(ds, reviews)
	comments, err := models.CaseComments(r.ctx, r.db, c.ID)
	if err != nil {
		return d, err
	}
	d.Comments = make([]CommentView, 0, len(comments))
	for _, cm := range comments {
		d.Comments = append(d.Comments, CommentView{ID: cm.ID, Author: cm.AuthorLabel, Body: cm.Body, CreatedAt: cm.CreatedAt})
	}
	ev, err := models.CaseEvidence(r.ctx, r.db, c.ID)
	if err != nil {
		return d, err
	}
	d.Evidence = make([]EvidenceView, 0, len(ev))
	for _, e := range ev {
		d.Evidence = append(d.Evidence, evidenceView(e))
	}
	links, err := models.CaseLinks(r.ctx, r.db, c.ID)
	if err != nil {
		return d, err
	}
	d.Links = make([]LinkView, 0, len(links))
	for _, l := range links {
		d.Links = append(d.Links, LinkView{CaseID: l.CaseID, OtherCaseID: l.OtherCaseID, Kind: l.Kind, CreatedAt: l.CreatedAt})
	}
	if d.Hits, err = caseHits(r.ctx, r.db, c.ID); err != nil {
		return d, err
	}
	d.AllowedActions = []models.CaseAction{}
	for _, act := range models.AllowedActions(c.Status) {
		t, _ := models.FindTransition(c.Status, act)
		if r.a.mayTransition(r.ctx, r.db, actor, c, t) == nil {
			d.AllowedActions = append(d.AllowedActions, act)
		}
	}
	return d, nil
}

func evidenceView(e models.Evidence) EvidenceView {
	v := EvidenceView{ID: e.ID, Kind: e.Kind, Title: e.Title, Body: e.Body, FileName: e.FileName, ContentType: e.ContentType,
		SizeBytes: e.SizeBytes, SHA256: e.SHA256, AddedBy: e.AddedByLabel, CreatedAt: e.CreatedAt}
	if e.Kind == "file" {
		u := fmt.Sprintf("/api/v1/cases/%d/evidence/%d/download", e.CaseID, e.ID)
		v.DownloadURL = &u
	}
	return v
}

// mayTransition checks the permission rules of a transition row for actor.
func (a *App) mayTransition(ctx context.Context, tx *gorm.DB, actor Actor, c models.Case, t models.Transition) error {
	if err := a.Can(ctx, tx, actor, t.Permission, c.Market); err != nil {
		return err
	}
	switch t.Action {
	case models.ActionEmergency:
		if c.Emergency {
			return models.Errorf(models.KindConflict, "emergency_already_declared", "case %d is already an emergency", c.ID)
		}
	case models.ActionCalm:
		if !c.Emergency {
			return models.Errorf(models.KindConflict, "emergency_not_declared", "case %d is not under an emergency", c.ID)
		}
	case models.ActionApprove, models.ActionReject:
		d, err := models.PendingDecision(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if actor.Kind != ActorUser || (d.DecidedBy != nil && *d.DecidedBy == actor.ID) {
			return models.Errorf(models.KindForbidden, "same_person", "a high-impact decision needs a second person: you cannot review your own")
		}
	}
	if t.AssigneeOnly {
		own := actor.Kind == ActorUser && c.AssigneeID != nil && *c.AssigneeID == actor.ID
		if !own {
			if t.OthersPermission == "" {
				return models.Errorf(models.KindForbidden, "not_assignee", "only the reviewer holding the case may %s it", t.Action)
			}
			if err := a.Can(ctx, tx, actor, t.OthersPermission, c.Market); err != nil {
				return models.Errorf(models.KindForbidden, "not_assignee", "only the reviewer holding the case (or a lead) may %s it", t.Action)
			}
		}
	}
	return nil
}

// loadCaseFor reads a case the actor may see (case.read in its market);
// anything else is not found, never forbidden, so other markets stay
// invisible.
func (a *App) loadCaseFor(ctx context.Context, tx *gorm.DB, actor Actor, id int64, lock bool) (models.Case, error) {
	find := models.FindCase
	if lock {
		find = models.LockCase
	}
	c, err := find(ctx, tx, id)
	if err != nil {
		return c, err
	}
	if err := a.Can(ctx, tx, actor, "case.read", c.Market); err != nil {
		if models.KindOf(err) == models.KindForbidden {
			return c, models.Errorf(models.KindNotFound, "case_not_found", "case %d does not exist", id)
		}
		return c, err
	}
	return c, nil
}

// GetCase returns a case with everything its page shows.
func (a *App) GetCase(ctx context.Context, actor Actor, id int64) (CaseDetail, error) {
	var out CaseDetail
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		c, err := a.loadCaseFor(ctx, tx, actor, id, false)
		if err != nil {
			return err
		}
		out, err = a.newCaseReader(ctx, tx).detail(c, actor)
		return err
	})
	return out, err
}

// CaseEventView is one timeline entry.
type CaseEventView struct {
	ID         int64          `json:"id"`
	Type       string         `json:"type"`
	Actor      string         `json:"actor"`
	ActorLabel string         `json:"actor_label"`
	Data       map[string]any `json:"data"`
	CreatedAt  time.Time      `json:"created_at"`
}

// ListCaseEvents pages a case's timeline oldest first.
func (a *App) ListCaseEvents(ctx context.Context, actor Actor, id int64, page PageRequest) (Page[CaseEventView], error) {
	var cur struct {
		After int64 `json:"a"`
	}
	if page.Cursor != "" {
		if err := models.DecodeCursor(page.Cursor, &cur); err != nil {
			return Page[CaseEventView]{}, err
		}
	}
	var out Page[CaseEventView]
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		if _, err := a.loadCaseFor(ctx, tx, actor, id, false); err != nil {
			return err
		}
		rows, err := models.CaseEvents(ctx, tx, id, cur.After, page.Limit+1)
		if err != nil {
			return err
		}
		views := make([]CaseEventView, len(rows))
		for i, e := range rows {
			data := map[string]any{}
			_ = json.Unmarshal([]byte(e.Data), &data)
			views[i] = CaseEventView{ID: e.ID, Type: e.Type, Actor: e.Actor, ActorLabel: e.ActorLabel, Data: data, CreatedAt: e.CreatedAt}
		}
		out = pageOf(views, page.Limit, func(v CaseEventView) any {
			return struct {
				After int64 `json:"a"`
			}{v.ID}
		})
		return nil
	})
	return out, err
}

// recordCaseChange writes the case event and the audit entry of a change,
// last in the transaction.
func (a *App) recordCaseChange(ctx context.Context, tx *gorm.DB, actor Actor, c models.Case, event string, data map[string]any, before, after any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	if err := a.addCaseEvent(ctx, tx, &models.CaseEvent{CaseID: c.ID, Type: event, Actor: actor.Subject(),
		ActorLabel: actor.Label, Data: string(b), CreatedAt: a.now()}); err != nil {
		return err
	}
	if err := a.announceCaseChange(ctx, tx, actor, c, event); err != nil {
		return err
	}
	return a.audit(ctx, tx, actor, auditRecord{Action: "case." + event, ObjectType: "case", ObjectID: fmt.Sprint(c.ID),
		Market: c.Market, Before: before, After: after})
}

// caseAuditState is the part of a case the audit log records.
func caseAuditState(c models.Case) map[string]any {
	return map[string]any{"status": c.Status, "severity": c.Severity, "assignee_id": c.AssigneeID, "version": c.Version,
		"escalation_reason": c.EscalationReason, "outcome": c.Outcome, "emergency": c.Emergency, "priority": c.Priority}
}

func (a *App) reprioritise(ctx context.Context, tx *gorm.DB, c *models.Case, p models.Policy) error {
	s, err := models.FindSubject(ctx, tx, c.SubjectID)
	if err != nil {
		return err
	}
	a.applyPriority(c, p, s)
	return nil
}

// applyPriority sets c's priority and next refresh from its policy p and
// subject s.
func (a *App) applyPriority(c *models.Case, p models.Policy, s models.Subject) {
	now := a.now()
	c.Priority = models.Priority(c.Severity, s.Followers, s.GMVUSD, c.SLADueAt, now, p.SLA(c.Severity), c.Emergency) + float64(c.PriorityBoost)
	c.PriorityRefreshAt = nil
	if slaRunning(c.Status) {
		c.PriorityRefreshAt = models.NextPriorityRefresh(c.SLADueAt, now, p.SLA(c.Severity))
	}
}

func validTag(tag string) (string, error) {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if tag == "" || len(tag) > 40 || strings.ContainsAny(tag, " \t\n,/") {
		return "", models.Invalid("invalid_tag", "a tag is 1 to 40 characters without spaces, commas or slashes",
			models.FieldError{Field: "tag", Code: "invalid_tag", Message: "1-40 characters, no spaces, commas or slashes"})
	}
	return tag, nil
}

// ListPolicies returns every policy; any authenticated caller may read them.
func (a *App) ListPolicies(ctx context.Context) ([]PolicyView, error) {
	ps, err := models.ListPolicies(ctx, a.read(ctx))
	if err != nil {
		return nil, err
	}
	out := make([]PolicyView, len(ps))
	for i, p := range ps {
		out[i] = policyView(p)
	}
	return out, nil
}

// slaRunning: the clock runs on open cases that are not on hold (a hold
// pauses it and gives the time back on resume).
func slaRunning(s models.CaseStatus) bool { return s.Open() && s != models.StatusOnHold }

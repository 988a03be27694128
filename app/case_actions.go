package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// DecisionInput is a reviewer's decision.
type DecisionInput struct {
	Outcome   string   `json:"outcome"`
	Actions   []string `json:"actions"`
	Rationale string   `json:"rationale"`
}

// CaseActionInput carries an action's fields and the version the caller saw.
type CaseActionInput struct {
	Version    int            `json:"version"`
	AssigneeID *int64         `json:"assignee_id"`
	Reason     string         `json:"reason"`
	Decision   *DecisionInput `json:"decision"`
}

func reasonRequired(reason string) error {
	if strings.TrimSpace(reason) == "" || len(reason) > 2000 {
		return models.Invalid("reason_required", "say why (1 to 2000 characters)",
			models.FieldError{Field: "reason", Code: "required", Message: "1 to 2000 characters"})
	}
	return nil
}

// validateDecision checks a decision against its policy: a known outcome,
// only allowed actions (none unless a violation), a rationale.
func validateDecision(d *DecisionInput, p models.Policy) error {
	if d == nil {
		return models.Invalid("decision_required", "resolving needs a decision",
			models.FieldError{Field: "decision", Code: "required", Message: "outcome, actions and rationale"})
	}
	var fields []models.FieldError
	if !slices.Contains(models.Outcomes, d.Outcome) {
		fields = append(fields, models.FieldError{Field: "decision.outcome", Code: "unknown_outcome", Message: "one of " + strings.Join(models.Outcomes, ", ")})
	}
	for i, act := range d.Actions {
		if !slices.Contains(p.Allowed(), act) {
			fields = append(fields, models.FieldError{Field: fmt.Sprintf("decision.actions[%d]", i), Code: "action_not_allowed",
				Message: fmt.Sprintf("policy %s allows %s", p.Code, strings.Join(p.Allowed(), ", "))})
		}
	}
	if d.Outcome != "violation" && len(d.Actions) > 0 {
		fields = append(fields, models.FieldError{Field: "decision.actions", Code: "actions_need_violation", Message: "only a violation carries enforcement actions"})
	}
	if len(slices.Compact(slices.Sorted(slices.Values(d.Actions)))) != len(d.Actions) {
		fields = append(fields, models.FieldError{Field: "decision.actions", Code: "duplicate_action", Message: "each action once"})
	}
	if strings.TrimSpace(d.Rationale) == "" || len(d.Rationale) > 10000 {
		fields = append(fields, models.FieldError{Field: "decision.rationale", Code: "required", Message: "explain the decision (1 to 10000 characters)"})
	}
	if len(fields) > 0 {
		code := fields[0].Code
		if code == "required" {
			code = "rationale_required"
		}
		return models.Invalid(code, "the decision is not valid", fields...)
	}
	return nil
}

// ActOnCase moves a case through its lifecycle. In one transaction it
// locks the row, hides cases of other markets (404), checks the version
// (409 version_conflict with current_version), the transition (409
// invalid_transition) and the permission (403), writes, and records the
// case event and the audit entry.
func (a *App) ActOnCase(ctx context.Context, actor Actor, id int64, action models.CaseAction, in CaseActionInput) (CaseDetail, error) {
	if !slices.Contains(models.CaseActions, action) {
		return CaseDetail{}, models.Errorf(models.KindNotFound, "unknown_action", "%q is not a case action", action)
	}
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		c, err := a.loadCaseFor(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if action == models.ActionDeescalate && in.AssigneeID != nil {
			// De-escalating to a person: back to the queue, then assigned,
			// in the same transaction (two events, two audit entries).
			to := in.AssigneeID
			in.AssigneeID = nil
			if err := a.applyAction(ctx, tx, actor, &c, action, in); err != nil {
				return err
			}
			action, in = models.ActionAssign, CaseActionInput{Version: c.Version, AssigneeID: to}
		}
		return a.applyAction(ctx, tx, actor, &c, action, in)
	})
	if err != nil {
		return CaseDetail{}, err
	}
	return a.caseAfterChange(ctx, actor, id)
}

// caseAfterChange is the page of a case the actor just changed, read after
// the change committed (the write transaction holds the row lock for the
// change alone). The actor was allowed to change it, so it is shown
// without another visibility check.
func (a *App) caseAfterChange(ctx context.Context, actor Actor, id int64) (CaseDetail, error) {
	var out CaseDetail
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		c, err := models.FindCase(ctx, tx, id)
		if err != nil {
			return err
		}
		out, err = a.newCaseReader(ctx, tx).detail(c, actor)
		return err
	})
	return out, err
}

func versionConflict(c models.Case) error {
	e := models.Errorf(models.KindConflict, "version_conflict", "case %d changed since you loaded it (now version %d); reload and try again", c.ID, c.Version)
	e.Extra = map[string]any{"current_version": c.Version}
	return e
}

// applyAction is ActOnCase's body on a locked, visible case.
func (a *App) applyAction(ctx context.Context, tx *gorm.DB, actor Actor, c *models.Case, action models.CaseAction, in CaseActionInput) error {
	if in.Version != c.Version {
		return versionConflict(*c)
	}
	t, err := models.FindTransition(c.Status, action)
	if err != nil {
		return err
	}
	if err := a.mayTransition(ctx, tx, actor, *c, t); err != nil {
		return err
	}
	p, err := a.policy(ctx, tx, c.PolicyCode)
	if err != nil {
		return err
	}
	before := caseAuditState(*c)
	now := a.now()
	next := t.To
	data := map[string]any{"from": c.Status}
	event := string(action)

	switch action {
	case models.ActionClaim:
		if actor.Kind != ActorUser {
			return models.Errorf(models.KindForbidden, "not_a_person", "only a person can claim a case")
		}
		c.AssigneeID = &actor.ID
		exp := now.Add(ClaimLease)
		c.ClaimExpiresAt = &exp
	case models.ActionAssign:
		if in.AssigneeID == nil {
			return models.Invalid("assignee_required", "say who to assign",
				models.FieldError{Field: "assignee_id", Code: "required", Message: "a reviewer of the case's market"})
		}
		if err := a.checkAssignee(ctx, tx, *in.AssigneeID, c.Market); err != nil {
			return err
		}
		c.AssigneeID = in.AssigneeID
		exp := now.Add(ClaimLease)
		c.ClaimExpiresAt = &exp
		c.EscalationReason = nil
		data["assignee_id"] = *in.AssigneeID
	case models.ActionEmergency, models.ActionCalm:
		on := action == models.ActionEmergency
		if on {
			if err := reasonRequired(in.Reason); err != nil {
				return err
			}
		}
		c.Emergency = on
		next = c.Status
	case models.ActionRenew:
		exp := now.Add(ClaimLease)
		c.ClaimExpiresAt = &exp
		data["claim_expires_at"] = exp
	case models.ActionRelease, models.ActionDeescalate:
		c.AssigneeID, c.ClaimExpiresAt, c.EscalationReason = nil, nil, nil
	case models.ActionEscalate:
		if err := reasonRequired(in.Reason); err != nil {
			return err
		}
		reason := strings.TrimSpace(in.Reason)
		c.EscalationReason = &reason
		c.AssigneeID, c.ClaimExpiresAt = nil, nil
		data["reason"] = reason
	case models.ActionHold:
		if err := reasonRequired(in.Reason); err != nil {
			return err
		}
		from := c.Status
		c.HoldFrom = &from
		c.ClaimExpiresAt = nil
		c.HeldAt = &now // the SLA clock pauses
		data["reason"] = strings.TrimSpace(in.Reason)
	case models.ActionResume:
		next = models.StatusTriaged
		if c.HoldFrom != nil {
			next = *c.HoldFrom
		}
		c.HoldFrom = nil
		if c.HeldAt != nil {
			// Give back the time spent on hold.
			data["sla_paused_seconds"] = int64(now.Sub(*c.HeldAt).Seconds())
			if err := a.resumeSLA(ctx, tx, c, now); err != nil {
				return err
			}
			c.HeldAt = nil
		}
		if next == models.StatusInReview {
			exp := now.Add(ClaimLease)
			c.ClaimExpiresAt = &exp
		}
	case models.ActionResolve:
		if err := validateDecision(in.Decision, p); err != nil {
			return err
		}
		d := &models.Decision{CaseID: c.ID, Outcome: in.Decision.Outcome, PolicyCode: p.Code,
			Actions: strings.Join(in.Decision.Actions, " "), Rationale: strings.TrimSpace(in.Decision.Rationale),
			HighImpact: p.IsHighImpact(in.Decision.Actions), DecidedByLabel: actor.Label, DecidedAt: now}
		if actor.Kind == ActorUser {
			d.DecidedBy = &actor.ID
		}
		if err := tx.WithContext(ctx).Create(d).Error; err != nil {
			return err
		}
		data["decision_id"], data["outcome"], data["actions"] = d.ID, d.Outcome, in.Decision.Actions
		if d.HighImpact {
			next = models.StatusAwaitingApproval
			event = "decision_proposed"
		} else if err := a.finalise(ctx, tx, c, d.Outcome, now); err != nil {
			return err
		}
		c.ClaimExpiresAt = nil
	case models.ActionApprove, models.ActionReject:
		d, err := models.PendingDecision(ctx, tx, c.ID) // mayTransition made sure the reviewer is not the decider
		if err != nil {
			return err
		}
		verdict := "approved"
		if action == models.ActionReject {
			verdict = "rejected"
			if err := reasonRequired(in.Reason); err != nil {
				return err
			}
		}
		r := &models.DecisionReview{DecisionID: d.ID, Verdict: verdict, Note: strings.TrimSpace(in.Reason), ReviewerID: &actor.ID,
			ReviewerLabel: actor.Label, ReviewedAt: now}
		if err := tx.WithContext(ctx).Create(r).Error; err != nil {
			return err
		}
		data["decision_id"] = d.ID
		if action == models.ActionApprove {
			if err := a.finalise(ctx, tx, c, d.Outcome, now); err != nil {
				return err
			}
			event = "decision_approved"
		} else {
			data["reason"] = r.Note
			event = "decision_rejected"
			exp := now.Add(ClaimLease)
			c.ClaimExpiresAt = &exp
		}
	case models.ActionReopen:
		if err := reasonRequired(in.Reason); err != nil {
			return err
		}
		c.Outcome, c.ResolvedAt, c.AssigneeID, c.ClaimExpiresAt = nil, nil, nil, nil
		c.SLABreachEscalatedAt = nil
		if err := a.setSLA(ctx, tx, c, p, now); err != nil {
			return err
		}
		data["reason"] = strings.TrimSpace(in.Reason)
	}
	c.Status = next
	c.UpdatedAt = now
	data["to"] = next
	if _, has := data["reason"]; !has && in.Reason != "" {
		data["reason"] = in.Reason
	}
	// Claims and renewals change who holds the case, not how urgent it is;
	// the sweeper refreshes urgency as deadlines approach.
	if action != models.ActionClaim && action != models.ActionRenew {
		if err := a.reprioritise(ctx, tx, c, p); err != nil {
			return err
		}
	}
	if err := models.SaveCase(ctx, tx, c, in.Version); err != nil {
		return err
	}
	return a.recordCaseChange(ctx, tx, actor, *c, event, data, before, caseAuditState(*c))
}

// finalise resolves a case with an outcome; a violation strikes the subject.
func (a *App) finalise(ctx context.Context, tx *gorm.DB, c *models.Case, outcome string, now time.Time) error {
	c.Outcome = &outcome
	c.ResolvedAt = &now
	if outcome == "violation" {
		return models.AddStrike(ctx, tx, c.SubjectID, now)
	}
	return nil
}

// checkAssignee: an active user who may claim cases in the market.
func (a *App) checkAssignee(ctx context.Context, tx *gorm.DB, userID int64, market string) error {
	u, err := models.FindUser(ctx, tx, userID)
	bad := models.Invalid("invalid_assignee", "assign to an active reviewer or lead of the case's market",
		models.FieldError{Field: "assignee_id", Code: "invalid_assignee", Message: "an active reviewer or lead of " + market})
	if err != nil || !u.Active {
		return bad
	}
	if err := a.Can(ctx, tx, Actor{Kind: ActorUser, ID: userID}, "case.claim", market); err != nil {
		return bad
	}
	return nil
}

// setSLA starts a case's clock: due after the policy's SLA for its
// severity, counted on the market's clock (calendar or business hours),
// at risk once 80% of it is used.
func (a *App) setSLA(ctx context.Context, tx *gorm.DB, c *models.Case, p models.Policy, from time.Time) error {
	clock, err := a.slaClock(ctx, tx, c.Market)
	if err != nil {
		return err
	}
	sla := p.SLA(c.Severity)
	c.SLADueAt = clock.Add(from, sla)
	risk := clock.Add(from, sla*8/10)
	c.SLAAtRiskAt = &risk
	return nil
}

// resumeSLA gives a held case its paused time back: the clock time that
// was left at the hold is left again from now.
func (a *App) resumeSLA(ctx context.Context, tx *gorm.DB, c *models.Case, now time.Time) error {
	clock, err := a.slaClock(ctx, tx, c.Market)
	if err != nil {
		return err
	}
	held := *c.HeldAt
	shift := func(t time.Time) time.Time {
		if clock.Business && t.After(held) {
			return clock.Add(now, clock.Between(held, t))
		}
		return t.Add(now.Sub(held))
	}
	c.SLADueAt = shift(c.SLADueAt)
	if c.SLAAtRiskAt != nil {
		risk := shift(*c.SLAAtRiskAt)
		c.SLAAtRiskAt = &risk
	}
	return nil
}

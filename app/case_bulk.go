package app

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// MaxBulk is the most cases one bulk request may name.
const MaxBulk = 1000

// BulkActions are what a bulk request may do.
var BulkActions = []string{"assign", "release", "escalate", "resolve_duplicate", "resolve_no_violation", "add_tag", "remove_tag"}

// BulkInput is one action over many cases.
type BulkInput struct {
	Action      string  `json:"action"`
	CaseIDs     []int64 `json:"case_ids"`
	AssigneeID  *int64  `json:"assignee_id"`
	Reason      string  `json:"reason"`
	Tag         string  `json:"tag"`
	DuplicateOf *int64  `json:"duplicate_of"`
}

// BulkResult is one case's outcome.
type BulkResult struct {
	CaseID  int64  `json:"case_id"`
	OK      bool   `json:"ok"`
	Code    string `json:"code,omitempty"`
	Detail  string `json:"detail,omitempty"`
	Version int    `json:"version,omitempty"`
}

// BulkOutcome sums up a bulk request.
type BulkOutcome struct {
	Succeeded int          `json:"succeeded"`
	Failed    int          `json:"failed"`
	Results   []BulkResult `json:"results"`
}

// Bulk applies one action to up to 1,000 cases, each in its own
// transaction with its own case event and audit entry, so one refusal
// never undoes the others. It needs case.bulk in each case's market on top
// of the action's own permission. The request as a whole is refused (and
// nothing changes) when malformed: unknown action, empty, over 1,000, or
// with duplicates.
func (a *App) Bulk(ctx context.Context, actor Actor, in BulkInput) (BulkOutcome, error) {
	if !slices.Contains(BulkActions, in.Action) {
		return BulkOutcome{}, models.Invalid("unknown_bulk_action", fmt.Sprintf("unknown bulk action %q", in.Action),
			models.FieldError{Field: "action", Code: "unknown_bulk_action", Message: "one of assign, release, escalate, resolve_duplicate, resolve_no_violation, add_tag, remove_tag"})
	}
	switch n := len(in.CaseIDs); {
	case n == 0:
		return BulkOutcome{}, models.Invalid("empty_bulk", "name at least one case", models.FieldError{Field: "case_ids", Code: "required", Message: "1 to 1000 case ids"})
	case n > MaxBulk:
		return BulkOutcome{}, models.Invalid("bulk_too_large", fmt.Sprintf("at most %d cases per request (got %d)", MaxBulk, n),
			models.FieldError{Field: "case_ids", Code: "too_many", Message: fmt.Sprintf("at most %d", MaxBulk)})
	}
	if len(slices.Compact(slices.Sorted(slices.Values(in.CaseIDs)))) != len(in.CaseIDs) {
		return BulkOutcome{}, models.Invalid("duplicate_case_ids", "each case once", models.FieldError{Field: "case_ids", Code: "duplicates", Message: "each case id once"})
	}
	switch in.Action {
	case "assign":
		if in.AssigneeID == nil {
			return BulkOutcome{}, models.Invalid("assignee_required", "say who to assign", models.FieldError{Field: "assignee_id", Code: "required", Message: "a reviewer"})
		}
	case "escalate":
		if err := reasonRequired(in.Reason); err != nil {
			return BulkOutcome{}, err
		}
	case "add_tag", "remove_tag":
		if _, err := validTag(in.Tag); err != nil {
			return BulkOutcome{}, err
		}
	case "resolve_duplicate":
		if in.DuplicateOf == nil {
			return BulkOutcome{}, models.Invalid("duplicate_of_required", "name the case these duplicate",
				models.FieldError{Field: "duplicate_of", Code: "required", Message: "a case id"})
		}
	}
	if err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		_, err := a.requireSomewhere(ctx, tx, actor, "case.bulk")
		return err
	}); err != nil {
		return BulkOutcome{}, err
	}
	out := BulkOutcome{Results: make([]BulkResult, 0, len(in.CaseIDs))}
	for _, id := range in.CaseIDs {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		res := BulkResult{CaseID: id}
		v, err := a.bulkOne(ctx, actor, id, in)
		if err != nil {
			de, ok := models.AsError(err)
			if !ok {
				return out, err // the database is failing: stop, report what happened
			}
			res.Code, res.Detail = de.Code, de.Message
			out.Failed++
		} else {
			res.OK, res.Version = true, v
			out.Succeeded++
		}
		out.Results = append(out.Results, res)
	}
	return out, nil
}

func (a *App) bulkOne(ctx context.Context, actor Actor, id int64, in BulkInput) (int, error) {
	version := 0
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		c, err := a.loadCaseFor(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if err := a.Can(ctx, tx, actor, "case.bulk", c.Market); err != nil {
			return err
		}
		ain := CaseActionInput{Version: c.Version, AssigneeID: in.AssigneeID, Reason: in.Reason}
		switch in.Action {
		case "add_tag", "remove_tag":
			version = c.Version
			return a.setTagTx(ctx, tx, actor, c, in.Tag, in.Action == "add_tag")
		case "assign":
			err = a.applyAction(ctx, tx, actor, &c, models.ActionAssign, ain)
		case "release":
			err = a.applyAction(ctx, tx, actor, &c, models.ActionRelease, ain)
		case "escalate":
			err = a.applyAction(ctx, tx, actor, &c, models.ActionEscalate, ain)
		case "resolve_duplicate", "resolve_no_violation":
			err = a.bulkResolve(ctx, tx, actor, &c, in)
		}
		version = c.Version
		return err
	})
	return version, err
}

// bulkResolve closes a case as a duplicate or as no violation. A lead
// may resolve a case that is not in review by taking it first.
func (a *App) bulkResolve(ctx context.Context, tx *gorm.DB, actor Actor, c *models.Case, in BulkInput) error {
	rationale := "Bulk-resolved: no violation found. " + in.Reason
	if in.Action == "resolve_duplicate" {
		if *in.DuplicateOf == c.ID {
			return models.Invalid("invalid_link", "a case cannot duplicate itself")
		}
		if _, err := a.loadCaseFor(ctx, tx, actor, *in.DuplicateOf, false); err != nil {
			return err
		}
		rationale = fmt.Sprintf("Duplicate of case %d. %s", *in.DuplicateOf, in.Reason)
		if err := tx.WithContext(ctx).Create(&models.CaseLink{CaseID: c.ID, OtherCaseID: *in.DuplicateOf, Kind: "duplicate_of",
			CreatedBy: actor.Subject(), CreatedAt: a.now()}).Error; err != nil {
			return err
		}
	}
	if c.Status == models.StatusTriaged || c.Status == models.StatusNew {
		if err := a.applyAction(ctx, tx, actor, c, models.ActionAssign, CaseActionInput{Version: c.Version, AssigneeID: &actor.ID}); err != nil {
			return err
		}
	}
	return a.applyAction(ctx, tx, actor, c, models.ActionResolve, CaseActionInput{Version: c.Version,
		Decision: &DecisionInput{Outcome: "no_violation", Actions: []string{}, Rationale: rationale}})
}

package models

// CaseStatus is where a case is in its lifecycle.
type CaseStatus string

// Case statuses.
const (
	StatusNew              CaseStatus = "new"
	StatusTriaged          CaseStatus = "triaged"
	StatusInReview         CaseStatus = "in_review"
	StatusOnHold           CaseStatus = "on_hold"
	StatusEscalated        CaseStatus = "escalated"
	StatusAwaitingApproval CaseStatus = "awaiting_approval"
	StatusResolved         CaseStatus = "resolved"
)

// CaseStatuses lists every status in lifecycle order.
var CaseStatuses = []CaseStatus{StatusNew, StatusTriaged, StatusInReview, StatusOnHold, StatusEscalated, StatusAwaitingApproval, StatusResolved}

// CaseAction is something done to a case that may move its status.
type CaseAction string

// Case actions.
const (
	ActionTriage     CaseAction = "triage"
	ActionClaim      CaseAction = "claim"
	ActionAssign     CaseAction = "assign"
	ActionRelease    CaseAction = "release"
	ActionEscalate   CaseAction = "escalate"
	ActionDeescalate CaseAction = "deescalate"
	ActionHold       CaseAction = "hold"
	ActionResume     CaseAction = "resume"
	ActionResolve    CaseAction = "resolve"
	ActionApprove    CaseAction = "approve"
	ActionReject     CaseAction = "reject"
	ActionReopen     CaseAction = "reopen"
	ActionRenew      CaseAction = "renew"
	ActionEmergency  CaseAction = "declare_emergency"
	ActionCalm       CaseAction = "clear_emergency"
)

// CaseActions lists every action.
var CaseActions = []CaseAction{ActionTriage, ActionClaim, ActionAssign, ActionRelease, ActionEscalate, ActionDeescalate,
	ActionHold, ActionResume, ActionResolve, ActionApprove, ActionReject, ActionReopen, ActionRenew, ActionEmergency, ActionCalm}

// Transition is one row of the lifecycle: from a status, an action leads
// to a status, for holders of a permission.
type Transition struct {
	From       CaseStatus
	Action     CaseAction
	To         CaseStatus
	Permission string
	// ToPrevious: the case returns to the status it held before (resume).
	ToPrevious bool
	// Gated: a decision with a high-impact action goes to
	// awaiting_approval instead of To (maker-checker).
	Gated bool
	// Stay: the status does not change (a flag does).
	Stay bool
	// AssigneeOnly: only the case's assignee may do it (others need
	// OthersPermission).
	AssigneeOnly     bool
	OthersPermission string
}

// Transitions is the one lifecycle table (DESIGN.md). Anything not listed
// is refused with invalid_transition.
var Transitions = []Transition{
	{From: StatusNew, Action: ActionTriage, To: StatusTriaged, Permission: "case.triage"},
	{From: StatusNew, Action: ActionAssign, To: StatusInReview, Permission: "case.assign"},
	{From: StatusTriaged, Action: ActionClaim, To: StatusInReview, Permission: "case.claim"},
	{From: StatusTriaged, Action: ActionAssign, To: StatusInReview, Permission: "case.assign"},
	{From: StatusInReview, Action: ActionAssign, To: StatusInReview, Permission: "case.assign"},
	{From: StatusInReview, Action: ActionRenew, To: StatusInReview, Permission: "case.claim", AssigneeOnly: true},
	{From: StatusInReview, Action: ActionRelease, To: StatusTriaged, Permission: "case.claim", AssigneeOnly: true, OthersPermission: "case.release_any"},
	{From: StatusTriaged, Action: ActionEscalate, To: StatusEscalated, Permission: "case.escalate"},
	{From: StatusInReview, Action: ActionEscalate, To: StatusEscalated, Permission: "case.escalate", AssigneeOnly: true, OthersPermission: "case.deescalate"},
	{From: StatusEscalated, Action: ActionDeescalate, To: StatusTriaged, Permission: "case.deescalate"},
	{From: StatusEscalated, Action: ActionAssign, To: StatusInReview, Permission: "case.deescalate"},
	{From: StatusTriaged, Action: ActionHold, To: StatusOnHold, Permission: "case.hold"},
	{From: StatusInReview, Action: ActionHold, To: StatusOnHold, Permission: "case.hold", AssigneeOnly: true, OthersPermission: "case.assign"},
	{From: StatusOnHold, Action: ActionResume, ToPrevious: true, Permission: "case.hold"},
	{From: StatusInReview, Action: ActionResolve, To: StatusResolved, Gated: true, Permission: "case.resolve", AssigneeOnly: true},
	{From: StatusEscalated, Action: ActionResolve, To: StatusResolved, Gated: true, Permission: "case.deescalate"},
	{From: StatusAwaitingApproval, Action: ActionApprove, To: StatusResolved, Permission: "case.approve"},
	{From: StatusAwaitingApproval, Action: ActionReject, To: StatusInReview, Permission: "case.approve"},
	{From: StatusResolved, Action: ActionReopen, To: StatusTriaged, Permission: "case.reopen"},
}

// Emergencies may be declared and cleared on any open case; the status
// stays, the case is pinned above everything in its market.
func init() {
	for _, s := range CaseStatuses {
		if s.Open() {
			Transitions = append(Transitions,
				Transition{From: s, Action: ActionEmergency, Stay: true, Permission: "case.emergency"},
				Transition{From: s, Action: ActionCalm, Stay: true, Permission: "case.emergency"})
		}
	}
}

// FindTransition returns the row for (from, action), or a KindConflict
// invalid_transition error.
func FindTransition(from CaseStatus, action CaseAction) (Transition, error) {
	for _, t := range Transitions {
		if t.From == from && t.Action == action {
			return t, nil
		}
	}
	e := Errorf(KindConflict, "invalid_transition", "a case that is %s cannot be %s", from, actionPast(action))
	e.Extra = map[string]any{"status": from, "action": action}
	return Transition{}, e
}

// AllowedActions lists what may be done from a status, in table order.
func AllowedActions(from CaseStatus) []CaseAction {
	var out []CaseAction
	for _, t := range Transitions {
		if t.From == from {
			out = append(out, t.Action)
		}
	}
	return out
}

func actionPast(a CaseAction) string {
	switch a {
	case ActionHold:
		return "put on hold"
	case ActionResume:
		return "resumed"
	case ActionRelease:
		return "released"
	case ActionApprove:
		return "approved"
	case ActionReject:
		return "rejected"
	case ActionReopen:
		return "reopened"
	case ActionTriage:
		return "triaged"
	case ActionClaim:
		return "claimed"
	case ActionAssign:
		return "assigned"
	case ActionEscalate:
		return "escalated"
	case ActionDeescalate:
		return "de-escalated"
	case ActionResolve:
		return "resolved"
	case ActionRenew:
		return "renewed"
	case ActionEmergency:
		return "declared an emergency"
	case ActionCalm:
		return "cleared of its emergency"
	}
	return string(a)
}

// Open reports whether a case in status s counts as open (one open case per
// subject and policy).
func (s CaseStatus) Open() bool { return s != StatusResolved }

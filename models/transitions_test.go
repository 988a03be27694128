package models_test

import (
	"slices"
	"testing"

	"github.com/docket-tns/docket/models"
)

// Every (status, action) pair, allowed or refused, against the lifecycle
// of DESIGN.md.
func TestTransitionTable(t *testing.T) {
	want := map[models.CaseStatus]map[models.CaseAction]models.CaseStatus{
		models.StatusNew:              {models.ActionTriage: models.StatusTriaged, models.ActionAssign: models.StatusInReview},
		models.StatusTriaged:          {models.ActionClaim: models.StatusInReview, models.ActionAssign: models.StatusInReview, models.ActionEscalate: models.StatusEscalated, models.ActionHold: models.StatusOnHold},
		models.StatusInReview:         {models.ActionRenew: models.StatusInReview, models.ActionAssign: models.StatusInReview, models.ActionRelease: models.StatusTriaged, models.ActionEscalate: models.StatusEscalated, models.ActionHold: models.StatusOnHold, models.ActionResolve: models.StatusResolved},
		models.StatusOnHold:           {models.ActionResume: ""},
		models.StatusEscalated:        {models.ActionDeescalate: models.StatusTriaged, models.ActionAssign: models.StatusInReview, models.ActionResolve: models.StatusResolved},
		models.StatusAwaitingApproval: {models.ActionApprove: models.StatusResolved, models.ActionReject: models.StatusInReview},
		models.StatusResolved:         {models.ActionReopen: models.StatusTriaged},
	}
	for _, st := range models.CaseStatuses {
		if st.Open() {
			if want[st] == nil {
				want[st] = map[models.CaseAction]models.CaseStatus{}
			}
			want[st][models.ActionEmergency] = st
			want[st][models.ActionCalm] = st
		}
	}
	pairs := 0
	for _, s := range models.CaseStatuses {
		for _, a := range models.CaseActions {
			pairs++
			tr, err := models.FindTransition(s, a)
			to, allowed := want[s][a]
			if !allowed {
				if err == nil {
					t.Errorf("%s --%s--> allowed, want refused", s, a)
				} else if de, _ := models.AsError(err); de.Kind != models.KindConflict || de.Code != "invalid_transition" {
					t.Errorf("%s --%s--> refused with %v, want conflict invalid_transition", s, a, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s --%s--> refused (%v), want allowed", s, a, err)
				continue
			}
			if tr.Stay {
				if to != s {
					t.Errorf("%s --%s--> stays, want %s", s, a, to)
				}
			} else if tr.To != to || (to == "" && !tr.ToPrevious) {
				t.Errorf("%s --%s--> %s, want %s", s, a, tr.To, to)
			}
			if tr.Permission == "" {
				t.Errorf("%s --%s--> names no permission", s, a)
			}
		}
	}
	if pairs != len(models.CaseStatuses)*len(models.CaseActions) || pairs != 105 {
		t.Fatalf("walked %d pairs", pairs)
	}
	// Resolving is gated (maker-checker); resolving in review is the holder's alone.
	r, _ := models.FindTransition(models.StatusInReview, models.ActionResolve)
	if !r.Gated || !r.AssigneeOnly || r.OthersPermission != "" {
		t.Errorf("in_review resolve: %+v", r)
	}
	if got := models.AllowedActions(models.StatusResolved); !slices.Equal(got, []models.CaseAction{models.ActionReopen}) {
		t.Errorf("from resolved: %v", got)
	}
}

func TestPriority(t *testing.T) {
	now := mustTime("2026-11-24T10:00:00Z")
	sla := 24 * hour
	due := now.Add(sla)
	low := models.Priority("low", 0, 0, due, now, sla, false)
	crit := models.Priority("critical", 0, 0, due, now, sla, false)
	if !(crit > low) {
		t.Fatalf("critical %v should outrank low %v", crit, low)
	}
	big := models.Priority("medium", 5_000_000, 0, due, now, sla, false)
	small := models.Priority("medium", 100, 0, due, now, sla, false)
	if !(big > small) || big-small > 200 {
		t.Fatalf("reach: big %v small %v (reach adds at most 200)", big, small)
	}
	late := models.Priority("medium", 100, 0, now.Add(-time1h), now, sla, false)
	if !(late > small) {
		t.Fatalf("a breached case %v should outrank a fresh one %v", late, small)
	}
	if models.Priority("high", 10, 0, due, now, sla, false) <= models.Priority("medium", 10_000_000, 0, now.Add(-48*hour), now, sla, false) {
		t.Fatal("severity should dominate reach and urgency")
	}
	if e := models.Priority("low", 0, 0, due, now, sla, true); e <= models.Priority("critical", 1e9, 0, now.Add(-48*hour), now, sla, false) {
		t.Fatal("an emergency is pinned above everything")
	}
}

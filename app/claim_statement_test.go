package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

// signedIn is actor as a request authenticates them: through a session,
// which carries the policy revision the one-statement claim relies on.
func signedIn(t testing.TB, a *app.App, actor app.Actor) app.Actor {
	t.Helper()
	ctx := context.Background()
	res, err := a.Login(ctx, actor.Label, "a-long-enough-pass", app.Credentials{ClientIP: "192.0.2.7"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	got, err := a.Authenticate(ctx, app.Credentials{SessionToken: res.SessionToken, RequestID: "req-claim", ClientIP: "192.0.2.7"})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// seedTwins inserts two triaged VN cases alike in everything the claim
// reads or writes but their subject (so one is claimed by each path).
func seedTwins(t *testing.T, db *models.Database) (first, second int64) {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	var ids [2]int64
	for i := range ids {
		s := models.Subject{Kind: "listing", ExternalID: fmt.Sprintf("twin-%d-%d", i, n.Add(1)), Market: "VN", DisplayName: "Twin",
			Attributes: "{}", CreatedAt: now, UpdatedAt: now}
		if err := db.Gorm.Create(&s).Error; err != nil {
			t.Fatal(err)
		}
		c := models.Case{SubjectID: s.ID, Market: "VN", PolicyCode: "counterfeit", Severity: "high", Priority: 3141.59,
			Status: models.StatusTriaged, SLADueAt: now.Add(24 * time.Hour), CreatedBy: "system:test", CreatedAt: now, UpdatedAt: now, Version: 3}
		if err := db.Gorm.Create(&c).Error; err != nil {
			t.Fatal(err)
		}
		ids[i] = c.ID
	}
	return ids[0], ids[1]
}

// What a claim wrote for one case, with the case's id taken out.
type claimTrace struct {
	status              models.CaseStatus
	assignee            int64
	version             int
	lease               time.Duration
	priority            float64
	eventType, evActor  string
	evLabel, evData     string
	outType, outMarket  string
	outActor, outPay    string
	outUser             *int64
	action, auActor     string
	auLabel, auMarket   string
	before, after       string
	requestID, clientIP string
}

func traceClaim(t *testing.T, db *models.Database, id int64) claimTrace {
	t.Helper()
	var c models.Case
	if err := db.Gorm.First(&c, id).Error; err != nil {
		t.Fatal(err)
	}
	var evs []models.CaseEvent
	var outs []models.OutboxEvent
	var aus []models.AuditEntry
	db.Gorm.Where("case_id = ?", id).Find(&evs)
	db.Gorm.Where("case_id = ?", id).Find(&outs)
	db.Gorm.Where("object_type = 'case' AND object_id = ?", fmt.Sprint(id)).Find(&aus)
	if len(evs) != 1 || len(outs) != 1 || len(aus) != 1 {
		t.Fatalf("case %d: %d events, %d outbox events, %d audit entries; want one each", id, len(evs), len(outs), len(aus))
	}
	if c.ClaimExpiresAt == nil {
		t.Fatalf("case %d has no lease", id)
	}
	e, o, au := evs[0], outs[0], aus[0]
	idText := fmt.Sprint(id)
	str := func(s *string) string {
		if s == nil {
			return "<nil>"
		}
		return *s
	}
	if c.AssigneeID == nil {
		t.Fatalf("case %d has no assignee", id)
	}
	// To the second: the general path's updated_at is gorm's clock, a few
	// microseconds after the lease was computed.
	return claimTrace{status: c.Status, assignee: *c.AssigneeID, version: c.Version, lease: c.ClaimExpiresAt.Sub(c.UpdatedAt).Round(time.Second),
		priority: c.Priority, eventType: e.Type, evActor: e.Actor, evLabel: e.ActorLabel, evData: e.Data,
		outType: o.Type, outMarket: o.Market, outActor: o.Actor, outUser: o.UserID,
		outPay: strings.Replace(o.Payload, `"case_id":`+idText+",", `"case_id":ID,`, 1),
		action: au.Action, auActor: au.Actor, auLabel: au.ActorLabel, auMarket: au.Market,
		before: str(au.BeforeJSON), after: str(au.AfterJSON), requestID: au.RequestID, clientIP: au.ClientIP}
}

// The one-statement claim (PostgreSQL) writes exactly what the general
// path's transaction writes: the same case change, timeline entry, outbox
// event and audit entry, byte for byte, and the audit chain stays whole.
// On SQLite it declines and changes nothing.
func TestOneStatementClaimWritesWhatTheGeneralPathWrites(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		w := newWorld(t, db)
		ctx := context.Background()
		queue := vnReviewQueue(t, w.a)
		session := signedIn(t, w.a, w.rev)
		bare := w.rev
		bare.RequestID, bare.ClientIP = session.RequestID, session.ClientIP
		first, second := seedTwins(t, db)

		if db.Dialect == models.SQLite {
			if _, claimed, err := w.a.ClaimOneStatement(ctx, session, queue); err != nil || claimed {
				t.Fatalf("SQLite: the one-statement path claimed (%v, %v); it is PostgreSQL's", claimed, err)
			}
			if k := w.events(first) + w.events(second); k != 0 {
				t.Fatalf("a declined claim wrote %d timeline entries", k)
			}
			return
		}
		general, err := w.a.ClaimGeneral(ctx, bare, queue)
		if err != nil || general.ID != first {
			t.Fatalf("general path claimed %d (%v), want %d", general.ID, err, first)
		}
		fast, claimed, err := w.a.ClaimOneStatement(ctx, session, queue)
		if err != nil || !claimed || fast.ID != second {
			t.Fatalf("one-statement path claimed %d (claimed %v, %v), want %d", fast.ID, claimed, err, second)
		}
		if fast.Status != models.StatusInReview || fast.Version != 4 || fast.AssigneeID == nil || *fast.AssigneeID != w.rev.ID {
			t.Fatalf("returned case: status %s version %d assignee %v", fast.Status, fast.Version, fast.AssigneeID)
		}
		if _, err := w.a.SealAudit(ctx); err != nil {
			t.Fatal(err)
		}
		g, f := traceClaim(t, db, first), traceClaim(t, db, second)
		if g != f {
			t.Fatalf("the two paths wrote different things:\n general       %+v\n one statement %+v", g, f)
		}
		if g.status != models.StatusInReview || g.version != 4 || g.lease != app.ClaimLease || g.eventType != "claim" ||
			g.action != "case.claim" || !strings.Contains(g.before, `"status":"triaged"`) || !strings.Contains(g.after, `"priority":3141.59`) {
			t.Fatalf("unexpected claim: %+v", g)
		}
		v, err := w.a.VerifyAudit(ctx, w.auditor)
		if err != nil || !v.OK {
			t.Fatalf("audit chain after both claims: %+v, %v", v, err)
		}
	})
}

// A grant that changes after the session was read moves the policy
// revision: the one-statement path then declines (changing nothing) and
// the general path, which re-reads the policy, decides.
func TestOneStatementClaimDeclinesWhenThePolicyMoved(t *testing.T) {
	db := testdb.Postgres(t)
	w := newWorld(t, db)
	ctx := context.Background()
	queue := vnReviewQueue(t, w.a)
	session := signedIn(t, w.a, w.rev)
	first, _ := seedTwins(t, db)
	admin := app.SystemActor("test")
	if _, err := w.a.RevokeRole(ctx, admin, w.rev.ID, models.Grant{Role: "reviewer", Market: "VN"}); err != nil {
		t.Fatal(err)
	}
	if _, claimed, err := w.a.ClaimOneStatement(ctx, session, queue); err != nil || claimed {
		t.Fatalf("claimed %v (%v) on a stale policy revision", claimed, err)
	}
	if k := w.events(first); k != 0 {
		t.Fatalf("a declined claim wrote %d timeline entries", k)
	}
	if _, err := w.a.ClaimNextMinimal(ctx, session, queue); code(err) != "queue_not_found" && code(err) != "forbidden" {
		t.Fatalf("claim after losing the grant: %v, want a refusal", err)
	}
}

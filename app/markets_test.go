package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

// A market on business hours counts SLA time only while it is open, in its
// own time zone: a case opened late on Friday is due the next week, and a
// hold over the weekend gives back exactly the business time that was left.
func TestBusinessHoursSLA(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		vn, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
		// Friday 2026-11-27, 17:00 in Ho Chi Minh City.
		w, clk := clockedWorld(t, db, time.Date(2026, 11, 27, 17, 0, 0, 0, vn).UTC())
		ctx := context.Background()
		admin := app.SystemActor("test")
		markets, err := w.a.ListMarkets(ctx, admin, app.PageRequest{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var m app.MarketView
		for _, x := range markets.Items {
			if x.Code == "VN" {
				m = x
			}
		}
		if m.SLAClock != "calendar" || m.BusinessStart != "09:00" || len(m.BusinessDays) != 5 {
			t.Fatalf("VN defaults: %+v", m)
		}
		bad := []app.MarketSettings{
			{SLAClock: "lunar", Version: m.Version},
			{SLAClock: "business", BusinessDays: []int{1, 8}, Version: m.Version},
			{SLAClock: "business", BusinessDays: []int{}, Version: m.Version},
			{SLAClock: "business", BusinessStart: "18:00", BusinessEnd: "09:00", Version: m.Version},
			{SLAClock: "business", BusinessStart: "9am", Version: m.Version},
		}
		for _, in := range bad {
			if _, err := w.a.UpdateMarket(ctx, admin, "VN", in); code(err) != "invalid_market_settings" {
				t.Errorf("%+v: %v", in, err)
			}
		}
		if _, err := w.a.UpdateMarket(ctx, w.lead, "VN", app.MarketSettings{SLAClock: "business", Version: m.Version}); code(err) != "forbidden" {
			t.Fatalf("a lead changed the market clock: %v", err)
		}
		if _, err := w.a.UpdateMarket(ctx, admin, "VN", app.MarketSettings{SLAClock: "business", Version: m.Version + 1}); code(err) != "version_conflict" {
			t.Fatalf("stale version: %v", err)
		}
		got, err := w.a.UpdateMarket(ctx, admin, "VN", app.MarketSettings{SLAClock: "business", BusinessDays: []int{5, 1, 2, 3, 4},
			BusinessStart: "09:00", BusinessEnd: "18:00", Version: m.Version})
		if err != nil || got.SLAClock != "business" || got.Version != m.Version+1 || got.BusinessDays[0] != 1 {
			t.Fatalf("update: %+v %v", got, err)
		}
		var audits int64
		mustSeal(t, w.a)
		db.Gorm.Model(&models.AuditEntry{}).Where("action = ? AND object_id = ?", "market.update", "VN").Count(&audits)
		if audits != 1 {
			t.Fatalf("%d market.update audit entries, want 1", audits)
		}

		// counterfeit at high severity: 24 h. Friday 17-18 (1 h), Monday
		// 9-18 (9 h), Tuesday 9-18 (9 h), Wednesday 9-14 (5 h).
		c := w.newCase("VN", "counterfeit")
		if c.Severity != "high" {
			t.Fatalf("severity %s", c.Severity)
		}
		if want := time.Date(2026, 12, 2, 14, 0, 0, 0, vn); !c.SLADueAt.Equal(want) {
			t.Fatalf("due %v, want %v", c.SLADueAt.In(vn), want)
		}
		// 80% of 24 h = 19.2 h: Tuesday 18:00 is 19 h; 12 more minutes.
		if want := time.Date(2026, 12, 2, 9, 12, 0, 0, vn); c.SLAAtRiskAt == nil || !c.SLAAtRiskAt.Equal(want) {
			t.Fatalf("at risk %v, want %v", c.SLAAtRiskAt, want)
		}
		// Held at 17:30 on Friday (0.5 h used, 23.5 h left), resumed Monday 10:00.
		clk.Advance(30 * time.Minute)
		d := w.must(w.lead, c.ID, models.ActionTriage, app.CaseActionInput{Version: c.Version})
		d = w.must(w.lead, c.ID, models.ActionHold, app.CaseActionInput{Version: d.Version, Reason: "waiting for the brand owner"})
		clk.Advance(time.Date(2026, 11, 30, 10, 0, 0, 0, vn).Sub(clk.Now()))
		d = w.must(w.lead, c.ID, models.ActionResume, app.CaseActionInput{Version: d.Version})
		// Monday 10-18 (8 h), Tuesday 9 h, Wednesday 6.5 h → 15:30.
		if want := time.Date(2026, 12, 2, 15, 30, 0, 0, vn); !d.SLADueAt.Equal(want) {
			t.Fatalf("due after the hold %v, want %v", d.SLADueAt.In(vn), want)
		}
		// Other markets keep the calendar clock.
		th, err := w.a.CreateCase(ctx, newThLead(t, w), app.NewCase{Subject: app.SubjectInput{Kind: "seller", ExternalID: "th-bh", Market: "TH"}, Policy: "counterfeit"})
		if err != nil || !th.SLADueAt.Equal(clk.Now().Add(24*time.Hour)) {
			t.Fatalf("TH due %v (now %v): %v", th.SLADueAt, clk.Now(), err)
		}
	})
}

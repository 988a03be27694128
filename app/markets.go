package app

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// PageRequest is a keyset page request: an opaque cursor and a limit already
// bounded by the caller (1..models.MaxPageLimit).
type PageRequest struct {
	Cursor string
	Limit  int
}

// Page is one page of a list.
type Page[T any] struct {
	Items      []T
	NextCursor string
}

type marketCursor struct {
	After string `json:"a"`
}

// ListMarkets lists, by code, the markets where actor holds any role. A bad
// cursor is KindInvalid (invalid_cursor).
func (a *App) ListMarkets(ctx context.Context, actor Actor, req PageRequest) (Page[MarketView], error) {
	var cur marketCursor
	if req.Cursor != "" {
		if err := models.DecodeCursor(req.Cursor, &cur); err != nil {
			return Page[MarketView]{}, err
		}
	}
	s, err := a.grantScope(ctx, a.read(ctx), actor)
	if err != nil {
		return Page[MarketView]{}, err
	}
	// Read everything after the cursor and filter: there are a handful of
	// markets. One extra row tells whether there is a next page.
	rows, err := models.ListMarkets(ctx, a.read(ctx), cur.After, 1000)
	if err != nil {
		return Page[MarketView]{}, fmt.Errorf("list markets: %w", err)
	}
	var mine []MarketView
	for _, m := range rows {
		if s.has(m.Code) {
			mine = append(mine, marketView(m))
		}
	}
	if len(mine) > req.Limit+1 {
		mine = mine[:req.Limit+1]
	}
	return pageOf(mine, req.Limit, func(m MarketView) any { return marketCursor{After: m.Code} }), nil
}

// grantScope is where actor holds any role at all.
func (a *App) grantScope(ctx context.Context, db *gorm.DB, actor Actor) (scope, error) {
	if actor.Kind == ActorSystem {
		return scope{all: true}, nil
	}
	grants, err := models.GrantsOf(ctx, db, actor.Subject())
	if err != nil {
		return scope{}, err
	}
	var s scope
	for _, g := range grants {
		if g.Market == AllMarkets {
			return scope{all: true}, nil
		}
		if !s.has(g.Market) {
			s.markets = append(s.markets, g.Market)
		}
	}
	return s, nil
}

// pageOf cuts rows (fetched with limit+1) to a page and makes the cursor of
// the last item kept.
func pageOf[T any](rows []T, limit int, key func(T) any) Page[T] {
	p := Page[T]{Items: rows}
	if len(rows) > limit {
		p.Items = rows[:limit]
		p.NextCursor = models.EncodeCursor(key(rows[limit-1]))
	}
	if p.Items == nil {
		p.Items = []T{}
	}
	return p
}

// MarketView is a market with its SLA clock settings.
type MarketView struct {
	Code          string `json:"code"`
	Name          string `json:"name"`
	Timezone      string `json:"timezone"`
	SLAClock      string `json:"sla_clock"`
	BusinessDays  []int  `json:"business_days"`
	BusinessStart string `json:"business_start"`
	BusinessEnd   string `json:"business_end"`
	Version       int    `json:"version"`
}

func marketView(m models.Market) MarketView {
	days, _ := models.ParseWeekdays(m.BusinessDays)
	if days == nil {
		days = []int{}
	}
	return MarketView{Code: m.Code, Name: m.Name, Timezone: m.Timezone, SLAClock: m.SLAClock, BusinessDays: days,
		BusinessStart: m.BusinessStart, BusinessEnd: m.BusinessEnd, Version: m.Version}
}

// MarketSettings changes a market's SLA clock.
type MarketSettings struct {
	SLAClock      string `json:"sla_clock"`
	BusinessDays  []int  `json:"business_days"`
	BusinessStart string `json:"business_start"`
	BusinessEnd   string `json:"business_end"`
	Version       int    `json:"version"`
}

// UpdateMarket sets a market's SLA clock: calendar hours, or business
// hours (days and opening hours in the market's time zone). Requires
// market.manage there; version-checked and audited. Cases opened or
// reopened afterwards use it; running clocks keep their due times.
func (a *App) UpdateMarket(ctx context.Context, actor Actor, code string, in MarketSettings) (MarketView, error) {
	var out MarketView
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		m, err := models.FindMarket(ctx, tx, code)
		if err != nil {
			return err
		}
		if err := a.Can(ctx, tx, actor, "market.manage", code); err != nil {
			if s, _ := a.grantScope(ctx, tx, actor); !s.has(code) {
				return models.Errorf(models.KindNotFound, "market_not_found", "market %q does not exist", code)
			}
			return err
		}
		// Absent business-hours fields keep their current values.
		if in.BusinessDays == nil {
			in.BusinessDays, _ = models.ParseWeekdays(m.BusinessDays)
		}
		if in.BusinessStart == "" {
			in.BusinessStart = m.BusinessStart
		}
		if in.BusinessEnd == "" {
			in.BusinessEnd = m.BusinessEnd
		}
		next := m
		next.SLAClock, next.BusinessStart, next.BusinessEnd = in.SLAClock, in.BusinessStart, in.BusinessEnd
		next.BusinessDays = strings.Trim(fmt.Sprint(in.BusinessDays), "[]")
		var fields []models.FieldError
		if in.SLAClock != models.ClockCalendar && in.SLAClock != models.ClockBusiness {
			fields = append(fields, models.FieldError{Field: "sla_clock", Code: "invalid_clock", Message: "calendar or business"})
		}
		days, err := models.ParseWeekdays(next.BusinessDays)
		if err != nil || len(days) == 0 || len(days) != len(in.BusinessDays) {
			fields = append(fields, models.FieldError{Field: "business_days", Code: "invalid_days", Message: "distinct weekdays, 1 (Monday) to 7 (Sunday)"})
		}
		open, err1 := models.ParseTimeOfDay(in.BusinessStart)
		closing, err2 := models.ParseTimeOfDay(in.BusinessEnd)
		if err1 != nil {
			fields = append(fields, models.FieldError{Field: "business_start", Code: "invalid_time", Message: "HH:MM, 00:00 to 23:59"})
		}
		if err2 != nil || (err1 == nil && closing <= open) {
			fields = append(fields, models.FieldError{Field: "business_end", Code: "invalid_time", Message: "HH:MM after the start, up to 24:00"})
		}
		if len(fields) > 0 {
			return models.Invalid("invalid_market_settings", "the SLA clock settings are not valid", fields...)
		}
		if in.Version != m.Version {
			e := models.Errorf(models.KindConflict, "version_conflict", "market %s changed since you loaded it", code)
			e.Extra = map[string]any{"current_version": m.Version}
			return e
		}
		next.BusinessDays = strings.Trim(fmt.Sprint(days), "[]")
		next.Version = m.Version + 1
		res := tx.WithContext(ctx).Model(&models.Market{}).Where("code = ? AND version = ?", code, m.Version).Updates(map[string]any{
			"sla_clock": next.SLAClock, "business_days": next.BusinessDays, "business_start": next.BusinessStart,
			"business_end": next.BusinessEnd, "version": next.Version})
		if res.Error != nil {
			return res.Error
		}
		out = marketView(next)
		return a.audit(ctx, tx, actor, auditRecord{Action: "market.update", ObjectType: "market", ObjectID: code, Market: code,
			Before: marketView(m), After: out})
	})
	if err == nil {
		a.forgetClock(code)
	}
	return out, err
}

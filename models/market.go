package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Market is a country marketplace; roles are granted per market.
type Market struct {
	Code      string    `gorm:"primaryKey" json:"code"`
	Name      string    `json:"name"`
	Timezone  string    `json:"timezone"`
	CreatedAt time.Time `json:"-"`
	// SLA clock: "calendar", or "business" hours: BusinessDays (ISO
	// weekdays, space-separated) from BusinessStart to BusinessEnd (HH:MM)
	// in Timezone.
	SLAClock      string `gorm:"column:sla_clock" json:"-"`
	BusinessDays  string `json:"-"`
	BusinessStart string `json:"-"`
	BusinessEnd   string `json:"-"`
	Version       int    `json:"-"`
}

// Location loads the market's IANA time zone.
func (m Market) Location() (*time.Location, error) { return time.LoadLocation(m.Timezone) }

// ListMarkets returns up to limit markets with code > after, ordered by code.
func ListMarkets(ctx context.Context, db *gorm.DB, after string, limit int) ([]Market, error) {
	var out []Market
	q := db.WithContext(ctx).Order("code").Limit(limit)
	if after != "" {
		q = q.Where("code > ?", after)
	}
	if err := q.Find(&out).Error; err != nil {
		return nil, err
	}
	return out, nil
}

// FindMarket returns the market with code, or a KindNotFound error.
func FindMarket(ctx context.Context, db *gorm.DB, code string) (Market, error) {
	var m Market
	err := db.WithContext(ctx).Where("code = ?", code).Take(&m).Error
	if err == gorm.ErrRecordNotFound {
		return m, Errorf(KindNotFound, "market_not_found", "market %q does not exist", code)
	}
	return m, err
}

package models

import (
	"math/rand/v2"
	"testing"
	"time"
)

func vnBusiness(t *testing.T) SLAClock {
	t.Helper()
	c, err := Market{Code: "VN", Timezone: "Asia/Ho_Chi_Minh", SLAClock: ClockBusiness, BusinessDays: "1 2 3 4 5",
		BusinessStart: "09:00", BusinessEnd: "18:00"}.Clock()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBusinessHoursAdd(t *testing.T) {
	c := vnBusiness(t)
	// 2026-11-23 is a Monday.
	at := func(day, hour, min int) time.Time { return time.Date(2026, 11, day, hour, min, 0, 0, c.Loc) }
	for _, tc := range []struct {
		name string
		from time.Time
		d    time.Duration
		want time.Time
	}{
		{"within a day", at(23, 10, 0), 4 * time.Hour, at(23, 14, 0)},
		{"ends exactly at closing", at(23, 14, 0), 4 * time.Hour, at(23, 18, 0)},
		{"into the next day", at(23, 16, 0), 4 * time.Hour, at(24, 11, 0)},
		{"over the weekend", at(27, 17, 0), 2 * time.Hour, at(30, 10, 0)},
		{"from a Saturday", at(28, 12, 0), time.Hour, at(30, 10, 0)},
		{"before opening", at(23, 7, 0), time.Hour, at(23, 10, 0)},
		{"after closing", at(23, 20, 0), 30 * time.Minute, at(24, 9, 30)},
		{"24 business hours", at(23, 9, 0), 24 * time.Hour, at(25, 15, 0)},
		{"zero", at(28, 12, 0), 0, at(28, 12, 0)},
	} {
		if got := c.Add(tc.from, tc.d); !got.Equal(tc.want) {
			t.Errorf("%s: %v + %v = %v, want %v", tc.name, tc.from, tc.d, got.In(c.Loc), tc.want)
		}
	}
	cal := SLAClock{}
	if from := at(28, 12, 0); !cal.Add(from, 5*time.Hour).Equal(from.Add(5 * time.Hour)) {
		t.Error("the calendar clock counts every hour")
	}
}

// Between undoes Add: the business time from a moment to that moment plus
// d is d, from any start, for any d.
func TestBusinessHoursBetweenInvertsAdd(t *testing.T) {
	c := vnBusiness(t)
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 2000 {
		from := base.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
		d := time.Duration(r.Int64N(int64(120 * time.Hour))).Truncate(time.Second)
		end := c.Add(from, d)
		if got := c.Between(from, end); got != d {
			t.Fatalf("Between(%v, Add(%v)) = %v, want %v", from, d, got, d)
		}
		if end.Before(from) {
			t.Fatalf("Add went backwards from %v", from)
		}
	}
	if c.Between(base, base.Add(-time.Hour)) != 0 {
		t.Fatal("negative span")
	}
}

func TestMarketClockValidation(t *testing.T) {
	for _, m := range []Market{
		{Timezone: "Asia/Bangkok", SLAClock: ClockBusiness, BusinessDays: "1 2 8", BusinessStart: "09:00", BusinessEnd: "18:00"},
		{Timezone: "Asia/Bangkok", SLAClock: ClockBusiness, BusinessDays: "1", BusinessStart: "18:00", BusinessEnd: "09:00"},
		{Timezone: "Asia/Bangkok", SLAClock: ClockBusiness, BusinessDays: "", BusinessStart: "09:00", BusinessEnd: "18:00"},
		{Timezone: "Asia/Bangkok", SLAClock: ClockBusiness, BusinessDays: "1", BusinessStart: "9:00", BusinessEnd: "18:00"},
		{Timezone: "Asia/Bangkok", SLAClock: ClockBusiness, BusinessDays: "1", BusinessStart: "09:00", BusinessEnd: "24:30"},
	} {
		if _, err := m.Clock(); err == nil {
			t.Errorf("%+v: accepted", m)
		}
	}
	if c, err := (Market{Timezone: "Asia/Bangkok", SLAClock: ClockBusiness, BusinessDays: "7 6", BusinessStart: "00:00", BusinessEnd: "24:00"}).Clock(); err != nil || !c.Days[6] || !c.Days[7] || c.Days[1] {
		t.Errorf("weekend all day: %+v %v", c, err)
	}
}

package models

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SLA clock kinds of a market.
const (
	ClockCalendar = "calendar"
	ClockBusiness = "business"
)

// SLAClock counts SLA time for a market: every hour (calendar), or only
// the market's business hours in its time zone.
type SLAClock struct {
	Business bool
	Loc      *time.Location
	Days     [8]bool // ISO weekday 1 = Monday ... 7 = Sunday
	Open     time.Duration
	Close    time.Duration // after Open, at most 24 h
}

// Clock is the market's SLA clock.
func (m Market) Clock() (SLAClock, error) {
	if m.SLAClock != ClockBusiness {
		return SLAClock{}, nil
	}
	loc, err := m.Location()
	if err != nil {
		return SLAClock{}, err
	}
	days, err := ParseWeekdays(m.BusinessDays)
	if err != nil {
		return SLAClock{}, err
	}
	open, err1 := ParseTimeOfDay(m.BusinessStart)
	closing, err2 := ParseTimeOfDay(m.BusinessEnd)
	if err1 != nil || err2 != nil || closing <= open || len(days) == 0 {
		return SLAClock{}, fmt.Errorf("market %s has invalid business hours %q-%q on %q", m.Code, m.BusinessStart, m.BusinessEnd, m.BusinessDays)
	}
	c := SLAClock{Business: true, Loc: loc, Open: open, Close: closing}
	for _, d := range days {
		c.Days[d] = true
	}
	return c, nil
}

// ParseWeekdays reads "1 2 3 4 5" (ISO weekdays) into sorted, distinct days.
func ParseWeekdays(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Fields(s) {
		d, err := strconv.Atoi(f)
		if err != nil || d < 1 || d > 7 {
			return nil, fmt.Errorf("weekday %q is not 1 (Monday) to 7 (Sunday)", f)
		}
		out = append(out, d)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// ParseTimeOfDay reads "HH:MM" (00:00 to 24:00).
func ParseTimeOfDay(s string) (time.Duration, error) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || len(h) != 2 || len(m) != 2 || err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("%q is not a time of day HH:MM", s)
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
}

// maxDays bounds the walk over days (a clock open one minute a week still
// ends: 24 h of SLA need 1,440 weeks; no policy asks that much).
const maxDays = 366 * 30

// window is day's business hours [open, close) when day is a workday.
func (c SLAClock) window(t time.Time) (open, closing time.Time, ok bool) {
	y, m, d := t.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, c.Loc)
	wd := int(midnight.Weekday())
	if wd == 0 {
		wd = 7
	}
	return midnight.Add(c.Open), midnight.Add(c.Close), c.Days[wd]
}

func (c SLAClock) nextMidnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, c.Loc)
}

// Add is the moment d of clock time after from.
func (c SLAClock) Add(from time.Time, d time.Duration) time.Time {
	if !c.Business || d <= 0 {
		return from.Add(d)
	}
	t := from.In(c.Loc)
	for range maxDays {
		open, closing, ok := c.window(t)
		if ok && t.Before(closing) {
			if t.Before(open) {
				t = open
			}
			left := closing.Sub(t)
			if d <= left {
				return t.Add(d).UTC()
			}
			d -= left
		}
		t = c.nextMidnight(t)
	}
	return t.UTC()
}

// Between is the clock time from from to to (0 when to is not after from).
func (c SLAClock) Between(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	if !c.Business {
		return to.Sub(from)
	}
	var sum time.Duration
	t := from.In(c.Loc)
	for range maxDays {
		if !t.Before(to) {
			break
		}
		open, closing, ok := c.window(t)
		if ok {
			s, e := maxTime(t, open), minTime(to, closing)
			if e.After(s) {
				sum += e.Sub(s)
			}
		}
		t = c.nextMidnight(t)
	}
	return sum
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

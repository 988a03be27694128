package app

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// QueueCountsSettings tunes the queue counts rollup (models.RefreshCaseCounts).
type QueueCountsSettings struct {
	// Interval is how often the leader refreshes the rollup (default 5 s):
	// queue counts are at most about this old. Shorter is fresher and
	// costs one GROUP BY over the open cases per interval.
	Interval time.Duration
}

func (s QueueCountsSettings) withDefaults() QueueCountsSettings {
	if s.Interval <= 0 {
		s.Interval = 5 * time.Second
	}
	return s
}

// refreshShare bounds the time spent refreshing: the leader waits at
// least this many times the last refresh's duration before the next, so
// at scale (a second per refresh at 1M open cases on a busy two-core
// machine) counts get older rather than refreshes taking a core.
const refreshShare = 10

// every is how long the leader waits between refreshes, given how long
// the last one took: the interval, or more for slow refreshes.
func (s QueueCountsSettings) every(took time.Duration) time.Duration {
	return max(s.Interval, refreshShare*took)
}

// staleAfter is the age past which a reader refreshes the rollup itself
// rather than show it: twice the leader's pace, so readers never race a
// healthy leader, yet counts survive a leader that died or fell behind
// (and servers that run no background work, such as tests).
func (s QueueCountsSettings) staleAfter(took time.Duration) time.Duration { return 2 * s.every(took) }

// RefreshQueueCounts rebuilds the queue counts rollup from the open cases
// now. It reports false, doing nothing, when another refresh is already
// running (on PostgreSQL; its result will do).
func (a *App) RefreshQueueCounts(ctx context.Context) (bool, error) {
	refreshed := false
	err := a.writeTx(ctx, func(tx *gorm.DB) error {
		var err error
		refreshed, err = models.RefreshCaseCounts(ctx, tx, a.now())
		return err
	})
	if err != nil || !refreshed {
		return false, err
	}
	a.countsCache.forget()
	// Streams hint their clients to refetch counts the refresh caught up
	// with (other instances hear of it through NOTIFY).
	a.wake.wake()
	a.announceOutbox()
	return true, models.VacuumCaseCounts(ctx, a.read(ctx))
}

// freshenQueueCounts refreshes the rollup when it is missing or older
// than staleAfter; a failed refresh leaves the old counts to be shown
// (with their age) rather than failing the read. It returns the refresh
// time it found fresh, or nil when it refreshed (or could not tell).
func (a *App) freshenQueueCounts(ctx context.Context) *time.Time {
	asOf, took, err := models.CaseCountsRefreshed(ctx, a.read(ctx))
	if err == nil && asOf != nil && a.now().Sub(*asOf) <= a.counts.staleAfter(took) {
		return asOf
	}
	if _, err := a.RefreshQueueCounts(ctx); err != nil && ctx.Err() == nil {
		a.log.WarnContext(ctx, "queue counts refresh failed", "err", err)
	}
	return nil
}

// RunQueueCounts refreshes the queue counts rollup every interval (or
// refreshShare times the last refresh's duration, if longer) while this
// instance leads, until ctx ends; then it releases leadership. Its leader
// is apart from the sweeper's, so a long sweep never delays counts.
func (a *App) RunQueueCounts(ctx context.Context, leader *Leader) {
	defer leader.Release()
	for {
		wait := a.counts.Interval
		lead, err := leader.Acquire(ctx)
		if err != nil && ctx.Err() == nil {
			a.log.WarnContext(ctx, "leader election failed", "job", "queue counts", "err", err)
		}
		if lead {
			start := time.Now()
			if _, err := a.RefreshQueueCounts(ctx); err != nil && ctx.Err() == nil {
				a.log.ErrorContext(ctx, "queue counts refresh failed", "err", err)
			}
			wait = a.counts.every(time.Since(start))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

package app

import (
	"context"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// refCache keeps reference data that only migrations change (markets and
// the policy catalogue) so hot paths such as claim-next do not re-read it.
// Whoever adds an editing path for policies must invalidate it.
type refCache struct {
	mu       sync.RWMutex
	markets  []string
	policies map[string]models.Policy
	// clocks are the markets' SLA clocks, which admins may change: kept
	// for clockTTL, and dropped here at once when changed on this server.
	clocks map[string]cachedClock
	// queues are read by every claim: kept for queueTTL, and dropped here
	// at once when changed on this server (other servers see a change
	// within queueTTL; claims still check the claimer's markets each time).
	queues map[int64]cachedQueue
}

type cachedQueue struct {
	queue  models.Queue
	loaded time.Time
}

const queueTTL = 2 * time.Second

type cachedClock struct {
	clock  models.SLAClock
	loaded time.Time
}

const clockTTL = 30 * time.Second

func (a *App) marketCodes(ctx context.Context, db *gorm.DB) ([]string, error) {
	a.cache.mu.RLock()
	ms := a.cache.markets
	a.cache.mu.RUnlock()
	if ms != nil {
		return ms, nil
	}
	rows, err := models.ListMarkets(ctx, db, "", 1000)
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(rows))
	for i, m := range rows {
		codes[i] = m.Code
	}
	a.cache.mu.Lock()
	a.cache.markets = codes
	a.cache.mu.Unlock()
	return codes, nil
}

func (a *App) policy(ctx context.Context, db *gorm.DB, code string) (models.Policy, error) {
	a.cache.mu.RLock()
	p, ok := a.cache.policies[code]
	a.cache.mu.RUnlock()
	if ok {
		return p, nil
	}
	p, err := models.FindPolicy(ctx, db, code)
	if err != nil {
		return p, err
	}
	a.cache.mu.Lock()
	a.cache.policies[code] = p
	a.cache.mu.Unlock()
	return p, nil
}

// slaClock is the market's SLA clock.
func (a *App) slaClock(ctx context.Context, db *gorm.DB, market string) (models.SLAClock, error) {
	now := time.Now()
	a.cache.mu.RLock()
	c, ok := a.cache.clocks[market]
	a.cache.mu.RUnlock()
	if ok && now.Sub(c.loaded) < clockTTL {
		return c.clock, nil
	}
	m, err := models.FindMarket(ctx, db, market)
	if err != nil {
		return models.SLAClock{}, err
	}
	clock, err := m.Clock()
	if err != nil {
		return models.SLAClock{}, err
	}
	a.cache.mu.Lock()
	if a.cache.clocks == nil {
		a.cache.clocks = map[string]cachedClock{}
	}
	a.cache.clocks[market] = cachedClock{clock: clock, loaded: now}
	a.cache.mu.Unlock()
	return clock, nil
}

func (a *App) forgetClock(market string) {
	a.cache.mu.Lock()
	delete(a.cache.clocks, market)
	a.cache.mu.Unlock()
}

// queue is a queue's definition, from the cache when fresh.
func (a *App) queue(ctx context.Context, db *gorm.DB, id int64) (models.Queue, error) {
	now := time.Now()
	a.cache.mu.RLock()
	c, ok := a.cache.queues[id]
	a.cache.mu.RUnlock()
	if ok && now.Sub(c.loaded) < queueTTL {
		return c.queue, nil
	}
	q, err := models.FindQueue(ctx, db, id)
	if err != nil {
		return q, err
	}
	a.cache.mu.Lock()
	if a.cache.queues == nil {
		a.cache.queues = map[int64]cachedQueue{}
	}
	a.cache.queues[id] = cachedQueue{queue: q, loaded: now}
	a.cache.mu.Unlock()
	return q, nil
}

func (a *App) forgetQueue(id int64) {
	a.cache.mu.Lock()
	delete(a.cache.queues, id)
	a.cache.mu.Unlock()
}

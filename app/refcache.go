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
	clocks ttlMap[string, models.SLAClock]
	// queues are read by every claim: kept for queueTTL, and dropped here
	// at once when changed on this server (other servers see a change
	// within queueTTL; claims still check the claimer's markets each time).
	queues ttlMap[int64, models.Queue]
}

// ttlMap holds values for a while (under refCache.mu).
type ttlMap[K comparable, V any] map[K]ttlEntry[V]

type ttlEntry[V any] struct {
	v      V
	loaded time.Time
}

// cachedFor answers key from m when it was loaded less than ttl ago, and
// otherwise loads it and keeps it.
func cachedFor[K comparable, V any](c *refCache, m *ttlMap[K, V], key K, ttl time.Duration, load func() (V, error)) (V, error) {
	now := time.Now()
	c.mu.RLock()
	e, ok := (*m)[key]
	c.mu.RUnlock()
	if ok && now.Sub(e.loaded) < ttl {
		return e.v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if *m == nil {
		*m = ttlMap[K, V]{}
	}
	(*m)[key] = ttlEntry[V]{v: v, loaded: now}
	c.mu.Unlock()
	return v, nil
}

// forget drops key from m.
func forget[K comparable, V any](c *refCache, m ttlMap[K, V], key K) {
	c.mu.Lock()
	delete(m, key)
	c.mu.Unlock()
}

const queueTTL = 2 * time.Second

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
	return cachedFor(a.cache, &a.cache.clocks, market, clockTTL, func() (models.SLAClock, error) {
		m, err := models.FindMarket(ctx, db, market)
		if err != nil {
			return models.SLAClock{}, err
		}
		return m.Clock()
	})
}

func (a *App) forgetClock(market string) { forget(a.cache, a.cache.clocks, market) }

// queue is a queue's definition, from the cache when fresh.
func (a *App) queue(ctx context.Context, db *gorm.DB, id int64) (models.Queue, error) {
	return cachedFor(a.cache, &a.cache.queues, id, queueTTL, func() (models.Queue, error) {
		return models.FindQueue(ctx, db, id)
	})
}

func (a *App) forgetQueue(id int64) { forget(a.cache, a.cache.queues, id) }

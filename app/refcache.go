package app

import (
	"context"
	"sync"

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
}

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

package app

import (
	"context"
	"fmt"

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
func (a *App) ListMarkets(ctx context.Context, actor Actor, req PageRequest) (Page[models.Market], error) {
	var cur marketCursor
	if req.Cursor != "" {
		if err := models.DecodeCursor(req.Cursor, &cur); err != nil {
			return Page[models.Market]{}, err
		}
	}
	s, err := a.grantScope(ctx, a.read(ctx), actor)
	if err != nil {
		return Page[models.Market]{}, err
	}
	// Read everything after the cursor and filter: there are a handful of
	// markets. One extra row tells whether there is a next page.
	rows, err := models.ListMarkets(ctx, a.read(ctx), cur.After, 1000)
	if err != nil {
		return Page[models.Market]{}, fmt.Errorf("list markets: %w", err)
	}
	mine := rows[:0]
	for _, m := range rows {
		if s.has(m.Code) {
			mine = append(mine, m)
		}
	}
	if len(mine) > req.Limit+1 {
		mine = mine[:req.Limit+1]
	}
	return pageOf(mine, req.Limit, func(m models.Market) any { return marketCursor{After: m.Code} }), nil
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

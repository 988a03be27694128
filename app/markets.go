package app

import (
	"context"
	"fmt"

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

// ListMarkets lists markets by code. A bad cursor is KindInvalid
// (invalid_cursor).
func (a *App) ListMarkets(ctx context.Context, req PageRequest) (Page[models.Market], error) {
	var cur marketCursor
	if req.Cursor != "" {
		if err := models.DecodeCursor(req.Cursor, &cur); err != nil {
			return Page[models.Market]{}, err
		}
	}
	// One extra row tells whether there is a next page.
	rows, err := models.ListMarkets(ctx, a.read(ctx), cur.After, req.Limit+1)
	if err != nil {
		return Page[models.Market]{}, fmt.Errorf("list markets: %w", err)
	}
	return pageOf(rows, req.Limit, func(m models.Market) any { return marketCursor{After: m.Code} }), nil
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

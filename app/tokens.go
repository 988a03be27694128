package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// TokenView is a token as the API shows it (never the secret or its hash).
type TokenView struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	Scopes     []string   `json:"scopes"`
	Markets    []string   `json:"markets"`
	CreatedAt  time.Time  `json:"created_at"`
	CreatedBy  string     `json:"created_by"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	Active     bool       `json:"active"`
}

func tokenView(t models.APIToken, now time.Time) TokenView {
	return TokenView{ID: t.ID, Name: t.Name, Prefix: t.Prefix, Scopes: t.ScopeList(), Markets: t.MarketList(),
		CreatedAt: t.CreatedAt, CreatedBy: t.CreatedBy, ExpiresAt: t.ExpiresAt, LastUsedAt: t.LastUsedAt,
		RevokedAt: t.RevokedAt, Active: t.Live(now)}
}

// NewToken is the input of CreateToken.
type NewToken struct {
	Name      string     `json:"name"`
	Scopes    []string   `json:"scopes"`
	Markets   []string   `json:"markets"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// CreatedToken carries the secret, shown once.
type CreatedToken struct {
	Token  TokenView `json:"token"`
	Secret string    `json:"secret"`
}

// CreateToken makes an API token. Requires token.manage in every market
// the token covers ("*" for an all-market token). Its scopes become policy
// grants of subject token:ID in each market.
func (a *App) CreateToken(ctx context.Context, actor Actor, in NewToken) (CreatedToken, error) {
	in.Name = strings.TrimSpace(in.Name)
	var fields []models.FieldError
	if in.Name == "" || len(in.Name) > 100 {
		fields = append(fields, models.FieldError{Field: "name", Code: "invalid_name", Message: "1 to 100 characters"})
	}
	if len(in.Scopes) == 0 {
		fields = append(fields, models.FieldError{Field: "scopes", Code: "required", Message: "at least one of " + strings.Join(TokenScopes, ", ")})
	}
	for i, s := range in.Scopes {
		if !slices.Contains(TokenScopes, s) {
			fields = append(fields, models.FieldError{Field: fmt.Sprintf("scopes[%d]", i), Code: "unknown_scope", Message: "one of " + strings.Join(TokenScopes, ", ")})
		}
	}
	if len(in.Markets) == 0 {
		fields = append(fields, models.FieldError{Field: "markets", Code: "required", Message: "market codes, or [\"*\"]"})
	}
	if slices.Contains(in.Markets, AllMarkets) && len(in.Markets) > 1 {
		fields = append(fields, models.FieldError{Field: "markets", Code: "invalid_markets", Message: "\"*\" stands alone"})
	}
	if in.ExpiresAt != nil && !in.ExpiresAt.After(a.now()) {
		fields = append(fields, models.FieldError{Field: "expires_at", Code: "in_the_past", Message: "must be in the future"})
	}
	if len(fields) > 0 {
		return CreatedToken{}, models.Invalid("invalid_token_request", "the token request is not valid", fields...)
	}
	scopes := slices.Compact(slices.Sorted(slices.Values(in.Scopes)))
	markets := slices.Compact(slices.Sorted(slices.Values(in.Markets)))
	secret := apiTokenPrefix + randomToken(32)
	var out CreatedToken
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		for i, m := range markets {
			if m != AllMarkets {
				if _, err := models.FindMarket(ctx, tx, m); err != nil {
					return models.Invalid("unknown_market", fmt.Sprintf("unknown market %q", m),
						models.FieldError{Field: fmt.Sprintf("markets[%d]", i), Code: "unknown_market", Message: "a market code or *"})
				}
			}
			if err := a.Can(ctx, tx, actor, "token.manage", m); err != nil {
				return err
			}
		}
		now := a.now()
		t := &models.APIToken{Name: in.Name, TokenHash: hashSecret(secret), Prefix: secret[:len(apiTokenPrefix)+6],
			Scopes: strings.Join(scopes, " "), Markets: strings.Join(markets, " "), CreatedBy: actor.Subject(),
			CreatedAt: now, ExpiresAt: in.ExpiresAt}
		if err := models.CreateToken(ctx, tx, t); err != nil {
			return err
		}
		for _, s := range scopes {
			for _, m := range markets {
				if err := models.AddGrant(ctx, tx, tokenSubject(t.ID), models.Grant{Role: "scope:" + s, Market: m}); err != nil {
					return err
				}
			}
		}
		if err := models.BumpAuthzRevision(ctx, tx); err != nil {
			return err
		}
		out = CreatedToken{Token: tokenView(*t, now), Secret: secret}
		return a.audit(ctx, tx, actor, auditRecord{Action: "token.create", ObjectType: "token", ObjectID: fmt.Sprint(t.ID),
			Market: singleMarket(markets), After: out.Token})
	})
	return out, err
}

// singleMarket is the audit market of an object spanning markets: the one
// market, or global.
func singleMarket(markets []string) string {
	if len(markets) == 1 && markets[0] != AllMarkets {
		return markets[0]
	}
	return ""
}

// tokenVisible: a market-scoped manager sees tokens confined to its markets.
func tokenVisible(s scope, t models.APIToken) bool {
	if s.all {
		return true
	}
	for _, m := range t.MarketList() {
		if !s.has(m) {
			return false
		}
	}
	return true
}

type idCursor struct {
	Before int64 `json:"b"`
}

// ListTokens pages tokens visible to the actor, newest first. Requires
// token.manage somewhere.
func (a *App) ListTokens(ctx context.Context, actor Actor, page PageRequest) (Page[TokenView], error) {
	var cur idCursor
	if page.Cursor != "" {
		if err := models.DecodeCursor(page.Cursor, &cur); err != nil {
			return Page[TokenView]{}, err
		}
	}
	var out Page[TokenView]
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		s, err := a.requireSomewhere(ctx, tx, actor, "token.manage")
		if err != nil {
			return err
		}
		now := a.now()
		views := []TokenView{}
		before := cur.Before
		// Filter in Go (tokens are few); keep reading until the page is full.
		for len(views) <= page.Limit {
			rows, err := models.ListTokens(ctx, tx, before, 200)
			if err != nil {
				return err
			}
			for _, t := range rows {
				if tokenVisible(s, t) {
					views = append(views, tokenView(t, now))
				}
			}
			if len(rows) < 200 {
				break
			}
			before = rows[len(rows)-1].ID
		}
		out = pageOf(views, page.Limit, func(v TokenView) any { return idCursor{Before: v.ID} })
		return nil
	})
	return out, err
}

// RevokeToken revokes a token at once. Requires token.manage over all of
// the token's markets; invisible tokens are not found.
func (a *App) RevokeToken(ctx context.Context, actor Actor, id int64) error {
	return a.inTx(ctx, func(tx *gorm.DB) error {
		s, err := a.requireSomewhere(ctx, tx, actor, "token.manage")
		if err != nil {
			return err
		}
		t, err := models.FindToken(ctx, tx, id)
		if err != nil {
			return err
		}
		if !tokenVisible(s, t) {
			return models.Errorf(models.KindNotFound, "token_not_found", "token %d does not exist", id)
		}
		before := tokenView(t, a.now())
		revoked, err := models.RevokeToken(ctx, tx, id, a.now())
		if err != nil {
			return err
		}
		if !revoked {
			return models.Errorf(models.KindConflict, "token_revoked", "token %d is already revoked", id)
		}
		t.RevokedAt = new(a.now())
		return a.audit(ctx, tx, actor, auditRecord{Action: "token.revoke", ObjectType: "token", ObjectID: fmt.Sprint(id),
			Market: singleMarket(t.MarketList()), Before: before, After: tokenView(t, a.now())})
	})
}

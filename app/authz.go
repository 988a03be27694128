package app

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/util"
	gormadapter "github.com/casbin/gorm-adapter/v3"
	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// AllMarkets is the market of a grant that covers every market.
const AllMarkets = "*"

// Roles, in the order the UI lists them.
var Roles = []string{"admin", "lead", "reviewer", "analyst", "auditor", "qa"}

// RoleDescriptions say what each role is for.
var RoleDescriptions = map[string]string{
	"admin":    "Configuration: users, role grants, tokens, policies, queues, webhooks, rule publishing. No case decisions.",
	"lead":     "Everything a reviewer may, plus triage, assignment, escalations, emergencies, approvals and bulk actions.",
	"reviewer": "Works queues: claims, comments, holds, escalates and resolves cases.",
	"analyst":  "Authors and backtests rules; reads cases, signals and dashboards.",
	"auditor":  "Read-only: cases, decisions, the audit log and dashboards; exports and verifies the audit chain.",
	"qa":       "Reviews sampled decisions.",
}

// TokenScopes are what an API token may be granted, and the permissions
// each carries (the policy's scope:* rows).
var TokenScopes = []string{"signals:write", "appeals:write", "cases:read", "audit:read"}

// rbacModel: a subject holds roles per market (domain); a grant in "*"
// holds in every market. Policies name a role (or token scope) and a
// permission.
const rbacModel = `
[request_definition]
r = sub, dom, act

[policy_definition]
p = sub, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = g(r.sub, p.sub, r.dom) && r.act == p.act
`

// authorizer is the Casbin enforcer plus the policy revision it loaded.
// Every server reloads when the revision in the database moves, so a grant
// or revocation made on one instance holds on all of them at once.
type authorizer struct {
	mu       sync.RWMutex
	enf      *casbin.Enforcer
	revision int64
	// decisions remembers Enforce's answers for the loaded revision (Casbin
	// walks every policy row per call; hot paths ask the same few
	// questions). Cleared whenever the policy reloads.
	dmu       sync.Mutex
	decisions map[decisionKey]bool
}

type decisionKey struct{ subject, perm, market string }

// maxDecisions bounds the decision cache; it starts over when full.
const maxDecisions = 100_000

func newAuthorizer() (*authorizer, error) {
	m, err := model.NewModelFromString(rbacModel)
	if err != nil {
		return nil, fmt.Errorf("authz model: %w", err)
	}
	enf, err := casbin.NewEnforcer(m)
	if err != nil {
		return nil, fmt.Errorf("authz enforcer: %w", err)
	}
	enf.AddNamedDomainMatchingFunc("g", "KeyMatch", util.KeyMatch)
	return &authorizer{enf: enf, revision: -1}, nil
}

// refresh reloads the policy through db (which may be a transaction, so it
// reads on the transaction's own connection) when its revision changed.
//
// Within one use case's transaction the revision is read once: the
// transaction's context (set by inTx / inReadTx) remembers the check.
//
// seen is the revision the request read when it authenticated (0 when
// unknown): when the loaded policy is that revision there is nothing to
// read. That is as fresh as reading it here, in a READ COMMITTED
// transaction: a change committed before the request began is seen.
func (z *authorizer) refresh(ctx context.Context, db *gorm.DB, seen int64) error {
	memo, _ := db.Statement.Context.Value(authzCheckKey{}).(*authzCheck)
	if memo != nil && memo.done.Load() {
		return nil
	}
	if seen > 0 {
		z.mu.RLock()
		current := z.revision == seen
		z.mu.RUnlock()
		if current {
			if memo != nil {
				memo.done.Store(true)
			}
			return nil
		}
	}
	if err := z.reload(ctx, db); err != nil {
		return err
	}
	if memo != nil {
		memo.done.Store(true)
	}
	return nil
}

// authzCheck marks a transaction whose policy revision was checked.
type authzCheck struct{ done atomic.Bool }

type authzCheckKey struct{}

// withAuthzCheck gives a transaction's context a fresh check marker.
func withAuthzCheck(ctx context.Context) context.Context {
	return context.WithValue(ctx, authzCheckKey{}, &authzCheck{})
}

func (z *authorizer) reload(ctx context.Context, db *gorm.DB) error {
	rev, err := models.AuthzRevision(ctx, db)
	if err != nil {
		return fmt.Errorf("authz revision: %w", err)
	}
	z.mu.RLock()
	fresh := rev == z.revision
	z.mu.RUnlock()
	if fresh {
		return nil
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	if rev == z.revision {
		return nil
	}
	adb := db.WithContext(ctx).Session(&gorm.Session{})
	gormadapter.TurnOffAutoMigrate(adb)
	adapter, err := gormadapter.NewAdapterByDBUseTableName(adb, "", "casbin_rule")
	if err != nil {
		return fmt.Errorf("authz adapter: %w", err)
	}
	z.enf.SetAdapter(adapter)
	if err := z.enf.LoadPolicy(); err != nil {
		return fmt.Errorf("authz load: %w", err)
	}
	z.enf.SetAdapter(nil) // never keep a transaction's handle past it
	z.revision = rev
	z.dmu.Lock()
	z.decisions = nil
	z.dmu.Unlock()
	return nil
}

// currentRevision is the policy revision the authorizer holds.
func (z *authorizer) currentRevision() int64 {
	z.mu.RLock()
	defer z.mu.RUnlock()
	return z.revision
}

func (z *authorizer) allowed(subject, perm, market string) (bool, error) {
	z.mu.RLock()
	defer z.mu.RUnlock()
	k := decisionKey{subject, perm, market}
	z.dmu.Lock()
	ok, hit := z.decisions[k]
	z.dmu.Unlock()
	if hit {
		return ok, nil
	}
	ok, err := z.enf.Enforce(subject, market, perm)
	if err != nil {
		return false, err
	}
	z.dmu.Lock()
	if z.decisions == nil || len(z.decisions) >= maxDecisions {
		z.decisions = map[decisionKey]bool{}
	}
	z.decisions[k] = ok
	z.dmu.Unlock()
	return ok, nil
}

// Can reports, as an error, whether actor holds perm in market: nil when
// allowed, KindForbidden (forbidden) otherwise. It reads the policy through
// tx, so call it inside the use case's transaction, before any write.
// System actors are always allowed.
func (a *App) Can(ctx context.Context, tx *gorm.DB, actor Actor, perm, market string) error {
	if actor.Kind == ActorSystem {
		return nil
	}
	if err := a.authz.refresh(ctx, tx, actor.authzRevision); err != nil {
		return err
	}
	ok, err := a.authz.allowed(actor.Subject(), perm, market)
	if err != nil {
		return fmt.Errorf("enforce: %w", err)
	}
	if !ok {
		return models.Errorf(models.KindForbidden, "forbidden", "you may not %s in %s", perm, marketLabel(market))
	}
	return nil
}

func marketLabel(m string) string {
	if m == AllMarkets {
		return "all markets"
	}
	return "market " + m
}

// scope is where an actor holds a permission: everywhere, or a set of
// markets.
type scope struct {
	all     bool
	markets []string
}

func (s scope) has(market string) bool {
	if s.all {
		return true
	}
	for _, m := range s.markets {
		if m == market {
			return true
		}
	}
	return false
}

func (s scope) empty() bool { return !s.all && len(s.markets) == 0 }

// scopeOf computes where actor holds perm: "*" first, then each market.
func (a *App) scopeOf(ctx context.Context, tx *gorm.DB, actor Actor, perm string) (scope, error) {
	if actor.Kind == ActorSystem {
		return scope{all: true}, nil
	}
	if err := a.authz.refresh(ctx, tx, actor.authzRevision); err != nil {
		return scope{}, err
	}
	sub := actor.Subject()
	if ok, err := a.authz.allowed(sub, perm, AllMarkets); err != nil || ok {
		return scope{all: ok}, err
	}
	codes, err := a.marketCodes(ctx, tx)
	if err != nil {
		return scope{}, err
	}
	var s scope
	for _, m := range codes {
		ok, err := a.authz.allowed(sub, perm, m)
		if err != nil {
			return scope{}, err
		}
		if ok {
			s.markets = append(s.markets, m)
		}
	}
	return s, nil
}

// requireSomewhere is Can for actions not tied to one market: it passes if
// actor holds perm in any market and returns where.
func (a *App) requireSomewhere(ctx context.Context, tx *gorm.DB, actor Actor, perm string) (scope, error) {
	s, err := a.scopeOf(ctx, tx, actor, perm)
	if err != nil {
		return s, err
	}
	if s.empty() {
		return s, models.Errorf(models.KindForbidden, "forbidden", "you may not %s", perm)
	}
	return s, nil
}

// Permissions maps each permission actor holds to the markets it holds it
// in (["*"] for all), for the UI.
func (a *App) Permissions(ctx context.Context, actor Actor) (map[string][]string, error) {
	out := map[string][]string{}
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		perms, err := models.RolePermissions(ctx, tx)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, ps := range perms {
			for _, p := range ps {
				if seen[p] {
					continue
				}
				seen[p] = true
				s, err := a.scopeOf(ctx, tx, actor, p)
				if err != nil {
					return err
				}
				switch {
				case s.all:
					out[p] = []string{AllMarkets}
				case len(s.markets) > 0:
					out[p] = s.markets
				}
			}
		}
		return nil
	})
	return out, err
}

// Role is a role and its permissions as the loaded policy has them.
type Role struct {
	Role        string   `json:"role"`
	Description string   `json:"description"`
	Permissions []string `json:"permissions"`
}

// ListRoles returns every role with its permissions. Requires user.manage
// somewhere.
func (a *App) ListRoles(ctx context.Context, actor Actor) ([]Role, error) {
	var out []Role
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		if _, err := a.requireSomewhere(ctx, tx, actor, "user.manage"); err != nil {
			return err
		}
		perms, err := models.RolePermissions(ctx, tx)
		if err != nil {
			return err
		}
		for _, r := range Roles {
			ps := append([]string(nil), perms[r]...)
			sort.Strings(ps)
			out = append(out, Role{Role: r, Description: RoleDescriptions[r], Permissions: ps})
		}
		return nil
	})
	return out, err
}

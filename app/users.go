package app

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// UserView is a user as the API shows it (never the password hash).
type UserView struct {
	ID            int64          `json:"id"`
	Email         string         `json:"email"`
	Name          string         `json:"name"`
	Active        bool           `json:"active"`
	Available     bool           `json:"available"`
	CreatedAt     time.Time      `json:"created_at"`
	LastLoginAt   *time.Time     `json:"last_login_at"`
	DeactivatedAt *time.Time     `json:"deactivated_at"`
	Grants        []models.Grant `json:"grants"`
}

func userView(u models.User, grants []models.Grant) UserView {
	if grants == nil {
		grants = []models.Grant{}
	}
	return UserView{ID: u.ID, Email: u.Email, Name: u.Name, Active: u.Active, Available: u.Available, CreatedAt: u.CreatedAt,
		LastLoginAt: u.LastLoginAt, DeactivatedAt: u.DeactivatedAt, Grants: grants}
}

// NewUser is the input of CreateUser.
type NewUser struct {
	Email    string         `json:"email"`
	Name     string         `json:"name"`
	Password string         `json:"password"`
	Grants   []models.Grant `json:"grants"`
}

func (a *App) validateGrant(ctx context.Context, db *gorm.DB, g models.Grant, field string) error {
	if !slices.Contains(Roles, g.Role) {
		return models.Invalid("unknown_role", fmt.Sprintf("unknown role %q", g.Role),
			models.FieldError{Field: field + ".role", Code: "unknown_role", Message: "one of " + strings.Join(Roles, ", ")})
	}
	if g.Market == AllMarkets {
		return nil
	}
	if _, err := models.FindMarket(ctx, db, g.Market); err != nil {
		if models.KindOf(err) == models.KindNotFound {
			return models.Invalid("unknown_market", fmt.Sprintf("unknown market %q", g.Market),
				models.FieldError{Field: field + ".market", Code: "unknown_market", Message: "a market code or *"})
		}
		return err
	}
	return nil
}

// CreateUser creates a user with optional grants. Requires user.manage in
// every market granted (and somewhere, when none is). Errors: invalid
// (invalid_email, invalid_name, weak_password, unknown_role,
// unknown_market), conflict (email_taken), forbidden.
func (a *App) CreateUser(ctx context.Context, actor Actor, in NewUser) (UserView, error) {
	in.Email, in.Name = strings.TrimSpace(in.Email), strings.TrimSpace(in.Name)
	var fields []models.FieldError
	if addr, err := mail.ParseAddress(in.Email); err != nil || addr.Address != in.Email || len(in.Email) > 254 {
		fields = append(fields, models.FieldError{Field: "email", Code: "invalid_email", Message: "a plain email address such as ana@example.com"})
	}
	if in.Name == "" || len(in.Name) > 200 {
		fields = append(fields, models.FieldError{Field: "name", Code: "invalid_name", Message: "1 to 200 characters"})
	}
	if err := CheckPassword(in.Password); err != nil {
		fields = append(fields, err.(*models.Error).Fields...)
	}
	if len(fields) > 0 {
		return UserView{}, models.Invalid("invalid_user", "the user is not valid", fields...)
	}
	hash, err := HashPassword(in.Password, a.auth.Password)
	if err != nil {
		return UserView{}, err
	}
	var out UserView
	err = a.inTx(ctx, func(tx *gorm.DB) error {
		if len(in.Grants) == 0 {
			if _, err := a.requireSomewhere(ctx, tx, actor, "user.manage"); err != nil {
				return err
			}
		}
		for i, g := range in.Grants {
			if err := a.validateGrant(ctx, tx, g, fmt.Sprintf("grants[%d]", i)); err != nil {
				return err
			}
			if err := a.Can(ctx, tx, actor, "user.manage", g.Market); err != nil {
				return err
			}
		}
		now := a.now()
		u := &models.User{Email: in.Email, Name: in.Name, PasswordHash: hash, Active: true, Available: true, CreatedAt: now, UpdatedAt: now}
		if err := models.CreateUser(ctx, tx, u); err != nil {
			return err
		}
		for _, g := range in.Grants {
			if err := models.AddGrant(ctx, tx, userSubject(u.ID), g); err != nil {
				return err
			}
		}
		if len(in.Grants) > 0 {
			if err := models.BumpAuthzRevision(ctx, tx); err != nil {
				return err
			}
		}
		grants, err := models.GrantsOf(ctx, tx, userSubject(u.ID))
		if err != nil {
			return err
		}
		out = userView(*u, grants)
		markets := make([]string, 0, len(grants))
		for _, g := range grants {
			markets = append(markets, g.Market)
		}
		return a.audit(ctx, tx, actor, auditRecord{Action: "user.create", ObjectType: "user", ObjectID: fmt.Sprint(u.ID),
			Market: singleMarket(slices.Compact(slices.Sorted(slices.Values(markets)))), After: out})
	})
	return out, err
}

// userVisible says whether an actor managing users in s may see u: holders
// of "*" see everyone; others see users holding a grant in one of their
// markets, and users with no grant at all (just created, not yet placed).
func userVisible(s scope, grants []models.Grant) bool {
	if s.all || len(grants) == 0 {
		return true
	}
	for _, g := range grants {
		if g.Market != AllMarkets && s.has(g.Market) {
			return true
		}
	}
	return false
}

// userManageable: the actor must hold user.manage in every market the
// user holds a role in (so a VN admin cannot sign out a TH lead).
func userManageable(s scope, grants []models.Grant) bool {
	if s.all {
		return true
	}
	for _, g := range grants {
		if g.Market == AllMarkets || !s.has(g.Market) {
			return false
		}
	}
	return true
}

// UserQuery filters ListUsers.
type UserQuery struct {
	Query  string
	Active *bool
}

type userCursor struct {
	Email string `json:"e"`
	ID    int64  `json:"i"`
}

// ListUsers pages users visible to the actor, by email. Requires
// user.manage somewhere.
func (a *App) ListUsers(ctx context.Context, actor Actor, q UserQuery, page PageRequest) (Page[UserView], error) {
	var cur userCursor
	if page.Cursor != "" {
		if err := models.DecodeCursor(page.Cursor, &cur); err != nil {
			return Page[UserView]{}, err
		}
	}
	var out Page[UserView]
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		s, err := a.requireSomewhere(ctx, tx, actor, "user.manage")
		if err != nil {
			return err
		}
		f := models.UserFilter{Query: q.Query, Active: q.Active, AfterEmail: cur.Email, AfterID: cur.ID}
		if !s.all {
			ids, err := a.visibleUserIDs(ctx, tx, s)
			if err != nil {
				return err
			}
			f.IDs = ids
		}
		rows, err := models.ListUsers(ctx, tx, f, page.Limit+1)
		if err != nil {
			return err
		}
		subs := make([]string, len(rows))
		for i, u := range rows {
			subs[i] = userSubject(u.ID)
		}
		grants, err := models.GrantsOfSubjects(ctx, tx, subs)
		if err != nil {
			return err
		}
		views := make([]UserView, len(rows))
		for i, u := range rows {
			views[i] = userView(u, grants[subs[i]])
		}
		out = pageOf(views, page.Limit, func(v UserView) any { return userCursor{Email: strings.ToLower(v.Email), ID: v.ID} })
		return nil
	})
	return out, err
}

// visibleUserIDs lists the users a market-scoped manager may see.
func (a *App) visibleUserIDs(ctx context.Context, tx *gorm.DB, s scope) ([]int64, error) {
	inMine, err := models.SubjectsWithGrantIn(ctx, tx, "user:", s.markets)
	if err != nil {
		return nil, err
	}
	anyGrant, err := models.SubjectsWithAnyGrant(ctx, tx, "user:")
	if err != nil {
		return nil, err
	}
	granted := map[int64]bool{}
	for _, sub := range anyGrant {
		granted[subjectID(sub)] = true
	}
	var all []int64
	if err := tx.WithContext(ctx).Model(&models.User{}).Pluck("id", &all).Error; err != nil {
		return nil, err
	}
	ids := []int64{}
	for _, sub := range inMine {
		ids = append(ids, subjectID(sub))
	}
	for _, id := range all {
		if !granted[id] {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func subjectID(sub string) int64 {
	_, id, _ := strings.Cut(sub, ":")
	n, _ := strconv.ParseInt(id, 10, 64)
	return n
}

// loadUserFor finds a user and its grants, answering 404 when the actor
// may not see it, and 403 when it may see but not manage it (manage=true).
// In a write transaction (lock=true) the user's row stays locked until commit.
func (a *App) loadUserFor(ctx context.Context, tx *gorm.DB, actor Actor, id int64, manage, lock bool) (models.User, []models.Grant, scope, error) {
	s, err := a.requireSomewhere(ctx, tx, actor, "user.manage")
	if err != nil {
		return models.User{}, nil, s, err
	}
	find := models.FindUser
	if lock {
		find = models.LockUser
	}
	u, err := find(ctx, tx, id)
	if err != nil {
		return u, nil, s, err
	}
	grants, err := models.GrantsOf(ctx, tx, userSubject(id))
	if err != nil {
		return u, nil, s, err
	}
	if !userVisible(s, grants) {
		return u, nil, s, models.Errorf(models.KindNotFound, "user_not_found", "user %d does not exist", id)
	}
	if manage && !userManageable(s, grants) {
		return u, nil, s, models.Errorf(models.KindForbidden, "forbidden", "the user holds roles in markets you do not manage")
	}
	return u, grants, s, nil
}

// GetUser returns one user visible to the actor.
func (a *App) GetUser(ctx context.Context, actor Actor, id int64) (UserView, error) {
	var out UserView
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		u, grants, _, err := a.loadUserFor(ctx, tx, actor, id, false, false)
		out = userView(u, grants)
		return err
	})
	return out, err
}

// SetUserActive deactivates (revoking every session and token the user
// made, at once) or reactivates a user. Users are never deleted.
func (a *App) SetUserActive(ctx context.Context, actor Actor, id int64, active bool) (UserView, error) {
	var out UserView
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		u, grants, _, err := a.loadUserFor(ctx, tx, actor, id, true, true)
		if err != nil {
			return err
		}
		if actor.Kind == ActorUser && actor.ID == id && !active {
			return models.Errorf(models.KindConflict, "cannot_deactivate_self", "you cannot deactivate your own account")
		}
		before := userView(u, grants)
		if u.Active == active {
			out = before
			return nil // nothing changes, nothing to audit
		}
		now := a.now()
		u.Active, u.UpdatedAt = active, now
		u.DeactivatedAt = nil
		var revokedSessions int64
		var revokedTokens []int64
		if !active {
			u.DeactivatedAt = &now
			if revokedSessions, err = models.RevokeUserSessions(ctx, tx, id, now); err != nil {
				return err
			}
			if revokedTokens, err = models.RevokeTokensCreatedBy(ctx, tx, userSubject(id), now); err != nil {
				return err
			}
		}
		if err := models.SaveUser(ctx, tx, &u); err != nil {
			return err
		}
		out = userView(u, grants)
		action, after := "user.activate", any(out)
		if !active {
			action = "user.deactivate"
			after = map[string]any{"user": out, "sessions_revoked": revokedSessions, "tokens_revoked": revokedTokens}
		}
		return a.audit(ctx, tx, actor, auditRecord{Action: action, ObjectType: "user", ObjectID: fmt.Sprint(id), Before: before, After: after})
	})
	return out, err
}

// GrantRole gives a user a role in a market. Requires user.manage in that
// market (in "*" for a "*" grant) and visibility of the user.
func (a *App) GrantRole(ctx context.Context, actor Actor, userID int64, g models.Grant) (UserView, error) {
	return a.changeGrant(ctx, actor, userID, g, true)
}

// RevokeRole takes a role away; KindNotFound grant_not_found if not held.
func (a *App) RevokeRole(ctx context.Context, actor Actor, userID int64, g models.Grant) (UserView, error) {
	return a.changeGrant(ctx, actor, userID, g, false)
}

func (a *App) changeGrant(ctx context.Context, actor Actor, userID int64, g models.Grant, add bool) (UserView, error) {
	var out UserView
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		if err := a.validateGrant(ctx, tx, g, "grant"); err != nil {
			return err
		}
		u, grants, _, err := a.loadUserFor(ctx, tx, actor, userID, false, true)
		if err != nil {
			return err
		}
		if err := a.Can(ctx, tx, actor, "user.manage", g.Market); err != nil {
			return err
		}
		if !u.Active && add {
			return models.Errorf(models.KindConflict, "user_inactive", "reactivate the user before granting roles")
		}
		before := userView(u, grants)
		sub := userSubject(userID)
		if add {
			err = models.AddGrant(ctx, tx, sub, g)
		} else {
			var removed bool
			removed, err = models.RemoveGrant(ctx, tx, sub, g)
			if err == nil && !removed {
				err = models.Errorf(models.KindNotFound, "grant_not_found", "the user does not hold %s in %s", g.Role, g.Market)
			}
		}
		if err != nil {
			return err
		}
		if err := models.BumpAuthzRevision(ctx, tx); err != nil {
			return err
		}
		grants, err = models.GrantsOf(ctx, tx, sub)
		if err != nil {
			return err
		}
		out = userView(u, grants)
		action := "grant.revoke"
		if add {
			action = "grant.add"
		}
		market := g.Market
		if market == AllMarkets {
			market = ""
		}
		return a.audit(ctx, tx, actor, auditRecord{Action: action, ObjectType: "user", ObjectID: fmt.Sprint(userID), Market: market,
			Before: before.Grants, After: out.Grants})
	})
	return out, err
}

// CountUsers counts every user (to tell a first start).
func (a *App) CountUsers(ctx context.Context) (int64, error) {
	return models.CountUsers(ctx, a.read(ctx))
}

// SetAvailability records whether the caller is taking work.
func (a *App) SetAvailability(ctx context.Context, actor Actor, available bool) error {
	if actor.Kind != ActorUser {
		return models.Errorf(models.KindForbidden, "not_a_person", "only a person has availability")
	}
	return a.inTx(ctx, func(tx *gorm.DB) error {
		u, err := models.LockUser(ctx, tx, actor.ID)
		if err != nil {
			return err
		}
		if u.Available == available {
			return nil
		}
		if err := tx.WithContext(ctx).Model(&models.User{}).Where("id = ?", u.ID).
			Updates(map[string]any{"available": available, "updated_at": a.now()}).Error; err != nil {
			return err
		}
		return a.audit(ctx, tx, actor, auditRecord{Action: "user.availability", ObjectType: "user", ObjectID: fmt.Sprint(u.ID),
			Before: map[string]any{"available": u.Available}, After: map[string]any{"available": available}})
	})
}

// Reviewer is someone who can take cases in a market, as a lead sees them.
type Reviewer struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Email     string `json:"email"`
	Available bool   `json:"available"`
	// OpenCases counts cases they hold in review or on hold in the market.
	OpenCases int64 `json:"open_cases"`
}

// ListReviewers lists the active users who may claim cases in market, for
// leads assigning work (case.assign in the market).
func (a *App) ListReviewers(ctx context.Context, actor Actor, market string) ([]Reviewer, error) {
	var out []Reviewer
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		if _, err := models.FindMarket(ctx, tx, market); err != nil {
			return models.Invalid("unknown_market", fmt.Sprintf("unknown market %q", market),
				models.FieldError{Field: "market", Code: "unknown_market", Message: "a market code"})
		}
		if err := a.Can(ctx, tx, actor, "case.assign", market); err != nil {
			return err
		}
		var users []models.User
		if err := tx.WithContext(ctx).Where("active = ?", true).Order("name").Find(&users).Error; err != nil {
			return err
		}
		out = []Reviewer{}
		for _, u := range users {
			if a.Can(ctx, tx, Actor{Kind: ActorUser, ID: u.ID}, "case.claim", market) != nil {
				continue
			}
			var open int64
			if err := tx.WithContext(ctx).Model(&models.Case{}).Where("assignee_id = ? AND market = ? AND status IN ?", u.ID, market,
				[]models.CaseStatus{models.StatusInReview, models.StatusOnHold}).Count(&open).Error; err != nil {
				return err
			}
			out = append(out, Reviewer{ID: u.ID, Name: u.Name, Email: u.Email, Available: u.Available, OpenCases: open})
		}
		return nil
	})
	return out, err
}

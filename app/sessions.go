package app

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// SessionView is a live session as the admin API shows it.
type SessionView struct {
	ID            int64     `json:"id"`
	UserID        int64     `json:"user_id"`
	UserEmail     string    `json:"user_email"`
	CreatedAt     time.Time `json:"created_at"`
	LastSeenAt    time.Time `json:"last_seen_at"`
	ExpiresAt     time.Time `json:"expires_at"`
	IdleExpiresAt time.Time `json:"idle_expires_at"`
	ClientIP      string    `json:"client_ip"`
	UserAgent     string    `json:"user_agent"`
	Current       bool      `json:"current"`
}

func (a *App) sessionView(s models.SessionWithUser, actor Actor) SessionView {
	return SessionView{ID: s.ID, UserID: s.UserID, UserEmail: s.UserEmail, CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt,
		ExpiresAt: s.ExpiresAt, IdleExpiresAt: s.LastSeenAt.Add(a.auth.SessionIdle), ClientIP: s.ClientIP,
		UserAgent: s.UserAgent, Current: actor.SessionID == s.ID}
}

// ListSessions pages live sessions newest first, of one user or of every
// user the actor may see. Requires user.manage somewhere.
func (a *App) ListSessions(ctx context.Context, actor Actor, userID int64, page PageRequest) (Page[SessionView], error) {
	var cur idCursor
	if page.Cursor != "" {
		if err := models.DecodeCursor(page.Cursor, &cur); err != nil {
			return Page[SessionView]{}, err
		}
	}
	var out Page[SessionView]
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		s, err := a.requireSomewhere(ctx, tx, actor, "user.manage")
		if err != nil {
			return err
		}
		var ids []int64
		switch {
		case userID > 0:
			if _, _, _, err := a.loadUserFor(ctx, tx, actor, userID, false, false); err != nil {
				return err
			}
			ids = []int64{userID}
		case !s.all:
			if ids, err = a.visibleUserIDs(ctx, tx, s); err != nil {
				return err
			}
		}
		now := a.now()
		rows, err := models.ListLiveSessions(ctx, tx, now, now.Add(-a.auth.SessionIdle), ids, cur.Before, page.Limit+1)
		if err != nil {
			return err
		}
		views := make([]SessionView, len(rows))
		for i, r := range rows {
			views[i] = a.sessionView(r, actor)
		}
		out = pageOf(views, page.Limit, func(v SessionView) any { return idCursor{Before: v.ID} })
		return nil
	})
	return out, err
}

// RevokeSession signs a session out. A user may always end their own;
// otherwise user.manage over the session's user is required.
func (a *App) RevokeSession(ctx context.Context, actor Actor, id int64) error {
	return a.inTx(ctx, func(tx *gorm.DB) error {
		sess, err := models.FindSession(ctx, tx, id)
		if err != nil {
			return err
		}
		own := actor.Kind == ActorUser && actor.ID == sess.UserID
		if !own {
			if _, _, _, err := a.loadUserFor(ctx, tx, actor, sess.UserID, true, true); err != nil {
				if models.KindOf(err) == models.KindNotFound {
					return models.Errorf(models.KindNotFound, "session_not_found", "session %d does not exist", id)
				}
				return err
			}
		}
		revoked, err := models.RevokeSession(ctx, tx, id, a.now())
		if err != nil {
			return err
		}
		if !revoked {
			return models.Errorf(models.KindConflict, "session_revoked", "session %d has already ended", id)
		}
		return a.audit(ctx, tx, actor, auditRecord{Action: "session.revoke", ObjectType: "session", ObjectID: fmt.Sprint(id),
			Before: a.sessionView(sess, actor), After: map[string]any{"revoked": true}})
	})
}

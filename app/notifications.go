package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// NotificationView is a notification as its addressee sees it.
type NotificationView struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	Market    string     `json:"market"`
	CaseID    *int64     `json:"case_id"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

// Notifications is a page of notifications with the unread count.
type Notifications struct {
	Page[NotificationView]
	Unread int64
}

func notificationView(n models.Notification) NotificationView {
	return NotificationView{ID: n.ID, Kind: n.Kind, Market: n.Market, CaseID: n.CaseID, Title: n.Title, Body: n.Body,
		CreatedAt: n.CreatedAt, ReadAt: n.ReadAt}
}

func personOnly(actor Actor) error {
	if actor.Kind != ActorUser {
		return models.Errorf(models.KindForbidden, "not_a_person", "notifications are for people, not tokens")
	}
	return nil
}

// ListNotifications pages the actor's own notifications, newest first.
func (a *App) ListNotifications(ctx context.Context, actor Actor, unreadOnly bool, page PageRequest) (Notifications, error) {
	var out Notifications
	if err := personOnly(actor); err != nil {
		return out, err
	}
	var cur idCursor
	if page.Cursor != "" {
		if err := models.DecodeCursor(page.Cursor, &cur); err != nil {
			return out, err
		}
	}
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		ns, err := models.ListNotifications(ctx, tx, actor.ID, unreadOnly, cur.Before, page.Limit+1)
		if err != nil {
			return err
		}
		views := make([]NotificationView, len(ns))
		for i, n := range ns {
			views[i] = notificationView(n)
		}
		out.Page = pageOf(views, page.Limit, func(v NotificationView) any { return idCursor{Before: v.ID} })
		out.Unread, err = models.CountUnread(ctx, tx, actor.ID)
		return err
	})
	return out, err
}

// MarkNotificationsRead marks the actor's notifications read (ids, or all
// when ids is nil) and returns how many stay unread. Read marks are the
// reader's own state, not a decision: they are not audited.
func (a *App) MarkNotificationsRead(ctx context.Context, actor Actor, ids []int64) (int64, error) {
	if err := personOnly(actor); err != nil {
		return 0, err
	}
	if ids != nil && (len(ids) == 0 || len(ids) > 1000) {
		return 0, models.Invalid("invalid_ids", "give 1 to 1,000 notification ids, or all: true",
			models.FieldError{Field: "ids", Code: "invalid_ids", Message: "1 to 1,000 ids"})
	}
	var unread int64
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		if err := models.MarkNotificationsRead(ctx, tx, actor.ID, ids, a.now()); err != nil {
			return err
		}
		var err error
		unread, err = models.CountUnread(ctx, tx, actor.ID)
		return err
	})
	return unread, err
}

// notifyLeads tells every active lead of the case's market (holders of
// case.deescalate there), but the actor, in the change's transaction: a
// notification row each, and a live "notification" event to each.
func (a *App) notifyLeads(ctx context.Context, tx *gorm.DB, actor Actor, c models.Case, kind, title, body string) error {
	var users []models.User
	if err := tx.WithContext(ctx).Where("active = ?", true).Order("id").Find(&users).Error; err != nil {
		return err
	}
	now := a.now()
	for _, u := range users {
		if actor.Kind == ActorUser && actor.ID == u.ID {
			continue
		}
		if a.Can(ctx, tx, Actor{Kind: ActorUser, ID: u.ID}, "case.deescalate", c.Market) != nil {
			continue
		}
		n := models.Notification{UserID: u.ID, Kind: kind, Market: c.Market, CaseID: &c.ID, Title: title, Body: body, CreatedAt: now}
		if err := tx.WithContext(ctx).Create(&n).Error; err != nil {
			return err
		}
		payload, err := json.Marshal(map[string]any{"id": n.ID, "kind": kind, "case_id": c.ID, "title": title, "body": body})
		if err != nil {
			return err
		}
		uid := u.ID
		if err := a.appendOutbox(ctx, tx, &models.OutboxEvent{Type: "notification", Market: c.Market, CaseID: &c.ID,
			UserID: &uid, Actor: actor.Subject(), Payload: string(payload), CreatedAt: now}); err != nil {
			return err
		}
	}
	return nil
}

// leadAlert is the notification a case change sends leads, if any.
func leadAlert(event string, c models.Case, actor Actor) (kind, title, body string, ok bool) {
	switch {
	case event == string(models.ActionEmergency):
		return "emergency.declared", fmt.Sprintf("Emergency on case #%d (%s, %s)", c.ID, c.PolicyCode, c.Market),
			fmt.Sprintf("Declared by %s. It is pinned above every other case in %s until cleared.", actor.Label, c.Market), true
	case event == string(models.ActionEscalate) && c.EscalationReason != nil && *c.EscalationReason == slaBreachReason:
		return "sla.breached", fmt.Sprintf("Case #%d breached its SLA (%s, %s)", c.ID, c.PolicyCode, c.Market),
			fmt.Sprintf("Due %s; escalated to the %s escalation queue.", c.SLADueAt.UTC().Format("2006-01-02 15:04 UTC"), c.Market), true
	}
	return "", "", "", false
}

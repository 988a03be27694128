package app

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// WebhookView is an endpoint as admins see it (never its secret).
type WebhookView struct {
	ID         int64            `json:"id"`
	Name       string           `json:"name"`
	URL        string           `json:"url"`
	EventTypes []string         `json:"event_types"`
	Markets    []string         `json:"markets"`
	Active     bool             `json:"active"`
	Version    int              `json:"version"`
	CreatedBy  string           `json:"created_by"`
	CreatedAt  time.Time        `json:"created_at"`
	UpdatedAt  time.Time        `json:"updated_at"`
	Deliveries map[string]int64 `json:"deliveries"`
}

// WebhookWithSecret is an endpoint with its signing secret, shown once:
// when created and when the secret is rotated.
type WebhookWithSecret struct {
	WebhookView
	Secret string `json:"secret"`
}

// WebhookInput defines or changes an endpoint. Markets empty: every market.
type WebhookInput struct {
	Name       string   `json:"name"`
	URL        string   `json:"url"`
	EventTypes []string `json:"event_types"`
	Markets    []string `json:"markets"`
	Active     *bool    `json:"active"`
	Version    int      `json:"version"`
}

// DeliveryView is one delivery as the admin UI lists it.
type DeliveryView struct {
	ID             int64           `json:"id"`
	EndpointID     int64           `json:"endpoint_id"`
	EventID        string          `json:"event_id"`
	EventType      string          `json:"event_type"`
	Market         string          `json:"market"`
	CaseID         *int64          `json:"case_id"`
	Status         string          `json:"status"`
	Attempts       int             `json:"attempts"`
	NextAttemptAt  *time.Time      `json:"next_attempt_at"`
	LastAttemptAt  *time.Time      `json:"last_attempt_at"`
	LastStatusCode *int            `json:"last_status_code"`
	LastError      string          `json:"last_error"`
	DeliveredAt    *time.Time      `json:"delivered_at"`
	CreatedAt      time.Time       `json:"created_at"`
	Payload        json.RawMessage `json:"payload"`
}

func webhookView(e models.WebhookEndpoint, counts map[string]int64) WebhookView {
	c := map[string]int64{models.DeliveryPending: 0, models.DeliveryDelivered: 0, models.DeliveryDead: 0}
	for k, v := range counts {
		c[k] = v
	}
	ms := e.MarketList()
	if ms == nil {
		ms = []string{}
	}
	return WebhookView{ID: e.ID, Name: e.Name, URL: e.URL, EventTypes: e.Types(), Markets: ms, Active: e.Active,
		Version: e.Version, CreatedBy: e.CreatedBy, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt, Deliveries: c}
}

func deliveryView(d models.WebhookDelivery) DeliveryView {
	return DeliveryView{ID: d.ID, EndpointID: d.EndpointID, EventID: d.EventID, EventType: d.EventType, Market: d.Market,
		CaseID: d.CaseID, Status: d.Status, Attempts: d.Attempts, NextAttemptAt: d.NextAttemptAt, LastAttemptAt: d.LastAttemptAt,
		LastStatusCode: d.LastStatusCode, LastError: d.LastError, DeliveredAt: d.DeliveredAt, CreatedAt: d.CreatedAt,
		Payload: json.RawMessage(d.Payload)}
}

// webhookAudit is what the audit log keeps of an endpoint: no secret.
func webhookAudit(e models.WebhookEndpoint) map[string]any {
	return map[string]any{"name": e.Name, "url": e.URL, "event_types": e.Types(), "markets": e.MarketList(),
		"active": e.Active, "version": e.Version}
}

// mayManageWebhook: webhook.manage in every market the endpoint hears
// from; an endpoint of every market needs it everywhere.
func (a *App) mayManageWebhook(ctx context.Context, tx *gorm.DB, actor Actor, markets []string) error {
	s, err := a.requireSomewhere(ctx, tx, actor, "webhook.manage")
	if err != nil {
		return err
	}
	if s.all {
		return nil
	}
	if len(markets) == 0 {
		return models.Errorf(models.KindForbidden, "forbidden", "an endpoint for every market needs webhook.manage in every market")
	}
	for _, m := range markets {
		if !s.has(m) {
			return models.Errorf(models.KindForbidden, "forbidden", "you may not manage webhooks of %s", m)
		}
	}
	return nil
}

// visibleWebhook loads an endpoint the actor may manage; others are 404.
func (a *App) visibleWebhook(ctx context.Context, tx *gorm.DB, actor Actor, id int64, lock bool) (models.WebhookEndpoint, error) {
	if _, err := a.requireSomewhere(ctx, tx, actor, "webhook.manage"); err != nil {
		return models.WebhookEndpoint{}, err
	}
	find := models.FindWebhookEndpoint
	if lock {
		find = models.LockWebhookEndpoint
	}
	e, err := find(ctx, tx, id)
	if err != nil {
		return e, err
	}
	if a.mayManageWebhook(ctx, tx, actor, e.MarketList()) != nil {
		return e, models.Errorf(models.KindNotFound, "webhook_not_found", "webhook %d does not exist", id)
	}
	return e, nil
}

func (a *App) validateWebhook(ctx context.Context, tx *gorm.DB, in *WebhookInput) error {
	var fields []models.FieldError
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len(in.Name) > 100 {
		fields = append(fields, models.FieldError{Field: "name", Code: "invalid_name", Message: "1 to 100 characters"})
	}
	if err := checkWebhookURL(in.URL); err != nil {
		fields = append(fields, models.FieldError{Field: "url", Code: "invalid_url", Message: err.Error()})
	}
	if len(in.EventTypes) == 0 {
		fields = append(fields, models.FieldError{Field: "event_types", Code: "required", Message: "subscribe to at least one event type"})
	}
	for _, t := range in.EventTypes {
		if !slices.Contains(models.WebhookEventTypes, t) {
			fields = append(fields, models.FieldError{Field: "event_types", Code: "unknown_event_type",
				Message: fmt.Sprintf("%q is not one of %s", t, strings.Join(models.WebhookEventTypes, ", "))})
		}
	}
	codes, err := a.marketCodes(ctx, tx)
	if err != nil {
		return err
	}
	for _, m := range in.Markets {
		if !slices.Contains(codes, m) {
			fields = append(fields, models.FieldError{Field: "markets", Code: "unknown_market", Message: fmt.Sprintf("unknown market %q", m)})
		}
	}
	if len(fields) > 0 {
		return models.Invalid("invalid_webhook", "the webhook is not valid", fields...)
	}
	return nil
}

// checkWebhookURL: https, or plain http to this machine (for development).
func checkWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || len(raw) > 2000 {
		return fmt.Errorf("an absolute https:// URL")
	}
	if u.User != nil {
		return fmt.Errorf("no user or password in the URL; the signature authenticates Docket")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
			return nil
		}
		return fmt.Errorf("use https (plain http only to localhost)")
	}
	return fmt.Errorf("an https:// URL")
}

func newWebhookSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return "whsec_" + hex.EncodeToString(b)
}

// ListWebhooks lists the endpoints the actor may manage, with delivery counts.
func (a *App) ListWebhooks(ctx context.Context, actor Actor) ([]WebhookView, error) {
	out := []WebhookView{}
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		if _, err := a.requireSomewhere(ctx, tx, actor, "webhook.manage"); err != nil {
			return err
		}
		es, err := models.ListWebhookEndpoints(ctx, tx)
		if err != nil {
			return err
		}
		counts, err := models.DeliveryCounts(ctx, tx)
		if err != nil {
			return err
		}
		for _, e := range es {
			if a.mayManageWebhook(ctx, tx, actor, e.MarketList()) == nil {
				out = append(out, webhookView(e, counts[e.ID]))
			}
		}
		return nil
	})
	return out, err
}

// GetWebhook returns one endpoint.
func (a *App) GetWebhook(ctx context.Context, actor Actor, id int64) (WebhookView, error) {
	var out WebhookView
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		e, err := a.visibleWebhook(ctx, tx, actor, id, false)
		if err != nil {
			return err
		}
		counts, err := models.DeliveryCounts(ctx, tx)
		out = webhookView(e, counts[e.ID])
		return err
	})
	return out, err
}

// CreateWebhook adds an endpoint (active unless said otherwise) and returns
// its signing secret, the only time it is shown.
func (a *App) CreateWebhook(ctx context.Context, actor Actor, in WebhookInput) (WebhookWithSecret, error) {
	var out WebhookWithSecret
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		if _, err := a.requireSomewhere(ctx, tx, actor, "webhook.manage"); err != nil {
			return err
		}
		if err := a.validateWebhook(ctx, tx, &in); err != nil {
			return err
		}
		if err := a.mayManageWebhook(ctx, tx, actor, in.Markets); err != nil {
			return err
		}
		now := a.now()
		e := models.WebhookEndpoint{Name: in.Name, URL: in.URL, Secret: newWebhookSecret(), EventTypes: sortedJoin(in.EventTypes),
			Markets: sortedJoin(in.Markets), Active: in.Active == nil || *in.Active, Version: 1, CreatedBy: actor.Label,
			CreatedAt: now, UpdatedAt: now}
		if err := tx.WithContext(ctx).Create(&e).Error; err != nil {
			return err
		}
		out = WebhookWithSecret{WebhookView: webhookView(e, nil), Secret: e.Secret}
		return a.audit(ctx, tx, actor, auditRecord{Action: "webhook.create", ObjectType: "webhook", ObjectID: fmt.Sprint(e.ID),
			Market: singleMarket(e.MarketList()), After: webhookAudit(e)})
	})
	return out, err
}

// UpdateWebhook changes an endpoint (version-checked): every field given
// in full, except Active, which stays as it is when absent.
func (a *App) UpdateWebhook(ctx context.Context, actor Actor, id int64, in WebhookInput) (WebhookView, error) {
	var out WebhookView
	err := a.changeWebhook(ctx, actor, id, in.Version, "webhook.update", func(tx *gorm.DB, e *models.WebhookEndpoint) error {
		if err := a.validateWebhook(ctx, tx, &in); err != nil {
			return err
		}
		if err := a.mayManageWebhook(ctx, tx, actor, in.Markets); err != nil {
			return err
		}
		e.Name, e.URL, e.EventTypes, e.Markets = in.Name, in.URL, sortedJoin(in.EventTypes), sortedJoin(in.Markets)
		if in.Active != nil {
			e.Active = *in.Active
		}
		return nil
	}, func(e models.WebhookEndpoint, counts map[string]int64) { out = webhookView(e, counts) })
	return out, err
}

// RotateWebhookSecret gives an endpoint a new signing secret and returns it.
func (a *App) RotateWebhookSecret(ctx context.Context, actor Actor, id int64, version int) (WebhookWithSecret, error) {
	var out WebhookWithSecret
	err := a.changeWebhook(ctx, actor, id, version, "webhook.rotate_secret", func(_ *gorm.DB, e *models.WebhookEndpoint) error {
		e.Secret = newWebhookSecret()
		return nil
	}, func(e models.WebhookEndpoint, counts map[string]int64) {
		out = WebhookWithSecret{WebhookView: webhookView(e, counts), Secret: e.Secret}
	})
	return out, err
}

func (a *App) changeWebhook(ctx context.Context, actor Actor, id int64, version int, action string,
	change func(tx *gorm.DB, e *models.WebhookEndpoint) error, result func(models.WebhookEndpoint, map[string]int64)) error {
	return a.inTx(ctx, func(tx *gorm.DB) error {
		e, err := a.visibleWebhook(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if version != e.Version {
			ce := models.Errorf(models.KindConflict, "version_conflict", "webhook %d changed since you loaded it", id)
			ce.Extra = map[string]any{"current_version": e.Version}
			return ce
		}
		before := webhookAudit(e)
		if err := change(tx, &e); err != nil {
			return err
		}
		e.Version++
		e.UpdatedAt = a.now()
		if err := models.SaveWebhookEndpoint(ctx, tx, &e); err != nil {
			return err
		}
		counts, err := models.DeliveryCounts(ctx, tx)
		if err != nil {
			return err
		}
		result(e, counts[e.ID])
		return a.audit(ctx, tx, actor, auditRecord{Action: action, ObjectType: "webhook", ObjectID: fmt.Sprint(id),
			Market: singleMarket(e.MarketList()), Before: before, After: webhookAudit(e)})
	})
}

// ListDeliveries pages an endpoint's deliveries, newest first; status ""
// for all, or pending, delivered, dead (the dead letters).
func (a *App) ListDeliveries(ctx context.Context, actor Actor, endpointID int64, status string, page PageRequest) (Page[DeliveryView], error) {
	var out Page[DeliveryView]
	if status != "" && !slices.Contains([]string{models.DeliveryPending, models.DeliveryDelivered, models.DeliveryDead}, status) {
		return out, models.Invalid("invalid_query", "status is pending, delivered or dead",
			models.FieldError{Field: "status", Code: "invalid_status", Message: "pending, delivered or dead"})
	}
	var cur idCursor
	if page.Cursor != "" {
		if err := models.DecodeCursor(page.Cursor, &cur); err != nil {
			return out, err
		}
	}
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		if _, err := a.visibleWebhook(ctx, tx, actor, endpointID, false); err != nil {
			return err
		}
		ds, err := models.ListDeliveries(ctx, tx, endpointID, status, cur.Before, page.Limit+1)
		if err != nil {
			return err
		}
		views := make([]DeliveryView, len(ds))
		for i, d := range ds {
			views[i] = deliveryView(d)
		}
		out = pageOf(views, page.Limit, func(v DeliveryView) any { return idCursor{Before: v.ID} })
		return nil
	})
	return out, err
}

// RedeliverWebhook sends a dead (or delivered) delivery again, with a fresh
// round of attempts.
func (a *App) RedeliverWebhook(ctx context.Context, actor Actor, deliveryID int64) (DeliveryView, error) {
	var out DeliveryView
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		d, err := models.FindDelivery(ctx, tx, deliveryID)
		if err != nil {
			return err
		}
		if _, err := a.visibleWebhook(ctx, tx, actor, d.EndpointID, false); err != nil {
			if models.KindOf(err) == models.KindNotFound {
				return models.Errorf(models.KindNotFound, "delivery_not_found", "delivery %d does not exist", deliveryID)
			}
			return err
		}
		if d.Status == models.DeliveryPending {
			return models.Errorf(models.KindConflict, "delivery_pending", "delivery %d is still being attempted", deliveryID)
		}
		before := map[string]any{"status": d.Status, "attempts": d.Attempts, "last_status_code": d.LastStatusCode, "last_error": d.LastError}
		now := a.now()
		// A fresh round: the last round's outcome stays in the audit entry.
		d.Status, d.Attempts, d.NextAttemptAt = models.DeliveryPending, 0, &now
		d.LastAttemptAt, d.LastStatusCode, d.LastError, d.DeliveredAt = nil, nil, "", nil
		if err := models.SaveDelivery(ctx, tx, &d); err != nil {
			return err
		}
		out = deliveryView(d)
		return a.audit(ctx, tx, actor, auditRecord{Action: "webhook.redeliver", ObjectType: "webhook_delivery", ObjectID: fmt.Sprint(d.ID),
			Market: d.Market, Before: before, After: map[string]any{"status": d.Status, "attempts": 0, "event_id": d.EventID}})
	})
	return out, err
}

// enqueueWebhooks writes, in the change's transaction, one delivery per
// active endpoint that takes an event of typ from the case's market.
func (a *App) enqueueWebhooks(ctx context.Context, tx *gorm.DB, actor Actor, c models.Case, typ, event string) error {
	es, err := models.ActiveWebhookEndpoints(ctx, tx)
	if err != nil {
		return err
	}
	var body []byte
	eventID := ""
	now := a.now()
	for _, e := range es {
		if !e.Wants(typ, c.Market) {
			continue
		}
		if body == nil {
			b := make([]byte, 12)
			_, _ = rand.Read(b)
			eventID = "evt_" + hex.EncodeToString(b)
			subj, err := models.FindSubject(ctx, tx, c.SubjectID)
			if err != nil {
				return err
			}
			body, err = json.Marshal(map[string]any{"id": eventID, "type": typ, "created_at": now,
				"data": map[string]any{"event": event, "actor": actor.Label, "case": webhookCase(c),
					"subject": map[string]any{"id": subj.ID, "kind": subj.Kind, "external_id": subj.ExternalID,
						"display_name": subj.DisplayName, "market": subj.Market}}})
			if err != nil {
				return err
			}
		}
		d := models.WebhookDelivery{EndpointID: e.ID, EventID: eventID, EventType: typ, Market: c.Market, CaseID: &c.ID,
			Payload: string(body), Status: models.DeliveryPending, NextAttemptAt: &now, CreatedAt: now}
		if err := tx.WithContext(ctx).Create(&d).Error; err != nil {
			return err
		}
	}
	return nil
}

func webhookCase(c models.Case) map[string]any {
	return map[string]any{"id": c.ID, "market": c.Market, "policy": c.PolicyCode, "subject_id": c.SubjectID, "status": c.Status,
		"severity": c.Severity, "priority": c.Priority, "emergency": c.Emergency, "version": c.Version, "sla_due_at": c.SLADueAt,
		"escalation_reason": c.EscalationReason, "outcome": c.Outcome, "assignee_id": c.AssigneeID}
}

// webhookTypes maps a case change to the webhook events it raises.
func webhookTypes(event string, c models.Case) []string {
	switch event {
	case "created":
		return []string{"case.created"}
	case string(models.ActionEscalate):
		if c.EscalationReason != nil && *c.EscalationReason == slaBreachReason {
			return []string{"case.escalated", "sla.breached"}
		}
		return []string{"case.escalated"}
	case string(models.ActionEmergency):
		return []string{"case.emergency"}
	case string(models.ActionResolve):
		if c.Status == models.StatusResolved {
			return []string{"case.resolved"}
		}
	case "decision_approved":
		return []string{"decision.approved", "case.resolved"}
	}
	return nil
}

// SignWebhook is the signature of a delivery: hex HMAC-SHA256, keyed with
// the endpoint's secret, over "<unix timestamp>.<body>". It is sent as
// `Docket-Signature: t=<timestamp>,v1=<signature>`.
func SignWebhook(secret string, timestamp int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "%d.", timestamp)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

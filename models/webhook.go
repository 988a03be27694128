package models

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// WebhookEventTypes are the events an endpoint may subscribe to.
var WebhookEventTypes = []string{"case.created", "case.escalated", "case.emergency", "case.resolved", "decision.approved", "sla.breached"}

// Delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryDead      = "dead"
)

// WebhookEndpoint is where an admin wants events sent.
type WebhookEndpoint struct {
	ID         int64 `gorm:"primaryKey"`
	Name       string
	URL        string `gorm:"column:url"`
	Secret     string
	EventTypes string // space-separated
	Markets    string // space-separated; empty: every market
	Active     bool
	Version    int
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Types lists the subscribed event types.
func (e WebhookEndpoint) Types() []string { return strings.Fields(e.EventTypes) }

// MarketList lists the markets the endpoint hears from (nil: all).
func (e WebhookEndpoint) MarketList() []string { return strings.Fields(e.Markets) }

// Wants reports whether the endpoint takes an event of typ from market.
func (e WebhookEndpoint) Wants(typ, market string) bool {
	ms := e.MarketList()
	return e.Active && slices.Contains(e.Types(), typ) && (len(ms) == 0 || slices.Contains(ms, market))
}

// WebhookDelivery is one event on its way to one endpoint.
type WebhookDelivery struct {
	ID             int64 `gorm:"primaryKey"`
	EndpointID     int64
	EventID        string
	EventType      string
	Market         string
	CaseID         *int64
	Payload        string
	Status         string
	Attempts       int
	NextAttemptAt  *time.Time
	LastAttemptAt  *time.Time
	LastStatusCode *int
	LastError      string
	DeliveredAt    *time.Time
	CreatedAt      time.Time
}

// ActiveWebhookEndpoints lists the endpoints that take deliveries.
func ActiveWebhookEndpoints(ctx context.Context, db *gorm.DB) ([]WebhookEndpoint, error) {
	var out []WebhookEndpoint
	return out, db.WithContext(ctx).Where("active = ?", true).Order("id").Find(&out).Error
}

// ListWebhookEndpoints lists every endpoint by id.
func ListWebhookEndpoints(ctx context.Context, db *gorm.DB) ([]WebhookEndpoint, error) {
	var out []WebhookEndpoint
	return out, db.WithContext(ctx).Order("id").Find(&out).Error
}

// FindWebhookEndpoint returns an endpoint; KindNotFound webhook_not_found.
func FindWebhookEndpoint(ctx context.Context, db *gorm.DB, id int64) (WebhookEndpoint, error) {
	var e WebhookEndpoint
	err := db.WithContext(ctx).Where("id = ?", id).Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return e, Errorf(KindNotFound, "webhook_not_found", "webhook %d does not exist", id)
	}
	return e, err
}

// LockWebhookEndpoint is FindWebhookEndpoint holding the row until the
// transaction ends.
func LockWebhookEndpoint(ctx context.Context, tx *gorm.DB, id int64) (WebhookEndpoint, error) {
	return FindWebhookEndpoint(ctx, tx.Clauses(clause.Locking{Strength: "UPDATE"}), id)
}

// SaveWebhookEndpoint writes an endpoint (locked by the caller).
func SaveWebhookEndpoint(ctx context.Context, tx *gorm.DB, e *WebhookEndpoint) error {
	return tx.WithContext(ctx).Model(&WebhookEndpoint{}).Where("id = ?", e.ID).
		Select("*").Omit("id", "created_at", "created_by").Updates(e).Error
}

// DeliveryCounts counts an endpoint's deliveries by status.
func DeliveryCounts(ctx context.Context, db *gorm.DB) (map[int64]map[string]int64, error) {
	var rows []struct {
		EndpointID int64
		Status     string
		N          int64
	}
	err := db.WithContext(ctx).Model(&WebhookDelivery{}).Select("endpoint_id, status, COUNT(*) AS n").
		Group("endpoint_id, status").Scan(&rows).Error
	out := map[int64]map[string]int64{}
	for _, r := range rows {
		if out[r.EndpointID] == nil {
			out[r.EndpointID] = map[string]int64{}
		}
		out[r.EndpointID][r.Status] = r.N
	}
	return out, err
}

// ListDeliveries lists an endpoint's deliveries, newest first, id < before
// (0: from the newest), optionally of one status.
func ListDeliveries(ctx context.Context, db *gorm.DB, endpointID int64, status string, before int64, limit int) ([]WebhookDelivery, error) {
	q := db.WithContext(ctx).Where("endpoint_id = ?", endpointID).Order("id DESC").Limit(limit)
	if status != "" {
		q = q.Where("status = ?", status)
	}
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	var out []WebhookDelivery
	return out, q.Find(&out).Error
}

// FindDelivery returns a delivery; KindNotFound delivery_not_found.
func FindDelivery(ctx context.Context, db *gorm.DB, id int64) (WebhookDelivery, error) {
	var d WebhookDelivery
	err := db.WithContext(ctx).Where("id = ?", id).Take(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return d, Errorf(KindNotFound, "delivery_not_found", "delivery %d does not exist", id)
	}
	return d, err
}

// ClaimDueDeliveries takes up to limit pending deliveries due at now and
// pushes their next attempt to leaseUntil, so no other worker takes them
// while this one tries; a worker that dies leaves them to be retried after
// the lease. PostgreSQL workers skip each other's rows (SKIP LOCKED).
func ClaimDueDeliveries(ctx context.Context, tx *gorm.DB, now, leaseUntil time.Time, limit int) ([]WebhookDelivery, error) {
	q := tx.WithContext(ctx).Where("status = ? AND next_attempt_at <= ?", DeliveryPending, now).Order("next_attempt_at").Limit(limit)
	if tx.Dialector.Name() == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
	}
	var out []WebhookDelivery
	if err := q.Find(&out).Error; err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]int64, len(out))
	for i := range out {
		ids[i] = out[i].ID
	}
	return out, tx.WithContext(ctx).Model(&WebhookDelivery{}).Where("id IN ?", ids).Update("next_attempt_at", leaseUntil).Error
}

// SaveDelivery writes a delivery's status fields.
func SaveDelivery(ctx context.Context, db *gorm.DB, d *WebhookDelivery) error {
	return db.WithContext(ctx).Model(&WebhookDelivery{}).Where("id = ?", d.ID).Select(
		"status", "attempts", "next_attempt_at", "last_attempt_at", "last_status_code", "last_error", "delivered_at").Updates(d).Error
}

// AnyDueDeliveries reports, without locking, whether a delivery is due, so
// idle workers do not open write transactions.
func AnyDueDeliveries(ctx context.Context, db *gorm.DB, now time.Time) (bool, error) {
	var ids []int64
	err := db.WithContext(ctx).Model(&WebhookDelivery{}).Where("status = ? AND next_attempt_at <= ?", DeliveryPending, now).
		Limit(1).Pluck("id", &ids).Error
	return len(ids) > 0, err
}

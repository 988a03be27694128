package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// WebhookSettings tune delivery; zero values pick the defaults.
type WebhookSettings struct {
	// RetryBase is the wait after the first failed attempt (default 1 min);
	// each further failure doubles it, up to RetryMax (default 6 h).
	RetryBase time.Duration
	RetryMax  time.Duration
	// MaxAttempts before a delivery is dead-lettered (default 10).
	MaxAttempts int
	// Timeout of one attempt (default 10 s).
	Timeout time.Duration
	// Client sends the requests (default: one that never follows redirects).
	Client *http.Client
}

func (s WebhookSettings) withDefaults() WebhookSettings {
	if s.RetryBase <= 0 {
		s.RetryBase = time.Minute
	}
	if s.RetryMax <= 0 {
		s.RetryMax = 6 * time.Hour
	}
	if s.MaxAttempts <= 0 {
		s.MaxAttempts = 10
	}
	if s.Timeout <= 0 {
		s.Timeout = 10 * time.Second
	}
	if s.Client == nil {
		s.Client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	return s
}

// retryDelay is the wait after the n-th failed attempt (n >= 1): RetryBase
// doubled per further failure, capped, with ±10% jitter so endpoints that
// failed together do not retry together.
func (s WebhookSettings) retryDelay(n int) time.Duration {
	d := s.RetryBase
	for i := 1; i < n && d < s.RetryMax; i++ {
		d *= 2
	}
	d = min(d, s.RetryMax)
	return d + time.Duration((rand.Float64()*0.2-0.1)*float64(d))
}

const (
	deliveryBatch = 16
	// deliveryLease: how long a worker owns the deliveries it took before
	// another may retry them (a worker that dies mid-attempt).
	deliveryLease = time.Minute
)

// DeliverWebhooks makes one attempt at every delivery that is due (up to a
// batch) and records the outcome: delivered on a 2xx, otherwise retried
// later with back-off, or dead-lettered after the last attempt. It returns
// how many it attempted. Safe to run on every server at once.
func (a *App) DeliverWebhooks(ctx context.Context) (int, error) {
	var due []models.WebhookDelivery
	now := a.now()
	if any, err := models.AnyDueDeliveries(ctx, a.read(ctx), now); err != nil || !any {
		return 0, err
	}
	err := a.writeTx(ctx, func(tx *gorm.DB) error {
		var err error
		due, err = models.ClaimDueDeliveries(ctx, tx, now, now.Add(deliveryLease), deliveryBatch)
		return err
	})
	if err != nil || len(due) == 0 {
		return 0, err
	}
	endpoints := map[int64]*models.WebhookEndpoint{}
	for _, d := range due {
		if _, ok := endpoints[d.EndpointID]; !ok {
			e, err := models.FindWebhookEndpoint(ctx, a.read(ctx), d.EndpointID)
			if err != nil {
				return 0, err
			}
			endpoints[d.EndpointID] = &e
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, len(due))
	for i := range due {
		wg.Go(func() {
			d := &due[i]
			a.attemptDelivery(ctx, *endpoints[d.EndpointID], d)
			errs[i] = a.writeTx(ctx, func(tx *gorm.DB) error { return models.SaveDelivery(ctx, tx, d) })
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return len(due), err
		}
	}
	return len(due), nil
}

// attemptDelivery posts d to e and sets d's outcome fields. A disabled
// endpoint's delivery is dead-lettered without an attempt.
func (a *App) attemptDelivery(ctx context.Context, e models.WebhookEndpoint, d *models.WebhookDelivery) {
	if !e.Active {
		d.Status, d.NextAttemptAt, d.LastError = models.DeliveryDead, nil, "the endpoint is disabled"
		return
	}
	now := a.now()
	d.Attempts++
	d.LastAttemptAt = &now
	d.LastStatusCode = nil
	status, err := a.postWebhook(ctx, e, d)
	if status != 0 {
		d.LastStatusCode = &status
	}
	switch {
	case err == nil:
		d.Status, d.NextAttemptAt, d.LastError, d.DeliveredAt = models.DeliveryDelivered, nil, "", &now
	case d.Attempts >= a.hooks.MaxAttempts:
		d.Status, d.NextAttemptAt, d.LastError = models.DeliveryDead, nil, err.Error()
	default:
		next := now.Add(a.hooks.retryDelay(d.Attempts))
		d.Status, d.NextAttemptAt, d.LastError = models.DeliveryPending, &next, err.Error()
	}
}

// postWebhook sends one signed request; a non-2xx answer is an error.
func (a *App) postWebhook(ctx context.Context, e models.WebhookEndpoint, d *models.WebhookDelivery) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, a.hooks.Timeout)
	defer cancel()
	body := []byte(d.Payload)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	ts := a.now().Unix()
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "Docket-Webhooks/"+a.version)
	h.Set("Docket-Event", d.EventType)
	h.Set("Docket-Event-Id", d.EventID)
	h.Set("Docket-Delivery", strconv.FormatInt(d.ID, 10))
	h.Set("Docket-Signature", fmt.Sprintf("t=%d,v1=%s", ts, SignWebhook(e.Secret, ts, body)))
	res, err := a.hooks.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	excerpt, _ := io.ReadAll(io.LimitReader(res.Body, 512))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return res.StatusCode, fmt.Errorf("HTTP %d: %s", res.StatusCode, bytes.TrimSpace(excerpt))
	}
	return res.StatusCode, nil
}

// RunWebhooks delivers webhooks until ctx ends: at once after commits on
// this server (and, on PostgreSQL, on others), and every interval for
// retries that come due.
func (a *App) RunWebhooks(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		woken := a.wake.wait()
		n, err := a.DeliverWebhooks(ctx)
		if err != nil && ctx.Err() == nil {
			a.log.ErrorContext(ctx, "webhook delivery failed", "err", err)
		}
		if n == deliveryBatch && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-woken:
			// Every commit wakes the worker; under load, one look for due
			// deliveries per pause serves a burst of commits.
			select {
			case <-ctx.Done():
				return
			case <-time.After(webhookCoalesce):
			}
		case <-t.C:
		}
	}
}

// webhookCoalesce is how long the worker lets commits gather after a wake.
const webhookCoalesce = 50 * time.Millisecond

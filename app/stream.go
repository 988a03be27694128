package app

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// StreamEvent is one server-sent event.
type StreamEvent struct {
	ID   int64          `json:"id"`
	Type string         `json:"type"`
	Data map[string]any `json:"data"`
}

// caseUpdatedEvent is the outbox event every case change writes.
const caseUpdatedEvent = "case.updated"

// announceCaseChange writes the outbox events of a case change, in its
// transaction: case.updated always; emergency.declared / cleared; and
// case.assigned for the person a lead handed the case to.
func (a *App) announceCaseChange(ctx context.Context, tx *gorm.DB, actor Actor, c models.Case, event string) error {
	base := map[string]any{"case_id": c.ID, "event": event, "status": c.Status, "version": c.Version,
		"by": actor.Label, "severity": c.Severity, "emergency": c.Emergency}
	add := func(typ string, userID *int64) error {
		payload, err := json.Marshal(base)
		if err != nil {
			return err
		}
		return a.appendOutbox(ctx, tx, &models.OutboxEvent{Type: typ, Market: c.Market, CaseID: &c.ID, UserID: userID,
			Actor: actor.Subject(), Payload: string(payload), CreatedAt: a.now()})
	}
	if err := add(caseUpdatedEvent, nil); err != nil {
		return err
	}
	if kind, title, body, ok := leadAlert(event, c, actor); ok {
		if err := a.notifyLeads(ctx, tx, actor, c, kind, title, body); err != nil {
			return err
		}
	}
	for _, typ := range webhookTypes(event, c) {
		if err := a.enqueueWebhooks(ctx, tx, actor, c, typ, event); err != nil {
			return err
		}
	}
	switch event {
	case string(models.ActionEmergency):
		return add("emergency.declared", nil)
	case string(models.ActionCalm):
		return add("emergency.cleared", nil)
	case string(models.ActionAssign):
		if c.AssigneeID != nil && (actor.Kind != ActorUser || *c.AssigneeID != actor.ID) {
			return add("case.assigned", c.AssigneeID)
		}
	}
	return nil
}

// StreamEvents sends the actor the events of their markets after lastID
// (a reconnecting client's Last-Event-ID; 0 starts from now), then follows
// new ones until ctx ends or send fails. Events "for" a user (case.assigned,
// notification) go to that user only. Once the queue counts rollup has been
// refreshed past a change to cases comes one queue.counts_changed (ID 0:
// not replayable) naming the markets: a client refetching counts on the
// hint then sees the change (a hint sent at the change itself would fetch
// the counts from before it, and nothing would say when to look again).
//
// ready is called once the caller is authorised, before any event.
func (a *App) StreamEvents(ctx context.Context, actor Actor, lastID int64, ready func() error, send func(StreamEvent) error) error {
	var markets []string
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		s, err := a.scopeOf(ctx, tx, actor, "case.read")
		if err != nil {
			return err
		}
		q, err := a.scopeOf(ctx, tx, actor, "queue.read")
		if err != nil {
			return err
		}
		if s.empty() && q.empty() {
			return models.Errorf(models.KindForbidden, "forbidden", "you may not follow case events")
		}
		if !s.all && !q.all {
			markets = append(slices.Clone(s.markets), q.markets...)
		}
		if lastID <= 0 {
			lastID, err = models.LastOutboxID(ctx, tx)
		}
		return err
	})
	if err != nil {
		return err
	}
	if err := ready(); err != nil {
		return err
	}
	// Commits wake the stream (in-process, and from other instances through
	// LISTEN/NOTIFY on PostgreSQL); the ticker is only a safety net.
	t := time.NewTicker(a.streamPoll)
	defer t.Stop()
	counts := countsHints{}
	for {
		woken := a.wake.wait()
		evs, err := models.OutboxAfter(ctx, a.read(ctx), lastID, markets, streamBatch)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		seenAt := a.now()
		for _, e := range evs {
			lastID = e.ID
			if e.Type == "case.updated" {
				counts.changed(e.Market, seenAt)
			}
			if e.UserID != nil && (actor.Kind != ActorUser || *e.UserID != actor.ID) {
				continue
			}
			data := map[string]any{}
			_ = json.Unmarshal([]byte(e.Payload), &data)
			data["market"] = e.Market
			if err := send(StreamEvent{ID: e.ID, Type: e.Type, Data: data}); err != nil {
				return err
			}
		}
		if len(counts) > 0 {
			// One hint for the markets the last refresh caught up with,
			// instead of counts: each client refetches its own queues'.
			asOf, err := models.CaseCountsAsOf(ctx, a.read(ctx))
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			if ms := counts.caughtUp(asOf); len(ms) > 0 {
				if err := send(StreamEvent{Type: "queue.counts_changed", Data: map[string]any{"markets": ms}}); err != nil {
					return err
				}
			}
		}
		if len(evs) == streamBatch {
			continue // more waiting: no pause
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-woken:
			// Let a burst of commits settle into one read.
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(streamSettle):
			}
		}
	}
}

const (
	streamBatch  = 200
	streamSettle = 20 * time.Millisecond
)

// countsHints are the markets whose cases changed since the last
// queue.counts_changed, with when the stream first and last saw a change
// it has not hinted yet.
type countsHints map[string]struct{ first, last time.Time }

func (h countsHints) changed(market string, at time.Time) {
	p, ok := h[market]
	if !ok {
		p.first = at
	}
	p.last = at
	h[market] = p
}

// caughtUp returns, sorted, the markets with a change the rollup refreshed
// at asOf includes. A market that also changed after asOf stays pending
// until a later refresh: from its latest change on, so a market that
// never stops changing is still hinted once per refresh.
func (h countsHints) caughtUp(asOf *time.Time) []string {
	if asOf == nil {
		return nil
	}
	var out []string
	for m, p := range h {
		if p.first.After(*asOf) {
			continue
		}
		out = append(out, m)
		if p.last.After(*asOf) {
			h[m] = struct{ first, last time.Time }{p.last, p.last}
		} else {
			delete(h, m)
		}
	}
	slices.Sort(out)
	return out
}

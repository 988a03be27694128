package app

import (
	"context"
	"sync"
	"time"

	"github.com/docket-tns/docket/models"
)

// wakeHub lets event streams sleep until the outbox may have grown: wait
// returns a channel that wake closes. Take the channel before reading the
// outbox, so a wake between the read and the wait is never lost.
type wakeHub struct {
	mu sync.Mutex
	ch chan struct{}
}

func newWakeHub() *wakeHub { return &wakeHub{ch: make(chan struct{})} }

func (h *wakeHub) wait() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.ch
}

func (h *wakeHub) wake() {
	h.mu.Lock()
	defer h.mu.Unlock()
	close(h.ch)
	h.ch = make(chan struct{})
}

// RunNotifications carries outbox wake-ups between server instances until
// ctx ends: on PostgreSQL it LISTENs on a dedicated connection (reconnecting
// with back-off) and wakes this instance's streams for every commit that
// wrote events, on any instance. On SQLite there is one server and writes
// wake streams in-process, so it only waits for ctx.
func (a *App) RunNotifications(ctx context.Context) {
	if a.db.Dialect != models.Postgres {
		<-ctx.Done()
		return
	}
	backoff := 500 * time.Millisecond
	for {
		started := time.Now()
		err := models.ListenOutbox(ctx, a.db, a.wake.wake)
		if ctx.Err() != nil {
			return
		}
		if time.Since(started) > time.Minute {
			backoff = 500 * time.Millisecond
		}
		a.log.WarnContext(ctx, "outbox listener lost its connection; streams fall back to polling until it is back",
			"err", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

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

// outboxAnnouncer sends the NOTIFY that wakes other servers after commits
// that wrote outbox events, coalesced: one statement in flight at a time,
// at most one per announceGap, and one more after it when commits arrived
// meanwhile. Under load that is ~50 small transactions a second whatever
// the commit rate, and no write transaction NOTIFYs itself (see
// models.NotifyOutbox for why); other servers hear of a change at most
// announceGap late.
type outboxAnnouncer struct {
	mu      sync.Mutex
	running bool
	again   bool
	wg      sync.WaitGroup
}

// announceOutbox tells every server, after commit, that the outbox grew
// (PostgreSQL only; on SQLite the one process's wake does). It never
// blocks the caller. A notification lost to a crash is caught by the
// streams' polling safety net.
func (a *App) announceOutbox() {
	if a.db.Dialect != models.Postgres {
		return
	}
	n := a.announcer
	n.mu.Lock()
	if n.running {
		n.again = true
		n.mu.Unlock()
		return
	}
	n.running = true
	n.wg.Add(1)
	n.mu.Unlock()
	go func() {
		defer n.wg.Done()
		for {
			sent := time.Now()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := models.NotifyOutbox(ctx, a.read(ctx)); err != nil {
				a.log.Warn("outbox notification failed; other servers' streams poll until the next one", "err", err)
			}
			cancel()
			n.mu.Lock()
			if !n.again {
				n.running = false
				n.mu.Unlock()
				return
			}
			n.again = false
			n.mu.Unlock()
			time.Sleep(announceGap - time.Since(sent))
		}
	}()
}

// announceGap spaces the notifications of a busy server.
const announceGap = 50 * time.Millisecond

// WaitAnnounced waits for notifications still being sent; call it before
// closing the database.
func (a *App) WaitAnnounced() { a.announcer.wg.Wait() }

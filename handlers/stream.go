package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/models"
)

const streamHeartbeat = 15 * time.Second

// stream serves server-sent events of the caller's markets. A client that
// reconnects with Last-Event-ID (or ?last_event_id=) gets what it missed.
func (s *server) stream(c echo.Context) error {
	var last int64
	if v := c.Request().Header.Get("Last-Event-ID"); v != "" {
		last, _ = strconv.ParseInt(v, 10, 64)
	} else if v := c.QueryParam("last_event_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return models.Invalid("invalid_query", "last_event_id must be a whole number",
				models.FieldError{Field: "last_event_id", Code: "invalid_id", Message: "an event id"})
		}
		last = n
	}
	w := c.Response()
	rc := http.NewResponseController(w.Writer)
	started := false
	var mu sync.Mutex
	write := func(chunk string) error {
		mu.Lock()
		defer mu.Unlock()
		if !started {
			h := w.Header()
			h.Set(echo.HeaderContentType, "text/event-stream")
			h.Set("Cache-Control", "no-store")
			h.Set("X-Accel-Buffering", "no")
			w.WriteHeader(http.StatusOK)
			_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write timeout
			started = true
		}
		if _, err := fmt.Fprint(w, chunk); err != nil {
			return err
		}
		return rc.Flush()
	}
	ctx, cancel := context.WithCancel(c.Request().Context())
	defer cancel()
	if s.opts.Streams != nil {
		stop := context.AfterFunc(s.opts.Streams, cancel)
		defer stop()
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(streamHeartbeat)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				mu.Lock()
				ok := started
				mu.Unlock()
				if ok {
					_ = write(": keep-alive\n\n")
				}
			}
		}
	}()
	err := s.app.StreamEvents(ctx, actorOf(c), last, func() error { return write(": connected\n\n") }, func(e app.StreamEvent) error {
		b, err := json.Marshal(e.Data)
		if err != nil {
			return err
		}
		if e.ID == 0 { // a hint, not an outbox event: nothing to resume from
			return write(fmt.Sprintf("event: %s\ndata: %s\n\n", e.Type, b))
		}
		return write(fmt.Sprintf("id: %d\nevent: %s\ndata: %s\n\n", e.ID, e.Type, b))
	})
	if err != nil && !started {
		return err // refused before the stream began: a proper problem+json
	}
	if !started {
		return write(": stream closed\n\n")
	}
	return nil
}

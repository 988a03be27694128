package handlers

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/models"
)

type auditEntryResponse struct {
	Seq        int64           `json:"seq"`
	OccurredAt time.Time       `json:"occurred_at"`
	Actor      string          `json:"actor"`
	ActorLabel string          `json:"actor_label"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type"`
	ObjectID   string          `json:"object_id"`
	Market     string          `json:"market"`
	Before     json.RawMessage `json:"before"`
	After      json.RawMessage `json:"after"`
	RequestID  string          `json:"request_id"`
	ClientIP   string          `json:"client_ip"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

func rawJSON(s *string) json.RawMessage {
	if s == nil {
		return json.RawMessage("null")
	}
	return json.RawMessage(*s)
}

func auditResponse(e models.AuditEntry) auditEntryResponse {
	return auditEntryResponse{Seq: e.Seq, OccurredAt: e.OccurredAt.UTC(), Actor: e.Actor, ActorLabel: e.ActorLabel,
		Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID, Market: e.Market,
		Before: rawJSON(e.BeforeJSON), After: rawJSON(e.AfterJSON), RequestID: e.RequestID, ClientIP: e.ClientIP,
		PrevHash: e.PrevHash, Hash: e.Hash}
}

func auditQuery(c echo.Context) (app.AuditQuery, error) {
	q := app.AuditQuery{Actor: c.QueryParam("actor"), Action: c.QueryParam("action"), ObjectType: c.QueryParam("object_type"),
		ObjectID: c.QueryParam("object_id"), Market: c.QueryParam("market")}
	for name, dst := range map[string]**time.Time{"since": &q.Since, "until": &q.Until} {
		if v := c.QueryParam(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return q, models.Invalid("invalid_time", name+" must be an RFC 3339 time such as 2026-11-24T09:00:00+07:00",
					models.FieldError{Field: name, Code: "invalid_time", Message: "RFC 3339 time"})
			}
			*dst = &t
		}
	}
	return q, nil
}

func (s *server) listAudit(c echo.Context) error {
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	q, err := auditQuery(c)
	if err != nil {
		return err
	}
	res, err := s.app.ListAudit(c.Request().Context(), actorOf(c), q, page)
	if err != nil {
		return err
	}
	out := app.Page[auditEntryResponse]{NextCursor: res.NextCursor, Items: make([]auditEntryResponse, len(res.Items))}
	for i, e := range res.Items {
		out.Items[i] = auditResponse(e)
	}
	return c.JSON(http.StatusOK, listOf(out))
}

func (s *server) verifyAudit(c echo.Context) error {
	v, err := s.app.VerifyAudit(c.Request().Context(), actorOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

var auditCSVHeader = []string{"seq", "occurred_at", "actor", "actor_label", "action", "object_type", "object_id",
	"market", "before", "after", "request_id", "client_ip", "prev_hash", "hash"}

// exportAudit streams CSV; authorization fails before the first byte, so
// a refusal is still a proper problem+json.
func (s *server) exportAudit(c echo.Context) error {
	q, err := auditQuery(c)
	if err != nil {
		return err
	}
	w := csv.NewWriter(c.Response())
	started := false
	start := func() {
		h := c.Response().Header()
		h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="docket-audit-%s.csv"`, time.Now().UTC().Format("20060102T150405Z")))
		h.Set("Cache-Control", "no-store")
		c.Response().WriteHeader(http.StatusOK)
		_ = w.Write(auditCSVHeader)
		started = true
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	err = s.app.ExportAudit(c.Request().Context(), actorOf(c), q, func(e models.AuditEntry) error {
		if !started {
			start()
		}
		if err := w.Write([]string{strconv.FormatInt(e.Seq, 10), e.OccurredAt.UTC().Format(time.RFC3339Nano), e.Actor,
			e.ActorLabel, e.Action, e.ObjectType, e.ObjectID, e.Market, str(e.BeforeJSON), str(e.AfterJSON),
			e.RequestID, e.ClientIP, e.PrevHash, e.Hash}); err != nil {
			return err
		}
		if e.Seq%500 == 0 {
			w.Flush()
		}
		return w.Error()
	})
	if err != nil {
		if !started {
			return err
		}
		s.log.ErrorContext(c.Request().Context(), "audit export cut short", "request_id", requestID(c), "err", err)
		return nil
	}
	if !started {
		start()
	}
	w.Flush()
	return w.Error()
}

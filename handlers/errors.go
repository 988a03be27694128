package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/docket-tns/docket/models"
)

// problem is an RFC 9457 problem document with Docket's stable code.
type problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail,omitempty"`
	Code      string              `json:"code"`
	RequestID string              `json:"request_id"`
	Errors    []models.FieldError `json:"errors,omitempty"`
	Extra     map[string]any      `json:"-"`
}

func (p problem) MarshalJSON() ([]byte, error) {
	type plain problem
	b, err := json.Marshal(plain(p))
	if err != nil || len(p.Extra) == 0 {
		return b, err
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, v := range p.Extra {
		if _, taken := m[k]; !taken {
			m[k] = v
		}
	}
	return json.Marshal(m)
}

// statusOfKind is the one map from domain error kind to HTTP status.
var statusOfKind = map[models.ErrorKind]int{
	models.KindInvalid:          http.StatusBadRequest,
	models.KindUnauthenticated:  http.StatusUnauthorized,
	models.KindForbidden:        http.StatusForbidden,
	models.KindNotFound:         http.StatusNotFound,
	models.KindMethodNotAllowed: http.StatusMethodNotAllowed,
	models.KindConflict:         http.StatusConflict,
	models.KindTooLarge:         http.StatusRequestEntityTooLarge,
	models.KindUnsupported:      http.StatusUnsupportedMediaType,
	models.KindRateLimited:      http.StatusTooManyRequests,
	models.KindUnavailable:      http.StatusServiceUnavailable,
	models.KindInternal:         http.StatusInternalServerError,
}

// codeOfStatus names the errors Echo itself raises (routing, method).
var codeOfStatus = map[int]string{
	http.StatusBadRequest:            "bad_request",
	http.StatusUnauthorized:          "unauthenticated",
	http.StatusForbidden:             "forbidden",
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: "body_too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusTooManyRequests:       "rate_limited",
	http.StatusServiceUnavailable:    "unavailable",
}

// handleError is the one error presenter: every error any handler or
// middleware returns becomes a problem+json here. Domain errors keep their
// code; anything foreign is a generic 500 whose cause is logged, never shown.
func (s *server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := s.problemOf(err, c)
	if p.Status >= 500 {
		s.log.ErrorContext(c.Request().Context(), "request failed",
			"request_id", p.RequestID, "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	}
	if p.Status == http.StatusTooManyRequests {
		if ra, ok := p.Extra["retry_after_seconds"]; ok {
			c.Response().Header().Set("Retry-After", jsonNumber(ra))
		}
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(p.Status)
		return
	}
	body, mErr := json.Marshal(p)
	if mErr != nil {
		s.log.Error("marshal problem", "err", mErr)
		body = []byte(`{"type":"about:blank","title":"Internal Server Error","status":500,"code":"internal"}`)
	}
	_ = c.Blob(p.Status, "application/problem+json", body)
}

// statusClientClosed is the status of a request whose client left before
// the answer (not a registered HTTP status; nginx's convention).
const statusClientClosed = 499

func (s *server) problemOf(err error, c echo.Context) problem {
	p := problem{Type: "about:blank", RequestID: requestID(c)}
	if errors.Is(c.Request().Context().Err(), context.Canceled) {
		// The client went away (closed the connection or gave up): no
		// one reads this answer, and the server did nothing wrong.
		// Logged and counted as 499, nginx's "client closed request",
		// never as a 500.
		p.Status, p.Code, p.Title = statusClientClosed, "client_closed_request", "Client Closed Request"
		return p
	}
	var he *echo.HTTPError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		p.Status, p.Code = http.StatusRequestEntityTooLarge, "body_too_large"
		p.Detail = "the request body is larger than the server accepts"
	case errors.As(err, &he):
		p.Status = he.Code
		p.Code = codeOfStatus[he.Code]
		if p.Code == "" {
			p.Code = strings.ToLower(strings.ReplaceAll(http.StatusText(he.Code), " ", "_"))
		}
		if msg, ok := he.Message.(string); ok && he.Code < 500 {
			p.Detail = msg
		}
		if he.Code >= 500 {
			p.Code = "internal"
		}
	default:
		if de, ok := models.AsError(err); ok {
			p.Status = statusOfKind[de.Kind]
			if p.Status == 0 {
				p.Status = http.StatusInternalServerError
			}
			p.Code, p.Detail, p.Errors, p.Extra = de.Code, de.Message, de.Fields, de.Extra
			if p.Status >= 500 && de.Kind == models.KindInternal {
				p.Code, p.Detail = "internal", ""
			}
		} else {
			p.Status, p.Code = http.StatusInternalServerError, "internal"
		}
	}
	if p.Status >= 500 && p.Code == "internal" {
		p.Detail = "an unexpected error occurred; quote the request id when reporting it"
	}
	p.Title = http.StatusText(p.Status)
	if p.Title == "" {
		p.Title = "Error"
	}
	return p
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

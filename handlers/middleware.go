package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/labstack/echo-contrib/echoprometheus"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/models"
)

// contentSecurityPolicy is strict: the SPA ships no inline scripts, loads
// nothing from elsewhere, and may not be framed. Inline styles are allowed
// because Mantine injects them.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; " +
	"base-uri 'self'; form-action 'self'; object-src 'none'"

const ctxRequestID = "request_id"

// ctxActor is set by authentication to a short description of who is
// calling, and logged with the request.
const ctxActor = "actor"

func (s *server) middleware(e *echo.Echo) error {
	metrics, err := echoprometheus.MiddlewareConfig{
		Namespace:  "docket",
		Subsystem:  "http",
		Registerer: s.opts.Metrics,
		Skipper:    func(c echo.Context) bool { return c.Path() == "/metrics" },
	}.ToMiddleware()
	if err != nil {
		return fmt.Errorf("http metrics: %w", err)
	}
	e.Use(
		assignRequestID,
		s.logRequests,
		middleware.RecoverWithConfig(middleware.RecoverConfig{
			LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
				s.log.ErrorContext(c.Request().Context(), "panic", "request_id", requestID(c), "err", err, "stack", string(stack))
				return err
			},
		}),
		metrics,
		s.securityHeaders,
		s.limitBody,
		middleware.GzipWithConfig(middleware.GzipConfig{
			Level:     5,
			MinLength: 1024,
			// Server-sent events must not be buffered by a compressor. Only
			// reads are compressed: the answers to writes are small, and the
			// middleware resets a compressor (tens of KB of tables) for every
			// request it does not skip, whatever the answer's length.
			Skipper: func(c echo.Context) bool {
				r := c.Request()
				return r.Method != http.MethodGet || strings.HasSuffix(r.URL.Path, "/stream")
			},
		}),
	)
	return nil
}

// Evidence uploads may carry a 10 MB file plus multipart framing.
const (
	evidenceUploadPath = "/api/v1/cases/:id/evidence"
	uploadBodyLimit    = app.MaxEvidenceFile + 64<<10
)

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// assignRequestID keeps a well-formed incoming X-Request-ID (so a proxy's id
// carries through) and makes one otherwise.
func assignRequestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !requestIDPattern.MatchString(id) {
			b := make([]byte, 12)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Set(ctxRequestID, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

func requestID(c echo.Context) string {
	id, _ := c.Get(ctxRequestID).(string)
	return id
}

// logRequests writes one line per request. Errors are presented here, so the
// status logged is the status sent.
func (s *server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		res := c.Response()
		level := slog.LevelInfo
		switch {
		case res.Status >= 500:
			level = slog.LevelError
		case c.Path() == "/healthz" || c.Path() == "/readyz" || c.Path() == "/metrics":
			level = slog.LevelDebug
		}
		attrs := []slog.Attr{
			slog.String("request_id", requestID(c)),
			slog.String("method", c.Request().Method),
			slog.String("path", c.Request().URL.Path),
			slog.Int("status", res.Status),
			slog.Float64("latency_ms", float64(time.Since(start).Microseconds())/1000),
			slog.Int64("bytes", res.Size),
			slog.String("remote", c.RealIP()),
		}
		if actor, ok := c.Get(ctxActor).(string); ok && actor != "" {
			attrs = append(attrs, slog.String("actor", actor))
		}
		s.log.LogAttrs(c.Request().Context(), level, "http", attrs...)
		return nil
	}
}

func (s *server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if s.opts.HSTS {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return next(c)
	}
}

// limitBody refuses a declared oversized body at once and caps an
// undeclared (chunked) one while it is read; decodeJSON turns the cap into
// a 413.
func (s *server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		limit := s.opts.BodyLimit
		switch c.Path() {
		case evidenceUploadPath:
			limit = uploadBodyLimit
		case signalsPath:
			limit = min(limit, app.MaxSignalBatchBytes)
		}
		if r.ContentLength > limit {
			if limit == uploadBodyLimit {
				return models.Errorf(models.KindTooLarge, "file_too_large", "files are at most %d MB", app.MaxEvidenceFile>>20)
			}
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge,
				fmt.Sprintf("the request body is %d bytes; the limit is %d", r.ContentLength, limit))
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
		}
		return next(c)
	}
}

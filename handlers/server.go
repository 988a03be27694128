// Package handlers is Docket's HTTP layer on Echo: every route in routes.go,
// request and response shapes, the one error presenter, middleware, the
// OpenAPI document and SPA serving. It calls app and never touches the
// database or the policy engine directly.
package handlers

import (
	"context"
	"io/fs"
	"log/slog"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/docket-tns/docket/app"
)

// Options configure the HTTP layer.
type Options struct {
	Logger *slog.Logger
	// UI is the built SPA (index.html at its root); nil serves no UI.
	UI fs.FS
	// BodyLimit caps request bodies in bytes (default 4 MiB).
	BodyLimit int64
	// Metrics receives the HTTP metrics and is served at /metrics; nil
	// makes a private registry.
	Metrics *prometheus.Registry
	// HSTS sends Strict-Transport-Security (set when served over TLS).
	HSTS bool
	// SecureCookies marks the session cookie Secure.
	SecureCookies bool
	// Streams ends every open event stream when it is done: the server
	// cancels it when shutdown begins, since a stream never goes idle on
	// its own and would hold a graceful shutdown to its timeout. Nil: never.
	Streams context.Context
}

// DefaultBodyLimit is the request body cap when Options.BodyLimit is zero.
const DefaultBodyLimit = 4 << 20

type server struct {
	app  *app.App
	log  *slog.Logger
	opts Options
	spa  *spa
	echo *echo.Echo
}

// New returns the HTTP handler: API, health, metrics, OpenAPI and the SPA.
// It fails only if the embedded OpenAPI document or UI is broken.
func New(a *app.App, opts Options) (*echo.Echo, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.BodyLimit == 0 {
		opts.BodyLimit = DefaultBodyLimit
	}
	if opts.Metrics == nil {
		opts.Metrics = prometheus.NewRegistry()
	}
	s := &server{app: a, log: opts.Logger, opts: opts}
	if opts.UI != nil {
		ui, err := newSPA(opts.UI)
		if err != nil {
			return nil, err
		}
		s.spa = ui
	}
	if _, err := openAPIJSON(); err != nil {
		return nil, err
	}
	e := echo.New()
	s.echo = e
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	// Trust X-Forwarded-For only from loopback and private ranges, the
	// usual place of a reverse proxy.
	e.IPExtractor = echo.ExtractIPFromXFFHeader()
	if err := s.middleware(e); err != nil {
		return nil, err
	}
	s.routes(e)
	return e, nil
}

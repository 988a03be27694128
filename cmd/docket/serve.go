package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/frontend"
	"github.com/docket-tns/docket/handlers"
	"github.com/docket-tns/docket/migrations"
	"github.com/docket-tns/docket/models"
)

func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	var cfg Config
	fs := newServeFlagSet(&cfg)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	m := &Main{Config: cfg, Log: newLogger(&cfg, stderr)}
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	return m.Run(ctx)
}

// Main is a running server: Open wires it, Run serves until ctx ends, Close
// releases what Open took. Tests drive it the same way.
type Main struct {
	Config Config
	Log    *slog.Logger

	DB       *models.Database
	App      *app.App
	listener net.Listener
	server   *http.Server
}

// Addr is the address actually listened on (useful with ":0").
func (m *Main) Addr() string { return m.listener.Addr().String() }

// Open connects and migrates the database, builds the app and the HTTP
// server, and binds the listener, so every start-up failure happens here
// with one clear error.
func (m *Main) Open(ctx context.Context) error {
	c := &m.Config
	secret, err := sessionSecret(c)
	if err != nil {
		return err
	}
	_ = secret // the accounts layer signs with it
	// Bind first: a port in use fails before the database is touched.
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", c.Addr, unwrapOpError(err))
	}
	m.listener = ln
	db, err := openAndMigrate(ctx, c, m.Log)
	if err != nil {
		return err
	}
	m.DB = db
	migrator, err := migrations.New(db.SQL, string(db.Dialect))
	if err != nil {
		return err
	}
	m.App, err = app.New(app.Deps{DB: db, Schema: migrator, Logger: m.Log, Version: version,
		Rules:       app.RuleSettings{EvalTimeLimit: c.RuleEvalTimeout, BacktestMaxSignals: c.BacktestMaxSignals},
		QueueCounts: app.QueueCountsSettings{Interval: c.QueueCountsInterval}})
	if err != nil {
		return err
	}
	if n, err := m.App.CountUsers(ctx); err == nil && n == 0 {
		m.Log.Warn("no users yet: create the first admin with " +
			"`docket user create --email you@example.com --name \"Your Name\" --role admin --market '*'` (password on stdin), " +
			"or load demo data with `docket demo`")
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db.SQL, "docket"))
	streams, endStreams := context.WithCancel(context.Background())
	h, err := handlers.New(m.App, handlers.Options{
		Streams: streams,
		Logger:  m.Log,
		UI:      frontend.Files(),
		Metrics: reg,
		HSTS:    c.httpsPublic(),
		// Secure cookies behind https, or when asked (a TLS-terminating proxy).
		SecureCookies: c.SecureCookies || c.httpsPublic(),
	})
	if err != nil {
		endStreams()
		return err
	}
	m.server = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn),
	}
	m.server.RegisterOnShutdown(endStreams)
	return nil
}

// Run serves until ctx is cancelled (SIGINT/SIGTERM), then shuts down
// gracefully: the listener closes, in-flight requests get up to
// ShutdownTimeout to finish.
func (m *Main) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- m.server.Serve(m.listener) }()
	// Background work runs on every server; leader election makes exactly
	// one of them sweep at a time.
	workCtx, stopWork := context.WithCancel(context.Background())
	workDone := make(chan struct{})
	interval := m.Config.SweepInterval
	if interval <= 0 {
		interval = 5 * time.Second
	}
	notifyDone := make(chan struct{})
	go func() {
		defer close(workDone)
		m.App.RunSweeper(workCtx, app.NewLeader(m.DB), interval)
	}()
	// Outbox wake-ups from the other instances (LISTEN/NOTIFY), webhook
	// delivery (every instance; workers skip each other's deliveries),
	// backtests, sealing staged audit entries into the hash chain, and the
	// queue counts rollup (the leader of its own election refreshes it).
	go func() {
		defer close(notifyDone)
		var wg sync.WaitGroup
		wg.Go(func() { m.App.RunNotifications(workCtx) })
		wg.Go(func() { m.App.RunWebhooks(workCtx, time.Second) })
		wg.Go(func() { m.App.RunBacktests(workCtx, 2*time.Second) })
		wg.Go(func() { m.App.RunAuditSealer(workCtx) })
		wg.Go(func() { m.App.RunQueueCounts(workCtx, app.NewQueueCountsLeader(m.DB)) })
		wg.Wait()
	}()
	defer func() { stopWork(); <-workDone; <-notifyDone; m.App.WaitAnnounced() }()
	m.Log.Info("docket serving", "addr", m.Addr(), "db", models.RedactDatabaseURL(m.Config.DB),
		"dialect", m.DB.Dialect, "version", version, "ui", frontend.Embedded)
	select {
	case err := <-errc:
		return fmt.Errorf("server stopped: %w", err)
	case <-ctx.Done():
	}
	m.Log.Info("shutting down", "timeout", m.Config.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownTimeout)
	defer cancel()
	if err := m.server.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	stopWork()
	<-workDone
	<-notifyDone
	m.App.WaitAnnounced()
	m.Log.Info("stopped")
	return nil
}

// Close releases the listener and the database.
func (m *Main) Close() error {
	var errs []error
	if m.listener != nil {
		_ = m.listener.Close() // already closed after a graceful shutdown
	}
	if m.DB != nil {
		errs = append(errs, m.DB.Close())
		m.DB = nil
	}
	return errors.Join(errs...)
}

// openAndMigrate opens the database and applies pending migrations (under
// an advisory lock on PostgreSQL, so servers starting together are safe).
func openAndMigrate(ctx context.Context, c *Config, log *slog.Logger) (*models.Database, error) {
	db, err := models.OpenDatabase(ctx, models.DatabaseOptions{URL: c.DB, MaxOpenConns: c.DBMaxConns})
	if err != nil {
		return nil, err
	}
	migrator, err := migrations.New(db.SQL, string(db.Dialect))
	if err == nil {
		var n int
		n, err = migrator.Up(ctx)
		if n > 0 {
			log.Info("migrated database", "applied", n)
		}
	}
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// sessionSecret returns the configured secret, or the one kept in the data
// folder, generating it on first start.
func sessionSecret(c *Config) (string, error) {
	if c.SessionSecret != "" {
		if len(c.SessionSecret) < 32 {
			return "", usageError{"session secret: use at least 32 characters"}
		}
		return c.SessionSecret, nil
	}
	dir := c.dataDir()
	if err := models.EnsureWritableDir(dir); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "session.key")
	if b, err := os.ReadFile(path); err == nil {
		if s := strings.TrimSpace(string(b)); len(s) >= 32 {
			return s, nil
		}
		return "", fmt.Errorf("session secret file %s is too short; delete it to generate a new one", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("cannot read session secret %s: %w", path, unwrapOpError(err))
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	s := hex.EncodeToString(b)
	if err := os.WriteFile(path, []byte(s+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("cannot write session secret %s: %w", path, unwrapOpError(err))
	}
	return s, nil
}

func unwrapOpError(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) {
		return oe.Err
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/docket-tns/docket/models"
)

// Config is everything serve needs; every field has a flag and a DOCKET_*
// environment variable (flag wins).
type Config struct {
	Addr            string
	DB              string
	DataDir         string
	LogLevel        string
	LogFormat       string
	SessionSecret   string
	PublicURL       string
	SecureCookies   bool
	DBMaxConns      int
	ShutdownTimeout time.Duration
	SweepInterval   time.Duration
	// QueueCountsInterval is how often queue counts are recomputed.
	QueueCountsInterval time.Duration
	// Rule evaluation and backtests.
	RuleEvalTimeout    time.Duration
	BacktestMaxSignals int
}

// dbFlags registers the flags every database command shares.
func dbFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.DB, "db", "sqlite:data/docket.db", "database URL: sqlite:PATH or postgres://user@host/db")
	fs.IntVar(&c.DBMaxConns, "db-max-conns", 0, "maximum open database connections (0: 32 on PostgreSQL, 8 on SQLite)")
	fs.StringVar(&c.LogLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.StringVar(&c.LogFormat, "log-format", "text", "log format: text or json")
}

func newServeFlagSet(c *Config) *flag.FlagSet {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	serveFlags(fs, c)
	return fs
}

func serveFlags(fs *flag.FlagSet, c *Config) {
	dbFlags(fs, c)
	fs.StringVar(&c.Addr, "addr", ":8080", "address to listen on")
	fs.StringVar(&c.DataDir, "data-dir", "", "folder for local state such as the session secret (default: the SQLite file's folder, else ./data)")
	fs.StringVar(&c.SessionSecret, "session-secret", "", "secret for signing session material; generated into the data folder when empty (set it on every server sharing a PostgreSQL)")
	fs.StringVar(&c.PublicURL, "public-url", "", "public base URL, e.g. https://docket.example.com (used in links and to turn on secure cookies and HSTS for https)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", false, "mark cookies Secure even when the public URL is not https (e.g. behind a TLS proxy)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 20*time.Second, "how long in-flight requests may take to finish on shutdown")
	fs.DurationVar(&c.SweepInterval, "sweep-interval", 5*time.Second, "how often the leader expires leases and escalates SLA breaches")
	fs.DurationVar(&c.QueueCountsInterval, "queue-counts-interval", 5*time.Second, "how often the leader recomputes queue counts (GET /queues shows counts at most about this old)")
	fs.DurationVar(&c.RuleEvalTimeout, "rule-eval-timeout", 50*time.Millisecond, "how long one evaluation of a looping rule expression may run")
	fs.IntVar(&c.BacktestMaxSignals, "backtest-max-signals", 200000, "the most signals one backtest replays")
}

// parseFlags parses args, then fills every flag not given from DOCKET_<NAME>.
// Errors are one line; -h prints the flags and returns flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fs.SetOutput(stderr)
			fmt.Fprintf(stderr, "Usage of docket %s:\n", fs.Name())
			fs.PrintDefaults()
			return err
		}
		return usageError{fmt.Sprintf("%s: %v (see docket %s --help)", fs.Name(), err, fs.Name())}
	}
	if fs.NArg() > 0 && fs.Name() != "migrate" {
		return usageError{fmt.Sprintf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))}
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || envErr != nil {
			return
		}
		name := "DOCKET_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok {
			if err := fs.Set(f.Name, v); err != nil {
				envErr = usageError{fmt.Sprintf("%s=%q: %v", name, v, err)}
			}
		}
	})
	return envErr
}

// validate checks what flags cannot: levels, formats, the URLs.
func (c *Config) validate() error {
	if _, err := parseLevel(c.LogLevel); err != nil {
		return err
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return usageError{fmt.Sprintf("log format %q: want text or json", c.LogFormat)}
	}
	if _, err := models.ParseDatabaseURL(c.DB); err != nil {
		return usageError{oneLine(err)}
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usageError{fmt.Sprintf("public URL %q: want an absolute http(s) URL such as https://docket.example.com", c.PublicURL)}
		}
	}
	return nil
}

// dataDir is where local state lives: the flag, else the SQLite file's
// folder, else ./data.
func (c *Config) dataDir() string {
	if c.DataDir != "" {
		return c.DataDir
	}
	if t, err := models.ParseDatabaseURL(c.DB); err == nil && t.Dialect == models.SQLite {
		return filepath.Dir(t.Path)
	}
	return "data"
}

func (c *Config) httpsPublic() bool { return strings.HasPrefix(c.PublicURL, "https://") }

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return l, usageError{fmt.Sprintf("log level %q: want debug, info, warn or error", s)}
	}
	return l, nil
}

func newLogger(c *Config, w io.Writer) *slog.Logger {
	level, _ := parseLevel(c.LogLevel)
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

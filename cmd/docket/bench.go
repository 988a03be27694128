package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/docket-tns/docket/internal/bench"
)

// defaultBenchPostgres is the server `docket bench` uses when neither
// --postgres nor DOCKET_BENCH_POSTGRES is given; the bench works in a
// database of its own there.
const defaultBenchPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// errTargetsNotMeasured makes `docket bench` exit 1 when a scenario failed.
var errTargetsNotMeasured = errors.New("some scenarios failed; see the table")

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o := bench.Defaults()
	pg := os.Getenv("DOCKET_BENCH_POSTGRES")
	if pg == "" {
		pg = defaultBenchPostgres
	}
	var only, settings listFlag
	var large bool
	var goBench, out, logLevel string
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&o.PostgresURL, "postgres", pg, "PostgreSQL server to benchmark (env DOCKET_BENCH_POSTGRES); the bench creates and drops its own database there")
	fs.StringVar(&o.DBName, "db-name", o.DBName, "name of the bench database (dropped first if it exists)")
	fs.BoolVar(&o.Keep, "keep", false, "keep the bench database (and the SQLite file) afterwards")
	fs.IntVar(&o.Cases, "cases", o.Cases, "open cases to seed")
	fs.BoolVar(&large, "large", false, "seed 10,000,000 open cases (and 5,000,000 signals)")
	fs.IntVar(&o.Signals, "signals", -1, "stored signals to seed; -1: half the cases")
	fs.IntVar(&o.Reviewers, "reviewers", o.Reviewers, "concurrent reviewers")
	fs.IntVar(&o.CopyStreams, "copy-streams", o.CopyStreams, "parallel COPY connections while seeding")
	fs.DurationVar(&o.Phase, "phase", o.Phase, "length of each measured phase")
	fs.IntVar(&o.Rounds, "rounds", o.Rounds, "rounds of interleaved baseline and API phases")
	fs.DurationVar(&o.Warmup, "warmup", o.Warmup, "unmeasured warm-up before the claim phases")
	fs.IntVar(&o.Churn, "churn", o.Churn, "claim + resolve cycles of the churn scenario")
	fs.IntVar(&o.ChurnWindows, "churn-windows", o.ChurnWindows, "windows the churn is cut into")
	fs.IntVar(&o.IngestBatch, "ingest-batch", o.IngestBatch, "signals per ingest batch")
	fs.IntVar(&o.IngestSenders, "ingest-senders", o.IngestSenders, "concurrent signal senders")
	fs.IntVar(&o.Rules, "rules", o.Rules, "live rules during ingestion")
	fs.IntVar(&o.SQLiteCases, "sqlite-cases", o.SQLiteCases, "open cases seeded for the SQLite scenario")
	fs.Var(&settings, "pg-set", "setting of the bench database, name=value (ALTER DATABASE ... SET; repeatable), e.g. synchronous_commit=off")
	fs.Var(&only, "only", "run only these scenario groups: "+strings.Join(bench.Groups, ", ")+" (repeat or comma-separate)")
	fs.StringVar(&goBench, "go-bench", "", "file holding the output of go test -bench, copied into the report")
	fs.StringVar(&out, "out", "docs/PERFORMANCE.md", "page to write the results into (between its markers); empty: do not write (default with --only: not written)")
	fs.StringVar(&o.CPUProfile, "cpu-profile", "", "write a CPU profile of the first API phase of scenario 1 (or 5 with --only sqlite, 4 with --only ingest) to this file, for go tool pprof")
	fs.StringVar(&logLevel, "log-level", "warn", "the server's log level")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	outGiven := false
	fs.Visit(func(f *flag.Flag) { outGiven = outGiven || f.Name == "out" })
	if len(only) > 0 && !outGiven {
		out = "" // a partial run does not replace the page's full table
	}
	if large {
		o.Cases = 10_000_000
	}
	if o.Signals < 0 {
		o.Signals = o.Cases / 2
	}
	if o.Cases < 1000 || o.Reviewers < 1 || o.Churn < 0 || o.Rounds < 1 || o.Phase <= 0 {
		return usageError{"bench: want --cases >= 1000, --reviewers >= 1, --rounds >= 1, --phase > 0"}
	}
	if _, err := parseLevel(logLevel); err != nil {
		return err
	}
	o.Only, o.DBSettings = only, settings
	o.Version = version
	o.Log = stderr
	if goBench != "" {
		b, err := os.ReadFile(goBench)
		if err != nil {
			return fmt.Errorf("--go-bench: %w", err)
		}
		o.GoBench = string(b)
	}
	rep, err := bench.Run(ctx, o, benchServer(stderr, logLevel))
	if rep != nil {
		fmt.Fprintln(stdout)
		rep.WriteText(stdout)
		if out != "" && len(rep.Rows) > 0 {
			if werr := rep.WriteDoc(out); werr != nil {
				fmt.Fprintf(stderr, "docket: writing %s: %v\n", out, werr)
			} else {
				fmt.Fprintf(stdout, "\nwrote %s\n", out)
			}
		}
	}
	if err != nil {
		return err
	}
	if rep.Failed() {
		return errTargetsNotMeasured
	}
	return nil
}

// benchServer starts servers for the bench exactly as `docket serve`
// does (Main), on a free loopback port, with their local state in a
// temporary folder.
func benchServer(stderr io.Writer, logLevel string) bench.StartServer {
	return func(ctx context.Context, dbURL string) (*bench.Server, error) {
		dir, err := os.MkdirTemp("", "docket-bench-")
		if err != nil {
			return nil, err
		}
		cfg := Config{Addr: "127.0.0.1:0", DB: dbURL, DataDir: dir, LogLevel: logLevel, LogFormat: "text",
			ShutdownTimeout: 10 * time.Second, SweepInterval: 5 * time.Second}
		m := &Main{Config: cfg, Log: newLogger(&cfg, stderr)}
		if err := m.Open(ctx); err != nil {
			_ = m.Close()
			_ = os.RemoveAll(dir)
			return nil, err
		}
		runCtx, stop := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- m.Run(runCtx) }()
		return &bench.Server{URL: "http://" + m.Addr(), App: m.App, Stop: func() error {
			stop()
			err := <-done
			err = errors.Join(err, m.Close())
			_ = os.RemoveAll(dir)
			return err
		}}, nil
	}
}

// Package bench is the performance harness behind `docket bench`: it
// builds a database of its own, seeds a realistic marketplace, drives the
// real HTTP server through the scenarios of docs/PERFORMANCE.md, and
// compares each figure with a raw baseline measured in the same process,
// on the same database, in the same run (the machines are shared, so
// absolute times drift while ratios hold).
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/migrations"
	"github.com/docket-tns/docket/models"
)

// Scenario groups that can be chosen with Options.Only.
const (
	GroupClaims = "claims" // scenarios 1 and 3, and memory during 1
	GroupChurn  = "churn"  // scenario 2
	GroupIngest = "ingest" // scenario 4, and memory during 4
	GroupSQLite = "sqlite" // scenario 5
)

// Groups lists every scenario group in the order they run.
var Groups = []string{GroupClaims, GroupChurn, GroupIngest, GroupSQLite}

// Options say what to seed and how long to measure.
type Options struct {
	// PostgresURL is the server to benchmark; DBName the database created
	// (and dropped unless Keep) on it.
	PostgresURL string
	DBName      string
	Keep        bool

	Cases         int // open cases seeded (1,000,000)
	Signals       int // stored signals seeded for the velocity functions
	Reviewers     int // concurrent reviewers (8)
	CopyStreams   int // parallel COPY connections while seeding
	Phase         time.Duration
	Rounds        int
	Warmup        time.Duration
	Churn         int // claim + resolve cycles
	ChurnWindows  int
	IngestBatch   int
	IngestSenders int
	Rules         int
	SQLiteCases   int

	// CPUProfile, when set, receives a CPU profile of the process during
	// the first measured API phase of scenario 1 (of scenario 5 when only
	// SQLite runs, of scenario 4 when only ingestion runs), for `go tool
	// pprof`.
	CPUProfile string
	// DBSettings are name=value settings of the bench database (ALTER
	// DATABASE ... SET), for experiments such as synchronous_commit=off.
	DBSettings []string
	// Only runs these groups (all when empty).
	Only []string
	// GoBench is the output of `go test -bench` to copy into the report.
	GoBench string
	Version string
	// Log receives progress.
	Log io.Writer
}

// Defaults are the figures the issue sets.
func Defaults() Options {
	return Options{DBName: "docket_bench", Cases: 1_000_000, Signals: 500_000, Reviewers: 8, CopyStreams: 2,
		Phase: 20 * time.Second, Rounds: 2, Warmup: 2 * time.Second, Churn: 300_000, ChurnWindows: 5,
		IngestBatch: 100, IngestSenders: 4, Rules: 20, SQLiteCases: 100_000}
}

// Server is a running Docket server on a database.
type Server struct {
	URL  string
	App  *app.App
	Stop func() error
}

// StartServer starts a server the way `docket serve` does, on dbURL,
// listening on a free loopback port.
type StartServer func(ctx context.Context, dbURL string) (*Server, error)

// benchPassword is every bench account's password.
const benchPassword = "bench-password-long-enough"

// reviewerMarkets: where the reviewers work, roughly as the markets' case
// volumes go.
var reviewerMarkets = []string{"ID", "ID", "VN", "VN", "TH", "PH", "MY", "SG"}

type run struct {
	opts   Options
	log    io.Writer
	start  StartServer
	report *Report
	hc     *http.Client

	dbURL     string
	ds        *dataset
	reviewers []reviewer
	leadEmail string
	profiled  bool
}

// profileOnce starts the CPU profile Options.CPUProfile asks for, the
// first time it is called; the returned function stops it.
func (r *run) profileOnce() (func(), error) {
	if r.opts.CPUProfile == "" || r.profiled {
		return func() {}, nil
	}
	r.profiled = true
	return startCPUProfile(r.opts.CPUProfile)
}

type reviewer struct {
	id     int64
	email  string
	market string
	queue  int64
	api    *apiClient
}

func (o *Options) only(group string) bool { return len(o.Only) == 0 || slices.Contains(o.Only, group) }

// Run seeds, measures and returns the report. Scenario failures become
// rows marked "not run" with the reason, so one broken scenario does not
// hide the others' figures; setup failures end the run.
func Run(ctx context.Context, opts Options, start StartServer) (*Report, error) {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	for _, g := range opts.Only {
		if !slices.Contains(Groups, g) {
			return nil, fmt.Errorf("unknown scenario group %q: want %s", g, strings.Join(Groups, ", "))
		}
	}
	r := &run{opts: opts, log: opts.Log, start: start, report: &Report{Date: time.Now()},
		hc: &http.Client{Transport: newTransport(), Timeout: 5 * time.Minute}}
	r.report.Machine = probeMachine(opts.Version)
	r.report.GoBench = ParseGoBench(opts.GoBench)
	r.report.Settings = []string{
		fmt.Sprintf("concurrency: %d reviewers; %d signal senders", opts.Reviewers, opts.IngestSenders),
		fmt.Sprintf("phases: %s each; rounds: %d (baseline and API phases interleaved); warm-up: %s", opts.Phase, opts.Rounds, opts.Warmup),
	}
	total := time.Now()
	needPG := opts.only(GroupClaims) || opts.only(GroupChurn) || opts.only(GroupIngest)
	if needPG {
		if err := r.postgres(ctx); err != nil {
			return r.report, err
		}
	}
	if opts.only(GroupSQLite) {
		r.sqlite(ctx)
	}
	r.report.timed("whole run", total)
	return r.report, nil
}

// postgres runs the PostgreSQL scenarios on a fresh database.
func (r *run) postgres(ctx context.Context) error {
	o := r.opts
	var err error
	if r.dbURL, err = databaseURL(o.PostgresURL, o.DBName); err != nil {
		return err
	}
	fmt.Fprintf(r.log, "bench: PostgreSQL database %s on %s\n", o.DBName, models.RedactDatabaseURL(o.PostgresURL))
	step := time.Now()
	if err := recreateDatabase(ctx, o.PostgresURL, o.DBName, o.DBSettings); err != nil {
		return err
	}
	for _, kv := range o.DBSettings {
		r.report.Settings = append(r.report.Settings, "bench database setting: "+kv)
	}
	if !o.Keep {
		defer func() {
			if err := dropDatabase(context.Background(), o.PostgresURL, o.DBName); err != nil {
				fmt.Fprintf(r.log, "bench: could not drop %s: %v\n", o.DBName, err)
			}
		}()
	}
	if err := migrate(ctx, r.dbURL); err != nil {
		return err
	}
	if err := r.probePostgres(ctx); err != nil {
		return err
	}
	r.report.timed("create and migrate the database", step)

	step = time.Now()
	c, err := setupCast(ctx, r.dbURL, o.Reviewers)
	if err != nil {
		return err
	}
	r.reviewers, r.leadEmail = c.reviewers, c.leadEmail
	r.ds = newDataset(o.Cases, o.Signals, time.Now(), c.policies, c.staff)
	r.report.timed("create accounts and queues", step)
	r.report.DataSet = fmt.Sprintf("%s open cases (%s subjects, six markets, ten policies, four severities, %d queues), %s stored signals",
		fmtInt(int64(o.Cases)), fmtInt(int64(r.ds.subjects)), r.queueCount(ctx), fmtInt(int64(o.Signals)))
	fmt.Fprintf(r.log, "bench: seeding %s\n", r.report.DataSet)
	step = time.Now()
	if err := seedPostgres(ctx, r.dbURL, r.ds, max(o.CopyStreams, 1), r.log, r.report); err != nil {
		return fmt.Errorf("seeding: %w", err)
	}
	r.report.timed("seeding in all", step)

	step = time.Now()
	srv, err := r.start(ctx, r.dbURL)
	if err != nil {
		return err
	}
	defer func() {
		if err := srv.Stop(); err != nil {
			fmt.Fprintf(r.log, "bench: server stop: %v\n", err)
		}
	}()
	if err := signIn(ctx, srv.URL, r.hc, r.reviewers); err != nil {
		return err
	}
	r.report.timed("start the server and sign in", step)

	if o.only(GroupClaims) {
		r.scenario(ctx, "claims (scenarios 1, 3, 6)", func() error { return r.claims(ctx) }, []string{"1", "3", "6"})
	}
	if o.only(GroupChurn) {
		r.scenario(ctx, "churn (scenario 2)", func() error { return r.churn(ctx) }, []string{"2"})
	}
	if o.only(GroupIngest) {
		r.scenario(ctx, "ingest (scenarios 4, 6)", func() error { return r.ingest(ctx, srv) }, []string{"4", "6"})
	}
	return nil
}

// scenario runs one group; an error becomes a row instead of ending the run.
func (r *run) scenario(ctx context.Context, name string, fn func() error, ids []string) {
	fmt.Fprintf(r.log, "bench: %s\n", name)
	step := time.Now()
	err := fn()
	r.report.timed(name, step)
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		fmt.Fprintf(r.log, "bench: %s failed: %v\n", name, err)
		r.report.add(Row{Scenario: strings.Join(ids, ", "), Name: name, Figure: "-", Status: NotRun, Note: "failed: " + oneLine(err)})
	}
}

func oneLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}

func (r *run) probePostgres(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, r.dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	v, settings, av, err := postgresFacts(ctx, conn)
	if err != nil {
		return err
	}
	r.report.Machine.Postgres, r.report.Machine.PGSettings = v, settings
	if !av {
		r.report.Notes = append(r.report.Notes, "autovacuum is off on this PostgreSQL server (the machine's configuration): "+
			"per-table autovacuum settings cannot take effect, and nothing vacuums the hot tables during the run.")
	}
	return nil
}

func (r *run) queueCount(ctx context.Context) int {
	conn, err := pgx.Connect(ctx, r.dbURL)
	if err != nil {
		return 0
	}
	defer conn.Close(context.Background())
	var n int
	_ = conn.QueryRow(ctx, "SELECT COUNT(*) FROM queues").Scan(&n)
	return n
}

// openSetupApp opens an App on dbURL for setting up accounts before the
// server starts (system actors need no grants).
func openSetupApp(ctx context.Context, dbURL string) (*app.App, *models.Database, error) {
	db, err := models.OpenDatabase(ctx, models.DatabaseOptions{URL: dbURL, MaxOpenConns: 4})
	if err != nil {
		return nil, nil, err
	}
	m, err := migrations.New(db.SQL, string(db.Dialect))
	if err != nil {
		_ = db.Close()
		return nil, nil, err
	}
	a, err := app.New(app.Deps{DB: db, Schema: m, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		_ = db.Close()
		return nil, nil, err
	}
	return a, db, nil
}

var benchActor = app.SystemActor("bench")

// cast is who takes part in a run: the reviewers, their colleagues (who
// hold the seeded in-review cases), and a lead who watches every market.
type cast struct {
	reviewers []reviewer
	leadEmail string
	staff     map[string][]int64
	policies  []models.Policy
}

// setupCast creates the accounts and a few cross-market queues on dbURL
// (before the server starts) and finds each reviewer's review queue.
func setupCast(ctx context.Context, dbURL string, reviewers int) (*cast, error) {
	a, db, err := openSetupApp(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	user := func(email, role string, markets ...string) (int64, error) {
		in := app.NewUser{Email: email, Name: strings.Split(email, "@")[0], Password: benchPassword}
		for _, m := range markets {
			in.Grants = append(in.Grants, models.Grant{Role: role, Market: m})
		}
		u, err := a.CreateUser(ctx, benchActor, in)
		if err != nil {
			return 0, fmt.Errorf("create %s: %w", email, err)
		}
		return u.ID, nil
	}
	c := &cast{staff: map[string][]int64{}, leadEmail: "lead.sea@bench.docket.test"}
	for i := range reviewers {
		m := reviewerMarkets[i%len(reviewerMarkets)]
		email := fmt.Sprintf("reviewer%d.%s@bench.docket.test", i+1, strings.ToLower(m))
		id, err := user(email, "reviewer", m)
		if err != nil {
			return nil, err
		}
		c.reviewers = append(c.reviewers, reviewer{id: id, email: email, market: m})
	}
	for _, m := range []string{"ID", "MY", "PH", "SG", "TH", "VN"} {
		for k := range 2 {
			id, err := user(fmt.Sprintf("staff%d.%s@bench.docket.test", k+1, strings.ToLower(m)), "reviewer", m)
			if err != nil {
				return nil, err
			}
			c.staff[m] = append(c.staff[m], id)
		}
	}
	if _, err := user(c.leadEmail, "lead", app.AllMarkets); err != nil {
		return nil, err
	}
	all := []string{"ID", "MY", "PH", "SG", "TH", "VN"}
	for _, q := range []app.QueueInput{
		{Name: "Brand protection", Description: "Counterfeits and IP in VN and TH.", Markets: []string{"VN", "TH"}, Policies: []string{"counterfeit", "ip_infringement"}},
		{Name: "Critical, all SEA", Description: "Every critical case.", Markets: all, Severities: []string{"critical"}},
		{Name: "Emergencies", Description: "Declared emergencies.", Markets: all, EmergencyOnly: true},
		{Name: "Livestream safety", Description: "Harassment and minor safety.", Markets: []string{"ID", "PH", "TH", "VN"}, Policies: []string{"livestream_harassment", "minor_safety"}},
	} {
		if _, err := a.CreateQueue(ctx, benchActor, q); err != nil {
			return nil, fmt.Errorf("create queue %s: %w", q.Name, err)
		}
	}
	qs, err := models.ListQueues(ctx, db.Gorm)
	if err != nil {
		return nil, err
	}
	for i := range c.reviewers {
		for _, q := range qs {
			if q.Kind == "review" && q.Markets == c.reviewers[i].market {
				c.reviewers[i].queue = q.ID
			}
		}
		if c.reviewers[i].queue == 0 {
			return nil, fmt.Errorf("no review queue for market %s", c.reviewers[i].market)
		}
	}
	if c.policies, err = models.ListPolicies(ctx, db.Gorm); err != nil {
		return nil, err
	}
	return c, nil
}

// signIn logs every reviewer in over HTTP.
func signIn(ctx context.Context, base string, hc *http.Client, rs []reviewer) error {
	for i := range rs {
		c, err := login(ctx, base, hc, rs[i].email, benchPassword)
		if err != nil {
			return err
		}
		rs[i].api = c
	}
	return nil
}

// reviewerIDs are the reviewers' user ids.
func reviewerIDs(rs []reviewer) []int64 {
	ids := make([]int64, len(rs))
	for i, rv := range rs {
		ids[i] = rv.id
	}
	return ids
}

var errPoolDrained = errors.New("the queue ran out of claimable cases: seed more cases or shorten the phases")

// isQueueEmpty reports a 404 queue_empty answer.
func isQueueEmpty(err error) bool {
	var ae *apiError
	return errors.As(err, &ae) && ae.Code == "queue_empty"
}

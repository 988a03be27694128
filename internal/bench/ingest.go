package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/docket-tns/docket/app"
)

// benchRule is a live rule of the ingest scenario.
type benchRule struct {
	name, policy, severity string
	types, markets         []string
	expr                   string
}

var sea = []string{"ID", "MY", "PH", "SG", "TH", "VN"}

// benchRules are twenty live rules of the kinds a marketplace's analysts
// write: attribute thresholds, reach and account age, and velocity over
// the subject's recent signals (count, sum, distinct).
var benchRules = []benchRule{
	{"Report burst", "livestream_harassment", "high", []string{"report.filed"}, sea, `count("report.filed", "1h") >= 10`},
	{"Many distinct reporters", "misleading_claim", "medium", []string{"report.filed"}, sea, `distinct("report.filed", "reporter_id", "24h") >= 5`},
	{"Counterfeit model, very sure", "counterfeit", "high", []string{"counterfeit.score"}, sea, `signal.attributes.score >= 0.97`},
	{"Counterfeit model, repeatedly", "counterfeit", "medium", []string{"counterfeit.score"}, sea, `signal.attributes.score > 0.7 && count("counterfeit.score", "7d") >= 3`},
	{"Replica keywords on a big seller", "counterfeit", "high", []string{"keyword.hit"}, sea, `signal.attributes.keyword in ["replica", "1:1", "mirror", "grade aaa"] && subject.gmv_usd > 200000`},
	{"Pay-outside keywords", "off_platform_transaction", "medium", []string{"keyword.hit"}, []string{"ID", "PH", "VN"}, `signal.attributes.keyword in ["transfer", "cod"] && count("keyword.hit", "24h") >= 3`},
	{"Refund amount spike", "misleading_claim", "medium", []string{"refund.requested"}, sea, `sum("refund.requested", "amount_usd", "24h") > 1200`},
	{"Refund count spike", "counterfeit", "low", []string{"refund.requested"}, sea, `count("refund.requested", "24h") >= 5`},
	{"Chargebacks", "off_platform_transaction", "high", []string{"chargeback"}, sea, `count("chargeback", "7d") >= 3`},
	{"Large chargeback", "off_platform_transaction", "low", []string{"chargeback"}, sea, `signal.attributes.amount_usd > 505`},
	{"Essentials price gouging", "price_gouging", "medium", []string{"price.change"}, sea, `signal.attributes.ratio >= 4.4 && signal.attributes.category == "essentials"`},
	{"Repeated price hikes", "price_gouging", "low", []string{"price.change"}, sea, `signal.attributes.ratio > 2 && count("price.change", "24h") >= 3`},
	{"Young account, big reach, reported", "fake_engagement", "medium", []string{"report.filed"}, sea, `subject.age_days < 20 && subject.followers > 100000`},
	{"Reported repeat offender", "prohibited_item", "high", []string{"report.filed"}, sea, `subject.strikes >= 1 && signal.attributes.reason in ["scam", "prohibited"] && count("report.filed", "24h") >= 3`},
	{"Trusted reporter, prohibited item", "prohibited_item", "medium", []string{"report.filed"}, sea, `signal.attributes.reporter_trust > 0.995 && signal.attributes.reason == "prohibited"`},
	{"Abuse in a livestream", "livestream_harassment", "high", []string{"report.filed"}, sea, `subject.kind == "livestream" && signal.attributes.reason == "abuse" && count("report.filed", "30m") >= 3`},
	{"Brand words on listings", "ip_infringement", "low", []string{"keyword.hit"}, []string{"TH", "VN"}, `subject.kind == "listing" && signal.attributes.keyword == "original" && subject.gmv_usd > 5000`},
	{"Unsafe product, reported", "dangerous_goods", "high", []string{"counterfeit.score"}, sea, `signal.attributes.score > 0.8 && count("report.filed", "7d") >= 3`},
	{"Abuse reports on big creators", "minor_safety", "high", []string{"report.filed"}, sea, `subject.kind == "creator" && subject.followers > 2000000 && signal.attributes.reason == "abuse"`},
	{"Fake engagement reports", "fake_engagement", "medium", []string{"report.filed"}, sea, `subject.kind in ["creator", "livestream"] && signal.attributes.reason == "fake" && distinct("report.filed", "reporter_id", "7d") >= 4`},
}

// hotSubjects: a fifth of the ingested signals land on a few thousand
// subjects, as real bursts do, so the velocity rules have something to
// find.
const hotSubjects = 2000

// ingestSignal is signal k of the ingest stream (the same for the API and
// the raw baseline; only the source differs).
func (r *run) ingestSignal(k int64, now time.Time) (signalRow, string) {
	rng := rand.New(rand.NewPCG(seedSignal^0xfeed, uint64(k)))
	n := 1 + rng.Int64N(int64(r.ds.subjects))
	if rng.IntN(5) == 0 {
		n = 1 + rng.Int64N(min(hotSubjects, int64(r.ds.subjects)))
	}
	s := r.ds.subject(n)
	typ := pick(rng, signalTypeWeights)
	sig := signalRow{typ: typ, subjectID: s.id, market: s.market, subjectKind: s.kind, subjExt: s.externalID,
		occurredAt: now.Add(-time.Duration(rng.Int64N(int64(10 * time.Minute)))).Truncate(time.Microsecond),
		attributes: signalAttributes(rng, typ)}
	return sig, s.displayName
}

// ingestBatchJSON is batch b as POST /api/v1/signals takes it.
func (r *run) ingestBatchJSON(phase string, b int64, now time.Time) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"signals":[`)
	size := int64(r.opts.IngestBatch)
	for i := range size {
		k := b*size + i
		s, name := r.ingestSignal(k, now)
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"source":"bench-%s","source_id":"%d","type":%q,"occurred_at":%q,"subject":{"kind":%q,"external_id":%q,"market":%q,"display_name":%q},"attributes":%s}`,
			phase, k, s.typ, s.occurredAt.Format(time.RFC3339Nano), s.subjectKind, s.subjExt, s.market, name, s.attributes)
	}
	buf.WriteString(`]}`)
	return buf.Bytes()
}

// rawSignalsTable takes the baseline's rows: a twin of signals (same
// columns, defaults, indexes and foreign keys), so the baseline pays what a
// signals insert pays while its rows stay out of the rules' velocity
// windows.
const rawSignalsTable = "bench_raw_signals"

func createRawSignalsTable(ctx context.Context, pool *pgxpool.Pool) error {
	_, err := pool.Exec(ctx, `CREATE TABLE `+rawSignalsTable+` (LIKE signals INCLUDING ALL);
		ALTER TABLE `+rawSignalsTable+` ADD FOREIGN KEY (subject_id) REFERENCES subjects (id),
			ADD FOREIGN KEY (market) REFERENCES markets (code)`)
	return err
}

// rawIngest inserts batch b with bare pgx: the same rows, one multi-row
// INSERT (idempotent on source and source id, like the API) per batch, in
// one transaction.
func (r *run) rawIngest(ctx context.Context, pool *pgxpool.Pool, b int64, now time.Time) error {
	size := int64(r.opts.IngestBatch)
	var sb strings.Builder
	sb.WriteString("INSERT INTO " + rawSignalsTable + " (source, source_id, type, subject_id, market, occurred_at, received_at, attributes, sent_by) VALUES ")
	args := make([]any, 0, size*9)
	for i := range size {
		k := b*size + i
		s, _ := r.ingestSignal(k, now)
		if i > 0 {
			sb.WriteString(", ")
		}
		p := len(args)
		fmt.Fprintf(&sb, "($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", p+1, p+2, p+3, p+4, p+5, p+6, p+7, p+8, p+9)
		args = append(args, "bench-raw", fmt.Sprint(k), s.typ, s.subjectID, s.market, s.occurredAt, time.Now().UTC(), s.attributes, "token:raw")
	}
	sb.WriteString(" ON CONFLICT (source, source_id) DO NOTHING")
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, sb.String(), args...)
		return err
	})
}

type ingestAnswer struct {
	Accepted int `json:"accepted"`
	Rejected int `json:"rejected"`
	Items    []struct {
		Errors []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"errors"`
	} `json:"items"`
}

// ingest runs scenario 4 (and measures memory during it): rounds of a raw
// batch-insert phase and an API phase with twenty live rules, a CPU
// profile of the process taken during the API phases.
func (r *run) ingest(ctx context.Context, srv *Server) error {
	o := r.opts
	tok, err := srv.App.CreateToken(ctx, benchActor, app.NewToken{Name: "bench risk engine", Scopes: []string{"signals:write"}, Markets: []string{app.AllMarkets}})
	if err != nil {
		return err
	}
	nRules := min(o.Rules, len(benchRules))
	for i, br := range benchRules[:nRules] {
		if _, err := srv.App.CreateRule(ctx, benchActor, app.RuleInput{Name: br.name, Description: "bench rule " + fmt.Sprint(i+1),
			Markets: br.markets, SignalTypes: br.types, Expression: br.expr, Policy: br.policy, Severity: br.severity,
			PriorityBoost: 10 * (i % 3), AutoTriage: true, Status: "live", Note: "bench"}); err != nil {
			return fmt.Errorf("create rule %q: %w", br.name, err)
		}
	}
	senders := make([]*apiClient, o.IngestSenders)
	for i := range senders {
		senders[i] = &apiClient{base: srv.URL, hc: r.hc, bearer: tok.Secret}
	}
	pool, err := pgxpool.New(ctx, r.dbURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := createRawSignalsTable(ctx, pool); err != nil {
		return err
	}
	now := time.Now().UTC()
	var rawBatch, apiBatch atomic.Int64
	var rejected atomic.Int64
	var firstReject atomic.Value
	// A batch that fails with a server error is sent again, as a sender
	// would (batches are idempotent); the failures are counted and shown.
	var failed atomic.Int64
	var firstFailure atomic.Value
	apiOp := func(ctx context.Context, w int) error {
		body := r.ingestBatchJSON("api", apiBatch.Add(1)-1, now)
		var ans ingestAnswer
		for attempt := 1; ; attempt++ {
			err := senders[w].call(ctx, http.MethodPost, "/api/v1/signals", rawJSON(body), &ans)
			var ae *apiError
			if err != nil && errors.As(err, &ae) && ae.Status >= 500 && attempt < 3 && ctx.Err() == nil {
				failed.Add(1)
				firstFailure.CompareAndSwap(nil, err.Error())
				continue
			}
			if err != nil {
				return err
			}
			break
		}
		if ans.Rejected > 0 {
			rejected.Add(int64(ans.Rejected))
			for _, it := range ans.Items {
				if len(it.Errors) > 0 {
					firstReject.CompareAndSwap(nil, it.Errors[0].Field+": "+it.Errors[0].Message)
				}
			}
		}
		return nil
	}
	rawOp := func(ctx context.Context, w int) error { return r.rawIngest(ctx, pool, rawBatch.Add(1)-1, now) }

	if o.Warmup > 0 {
		if _, err := runPhase(ctx, o.IngestSenders, o.Warmup, 0, rawOp); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
		if _, err := runPhase(ctx, o.IngestSenders, o.Warmup, 0, apiOp); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
	}
	var rawAll, apiAll Phase
	var prof bytes.Buffer
	peak := int64(-1)
	var peakErr error
	var hitsBefore int64 // hits of the warm-up are not counted
	_ = pool.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM rule_hits").Scan(&hitsBefore)
	for round := 1; round <= o.Rounds; round++ {
		ph, err := runPhase(ctx, o.IngestSenders, o.Phase, 0, rawOp)
		if err != nil {
			return fmt.Errorf("raw phase: %w", err)
		}
		rawAll = rawAll.Add(ph)
		fmt.Fprintf(r.log, "  round %d raw: %s signals\n", round, perSec(ph.Rate()*float64(o.IngestBatch)))

		peakErr = resetPeakRSS()
		if round == 1 {
			if err := pprof.StartCPUProfile(&prof); err != nil {
				return err
			}
		}
		ph, err = runPhase(ctx, o.IngestSenders, o.Phase, 0, apiOp)
		if round == 1 {
			pprof.StopCPUProfile()
		}
		if peakErr == nil {
			rss, e := peakRSS()
			peak, peakErr = max(peak, rss), e
		}
		if err != nil {
			return fmt.Errorf("API phase: %w", err)
		}
		apiAll = apiAll.Add(ph)
		fmt.Fprintf(r.log, "  round %d API: %s signals\n", round, perSec(ph.Rate()*float64(o.IngestBatch)))
	}
	var hits, opened, rulesErrors int64
	_ = pool.QueryRow(ctx, "SELECT COUNT(*), COUNT(*) FILTER (WHERE opened_case) FROM rule_hits WHERE id > $1", hitsBefore).Scan(&hits, &opened)
	_ = pool.QueryRow(ctx, "SELECT COALESCE(SUM(error_count), 0) FROM rules").Scan(&rulesErrors)
	var lastError string
	_ = pool.QueryRow(ctx, "SELECT last_error FROM rules WHERE error_count > 0 ORDER BY error_count DESC LIMIT 1").Scan(&lastError)

	size := float64(o.IngestBatch)
	rawRate, apiRate := rawAll.Rate()*size, apiAll.Rate()*size
	apiSignals := int64(apiAll.Ops) * int64(o.IngestBatch)
	q := ratio(apiRate, rawRate)
	lat := apiAll.Lat.Sorted()
	name := fmt.Sprintf("ingest: batches of %d signals over HTTP, %d senders, %d live rules", o.IngestBatch, o.IngestSenders, nRules)
	note := fmt.Sprintf("batch p50 %s, p99 %s; %s rule hits on %s signals (%s opened cases)", ms(lat.Percentile(50)), ms(lat.Percentile(99)),
		fmtInt(hits), fmtInt(apiSignals), fmtInt(opened))
	if rulesErrors > 0 {
		note += fmt.Sprintf("; %s rule evaluation errors (e.g. %q)", fmtInt(rulesErrors), lastError)
	}
	if n := failed.Load(); n > 0 {
		note += fmt.Sprintf("; %d batches failed with a server error and were sent again (first: %v)", n, firstFailure.Load())
	}
	if n := rejected.Load(); n > 0 {
		note += fmt.Sprintf("; %s signals rejected (e.g. %v)", fmtInt(n), firstReject.Load())
	}
	r.report.add(Row{Scenario: "4", Name: name, Figure: "signals/s", Measured: perSec(apiRate),
		Baseline: "raw pgx batch INSERT of the same rows: " + perSec(rawRate), Ratio: pct(q), Target: ">= 60% of raw",
		Status: atLeast(q, targetIngestRatio), Note: note})

	cpu, err := parseCPUProfileBytes(prof.Bytes())
	if err != nil {
		return fmt.Errorf("reading the CPU profile: %w", err)
	}
	if r.opts.CPUProfile != "" && !r.profiled { // --only ingest: this is the profile asked for
		r.profiled = true
		if err := os.WriteFile(r.opts.CPUProfile, prof.Bytes(), 0o644); err != nil {
			return fmt.Errorf("writing the CPU profile: %w", err)
		}
	}
	// The harness's own goroutines (JSON building, HTTP client) share the
	// process; leave them out of the server's total.
	client := hasAny("docket/internal/bench.", "net/http.(*persistConn)", "net/http.(*Transport)", "runtime/pprof.")
	// evaluateSignals reads the batch's velocity (readBatchVelocity) and
	// calls evaluateSignal per signal (expressions, and a per-signal read
	// for a call the batch did not fetch): both count as evaluation.
	evaluating := hasAny("docket/app.(*App).evaluateSignals", "docket/app.(*App).evaluateSignal", "docket/app.(*App).readBatchVelocity")
	recording := hasAny("docket/app.(*App).recordHit")
	share, total := cpu.share(evaluating, recording, client)
	exprShare, _ := cpu.share(hasAny("docket/app/rules.", "github.com/expr-lang/expr"), nil, client)
	hitShare, _ := cpu.share(recording, nil, client)
	r.report.add(Row{Scenario: "4", Name: name, Figure: "share of server CPU in rule evaluation", Measured: pct(share),
		Target: "<= 10%", Status: atMost(share, targetRuleCPUShare),
		Note: fmt.Sprintf("CPU profile of the API phase of round 1 (%s of server CPU): evaluation = evaluateSignals (batch velocity reads + expressions) "+
			"without recording hits; expressions alone %s, recording hits (cases opened or joined) %s",
			round(time.Duration(total)), pct(exprShare), pct(hitShare))})
	row := Row{Scenario: "6", Name: "server process during scenario 4", Figure: "peak RSS", Target: "<= 256 MB"}
	if peak >= 0 && peakErr == nil {
		row.Measured, row.Status = mib(peak), atMost(float64(peak), targetPeakRSS)
		row.Note = "VmHWM of the bench process (server and its HTTP clients), reset before each API phase"
	} else {
		row.Measured, row.Status, row.Note = "n/a", NotRun, fmt.Sprint(peakErr)
	}
	r.report.add(row)
	return nil
}
